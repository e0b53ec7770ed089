"""The seed's three further ideas, as numbers: one parameter at a time, and a path's detour.

`descend_slice` runs gradient descent on w alone with b held fixed: the one-parameter picture
the seed builds on (the curve l(w) at fixed b is one slice of the surface). `detour_figures`
measures how far a descent path departs from the straight line to its floor: how much its
heading turns, and how much higher the straight segment climbs than the path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gdmath._validate import finite_pair, positive_int, positive_real
from gdmath.descent import Trajectory
from gdmath.problem import Problem

__all__ = ["Detour", "SliceDescent", "descend_slice", "detour_figures", "heading_turn"]


@dataclass(frozen=True, eq=False)
class SliceDescent:
    """Gradient descent on w with b held fixed: wₜ₊₁ = wₜ − η ∂l/∂w (wₜ, b).

    Attributes
    ----------
    w : ndarray, shape (k + 1,)
        The iterates, start included.
    b : float
        The fixed bias.
    loss : ndarray, shape (k + 1,)
        l(wₜ, b).
    grad_w : ndarray, shape (k + 1,)
        ∂l/∂w at each iterate.
    learning_rate : float
        η.
    """

    w: np.ndarray
    b: float
    loss: np.ndarray
    grad_w: np.ndarray
    learning_rate: float

    @property
    def n_steps(self) -> int:
        """Number of steps taken."""
        return int(self.w.size - 1)


def descend_slice(
    problem: Problem, start: tuple[float, float], learning_rate: float, steps: int,
    *, tol: float = 0.0,
) -> SliceDescent:
    """Descend the slice b = b₀ of the loss along w only, with the same rule as `descend`.

    Parameters
    ----------
    problem : Problem
        The loss.
    start : (float, float)
        (w₀, b₀); b stays at b₀.
    learning_rate : float
        η > 0.
    steps : int
        Maximum number of steps.
    tol : float, optional
        Stop once |∂l/∂w| < tol.

    Returns
    -------
    SliceDescent

    Examples
    --------
    >>> p = Problem([0.0, 1.0], [1.0, 3.0])
    >>> s = descend_slice(p, (0.0, 1.0), 0.25, 40)
    >>> round(float(s.w[-1]), 6)  # the best w at b = 1: Σ (w·xᵢ + 1 − yᵢ)·xᵢ = 0
    2.0
    """
    w0, b0 = finite_pair(start, "start")
    eta = positive_real(learning_rate, "learning_rate")
    n = positive_int(steps, "steps", minimum=0)
    w_values, losses = [w0], [float(problem.loss(w0, b0))]
    slopes = [float(problem.gradient(w0, b0)[0])]
    for _ in range(n):
        if abs(slopes[-1]) < tol or not np.isfinite(slopes[-1]):
            break
        w = w_values[-1] - eta * slopes[-1]
        w_values.append(w)
        losses.append(float(problem.loss(w, b0)))
        slopes.append(float(problem.gradient(w, b0)[0]))
    return SliceDescent(w=np.array(w_values), b=b0, loss=np.array(losses), grad_w=np.array(slopes),
                        learning_rate=eta)


def heading_turn(steps: np.ndarray, min_length: float = 0.0) -> np.ndarray:
    """The heading of each step relative to the first, unwrapped, in degrees.

    Steps shorter than `min_length` carry no reliable direction and are left out.
    """
    vectors = np.asarray(steps, dtype=float)
    vectors = vectors[np.hypot(vectors[:, 0], vectors[:, 1]) > min_length]
    if vectors.shape[0] == 0:
        return np.zeros(0)
    angle = np.unwrap(np.arctan2(vectors[:, 1], vectors[:, 0]))
    return np.degrees(angle - angle[0])


@dataclass(frozen=True)
class Detour:
    """How a descent path departs from the straight line between its start and its floor.

    Attributes
    ----------
    turn : float
        The path's heading change in degrees, from its first step to the direction of its
        last 10 % of path length (signed, unwrapped).
    max_turn : float
        The largest |heading change| from the first step anywhere along the path.
    straight_max : float
        The highest loss on the straight segment from the start to the floor.
    path_max : float
        The highest loss on the path (its start, when the loss falls monotonically).
    bump : float
        ``straight_max − l(start)``: how far the straight line climbs above the start.
    bump_at : (float, float)
        Where on the segment the loss is highest.
    monotone : bool
        The loss falls (or stays) on every step.
    """

    turn: float
    max_turn: float
    straight_max: float
    path_max: float
    bump: float
    bump_at: tuple[float, float]
    monotone: bool


def detour_figures(
    problem: Problem, trajectory: Trajectory, floor: tuple[float, float], samples: int = 801,
) -> Detour:
    """Measure the detour of `trajectory` towards `floor` (e.g. the verified minimum).

    The straight segment is sampled at `samples` points; the path's loss is the exact loss at
    its iterates and, between them, on each step's segment (9 points per step).
    """
    pts = trajectory.points
    w_floor, b_floor = finite_pair(floor, "floor")
    fraction = np.linspace(0.0, 1.0, positive_int(samples, "samples", minimum=2))
    segment_w = pts[0, 0] + fraction * (w_floor - pts[0, 0])
    segment_b = pts[0, 1] + fraction * (b_floor - pts[0, 1])
    seg = np.asarray(problem.loss(segment_w, segment_b), dtype=float)
    i = int(np.argmax(seg))
    u = np.linspace(0.0, 1.0, 9)[:, None]
    between = pts[:-1][None] * (1 - u[..., None]) + pts[1:][None] * u[..., None]
    path_l = np.asarray(problem.loss(between[..., 0], between[..., 1]), dtype=float)
    length = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(pts, axis=0).T))])
    heading = heading_turn(np.diff(pts, axis=0))
    # The last tenth of the path's length, from the first iterate at 90 % of it to the end.
    k = int(np.argmax(length >= 0.9 * length[-1]))
    tail = pts[-1] - pts[k]
    turn = 0.0
    if heading.size and k < pts.shape[0] - 1 and np.hypot(*tail) > 0:
        first = np.arctan2(*(pts[1] - pts[0])[::-1])
        turn = float(np.degrees((np.arctan2(tail[1], tail[0]) - first + np.pi) % (2 * np.pi)
                                - np.pi))
    return Detour(
        turn=turn, max_turn=float(np.abs(heading).max()) if heading.size else 0.0,
        straight_max=float(seg[i]), path_max=float(max(path_l.max(initial=-np.inf),
                                                        trajectory.loss.max())),
        bump=float(seg[i] - trajectory.loss[0]), bump_at=(float(segment_w[i]), float(segment_b[i])),
        monotone=bool(np.all(np.diff(trajectory.loss) <= 0.0)),
    )
