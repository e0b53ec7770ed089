"""Gradient descent, the continuous gradient flow, the valley floor and the critical step size."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
from scipy import integrate, optimize

from gdmath._validate import finite_pair, nonnegative_real, positive_int, positive_real
from gdmath.optimizers import make_optimizer
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
    for array in arrays:
        array.setflags(write=False)


@dataclass(frozen=True)
class Trajectory:
    """The iterates of a descent, start included.

    Attributes
    ----------
    w, b : ndarray, shape (k + 1,)
        Parameters after 0, 1, …, k steps (k = `n_steps`, at most the number asked for).
    loss : ndarray, shape (k + 1,)
        l(wₜ, bₜ) on the full data, also for minibatch runs (it is what the video plots).
    grad_w, grad_b : ndarray, shape (k + 1,)
        ∂l/∂w and ∂l/∂b of the full loss at (wₜ, bₜ). For plain full-batch GD, step t goes from
        point t to point t + 1 along −η · (grad_w[t], grad_b[t]).
    learning_rate : float
        η.
    converged : bool
        The full gradient's norm fell under `tol` (the run stopped there).
    diverged : bool
        The loss or gradient became non-finite, or a parameter ran past the bound; the run stopped
        at the last finite point. Every array holds finite numbers only.
    message : str
        One sentence saying how the run ended, for logs and on-screen labels.
    optimizer : str
        The update rule, one of `gdmath.OPTIMIZERS`.
    hyperparameters : Mapping[str, object]
        The rule's hyperparameters, defaults included (read-only; empty for ``"gd"``).
    batch_size, seed : int or None
        Minibatch size and sampling seed, or None for full-batch descent.
    step_grad_w, step_grad_b : ndarray, shape (k,)
        The gradient the optimizer was given for step t: the scaled minibatch gradient in a
        minibatch run, the full gradient ``grad_w[:k]`` otherwise (the default when not given).
    batches : tuple of ndarray
        For a minibatch run, the sorted data indices used by each of the k steps; empty otherwise.
    diverged_at : int or None
        For a diverged run, the step t at which it was stopped (the message's "diverged at step
        t"); None otherwise.
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
    optimizer: str = "gd"
    hyperparameters: Mapping[str, object] = field(
        default_factory=lambda: MappingProxyType({})
    )
    batch_size: int | None = None
    seed: int | None = None
    step_grad_w: np.ndarray = None  # type: ignore[assignment]
    step_grad_b: np.ndarray = None  # type: ignore[assignment]
    batches: tuple[np.ndarray, ...] = ()
    diverged_at: int | None = None

    def __post_init__(self) -> None:
        # A trajectory built by hand (full batch) fed each step the full gradient at its start.
        k = self.w.size - 1
        for name, full in (("step_grad_w", self.grad_w), ("step_grad_b", self.grad_b)):
            if getattr(self, name) is None:
                view = full[:k]
                view.setflags(write=False)
                object.__setattr__(self, name, view)

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


def _minibatches(rng: np.random.Generator, n: int, size: int) -> Iterator[np.ndarray]:
    """Endless batches: each epoch a fresh permutation cut into runs of `size` (the last shorter).

    Indices are sorted within a batch so that sums over it follow the data order.
    """
    while True:
        perm = rng.permutation(n)
        for lo in range(0, n, size):
            yield np.sort(perm[lo:lo + size])


def _descent_batches(
    problem: Problem, batch_size: int | None, seed: int | None
) -> tuple[Iterator[np.ndarray] | None, int | None, int | None]:
    """Check `batch_size` and `seed`; the endless batch iterator (None for full batch)."""
    if batch_size is None:
        if seed is not None:
            raise ValueError("seed only applies to minibatch descent: give batch_size too")
        return None, None, None
    batch_size = positive_int(batch_size, "batch_size")
    if batch_size > problem.n:
        raise ValueError(
            f"batch_size must be at most the number of data points ({problem.n}), "
            f"got {batch_size}"
        )
    seed = positive_int(0 if seed is None else seed, "seed", minimum=0)
    return _minibatches(np.random.default_rng(seed), problem.n, batch_size), batch_size, seed


def _step_gradient(
    problem: Problem, batches: Iterator[np.ndarray] | None, used: list[np.ndarray],
    w: float, b: float, gw: float, gb: float,
) -> tuple[float, float]:
    """The gradient the optimizer gets for one step: the full one, or the scaled batch one."""
    if batches is None:
        return gw, gb
    idx = next(batches)
    used.append(idx)
    if idx.size == problem.n:
        return gw, gb
    sub = problem.subset(idx)
    # Rescales the batch's own loss (c_B Σ_B) to (n/|B|) c Σ_B, unbiased for l.
    scale = problem.scale * problem.n / (sub.scale * sub.n)
    sgw, sgb = sub.gradient(w, b)
    return scale * sgw, scale * sgb


@dataclass
class _Run:
    """What the descent loop collects (mutable while it runs)."""

    columns: tuple[list[float], ...] = field(default_factory=lambda: ([], [], [], [], []))
    step_grads: tuple[list[float], list[float]] = field(default_factory=lambda: ([], []))
    used: list[np.ndarray] = field(default_factory=list)
    converged: bool = False
    diverged: bool = False
    diverged_at: int | None = None
    message: str = ""


def _descent_loop(
    problem: Problem, start: tuple[float, float], n: int, tol: float, max_param: float,
    opt: Any, batches: Iterator[np.ndarray] | None, too_large: str,
) -> _Run:
    w, b = start
    theta = np.array([w, b])
    run = _Run(message=f"ran all {n} steps")
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for t in range(n + 1):
            loss, gw, gb = problem.loss_and_gradient(w, b)
            if not all(math.isfinite(value) for value in (w, b, loss, gw, gb)):
                run.diverged, run.diverged_at = True, t
                run.message = f"diverged at step {t}: the loss overflowed {too_large}"
                break
            for column, value in zip(run.columns, (w, b, loss, gw, gb), strict=True):
                column.append(value)
            if max(abs(w), abs(b)) > max_param:
                run.diverged, run.diverged_at = True, t
                run.message = (
                    f"diverged at step {t}: the parameters ran past ±{max_param:g} {too_large}"
                )
                break
            if math.hypot(gw, gb) < tol:
                run.converged = True
                run.message = f"converged after {t} steps (|∇l| < {tol:g})"
                break
            if t == n:
                break
            sgw, sgb = _step_gradient(problem, batches, run.used, w, b, gw, gb)
            run.step_grads[0].append(sgw)
            run.step_grads[1].append(sgb)
            theta = opt.step(theta, np.array([sgw, sgb]))
            w, b = float(theta[0]), float(theta[1])
    return run


def descend(
    problem: Problem,
    start: tuple[float, float],
    learning_rate: float,
    steps: int,
    *,
    tol: float = 1e-10,
    max_param: float = DEFAULT_MAX_PARAM,
    optimizer: str = "gd",
    batch_size: int | None = None,
    seed: int | None = None,
    **hyperparameters: object,
) -> Trajectory:
    """Descend the loss from `start` with plain GD, momentum, RMSprop or Adam, in float64.

    Parameters
    ----------
    problem : Problem
        The loss to descend.
    start : (float, float)
        (w₀, b₀), finite.
    learning_rate : float
        η > 0. No hidden rescaling: plain GD steps by exactly η times the gradient.
    steps : int
        Maximum number of steps (optimizer updates, one minibatch each), ≥ 0.
    tol : float, optional
        Stop and report convergence once the full gradient has |∇l| < tol (0 never stops early).
    max_param : float, optional
        A parameter whose magnitude exceeds this counts as diverged.
    optimizer : {"gd", "momentum", "nesterov", "rmsprop", "adam"}, optional
        The update rule, as ``torch.optim`` documents it (see `gdmath.optimizers`).
    batch_size : int, optional
        Minibatch SGD with batches of this size, 1 ≤ `batch_size` ≤ n. Each epoch draws a
        permutation of the data without replacement and cuts it into batches (the last may be
        shorter); each step uses one batch. The batch gradient is scaled to be an unbiased
        estimate of the full gradient: for a batch B, ``(n/|B|) · c · Σ_{i∈B} ∇(φ(w·xᵢ+b) − yᵢ)²``
        (so for ``"sse"`` the batch sum times n/|B|, for ``"mse"`` the batch mean). A batch holding
        every point uses the full gradient itself, so ``batch_size=n`` is full-batch descent bit
        for bit. None (the default) is full-batch descent.
    seed : int, optional
        Seed of ``np.random.default_rng`` for the batches; only with `batch_size`. The default
        is 0, as in `gdmath.make_dataset`, so that a rendered run is reproducible.
    **hyperparameters
        Those of `optimizer`: ``momentum`` (0.9) and ``dampening`` (0, ``"momentum"`` only);
        ``alpha`` (0.99) and ``eps`` (1e-8) for ``"rmsprop"``; ``betas`` ((0.9, 0.999)) and
        ``eps`` (1e-8) for ``"adam"``.

    Returns
    -------
    Trajectory
        The iterates, with the full loss and gradient at each. Divergence is not an error: the
        run stops at the last finite point and says so in ``diverged`` and ``message``.

    Raises
    ------
    ValueError, TypeError
        For a non-finite start, η ≤ 0 or NaN, negative `steps`, an unknown optimizer, a
        hyperparameter the optimizer does not take or out of range, `batch_size` outside
        1 … n, or a `seed` without `batch_size`.
    """
    if not isinstance(problem, Problem):
        raise TypeError(f"problem must be a gdmath.Problem, got {type(problem).__name__}")
    start = finite_pair(start, "start")
    eta = positive_real(learning_rate, "learning_rate")
    n = positive_int(steps, "steps", minimum=0)
    tol = nonnegative_real(tol, "tol")
    max_param = positive_real(max_param, "max_param")
    opt = make_optimizer(optimizer, eta, **hyperparameters)
    batches, batch_size, seed = _descent_batches(problem, batch_size, seed)
    too_large = f"(η = {eta:g} is too large{'' if optimizer == 'gd' else f' for {optimizer}'})"
    run = _descent_loop(problem, start, n, tol, max_param, opt, batches, too_large)
    return _trajectory(run, eta, optimizer, opt.hyperparameters, batch_size, seed)


def _trajectory(
    run: _Run, eta: float, optimizer: str, hyperparameters: Mapping[str, object],
    batch_size: int | None, seed: int | None,
) -> Trajectory:
    """Freeze what the loop collected into a `Trajectory`."""
    # A step whose target was not finite is not part of the run.
    k = max(len(run.columns[0]) - 1, 0)
    arrays = [np.array(column, dtype=float) for column in run.columns]
    step_grads = [np.array(column[:k], dtype=float) for column in run.step_grads]
    used_batches = tuple(run.used[:k])
    _frozen(*arrays, *step_grads, *used_batches)
    return Trajectory(
        *arrays,
        learning_rate=eta,
        converged=run.converged,
        diverged=run.diverged,
        message=run.message,
        optimizer=optimizer,
        hyperparameters=hyperparameters,
        batch_size=batch_size,
        seed=seed,
        step_grad_w=step_grads[0],
        step_grad_b=step_grads[1],
        batches=used_batches,
        diverged_at=run.diverged_at,
    )


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

    def rhs(_time: float, theta: np.ndarray) -> np.ndarray:
        gw, gb = problem.gradient(theta[0], theta[1])
        return -np.array([gw, gb])

    def jac(_time: float, theta: np.ndarray) -> np.ndarray:
        return -problem.hessian(theta[0], theta[1])

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
        lam_min, lam_max = self.eigenvalues
        return float(lam_max / lam_min) if lam_min > 0 else math.inf


def exact_objective(problem: Problem) -> tuple[Callable, Callable, Callable]:
    """The loss, its gradient and its Hessian as functions of θ = (w, b), for scipy.optimize."""

    def fun(theta: np.ndarray) -> float:
        return float(problem.loss(theta[0], theta[1]))

    def jac(theta: np.ndarray) -> np.ndarray:
        return np.array(problem.gradient(theta[0], theta[1]))

    def hess(theta: np.ndarray) -> np.ndarray:
        return problem.hessian(theta[0], theta[1])

    return fun, jac, hess


def minimum(problem: Problem, start: tuple[float, float]) -> Minimum:
    """Find the local minimum reached from `start` with ``scipy.optimize.minimize``.

    Uses the exact gradient and Hessian (trust-region method ``trust-exact``).
    """
    w0, b0 = finite_pair(start, "start")
    fun, jac, hess = exact_objective(problem)
    res = optimize.minimize(fun, [w0, b0], jac=jac, hess=hess, method="trust-exact",
                            options={"gtol": 1e-10, "maxiter": 2000})
    w, b = (float(value) for value in res.x)
    h = problem.hessian(w, b)
    eig = np.linalg.eigvalsh(h)
    success, message = bool(res.success), str(res.message)
    # On a very flat floor trust-exact can stop with "a bad approximation" although it stands on
    # the minimum: judge by the exact gradient and curvature instead of the optimizer's flag.
    stationary = math.hypot(*problem.gradient(w, b)) < 1e-8 * (1.0 + abs(float(res.fun)))
    if not success and stationary and eig[0] > 0:
        success, message = True, f"stationary point with positive curvature ({message})"
    return Minimum(w=w, b=b, loss=float(res.fun), hessian=h, eigenvalues=eig,
                   success=success, message=message)


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
    central_difference = np.array([
        (problem.loss(w + h, b) - problem.loss(w - h, b)) / (2 * h),
        (problem.loss(w, b + h) - problem.loss(w, b - h)) / (2 * h),
    ])
    return float(np.linalg.norm(np.array(problem.gradient(w, b)) - central_difference))
