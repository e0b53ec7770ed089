"""Shared machinery of the lecture scenes: learning rates, optimizers, gradient flow and SGD.

Three layers, top to bottom:

* **Tunables** (`LECTURE`): one frozen dataclass per scene with its durations, η choices, sizes
  and colours, plus the shared map style. The step methods of the scenes contain no numbers.
* **Studies**: what each scene shows, computed by gdmath before anything is drawn
  (`learning_rate_study`, `optimizer_race`, `flow_study`, `sgd_study`). The tests in
  ``tests/test_lecture_a.py`` check the claims of the videos on exactly these objects.
* **Drawing**: equal-scale map axes, a trajectory drawn on a map (`PathOnMap`) or on the 3D
  valley (`PathOnValley`), and the base scenes (`LectureMapScene`, `LectureValleyScene`) that read
  the config, apply the theme and play a planned list of beats (`scenes.story.Plan`), so that the
  render tests know each video's duration before it renders.

Each scene reads the usual ``GDVIZ_PRESET`` / ``GDVIZ_CONFIG`` / ``GDVIZ_LANG``; with neither of
the first two set it falls back to its own default (`lecture_config`), not gdmath's global one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Dot,
    Line,
    ManimColor,
    MathTex,
    Mobject,
    Scene,
    VGroup,
    smooth,
)

import gdmath
from scenes.fastmesh import FastThreeDScene
from scenes.labels import make_text
from scenes.lecture_labels import LectureLabels, lecture_labels_for
from scenes.mobjects import (
    BoxAxes2D,
    ContourSet,
    StartCross,
    SurfacePath,
    lifted_centers,
    make_ball,
    scene_points,
)
from scenes.settings import RGB
from scenes.story import Plan, PlanPlayer, Stage, load_config
from scenes.theme import Theme, current_frame, use_theme

__all__ = [
    "LECTURE",
    "FlowRun",
    "FlowSettings",
    "FlowStudy",
    "LearningRateSettings",
    "LearningRateStudy",
    "LectureMapScene",
    "LectureSettings",
    "LectureValleyScene",
    "MapStyle",
    "OptimizerSettings",
    "PathOnMap",
    "PathOnValley",
    "RaceRun",
    "Racer",
    "RegimeRun",
    "SGDSettings",
    "SGDStudy",
    "Series",
    "eased_steps",
    "fit_below",
    "flow_run",
    "flow_study",
    "grid_for_frame",
    "learning_rate_study",
    "lecture_config",
    "load_lecture_config",
    "log_loss_ratio",
    "map_axes",
    "optimizer_race",
    "overshoot_share",
    "path_distances",
    "racer_learning_rate",
    "regime_outcome",
    "segment_samples",
    "sgd_study",
    "surface_samples",
    "surface_stops",
    "tick_step",
    "window_mask",
]


# =========================================================================== tunables
@dataclass(frozen=True)
class Series:
    """Colours for several runs drawn together, per theme (each ≥ 3:1 against its background)."""

    dark: tuple[str, ...] = ("#ffd43b", "#ff6b6b", "#74c0fc", "#b197fc", "#69db7c")
    light: tuple[str, ...] = ("#b35c00", "#c92a2a", "#1864ab", "#7048e8", "#2b8a3e")

    def for_theme(self, theme: Theme) -> tuple[str, ...]:
        """The colours of `theme` (``dark`` or ``light``)."""
        return self.light if theme.name == "light" else self.dark


@dataclass(frozen=True)
class MapStyle:
    """How maps, paths and text look in every lecture scene (lengths in scene units)."""

    contour_width: float = 1.6
    trail_width: float = 3.5
    ball_radius: float = 0.075
    cross_half_width: float = 0.12
    cross_width: float = 4.0
    samples_per_step: int = 12
    trail_chunk: int = 48
    contour_color_floor: float = 0.35
    title_font: float = 36
    subtitle_font: float = 24
    label_font: float = 24
    small_font: float = 20
    tex_font: float = 30
    axis_label_font: float = 26
    edge_buff: float = 0.3
    gap: float = 0.3
    text_outline: float = 5.0
    dim_opacity: float = 0.25
    # Once a diverging ball has left the window it fades out over this many steps.
    exit_fade_steps: float = 0.6
    # The loss curves show log10(l / l_floor), clipped below at this many decades under l₀.
    log_decades: float = 4.0
    loss_curve_height: float = 1.2
    loss_stroke: float = 3.0
    loss_dot_radius: float = 0.05


@dataclass(frozen=True)
class LearningRateSettings:
    """`scenes/learning_rates.py`: four step sizes on the same valley, side by side.

    η is given as a fraction of η_crit = 2/λmax (λmax: largest Hessian eigenvalue at the
    minimum), so the four regimes keep their meaning on any convex preset.
    """

    preset: str = "bowl"
    regimes: tuple[str, ...] = ("crawl", "glide", "zigzag", "diverge")
    fractions: tuple[float, ...] = (0.02, 0.3, 0.95, 1.1)
    # Index into `Series` of each regime's colour.
    colors: tuple[int, ...] = (2, 4, 3, 1)
    steps: int = 40
    # The runs are also followed this long to say how they end (converged, diverged).
    follow_steps: int = 3000
    follow_tol: float = 1e-8
    # How `regime_outcome` judges a run: a crawl still has this share of its start's excess
    # loss after `steps`; a zig-zag crosses the valley floor on this share of its steps.
    crawl_share: float = 0.01
    zigzag_share: float = 0.9
    # Further claims checked by the tests: the crawl ends above this many times the floor's
    # loss, the good run within this factor of it.
    crawl_loss_factor: float = 10.0
    glide_loss_factor: float = 1.05
    title: float = 1.5
    title_hold: float = 0.8
    critical: float = 2.0
    critical_hold: float = 1.5
    panels: float = 2.0
    run: float = 14.0
    run_hold: float = 0.8
    verdicts: float = 1.5
    verdict_hold: float = 2.0
    closing: float = 1.5
    closing_hold: float = 2.5


@dataclass(frozen=True)
class Racer:
    """One optimizer of the race and its step size.

    ``per="critical"``: η = `learning_rate` × η_crit (gradient-scaled rules: GD, momentum,
    Nesterov). ``per="view"``: η = `learning_rate` × the longer side of the (w, b) view (RMSProp
    and Adam step about η per coordinate whatever the gradient, so their η is a length).
    """

    optimizer: str
    learning_rate: float
    per: Literal["critical", "view"] = "critical"


@dataclass(frozen=True)
class OptimizerSettings:
    """`scenes/optimizers.py`: five optimizers racing on the 3D valley, then on the map.

    The default start lies at the far end of the bowl's valley: there the gradient points across
    the valley at about 18° from the w axis while the sign route of Adam runs at 45°, so the two
    routes part visibly. (From the preset's own start, on the valley's steep axis, the gradient
    is within 5° of the diagonal and all five routes coincide.)
    """

    default_config: Mapping[str, Any] = field(default_factory=lambda: {
        "preset": "bowl",
        "descent": {"start": [-0.8, 0.9]},
        "view": {"w_range": [-1.0, 4.0], "b_range": [-2.5, 2.0]},
    })
    racers: tuple[Racer, ...] = (
        Racer("gd", 0.3),
        Racer("momentum", 0.1),
        Racer("nesterov", 0.1),
        Racer("rmsprop", 0.004, "view"),
        Racer("adam", 0.02, "view"),
    )
    steps: int = 60
    # Adam's first `sign_steps` steps move each coordinate by η within this relative tolerance.
    sign_steps: int = 2
    sign_tolerance: float = 0.05
    # Momentum passes the minimum along the valley by more than this share of its start's
    # distance along it (the claim of tests/test_optimizers.py, at the scene's η).
    overshoot_share: float = 0.25
    samples_per_step: int = 20
    trail_chunk: int = 8
    ball_radius: float = 0.1
    trail_width: float = 3.5
    orbit_sweep: float = -30.0
    # Width of the valley on screen at the 3D camera's zoom: narrower frames zoom out to it.
    valley_width: float = 8.0
    legend_share: float = 0.22
    # The top view fills this share of the space left by title, legend and caption.
    map_fill: float = 0.95
    caption_room: float = 0.55
    guide_length: float = 2.2
    # The close-up of Adam's first steps: how many iterates it frames, how much it fills.
    sign_frame_steps: int = 8
    sign_fill: float = 0.8
    mark_dash: float = 0.15  # on screen
    mark_tip: float = 0.25
    title: float = 1.5
    title_hold: float = 0.5
    valley: float = 2.0
    start: float = 1.0
    race: float = 13.0
    race_hold: float = 0.8
    overshoot: float = 1.5
    overshoot_hold: float = 2.0
    rise: float = 3.0
    map_hold: float = 0.5
    sign_route: float = 1.5
    sign_route_hold: float = 2.5
    closing: float = 2.0
    closing_hold: float = 2.0


@dataclass(frozen=True)
class FlowSettings:
    """`scenes/flow.py`: the gradient flow and GD steps for a large and a small η on top.

    Both runs cover the same flow time ``horizon × η_crit``: ``round(T / η)`` steps each.
    """

    preset: str = "bowl"
    large: float = 0.85
    small: float = 0.1
    horizon: float = 20.0
    flow_points: int = 400
    # Steps the scene also measures (tests: the gap shrinks along this ladder of η).
    ladder: tuple[float, ...] = (0.85, 0.6, 0.4, 0.2, 0.1, 0.05)
    map_side: float = 5.6
    step_dot_radius: float = 0.04
    flow_width: float = 3.0
    trail_share: float = 0.6
    title: float = 1.5
    title_hold: float = 1.0
    map: float = 1.5
    flow: float = 2.5
    flow_hold: float = 1.0
    large_steps: float = 4.0
    large_hold: float = 1.5
    small_steps: float = 4.0
    small_hold: float = 1.5
    closing: float = 1.5
    closing_hold: float = 2.5


@dataclass(frozen=True)
class SGDSettings:
    """`scenes/sgd.py`: full-batch GD and minibatch SGD from the same start with the same η."""

    preset: str = "bowl"
    fraction: float = 0.3  # η = fraction × η_crit
    batch_size: int = 2
    seed: int = 0
    steps: int = 60
    # The SGD iterates stay within this distance of the GD path (tested on this setting).
    band: float = 0.2
    # Half side of the zoomed window around the minimum.
    zoom_half_side: float = 0.45
    map_side: float = 5.4
    inset_side: float = 2.9
    band_opacity: float = 0.22
    title: float = 1.5
    title_hold: float = 1.0
    map: float = 1.5
    run: float = 8.0
    run_hold: float = 0.8
    band_in: float = 1.5
    band_hold: float = 1.5
    zoom: float = 1.5
    zoom_run: float = 6.0
    zoom_hold: float = 1.0
    closing: float = 1.5
    closing_hold: float = 2.5


@dataclass(frozen=True)
class LectureSettings:
    """All tunables of the lecture scenes."""

    style: MapStyle = field(default_factory=MapStyle)
    series: Series = field(default_factory=Series)
    learning_rates: LearningRateSettings = field(default_factory=LearningRateSettings)
    optimizers: OptimizerSettings = field(default_factory=OptimizerSettings)
    flow: FlowSettings = field(default_factory=FlowSettings)
    sgd: SGDSettings = field(default_factory=SGDSettings)


LECTURE = LectureSettings()


# =========================================================================== config
def lecture_config(
    default: str | Mapping[str, Any], environ: Mapping[str, str] | None = None,
) -> gdmath.Config:
    """The config a lecture scene renders.

    ``GDVIZ_CONFIG`` or ``GDVIZ_PRESET`` win, exactly as in `gdmath.config_from_environment`.
    With neither set, `default` is used: a preset name, or a config document (the parsed TOML
    of `gdmath.parse_config`, e.g. a preset with another start). ``GDVIZ_LANG`` applies in
    every case.

    Raises
    ------
    gdmath.ConfigError
        For a bad preset name, config file or language.
    """
    return gdmath.config_from_environment(environ, default=default)


def load_lecture_config(default: str | Mapping[str, Any]) -> gdmath.Config:
    """`lecture_config` from the environment; a bad one stops the program with its message."""
    return load_config(default)


# =========================================================================== studies
def window_mask(points: np.ndarray, scenario: gdmath.Scenario) -> np.ndarray:
    """Which (w, b) rows of `points` lie in the scenario's view window (closed)."""
    (w0, w1), (b0, b1) = scenario.w_range, scenario.b_range
    w, b = np.asarray(points, dtype=float)[:, 0], np.asarray(points, dtype=float)[:, 1]
    return (w >= w0) & (w <= w1) & (b >= b0) & (b <= b1)


def log_loss_ratio(loss: np.ndarray, floor: float, start: float, decades: float) -> np.ndarray:
    """log10(l / l_floor) for a loss curve on a log scale, clipped at 0 and `decades` under l₀.

    The reference is the floor's loss, or ``start · 10^-decades`` if that is larger (a perfect
    fit has l_floor = 0).
    """
    ref = max(float(floor), float(start) * 10.0 ** -decades)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        out = np.log10(np.asarray(loss, dtype=float) / ref)
    return np.clip(np.nan_to_num(out, nan=0.0, posinf=1e3), 0.0, None)


def segment_samples(points: np.ndarray, n: int) -> np.ndarray:
    """`n` evenly spaced (w, b) samples along each straight step, the last iterate appended.

    Row ``t · n`` is iterate t exactly. A descent step moves in a straight line, so these are
    points of the drawn path, not a model of anything.
    """
    pts = np.asarray(points, dtype=float)
    if len(pts) < 2:
        return pts.copy()
    f = np.arange(n, dtype=float) / n
    seg = pts[:-1, None, :] + f[None, :, None] * np.diff(pts, axis=0)[:, None, :]
    return np.vstack([seg.reshape(-1, 2), pts[-1:]])


def surface_samples(problem: gdmath.Problem, traj: gdmath.Trajectory, n: int,
                    steps: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(w, b, l) along the first `steps` steps (`Problem.loss_along`) and ∇l there.

    Row ``t · n`` is iterate t exactly.

    Returns
    -------
    (ndarray, ndarray)
        Samples of shape (k·n + 1, 3) and exact gradients of shape (k·n + 1, 2).
    """
    k = traj.n_steps if steps is None else min(steps, traj.n_steps)
    w, b = traj.w, traj.b
    pieces = [problem.loss_along(w[i], b[i], w[i + 1], b[i + 1], n + 1)[:-1] for i in range(k)]
    pieces.append(np.array([[w[k], b[k], traj.loss[k]]]))
    with np.errstate(over="ignore", invalid="ignore"):
        samples = np.vstack(pieces)
        gw, gb = problem.gradient(samples[:, 0], samples[:, 1])
    return samples, np.column_stack([gw, gb])


def path_distances(points: np.ndarray, path: np.ndarray) -> np.ndarray:
    """Distance from each of `points` (k, 2) to the polyline `path` (m, 2)."""
    p = np.asarray(points, dtype=float)
    a, b = np.asarray(path, dtype=float)[:-1], np.asarray(path, dtype=float)[1:]
    ab = b - a
    length2 = np.maximum((ab * ab).sum(axis=1), 1e-300)
    t = np.clip(((p[:, None, :] - a[None]) * ab[None]).sum(axis=2) / length2[None], 0.0, 1.0)
    nearest = a[None] + t[..., None] * ab[None]
    return np.sqrt(((p[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1)


@dataclass(frozen=True)
class RegimeRun:
    """One η of the learning-rate scene.

    Attributes
    ----------
    regime : str
        The regime this η was chosen for: ``"crawl"``, ``"glide"``, ``"zigzag"`` or
        ``"diverge"``.
    fraction, learning_rate : float
        η / η_crit and η.
    shown : gdmath.Trajectory
        The steps the video plays (no early stop).
    followed : gdmath.Trajectory
        The same run continued for `LearningRateSettings.follow_steps`: how it ends.
    outcome : str or None
        What the run did (`regime_outcome`); the video names it only when it is `regime`.
    """

    regime: str
    fraction: float
    learning_rate: float
    shown: gdmath.Trajectory
    followed: gdmath.Trajectory
    outcome: str | None = None


@dataclass(frozen=True)
class LearningRateStudy:
    """The four runs of the learning-rate scene and the numbers it shows."""

    scenario: gdmath.Scenario
    minimum: gdmath.Minimum
    lambda_max: float
    critical: float
    runs: tuple[RegimeRun, ...]


def regime_outcome(shown: gdmath.Trajectory, followed: gdmath.Trajectory,
                   minimum: gdmath.Minimum, s: LearningRateSettings) -> str | None:
    """What a run did, judged on its numbers (the same rules as the scene's tests).

    ``"diverge"``: the followed run diverged. ``"zigzag"``: the offset across the valley (along
    the Hessian's steepest eigenvector at the minimum) changes sign on at least
    `zigzag_share` of the shown steps. ``"crawl"``: after the shown steps the loss is still
    above the floor by more than `crawl_share` of where it started. ``"glide"``: none of these,
    and the followed run converged. None otherwise.
    """
    if followed.diverged:
        return "diverge"
    across = np.linalg.eigh(minimum.hessian)[1][:, -1]
    offset = (shown.points - np.array(minimum.point)) @ across
    flips = np.sign(offset[1:]) == -np.sign(offset[:-1])
    if flips.size and flips.mean() >= s.zigzag_share:
        return "zigzag"
    excess = shown.loss - minimum.loss
    if excess[-1] > s.crawl_share * excess[0]:
        return "crawl"
    return "glide" if followed.converged else None


def learning_rate_study(scenario: gdmath.Scenario,
                        s: LearningRateSettings = LECTURE.learning_rates) -> LearningRateStudy:
    """Run the four step sizes of `s` from the scenario's start and judge what each did."""
    m = scenario.minimum
    crit = scenario.critical_learning_rate
    runs = []
    for regime, frac in zip(s.regimes, s.fractions, strict=True):
        eta = frac * crit
        shown = gdmath.descend(scenario.problem, scenario.start, eta, s.steps, tol=0.0)
        followed = gdmath.descend(scenario.problem, scenario.start, eta, s.follow_steps,
                                  tol=s.follow_tol)
        runs.append(RegimeRun(regime, frac, eta, shown, followed,
                              regime_outcome(shown, followed, m, s)))
    return LearningRateStudy(scenario=scenario, minimum=m,
                             lambda_max=float(m.eigenvalues[-1]), critical=crit,
                             runs=tuple(runs))


@dataclass(frozen=True)
class RaceRun:
    """One optimizer of the race: its η (resolved from `Racer`) and its trajectory."""

    optimizer: str
    learning_rate: float
    trajectory: gdmath.Trajectory


def racer_learning_rate(racer: Racer, scenario: gdmath.Scenario) -> float:
    """η of `racer` on `scenario` (see `Racer`)."""
    if racer.per == "critical":
        return racer.learning_rate * scenario.critical_learning_rate
    span = max(np.ptp(scenario.w_range), np.ptp(scenario.b_range))
    return racer.learning_rate * float(span)


def overshoot_share(trajectory: gdmath.Trajectory, minimum: gdmath.Minimum) -> float:
    """How far a run passes the minimum along the valley, as a share of where it started.

    The valley's direction is the Hessian's flattest eigenvector at the minimum. 0 when the run
    never passes the minimum (plain GD below the critical rate, for instance).
    """
    along = np.linalg.eigh(minimum.hessian)[1][:, 0]
    coord = (trajectory.points - np.array(minimum.point)) @ along
    if coord[0] == 0.0:
        return 0.0
    return float(max(0.0, -(np.sign(coord[0]) * coord).min()) / abs(coord[0]))


def optimizer_race(scenario: gdmath.Scenario,
                   s: OptimizerSettings = LECTURE.optimizers) -> tuple[RaceRun, ...]:
    """Every racer of `s` from the scenario's start, `s.steps` steps, torch's defaults."""
    out = []
    for racer in s.racers:
        eta = racer_learning_rate(racer, scenario)
        t = gdmath.descend(scenario.problem, scenario.start, eta, s.steps, tol=0.0,
                           optimizer=racer.optimizer)
        out.append(RaceRun(racer.optimizer, eta, t))
    return tuple(out)


@dataclass(frozen=True)
class FlowRun:
    """GD with one η against the flow at the same times.

    Attributes
    ----------
    fraction, learning_rate : float
        η / η_crit and η.
    trajectory : gdmath.Trajectory
        The steps θ₀ … θ_k.
    flow_at_steps : gdmath.Flow
        The flow at times 0, η, …, kη (`gdmath.gradient_flow` with k + 1 points).
    gaps : ndarray, shape (k + 1,)
        |θ_t − θ(tη)|: how far step t is from where the flow is at the same time.
    """

    fraction: float
    learning_rate: float
    trajectory: gdmath.Trajectory
    flow_at_steps: gdmath.Flow
    gaps: np.ndarray

    @property
    def max_gap(self) -> float:
        """The largest gap over the run."""
        return float(self.gaps.max())


@dataclass(frozen=True)
class FlowStudy:
    """The flow curve and the runs of the flow scene."""

    scenario: gdmath.Scenario
    critical: float
    horizon: float
    flow: gdmath.Flow
    large: FlowRun
    small: FlowRun


def flow_run(scenario: gdmath.Scenario, fraction: float, horizon: float) -> FlowRun:
    """GD with η = fraction × η_crit for ``round(horizon / η)`` steps, and the flow at its times."""
    eta = fraction * scenario.critical_learning_rate
    k = max(1, round(horizon / eta))
    t = gdmath.descend(scenario.problem, scenario.start, eta, k, tol=0.0)
    f = gdmath.gradient_flow(scenario.problem, scenario.start, t.n_steps * eta,
                             n_points=t.n_steps + 1)
    gaps = np.hypot(t.w - f.w, t.b - f.b)
    return FlowRun(fraction, eta, t, f, gaps)


def flow_study(scenario: gdmath.Scenario, s: FlowSettings = LECTURE.flow) -> FlowStudy:
    """The flow over ``s.horizon × η_crit`` and the large- and small-η runs on it."""
    crit = scenario.critical_learning_rate
    horizon = s.horizon * crit
    large, small = (flow_run(scenario, f, horizon) for f in (s.large, s.small))
    t_end = max(large.trajectory.n_steps * large.learning_rate,
                small.trajectory.n_steps * small.learning_rate)
    flow = gdmath.gradient_flow(scenario.problem, scenario.start, t_end, n_points=s.flow_points)
    return FlowStudy(scenario, crit, horizon, flow, large, small)


@dataclass(frozen=True)
class SGDStudy:
    """Full-batch GD and minibatch SGD with the same η from the same start.

    Attributes
    ----------
    band : float
        Radius of the band drawn around the GD path: `SGDSettings.band`, or on data where the
        drawn SGD path strays farther, its largest distance rounded up to a multiple of 0.05.
    distances : ndarray, shape (k + 1,)
        Distance from each SGD iterate to the GD path (the polyline through its iterates).
    """

    scenario: gdmath.Scenario
    learning_rate: float
    gd: gdmath.Trajectory
    sgd: gdmath.Trajectory
    band: float
    distances: np.ndarray


def sgd_study(scenario: gdmath.Scenario, s: SGDSettings = LECTURE.sgd) -> SGDStudy:
    """Both runs of the SGD scene (batch size capped at the number of data points)."""
    eta = s.fraction * scenario.critical_learning_rate
    p = scenario.problem
    gd = gdmath.descend(p, scenario.start, eta, s.steps, tol=0.0)
    sgd = gdmath.descend(p, scenario.start, eta, s.steps, tol=0.0,
                         batch_size=min(s.batch_size, p.n), seed=s.seed)
    # The drawn path: every step's straight segment, finely sampled.
    reach = float(path_distances(segment_samples(sgd.points, 20), gd.points).max())
    band = s.band if reach <= s.band else math.ceil(reach / 0.05) * 0.05
    return SGDStudy(scenario, eta, gd, sgd, band, path_distances(sgd.points, gd.points))


# =========================================================================== drawing
def surface_stops(theme: Theme) -> tuple[RGB, ...]:
    """The theme's surface colour map as RGB stops for `ContourSet` and `make_surface`."""
    return tuple(tuple(float(c) for c in ManimColor(h).to_rgb()) for h in theme.surface)


def tick_step(span: float, target: int = 5) -> float:
    """A 1-2-5 tick step giving about `target` ticks over `span`."""
    raw = span / target
    mag = 10.0 ** math.floor(math.log10(raw))
    return next(m * mag for m in (1.0, 2.0, 5.0, 10.0) if raw <= m * mag)


def map_axes(scenario: gdmath.Scenario, side: float, color: str,
             ticks: bool = True) -> BoxAxes2D:
    """W and b axes with one screen length per unit of both, the longer side `side` long.

    Centred on the origin; the caller moves them.
    """
    (w0, w1), (b0, b1) = scenario.w_range, scenario.b_range
    unit = side / max(w1 - w0, b1 - b0)
    axes = BoxAxes2D(x_range=(w0, w1, tick_step(w1 - w0)), y_range=(b0, b1, tick_step(b1 - b0)),
                     x_length=unit * (w1 - w0), y_length=unit * (b1 - b0), tips=False,
                     axis_config={"color": color, "include_ticks": ticks, "stroke_width": 2})
    axes.shift(-scene_points(axes, (w0 + w1) / 2, (b0 + b1) / 2))
    return axes


def eased_steps(s: float) -> float:
    """Fractional step with an eased start and stop within each step (the ball pauses a beat)."""
    k = math.floor(s)
    return k + smooth(s - k)


class PathOnMap(VGroup):
    """A trajectory on a 2D map: its trail revealed step by step and a ball at its head.

    Once the path leaves the map's window it is not drawn again, and the ball stops at the edge
    and fades out (a diverging run leaves the view gracefully).

    Parameters
    ----------
    axes : BoxAxes2D
        The map.
    points : ndarray, shape (k + 1, 2)
        The iterates (from gdmath).
    scenario : gdmath.Scenario
        Its window clips the path.
    color : str
        Trail and ball colour.
    style : MapStyle
        Widths, radius, samples per step.
    width, radius : float, optional
        Trail width and ball radius instead of the style's.
    stop_at_exit : bool
        True: nothing after the first exit from the window is drawn. False: every part inside
        the window is drawn (a zoomed inset whose window does not hold the start).
    """

    def __init__(self, axes: BoxAxes2D, points: np.ndarray, scenario: gdmath.Scenario,
                 color: str, style: MapStyle, *, width: float | None = None,
                 radius: float | None = None, stop_at_exit: bool = True) -> None:
        self.n = style.samples_per_step
        self.n_steps = len(points) - 1
        samples = segment_samples(points, self.n)
        self.inside = window_mask(samples, scenario)
        out = np.flatnonzero(~self.inside)
        self.stop_at_exit = stop_at_exit
        self.exit_index = int(out[0]) if out.size and stop_at_exit else len(samples)
        drawn = np.arange(len(samples)) < self.exit_index if stop_at_exit else self.inside
        self.scene_samples = scene_points(axes, samples[:, 0], samples[:, 1])
        self.trail = SurfacePath(self.scene_samples, drawn, style.trail_chunk, color,
                                 style.trail_width if width is None else width, 0.0)
        self.ball = Dot(self.scene_samples[0], color=color,
                        radius=style.ball_radius if radius is None else radius)
        self.fade_samples = max(style.exit_fade_steps * self.n, 1.0)
        super().__init__(self.trail, self.ball)
        self.show_at(0.0)

    @property
    def exit_step(self) -> float | None:
        """Fractional step at which the path leaves the window, or None if it never does."""
        return None if self.exit_index >= len(self.scene_samples) else self.exit_index / self.n

    def show_at(self, s: float) -> PathOnMap:
        """Show the path up to fractional step `s` (iterate t at s = t)."""
        k = int(np.clip(round(s * self.n), 0, len(self.scene_samples) - 1))
        # Without stop_at_exit, exit_index is past the end: every sample is reachable.
        visible = min(k, self.exit_index - 1)
        self.trail.show_until(visible + 1)
        self.ball.move_to(self.scene_samples[max(visible, 0)])
        if not self.stop_at_exit:
            opacity = 1.0 if self.inside[k] else 0.0
        elif k < self.exit_index:
            opacity = 1.0
        else:
            opacity = max(0.0, 1.0 - (k - self.exit_index) / self.fade_samples)
        self.ball.set_fill(opacity=opacity)
        return self


class PathOnValley(VGroup):
    """A trajectory on the 3D valley: a trail on the surface and a shaded ball rolling on it.

    Parameters
    ----------
    axes : BoxAxes
        The 3D axes of the valley.
    samples, gradients : ndarray
        From `surface_samples`: (w, b, l) along the steps and ∇l there.
    inside : ndarray of bool
        Samples that may be drawn (in the window and under the top of the l axis).
    samples_per_step : int
        Rows per step in `samples`.
    color : str
        Trail and ball colour.
    radius, width : float
        Ball radius and trail width.
    chunk : int
        Trail samples per depth-sorted piece.
    depth_offset : float
        Sort bias of the trail; the ball gets twice its radius more.
    """

    def __init__(self, axes: Any, samples: np.ndarray, gradients: np.ndarray,
                 inside: np.ndarray, samples_per_step: int, color: str, radius: float,
                 width: float, chunk: int, depth_offset: float) -> None:
        self.n = samples_per_step
        self.inside = inside
        safe = np.where(inside[:, None], samples, samples[0])
        g = np.where(inside[:, None], gradients, gradients[0])
        self.centers = lifted_centers(axes, safe[:, 0], safe[:, 1], safe[:, 2], g[:, 0],
                                      g[:, 1], radius)
        self.trail = SurfacePath(scene_points(axes, safe[:, 0], safe[:, 1], safe[:, 2]), inside,
                                 chunk, color, width, depth_offset)
        self.ball = make_ball(self.centers[0], radius, color, depth_offset + 2 * radius)
        super().__init__(self.trail, self.ball)
        self.show_at(0.0)

    def show_at(self, s: float) -> PathOnValley:
        """Show the path up to fractional step `s`."""
        k = int(np.clip(round(s * self.n), 0, len(self.centers) - 1))
        self.trail.show_until(k + 1)
        self.ball.move_to(self.centers[k])
        self.ball.set_fill(opacity=1.0 if self.inside[k] else 0.0)
        return self


# =========================================================================== base scenes
class _Lecture(PlanPlayer):
    """Mixin: config with a per-scene default, theme, labels, and a planned list of beats.

    A subclass sets `default_config` and implements `prepare` (the study, from gdmath) and
    `make_plan` (its beats). The step methods call `beat` and `hold` by name; the plan's
    durations come from the settings, so the planned duration is known before rendering.
    """

    default_config: ClassVar[str | Mapping[str, Any]] = "bowl"
    S: ClassVar[LectureSettings] = LECTURE

    cfg: gdmath.Config
    study: Any
    plan: Plan
    theme: Theme
    labels: LectureLabels

    # ---------------------------------------------------------------- the plan
    @classmethod
    def prepare(cls, cfg: gdmath.Config) -> Any:
        """The study this scene draws, from gdmath."""
        raise NotImplementedError

    @classmethod
    def make_plan(cls, study: Any) -> Plan:
        """The scene's beats, in order."""
        raise NotImplementedError

    @classmethod
    def planned_plan(cls) -> Plan:
        """The plan with the current environment's config."""
        return cls.make_plan(cls.prepare(load_lecture_config(cls.default_config)))

    def setup_lecture(self) -> None:
        """Theme, config, study and plan, before anything renders."""
        self.theme = use_theme(self)
        self.cfg = load_lecture_config(self.default_config)
        self.labels = lecture_labels_for(self.cfg.language)
        self.study = self.prepare(self.cfg)
        self.plan = self.make_plan(self.study)
        self._next_beat = 0

    # ---------------------------------------------------------------- text
    def text(self, s: str, size: float, color: str | None = None) -> Mobject:
        """Prose in the configured language (Noto Sans CJK JP for Japanese)."""
        return make_text(s, self.cfg.language, size, color or self.theme.text)

    def tex(self, s: str, size: float | None = None, color: str | None = None) -> MathTex:
        """Mathematics, the same in both languages."""
        return MathTex(s, font_size=size or self.S.style.tex_font, color=color or self.theme.text)

    def fit_width(self, mob: Mobject, width: float) -> Mobject:
        """Shrink `mob` (never grow it) to at most `width`."""
        if mob.width > width:
            mob.scale_to_fit_width(width)
        return mob

    def title_block(self, title: str, subtitle: str) -> VGroup:
        """Title and subtitle, top centre, no wider than the frame."""
        st = self.S.style
        frame = current_frame()
        head = self.text(title, st.title_font)
        sub = self.text(subtitle, st.subtitle_font, self.theme.muted)
        group = VGroup(head, sub).arrange(DOWN, buff=0.15)
        self.fit_width(group, frame.width - 2 * st.edge_buff)
        group.to_edge(UP, buff=st.edge_buff)
        return group

    def caption(self, s: str) -> Mobject:
        """A line of prose at the bottom centre, no wider than the frame."""
        st = self.S.style
        cap = self.text(s, st.label_font)
        # An outline in the background colour keeps it legible over lines and surfaces.
        cap.set_stroke(self.theme.background, width=st.text_outline, background=True)
        self.fit_width(cap, current_frame().width - 2 * st.edge_buff)
        cap.to_edge(DOWN, buff=st.edge_buff)
        return cap

    def legend_row(self, color: str, words: str, detail: str | None = None,
                   size: float | None = None) -> VGroup:
        """A coloured dot on a short line, `words`, and optional TeX `detail` under the words."""
        st = self.S.style
        size = size or st.label_font
        swatch = VGroup(Line(LEFT * 0.25, RIGHT * 0.25, color=color, stroke_width=st.trail_width),
                        Dot(color=color, radius=st.ball_radius))
        words_mob = self.text(words, size, color)
        block = VGroup(words_mob)
        if detail is not None:
            block.add(self.tex(detail, size * 1.05, self.theme.text))
            block.arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        swatch.next_to(words_mob, LEFT, buff=0.2)
        return VGroup(swatch, block)

    # ---------------------------------------------------------------- maps
    def contour_set(self, axes: Any, stage: Stage, at_height: bool = False) -> ContourSet:
        """The level lines of `stage` (gdmath.auto_levels) in the theme's colours."""
        st = self.S.style
        return ContourSet(axes, stage.contour_levels, stage.l_range, surface_stops(self.theme),
                          st.contour_width, at_height=at_height,
                          color_floor=st.contour_color_floor)

    def start_cross(self, axes: Any, scenario: gdmath.Scenario, unit: float) -> StartCross:
        """The ✕ at the start; the strokes are sampled on the surface (`Problem.loss_along`)."""
        st = self.S.style
        d = st.cross_half_width / unit
        w0, b0 = scenario.start
        diagonals = [scenario.problem.loss_along(w0 - d, b0 - d * k, w0 + d, b0 + d * k, 21)
                     for k in (1.0, -1.0)]
        return StartCross(axes, diagonals, self.theme.cross, st.cross_width, 0.0)

    def axis_labels(self, axes: BoxAxes2D) -> VGroup:
        """W under the right end of the w axis, b left of the top of the b axis."""
        st = self.S.style
        w_lab = self.tex("w", st.axis_label_font)
        b_lab = self.tex("b", st.axis_label_font)
        w_lab.next_to(axes.x_axis.get_end(), DOWN, buff=0.15)
        b_lab.next_to(axes.y_axis.get_end(), LEFT, buff=0.15)
        return VGroup(w_lab, b_lab)


def grid_for_frame(panels: Sequence[Mobject], buff: float) -> VGroup:
    """Panels in one row on a landscape frame, two columns on a square or portrait one."""
    group = VGroup(*panels)
    if current_frame().orientation == "landscape":
        group.arrange(np.array([1.0, 0.0, 0.0]), buff=buff, aligned_edge=UP)
    else:
        group.arrange_in_grid(cols=2, buff=buff)
    return group


def fit_below(group: Mobject, top: float, buff: float, bottom_reserve: float = 0.0) -> Mobject:
    """Shrink `group` to fit between y = `top` and the frame's bottom (less `bottom_reserve`).

    The group is then centred in that space.
    """
    frame = current_frame()
    low = -frame.height / 2 + buff + bottom_reserve
    avail_w, avail_h = frame.width - 2 * buff, top - low
    factor = min(1.0, avail_w / group.width, avail_h / group.height)
    if factor < 1.0:
        group.scale(factor)
    group.move_to([0.0, (top + low) / 2, 0.0])
    return group


class LectureMapScene(_Lecture, Scene):
    """A 2D lecture scene (maps render about ten times faster than the 3D valley)."""

    def setup(self) -> None:
        """Read the config, compute the study and the plan before anything renders."""
        self.setup_lecture()


class LectureValleyScene(_Lecture, FastThreeDScene):
    """A 3D lecture scene on the fast mesh; text is pinned to the frame with `fix`."""

    def setup(self) -> None:
        """Read the config, compute the study and the plan before anything renders."""
        self.setup_lecture()
        self.fixed_roots: list[Mobject] = []
        self.add_updater(lambda _dt: self._refix())

    def fix(self, *mobs: Mobject) -> None:
        """Pin mobjects to the frame (also submobjects they make later) without showing them."""
        self.fixed_roots.extend(mobs)
        self.add_fixed_in_frame_mobjects(*mobs)
        self.remove(*mobs)

    def _refix(self) -> None:
        for m in self.fixed_roots:
            self.camera.add_fixed_in_frame_mobjects(m)

    def hold(self, name: str) -> None:
        """Hold still (after pinning any new submobjects)."""
        self._refix()
        super().hold(name)
