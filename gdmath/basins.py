"""Many starts at once: basins of attraction on a grid, and critical step sizes along a path.

`basins` runs the same descent as `gdmath.descend` from every node of a (w, b) grid in one numpy
loop over the steps, then says which local minimum each start ends in. `critical_learning_rates`
is `gdmath.critical_learning_rate` for a whole path at once.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import contourpy
import numpy as np

from gdmath._validate import finite_array, point_array, positive_int, positive_real
from gdmath.descent import DEFAULT_MAX_PARAM, Minimum, minimum
from gdmath.optimizers import make_optimizer
from gdmath.problem import Problem

__all__ = ["Basins", "basin_outlines", "basins", "critical_learning_rates"]


@dataclass(frozen=True)
class Basins:
    """Where descent from each node of a grid ends up.

    Attributes
    ----------
    w : ndarray, shape (nw,)
        Start values of w (grid columns).
    b : ndarray, shape (nb,)
        Start values of b (grid rows).
    labels : ndarray of int, shape (nb, nw)
        ``labels[j, i]`` is the index in `minima` of the minimum reached from ``(w[i], b[j])``, or
        −1 if that run diverged, did not converge within the steps, or stopped somewhere that is
        not a strict local minimum (a saddle, a flat plateau).
    minima : tuple of Minimum
        The distinct minima reached, sorted by loss (label 0 is the lowest). Their ``success``
        is scipy's verdict and may be False on a very flat floor even though the point is exact.
    end_w, end_b : ndarray, shape (nb, nw)
        Last point of each run (the last finite one for a diverged run).
    n_steps : ndarray of int, shape (nb, nw)
        Steps each run took before it converged, diverged or ran out.
    converged, diverged : ndarray of bool, shape (nb, nw)
        How each run ended, with the same meaning as in `gdmath.Trajectory`.
    learning_rate : float
        η.
    optimizer : str
        The update rule.
    hyperparameters : Mapping[str, object]
        Its hyperparameters, defaults included.
    """

    w: np.ndarray
    b: np.ndarray
    labels: np.ndarray
    minima: tuple[Minimum, ...]
    end_w: np.ndarray
    end_b: np.ndarray
    n_steps: np.ndarray
    converged: np.ndarray
    diverged: np.ndarray
    learning_rate: float
    optimizer: str
    hyperparameters: Mapping[str, Any]

    @property
    def shape(self) -> tuple[int, int]:
        """(nb, nw)."""
        return (int(self.b.size), int(self.w.size))

    @property
    def W(self) -> np.ndarray:
        """Start w at every grid node, shape (nb, nw)."""
        return np.broadcast_to(self.w, self.shape)

    @property
    def B(self) -> np.ndarray:
        """Start b at every grid node, shape (nb, nw)."""
        return np.broadcast_to(self.b[:, None], self.shape)

    @property
    def counts(self) -> np.ndarray:
        """Number of starts that reach each minimum, shape (len(minima),)."""
        lab = self.labels[self.labels >= 0]
        return np.bincount(lab, minlength=len(self.minima))

    def label_at(self, start: tuple[float, float]) -> int:
        """Label of the grid node nearest to `start`."""
        w0, b0 = start
        return int(self.labels[np.argmin(np.abs(self.b - b0)), np.argmin(np.abs(self.w - w0))])


def _run(
    problem: Problem,
    theta: np.ndarray,
    steps: int,
    tol: float,
    max_param: float,
    opt: Any,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """`descend`'s loop on a flat stack of starts, shape (2, m); the same stopping rules.

    Returns the end points (2, m), the steps taken, and the converged and diverged flags.
    """
    n_starts = theta.shape[1]
    end = theta.copy()
    n_steps = np.zeros(n_starts, dtype=int)
    converged = np.zeros(n_starts, dtype=bool)
    diverged = np.zeros(n_starts, dtype=bool)
    active = np.ones(n_starts, dtype=bool)
    grad = np.zeros_like(theta)
    for t in range(steps + 1):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        # Only running starts are evaluated: that is where the time goes, and most starts in a
        # basin stop long before the slowest.
        w, b = theta[0, idx], theta[1, idx]
        loss, gw, gb = problem.loss_and_gradient(w, b)
        finite = np.isfinite(np.stack([w, b, loss, gw, gb])).all(axis=0)
        # As in descend: a non-finite point is not kept, the run ends at the previous one, which
        # `end` still holds.
        bad = idx[~finite]
        diverged[bad] = True
        n_steps[bad] = max(t - 1, 0)
        end[:, idx[finite]] = theta[:, idx[finite]]
        n_steps[idx[finite]] = t
        out = finite & (np.maximum(np.abs(w), np.abs(b)) > max_param)
        diverged[idx[out]] = True
        conv = finite & ~out & (np.hypot(gw, gb) < tol)
        converged[idx[conv]] = True
        going = finite & ~out & ~conv
        active[idx[~going]] = False
        if t == steps:
            break
        run = idx[going]
        # Stopped starts keep a stale gradient: the step computed for them is thrown away.
        grad[:, run] = np.stack([gw[going], gb[going]])
        new = opt.step(theta, grad)
        theta[:, run] = new[:, run]
    return end, n_steps, converged, diverged


def _newton_lengths(problem: Problem, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """|H⁻¹∇l| at each point, inf where H is not positive definite.

    Near a strict minimum this is the distance to it; on a saddle or a flat plateau (where a small
    gradient does not mean a minimum is near) it is inf or large.
    """
    gw, gb = problem.gradient(w, b)
    h = problem.hessian(w, b)
    hww, hwb, hbb = h[..., 0, 0], h[..., 0, 1], h[..., 1, 1]
    det = hww * hbb - hwb * hwb
    positive_definite = (hww > 0) & (det > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        dw = (hbb * gw - hwb * gb) / det
        db = (hww * gb - hwb * gw) / det
    return np.where(positive_definite, np.hypot(dw, db), np.inf)


def _label_by_minimum(
    problem: Problem, end: np.ndarray, converged: np.ndarray, merge_tol: float
) -> tuple[np.ndarray, list[Minimum]]:
    """Label each converged end point (columns of `end`) by the strict minimum it sits at.

    Returns the labels (−1 for none), lowest minimum first, and those minima in that order.
    """
    labels = np.full(end.shape[1], -1)
    minima: list[Minimum] = []
    cand = np.flatnonzero(converged)
    if cand.size:
        near = _newton_lengths(problem, end[0, cand], end[1, cand]) < merge_tol
        cand = cand[near]
    # Lowest end points first: the one refined for a cluster is the one nearest its bottom.
    pending = cand[np.argsort(problem.loss(end[0, cand], end[1, cand]), kind="stable")]
    while pending.size:
        i = pending[0]
        found = minimum(problem, (float(end[0, i]), float(end[1, i])))
        # Judged by its own Newton step, not `found.success`: on a flat floor scipy cannot meet
        # its gradient tolerance in float64 and says so, although the point is right.
        at_bottom = _newton_lengths(problem, np.array([found.w]), np.array([found.b]))[0]
        if not (at_bottom < 1e-3 * merge_tol
                and math.dist(found.point, (end[0, i], end[1, i])) < merge_tol):
            pending = pending[1:]
            continue
        k = next((j for j, known in enumerate(minima)
                  if math.dist(known.point, found.point) < merge_tol), None)
        if k is None:
            k = len(minima)
            minima.append(found)
        kept = minima[k]
        close = np.hypot(end[0, pending] - kept.w, end[1, pending] - kept.b) < merge_tol
        # End point i is within merge_tol of `found`, which is `mk` up to the refinement's
        # precision (only a merge makes them differ at all).
        close[0] = True
        labels[pending[close]] = k
        pending = pending[~close]

    order = sorted(range(len(minima)), key=lambda j: minima[j].loss)
    relabel = np.empty(len(minima) + 1, dtype=int)
    relabel[-1] = -1
    relabel[order] = np.arange(len(minima))
    labels = relabel[labels]

    return labels, [minima[j] for j in order]


def basins(
    problem: Problem,
    w_grid: object,
    b_grid: object,
    learning_rate: float,
    steps: int,
    *,
    tol: float = 1e-6,
    merge_tol: float = 1e-3,
    max_param: float = DEFAULT_MAX_PARAM,
    optimizer: str = "gd",
    **hyperparameters: object,
) -> Basins:
    """Run descent from every node of a grid and label each start by the minimum it reaches.

    The runs are those of `gdmath.descend` (same optimizer, stopping rules and float64
    arithmetic) done together: one loop over the steps on arrays holding all nb × nw starts.

    A start is labelled k when its run converged (|∇l| < `tol`) at a point within `merge_tol` of
    the strict local minimum k (up to the precision of `gdmath.minimum`). To find the minima, end
    points where the Hessian is positive definite and the Newton step is shorter than `merge_tol`
    are refined with `gdmath.minimum` (one per cluster, not one per start); refined minima closer
    than `merge_tol` are one minimum.
    A plateau where |∇l| < `tol` but the floor is far away, a saddle, and a run that did not
    converge or diverged get −1. The default `tol` is coarser than `descend`'s so that slow,
    flat basins settle within a few thousand steps; ``tol / λmin`` must stay under `merge_tol`.

    Parameters
    ----------
    problem : Problem
        The loss.
    w_grid : array_like, shape (nw,)
        Start values of w.
    b_grid : array_like, shape (nb,)
        Start values of b.
    learning_rate : float
        η > 0.
    steps : int
        Maximum number of steps per start, ≥ 0. Starts that need more are labelled −1.
    tol : float, optional
        Convergence threshold on |∇l|, > 0.
    merge_tol : float, optional
        Distance in the (w, b) plane under which two points are the same minimum, > 0.
    max_param : float, optional
        A parameter whose magnitude exceeds this counts as diverged.
    optimizer : str, optional
        One of `gdmath.OPTIMIZERS`.
    **hyperparameters
        The optimizer's, as for `gdmath.descend`.

    Returns
    -------
    Basins

    Raises
    ------
    ValueError, TypeError
        For an empty, non-1-D or non-finite grid, and for the arguments `gdmath.descend` rejects.

    Examples
    --------
    >>> p = Problem([0.0, 1.0], [1.0, 3.0])
    >>> r = basins(p, [-1.0, 0.0, 1.0], [0.0, 2.0], learning_rate=0.1, steps=500)
    >>> r.labels.tolist(), [round(v, 6) for v in r.minima[0].point]
    ([[0, 0, 0], [0, 0, 0]], [2.0, 1.0])
    """
    w_values, b_values, eta, steps, tol, merge_tol, max_param = _basin_arguments(
        problem, w_grid, b_grid, learning_rate, steps, tol, merge_tol, max_param)
    opt = make_optimizer(optimizer, eta, **hyperparameters)
    # Row j, column i: (w[i], b[j]).
    theta = np.stack(np.meshgrid(w_values, b_values)).reshape(2, -1)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        end, n_steps, converged, diverged = _run(problem, theta, steps, tol, max_param, opt)
    labels, minima = _label_by_minimum(problem, end, converged, merge_tol)
    per_start = (labels, end[0], end[1], n_steps, converged, diverged)
    grids = [values.reshape(b_values.size, w_values.size) for values in per_start]
    for array in [w_values, b_values, *grids]:
        array.setflags(write=False)
    return Basins(w_values, b_values, grids[0], tuple(minima), *grids[1:], learning_rate=eta,
                  optimizer=optimizer, hyperparameters=opt.hyperparameters)


def _blur(field: np.ndarray, sigma: float) -> np.ndarray:
    """A separable Gaussian blur of `field` by `sigma` grid spacings (edges repeated)."""
    if sigma <= 0:
        return field.astype(float)
    reach = max(1, math.ceil(3 * sigma))
    offsets = np.arange(-reach, reach + 1)
    kernel = np.exp(-0.5 * (offsets / sigma) ** 2)
    kernel /= kernel.sum()
    out = field.astype(float)
    for axis in (0, 1):
        padded = np.pad(out, [(reach, reach) if k == axis else (0, 0) for k in (0, 1)],
                        mode="edge")
        size = out.shape[axis]
        out = sum(weight * np.take(padded, np.arange(size) + reach + shift, axis=axis)
                  for shift, weight in zip(offsets, kernel, strict=True))
    return out


def basin_outlines(
    w: object, b: object, labels: object, *, smoothing: float = 1.0,
) -> dict[int, list[np.ndarray]]:
    """Smooth outlines of the regions of equal label on a grid: closed (w, b) rings per label.

    Each label's indicator (1 on its nodes, 0 elsewhere) is blurred by a Gaussian of `smoothing`
    grid spacings; a point belongs to the label whose blurred indicator is largest there, and
    contourpy traces where that one's lead over the others is 0. The borders are then smooth
    curves between the nodes of different labels, not the staircase of the grid's cells; with
    two labels the border is the 0.5 level of the blurred indicator. The regions still cover the
    window (up to slivers where three labels meet).

    Parameters
    ----------
    w, b : array_like, shapes (nw,) and (nb,)
        The grid's node coordinates, increasing (as in `Basins`).
    labels : array_like of int, shape (nb, nw)
        One label per node (rows follow b, as `Basins.labels`).
    smoothing : float, optional
        Blur radius in grid spacings, ≥ 0 (0: the plain marching-squares outline).

    Returns
    -------
    dict of int to list of ndarray
        For each label present, its rings of shape (m, 2), each closed (last point = first):
        outer borders anticlockwise, holes clockwise (fill them with the nonzero rule).
    """
    w_values, b_values = finite_array(w, "w"), finite_array(b, "b")
    grid = np.asarray(labels)
    if grid.shape != (b_values.size, w_values.size):
        raise ValueError(f"labels must have shape {(b_values.size, w_values.size)}, "
                         f"got {grid.shape}")
    if not smoothing >= 0:
        raise ValueError(f"smoothing must be >= 0, got {smoothing}")
    values = [int(value) for value in np.unique(grid)]
    blurred = np.stack([_blur((grid == value).astype(float), smoothing) for value in values])
    out: dict[int, list[np.ndarray]] = {}
    for k, value in enumerate(values):
        others = np.delete(blurred, k, axis=0)
        lead = blurred[k] - (others.max(axis=0) if others.size else 0.0)
        gen = contourpy.contour_generator(x=w_values, y=b_values, z=lead,
                                          fill_type=contourpy.FillType.OuterOffset)
        rings = []
        for points, offsets in zip(*gen.filled(0.0, 2.0), strict=True):
            rings += [np.asarray(points[lo:hi], dtype=float)
                      for lo, hi in itertools.pairwise(offsets)]
        out[value] = rings
    return out


def _basin_arguments(
    problem: Problem, w_grid: object, b_grid: object, learning_rate: float, steps: int,
    tol: float, merge_tol: float, max_param: float,
) -> tuple[np.ndarray, np.ndarray, float, int, float, float, float]:
    """`basins`' arguments, checked: the grids as arrays, the numbers as numbers."""
    if not isinstance(problem, Problem):
        raise TypeError(f"problem must be a gdmath.Problem, got {type(problem).__name__}")
    return (finite_array(w_grid, "w_grid"), finite_array(b_grid, "b_grid"),
            positive_real(learning_rate, "learning_rate"),
            positive_int(steps, "steps", minimum=0), positive_real(tol, "tol"),
            positive_real(merge_tol, "merge_tol"), positive_real(max_param, "max_param"))


def critical_learning_rates(problem: Problem, points: object) -> np.ndarray:
    """The step size 2/λmax of the Hessian at many points at once, e.g. along a path.

    Parameters
    ----------
    problem : Problem
        The loss.
    points : array_like, shape (..., 2)
        (w, b) pairs in the last axis, such as ``Trajectory.points``; finite.

    Returns
    -------
    ndarray, shape (...)
        2/λmax at each point; inf where λmax ≤ 0 (no step size is too large there).

    Examples
    --------
    >>> p = Problem([0.0, 1.0], [1.0, 3.0])
    >>> critical_learning_rates(p, [[0.0, 0.0], [5.0, -1.0]]).round(4).tolist()
    [0.382, 0.382]
    """
    if not isinstance(problem, Problem):
        raise TypeError(f"problem must be a gdmath.Problem, got {type(problem).__name__}")
    pts = point_array(points)
    lam_max = np.linalg.eigvalsh(problem.hessian(pts[..., 0], pts[..., 1]))[..., -1]
    out = np.full(lam_max.shape, np.inf)
    np.divide(2.0, lam_max, out=out, where=lam_max > 0)
    return out
