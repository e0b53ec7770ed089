"""Shared machinery of the lecture map scenes: landscapes, curvature and basins.

The three scene files (``scenes/landscapes.py``, ``scenes/curvature.py``, ``scenes/basins.py``)
each define one scene; what they share lives here:

* `lecture_config`: the config from the environment (``GDVIZ_CONFIG``, ``GDVIZ_PRESET``,
  ``GDVIZ_LANG``) with a per-scene default preset when neither names a problem;
* the tunables, in frozen dataclasses (`MapLook` for every scene, then one per scene);
* the stages (`LandscapeStage`, `CurvatureStage`, `BasinStage`): every number a scene draws,
  computed by gdmath before anything renders; nothing below evaluates the loss itself;
* layout on the frame of `scenes.theme` (`split_frame`, `map_axes`), with one screen length per
  unit of w and of b on every map, so that right angles and eigen-directions are true;
* small map mobjects (`cell_regions`, `map_ball`, `start_cross`, ...) and path progress helpers;
* `LectureMapScene`: the base scene, which plays exactly its `Plan` of beats.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Circle,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    Mobject,
    Scene,
    VGroup,
    VMobject,
)

import gdmath
from scenes.labels import make_text
from scenes.layout import Box
from scenes.lecture_maps_labels import MapLabels, map_labels_for
from scenes.mobjects import BoxAxes2D, ContourSet, scene_points
from scenes.story import Plan, PlanPlayer, load_config
from scenes.theme import Theme, current_frame, use_theme

__all__ = [
    "BASIN_PALETTES",
    "UNSETTLED_COLOR",
    "BasinSettings",
    "BasinStage",
    "Box",
    "CurvatureSettings",
    "CurvatureStage",
    "EigenMarker",
    "LandscapeSettings",
    "LandscapeStage",
    "LectureMapScene",
    "MapLook",
    "MapView",
    "arc_progress",
    "basin_palette",
    "cell_regions",
    "cell_runs",
    "hex_rgb",
    "lecture_config",
    "map_axes",
    "map_ball",
    "minimum_ring",
    "polyline_until",
    "split_frame",
    "start_cross",
]

RGB = tuple[float, float, float]
Point = tuple[float, float]


# --------------------------------------------------------------------------- config
def lecture_config(default_preset: str, environ: Mapping[str, str] | None = None) -> gdmath.Config:
    """The config the scene renders, with `default_preset` when none is chosen.

    ``GDVIZ_CONFIG`` (a TOML file) or ``GDVIZ_PRESET`` (a preset name) choose the problem as for
    every gdviz scene; when neither is set, `default_preset` is used. ``GDVIZ_LANG`` sets the
    language. A bad config stops the program with its message only (no traceback).
    """
    return load_config(default_preset, environ)


# --------------------------------------------------------------------------- tunables
@dataclass(frozen=True)
class MapLook:
    """Sizes shared by the lecture map scenes.

    Lengths in scene units (the frame is 8 units high), stroke widths in pixels at 1080p, font
    sizes in points.
    """

    edge_buff: float = 0.3
    caption_height: float = 0.75
    region_gap: float = 0.45
    title_font: float = 40
    caption_font: float = 30
    label_font: float = 30
    small_font: float = 22
    readout_font: float = 26
    contour_width: float = 1.6
    contour_levels: int = 12
    contour_resolution: int = 161
    # The colour scale and the top contour stop at this quantile of the view (the corners are
    # much higher than the valley).
    loss_quantile: float = 0.9
    contour_color_floor: float = 0.35
    axes_width: float = 2.0
    trail_width: float = 4.0
    ball_radius: float = 0.085
    ball_outline: float = 2.5
    cross_half_width: float = 0.11
    cross_width: float = 5.0
    minimum_radius: float = 0.17
    minimum_width: float = 4.0
    arrow_width: float = 4.0
    swatch_side: float = 0.28
    row_gap: float = 0.22
    text_outline: float = 4.0
    highlight_buff: float = 0.08
    highlight_width: float = 4.0


@dataclass(frozen=True)
class LandscapeDurations:
    """Seconds of each beat of the landscapes scene."""

    maps: float = 2.5
    maps_hold: float = 0.5
    shading: float = 2.0
    shading_hold: float = 1.5
    roll: float = 10.0
    roll_hold: float = 0.5
    saturated: float = 1.2
    saturated_hold: float = 2.3
    dead: float = 1.2
    dead_hold: float = 2.3
    clear: float = 0.7
    ridge_map: float = 1.3
    ridge_roll: float = 7.0
    ridge_minima: float = 1.2
    ridge_hold: float = 2.8


@dataclass(frozen=True)
class LandscapeSettings:
    """Tunables of the landscapes scene (``scenes/landscapes.py``)."""

    durations: LandscapeDurations = field(default_factory=LandscapeDurations)
    activations: tuple[str, ...] = ("identity", "sigmoid", "tanh", "relu")
    # φ(z) in one line of TeX for the panel titles (gdmath's `Activation.latex` otherwise).
    inline_tex: tuple[tuple[str, str], ...] = (("sigmoid", r"1/(1+e^{-z})"),)
    # A cell is "almost flat" where |∇l| is under this fraction of the largest |∇l| in the view.
    flat_fraction: float = 0.01
    # Activations other than the configured one descend with this fraction of the smallest
    # critical rate 2/λmax over the view, so that no step in the window can blow up.
    other_rate_fraction: float = 0.5
    shade_opacity: float = 0.5
    # Share of the frame's width (landscape) or height (portrait) kept for the legend column.
    side_share: float = 0.34
    panel_title_height: float = 0.4
    panel_readout_height: float = 0.38
    panel_gap: float = 0.22
    # Free space around each small map (left, right, bottom, top): ``b`` sits left of its axis.
    panel_margins: tuple[float, float, float, float] = (0.3, 0.3, 0.12, 0.05)
    data_width: float = 2.6
    data_height: float = 1.5
    data_dot_radius: float = 0.04
    # The ridge: a second problem with two starts on either side of a ridge.
    ridge_preset: str = "two-basins"
    ridge_starts: tuple[Point, ...] = ((3.0, -2.5), (2.5, 0.5))
    ridge_steps: int = 4000
    ridge_tol: float = 1e-6


@dataclass(frozen=True)
class CurvatureDurations:
    """Seconds of each beat of the curvature scene."""

    map: float = 2.0
    map_hold: float = 0.5
    hessian: float = 2.0
    hessian_hold: float = 2.0
    explained_step: float = 1.6
    rest: float = 3.0
    rest_hold: float = 1.0
    limit: float = 2.0
    limit_hold: float = 3.5


@dataclass(frozen=True)
class CurvatureSettings:
    """Tunables of the curvature scene (``scenes/curvature.py``)."""

    durations: CurvatureDurations = field(default_factory=CurvatureDurations)
    explained_steps: int = 6
    chart_steps: int = 12
    # The local level-line ellipse at the ball: its semi-axis along the steep direction (scene
    # units); the shallow one is longer by √(λsteep/λshallow), up to `max_semi_axis`.
    steep_semi_axis: float = 0.32
    max_semi_axis: float = 1.25
    ellipse_width: float = 3.0
    cross_width: float = 7.0
    side_share: float = 0.36
    chart_height: float = 2.2
    chart_bar_width: float = 0.32
    step_arrow_tip: float = 0.2
    arrow_width: float = 3.0
    old_arrow_opacity: float = 0.4


@dataclass(frozen=True)
class BasinDurations:
    """Seconds of each beat of the basins scene."""

    map: float = 2.0
    map_hold: float = 0.5
    starts: float = 1.0
    roll: float = 6.0
    roll_hold: float = 1.0
    colour: float = 2.5
    colour_hold: float = 1.5
    legend: float = 1.5
    legend_hold: float = 2.5
    closing: float = 1.5
    closing_hold: float = 3.0


@dataclass(frozen=True)
class BasinSettings:
    """Tunables of the basins scene (``scenes/basins.py``)."""

    durations: BasinDurations = field(default_factory=BasinDurations)
    # Starts per side of the grid; with the two-basins view the preset's starts are grid nodes.
    resolution: int = 131
    steps: int = 4000
    tol: float = 1e-6
    # Starts drawn with their trajectory: the configured start, these (when in the view), then
    # `starts_per_basin` more per basin, spread out (farthest first), away from the edges.
    extra_starts: tuple[Point, ...] = ((2.5, 0.5),)
    starts_per_basin: int = 2
    start_margin: float = 0.12
    fill_opacity: float = 0.55
    unsettled_opacity: float = 0.35
    contour_opacity: float = 0.55
    side_share: float = 0.34


# Categorical colours for minima (index k colours minimum k). On the dark theme Okabe–Ito, which
# colour-blind viewers tell apart; on the light theme darker shades of the same hues, so that
# lines and labels keep a contrast of at least 3:1 against the page (tested).
BASIN_PALETTES: dict[str, tuple[str, ...]] = {
    "dark": ("#e69f00", "#56b4e9", "#009e73", "#cc79a7", "#0072b2", "#d55e00", "#f0e442"),
    "light": ("#b86e00", "#1f77b4", "#00795a", "#a8457f", "#00578a", "#b34700", "#7a6f00"),
}
UNSETTLED_COLOR = "#8c8c8c"


def basin_palette(theme: Theme) -> tuple[str, ...]:
    """The categorical colours of the minima for `theme`."""
    return BASIN_PALETTES.get(theme.name, BASIN_PALETTES["dark"])


def hex_rgb(color: str) -> RGB:
    """``"#rrggbb"`` as three floats in [0, 1]."""
    c = color.lstrip("#")
    return (int(c[0:2], 16) / 255, int(c[2:4], 16) / 255, int(c[4:6], 16) / 255)


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
class LandscapeStage:
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
class CurvatureStage:
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
class BasinStage:
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


# --------------------------------------------------------------------------- layout
def split_frame(look: MapLook, side_share: float) -> tuple[Box, Box]:
    """The frame under the caption, split into a main region (maps) and a side region (text).

    On a landscape frame the side region is a column on the right, `side_share` of the width;
    on a square or portrait frame it is a band at the bottom, `side_share` of the height.
    """
    f = current_frame()
    b = look.edge_buff
    left, right = -f.width / 2 + b, f.width / 2 - b
    bottom, top = -f.height / 2 + b, f.height / 2 - b - look.caption_height
    g = look.region_gap
    if f.orientation == "landscape":
        split = right - side_share * (right - left)
        return Box(left, split - g / 2, bottom, top), Box(split + g / 2, right, bottom, top)
    split = bottom + side_share * (top - bottom)
    return Box(left, right, split + g / 2, top), Box(left, right, bottom, split - g / 2)


def nice_step(span: float, target: int = 5) -> float:
    """A 1-2-5 tick step giving about `target` ticks over `span`."""
    raw = span / target
    mag = 10 ** np.floor(np.log10(raw))
    for m in (1.0, 2.0, 5.0, 10.0):
        if raw <= m * mag:
            return float(m * mag)
    return float(10 * mag)


def map_axes(w_range: tuple[float, float], b_range: tuple[float, float], box: Box,
             color: str, stroke_width: float,
             margins: tuple[float, float, float, float] = (0.12, 0.35, 0.12, 0.4)) -> BoxAxes2D:
    """W and b axes with one screen length per unit of each, as large as fits in `box`, centred.

    `margins` (left, right, bottom, top) are kept free inside `box` for the tick marks (left and
    bottom) and the axis names (``w`` right of the w axis, ``b`` above the b axis).
    """
    (w0, w1), (b0, b1) = w_range, b_range
    ml, mr, mb, mt = margins
    inner = Box(box.left + ml, box.right - mr, box.bottom + mb, box.top - mt)
    unit = min(inner.width / (w1 - w0), inner.height / (b1 - b0))
    axes = BoxAxes2D(x_range=(w0, w1, nice_step(w1 - w0)), y_range=(b0, b1, nice_step(b1 - b0)),
                     x_length=unit * (w1 - w0), y_length=unit * (b1 - b0), tips=False,
                     axis_config={"color": color, "stroke_width": stroke_width})
    # Manim's Axes leave out the tick at 0, where stock axes cross; box axes cross elsewhere.
    for axis, (lo, hi) in zip(axes.get_axes(), (w_range, b_range), strict=True):
        if lo < 0 < hi:
            axis.ticks.add(axis.get_tick(0.0))
    axes.shift(inner.center - scene_points(axes, (w0 + w1) / 2, (b0 + b1) / 2))
    return axes


def fit_into(mob: Mobject, box: Box, *, align_top: bool = True) -> Mobject:
    """Shrink `mob` (never grow it) to fit `box`, centred horizontally, at its top or centre."""
    factor = min(1.0, box.width / mob.width if mob.width > 0 else 1.0,
                 box.height / mob.height if mob.height > 0 else 1.0)
    if factor < 1.0:
        mob.scale(factor)
    mob.move_to(box.center)
    if align_top:
        mob.shift(UP * (box.top - mob.get_top()[1]))
    return mob


# --------------------------------------------------------------------------- map mobjects
def map_contours(axes: BoxAxes2D, view: MapView, theme: Theme, look: MapLook) -> ContourSet:
    """The level lines of `view`, coloured by height with the theme's colour map."""
    return ContourSet(axes, view.levels, view.l_range, [hex_rgb(c) for c in theme.surface],
                      look.contour_width, at_height=False, color_floor=look.contour_color_floor)


def axis_names(axes: BoxAxes2D, color: str, font_size: float, b_side: np.ndarray = UP) -> VGroup:
    """``w`` right of the end of the w axis and ``b`` at the end of the b axis (above or left)."""
    x_axis, y_axis = axes.get_axes()
    w = MathTex("w", color=color, font_size=font_size).next_to(x_axis.get_end(), RIGHT, buff=0.1)
    b = MathTex("b", color=color, font_size=font_size).next_to(y_axis.get_end(), b_side, buff=0.1)
    return VGroup(w, b)


def cell_runs(labels: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Maximal runs of equal values along each row of a grid: (row, first, last, value)."""
    out = []
    for j, row in enumerate(np.asarray(labels)):
        cut = np.flatnonzero(np.diff(row)) + 1
        for lo, hi in zip(np.r_[0, cut], np.r_[cut, row.size], strict=True):
            out.append((j, int(lo), int(hi - 1), int(row[lo])))
    return out


def cell_regions(axes: BoxAxes2D, labels: np.ndarray, w: np.ndarray, b: np.ndarray,
                 styles: Mapping[int, tuple[str, float]]) -> VGroup:
    """Grid cells filled by value: one vector shape per value, crisp at any resolution.

    Node (j, i) of a grid spanning the window edge to edge owns the cell of points nearer to it
    than to any other node (half a spacing each way, clipped at the window's border), so each
    start's colour sits on the start itself. A value's cells are one `VMobject` whose subpaths are
    the row runs of that value; Cairo fills them in one pass, with no seams between rows.

    Parameters
    ----------
    axes : BoxAxes2D
        The map's axes.
    labels : ndarray of int, shape (nb, nw)
        One value per node; rows follow b upwards, columns w (as `gdmath.Basins.labels`).
    w, b : ndarray, shapes (nw,) and (nb,)
        The grid's node coordinates, evenly spaced, the ends on the window's border.
    styles : mapping of int to (colour, fill opacity)
        Values to draw; others are left empty.

    Returns
    -------
    VGroup
        One child per drawn value, in the order of `styles`, each with a ``value`` attribute.
    """
    w = np.asarray(w, dtype=float)
    b = np.asarray(b, dtype=float)
    w_edges = np.r_[w[0], (w[:-1] + w[1:]) / 2, w[-1]]
    b_edges = np.r_[b[0], (b[:-1] + b[1:]) / 2, b[-1]]
    runs = cell_runs(labels)
    shapes = VGroup()
    for value, (color, opacity) in styles.items():
        mine = [(j, lo, hi) for j, lo, hi, v in runs if v == value]
        shape = VMobject(stroke_width=0, fill_color=color, fill_opacity=opacity)
        if mine:
            j, lo, hi = (np.array(c) for c in zip(*mine, strict=True))
            x0, x1, y0, y1 = w_edges[lo], w_edges[hi + 1], b_edges[j], b_edges[j + 1]
            # Each run is a closed rectangle of four straight cubic pieces (16 points).
            corners = np.stack([np.stack([x0, y0], -1), np.stack([x1, y0], -1),
                                np.stack([x1, y1], -1), np.stack([x0, y1], -1),
                                np.stack([x0, y0], -1)], axis=1)            # (m, 5, 2)
            start, stop = corners[:, :-1], corners[:, 1:]
            f = np.array([0.0, 1 / 3, 2 / 3, 1.0])[None, None, :, None]
            pts = start[:, :, None] + f * (stop - start)[:, :, None]     # (m, 4, 4, 2)
            flat = pts.reshape(-1, 2)
            shape.points = scene_points(axes, flat[:, 0], flat[:, 1])
        shape.value = value
        shapes.add(shape)
    return shapes


def map_ball(point: np.ndarray, look: MapLook, color: str, outline: str) -> Dot:
    """The ball on a map: a disc with an outline in the background colour."""
    ball = Dot(point, radius=look.ball_radius, color=color)
    ball.set_stroke(outline, width=look.ball_outline, background=False)
    return ball


def minimum_ring(point: np.ndarray, look: MapLook, color: str) -> Circle:
    """A ring around a minimum, wide enough to show around a ball resting in it."""
    return Circle(radius=look.minimum_radius, color=color,
                  stroke_width=look.minimum_width).move_to(point)


class EigenMarker(VGroup):
    """The Hessian's eigen-directions at a point of the map: two arms and the local ellipse.

    The arms lie along gdmath's eigenvectors; their lengths are the semi-axes of the local
    level line (an ellipse where the Hessian is positive definite, drawn only there). Everything
    is placed through the axes (`scene_points`) from (w, b) values, so the drawn directions are
    gdmath's on a map with equal units.

    Attributes
    ----------
    shallow, steep : Line
        The arms along the eigenvector of the smaller and of the larger eigenvalue.
    ellipse : VMobject
        The local level line.
    """

    def __init__(self, shallow_color: str, steep_color: str, ellipse_color: str,
                 arm_width: float, ellipse_width: float) -> None:
        self.shallow = Line(ORIGIN, RIGHT, color=shallow_color, stroke_width=arm_width)
        self.steep = Line(ORIGIN, UP, color=steep_color, stroke_width=arm_width)
        self.ellipse = VMobject(stroke_color=ellipse_color, stroke_width=ellipse_width)
        super().__init__(self.ellipse, self.shallow, self.steep)

    def set_state(self, axes: BoxAxes2D, center: Point, vectors: np.ndarray,
                  semi_axes: tuple[float, float], bowl: bool, samples: int = 73) -> EigenMarker:
        """Place the marker at `center` (w, b).

        Parameters
        ----------
        axes : BoxAxes2D
            The map's axes (equal screen length per unit of w and b).
        center : (float, float)
            (w, b) of the ball.
        vectors : ndarray, shape (2, 2)
            Unit eigenvectors in the columns, shallow then steep (`gdmath.hessian_eigen`).
        semi_axes : (float, float)
            Screen lengths of the shallow and steep arms.
        bowl : bool
            Draw the ellipse (the Hessian is positive definite).
        samples : int
            Points on the ellipse.
        """
        w, b = center
        unit = float(np.linalg.norm(scene_points(axes, 1.0, 0.0) - scene_points(axes, 0.0, 0.0)))
        ends = []
        for i in range(2):
            d = np.asarray(vectors)[:, i] * semi_axes[i] / unit
            ends.append(scene_points(axes, [w - d[0], w + d[0]], [b - d[1], b + d[1]]))
        self.shallow.put_start_and_end_on(*ends[0])
        self.steep.put_start_and_end_on(*ends[1])
        if bowl:
            t = np.linspace(0.0, 2 * np.pi, samples)
            v = np.asarray(vectors)
            pw = (w + semi_axes[0] / unit * np.cos(t) * v[0, 0]
                  + semi_axes[1] / unit * np.sin(t) * v[0, 1])
            pb = (b + semi_axes[0] / unit * np.cos(t) * v[1, 0]
                  + semi_axes[1] / unit * np.sin(t) * v[1, 1])
            self.ellipse.set_points_as_corners(scene_points(axes, pw, pb))
        else:
            set_polyline(self.ellipse, scene_points(axes, [w], [b]))
        return self


def start_cross(point: np.ndarray, look: MapLook, color: str) -> VGroup:
    """The ✕ that marks a start (screen-sized, centred on `point`)."""
    h = look.cross_half_width
    return VGroup(Line(point + np.array([-h, -h, 0]), point + np.array([h, h, 0])),
                  Line(point + np.array([-h, h, 0]), point + np.array([h, -h, 0]))).set_stroke(
        color, width=look.cross_width)


def polyline(points: np.ndarray, color: str, width: float) -> VMobject:
    """An open polyline through scene points."""
    line = VMobject(stroke_color=color, stroke_width=width)
    set_polyline(line, points)
    return line


def set_polyline(line: VMobject, points: np.ndarray) -> VMobject:
    """Set `line`'s points (a single point is drawn as nothing)."""
    pts = np.asarray(points, dtype=float)
    if len(pts) >= 2:
        line.set_points_as_corners(pts)
    else:
        line.set_points_as_corners(np.repeat(pts[:1], 2, axis=0))
    return line


def polyline_until(points: np.ndarray, s: float) -> np.ndarray:
    """The polyline through `points` up to fractional index `s` (the last piece partial).

    Parameters
    ----------
    points : ndarray, shape (k + 1, d)
        Iterates (in any coordinates).
    s : float
        How far along: 2.5 is halfway through the step from point 2 to point 3.

    Returns
    -------
    ndarray, shape (m, d)
        At least one point; the last is where the ball is at `s`.
    """
    n = len(points) - 1
    s = float(np.clip(s, 0.0, n))
    i = int(np.floor(s))
    out = points[: i + 1]
    if i < n and s > i:
        f = s - i
        out = np.vstack([out, points[i] + f * (points[i + 1] - points[i])])
    return out


def arc_progress(points: np.ndarray, u: float) -> float:
    """The fractional index at which a constant-speed walk along `points` has gone `u` ∈ [0, 1].

    A path of zero length (a dead ReLU) advances by step count instead.
    """
    n = len(points) - 1
    if n <= 0:
        return 0.0
    seg = np.linalg.norm(np.diff(points, axis=0), axis=1)
    total = float(seg.sum())
    u = float(np.clip(u, 0.0, 1.0))
    if total <= 0:
        return u * n
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    target = u * total
    i = int(np.clip(np.searchsorted(cum, target, side="right") - 1, 0, n - 1))
    f = 0.0 if seg[i] == 0 else (target - cum[i]) / seg[i]
    return float(min(i + np.clip(f, 0.0, 1.0), n))


# --------------------------------------------------------------------------- the scene
class LectureMapScene(PlanPlayer, Scene):
    """Base of the lecture map scenes: config, theme, labels, stage and a plan of beats.

    A subclass sets `default_preset`, builds its stage in `make_stage` and its beats in
    `make_plan`; its step methods play them with `beat` and `hold`, and `construct` ends with
    `check_plan`. `planned_plan` gives the same plan without rendering (the render tests compare
    the video's duration with it).
    """

    default_preset: ClassVar[str] = "bowl"
    look: ClassVar[MapLook] = MapLook()

    stage: Any
    plan: Plan
    theme: Theme
    labels: MapLabels

    @classmethod
    def make_stage(cls, cfg: gdmath.Config) -> Any:
        """The scene's stage for `cfg` (subclasses)."""
        raise NotImplementedError

    @classmethod
    def make_plan(cls, stage: Any) -> Plan:
        """The scene's beats for `stage` (subclasses)."""
        raise NotImplementedError

    @classmethod
    def planned_plan(cls) -> Plan:
        """The plan this scene plays with the current environment's config."""
        return cls.make_plan(cls.make_stage(lecture_config(cls.default_preset)))

    def setup(self) -> None:
        """Theme, config (a bad one stops here, before anything renders), stage and plan."""
        self.theme = use_theme(self)
        cfg = lecture_config(self.default_preset)
        self.language = cfg.language
        self.labels = map_labels_for(cfg.language)
        self.stage = self.make_stage(cfg)
        self.plan = self.make_plan(self.stage)
        self._next_beat = 0
        self.current_caption: Mobject | None = None

    # ---------------------------------------------------------------- text
    def text(self, s: str, size: float, color: str | None = None) -> Mobject:
        """Prose in the configured language (Noto Sans CJK JP for Japanese)."""
        return make_text(s, self.language, size, color or self.theme.text)

    def tex(self, s: str, size: float, color: str | None = None) -> MathTex:
        """Mathematics in TeX."""
        return MathTex(s, font_size=size, color=color or self.theme.text)

    def outline(self, mob: Mobject) -> Mobject:
        """A background-coloured outline behind text, so it stays legible over lines."""
        mob.set_stroke(self.theme.background, width=self.look.text_outline, background=True)
        return mob

    def caption(self, s: str, size: float | None = None) -> Mobject:
        """A caption centred at the top of the frame, no wider than the frame."""
        cap = self.text(s, size or self.look.caption_font)
        max_w = current_frame().width - 2 * self.look.edge_buff
        if cap.width > max_w:
            cap.scale_to_fit_width(max_w)
        cap.move_to(np.array([0.0, current_frame().height / 2 - self.look.edge_buff
                              - self.look.caption_height / 2, 0.0]))
        return cap

    def set_caption(self, s: str, size: float | None = None) -> Mobject:
        """Show a caption at once (the first frame is never blank)."""
        cap = self.caption(s, size)
        self.add(cap)
        self.current_caption = cap
        return cap

    def swap_caption(self, s: str) -> list[object]:
        """Animations that replace the current caption."""
        new = self.caption(s)
        anims: list[object] = [FadeIn(new, shift=DOWN * 0.1)]
        if self.current_caption is not None:
            anims.append(FadeOut(self.current_caption))
        self.current_caption = new
        return anims

    def swatch_row(self, color: str, opacity: float, label: Mobject) -> VGroup:
        """A colour square followed by `label` (a legend row)."""
        from manim import Square

        sq = Square(side_length=self.look.swatch_side, stroke_color=self.theme.muted,
                    stroke_width=1.5, fill_color=color, fill_opacity=opacity)
        return VGroup(sq, label).arrange(RIGHT, buff=0.18)

    def column(self, *rows: Mobject, buff: float | None = None) -> VGroup:
        """Rows stacked downwards, left-aligned."""
        return VGroup(*rows).arrange(DOWN, aligned_edge=LEFT,
                                     buff=self.look.row_gap if buff is None else buff)
