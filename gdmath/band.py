"""The part of a loss mesh within a distance of a path: the landscape as a descent has seen it.

The main video shows, during the roll, only the surface near where the descent has been. Drawn
as whole discs of faces around the iterates, that band had a scalloped, toothed edge (cusps
between the discs, magnified on a steep wall). `band_mesh` cuts a mesh along the exact curve at
`radius` from the path instead, as `surface_mesh` cuts at the ceiling: the nodes just outside are
moved onto the curve, so the band's edge is a smooth curve of points at that distance.
"""

from __future__ import annotations

import numpy as np

from gdmath.mesh import SurfaceMesh, _snap
from gdmath.problem import Problem

__all__ = ["band_mesh", "polyline_distance"]

# Regula falsi steps placing a node on the band's edge, after the linear guess from the two
# nodes' distances (the distance is nearly linear there: one step leaves it within a thousandth
# of the radius on a mesh of 8 faces per radius).
_EDGE_STEPS = 1


def polyline_distance(points: np.ndarray, path: np.ndarray) -> np.ndarray:
    """Distance from each of `points` (m, 2) to the polyline through `path` (k, 2), shape (m,).

    A path of one point is that point; segments of zero length are points too.
    """
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    path = np.asarray(path, dtype=float).reshape(-1, 2)
    if len(path) == 1:
        return np.hypot(*(points - path[0]).T)
    start, step = path[:-1], np.diff(path, axis=0)
    length2 = np.einsum("ij,ij->i", step, step)
    rel = points[:, None, :] - start[None, :, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        along = np.where(length2 > 0, np.einsum("mkj,kj->mk", rel, step) / length2, 0.0)
    along = np.clip(along, 0.0, 1.0)
    gap = rel - along[..., None] * step[None, :, :]
    return np.sqrt(np.einsum("mkj,mkj->mk", gap, gap).min(axis=1))


def _edge_crossing(path: np.ndarray, radius: float, outside: np.ndarray, inside: np.ndarray,
                   outside_distance: np.ndarray, inside_distance: np.ndarray) -> np.ndarray:
    """Points on the segments from `outside` to `inside` at distance `radius` from the path.

    Regula falsi from the two ends' distances: `_EDGE_STEPS` exact evaluations, then the last
    linear guess (the distance is nearly linear along a short segment).
    """
    far, near = outside.copy(), inside.copy()
    excess_far, excess_near = outside_distance - radius, inside_distance - radius
    for _ in range(_EDGE_STEPS):
        mid = _falsi(far, near, excess_far, excess_near)
        excess = polyline_distance(mid, path) - radius
        beyond = excess > 0
        far[beyond], excess_far[beyond] = mid[beyond], excess[beyond]
        near[~beyond], excess_near[~beyond] = mid[~beyond], excess[~beyond]
    return _falsi(far, near, excess_far, excess_near)


def _falsi(far: np.ndarray, near: np.ndarray, excess_far: np.ndarray,
           excess_near: np.ndarray) -> np.ndarray:
    """Where the line through the ends' excess distances crosses zero."""
    share = excess_far / np.maximum(excess_far - excess_near, 1e-300)
    return far + np.clip(share, 0.0, 1.0)[:, None] * (near - far)


def _next_to(mask: np.ndarray) -> np.ndarray:
    """The nodes with one of their 8 neighbours in `mask`."""
    padded = np.pad(mask, 1)
    rows, cols = mask.shape
    out = np.zeros_like(mask)
    for drow in (-1, 0, 1):
        for dcol in (-1, 0, 1):
            if drow or dcol:
                out |= padded[1 + drow:1 + drow + rows, 1 + dcol:1 + dcol + cols]
    return out


def band_mesh(mesh: SurfaceMesh, problem: Problem, path: np.ndarray, radius: float,
              distance: np.ndarray | None = None) -> SurfaceMesh:
    """The faces of `mesh` within `radius` of the polyline `path` (k, 2) in (w, b), cut smoothly.

    Nodes farther than `radius` next to a node within it are moved onto the curve at `radius`
    (to a thousandth of it on a mesh of 8 faces per radius) and their loss recomputed, capped at
    the mesh's ceiling; the faces drawn are the mesh's own visible faces with all four
    corners within `radius` or on that edge.

    Parameters
    ----------
    mesh : SurfaceMesh
        The mesh to cut (e.g. `surface_mesh` over the path's window, cut at the ceiling).
    problem : Problem
        The loss at the moved nodes.
    path : ndarray, shape (k, 2)
        The path so far, in the (w, b) of `mesh`, scaled so that the band is round.
    radius : float
        The band's half width, in the units of `path`.
    distance : ndarray, shape of ``mesh.L``, optional
        The nodes' distances to `path` if known (a speed-up: a scene that follows a growing
        path updates them); inf for nodes known to be farther than `radius` (those next to the
        band are then measured).

    Returns
    -------
    SurfaceMesh
        Its ``rim`` marks the nodes moved onto the band's edge.
    """
    path = np.asarray(path, dtype=float).reshape(-1, 2)
    if distance is None:
        distance = polyline_distance(np.column_stack([mesh.w.ravel(), mesh.b.ravel()]),
                                     path).reshape(mesh.L.shape)
    over = ~(distance <= radius)
    # A far node next to the band needs its true distance (the caller may not have given it).
    distance = np.array(distance, dtype=float)
    unknown = ~np.isfinite(distance) & _next_to(~over)
    if unknown.any():
        distance[unknown] = polyline_distance(
            np.column_stack([mesh.w[unknown], mesh.b[unknown]]), path)
    w, b, rim, within = _snap(
        mesh.w, mesh.b, over,
        lambda outside, inside, far, near: _edge_crossing(path, radius, outside, inside, far,
                                                          near),
        distance)
    L = np.array(mesh.L, dtype=float)
    if rim.any():
        with np.errstate(over="ignore", invalid="ignore"):
            L[rim] = np.minimum(problem.loss(w[rim], b[rim]), mesh.ceiling)
    return SurfaceMesh(w=w, b=b, L=L, visible=mesh.visible & within, rim=rim,
                       ceiling=mesh.ceiling)
