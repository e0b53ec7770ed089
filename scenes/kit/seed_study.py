"""What the seed's three further ideas draw, computed once from gdmath (`scenes.kit.story_seed`).

The slice l(w) at the start's b and its one-parameter descent; the surface growing out of the
slice; the scale of the band of surface around the visited points (the landscape as the
descent knows it, drawn by `scenes.kit.story_seed`); the straight segment from the start to the
floor and how much higher it climbs than the path.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

import gdmath
from gdmath.seed import Detour, SliceDescent, descend_slice, detour_figures
from scenes.kit.axes import scene_points
from scenes.kit.descent_study import DescentStudy
from scenes.kit.mobjects import lifted_centers
from scenes.kit.settings.seed import SEED, SeedSettings


@dataclass
class SeedStudy:
    """The numbers of the opening, the known landscape and the detour for one `DescentStudy`."""

    stage: DescentStudy
    tun: SeedSettings = SEED

    # ---------------------------------------------------------------- the slice
    @property
    def b0(self) -> float:
        """The fixed bias of the slice: the start's."""
        return float(self.stage.scenario.start[1])

    @cached_property
    def slice_descent(self) -> SliceDescent:
        """Gradient descent on w alone at b = b₀, with the scenario's η."""
        scenario = self.stage.scenario
        return descend_slice(scenario.problem, scenario.start, scenario.learning_rate,
                             self.tun.slice_steps, tol=self.tun.slice_tol)

    @cached_property
    def slice_curve(self) -> np.ndarray:
        """(w, l) of the slice over the window where it is under the top of the l axis."""
        w = np.linspace(*self.stage.scenario.w_range, self.tun.slice_samples)
        return np.column_stack([w, self.stage.problem.loss(w, np.full_like(w, self.b0))])

    @cached_property
    def slice_shown(self) -> np.ndarray:
        """Which points of `slice_curve` are drawn: the run through the start under the l axis.

        Where the surface is capped at the top of the l axis, a curve on the lid would be no
        slice of l.
        """
        w, l = self.slice_curve.T  # noqa: E741
        under = l <= self.stage.l_range[1]
        i = int(np.argmin(np.abs(w - self.stage.scenario.start[0])))
        lo, hi = i, i
        while lo > 0 and under[lo - 1]:
            lo -= 1
        while hi < w.size - 1 and under[hi + 1]:
            hi += 1
        shown = np.zeros_like(under)
        shown[lo:hi + 1] = True
        return shown

    def slice_points(self) -> np.ndarray:
        """Scene points of the drawn slice curve (exact l at b = b₀)."""
        w, l = self.slice_curve[self.slice_shown].T  # noqa: E741
        return scene_points(self.stage.axes, w, self.b0, l)

    @cached_property
    def slice_samples(self) -> np.ndarray:
        """(w, l, ∂l/∂w) along the one-parameter steps; row k·n is iterate k exactly."""
        descent, n = self.slice_descent, self.tun.slice_samples_per_step
        if descent.n_steps == 0:
            return np.array([[descent.w[0], descent.loss[0], descent.grad_w[0]]])
        w = np.concatenate([np.linspace(descent.w[i], descent.w[i + 1], n + 1)[:-1]
                            for i in range(descent.n_steps)] + [descent.w[-1:]])
        b = np.full_like(w, self.b0)
        gw, _ = self.stage.problem.gradient(w, b)
        return np.column_stack([w, self.stage.problem.loss(w, b), gw])

    def slice_ball_centers(self) -> np.ndarray:
        """The ball on the curve: lifted by its radius along the curve's normal in the w–l plane."""
        w, l, gw = self.slice_samples.T  # noqa: E741
        return lifted_centers(self.stage.axes, w, self.b0, l, gw, np.zeros_like(gw),
                              self.stage.settings.sizes.ball_radius)

    def grown_surface(self, alpha: float) -> gdmath.SurfaceMesh:
        """The surface mesh on the b range grown by `alpha` ∈ (0, 1] from the slice.

        Made as the valley's own mesh is (`DescentStudy.surface_mesh`: refined, cut at the
        ceiling), so at ``alpha = 1`` it is that mesh exactly and the swap does not show.
        """
        lo, hi = self.stage.scenario.b_range
        grown = max(float(alpha), 1e-3)
        stage = self.stage
        mesh = stage.settings.mesh
        return gdmath.surface_mesh(stage.problem, stage.scenario.w_range,
                                   (self.b0 - grown * (self.b0 - lo),
                                    self.b0 + grown * (hi - self.b0)),
                                   mesh.drawn_resolution, ceiling=stage.l_range[1],
                                   refine=mesh.surface_refine)

    # ---------------------------------------------------------------- the known landscape
    @cached_property
    def unit(self) -> float:
        """Scene length of one unit of w (and of b)."""
        scenario, sizes = self.stage.scenario, self.stage.settings.sizes
        return sizes.plane_side / max(np.ptp(scenario.w_range), np.ptp(scenario.b_range))

    # ---------------------------------------------------------------- the detour
    @cached_property
    def detour(self) -> Detour | None:
        """The path's detour, or None when it is not real.

        Real means: a verified floor, a loss that falls on every step, a heading that turns by
        at least `detour_min_turn`, and a straight segment that climbs above the start.
        """
        scenario = self.stage.scenario
        if not scenario.diagnosis.has_valley_floor or scenario.trajectory.diverged:
            return None
        detour = detour_figures(scenario.problem, scenario.trajectory,
                                scenario.diagnosis.minimum.point)
        real = detour.monotone and detour.bump > 0 and abs(detour.turn) >= self.tun.detour_min_turn
        return detour if real else None
