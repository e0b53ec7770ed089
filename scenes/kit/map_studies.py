"""What the lecture map scenes draw, computed by gdmath before anything renders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

import gdmath
from gdmath.basins import basin_outlines
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
        scenario = self.scenario
        if problem.activation == scenario.problem.activation:
            return scenario.learning_rate
        pts = np.stack([surface.W, surface.B], axis=-1)
        crit = gdmath.critical_learning_rates(problem, pts)
        finite = crit[np.isfinite(crit)]
        if finite.size == 0:
            return scenario.learning_rate
        return float(self.settings.other_rate_fraction * finite.min())

    @cached_property
    def panels(self) -> list[ActivationPanel]:
        """One panel per activation, in the settings' order."""
        scenario, settings = self.scenario, self.settings
        out = []
        for act in settings.activations:
            problem = gdmath.Problem(scenario.problem.x, scenario.problem.y, act,
                                     scenario.problem.loss_kind)
            view = MapView.build(problem, scenario.w_range, scenario.b_range, self.look)
            eta = self.learning_rate_for(problem, view.surface)
            traj = gdmath.descend(problem, scenario.start, eta, scenario.steps, tol=scenario.tol)
            gw, gb = problem.gradient(view.surface.W, view.surface.B)
            g = np.hypot(gw, gb)
            wall = float(g.max())
            dead = g == 0.0
            flat = (g < settings.flat_fraction * wall) & ~dead
            out.append(ActivationPanel(view, eta, traj, g, wall, flat, dead))
        return out

    @property
    def saturated_panels(self) -> list[int]:
        """Panels whose start is almost flat but not exactly: |∇l| under the flat fraction."""
        flat_fraction = self.settings.flat_fraction
        return [i for i, panel in enumerate(self.panels)
                if 0 < panel.trajectory.grad_norm[0] < flat_fraction * panel.wall]

    @property
    def dead_panels(self) -> list[int]:
        """Panels whose start has ∇l exactly 0 (a dead ReLU: the ball never moves)."""
        return [i for i, panel in enumerate(self.panels) if panel.trajectory.grad_norm[0] == 0.0]

    def phi_tex(self, activation: str) -> str:
        """φ(z) of `activation` as one line of TeX."""
        return dict(self.settings.inline_tex).get(
            activation, gdmath.get_activation(activation).latex)

    @cached_property
    def data_window(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """X and y ranges of the data panel: the data with a margin."""
        x, y = self.scenario.problem.x, self.scenario.problem.y
        pad_x = max(float(np.ptp(x)) * 0.1, 0.1)
        pad_y = max(float(np.ptp(y)) * 0.2, 0.1)
        return ((float(x.min()) - pad_x, float(x.max()) + pad_x),
                (float(y.min()) - pad_y, float(y.max()) + pad_y))

    @property
    def steps(self) -> int:
        """Steps of the longest panel run (the shared step clock runs to it)."""
        return max(panel.trajectory.n_steps for panel in self.panels)

    # ---------------------------------------------------------------- the ridge
    @cached_property
    def ridge(self) -> gdmath.Scenario:
        """The problem with a ridge (a preset)."""
        return gdmath.get_preset(self.settings.ridge_preset)

    @cached_property
    def ridge_view(self) -> MapView:
        """Its map."""
        ridge = self.ridge
        return MapView.build(ridge.problem, ridge.w_range, ridge.b_range, self.look)

    @cached_property
    def ridge_paths(self) -> list[gdmath.Trajectory]:
        """The descent from each ridge start, run until |∇l| < ridge_tol."""
        ridge, settings = self.ridge, self.settings
        return [gdmath.descend(ridge.problem, start, ridge.learning_rate, settings.ridge_steps,
                               tol=settings.ridge_tol)
                for start in settings.ridge_starts]

    @cached_property
    def ridge_minima(self) -> list[gdmath.Minimum]:
        """The minimum each ridge path ends in (refined from its last point)."""
        return [gdmath.minimum(self.ridge.problem, (path.w[-1], path.b[-1]))
                for path in self.ridge_paths]


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
        scenario = self.scenario
        return MapView.build(scenario.problem, scenario.w_range, scenario.b_range, self.look)

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
        settings = self.settings
        lam_lo, lam_hi = self.curvature.eigenvalues[t]
        top = max(abs(lam_lo), abs(lam_hi))
        if top == 0:
            return settings.max_semi_axis, settings.max_semi_axis

        def arm(lam: float) -> float:
            if lam <= 0:
                return settings.max_semi_axis
            return float(min(settings.steep_semi_axis * np.sqrt(top / lam), settings.max_semi_axis))

        return arm(lam_lo), arm(lam_hi)

    @property
    def zig_zags(self) -> bool:
        """Every explained step is mostly along the steep direction and flips side."""
        n = self.explained
        if n == 0:
            return False
        components = self.curvature.step_components[:n, 1]
        return bool((self.curvature.steep_share[:n] > 0.5).all()
                    and (np.sign(components[1:]) == -np.sign(components[:-1])).all())

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
        scenario = self.scenario
        return MapView.build(scenario.problem, scenario.w_range, scenario.b_range, self.look)

    @cached_property
    def basins(self) -> gdmath.Basins:
        """`gdmath.basins` on an n × n grid of starts spanning the window, edges included."""
        scenario, settings = self.scenario, self.settings
        w = np.linspace(*scenario.w_range, settings.resolution)
        b = np.linspace(*scenario.b_range, settings.resolution)
        return gdmath.basins(scenario.problem, w, b, scenario.learning_rate, settings.steps,
                             tol=settings.tol)

    @cached_property
    def outlines(self) -> dict[int, list[np.ndarray]]:
        """Smooth borders of every label's region, (w, b) rings (`gdmath.basins`)."""
        basins = self.basins
        return basin_outlines(basins.w, basins.b, basins.labels,
                              smoothing=self.settings.border_smoothing)

    def node_of(self, start: Point) -> tuple[int, int]:
        """(row, column) of the grid node nearest to `start`."""
        basins = self.basins
        return (int(np.argmin(np.abs(basins.b - start[1]))),
                int(np.argmin(np.abs(basins.w - start[0]))))

    @cached_property
    def start_nodes(self) -> list[tuple[int, int]]:
        """Grid nodes of the drawn starts (see `BasinSettings`)."""
        scenario, settings, basins = self.scenario, self.settings, self.basins
        view = self.view
        chosen: list[tuple[int, int]] = []
        for start in (scenario.start, *settings.extra_starts):
            if view.inside(np.array([start]))[0]:
                node = self.node_of(start)
                if node not in chosen:
                    chosen.append(node)
        n_rows, n_cols = basins.shape
        m_b, m_w = (round(settings.start_margin * (n_rows - 1)),
                    round(settings.start_margin * (n_cols - 1)))
        rows, cols = np.mgrid[0:n_rows, 0:n_cols]
        interior = ((rows >= m_b) & (rows <= n_rows - 1 - m_b)
                    & (cols >= m_w) & (cols <= n_cols - 1 - m_w))
        for k in range(len(basins.minima)):
            cand = np.flatnonzero(((basins.labels == k) & interior).ravel())
            if cand.size == 0:
                continue
            pts = np.column_stack([basins.W.ravel()[cand], basins.B.ravel()[cand]])
            for _ in range(settings.starts_per_basin):
                taken = ([(basins.w[col], basins.b[j]) for j, col in chosen]
                         + [minimum.point for minimum in basins.minima])
                distance = np.min(np.hypot(pts[:, None, 0] - np.array(taken)[None, :, 0],
                                           pts[:, None, 1] - np.array(taken)[None, :, 1]), axis=1)
                i = cand[int(np.argmax(distance))]
                chosen.append((int(i // n_cols), int(i % n_cols)))
        return chosen

    @property
    def starts(self) -> list[Point]:
        """(w, b) of the drawn starts: grid nodes, so each has a label on the map."""
        basins = self.basins
        return [(float(basins.w[col]), float(basins.b[j])) for j, col in self.start_nodes]

    @cached_property
    def paths(self) -> list[gdmath.Trajectory]:
        """The descent from each drawn start, with the grid's η, steps and tolerance."""
        scenario, settings = self.scenario, self.settings
        return [gdmath.descend(scenario.problem, start, scenario.learning_rate, settings.steps,
                               tol=settings.tol)
                for start in self.starts]

    @property
    def start_labels(self) -> list[int]:
        """The basin label of each drawn start (read off the grid)."""
        return [int(self.basins.labels[j, col]) for j, col in self.start_nodes]

    @property
    def shares(self) -> np.ndarray:
        """Fraction of the grid's starts that reach each minimum."""
        basins = self.basins
        return basins.counts / basins.labels.size

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
