"""Gradient descent, the continuous gradient flow, the valley floor and the critical step size."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import integrate, optimize

from gdmath._validate import finite_pair, nonnegative_real, positive_int, positive_real
from gdmath.problem import Problem

__all__ = [
    "DEFAULT_MAX_PARAM",
    "Flow",
    "Minimum",
    "Trajectory",
    "check_gradient",
    "critical_learning_rate",
    "descend",
    "gradient_flow",
    "minimum",
]

#: |w| or |b| beyond this counts as running away: the descent is stopped and marked diverged.
DEFAULT_MAX_PARAM = 1e6


def _frozen(*arrays: np.ndarray) -> None:
    for a in arrays:
        a.setflags(write=False)


@dataclass(frozen=True)
class Trajectory:
    """The iterates of gradient descent, start included.

    Attributes
    ----------
    w, b : ndarray, shape (k + 1,)
        Parameters after 0, 1, …, k steps (k = `n_steps`, at most the number asked for).
    loss : ndarray, shape (k + 1,)
        l(wₜ, bₜ).
    grad_w, grad_b : ndarray, shape (k + 1,)
        ∂l/∂w and ∂l/∂b at (wₜ, bₜ); step t goes from point t to point t + 1 along
        −η · (grad_w[t], grad_b[t]).
    learning_rate : float
        η.
    converged : bool
        The gradient norm fell under `tol` (the run stopped there).
    diverged : bool
        The loss or gradient became non-finite, or a parameter ran past the bound; the run stopped
        at the last finite point. Every array holds finite numbers only.
    message : str
        One sentence saying how the run ended, for logs and on-screen labels.
    """

    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    grad_w: np.ndarray
    grad_b: np.ndarray
    learning_rate: float
    converged: bool
    diverged: bool
    message: str

    @property
    def n_steps(self) -> int:
        """Number of steps taken (one less than the number of points)."""
        return int(self.w.size - 1)

    @property
    def points(self) -> np.ndarray:
        """Iterates as an array of shape (k + 1, 2), columns w and b."""
        return np.column_stack([self.w, self.b])

    @property
    def steps(self) -> np.ndarray:
        """Displacements θₜ₊₁ − θₜ, shape (k, 2)."""
        return np.diff(self.points, axis=0)

    @property
    def grad_norm(self) -> np.ndarray:
        """|∇l| at each iterate, shape (k + 1,)."""
        return np.hypot(self.grad_w, self.grad_b)


def descend(
    problem: Problem,
    start: tuple[float, float],
    learning_rate: float,
    steps: int,
    *,
    tol: float = 1e-10,
    max_param: float = DEFAULT_MAX_PARAM,
) -> Trajectory:
    """Plain gradient descent ``θ ← θ − η ∇l(θ)`` in float64.

    Parameters
    ----------
    problem : Problem
        The loss to descend.
    start : (float, float)
        (w₀, b₀), finite.
    learning_rate : float
        η > 0. No hidden rescaling: the step is exactly η times the gradient.
    steps : int
        Maximum number of steps, ≥ 0.
    tol : float, optional
        Stop and report convergence once |∇l| < tol (0 never stops early).
    max_param : float, optional
        A parameter whose magnitude exceeds this counts as diverged.

    Returns
    -------
    Trajectory
        The iterates. Divergence is not an error: the run stops at the last finite point and says
        so in ``diverged`` and ``message``.

    Raises
    ------
    ValueError, TypeError
        For a non-finite start, η ≤ 0 or NaN, negative `steps`.
    """
    if not isinstance(problem, Problem):
        raise TypeError(f"problem must be a gdmath.Problem, got {type(problem).__name__}")
    w, b = finite_pair(start, "start")
    eta = positive_real(learning_rate, "learning_rate")
    n = positive_int(steps, "steps", minimum=0)
    tol = nonnegative_real(tol, "tol")
    max_param = positive_real(max_param, "max_param")

    ws, bs, ls, gws, gbs = [], [], [], [], []
    converged = diverged = False
    message = f"ran all {n} steps"
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(n + 1):
            lv, gw, gb = problem.loss_and_gradient(w, b)
            if not all(math.isfinite(v) for v in (w, b, lv, gw, gb)):
                diverged = True
                message = f"diverged at step {t}: the loss overflowed (η = {eta:g} is too large)"
                break
            ws.append(w)
            bs.append(b)
            ls.append(lv)
            gws.append(gw)
            gbs.append(gb)
            if max(abs(w), abs(b)) > max_param:
                diverged = True
                message = (
                    f"diverged at step {t}: the parameters ran past ±{max_param:g} "
                    f"(η = {eta:g} is too large)"
                )
                break
            if math.hypot(gw, gb) < tol:
                converged = True
                message = f"converged after {t} steps (|∇l| < {tol:g})"
                break
            if t == n:
                break
            w, b = w - eta * gw, b - eta * gb
    arrays = [np.array(v, dtype=float) for v in (ws, bs, ls, gws, gbs)]
    _frozen(*arrays)
    return Trajectory(*arrays, learning_rate=eta, converged=converged, diverged=diverged,
                      message=message)


@dataclass(frozen=True)
class Flow:
    """The continuous gradient flow dθ/dt = −∇l(θ).

    Attributes
    ----------
    t : ndarray, shape (m,)
        Times from 0 to `t_end`.
    w, b, loss : ndarray, shape (m,)
        The path and the loss along it.
    """

    t: np.ndarray
    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray

    @property
    def points(self) -> np.ndarray:
        """The path as an array of shape (m, 2)."""
        return np.column_stack([self.w, self.b])


def gradient_flow(
    problem: Problem,
    start: tuple[float, float],
    t_end: float,
    *,
    n_points: int = 201,
    rtol: float = 1e-10,
    atol: float = 1e-12,
) -> Flow:
    """Integrate the gradient flow dθ/dt = −∇l(θ) from `start` for time `t_end`.

    Gradient descent with step η is the explicit Euler method for this ODE, so ``descend`` with
    ``t_end / η`` steps approaches ``gradient_flow(..., t_end)`` as η → 0. The ODE is stiff on an
    elongated valley, so an implicit method (Radau) with the exact Hessian as Jacobian is used.

    Returns
    -------
    Flow
        The path at `n_points` evenly spaced times.
    """
    w0, b0 = finite_pair(start, "start")
    t_end = positive_real(t_end, "t_end")
    n_points = positive_int(n_points, "n_points", minimum=2)

    def rhs(_t: float, th: np.ndarray) -> np.ndarray:
        gw, gb = problem.gradient(th[0], th[1])
        return -np.array([gw, gb])

    def jac(_t: float, th: np.ndarray) -> np.ndarray:
        return -problem.hessian(th[0], th[1])

    t = np.linspace(0.0, t_end, n_points)
    sol = integrate.solve_ivp(rhs, (0.0, t_end), [w0, b0], method="Radau", jac=jac,
                              t_eval=t, rtol=rtol, atol=atol)
    if not sol.success:
        raise RuntimeError(f"gradient flow integration failed: {sol.message}")
    w, b = sol.y
    loss = np.asarray(problem.loss(w, b))
    _frozen(t, w, b, loss)
    return Flow(t=t, w=w, b=b, loss=loss)


@dataclass(frozen=True)
class Minimum:
    """A local minimum of the loss (the valley floor).

    Attributes
    ----------
    w, b, loss : float
        Where it is and how low.
    hessian : ndarray, shape (2, 2)
        The exact Hessian there.
    eigenvalues : ndarray, shape (2,)
        Its eigenvalues, ascending; their ratio is the valley's elongation.
    success : bool
        The optimizer met its tolerance (False on a plateau that never bottoms out).
    message : str
        The optimizer's own report.
    """

    w: float
    b: float
    loss: float
    hessian: np.ndarray
    eigenvalues: np.ndarray
    success: bool
    message: str

    @property
    def point(self) -> tuple[float, float]:
        """(w, b)."""
        return (self.w, self.b)

    @property
    def condition_number(self) -> float:
        """λmax / λmin of the Hessian (inf when it is singular)."""
        lo, hi = self.eigenvalues
        return float(hi / lo) if lo > 0 else math.inf


def minimum(problem: Problem, start: tuple[float, float]) -> Minimum:
    """Find the local minimum reached from `start` with ``scipy.optimize.minimize``.

    Uses the exact gradient and Hessian (trust-region method ``trust-exact``).
    """
    w0, b0 = finite_pair(start, "start")

    def fun(th: np.ndarray) -> float:
        return float(problem.loss(th[0], th[1]))

    def jac(th: np.ndarray) -> np.ndarray:
        return np.array(problem.gradient(th[0], th[1]))

    def hess(th: np.ndarray) -> np.ndarray:
        return problem.hessian(th[0], th[1])

    res = optimize.minimize(fun, [w0, b0], jac=jac, hess=hess, method="trust-exact",
                            options={"gtol": 1e-10, "maxiter": 2000})
    w, b = (float(v) for v in res.x)
    h = problem.hessian(w, b)
    return Minimum(w=w, b=b, loss=float(res.fun), hessian=h, eigenvalues=np.linalg.eigvalsh(h),
                   success=bool(res.success), message=str(res.message))


def critical_learning_rate(problem: Problem, point: tuple[float, float]) -> float:
    """The step size 2/λmax of the Hessian at `point`.

    Near a minimum, descent with η above this oscillates outward along the steepest direction;
    below it, the iterates contract. Returns inf where the loss is not convex (λmax ≤ 0).
    """
    w, b = finite_pair(point, "point")
    lam_max = float(np.linalg.eigvalsh(problem.hessian(w, b))[-1])
    return 2.0 / lam_max if lam_max > 0 else math.inf


def check_gradient(problem: Problem, point: tuple[float, float], *, h: float = 1e-6) -> float:
    """Compare `Problem.gradient` with central differences of `Problem.loss`, like ``check_grad``.

    Returns
    -------
    float
        The Euclidean norm of the difference at `point`.
    """
    w, b = finite_pair(point, "point")
    fd = np.array([
        (problem.loss(w + h, b) - problem.loss(w - h, b)) / (2 * h),
        (problem.loss(w, b + h) - problem.loss(w, b - h)) / (2 * h),
    ])
    return float(np.linalg.norm(np.array(problem.gradient(w, b)) - fd))
