"""Fast Cairo rendering of large shaded quad meshes in 3D scenes.

Manim's stock :class:`~manim.Surface` is a group of one :class:`~manim.VMobject`
per face, so every frame pays per-face Python costs: shading, a Cairo gradient
for fill and stroke, a bounding box for depth sorting and Bézier path building.
At 64 × 64 faces that is close to a second per 1080p frame.

This module draws a whole quad mesh in one vectorized pass instead:

* :class:`FastSurface` holds the mesh as one vertex grid (its ``points``), one
  RGB colour per face, and the usual fill/stroke style, so that moving it,
  fading it and animating its opacity work as for any mobject;
* :class:`FastThreeDCamera` projects all vertices with the same maths as
  :meth:`~manim.ThreeDCamera.project_points`, shades all faces with the same
  lighting model as manim's Cairo 3D shading, sorts faces with one
  ``argsort``, merges that order with the depth order of the other 3D
  mobjects (ball, path, dots...) and fills each face with a solid colour;
  every other plain :class:`~manim.VMobject` of the frame (path pieces, axes,
  text, level lines) is projected, 3D-shaded and sorted in one numpy pass too
  and then drawn with the same Cairo calls as ``Camera.display_vectorized``,
  so the pixels are manim's (see :func:`is_plain_vmobject`);
* :class:`ShadedBall` is a camera-facing disc with a radial highlight that
  reads as a ball but costs one Cairo fill;
* :class:`FastThreeDScene` is a :class:`~manim.ThreeDScene` using that camera
  (it also keeps the scene's long-lived objects out of the cyclic garbage
  collector and the camera's rotation matrix current for manim's cache).

Typical use::

    class Valley(FastThreeDScene):
        def construct(self):
            grid = axes.c2p(W, B, loss(W, B))  # shape (nb, nw, 3), scene coords
            surface = FastSurface(grid, face_colors=colors)  # (nb-1, nw-1, 3)
            ball = ShadedBall(center=grid[5, 5], radius=0.12)
            self.add(surface, ball)
"""

from __future__ import annotations

import functools
import gc
import itertools as it
import weakref
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Self

import cairo
import numpy as np
import numpy.typing as npt
from manim import (
    BLUE_D,
    ORIGIN,
    RED_D,
    WHITE,
    ManimColor,
    Mobject,
    ParsableManimColor,
    ThreeDCamera,
    ThreeDScene,
    VMobject,
)
from manim.camera.camera import CAP_STYLE_MAP, LINE_JOIN_MAP, Camera
from manim.utils.bezier import interpolate
from manim.utils.iterables import remove_list_redundancies

__all__ = [
    "FastSurface",
    "FastThreeDCamera",
    "FastThreeDScene",
    "ShadedBall",
    "face_light",
    "project_points_fast",
    "set_sort_depth_offset",
]

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
_LIGHT_CACHE: weakref.WeakKeyDictionary[Mobject, tuple[Any, FloatArray, FloatArray]] = (
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
    out = tuple(np.ascontiguousarray(c).ravel() for c in corners)
    for arr in out:
        arr.flags.writeable = False
    return out


def _unit_cross(a: FloatArray, b: FloatArray) -> FloatArray:
    """Row-wise ``a × b`` normalised; zero rows stay zero (degenerate faces)."""
    cross = np.cross(a, b)
    norm = np.linalg.norm(cross, axis=1, keepdims=True)
    return np.divide(cross, norm, out=np.zeros_like(cross), where=norm > 0)


def face_shading_points(
    corners: Sequence[FloatArray],
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Points and unit normals at which manim shades a quad face.

    Manim shades a 3D face at a "start corner" and an "end corner" and fills it
    with a gradient between the two. The start corner is vertex 0 with normal
    ``(v1 - v0) × (v3 - v0)``. The end corner index assumes three points per
    Bézier curve, but faces have four, so it lands on a handle two thirds along
    the edge ``v1 → v2``, with its normal taken from its neighbours three points
    away (vertex 1 and the first handle of edge ``v2 → v3``). We copy this so
    that colours match stock faces exactly.

    Parameters
    ----------
    corners
        The four ``(F, 3)`` corner arrays ``v0, v1, v2, v3``.

    Returns
    -------
    tuple of numpy.ndarray
        ``start_point, start_normal, end_point, end_normal``, each ``(F, 3)``.
    """
    v0, v1, v2, v3 = corners
    first, second = BEZIER_HANDLE_FRACTIONS
    start_normal = _unit_cross(v1 - v0, v3 - v0)
    end_point = v1 + second * (v2 - v1)
    after_end = v2 + first * (v3 - v2)
    end_normal = _unit_cross(after_end - end_point, v1 - end_point)
    return v0, start_normal, end_point, end_normal


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
        ``(N, 2)`` projected coordinates, equal to ``project_points(points)[:, :2]``.
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
    return rotated[:, :2] * scale[:, None], depth, scale


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
        u1 = v1 / div1[:, None]
        u2 = v2 / div2[:, None]
        cp = np.cross(u1, u2)
        cp_norm = np.sqrt(np.einsum("ij,ij->i", cp, cp))
        out = cp / cp_norm[:, None]
    both = (div1 != 0) & (div2 != 0)
    good = both & (cp_norm > tol)
    # Aligned or one null vector: manim rotates the remaining vector towards z.
    u = np.where((div1 == 0)[:, None], u2, u1)
    ux, uy, uz = u[:, 0], u[:, 1], u[:, 2]
    turned = np.stack([-ux * uz, -uy * uz, ux * ux + uy * uy], axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        turned /= np.sqrt(np.einsum("ij,ij->i", turned, turned))[:, None]
    down = ((div1 == 0) & (div2 == 0)) | ((np.abs(ux) < tol) & (np.abs(uy) < tol))
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


# ---------------------------------------------------------------------------------
# Mobjects
# ---------------------------------------------------------------------------------


class FastSurface(VMobject):
    """A quad mesh drawn in one vectorized pass by :class:`FastThreeDCamera`.

    The vertex grid is stored flattened as the mobject's ``points``, so shifting,
    rotating, scaling and ``apply_function`` move the mesh, and ``Transform``
    between two meshes of the same grid shape interpolates vertices and colours.
    Fill opacity (``set_fill(opacity=...)``, ``set_opacity``, ``FadeIn``,
    ``FadeOut``) applies to the whole mesh. Only :class:`FastThreeDCamera` knows
    how to draw it.

    Faces are shaded like stock 3D faces (see :func:`face_shading_points`); each
    face is filled with the mean of manim's two corner colours, which is the
    colour at the middle of the gradient a stock face would get.

    Parameters
    ----------
    points
        Vertex grid of shape ``(nb, nw, 3)`` in scene coordinates. Face normals
        point along ``d/dw × d/db`` (up for ``w → x, b → y``), as for a stock
        ``Surface`` with ``u`` along ``nw`` and ``v`` along ``nb``.
    face_colors
        ``(nb - 1, nw - 1, 3)`` RGB floats in ``[0, 1]``, or one colour.
    fill_opacity
        Opacity of every face.
    stroke_color
        Colour of face outlines; ``None`` strokes each face in its own shaded
        colour, which only hides seams (useful with ``stroke_width > 0`` and
        ``seam_overlap_px = 0``).
    stroke_width
        Outline width in manim stroke units (0 draws no outlines, the fastest).
    stroke_opacity
        Outline opacity.
    seam_overlap_px
        Pixels by which each projected face is grown to close antialiasing seams.
    flip_normals
        Reverse face normals (for grids whose natural normal points down).
    **kwargs
        Passed to :class:`~manim.VMobject`.
    """

    def __init__(
        self,
        points: npt.ArrayLike,
        face_colors: npt.ArrayLike | ParsableManimColor = DEFAULT_FACE_COLOR,
        fill_opacity: float = 1.0,
        stroke_color: ParsableManimColor | None = None,
        stroke_width: float = 0.0,
        stroke_opacity: float = 1.0,
        seam_overlap_px: float = DEFAULT_SEAM_OVERLAP_PX,
        flip_normals: bool = False,
        **kwargs: Any,
    ) -> None:
        grid = np.array(points, dtype=float)
        if grid.ndim != 3 or grid.shape[2] != 3 or min(grid.shape[:2]) < 2:
            raise ValueError(
                f"points must have shape (nb, nw, 3) with nb, nw >= 2; got {grid.shape}"
            )
        self.grid_shape: tuple[int, int] = (int(grid.shape[0]), int(grid.shape[1]))
        self.seam_overlap_px = float(seam_overlap_px)
        self.flip_normals = bool(flip_normals)
        self.stroke_uses_face_colors = stroke_color is None
        rgbs = self._parse_face_colors(face_colors)
        super().__init__(
            fill_color=WHITE if rgbs.ndim == 2 else ManimColor(rgbs),
            fill_opacity=fill_opacity,
            stroke_color=stroke_color,
            stroke_width=stroke_width,
            stroke_opacity=stroke_opacity,
            shade_in_3d=True,
            **kwargs,
        )
        self.points = grid.reshape(-1, 3)
        self.face_rgbs: FloatArray = self._broadcast_face_rgbs(rgbs)

    # -- shape and colours -------------------------------------------------------

    @property
    def n_faces(self) -> int:
        """Number of quad faces."""
        nb, nw = self.grid_shape
        return (nb - 1) * (nw - 1)

    def get_grid(self) -> FloatArray:
        """Current vertex grid, shape ``(nb, nw, 3)`` (a view of ``points``)."""
        return self.points.reshape(*self.grid_shape, 3)

    def _parse_face_colors(self, face_colors: npt.ArrayLike | ParsableManimColor) -> FloatArray:
        """One ``(3,)`` RGB for a single colour, else a validated ``(F, 3)`` array."""
        if isinstance(face_colors, (str, int, ManimColor)):
            return ManimColor(face_colors).to_rgb()
        rgbs = np.asarray(face_colors, dtype=float)
        if rgbs.ndim == 1:  # one RGB(A) colour given as numbers
            return ManimColor(rgbs).to_rgb()
        nb, nw = self.grid_shape
        rgbs = rgbs[..., :3]
        if rgbs.shape[:-1] not in ((nb - 1, nw - 1), ((nb - 1) * (nw - 1),)):
            raise ValueError(
                f"face_colors must have shape ({nb - 1}, {nw - 1}, 3); got {rgbs.shape}"
            )
        return rgbs.reshape(-1, 3)

    def _broadcast_face_rgbs(self, rgbs: FloatArray) -> FloatArray:
        if rgbs.ndim == 1:
            return np.tile(rgbs, (self.n_faces, 1))
        return np.array(rgbs, dtype=float)

    def set_face_colors(self, face_colors: npt.ArrayLike | ParsableManimColor) -> Self:
        """Set per-face RGB colours (``(nb - 1, nw - 1, 3)``) or one colour for all faces.

        Parameters
        ----------
        face_colors
            Colours as accepted by the constructor.

        Returns
        -------
        FastSurface
            ``self``.
        """
        self.face_rgbs = self._broadcast_face_rgbs(self._parse_face_colors(face_colors))
        return self

    def get_face_colors(self) -> FloatArray:
        """Unshaded face colours, shape ``(nb - 1, nw - 1, 3)``."""
        nb, nw = self.grid_shape
        return self.face_rgbs.reshape(nb - 1, nw - 1, 3)

    def set_fill(
        self,
        color: ParsableManimColor | None = None,
        opacity: float | None = None,
        family: bool = True,
    ) -> Self:
        """Set the fill; a colour replaces every face colour, opacity applies to all.

        Parameters
        ----------
        color
            New colour of all faces, or ``None`` to keep the face colours.
        opacity
            New fill opacity, or ``None`` to keep it.
        family
            Passed to :meth:`VMobject.set_fill`.

        Returns
        -------
        FastSurface
            ``self``.
        """
        super().set_fill(color, opacity, family)
        # VMobject.__init__ calls this before the face colours exist.
        if color is not None and hasattr(self, "face_rgbs"):
            self.face_rgbs = np.tile(self.fill_rgbas[0, :3], (self.n_faces, 1))
        return self

    def get_fill_opacity(self) -> float:
        """Fill opacity of the faces."""
        return float(self.get_fill_rgbas()[0, 3])

    # The grid is not a Bézier path: bounds and anchors are simply the vertices
    # (VMobject's versions assume groups of four points per curve).

    def get_points_defining_boundary(self) -> FloatArray:
        """All vertices (used for bounding boxes, ``get_center`` and so on)."""
        return self.points

    def get_anchors(self) -> FloatArray:
        """All vertices."""
        return self.points

    # -- animation support ------------------------------------------------------

    def align_points(self, mobject: Mobject) -> Self:
        """Allow transforms only between meshes of the same grid shape.

        Parameters
        ----------
        mobject
            The other end of the transform.

        Returns
        -------
        FastSurface
            ``self``.

        Raises
        ------
        NotImplementedError
            If ``mobject`` is not a :class:`FastSurface` with the same grid shape.
        """
        if not isinstance(mobject, FastSurface) or mobject.grid_shape != self.grid_shape:
            raise NotImplementedError(
                "FastSurface can only be transformed into a FastSurface of the same grid shape"
            )
        self.align_rgbas(mobject)
        return self

    def interpolate_color(self, mobject1: VMobject, mobject2: VMobject, alpha: float) -> Self:
        """Interpolate style, including the per-face colours of two meshes.

        Parameters
        ----------
        mobject1, mobject2
            Start and end of the interpolation.
        alpha
            Interpolation parameter in ``[0, 1]``.

        Returns
        -------
        FastSurface
            ``self``.
        """
        super().interpolate_color(mobject1, mobject2, alpha)
        start = getattr(mobject1, "face_rgbs", None)
        end = getattr(mobject2, "face_rgbs", None)
        if start is not None and end is not None and start.shape == end.shape:
            self.face_rgbs = end.copy() if alpha == 1.0 else interpolate(start, end, alpha)
        return self

    def pointwise_become_partial(self, vmobject: VMobject, a: float, b: float) -> Self:
        """Not supported: a mesh cannot be partially drawn (use ``FadeIn``).

        Raises
        ------
        NotImplementedError
            Always.
        """
        raise NotImplementedError("FastSurface does not support Create/partial drawing; use FadeIn")

    # -- per-frame data for the camera -------------------------------------------

    def corner_arrays(self) -> tuple[FloatArray, ...]:
        """The four ``(F, 3)`` corner arrays of all faces, in scene coordinates."""
        return tuple(self.points[i] for i in quad_corner_indices(*self.grid_shape))

    def shading_light(self, light_source: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Manim's light term at the start and end shading corner of every face.

        Parameters
        ----------
        light_source
            ``(3,)`` light position (``camera.light_source.points[0]``).

        Returns
        -------
        tuple of numpy.ndarray
            Two ``(F,)`` arrays; stock manim would fill a face with a gradient
            from ``rgb + start`` to ``rgb + end``.
        """
        # The light depends only on the vertices and the light's position, which rarely change
        # from frame to frame (the camera moves, the light stays): remember the last result.
        key = (hash(self.points.tobytes()), tuple(np.asarray(light_source, dtype=float).tolist()),
               self.flip_normals, self.points.shape)
        cached = _LIGHT_CACHE.get(self)
        if cached is not None and cached[0] == key:
            return cached[1], cached[2]
        start_pt, start_n, end_pt, end_n = face_shading_points(self.corner_arrays())
        if self.flip_normals:
            start_n, end_n = -start_n, -end_n
        start = face_light(start_pt, start_n, light_source)
        end = face_light(end_pt, end_n, light_source)
        start.flags.writeable = False
        end.flags.writeable = False
        _LIGHT_CACHE[self] = (key, start, end)
        return start, end

    def shaded_corner_rgbs(self, light_source: FloatArray) -> FloatArray:
        """Unclipped colours stock manim would give each face's two gradient stops.

        Parameters
        ----------
        light_source
            ``(3,)`` light position.

        Returns
        -------
        numpy.ndarray
            ``(F, 2, 3)``: ``[:, 0]`` at the start corner, ``[:, 1]`` at the end corner.
        """
        start, end = self.shading_light(light_source)
        return self.face_rgbs[:, None, :] + np.stack([start, end], axis=1)[:, :, None]

    def shaded_fill_rgbas(self, light_source: FloatArray | None) -> FloatArray:
        """Solid fill colour of every face, as drawn: shaded, clipped, with opacity.

        Parameters
        ----------
        light_source
            ``(3,)`` light position, or ``None`` for no shading.

        Returns
        -------
        numpy.ndarray
            ``(F, 4)`` RGBA in ``[0, 1]``, faces in row-major grid order; the RGB is
            the mean of the two stops of :meth:`shaded_corner_rgbs`.
        """
        return self._shaded_rgbas(self.face_rgbs, self.get_fill_opacity(), light_source)

    def shaded_stroke_rgbas(self, light_source: FloatArray | None) -> FloatArray:
        """Outline colour of every face, shaded like the fill (as manim shades strokes).

        Parameters
        ----------
        light_source
            ``(3,)`` light position, or ``None`` for no shading.

        Returns
        -------
        numpy.ndarray
            ``(F, 4)`` RGBA in ``[0, 1]``.
        """
        stroke = self.get_stroke_rgbas()[0]
        base = (
            self.face_rgbs
            if self.stroke_uses_face_colors
            else np.tile(stroke[:3], (self.n_faces, 1))
        )
        return self._shaded_rgbas(base, float(stroke[3]), light_source)

    def _shaded_rgbas(
        self, rgbs: FloatArray, opacity: float, light_source: FloatArray | None
    ) -> FloatArray:
        out = np.empty((self.n_faces, 4))
        if light_source is None:
            out[:, :3] = np.clip(rgbs, 0.0, 1.0)
        else:
            start, end = self.shading_light(light_source)
            # Cairo clamps each gradient stop, so average the clamped stops.
            out[:, :3] = 0.5 * (
                np.clip(rgbs + start[:, None], 0.0, 1.0) + np.clip(rgbs + end[:, None], 0.0, 1.0)
            )
        out[:, 3] = np.clip(opacity, 0.0, 1.0)
        return out


class ShadedBall(VMobject):
    """A cheap ball: a camera-facing disc with a radial highlight, at a 3D centre.

    Its points are three perpendicular diameters through the centre, so
    ``get_center()`` is the 3D centre, ``move_to``/``shift`` move it and
    ``scale`` changes its radius. :class:`FastThreeDCamera` draws it as one
    radially shaded disc whose spot faces the camera's light source, sorted at
    the depth of its centre plus :meth:`get_sort_depth_offset`.

    Parameters
    ----------
    center
        3D centre in scene coordinates.
    radius
        Radius in scene units (perspective applies on screen).
    color
        Base colour.
    fill_opacity
        Opacity.
    highlight_color
        Colour the specular spot is pushed towards.
    sort_depth_offset
        Extra depth added to the centre's depth for sorting against mesh faces;
        ``None`` uses ``DEFAULT_BALL_SORT_OFFSET_RADII`` radii. The default keeps a
        ball resting on a surface (centre lifted by its radius along the normal)
        above the faces under it while a hill in front still hides it.
    **kwargs
        Passed to :class:`~manim.VMobject`.
    """

    def __init__(
        self,
        center: npt.ArrayLike = ORIGIN,
        radius: float = DEFAULT_BALL_RADIUS,
        color: ParsableManimColor = DEFAULT_BALL_COLOR,
        fill_opacity: float = 1.0,
        highlight_color: ParsableManimColor = WHITE,
        sort_depth_offset: float | None = None,
        **kwargs: Any,
    ) -> None:
        self._init_center = np.array(center, dtype=float)
        self._init_radius = float(radius)
        self.highlight_rgb = ManimColor.parse(highlight_color).to_rgb()
        self.sort_depth_offset_override = sort_depth_offset
        super().__init__(
            fill_color=color,
            fill_opacity=fill_opacity,
            stroke_width=0,
            shade_in_3d=True,
            **kwargs,
        )

    def generate_points(self) -> Self:
        """Three straight diameters (one cubic each) along x, y and z."""
        center, radius = self._init_center, self._init_radius
        fractions = np.linspace(-1.0, 1.0, self.n_points_per_cubic_curve)
        self.points = np.concatenate(
            [center + radius * fractions[:, None] * axis for axis in np.eye(3)]
        )
        return self

    def get_radius(self) -> float:
        """Radius: half the longest of the three diameters."""
        n = self.n_points_per_cubic_curve
        ends = self.points.reshape(-1, n, 3)
        return 0.5 * float(np.max(np.linalg.norm(ends[:, -1] - ends[:, 0], axis=1)))

    def get_sort_depth_offset(self) -> float:
        """Depth added to the centre's depth when sorting against other 3D objects."""
        if self.sort_depth_offset_override is not None:
            return float(self.sort_depth_offset_override)
        return DEFAULT_BALL_SORT_OFFSET_RADII * self.get_radius()

    def get_z_index_reference_point(self) -> FloatArray:
        """The centre (also what stock ``ThreeDCamera`` sorts by)."""
        return self.get_center()


# ---------------------------------------------------------------------------------
# Camera and scene
# ---------------------------------------------------------------------------------


class FastThreeDCamera(ThreeDCamera):
    """A :class:`ThreeDCamera` that draws :class:`FastSurface` meshes in one pass.

    Faces of all meshes are sorted by their centre's camera depth; other 3D
    mobjects (``shade_in_3d``, e.g. the ball, path segments, dots, arrows) are
    sorted by the depth of their z-index reference point plus their
    ``sort_depth_offset`` attribute (0 if absent, see
    :func:`set_sort_depth_offset`; :class:`ShadedBall` has its own). The two
    orders are merged: runs of faces are drawn between the other objects, so a
    hill in front hides the ball and the ball in front of a hill shows.
    Non-3D and fixed-in-frame mobjects are drawn on top afterwards, in their
    usual order, as in :class:`ThreeDCamera`.

    Parameters
    ----------
    **kwargs
        Passed to :class:`~manim.ThreeDCamera`.
    """

    def capture_mobjects(self, mobjects: Iterable[Mobject], **kwargs: Any) -> None:
        """Draw ``mobjects`` (and their families) into :attr:`pixel_array`.

        Parameters
        ----------
        mobjects
            Mobjects to draw.
        **kwargs
            Passed to :meth:`Camera.get_mobjects_to_display`.
        """
        self.reset_rotation_matrix()
        family = self._mobjects_to_display(mobjects, **kwargs)
        meshes: list[FastSurface] = []
        sorted_items: list[Mobject] = []
        overlay: list[Mobject] = []
        for mob in family:
            fixed = mob in self.fixed_in_frame_mobjects
            if isinstance(mob, FastSurface) and not fixed:
                meshes.append(mob)
            elif getattr(mob, "shade_in_3d", False) and not fixed:
                sorted_items.append(mob)
            else:
                overlay.append(mob)

        ctx = self.get_cairo_context(self.pixel_array)
        faces = self._prepare_faces(meshes)
        # Plain VMobjects (path pieces, axis pieces, text, level lines...) are prepared in one
        # vectorized batch per layer; the rest goes through manim's own display functions.
        entries, batch = self._batch_entries(sorted_items)
        keys = [
            self._sort_key(item)
            if not isinstance(item, int)
            else (self._sort_key(batch.mobs[item]) if _needs_own_center(batch.mobs[item])
                  else float(batch.keys[item]))
            for item in entries
        ]
        # sorted() is stable, like ThreeDCamera's sort, so ties keep scene order.
        order = sorted(range(len(entries)), key=keys.__getitem__)
        # Faces whose centre is strictly farther than an item go before it.
        stops = np.searchsorted(faces.keys, [keys[k] for k in order], side="left").tolist()
        drawn = 0
        for k, stop in zip(order, stops, strict=True):
            faces.draw(ctx, drawn, stop)
            drawn = max(drawn, stop)
            self._draw_entry(ctx, entries[k], batch)
        faces.draw(ctx, drawn, faces.count)
        entries, batch = self._batch_entries(overlay)
        run: list[Mobject] = []
        for item in entries:
            if isinstance(item, int):
                self._display_items(run)
                run = []
                batch.draw(ctx, item)
            else:
                run.append(item)
        self._display_items(run)

    def add_fixed_in_frame_mobjects(self, *mobjects: Mobject) -> None:
        """Pin ``mobjects`` and their families to the frame (as ``ThreeDCamera``, faster).

        Scenes re-pin their HUD every frame (its numbers make new glyphs), so the family walk
        matters.
        """
        family: list[Mobject] = []
        for mob in mobjects:
            _walk_family(mob, family, set())
        self.fixed_in_frame_mobjects.update(family)

    # -- helpers -------------------------------------------------------------------

    def _mobjects_to_display(self, mobjects: Iterable[Mobject], **kwargs: Any) -> list[Mobject]:
        """``Camera.get_mobjects_to_display``: the family members with points, same order.

        Manim walks each family with nested generators, which costs as much as a tenth of a 3D
        frame with a thousand path pieces; this walk gives the same list.
        """
        if kwargs.get("excluded_mobjects") or not kwargs.get("include_submobjects", True):
            return Camera.get_mobjects_to_display(self, mobjects, **kwargs)
        out: list[Mobject] = []
        for mob in mobjects:
            family: list[Mobject] = []
            _walk_family(mob, family, set())
            # Mobject.get_family keeps the last occurrence of a repeated member.
            if len(set(map(id, family))) != len(family):
                family = remove_list_redundancies(family)
            out.extend(m for m in family if len(m.points) > 0)
        out = remove_list_redundancies(out)
        if self.use_z_index:
            out.sort(key=lambda m: m.z_index)
        return out

    def _batch_entries(
        self, mobjects: Sequence[Mobject]
    ) -> tuple[list[Mobject | int], _VMobjectBatch]:
        """Split ``mobjects`` into one batch of plain VMobjects and the others.

        Returns the entries in the given order (a batch index for a plain VMobject, else the
        mobject itself) and the batch.
        """
        fixed_orientation = self.fixed_orientation_mobjects
        plain: list[VMobject] = []
        entries: list[Mobject | int] = []
        for mob in mobjects:
            if is_plain_vmobject(mob) and mob not in fixed_orientation:
                entries.append(len(plain))
                plain.append(mob)
            else:
                entries.append(mob)
        return entries, _VMobjectBatch(self, plain)

    def _draw_entry(self, ctx: cairo.Context, item: Mobject | int, batch: _VMobjectBatch) -> None:
        if isinstance(item, int):
            batch.draw(ctx, item)
        else:
            self._display_items([item])

    def _sort_key(self, mob: Mobject) -> float:
        """Camera depth of ``mob``'s reference point plus its sort offset."""
        _, depth, _ = project_points_fast(self, mob.get_z_index_reference_point()[None, :])
        if isinstance(mob, ShadedBall):
            offset = mob.get_sort_depth_offset()
        else:
            offset = getattr(mob, SORT_DEPTH_OFFSET_ATTR, 0.0)
        return float(depth[0]) + offset

    def _display_items(self, items: Sequence[Mobject]) -> None:
        """Draw non-mesh mobjects, batching runs of one kind as ``Camera`` does."""
        for kind, group in it.groupby(items, self._display_kind):
            batch = list(group)
            if kind is ShadedBall:
                ctx = self.get_cairo_context(self.pixel_array)
                for ball in batch:
                    self._display_ball(ball, ctx)
            elif kind is FastSurface:
                for mesh in batch:  # fixed in frame: drawn flat, back to front
                    faces = self._prepare_faces([mesh])
                    faces.draw(self.get_cairo_context(self.pixel_array), 0, faces.count)
            else:
                self.display_funcs[kind](batch, self.pixel_array)

    def _display_kind(self, mob: Mobject) -> type:
        if isinstance(mob, ShadedBall):
            return ShadedBall
        if isinstance(mob, FastSurface):
            return FastSurface
        return self.type_or_raise(mob)

    def _project(
        self, mob: Mobject, points: FloatArray
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Project like ``transform_points_pre_display`` (fixed-in-frame stays flat)."""
        if mob in self.fixed_in_frame_mobjects:
            return points[:, :2].copy(), points[:, 2].copy(), np.ones(len(points))
        return project_points_fast(self, points)

    def _prepare_faces(self, meshes: Sequence[FastSurface]) -> _FaceBatch:
        """Project, shade and depth-sort the faces of ``meshes`` for drawing."""
        quads, keys, fills, strokes = [], [], [], []
        light_source = self.light_source.points[0]
        px_per_unit = self.pixel_width / self.frame_width
        for mesh in meshes:
            opacity = mesh.get_fill_opacity()
            stroke_rgba = mesh.get_stroke_rgbas()[0]
            stroke_on = mesh.get_stroke_width() > 0 and stroke_rgba[3] > 0
            if opacity <= 0 and not stroke_on:
                continue
            xy, depth, _ = self._project(mesh, mesh.points)
            corner_idx = quad_corner_indices(*mesh.grid_shape)
            quad = np.stack([xy[i] for i in corner_idx], axis=1)  # (F, 4, 2)
            if mesh.seam_overlap_px > 0:
                _grow_quads(quad, mesh.seam_overlap_px / px_per_unit)
            light = light_source if self.should_apply_shading else None
            fill = mesh.shaded_fill_rgbas(light)
            stroke = np.zeros((mesh.n_faces, 5))
            if stroke_on:
                stroke[:, :4] = mesh.shaded_stroke_rgbas(light)
                stroke[:, 4] = mesh.get_stroke_width() * self.cairo_line_width_multiple
            quads.append(quad.reshape(-1, 8))
            keys.append(sum(depth[i] for i in corner_idx) / len(corner_idx))
            fills.append(fill)
            strokes.append(stroke)
        if not quads:
            return _FaceBatch.empty()
        key = np.concatenate(keys)
        order = np.argsort(key, kind="stable")
        return _FaceBatch(
            keys=key[order],
            quads=np.concatenate(quads)[order],
            fills=np.concatenate(fills)[order],
            strokes=np.concatenate(strokes)[order],
        )

    def _display_ball(self, ball: ShadedBall, ctx: cairo.Context) -> None:
        """Fill one radially shaded disc for ``ball``."""
        rgba = ball.get_fill_rgbas()[0]
        if rgba[3] <= 0:
            return
        center = ball.get_center()
        xy, _, scale = self._project(ball, center[None, :])
        cx, cy = xy[0]
        radius = ball.get_radius() * float(scale[0])
        if not np.isfinite(radius) or radius <= 0:
            return
        to_light = self.light_source.points[0] - center
        norm = np.linalg.norm(to_light)
        # Light direction in camera space: its x, y place the spot on the disc.
        lx, ly, _ = (self.get_rotation_matrix() @ to_light) / norm if norm > 0 else (0.0, 0.0, 0.0)
        hx = cx + BALL_HIGHLIGHT_OFFSET * radius * lx
        hy = cy + BALL_HIGHLIGHT_OFFSET * radius * ly
        base = rgba[:3]
        spot = base + BALL_HIGHLIGHT_MIX * (ball.highlight_rgb - base)
        rim = base * BALL_RIM_DARKEN
        gradient = cairo.RadialGradient(hx, hy, 0.0, cx, cy, radius)
        for offset, rgb in ((0.0, spot), (BALL_MIDTONE_STOP, base), (1.0, rim)):
            r, g, b = np.clip(rgb, 0.0, 1.0)
            # manim's Cairo surface stores BGRA, hence the reversed channels.
            gradient.add_color_stop_rgba(offset, b, g, r, rgba[3])
        ctx.new_path()
        ctx.arc(cx, cy, radius, 0.0, 2 * np.pi)
        ctx.set_source(gradient)
        ctx.fill()


def _grow_quads(quads: FloatArray, amount: float) -> None:
    """Move each quad's corners ``amount`` away from the quad's centre, in place."""
    centers = quads.mean(axis=1, keepdims=True)
    offsets = quads - centers
    lengths = np.linalg.norm(offsets, axis=2, keepdims=True)
    quads += np.divide(offsets, lengths, out=np.zeros_like(offsets), where=lengths > 0) * amount


class _FaceBatch:
    """Depth-sorted faces ready to fill (all arrays in drawing order)."""

    def __init__(
        self, keys: FloatArray, quads: FloatArray, fills: FloatArray, strokes: FloatArray
    ) -> None:
        self.keys = keys
        self.count = len(keys)
        # Python lists make the per-face loop cheaper than indexing numpy arrays.
        self.quads: list[list[float]] = quads.tolist()
        # BGRA order for manim's Cairo surface.
        self.fills: list[list[float]] = fills[:, [2, 1, 0, 3]].tolist()
        self.has_strokes = bool(np.any(strokes[:, 4] > 0))
        self.strokes: list[list[float]] = (
            np.clip(strokes[:, [2, 1, 0, 3, 4]], 0.0, None).tolist() if self.has_strokes else []
        )

    @classmethod
    def empty(cls) -> _FaceBatch:
        return cls(np.zeros(0), np.zeros((0, 8)), np.zeros((0, 4)), np.zeros((0, 5)))

    def draw(self, ctx: cairo.Context, start: int, stop: int) -> None:
        """Fill faces ``start:stop`` (and stroke them where a stroke is set)."""
        if stop <= start:
            return
        ctx.new_path()  # stock display leaves its last path in the context
        move_to, line_to, close_path = ctx.move_to, ctx.line_to, ctx.close_path
        set_source, fill = ctx.set_source_rgba, ctx.fill
        if not self.has_strokes:
            for (x0, y0, x1, y1, x2, y2, x3, y3), (b, g, r, a) in zip(
                self.quads[start:stop], self.fills[start:stop], strict=True
            ):
                move_to(x0, y0)
                line_to(x1, y1)
                line_to(x2, y2)
                line_to(x3, y3)
                close_path()
                set_source(b, g, r, a)
                fill()
            return
        stroke, fill_preserve, set_width = ctx.stroke, ctx.fill_preserve, ctx.set_line_width
        for (x0, y0, x1, y1, x2, y2, x3, y3), (b, g, r, a), (sb, sg, sr, sa, width) in zip(
            self.quads[start:stop], self.fills[start:stop], self.strokes[start:stop], strict=True
        ):
            move_to(x0, y0)
            line_to(x1, y1)
            line_to(x2, y2)
            line_to(x3, y3)
            close_path()
            set_source(b, g, r, a)
            if width > 0 and sa > 0:
                fill_preserve()
                set_source(sb, sg, sr, min(sa, 1.0))
                set_width(width)
                stroke()
            else:
                fill()


#: ``__qualname__`` of the gradient function ``ThreeDAxes`` gives each axis piece: it measures
#: the whole axis (its bounding box) on every call, so a frame caches it per axis.
_AXIS_SHADING_QUALNAME = "ThreeDAxes._set_axis_shading.<locals>.make_func.<locals>.<lambda>"
_UP = np.array([0.0, 1.0, 0.0])
#: ``np.isclose``'s relative tolerance, used by manim to join consecutive curves.
_RTOL = 1.0e-5


def is_plain_vmobject(mob: Mobject) -> bool:
    """Whether :class:`_VMobjectBatch` draws ``mob`` (exactly like ``Camera.display_vectorized``).

    Plain means: a cubic-Bézier :class:`~manim.VMobject` (not a mesh or a ball) without a
    background image whose background stroke, fill and stroke each have one colour, or are
    invisible, or are 3D-shaded (shading always uses the two shaded corner colours). Anything
    else is drawn by manim's own code. (A plain mobject with non-finite points is handed back to
    manim by the batch.)
    """
    if not isinstance(mob, VMobject) or isinstance(mob, (FastSurface, ShadedBall)):
        return False
    n = len(mob.points)
    if n < 4 or n % 4 or mob.n_points_per_cubic_curve != 4 or mob.background_image:
        return False
    if mob.shade_in_3d:
        return True
    for rgbas, width in (
        (mob.get_stroke_rgbas(True), mob.get_stroke_width(True)),
        (mob.get_stroke_rgbas(), mob.get_stroke_width()),
        (mob.get_fill_rgbas(), 1.0),
    ):
        if width > 0 and len(rgbas) > 1 and np.any(rgbas[:, 3] > 0):
            return False
    return True


def _walk_family(mob: Mobject, out: list[Mobject], active: set[int]) -> None:
    """Append ``mob`` and its submobjects depth-first, as ``Mobject._iter_family`` yields them."""
    key = id(mob)
    if key in active:
        return
    active.add(key)
    out.append(mob)
    for sub in mob.submobjects:
        _walk_family(sub, out, active)
    active.discard(key)


def _needs_own_center(mob: Mobject) -> bool:
    """Whether ``mob``'s sort point is not the centre of its own anchors."""
    # (``hasattr`` would go through Mobject.__getattr__, slow for a missing name.)
    return bool(mob.submobjects) or "z_index_group" in mob.__dict__ or hasattr(
        type(mob), "z_index_group")


def _first_two_colors(
    rgbas_list: Sequence[FloatArray],
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """First and second (or again first) RGBA of each array, and whether any is visible."""
    fixed = [r if len(r) else np.zeros((1, 4)) for r in rgbas_list]
    counts = np.fromiter(map(len, fixed), dtype=np.intp, count=len(fixed))
    offsets = np.zeros(len(fixed), dtype=np.intp)
    np.cumsum(counts[:-1], out=offsets[1:])
    flat = np.concatenate(fixed)
    visible = np.logical_or.reduceat(flat[:, 3] > 0, offsets)
    return flat[offsets], flat[offsets + (counts > 1)], visible


class _VMobjectBatch:
    """Plain VMobjects (see :func:`is_plain_vmobject`) prepared for drawing in one pass.

    Projection, sort keys, subpath splitting, 3D shading (manim's ``get_shaded_rgb`` at the two
    corners ``ThreeDCamera.modified_rgbas`` uses) and colours are computed with numpy for all
    mobjects at once; :meth:`draw` then issues the Cairo calls ``Camera.display_vectorized``
    would (path, background stroke, fill, stroke) for one mobject. Invisible parts (zero width
    or zero opacity) are skipped, which leaves the pixels as drawing them would.
    """

    def __init__(self, camera: FastThreeDCamera, mobs: Sequence[VMobject]) -> None:
        self.mobs = list(mobs)
        n = len(self.mobs)
        self.count = n
        self._camera = camera
        if n == 0:
            self.keys = np.zeros(0)
            return
        pts = [m.points for m in self.mobs]
        lens = np.fromiter(map(len, pts), dtype=np.intp, count=n)
        starts = np.zeros(n, dtype=np.intp)
        np.cumsum(lens[:-1], out=starts[1:])
        ends = starts + lens
        allp = np.concatenate(pts)
        # Manim does not draw a mobject with a non-finite point: let it decide.
        self.stock = (~np.logical_and.reduceat(np.isfinite(allp).all(axis=1), starts)).tolist()
        fixed_set = camera.fixed_in_frame_mobjects
        fixed = np.fromiter((m in fixed_set for m in self.mobs), dtype=bool, count=n)
        with np.errstate(invalid="ignore", over="ignore"):
            xy, _, _ = project_points_fast(camera, allp)
        if fixed.any():
            rows = np.repeat(fixed, lens)
            xy[rows] = allp[rows, :2]
        self._fixed = fixed
        self.xy = xy.ravel().tolist()

        # Sort keys: camera depth of the centre of the anchors' bounding box (manim's
        # get_center of a mobject without submobjects) plus the sort offset.
        curves = allp.reshape(-1, 4, 3)
        lo = np.minimum(curves[:, 0], curves[:, 3])
        hi = np.maximum(curves[:, 0], curves[:, 3])
        first_curve = starts // 4
        center = 0.5 * (np.minimum.reduceat(lo, first_curve) + np.maximum.reduceat(hi, first_curve))
        with np.errstate(invalid="ignore", over="ignore"):
            _, depth, _ = project_points_fast(camera, center)
        offsets = np.fromiter((getattr(m, SORT_DEPTH_OFFSET_ATTR, 0.0) for m in self.mobs),
                              dtype=float, count=n)
        self.keys = depth + offsets

        self._subpaths(xy, starts, ends, lens)
        light = self._shading(camera, allp, starts, lens)
        self._styles(camera, xy, starts, lens, light)

    def _subpaths(self, xy: FloatArray, starts: npt.NDArray[np.intp], ends: npt.NDArray[np.intp],
                  lens: npt.NDArray[np.intp]) -> None:
        """Split each path where manim would, and note which subpaths are closed.

        A new subpath starts wherever a curve does not start where the previous one ended (on
        screen), as ``VMobject.get_subpath_split_indices_from_points(n_dims=2)``; each is
        closed when it ends where it starts.
        """
        n = len(starts)
        atol = np.fromiter((m.tolerance_for_point_equality for m in self.mobs), dtype=float,
                           count=n)
        bound = np.arange(4, int(ends[-1]), 4)
        owner = np.repeat(np.arange(n), lens // 4)[1:]  # mobject of each curve after the first
        inner = bound != starts[owner]
        bound, owner = bound[inner], owner[inner]
        ends_xy, starts_xy = xy[bound - 1], xy[bound]
        with np.errstate(invalid="ignore"):
            close = np.abs(ends_xy - starts_xy) <= atol[owner, None] + _RTOL * np.abs(starts_xy)
            split = ~close.all(axis=1)
            last = xy[ends - 1]
            closed = (np.abs(xy[starts] - last) <= atol[:, None] + _RTOL * np.abs(last)).all(1)
        self.subpaths: list[list[tuple[int, int, bool]]] = [
            [(a, b, c)]
            for a, b, c in zip(starts.tolist(), ends.tolist(), closed.tolist(), strict=True)
        ]
        cuts: dict[int, list[int]] = {}
        for i, b in zip(owner[split].tolist(), bound[split].tolist(), strict=True):
            cuts.setdefault(i, []).append(b)
        for i, inner_cuts in cuts.items():
            paths = []
            for a, b in it.pairwise([int(starts[i]), *inner_cuts, int(ends[i])]):
                if b - a < 4:
                    continue
                pa, pb = xy[a], xy[b - 1]
                is_closed = bool(np.all(np.abs(pa - pb) <= atol[i] + _RTOL * np.abs(pb)))
                paths.append((a, b, is_closed))
            self.subpaths[i] = paths

    def _shading(self, camera: FastThreeDCamera, allp: FloatArray, starts: npt.NDArray[np.intp],
                 lens: npt.NDArray[np.intp]) -> FloatArray:
        """Manim's light terms of each shaded mobject (zeros for the others).

        As ``ThreeDCamera.modified_rgbas``: at the start corner (point 0) and the "end corner"
        (point ``((n - 1) // 6) * 3``), with normals from the points three before and after.
        """
        n = len(starts)
        shaded = np.fromiter((bool(m.shade_in_3d) for m in self.mobs), dtype=bool, count=n)
        shaded &= bool(camera.should_apply_shading)
        self._shaded = shaded.tolist()
        self._corners = np.zeros((n, 2), dtype=np.intp)
        light = np.zeros((n, 2))
        idx = np.flatnonzero(shaded & ~np.array(self.stock))
        if idx.size:
            s0, ln = starts[idx], lens[idx]
            e = ((ln - 1) // 6) * 3
            ip3 = np.where(e < ln - 3, e + 3, 3)
            im3 = np.where(e > 2, e - 3, ln - 4)
            p_start, p_end = allp[s0], allp[s0 + e]
            n_start = unit_normals(allp[s0 + 3] - p_start, allp[s0 + ln - 4] - p_start)
            n_end = unit_normals(allp[s0 + ip3] - p_end, allp[s0 + im3] - p_end)
            single = (ln // 2) <= 2  # two anchors: manim uses UP
            n_start[single] = _UP
            n_end[single] = _UP
            light_source = camera.light_source.points[0]
            light[idx, 0] = face_light(p_start, n_start, light_source)
            light[idx, 1] = face_light(p_end, n_end, light_source)
            self._corners[idx, 0] = s0
            self._corners[idx, 1] = s0 + e
        return light

    def _styles(self, camera: FastThreeDCamera, xy: FloatArray, starts: npt.NDArray[np.intp],
                lens: npt.NDArray[np.intp], light: FloatArray) -> None:
        """Colours, widths and visibility of each mobject's background stroke, fill, stroke."""
        mobs = self.mobs
        scale = camera.cairo_line_width_multiple
        # Attributes rather than getters (a thousand path pieces per frame): the getters only
        # add a default for a missing array and clamp the widths at 0, as done here.
        no_color = np.zeros((1, 4))
        self.parts: list[tuple[bool, list[bool], list[float], list[list[float]],
                               list[list[float]]]] = []
        for name, width_name, is_fill in (
            ("background_stroke_rgbas", "background_stroke_width", False),
            ("fill_rgbas", None, True),
            ("stroke_rgbas", "stroke_width", False),
        ):
            first, second, visible = _first_two_colors(
                [m.__dict__.get(name, no_color) for m in mobs])
            if width_name is None:
                widths = np.ones(len(mobs))
            else:
                widths = np.maximum(0.0, np.array(
                    [float(getattr(m, width_name)) for m in mobs], dtype=float))
            # BGRA stops; shaded ones with manim's light added (Cairo clamps them, as for
            # manim's own gradients).
            stop0 = first[:, [2, 1, 0, 3]]
            stop1 = second[:, [2, 1, 0, 3]]
            stop0[:, :3] += light[:, :1]
            stop1[:, :3] += light[:, 1:]
            shown = visible & (widths > 0)
            self.parts.append((is_fill, shown.tolist(), (widths * scale).tolist(),
                               stop0.tolist(), stop1.tolist()))
        # (Enum hashing is slow: map each distinct joint and cap once.)
        joins, caps = [m.joint_type for m in mobs], [m.cap_style for m in mobs]
        join_of: dict[int, Any] = {}
        for j in joins:
            if id(j) not in join_of:
                join_of[id(j)] = LINE_JOIN_MAP[j]
        cap_of: dict[int, Any] = {}
        for c in caps:
            if id(c) not in cap_of:
                cap_of[id(c)] = CAP_STYLE_MAP[c]
        self.joins = [join_of[id(j)] for j in joins]
        self.caps = [cap_of[id(c)] for c in caps]
        self.gradients = xy[self._corners.ravel()].reshape(-1, 4).tolist()
        self._axis_memo: dict[tuple[Any, ...], list[float]] = {}
        for i, m in enumerate(mobs):
            override = m.__dict__.get("get_gradient_start_and_end_points")
            if override is not None and self._shaded[i]:
                self.gradients[i] = self._override_gradient(i, override)

    def _override_gradient(self, i: int, override: Callable[[], Any]) -> list[float]:
        """Screen ends of a gradient the mobject computes itself (``ThreeDAxes`` pieces)."""
        key = None
        if getattr(override, "__qualname__", "") == _AXIS_SHADING_QUALNAME:
            # Every piece of one axis gets the same answer within a frame.
            key = (bool(self._fixed[i]),
                   *(id(c.cell_contents) for c in override.__closure__ or ()))
            done = self._axis_memo.get(key)
            if done is not None:
                return done
        pts = np.array(override(), dtype=float)
        if not np.isfinite(pts).all():
            pts = np.zeros((1, 3))
        if self._fixed[i]:
            xy = pts[:, :2]
        else:
            xy, _, _ = project_points_fast(self._camera, pts)
        ends = [*xy[0].tolist(), *xy[-1].tolist()]
        if key is not None:
            self._axis_memo[key] = ends
        return ends

    def draw(self, ctx: cairo.Context, i: int) -> None:
        """Draw mobject ``i`` as ``Camera.display_vectorized`` does."""
        if self.stock[i]:
            self._camera._display_items([self.mobs[i]])
            return
        x = self.xy
        ctx.new_path()
        move_to, curve_to = ctx.move_to, ctx.curve_to
        for a, b, closed in self.subpaths[i]:
            ctx.new_sub_path()
            move_to(x[2 * a], x[2 * a + 1])
            for k in range(2 * a + 2, 2 * b - 5, 8):
                curve_to(*x[k:k + 6])
            if closed:
                ctx.close_path()
        shaded = self._shaded[i]
        for is_fill, shown, widths, stops0, stops1 in self.parts:
            if not shown[i]:
                continue
            if shaded:
                pattern = cairo.LinearGradient(*self.gradients[i])
                pattern.add_color_stop_rgba(0.0, *stops0[i])
                pattern.add_color_stop_rgba(1.0, *stops1[i])
                ctx.set_source(pattern)
            else:
                ctx.set_source_rgba(*stops0[i])
            if is_fill:
                ctx.fill_preserve()
            else:
                ctx.set_line_width(widths[i])
                ctx.set_line_join(self.joins[i])
                ctx.set_line_cap(self.caps[i])
                ctx.stroke_preserve()


class FastThreeDScene(ThreeDScene):
    """A :class:`~manim.ThreeDScene` rendered by :class:`FastThreeDCamera`.

    Besides the camera, it redraws every mobject on a frame where any depth-sorted
    (3D) mobject moves: manim otherwise bakes non-moving mobjects into a static
    background and draws the moving ones on top, which would show a ball rolling
    behind a hill when the camera is still.

    Parameters
    ----------
    camera_class
        Camera class, :class:`FastThreeDCamera` or a subclass.
    **kwargs
        Passed to :class:`~manim.ThreeDScene`.
    """

    def __init__(self, camera_class: type[ThreeDCamera] = FastThreeDCamera, **kwargs: Any) -> None:
        super().__init__(camera_class=camera_class, **kwargs)

    def play(self, *args: Any, **kwargs: Any) -> None:
        """Play as :meth:`Scene.play`, first exempting the objects made so far from cyclic GC.

        A 3D scene holds tens of thousands of long-lived Python objects (mobjects, their
        arrays and styles); every frame allocates many short-lived ones, so Python's cyclic
        garbage collector ran every few frames over all of them. ``gc.freeze`` moves what
        exists now out of its sight (it is still freed by reference counting); what is made
        later is collected as usual.

        The camera's rotation matrix is brought up to date with its angles first: manim's
        scene cache hashes the camera, and the matrix is otherwise only refreshed when a frame
        is drawn, so a play after a skipped (cached) one would never match its cache.
        """
        gc.freeze()
        self.renderer.camera.reset_rotation_matrix()
        super().play(*args, **kwargs)

    def get_moving_mobjects(self, *animations: Any) -> list[Mobject]:
        """Moving mobjects, or all mobjects when a moving one is depth-sorted.

        Parameters
        ----------
        *animations
            The animations being played.

        Returns
        -------
        list of Mobject
            Mobjects to redraw every frame.
        """
        moving = super().get_moving_mobjects(*animations)
        if moving is self.mobjects:
            return moving
        fixed: Callable[[Mobject], bool] = self.renderer.camera.fixed_in_frame_mobjects.__contains__
        for mob in moving:
            if any(getattr(m, "shade_in_3d", False) and not fixed(m) for m in mob.get_family()):
                return list(self.mobjects)
        return moving
