"""An honest reading of a descent: is there a minimum, how did the run end, what to change.

`diagnose` takes a problem and a trajectory and returns a frozen `Diagnosis`: the verified
minimum or why there is none (`gdmath.find_minimum`), how the descent ended, the largest curvature
the path meets and the critical step size there, the conditioning and whether standardising x
fixes it, and suggestions as numbers. `Diagnosis.codes` is a tuple from the fixed set `CODES`.

Conventions, also documented in the README:

- **Target.** A run has converged when ``l − l* ≤ δ`` with ``δ = 0.01 · max(l*, 10⁻⁴·(l₀ − l*))``:
  within 1 % of the minimum loss l*, or, for a near-perfect fit (l* below 10⁻⁴ of the drop from
  the start loss l₀), within 10⁻⁶ of that drop. l* is the minimum's loss, or the infimum when the
  minimum is at infinity.
- **Critical step size along the path.** ``2 / λmax`` with λmax the largest Hessian eigenvalue at
  any iterate and at the minimum. Plain GD with η above it grows along the steep direction
  somewhere on the path.
- **Automatic step size.** ``AUTO_FRACTION`` (½) of the critical step size along the path that
  this step size itself takes (found by a few rounds of descend, measure, shrink).
- **Steps estimate.** Counted on the run, or from the quadratic model at the minimum,
  ``l − l* ≈ Σᵢ ½ λᵢ (1 − ηλᵢ)^{2t} cᵢ²`` (exact for the identity model and plain GD).
- **Ill-conditioned** when the condition number is above ``ILL_CONDITIONED`` (10³).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gdmath.basins import critical_learning_rates
from gdmath.descent import Minimum, Trajectory, descend
from gdmath.landscape import (
    FLAT_REGION,
    NO_FINITE_MINIMUM,
    UNDERDETERMINED,
    Landscape,
    Standardization,
    find_minimum,
)
from gdmath.problem import Problem

__all__ = [
    "AUTO_FRACTION",
    "AUTO_STEPS_CAP",
    "CODES",
    "ILL_CONDITIONED",
    "Diagnosis",
    "Suggestion",
    "auto_learning_rate",
    "auto_steps",
    "diagnose",
]

#: The diagnosis codes, in the order they are listed.
CODES = ("converged", "not-converged", "diverged", NO_FINITE_MINIMUM, FLAT_REGION,
         "ill-conditioned", UNDERDETERMINED)
#: `learning_rate = "auto"` is this fraction of the critical step size along its own path.
AUTO_FRACTION = 0.5
#: `steps = "auto"` and the suggested steps count at most this many steps.
AUTO_STEPS_CAP = 10_000
#: A condition number above this is reported as ill-conditioned.
ILL_CONDITIONED = 1e3
# |∇l| in standardised coordinates under this fraction of sqrt(2cn · loss scale): a flat spot.
_FLAT_GRADIENT = 1e-5


@dataclass(frozen=True)
class Suggestion:
    """What to change, as numbers.

    Attributes
    ----------
    learning_rate : float
        `AUTO_FRACTION` of the critical step size along the path it takes.
    steps : int or None
        Steps that reach the target (see the module notes) at that step size; None when there is
        no finite minimum to reach. May exceed `AUTO_STEPS_CAP` (then it is an estimate).
    standardize : bool
        Standardising x would cut the condition number by at least 10× from above 10³.
    """

    learning_rate: float
    steps: int | None
    standardize: bool


@dataclass(frozen=True)
class Diagnosis:
    """What the landscape and the descent really are.

    Attributes
    ----------
    codes : tuple of str
        From `CODES`: one of converged / not-converged / diverged for the run, then whichever of
        no-finite-minimum, flat-region, ill-conditioned, underdetermined apply.
    landscape : Landscape
        The minimum search (`gdmath.find_minimum`).
    outcome : {"converged", "diverged", "descending", "plateau", "oscillating"}
        How the run ended: within the target; diverged (overflowed, or ran away: the loss ended
        above its start and the distance to the minimum doubled in the second half); still
        descending; stopped on a flat spot far above the lowest loss; or bouncing (η above the
        critical step size along the path, the loss rose in the last ten steps).
    diverged_at : int or None
        The step where it diverged: where it overflowed or ran away, or the step from which the
        loss stayed above its start value.
    steps_to_converge : int or None
        Total steps from the start to reach the target at this η: counted if the run got there,
        estimated from the quadratic model at the minimum if not; None when there is no
        verified minimum, the run diverged, η is too large to converge, or the optimizer is not
        plain GD.
    target_gap : float
        δ: the run has converged when l − l* ≤ δ.
    max_curvature : float
        The largest Hessian eigenvalue at the iterates and at the minimum.
    max_curvature_at : (float, float)
        Where it is.
    critical_learning_rate : float
        2 / `max_curvature` (inf if the loss is nowhere convex on the path).
    critical_learning_rate_at_minimum : float or None
        2/λmax at the minimum alone, for comparison.
    condition_number : float
        λmax/λmin of the Hessian at the minimum, or, with no minimum, of the identity model's
        Hessian 2c·[[Σx², Σx], [Σx, n]] on the same x (inf if singular).
    standardized_condition_number : float
        The same after standardising x.
    suggestion : Suggestion
        What to change.
    """

    codes: tuple[str, ...]
    landscape: Landscape
    outcome: str
    diverged_at: int | None
    steps_to_converge: int | None
    target_gap: float
    max_curvature: float
    max_curvature_at: tuple[float, float]
    critical_learning_rate: float
    critical_learning_rate_at_minimum: float | None
    condition_number: float
    standardized_condition_number: float
    suggestion: Suggestion

    @property
    def minimum(self) -> Minimum | None:
        """The verified minimum, or None (see `reason`)."""
        return self.landscape.minimum

    @property
    def reason(self) -> str | None:
        """Why there is no minimum: underdetermined, no-finite-minimum or flat-region."""
        return self.landscape.reason

    @property
    def has_valley_floor(self) -> bool:
        """True only at a verified minimum: where a video may say "the valley floor"."""
        return self.landscape.minimum is not None


def _target_gap(start_loss: float, lowest: float) -> float:
    return 0.01 * max(lowest, 1e-4 * max(start_loss - lowest, 0.0))


def _condition(hessian: np.ndarray) -> float:
    lam = np.linalg.eigvalsh(hessian)
    return float(lam[1] / lam[0]) if lam[0] > 0 else math.inf


def _design_hessian(problem: Problem) -> np.ndarray:
    x = problem.x
    return 2.0 * problem.scale * np.array([[x @ x, x.sum()], [x.sum(), float(problem.n)]])


def _conditioning(problem: Problem, minimum: Minimum | None) -> tuple[float, float]:
    hessian = minimum.hessian if minimum is not None else _design_hessian(problem)
    jac = Standardization.of(problem.x).jacobian
    return _condition(hessian), _condition(jac.T @ hessian @ jac)


def _quadratic_steps(
    minimum: Minimum, point: tuple[float, float], eta: float, gap: float
) -> int | None:
    """Plain-GD steps from `point` until the quadratic model's excess loss is ≤ `gap`."""
    lam, vec = np.linalg.eigh(minimum.hessian)
    coeff = vec.T @ (np.asarray(point) - np.asarray(minimum.point))
    factor = 1.0 - eta * lam
    live = np.abs(coeff) * np.sqrt(np.maximum(lam, 0.0)) > 0
    if np.any(live & (np.abs(factor) >= 1.0)):
        return None

    def excess(t: float) -> float:
        return float(np.sum(0.5 * lam * coeff ** 2 * np.abs(factor) ** (2.0 * t)))

    if excess(0) <= gap:
        return 0
    hi = 1
    while excess(hi) > gap:
        hi *= 2
        if hi > 1 << 50:
            return None
    lo = hi // 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if excess(mid) > gap else (lo, mid)
    return hi


def _path_curvature(problem: Problem, points: np.ndarray) -> tuple[float, tuple[float, float]]:
    lam = np.linalg.eigvalsh(problem.hessian(points[:, 0], points[:, 1]))[:, -1]
    i = int(np.argmax(lam))
    return float(lam[i]), (float(points[i, 0]), float(points[i, 1]))


def auto_learning_rate(
    problem: Problem, start: tuple[float, float], landscape: Landscape | None = None,
    *, probe_steps: int = 500,
) -> float:
    """`AUTO_FRACTION` of the critical step size along the path that this step size takes.

    Starts from the largest curvature at the start, the minimum and the segment between them,
    then descends `probe_steps` steps, measures the largest curvature on that path, and shrinks η
    until it is at most `AUTO_FRACTION` · 2/λmax of its own path (a few rounds).
    """
    landscape = landscape if landscape is not None else find_minimum(problem)
    w0, b0 = start
    points = [np.array([[w0, b0]])]
    if landscape.minimum is not None:
        fraction = np.linspace(0.0, 1.0, 33)[:, None]
        points.append((1 - fraction) * np.array([w0, b0])
                      + fraction * np.array(landscape.minimum.point))
    lam = max(_path_curvature(problem, np.vstack(points))[0], 1e-300)
    eta = AUTO_FRACTION * 2.0 / lam
    for _ in range(8):
        path = descend(problem, start, eta, probe_steps).points
        lam_path = _path_curvature(problem, path)[0]
        if lam_path <= lam * (1 + 1e-9):
            break
        lam = lam_path
        eta = AUTO_FRACTION * 2.0 / lam
    if not math.isfinite(eta) or eta <= 0:
        eta = 1.0
    return float(eta)


def _steps_to_target(problem: Problem, trajectory: Trajectory, lowest: float, gap: float) -> int:
    """The first step whose loss is within `gap` of `lowest`, or −1 if none is."""
    hit = np.flatnonzero(trajectory.loss - lowest <= gap)
    return int(hit[0]) if hit.size else -1


def auto_steps(
    problem: Problem, start: tuple[float, float], learning_rate: float,
    landscape: Landscape | None = None, *, cap: int = AUTO_STEPS_CAP,
) -> tuple[int, bool]:
    """Steps of plain GD from `start` until the target (see the module notes), at most `cap`.

    Without a finite minimum (the loss falls for ever, or the problem is underdetermined) the
    target is 99 % of the way from the start loss down to the infimum instead.

    Returns
    -------
    steps : int
        The first step that reaches the target, or `cap` when none within it does.
    reached : bool
        Whether the target was reached within `cap`.
    """
    landscape = landscape if landscape is not None else find_minimum(problem)
    trajectory = descend(problem, start, learning_rate, cap)
    start_loss = float(trajectory.loss[0])
    gap = _target_gap(start_loss, landscape.infimum)
    if landscape.minimum is None:
        # No minimum to converge to: stop once 99 % of the way down to the infimum.
        gap = 0.01 * max(start_loss - landscape.infimum, 0.0)
    hit = _steps_to_target(problem, trajectory, landscape.infimum, gap)
    return (hit, True) if hit >= 0 else (trajectory.n_steps, False)


def _outcome(
    problem: Problem, trajectory: Trajectory, landscape: Landscape, gap: float,
    critical: float,
) -> tuple[str, int | None]:
    loss = trajectory.loss
    lowest = landscape.infimum
    if trajectory.diverged:
        return "diverged", trajectory.diverged_at
    if loss[-1] - lowest <= gap:
        return "converged", None
    jac = Standardization.of(problem.x).jacobian
    grad_std = jac.T @ np.array([trajectory.grad_w[-1], trajectory.grad_b[-1]])
    loss_scale = max(float(np.max(loss)), problem.scale * float(np.sum(problem.y ** 2)), 1e-300)
    if np.hypot(*grad_std) < _FLAT_GRADIENT * math.sqrt(2.0 * problem.scale * problem.n
                                                        * loss_scale):
        return "plateau", None
    points = trajectory.points
    ref = np.asarray(landscape.minimum.point if landscape.minimum is not None else points[0])
    dist = np.hypot(*(points - ref).T)
    half = dist[: dist.size // 2 + 1]
    if loss[-1] > loss[0] and dist[-1] > 2.0 * half.max():
        # Still finite but running away: the step from which the loss stayed above its start.
        return "diverged", int(np.flatnonzero(loss <= loss[0])[-1] + 1)
    recent = np.diff(loss[-11:])
    if trajectory.learning_rate > critical and np.any(recent > 0):
        return "oscillating", None
    return "descending", None


def _suggest(
    problem: Problem, start: tuple[float, float], landscape: Landscape, standardize: bool,
) -> Suggestion:
    eta = auto_learning_rate(problem, start, landscape)
    steps: int | None = None
    if landscape.minimum is not None:
        if problem.activation == "identity":
            start_loss = float(problem.loss(*start))
            steps = _quadratic_steps(landscape.minimum, start, eta,
                                     _target_gap(start_loss, landscape.infimum))
        else:
            trajectory = descend(problem, start, eta, AUTO_STEPS_CAP)
            gap = _target_gap(float(trajectory.loss[0]), landscape.infimum)
            steps = _steps_to_target(problem, trajectory, landscape.infimum, gap)
            if steps < 0:
                # Not there within the cap: estimate the rest from the quadratic model.
                rest = _quadratic_steps(landscape.minimum, trajectory.points[-1], eta, gap)
                steps = None if rest is None else trajectory.n_steps + rest
    return Suggestion(learning_rate=eta, steps=steps, standardize=standardize)


def diagnose(
    problem: Problem, trajectory: Trajectory, *, landscape: Landscape | None = None,
) -> Diagnosis:
    """Diagnose `trajectory` on `problem`: minimum, outcome, curvature, conditioning, advice.

    Parameters
    ----------
    problem : Problem
        The loss the trajectory descended.
    trajectory : Trajectory
        From `gdmath.descend` (any optimizer; the steps estimate is for plain GD only).
    landscape : Landscape, optional
        A `find_minimum` result to reuse; searched (with the trajectory's last point as one more
        start) when not given.

    Returns
    -------
    Diagnosis

    Examples
    --------
    >>> p = Problem([0.0, 1.0, 3.0, 4.0], [0.0, 0.0, 1.0, 1.0], "sigmoid")
    >>> d = diagnose(p, descend(p, (0.0, 0.0), 0.1, 100))
    >>> d.codes, d.minimum
    (('not-converged', 'no-finite-minimum'), None)
    """
    if not isinstance(trajectory, Trajectory):
        raise TypeError(f"trajectory must be a gdmath.Trajectory, got {type(trajectory).__name__}")
    if trajectory.w.size == 0:
        raise ValueError("the trajectory holds no finite point: nothing to diagnose")
    if landscape is None:
        landscape = find_minimum(problem, [(trajectory.w[-1], trajectory.b[-1])])
    start = (float(trajectory.w[0]), float(trajectory.b[0]))
    gap = _target_gap(float(trajectory.loss[0]), landscape.infimum)
    minimum = landscape.minimum
    points = trajectory.points
    if minimum is not None:
        points = np.vstack([points, [minimum.point]])
    lam_max, lam_at = _path_curvature(problem, points)
    critical = 2.0 / lam_max if lam_max > 0 else math.inf
    outcome, diverged_at = _outcome(problem, trajectory, landscape, gap, critical)
    crit_min = (float(critical_learning_rates(problem, minimum.point))
                if minimum is not None else None)
    kappa, kappa_std = _conditioning(problem, minimum)
    standardize = kappa > ILL_CONDITIONED and kappa_std < kappa / 10
    steps = None
    if outcome == "converged":
        steps = _steps_to_target(problem, trajectory, landscape.infimum, gap)
    elif minimum is not None and outcome != "diverged" and trajectory.optimizer == "gd":
        rest = _quadratic_steps(minimum, (trajectory.w[-1], trajectory.b[-1]),
                                trajectory.learning_rate, gap)
        steps = None if rest is None else trajectory.n_steps + rest
    codes = ["converged" if outcome == "converged" else
             "diverged" if outcome == "diverged" else "not-converged"]
    if landscape.reason is not None:
        codes.append(landscape.reason)
    if outcome == "plateau" and FLAT_REGION not in codes:
        codes.append(FLAT_REGION)
    if kappa > ILL_CONDITIONED and landscape.reason != UNDERDETERMINED:
        codes.append("ill-conditioned")
    return Diagnosis(
        codes=tuple(sorted(codes, key=CODES.index)), landscape=landscape, outcome=outcome,
        diverged_at=diverged_at, steps_to_converge=steps, target_gap=gap,
        max_curvature=lam_max, max_curvature_at=lam_at,
        critical_learning_rate=critical,
        critical_learning_rate_at_minimum=crit_min, condition_number=kappa,
        standardized_condition_number=kappa_std,
        suggestion=_suggest(problem, start, landscape, standardize),
    )
