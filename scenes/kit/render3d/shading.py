"""Manim's lighting and projection, vectorized: shading points, face light, normals, depth bias."""

from __future__ import annotations

import functools
import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from manim import (
    BLUE_D,
    RED_D,
    Mobject,
    ParsableManimColor,
    ThreeDCamera,
)

FloatArray = npt.NDArray[np.float64]

# --- manim's lighting model (manim.utils.color.core.get_shaded_rgb) ---------------
#: Scale of the cubed ``normal · to_sun`` term added to every RGB channel.
MANIM_LIGHT_STRENGTH = 0.5
#: Factor applied to that term when it is negative (faces turned from the light).
MANIM_SHADOW_FACTOR = 0.5
#: Exponent of ``normal · to_sun`` in manim's shading.
MANIM_LIGHT_EXPONENT = 3
#: Fractions along a straight edge at which ``set_points_as_corners`` puts the two
#: Bézier handles; manim's "end corner" of a face lands on one of them (see
#: :func:`face_shading_points`).
BEZIER_HANDLE_FRACTIONS = (1.0 / 3.0, 2.0 / 3.0)

# --- tone shading (FastSurface(shading="tone")) -----------------------------------
#: Gain of manim's light term when it scales the colour instead of being added to it: a face
#: turned fully to the light gets 1 + 0.5·gain of its colour, one turned away 1 − 0.25·gain.
#: Adding the term whitened the lit side (a dark purple valley floor turned lavender, the high
#: green turned pale cyan), so its colours no longer matched the loss scale; scaling keeps each
#: face's hue and saturation, and only its brightness shows the shape.
TONE_LIGHT_GAIN = 0.8

# --- manim's projection (ThreeDCamera.project_points) ----------------------------
#: Scale factor manim gives to points behind the eye (``focal_distance < z``).
BEHIND_CAMERA_SCALE = 10.0**6

# --- FastSurface defaults ---------------------------------------------------------
DEFAULT_FACE_COLOR: ParsableManimColor = BLUE_D
#: Each projected face is grown by this many pixels away from its centre so that
#: antialiased edges of neighbouring faces overlap instead of letting the
#: background show through as hairline cracks.
DEFAULT_SEAM_OVERLAP_PX = 0.6

# --- ShadedBall defaults ----------------------------------------------------------
DEFAULT_BALL_RADIUS = 0.12
DEFAULT_BALL_COLOR: ParsableManimColor = RED_D
#: Default extra depth (in ball radii) added to the ball's sort key. The ball is
#: drawn after every face whose centre is less deep than its centre plus this;
#: 1 radius reaches the ball's front point, the rest covers faces whose centre is
#: up to about half a face away from the part of the face under the ball.
DEFAULT_BALL_SORT_OFFSET_RADII = 1.5
#: Offset of the specular spot from the disc centre, in radii, towards the light.
BALL_HIGHLIGHT_OFFSET = 0.45
#: How far the spot's colour is pushed from the base colour towards the highlight.
BALL_HIGHLIGHT_MIX = 0.7
#: Gradient stop (0 = spot, 1 = rim) at which the plain base colour is reached.
BALL_MIDTONE_STOP = 0.6
#: Multiplier of the base colour at the rim, for the shadowed limb of the ball.
BALL_RIM_DARKEN = 0.5

#: Last light terms of each mesh (see :meth:`FastSurface.shading_light`). Kept outside the
#: mobjects so that manim's scene-caching hash, which reads every attribute, ignores them.
LIGHT_CACHE: weakref.WeakKeyDictionary[Mobject, tuple[Any, FloatArray, FloatArray]] = (
    weakref.WeakKeyDictionary())

#: Attribute read by :class:`FastThreeDCamera` on any 3D mobject: extra depth
#: added to its sort key (see :func:`set_sort_depth_offset`).
SORT_DEPTH_OFFSET_ATTR = "sort_depth_offset"


# ---------------------------------------------------------------------------------
# Pure numpy helpers
# ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def quad_corner_indices(nb: int, nw: int) -> tuple[npt.NDArray[np.intp], ...]:
    """Flat vertex indices of the four corners of each face of an ``nb × nw`` grid.

    Corners follow stock :class:`~manim.Surface` (``u`` along the second grid
    axis, ``v`` along the first): ``(u1, v1), (u2, v1), (u2, v2), (u1, v2)``.

    Parameters
    ----------
    nb, nw
        Number of grid rows and columns (vertices).

    Returns
    -------
    tuple of numpy.ndarray
        Four index arrays of length ``(nb - 1) * (nw - 1)``, faces in row-major order.
    """
    idx = np.arange(nb * nw).reshape(nb, nw)
    corners = (idx[:-1, :-1], idx[:-1, 1:], idx[1:, 1:], idx[1:, :-1])
    # Cached arrays are shared between calls: make them read-only.
    out = tuple(np.ascontiguousarray(corner).ravel() for corner in corners)
    for arr in out:
        arr.flags.writeable = False
    return out


def _unit_cross(lhs: FloatArray, rhs: FloatArray) -> FloatArray:
    """Row-wise ``lhs × rhs`` normalised; zero rows stay zero (degenerate faces)."""
    cross = np.cross(lhs, rhs)
    norm = np.linalg.norm(cross, axis=1, keepdims=True)
    return np.divide(cross, norm, out=np.zeros_like(cross), where=norm > 0)


def face_shading_points(
    corners: Sequence[FloatArray],
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Points and unit normals at which manim shades a quad face.

    Manim shades a 3D face at a "start corner" and an "end corner" and fills it
    with a gradient between the two. The start corner is vertex 0 with normal
    ``(corner1 - corner0) × (corner3 - corner0)``. The end corner index assumes
    three points per Bézier curve, but faces have four, so it lands on a handle
    two thirds along the edge ``corner1 → corner2``, with its normal taken from
    its neighbours three points away (vertex 1 and the first handle of edge
    ``corner2 → corner3``). We copy this so that colours match stock faces exactly.

    Parameters
    ----------
    corners
        The four ``(F, 3)`` corner arrays ``corner0, corner1, corner2, corner3``.

    Returns
    -------
    tuple of numpy.ndarray
        ``start_point, start_normal, end_point, end_normal``, each ``(F, 3)``.
    """
    corner0, corner1, corner2, corner3 = corners
    first, second = BEZIER_HANDLE_FRACTIONS
    start_normal = _unit_cross(corner1 - corner0, corner3 - corner0)
    end_point = corner1 + second * (corner2 - corner1)
    after_end = corner2 + first * (corner3 - corner2)
    end_normal = _unit_cross(after_end - end_point, corner1 - end_point)
    return corner0, start_normal, end_point, end_normal


def face_light(points: FloatArray, normals: FloatArray, light_source: FloatArray) -> FloatArray:
    """Vectorized manim ``get_shaded_rgb`` light term (added to each RGB channel).

    Parameters
    ----------
    points
        ``(F, 3)`` shaded points.
    normals
        ``(F, 3)`` unit normals at those points.
    light_source
        ``(3,)`` light position.

    Returns
    -------
    numpy.ndarray
        ``(F,)`` light term; the shaded colour is ``rgb + light``.
    """
    to_sun = light_source - points
    norm = np.linalg.norm(to_sun, axis=1, keepdims=True)
    to_sun = np.divide(to_sun, norm, out=np.zeros_like(to_sun), where=norm > 0)
    light = MANIM_LIGHT_STRENGTH * np.einsum("ij,ij->i", normals, to_sun) ** MANIM_LIGHT_EXPONENT
    return np.where(light < 0, light * MANIM_SHADOW_FACTOR, light)


def project_points_fast(
    camera: ThreeDCamera, points: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Project points like :meth:`ThreeDCamera.project_points`, in one pass.

    Parameters
    ----------
    camera
        The camera whose current rotation matrix, frame centre, focal distance
        and zoom are used (call ``camera.reset_rotation_matrix()`` first if the
        angles changed since the last capture).
    points
        ``(N, 3)`` points in scene coordinates.

    Returns
    -------
    xy : numpy.ndarray
        ``(N, 2)`` projected coordinates, equal to ``project_points(points)[:, :2]``
        (shifted by the camera's ``screen_offset`` if it has one).
    depth : numpy.ndarray
        ``(N,)`` camera-space depth, larger is nearer the viewer; equal to
        ``project_points(points)[:, 2]``.
    scale : numpy.ndarray
        ``(N,)`` perspective scale ``factor * zoom`` applied to x and y there.
    """
    focal = camera.get_focal_distance()
    rotated = (
        np.asarray(points, dtype=float) - camera.frame_center
    ) @ camera.get_rotation_matrix().T
    depth = rotated[:, 2]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if camera.exponential_projection:
            # Same piecewise law as manim: exponential in front, projective behind.
            factor = np.exp(depth / focal)
            behind = depth < 0
            factor[behind] = focal / (focal - depth[behind])
        else:
            factor = focal / (focal - depth)
            factor[(focal - depth) < 0] = BEHIND_CAMERA_SCALE
    scale = factor * camera.get_zoom()
    # FastThreeDCamera's screen_offset (stock cameras have none: no shift).
    offset = getattr(camera, "screen_offset", 0.0)
    return rotated[:, :2] * scale[:, None] + offset, depth, scale


def unit_normals(v1: FloatArray, v2: FloatArray, tol: float = 1e-6) -> FloatArray:
    """Row-wise :func:`manim.utils.space_ops.get_unit_normal`, same branches and results.

    Parameters
    ----------
    v1, v2
        ``(N, 3)`` vectors.
    tol
        Manim's tolerance for "no normal" (aligned or null vectors).

    Returns
    -------
    numpy.ndarray
        ``(N, 3)`` unit normals of the planes spanned by ``v1`` and ``v2``; for aligned
        vectors, ``v1`` (or the non-null one) turned 90° towards the z axis, or ``DOWN``
        when it is (nearly) the z axis or both are null.
    """
    v1 = np.asarray(v1, dtype=float)
    v2 = np.asarray(v2, dtype=float)
    div1 = np.abs(v1).max(axis=1)
    div2 = np.abs(v2).max(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled1 = v1 / div1[:, None]
        scaled2 = v2 / div2[:, None]
        cross = np.cross(scaled1, scaled2)
        cross_norm = np.sqrt(np.einsum("ij,ij->i", cross, cross))
        out = cross / cross_norm[:, None]
    both = (div1 != 0) & (div2 != 0)
    good = both & (cross_norm > tol)
    # Aligned or one null vector: manim rotates the remaining vector towards z.
    kept = np.where((div1 == 0)[:, None], scaled2, scaled1)
    kept_x, kept_y, kept_z = kept[:, 0], kept[:, 1], kept[:, 2]
    turned = np.stack([-kept_x * kept_z, -kept_y * kept_z, kept_x * kept_x + kept_y * kept_y],
                      axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        turned /= np.sqrt(np.einsum("ij,ij->i", turned, turned))[:, None]
    down = ((div1 == 0) & (div2 == 0)) | ((np.abs(kept_x) < tol) & (np.abs(kept_y) < tol))
    fallback = np.where(down[:, None], np.array([0.0, -1.0, 0.0]), turned)
    return np.where(good[:, None], out, fallback)


def set_sort_depth_offset(mobject: Mobject, offset: float) -> Mobject:
    """Bias the depth sort of a 3D mobject (and its family) in :class:`FastThreeDCamera`.

    A positive offset draws the mobject later, i.e. in front of mesh faces whose
    centre is up to ``offset`` nearer the camera than the mobject's centre. Use it
    for things lying on a surface (a descent path, dots) so the faces around them
    do not cut them.

    Parameters
    ----------
    mobject
        The mobject to bias; every member of its family gets the offset.
    offset
        Depth offset in scene units.

    Returns
    -------
    Mobject
        ``mobject``, for chaining.
    """
    for member in mobject.get_family():
        setattr(member, SORT_DEPTH_OFFSET_ATTR, float(offset))
    return mobject
