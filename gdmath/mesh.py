"""A drawable mesh of the loss: nodes placed where the loss changes fast, cut at a ceiling.

A regular grid shades a steep wall in a few wide bands (stair-steps), and capping it at the
view's ceiling flattens its top into a plateau whose border is a sawtooth of whole faces.
`surface_mesh` fixes both without more faces: the grid lines along w and along b are spaced by
how fast the loss (below the ceiling) changes across them, and the nodes next to the ceiling's
level curve are moved onto it, so the faces below the ceiling end on a rim of points that lie
exactly on l = ceiling, and the faces above are left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from gdmath._validate import finite_range, positive_int, real
from gdmath.problem import Problem

__all__ = ["SurfaceMesh", "surface_mesh"]

# The 8 neighbours of a node, nearest first: a node next to the ceiling moves to the nearest
# crossing, so it moves by less than one cell.
_NEIGHBOURS = ((0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (1, -1), (-1, 1), (-1, -1))
_OVERSAMPLE = 4
_BISECTIONS = 40


@dataclass(frozen=True, eq=False)
class SurfaceMesh:
    """A quad mesh of the loss over a window, as a grid of nodes.

    Attributes
    ----------
    w, b, L : ndarray, shape (nb, nw)
        The nodes: parameters and the true loss there (``L ≤ ceiling`` at every node of a
        visible face; nodes on the rim have ``L == ceiling`` to 1e-9 of the loss range).
    visible : ndarray of bool, shape (nb - 1, nw - 1)
        The faces to draw: those below the ceiling.
    rim : ndarray of bool, shape (nb, nw)
        Nodes moved onto the ceiling's level curve.
    ceiling : float
        The loss at which the mesh is cut (inf: not cut).
    """

    w: np.ndarray
    b: np.ndarray
    L: np.ndarray
    visible: np.ndarray
    rim: np.ndarray
    ceiling: float

    @property
    def face_loss(self) -> np.ndarray:
        """Mean loss of the four corners of every face, shape (nb - 1, nw - 1)."""
        L = self.L
        return 0.25 * (L[:-1, :-1] + L[1:, :-1] + L[:-1, 1:] + L[1:, 1:])


def _spaced_nodes(lo: float, hi: float, n: int, change: np.ndarray, refine: float) -> np.ndarray:
    """`n` nodes on [lo, hi], denser where `change` (per fine interval) is large.

    A share `refine` of the nodes follows the change and the rest are evenly spaced, so flat
    parts keep a fair share of the nodes.
    """
    fine = len(change)
    total = change.sum()
    weight = np.full(fine, 1.0 / fine)
    if total > 0 and np.isfinite(total):
        weight = (1.0 - refine) * weight + refine * change / total
    cumulative = np.concatenate([[0.0], np.cumsum(weight)])
    cumulative /= cumulative[-1]
    nodes = np.interp(np.linspace(0.0, 1.0, n), cumulative, np.linspace(lo, hi, fine + 1))
    nodes[0], nodes[-1] = lo, hi
    return nodes


def _crossing(problem: Problem, above: np.ndarray, below: np.ndarray,
              ceiling: float) -> np.ndarray:
    """Points on the segments from `above` (l > ceiling) to `below` (l ≤ ceiling) where l = ceiling.

    Bisection on the true loss: the level curve may be steep and non-quadratic (sigmoid walls).
    """
    hi, lo = above.copy(), below.copy()
    for _ in range(_BISECTIONS):
        mid = 0.5 * (hi + lo)
        over = problem.loss(mid[:, 0], mid[:, 1]) > ceiling
        hi[over], lo[~over] = mid[over], mid[~over]
    return lo


def _snap(w: np.ndarray, b: np.ndarray, over: np.ndarray,
          crossing: Callable[..., np.ndarray],
          values: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
    """Move each node in `over` next to a node outside it onto the nearest boundary crossing.

    ``crossing(above, below)`` gives the boundary points on the segments from nodes in `over`
    to their neighbours outside it; with `values` (one per node) it is called as
    ``crossing(above, below, value_above, value_below)``. Returns the moved w, b, the moved
    nodes (the rim) and the faces that keep all four corners outside `over` or on the rim (not
    all on it).
    """
    n_b, n_w = over.shape
    best = np.full((n_b, n_w), np.inf)
    target = np.zeros((n_b, n_w, 2))
    pts = np.stack([w, b], axis=-1)
    for dj, di in _NEIGHBOURS:
        src = (slice(max(-dj, 0), n_b - max(dj, 0)), slice(max(-di, 0), n_w - max(di, 0)))
        dst = (slice(max(dj, 0), n_b - max(-dj, 0)), slice(max(di, 0), n_w - max(-di, 0)))
        # node (src) above, its neighbour (dst) below
        pair = over[src] & ~over[dst]
        if not pair.any():
            continue
        idx = np.argwhere(pair)
        above = pts[src][pair]
        if values is None:
            found = crossing(above, pts[dst][pair])
        else:
            found = crossing(above, pts[dst][pair], values[src][pair], values[dst][pair])
        dist = np.hypot(*(found - above).T)
        rows = idx[:, 0] + src[0].start
        cols = idx[:, 1] + src[1].start
        closer = dist < best[rows, cols]
        best[rows[closer], cols[closer]] = dist[closer]
        target[rows[closer], cols[closer]] = found[closer]
    rim = np.isfinite(best)
    w, b = w.copy(), b.copy()
    w[rim], b[rim] = target[rim, 0], target[rim, 1]
    below = ~over | rim
    corners = (below[:-1, :-1] & below[1:, :-1] & below[:-1, 1:] & below[1:, 1:])
    all_rim = rim[:-1, :-1] & rim[1:, :-1] & rim[:-1, 1:] & rim[1:, 1:]
    return w, b, rim, corners & ~all_rim


def _cut(problem: Problem, w: np.ndarray, b: np.ndarray, L: np.ndarray,
         ceiling: float) -> tuple[np.ndarray, ...]:
    """Move the nodes above the ceiling next to a node below it onto the level curve."""
    over = ~(L <= ceiling)  # NaN counts as above
    w, b, rim, visible = _snap(w, b, over,
                               lambda above, below: _crossing(problem, above, below, ceiling))
    L = L.copy()
    L[rim] = ceiling
    return w, b, L, rim, visible


def surface_mesh(problem: Problem, w_range: tuple[float, float], b_range: tuple[float, float],
                 resolution: int = 61, ceiling: float = np.inf,
                 refine: float = 0.5) -> SurfaceMesh:
    """The loss over a window as a mesh cut at `ceiling`, its nodes where the loss changes fast.

    Parameters
    ----------
    problem : Problem
        The loss.
    w_range, b_range : (float, float)
        The window.
    resolution : int
        Nodes along each axis (≥ 2); the mesh has ``(resolution − 1)²`` faces at most.
    ceiling : float
        Faces above this loss are left out and the rim between lies on l = ceiling.
    refine : float
        In [0, 1]: the share of the grid lines spaced by the change of the loss (the rest evenly).

    Returns
    -------
    SurfaceMesh
    """
    w_lo, w_hi = finite_range(w_range, "w_range")
    b_lo, b_hi = finite_range(b_range, "b_range")
    n = positive_int(resolution, "resolution", minimum=2)
    ceiling = real(ceiling, "ceiling")
    refine = real(refine, "refine")
    if not 0.0 <= refine <= 1.0:
        raise ValueError(f"refine must be in [0, 1], got {refine}")
    fine_w = np.linspace(w_lo, w_hi, _OVERSAMPLE * (n - 1) + 1)
    fine_b = np.linspace(b_lo, b_hi, _OVERSAMPLE * (n - 1) + 1)
    with np.errstate(invalid="ignore"):
        fine = np.minimum(np.asarray(problem.loss(fine_w[None, :], fine_b[:, None])), ceiling)
    fine = np.nan_to_num(fine, nan=0.0, posinf=0.0)
    # The largest change across each fine interval, over the other axis.
    w_nodes = _spaced_nodes(w_lo, w_hi, n, np.abs(np.diff(fine, axis=1)).max(axis=0), refine)
    b_nodes = _spaced_nodes(b_lo, b_hi, n, np.abs(np.diff(fine, axis=0)).max(axis=1), refine)
    w, b = np.meshgrid(w_nodes, b_nodes)
    L = np.asarray(problem.loss(w, b), dtype=float)
    rim = np.zeros(L.shape, dtype=bool)
    visible = np.ones((n - 1, n - 1), dtype=bool)
    if np.isfinite(ceiling) and not np.all(L <= ceiling):
        w, b, L, rim, visible = _cut(problem, w, b, L, ceiling)
    for arr in (w, b, L, visible, rim):
        arr.setflags(write=False)
    return SurfaceMesh(w=w, b=b, L=L, visible=visible, rim=rim, ceiling=float(ceiling))
