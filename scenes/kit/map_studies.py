"""What the lecture map scenes draw, computed by gdmath before anything renders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

import gdmath
from scenes.kit.settings.maps import (
    UNSETTLED_COLOR,
    BasinSettings,
    CurvatureSettings,
    LandscapeSettings,
    MapLook,
    Point,
)

# --------------------------------------------------------------------------- config


# --------------------------------------------------------------------------- stages
@dataclass(frozen=True)
class MapView:
    """A loss on a (w, b) window with its level lines, as a map draws it.

    Attributes
    ----------
    problem : gdmath.Problem
        The loss.
    w_range, b_range : (float, float)
        The window.
    surface : gdmath.LossSurface
        The loss on the window's grid.
    levels : list of gdmath.ContourLevel
        Level lines (`gdmath.auto_levels`, up to the top of `l_range`).
    l_range : (float, float)
        The colour range: from the grid's minimum to a quantile of the loss.
    """

    problem: gdmath.Problem
    w_range: tuple[float, float]
    b_range: tuple[float, float]
    surface: gdmath.LossSurface
    levels: list[gdmath.ContourLevel]
    l_range: tuple[float, float]

    @classmethod
    def build(cls, problem: gdmath.Problem, w_range: tuple[float, float],
              b_range: tuple[float, float], look: MapLook) -> MapView:
        """Sample the loss on the window and trace its level lines."""
        surf = gdmath.loss_surface(problem, w_range, b_range, look.contour_resolution)
        lo = float(surf.L.min())
        hi = float(np.quantile(surf.L, look.loss_quantile))
        if not hi > lo:
            hi = float(surf.L.max()) if float(surf.L.max()) > lo else lo + 1.0
        levels = gdmath.auto_levels(surf, look.contour_levels, upper_quantile=look.loss_quantile)
        levels = levels[levels <= hi]
        return cls(problem, tuple(w_range), tuple(b_range), surf,
                   gdmath.contour_lines(surf, levels), (lo, hi))

    def inside(self, points: np.ndarray) -> np.ndarray:
        """Which (w, b) rows of `points` lie in the window."""
        (w0, w1), (b0, b1) = self.w_range, self.b_range
        w, b = points[:, 0], points[:, 1]
        return (w >= w0) & (w <= w1) & (b >= b0) & (b <= b1)


@dataclass(frozen=True)
class ActivationPanel:
    """One activation on the configured data: its map, its descent and its flat regions.

    Attributes
    ----------
    view : MapView
        The loss of φ on the configured data and window.
    learning_rate : float
        η of this panel's descent.
    trajectory : gdmath.Trajectory
        The descent from the configured start.
    grad_norm : ndarray, shape (nb, nw)
        |∇l| at the nodes of ``view.surface``.
    wall : float
        The largest |∇l| on the grid: the steepest wall in view.
    flat, dead : ndarray of bool, shape (nb, nw)
        |∇l| under the flat fraction of `wall` but not 0, and ∇l exactly 0.
    """

    view: MapView
    learning_rate: float
    trajectory: gdmath.Trajectory
    grad_norm: np.ndarray
    wall: float
    flat: np.ndarray
    dead: np.ndarray

    @property
    def activation(self) -> str:
        """φ's name."""
        return self.view.problem.activation


@dataclass
class LandscapeStudy:
    """Everything the landscapes scene draws, computed once from a config.

    The configured data and window are shown under each activation of the settings, all from
    the configured start for the configured number of steps. The configured activation descends
    with the configured η; the others with `LandscapeSettings.other_rate_fraction` of the
    smallest critical rate 2/λmax over the window (`gdmath.critical_learning_rates`).
    """

    cfg: gdmath.Config
    settings: LandscapeSettings = field(default_factory=LandscapeSettings)
    look: MapLook = field(default_factory=MapLook)

    @property
    def scenario(self) -> gdmath.Scenario:
        """The configured problem."""
        return self.cfg.scenario

    def learning_rate_for(self, problem: gdmath.Problem, surface: gdmath.LossSurface) -> float:
        """η of an activation's panel (see the class docstring)."""
        sc = self.scenario
        if problem.activation == sc.problem.activation:
            return sc.learning_rate
        pts = np.stack([surface.W, surface.B], axis=-1)
        crit = gdmath.critical_learning_rates(problem, pts)
        finite = crit[np.isfinite(crit)]
        if finite.size == 0:
            return sc.learning_rate
        return float(self.settings.other_rate_fraction * finite.min())

    @cached_property
    def panels(self) -> list[ActivationPanel]:
        """One panel per activation, in the settings' order."""
        sc, s = self.scenario, self.settings
        out = []
        for act in s.activations:
            problem = gdmath.Problem(sc.problem.x, sc.problem.y, act, sc.problem.loss_kind)
            view = MapView.build(problem, sc.w_range, sc.b_range, self.look)
            eta = self.learning_rate_for(problem, view.surface)
            traj = gdmath.descend(problem, sc.start, eta, sc.steps, tol=sc.tol)
            gw, gb = problem.gradient(view.surface.W, view.surface.B)
            g = np.hypot(gw, gb)
            wall = float(g.max())
            dead = g == 0.0
            flat = (g < s.flat_fraction * wall) & ~dead
            out.append(ActivationPanel(view, eta, traj, g, wall, flat, dead))
        return out

    @property
    def saturated_panels(self) -> list[int]:
        """Panels whose start is almost flat but not exactly: |∇l| under the flat fraction."""
        f = self.settings.flat_fraction
        return [i for i, p in enumerate(self.panels)
                if 0 < p.trajectory.grad_norm[0] < f * p.wall]

    @property
    def dead_panels(self) -> list[int]:
        """Panels whose start has ∇l exactly 0 (a dead ReLU: the ball never moves)."""
        return [i for i, p in enumerate(self.panels) if p.trajectory.grad_norm[0] == 0.0]

    def phi_tex(self, activation: str) -> str:
        """φ(z) of `activation` as one line of TeX."""
        return dict(self.settings.inline_tex).get(
            activation, gdmath.get_activation(activation).latex)

    @cached_property
    def data_window(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """X and y ranges of the data panel: the data with a margin."""
        x, y = self.scenario.problem.x, self.scenario.problem.y
        px = max(float(np.ptp(x)) * 0.1, 0.1)
        py = max(float(np.ptp(y)) * 0.2, 0.1)
        return ((float(x.min()) - px, float(x.max()) + px),
                (float(y.min()) - py, float(y.max()) + py))

    @property
    def steps(self) -> int:
        """Steps of the longest panel run (the shared step clock runs to it)."""
        return max(p.trajectory.n_steps for p in self.panels)

    # ---------------------------------------------------------------- the ridge
    @cached_property
    def ridge(self) -> gdmath.Scenario:
        """The problem with a ridge (a preset)."""
        return gdmath.get_preset(self.settings.ridge_preset)

    @cached_property
    def ridge_view(self) -> MapView:
        """Its map."""
        r = self.ridge
        return MapView.build(r.problem, r.w_range, r.b_range, self.look)

    @cached_property
    def ridge_paths(self) -> list[gdmath.Trajectory]:
        """The descent from each ridge start, run until |∇l| < ridge_tol."""
        r, s = self.ridge, self.settings
        return [gdmath.descend(r.problem, start, r.learning_rate, s.ridge_steps, tol=s.ridge_tol)
                for start in s.ridge_starts]

    @cached_property
    def ridge_minima(self) -> list[gdmath.Minimum]:
        """The minimum each ridge path ends in (refined from its last point)."""
        return [gdmath.minimum(self.ridge.problem, (t.w[-1], t.b[-1])) for t in self.ridge_paths]


@dataclass
class CurvatureStudy:
    """Everything the curvature scene draws: the path and the Hessian's eigen-directions on it."""

    cfg: gdmath.Config
    settings: CurvatureSettings = field(default_factory=CurvatureSettings)
    look: MapLook = field(default_factory=MapLook)

    @property
    def scenario(self) -> gdmath.Scenario:
        """The configured problem."""
        return self.cfg.scenario

    @property
    def traj(self) -> gdmath.Trajectory:
        """The descent."""
        return self.scenario.trajectory

    @cached_property
    def view(self) -> MapView:
        """The map of the configured window."""
        sc = self.scenario
        return MapView.build(sc.problem, sc.w_range, sc.b_range, self.look)

    @cached_property
    def curvature(self) -> gdmath.CurvatureAlongPath:
        """Eigenvalues, eigenvectors and step components along the path (gdmath)."""
        return gdmath.curvature_along(self.scenario.problem, self.traj)

    @property
    def explained(self) -> int:
        """Steps shown one by one."""
        return min(self.settings.explained_steps, self.traj.n_steps)

    @property
    def chart_steps(self) -> int:
        """Steps in the component chart."""
        return min(self.settings.chart_steps, self.traj.n_steps)

    def semi_axes(self, t: int) -> tuple[float, float]:
        """Scene lengths of the marker's arms at iterate t: (shallow, steep).

        The steep arm has the settings' length; the shallow one is longer by √(λsteep/λshallow)
        (the local level line is an ellipse with these semi-axes), capped. With a curvature that
        is not positive the arm gets the cap.
        """
        s = self.settings
        lam_lo, lam_hi = self.curvature.eigenvalues[t]
        top = max(abs(lam_lo), abs(lam_hi))
        if top == 0:
            return s.max_semi_axis, s.max_semi_axis

        def arm(lam: float) -> float:
            if lam <= 0:
                return s.max_semi_axis
            return float(min(s.steep_semi_axis * np.sqrt(top / lam), s.max_semi_axis))

        return arm(lam_lo), arm(lam_hi)

    @property
    def zig_zags(self) -> bool:
        """Every explained step is mostly along the steep direction and flips side."""
        n = self.explained
        if n == 0:
            return False
        c = self.curvature.step_components[:n, 1]
        return bool((self.curvature.steep_share[:n] > 0.5).all()
                    and (np.sign(c[1:]) == -np.sign(c[:-1])).all())

    def is_bowl(self, t: int) -> bool:
        """The Hessian at iterate t is positive definite (its level line is an ellipse)."""
        return bool(self.curvature.eigenvalues[t, 0] > 0)

    @property
    def critical_rate(self) -> float:
        """2/λmax at the start, where the steps are explained (inf if λmax ≤ 0)."""
        return float(gdmath.critical_learning_rates(self.scenario.problem, self.scenario.start))


@dataclass
class BasinStudy:
    """Everything the basins scene draws: the basin labels of a grid of starts and a few paths."""

    cfg: gdmath.Config
    settings: BasinSettings = field(default_factory=BasinSettings)
    look: MapLook = field(default_factory=MapLook)

    @property
    def scenario(self) -> gdmath.Scenario:
        """The configured problem."""
        return self.cfg.scenario

    @cached_property
    def view(self) -> MapView:
        """The map of the configured window."""
        sc = self.scenario
        return MapView.build(sc.problem, sc.w_range, sc.b_range, self.look)

    @cached_property
    def basins(self) -> gdmath.Basins:
        """`gdmath.basins` on an n × n grid of starts spanning the window, edges included."""
        sc, s = self.scenario, self.settings
        w = np.linspace(*sc.w_range, s.resolution)
        b = np.linspace(*sc.b_range, s.resolution)
        return gdmath.basins(sc.problem, w, b, sc.learning_rate, s.steps, tol=s.tol)

    def node_of(self, start: Point) -> tuple[int, int]:
        """(row, column) of the grid node nearest to `start`."""
        r = self.basins
        return int(np.argmin(np.abs(r.b - start[1]))), int(np.argmin(np.abs(r.w - start[0])))

    @cached_property
    def start_nodes(self) -> list[tuple[int, int]]:
        """Grid nodes of the drawn starts (see `BasinSettings`)."""
        sc, s, r = self.scenario, self.settings, self.basins
        view = self.view
        chosen: list[tuple[int, int]] = []
        for p in (sc.start, *s.extra_starts):
            if view.inside(np.array([p]))[0]:
                node = self.node_of(p)
                if node not in chosen:
                    chosen.append(node)
        nb, nw = r.shape
        m_b, m_w = round(s.start_margin * (nb - 1)), round(s.start_margin * (nw - 1))
        rows, cols = np.mgrid[0:nb, 0:nw]
        interior = (rows >= m_b) & (rows <= nb - 1 - m_b) & (cols >= m_w) & (cols <= nw - 1 - m_w)
        for k in range(len(r.minima)):
            cand = np.flatnonzero(((r.labels == k) & interior).ravel())
            if cand.size == 0:
                continue
            pts = np.column_stack([r.W.ravel()[cand], r.B.ravel()[cand]])
            for _ in range(s.starts_per_basin):
                taken = [(r.w[c], r.b[j]) for j, c in chosen] + [m.point for m in r.minima]
                d = np.min(np.hypot(pts[:, None, 0] - np.array(taken)[None, :, 0],
                                    pts[:, None, 1] - np.array(taken)[None, :, 1]), axis=1)
                i = cand[int(np.argmax(d))]
                chosen.append((int(i // nw), int(i % nw)))
        return chosen

    @property
    def starts(self) -> list[Point]:
        """(w, b) of the drawn starts: grid nodes, so each has a label on the map."""
        r = self.basins
        return [(float(r.w[c]), float(r.b[j])) for j, c in self.start_nodes]

    @cached_property
    def paths(self) -> list[gdmath.Trajectory]:
        """The descent from each drawn start, with the grid's η, steps and tolerance."""
        sc, s = self.scenario, self.settings
        return [gdmath.descend(sc.problem, p, sc.learning_rate, s.steps, tol=s.tol)
                for p in self.starts]

    @property
    def start_labels(self) -> list[int]:
        """The basin label of each drawn start (read off the grid)."""
        return [int(self.basins.labels[j, c]) for j, c in self.start_nodes]

    @property
    def shares(self) -> np.ndarray:
        """Fraction of the grid's starts that reach each minimum."""
        r = self.basins
        return r.counts / r.labels.size

    @property
    def unsettled_share(self) -> float:
        """Fraction of the grid's starts without a label."""
        return float(np.mean(self.basins.labels < 0))

    def region_styles(self, palette: Sequence[str], fill_opacity: float,
                      unsettled_opacity: float) -> dict[int, tuple[str, float]]:
        """Colour and opacity of each label: minimum k in palette colour k, −1 in grey."""
        styles = {k: (palette[k % len(palette)], fill_opacity)
                  for k in range(len(self.basins.minima))}
        styles[-1] = (UNSETTLED_COLOR, unsettled_opacity)
        return styles
