"""Where the loss is lowest: a verified minimum, or the reason there is none.

`find_minimum` never trusts a single start. The identity model has a closed form (least squares).
For the other activations it runs a trust-region Newton method (exact Hessian) from several starts
chosen from the data: the least-squares fit of the transformed targets (logit for a sigmoid,
atanh for tanh) and a spread of slopes and offsets, all in standardised x, where the loss is
O(1)-scaled whatever the units of x. A point counts as a minimum only if its Newton step is tiny
and its Hessian is clearly positive definite there.

With a saturating activation the loss can fall forever along a ray to infinity (a threshold on x
that separates the classes). The lowest loss reachable that way has a closed form: along
``(w, b) = t·(s, −s·τ)`` with ``t → ∞`` every point on the high side of the threshold τ gets φ's
upper limit, every point below it the lower one, and the points exactly at τ a common value of
our choice. `find_minimum` compares that limit with the best finite minimum.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from gdmath.descent import Minimum, exact_objective
from gdmath.problem import Problem

__all__ = [
    "FLAT_REGION",
    "NO_FINITE_MINIMUM",
    "UNDERDETERMINED",
    "Landscape",
    "Standardization",
    "find_minimum",
    "output_range",
    "verified_minimum",
]

UNDERDETERMINED = "underdetermined"
NO_FINITE_MINIMUM = "no-finite-minimum"
FLAT_REGION = "flat-region"

# A candidate is a minimum when its Newton step, in standardised units, is below this ...
_NEWTON_TOL = 1e-6
# ... and its smallest curvature is above this fraction of the identity model's (2·c·n).
_CURVATURE_TOL = 1e-7
# Runs whose standardised parameters pass this radius are saturated past recovery: stop them.
_RUNAWAY = 200.0

_RANGES = {"identity": (-math.inf, math.inf), "relu": (0.0, math.inf), "sigmoid": (0.0, 1.0),
           "tanh": (-1.0, 1.0)}


def output_range(problem: Problem) -> tuple[float, float]:
    """The closed range (lower, upper) of φ's limits; ±inf when unbounded."""
    return _RANGES.get(problem.activation, (-math.inf, math.inf))


@dataclass(frozen=True)
class Standardization:
    """The affine change of input u = (x − mean) / std, and what it does to (w, b).

    The model φ(w·x + b) equals φ(w'·u + b') when ``w = w'/std`` and ``b = b' − w'·mean/std``.

    Attributes
    ----------
    mean, std : float
        Of the original x (population std, ddof = 0); std > 0.
    """

    mean: float
    std: float

    @classmethod
    def of(cls, x: np.ndarray) -> Standardization:
        """The standardisation of `x` (std = 1 if all x are equal, so it is always invertible)."""
        std = float(np.std(x))
        return cls(mean=float(np.mean(x)), std=std if std > 0 else 1.0)

    def apply(self, x: object) -> np.ndarray:
        """Original x → standardised u."""
        return (np.asarray(x, dtype=float) - self.mean) / self.std

    def invert(self, u: object) -> np.ndarray:
        """Standardised u → original x."""
        return self.mean + self.std * np.asarray(u, dtype=float)

    def to_original(self, w: float, b: float) -> tuple[float, float]:
        """(w', b') fitted on u → the same model's (w, b) on x."""
        return w / self.std, b - w * self.mean / self.std

    def to_standardized(self, w: float, b: float) -> tuple[float, float]:
        """(w, b) on x → (w', b') on u."""
        return w * self.std, b + w * self.mean

    @property
    def jacobian(self) -> np.ndarray:
        """d(w, b)/d(w', b'): a Hessian H on x becomes Jᵀ H J on u."""
        return np.array([[1.0 / self.std, 0.0], [-self.mean / self.std, 1.0]])


@dataclass(frozen=True)
class Landscape:
    """The lowest point of the loss, or why there is none.

    Attributes
    ----------
    minimum : Minimum or None
        The lowest verified strict local minimum, if it is the infimum of the loss.
    reason : str or None
        Why `minimum` is None: ``"underdetermined"`` (fewer than two distinct x values: the loss
        depends on w·x + b only, minima form a line), ``"no-finite-minimum"`` (the loss falls
        lower along a ray to infinity than at any finite point), ``"flat-region"`` (the lowest
        loss is taken on a flat region, e.g. a dead ReLU, with no strict minimum).
    local_minima : tuple of Minimum
        Every distinct verified minimum found, sorted by loss.
    infimum : float
        The lowest loss: at `minimum`, along the best ray, or on the flat region.
    direction : (float, float) or None
        For ``"no-finite-minimum"``: the unit (w, b) direction along which the loss falls to
        `infimum`.
    threshold : float or None
        For ``"no-finite-minimum"`` with w ≠ 0 along the ray: the x where the ray's step sits
        (−b/w along the ray).
    """

    minimum: Minimum | None
    reason: str | None
    local_minima: tuple[Minimum, ...]
    infimum: float
    direction: tuple[float, float] | None = None
    threshold: float | None = None


def distinct_inputs(problem: Problem) -> int:
    """How many different x values the data holds."""
    return int(np.unique(problem.x).size)


def verified_minimum(
    problem: Problem, w: float, b: float, message: str = "verified minimum"
) -> Minimum | None:
    """A `Minimum` at (w, b) if the point is a strict local minimum, else None.

    The tests, done in standardised coordinates so that they do not depend on the units of x:
    the Newton step |H⁻¹∇l| is below 10⁻⁶, and the smallest Hessian eigenvalue is above 10⁻⁷ of
    the identity model's curvature 2·c·n.
    """
    if not (math.isfinite(w) and math.isfinite(b)):
        return None
    std = Standardization.of(problem.x)
    jac = std.jacobian
    grad = np.array(problem.gradient(w, b))
    hess = problem.hessian(w, b)
    if not (np.isfinite(grad).all() and np.isfinite(hess).all()):
        return None
    hess_std = jac.T @ hess @ jac
    grad_std = jac.T @ grad
    eig_std = np.linalg.eigvalsh(hess_std)
    reference = 2.0 * problem.scale * problem.n
    if not eig_std[0] > _CURVATURE_TOL * reference:
        return None
    if np.linalg.norm(np.linalg.solve(hess_std, grad_std)) > _NEWTON_TOL:
        return None
    return Minimum(w=float(w), b=float(b), loss=float(problem.loss(w, b)), hessian=hess,
                   eigenvalues=np.linalg.eigvalsh(hess), success=True, message=message)


def _least_squares(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    design = np.column_stack([x, np.ones_like(x)])
    (w, b), *_ = np.linalg.lstsq(design, y, rcond=None)
    return float(w), float(b)


def _starts(problem: Problem, u: np.ndarray) -> list[tuple[float, float]]:
    """Starts in standardised coordinates: a fit of transformed targets, then a spread."""
    y = problem.y
    starts = [_least_squares(u, y), (0.0, 0.0)]
    if problem.activation == "sigmoid":
        probability = np.clip(y, 0.05, 0.95)
        starts.append(_least_squares(u, np.log(probability / (1.0 - probability))))
    elif problem.activation == "tanh":
        starts.append(_least_squares(u, np.arctanh(np.clip(y, -0.95, 0.95))))
    elif problem.activation == "relu" and np.count_nonzero(y > 0) >= 2:
        pos = y > 0
        if np.unique(u[pos]).size >= 2:
            starts.append(_least_squares(u[pos], y[pos]))
    starts += [(w, b) for w in (-3.0, -1.0, 1.0, 3.0) for b in (-2.0, 0.0, 2.0)]
    return starts


def _trust_region(problem: Problem, start: tuple[float, float]) -> np.ndarray:
    fun, jac, hess = exact_objective(problem)

    def runaway(intermediate_result: optimize.OptimizeResult) -> None:
        if np.hypot(*intermediate_result.x) > _RUNAWAY:
            raise StopIteration

    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        res = optimize.minimize(fun, np.asarray(start, dtype=float), jac=jac, hess=hess,
                                method="trust-exact", callback=runaway,
                                options={"gtol": 1e-12, "maxiter": 300})
    return np.asarray(res.x, dtype=float)


def _ray_infimum(problem: Problem) -> tuple[float, tuple[float, float], float | None]:
    """The lowest limit of the loss along rays to infinity, for a bounded φ.

    Returns the limit, the unit direction (w, b) of the ray and its threshold x (None for a ray
    along b alone). Points above the threshold get φ's upper limit (for orientation +1), points
    below it the lower one, points exactly at it the best common value in between.
    """
    lo, hi = output_range(problem)
    values, group = np.unique(problem.x, return_inverse=True)
    count = np.bincount(group).astype(float)
    sum_y = np.bincount(group, weights=problem.y)
    sum_yy = np.bincount(group, weights=problem.y ** 2)
    zero = np.zeros(1)
    cum_count, cum_y, cum_yy = (np.concatenate([zero, np.cumsum(per_group)])
                                for per_group in (count, sum_y, sum_yy))

    def const(value: float, n_points: np.ndarray, total: np.ndarray,
              total_sq: np.ndarray) -> np.ndarray:
        # Σ (value − y)² over a set with n_points points, Σy = total and Σy² = total_sq.
        return value * value * n_points - 2.0 * value * total + total_sq

    best: tuple[float, tuple[float, float], float | None] = (math.inf, (0.0, 1.0), None)
    n_groups = values.size
    for sign, below, above in ((1.0, lo, hi), (-1.0, hi, lo)):
        # Threshold between groups j − 1 and j (j = 0: below every point; j = n_groups: above
        # all).
        between = (const(below, cum_count, cum_y, cum_yy)
                   + const(above, cum_count[-1] - cum_count, cum_y[-1] - cum_y,
                           cum_yy[-1] - cum_yy))
        # Threshold exactly at group k: those points take their mean, clipped into [lo, hi].
        mean = np.clip(sum_y / count, lo, hi)
        at_group = (const(below, cum_count[:-1], cum_y[:-1], cum_yy[:-1])
                    + const(above, cum_count[-1] - cum_count[1:], cum_y[-1] - cum_y[1:],
                            cum_yy[-1] - cum_yy[1:])
                    + sum_yy - 2 * mean * sum_y + mean ** 2 * count)
        j = int(np.argmin(between))
        if between[j] < best[0]:
            if j in (0, n_groups):
                # Every point on one side: a ray along b alone.
                upward = (j == 0) == (sign > 0)
                best = (float(between[j]), (0.0, 1.0 if upward else -1.0), None)
            else:
                tau = 0.5 * (values[j - 1] + values[j])
                best = (float(between[j]), _unit(sign, tau), float(tau))
        k = int(np.argmin(at_group))
        if at_group[k] < best[0]:
            best = (float(at_group[k]), _unit(sign, float(values[k])), float(values[k]))
    return problem.scale * best[0], best[1], best[2]


def _unit(sign: float, tau: float) -> tuple[float, float]:
    norm = math.hypot(1.0, tau)
    return sign / norm, -sign * tau / norm


def _underdetermined(problem: Problem) -> Landscape:
    lo, hi = output_range(problem)
    fitted = float(np.clip(np.mean(problem.y), lo, hi))
    infimum = problem.scale * float(np.sum((problem.y - fitted) ** 2))
    return Landscape(minimum=None, reason=UNDERDETERMINED, local_minima=(), infimum=infimum)


def _search(problem: Problem, extra_starts: list[tuple[float, float]]) -> list[Minimum]:
    std = Standardization.of(problem.x)
    on_u = Problem(std.apply(problem.x), problem.y, problem.phi, problem.loss_kind)  # type: ignore[arg-type]
    starts = _starts(on_u, on_u.x) + [std.to_standardized(w, b) for w, b in extra_starts]
    found: list[Minimum] = []
    seen: list[np.ndarray] = []
    for start in starts:
        end = _trust_region(on_u, start)
        if any(np.hypot(*(end - previous)) < 1e-4 for previous in seen):
            continue
        w, b = std.to_original(float(end[0]), float(end[1]))
        cand = verified_minimum(problem, w, b, "verified: Newton step and curvature tests passed")
        if cand is not None:
            seen.append(end)
            found.append(cand)
    return sorted(found, key=lambda candidate: candidate.loss)


def find_minimum(problem: Problem, extra_starts: object = ()) -> Landscape:
    """The lowest point of the loss, verified, or the reason there is none.

    Parameters
    ----------
    problem : Problem
        The loss.
    extra_starts : sequence of (float, float), optional
        More starts for the search (e.g. a trajectory's last point); non-finite ones are ignored.
        They are added to the data-informed starts, never used alone.

    Returns
    -------
    Landscape

    Examples
    --------
    >>> line = find_minimum(Problem([0.0, 1.0, 2.0], [1.0, 3.0, 5.0]))
    >>> [round(v, 12) for v in line.minimum.point]
    [2.0, 1.0]
    >>> sep = find_minimum(Problem([0.0, 1.0, 3.0, 4.0], [0.0, 0.0, 1.0, 1.0], "sigmoid"))
    >>> sep.minimum, sep.reason, sep.threshold
    (None, 'no-finite-minimum', 2.0)
    """
    if not isinstance(problem, Problem):
        raise TypeError(f"problem must be a gdmath.Problem, got {type(problem).__name__}")
    if distinct_inputs(problem) < 2:
        return _underdetermined(problem)
    if problem.activation == "identity":
        w, b = _least_squares(problem.x, problem.y)
        found = verified_minimum(problem, w, b, "closed-form least squares")
        minima = [] if found is None else [found]
    else:
        given = np.asarray(extra_starts, dtype=float).reshape(-1, 2)
        extra = [(float(w), float(b)) for w, b in given if math.isfinite(w) and math.isfinite(b)]
        minima = _search(problem, extra)
    best = minima[0] if minima else None
    lo, hi = output_range(problem)
    slack = 1e-12 * (1.0 + problem.scale * float(np.sum(problem.y ** 2)))
    if math.isfinite(lo) and math.isfinite(hi):
        ray, direction, tau = _ray_infimum(problem)
        if best is None or ray < best.loss - slack:
            return Landscape(minimum=None, reason=NO_FINITE_MINIMUM, local_minima=tuple(minima),
                             infimum=ray, direction=direction, threshold=tau)
    if problem.activation == "relu":
        # Every output 0 (a dead neuron) is a flat region of loss c·Σy², reached at finite points.
        dead = problem.scale * float(np.sum(problem.y ** 2))
        if best is None or dead < best.loss - slack:
            return Landscape(minimum=None, reason=FLAT_REGION, local_minima=tuple(minima),
                             infimum=dead)
    if best is None:
        # Nothing verified and nothing lower at infinity: a degenerate, flat landscape.
        return Landscape(minimum=None, reason=FLAT_REGION, local_minima=(),
                         infimum=float(problem.loss(0.0, 0.0)))
    return Landscape(minimum=best, reason=None, local_minima=tuple(minima), infimum=best.loss)
