"""Helpers shared by the scene tests: independent geometry and pixel conversions."""

from __future__ import annotations

import numpy as np


def unit_vectors(axes) -> np.ndarray:
    """Scene vectors of one unit of w, b, l, measured on the axes (rows)."""
    o = np.asarray(axes.c2p(0.0, 0.0, 0.0), dtype=float)
    return np.stack([np.asarray(axes.c2p(*e), dtype=float) - o for e in np.eye(3)])


def expected_ball_center(axes, problem, w: float, b: float, radius: float) -> np.ndarray:
    """(w, b, l(w, b)) in scene coordinates, lifted by `radius` along the surface normal.

    Written independently of scenes.kit.mobjects: the normal is the normalised gradient of
    F(X) = Z − sz·l(w(X), b(Y)), built from the axes' unit vectors.
    """
    l = float(problem.loss(w, b))  # noqa: E741
    gw, gb = problem.gradient(w, b)
    e_w, e_b, e_l = unit_vectors(axes)
    # Solve for the normal as the vector orthogonal to both tangents, oriented up.
    t1, t2 = e_w + gw * e_l, e_b + gb * e_l
    m = np.stack([t1, t2])
    _, _, vt = np.linalg.svd(m)
    n = vt[-1]
    if n @ e_l < 0:
        n = -n
    p = np.asarray(axes.c2p(w, b, l), dtype=float)
    return p + radius * n / np.linalg.norm(n)


def to_pixels(camera, mobject, points: np.ndarray) -> np.ndarray:
    """Sub-pixel coordinates of scene points as `camera` draws them for `mobject`."""
    if hasattr(camera, "reset_rotation_matrix"):
        camera.reset_rotation_matrix()
    return camera.points_to_subpixel_coords(mobject, np.atleast_2d(points))


def scene_to_wbl(axes, pts: np.ndarray) -> np.ndarray:
    """Invert the axes' affine map: scene points -> (w, b, l)."""
    o = np.asarray(axes.c2p(0.0, 0.0, 0.0), dtype=float)
    e = unit_vectors(axes)
    return np.linalg.solve(e.T, (np.atleast_2d(pts) - o).T).T
