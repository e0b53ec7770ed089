"""What each lecture scene shows, computed by gdmath before anything is drawn."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

import gdmath
from scenes.kit.settings.lectures import (
    LECTURE,
    FlowSettings,
    LearningRateSettings,
    OptimizerSettings,
    Racer,
    SGDSettings,
)

# =========================================================================== config


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
    fractions = np.arange(n, dtype=float) / n
    seg = pts[:-1, None, :] + fractions[None, :, None] * np.diff(pts, axis=0)[:, None, :]
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
    pts = np.asarray(points, dtype=float)
    starts, ends = np.asarray(path, dtype=float)[:-1], np.asarray(path, dtype=float)[1:]
    segments = ends - starts
    length2 = np.maximum((segments * segments).sum(axis=1), 1e-300)
    t = np.clip(((pts[:, None, :] - starts[None]) * segments[None]).sum(axis=2) / length2[None],
                0.0, 1.0)
    nearest = starts[None] + t[..., None] * segments[None]
    return np.sqrt(((pts[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1)


def band_edges(path: np.ndarray, radius: float, w_range: tuple[float, float],
               b_range: tuple[float, float], resolution: int) -> list[np.ndarray]:
    """The border of the points within `radius` of the polyline `path`: (w, b) polylines.

    The distance to the path (`path_distances`) is sampled on a `resolution`² grid over the
    window grown by `radius` on every side, and its level line at `radius` is traced by gdmath
    (contourpy): the exact outline of the round-capped band, without its inside.
    """
    pad = 1.5 * radius
    w = np.linspace(w_range[0] - pad, w_range[1] + pad, resolution)
    b = np.linspace(b_range[0] - pad, b_range[1] + pad, resolution)
    grid_w, grid_b = np.meshgrid(w, b)
    distance = path_distances(np.column_stack([grid_w.ravel(), grid_b.ravel()]), path)
    surface = gdmath.LossSurface(w=w, b=b, L=distance.reshape(grid_w.shape))
    return gdmath.contour_lines(surface, [radius])[0].segments


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
                   minimum: gdmath.Minimum, settings: LearningRateSettings) -> str | None:
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
    if flips.size and flips.mean() >= settings.zigzag_share:
        return "zigzag"
    excess = shown.loss - minimum.loss
    if excess[-1] > settings.crawl_share * excess[0]:
        return "crawl"
    return "glide" if followed.converged else None


def learning_rate_study(
    scenario: gdmath.Scenario, settings: LearningRateSettings = LECTURE.learning_rates,
) -> LearningRateStudy:
    """Run the four step sizes of `settings` from the scenario's start and judge what each did."""
    minimum = scenario.minimum
    crit = scenario.critical_learning_rate
    runs = []
    for regime, frac in zip(settings.regimes, settings.fractions, strict=True):
        eta = frac * crit
        shown = gdmath.descend(scenario.problem, scenario.start, eta, settings.steps, tol=0.0)
        followed = gdmath.descend(scenario.problem, scenario.start, eta, settings.follow_steps,
                                  tol=settings.follow_tol)
        runs.append(RegimeRun(regime, frac, eta, shown, followed,
                              regime_outcome(shown, followed, minimum, settings)))
    return LearningRateStudy(scenario=scenario, minimum=minimum,
                             lambda_max=float(minimum.eigenvalues[-1]), critical=crit,
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
                   settings: OptimizerSettings = LECTURE.optimizers) -> tuple[RaceRun, ...]:
    """Every racer of `settings` from the start, `settings.steps` steps, torch's defaults."""
    out = []
    for racer in settings.racers:
        eta = racer_learning_rate(racer, scenario)
        trajectory = gdmath.descend(scenario.problem, scenario.start, eta, settings.steps, tol=0.0,
                                    optimizer=racer.optimizer)
        out.append(RaceRun(racer.optimizer, eta, trajectory))
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
    trajectory = gdmath.descend(scenario.problem, scenario.start, eta, k, tol=0.0)
    flow = gdmath.gradient_flow(scenario.problem, scenario.start, trajectory.n_steps * eta,
                                n_points=trajectory.n_steps + 1)
    gaps = np.hypot(trajectory.w - flow.w, trajectory.b - flow.b)
    return FlowRun(fraction, eta, trajectory, flow, gaps)


def flow_study(scenario: gdmath.Scenario, settings: FlowSettings = LECTURE.flow) -> FlowStudy:
    """The flow over ``settings.horizon × η_crit`` and the large- and small-η runs on it."""
    crit = scenario.critical_learning_rate
    horizon = settings.horizon * crit
    large, small = (flow_run(scenario, fraction, horizon)
                    for fraction in (settings.large, settings.small))
    t_end = max(large.trajectory.n_steps * large.learning_rate,
                small.trajectory.n_steps * small.learning_rate)
    flow = gdmath.gradient_flow(scenario.problem, scenario.start, t_end,
                                n_points=settings.flow_points)
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


def sgd_study(scenario: gdmath.Scenario, settings: SGDSettings = LECTURE.sgd) -> SGDStudy:
    """Both runs of the SGD scene (batch size capped at the number of data points)."""
    eta = settings.fraction * scenario.critical_learning_rate
    problem = scenario.problem
    full_batch = gdmath.descend(problem, scenario.start, eta, settings.steps, tol=0.0)
    sgd = gdmath.descend(problem, scenario.start, eta, settings.steps, tol=0.0,
                         batch_size=min(settings.batch_size, problem.n), seed=settings.seed)
    # The drawn path: every step's straight segment, finely sampled.
    reach = float(path_distances(segment_samples(sgd.points, 20), full_batch.points).max())
    band = settings.band if reach <= settings.band else math.ceil(reach / 0.05) * 0.05
    return SGDStudy(scenario, eta, full_batch, sgd, band,
                    path_distances(sgd.points, full_batch.points))
