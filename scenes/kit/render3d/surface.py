"""FastSurface: a whole shaded quad mesh as one mobject (one vertex grid, one colour per face)."""

from __future__ import annotations

from typing import Any, Literal, Self

import numpy as np
import numpy.typing as npt
from manim import (
    WHITE,
    ManimColor,
    Mobject,
    ParsableManimColor,
    VMobject,
)
from manim.utils.bezier import interpolate

from scenes.kit.render3d.shading import (
    DEFAULT_FACE_COLOR,
    DEFAULT_SEAM_OVERLAP_PX,
    LIGHT_CACHE,
    TONE_LIGHT_GAIN,
    FloatArray,
    face_light,
    face_shading_points,
    quad_corner_indices,
)


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
    face_mask
        ``(nb - 1, nw - 1)`` booleans: only the faces marked True are drawn (a mesh cut at a
        ceiling, `gdmath.surface_mesh`); ``None`` draws all.
    shading
        ``"manim"``: manim's light term added to each channel (what a stock ``Surface`` shows);
        ``"tone"``: the same term scales the colour (`TONE_LIGHT_GAIN`), which keeps a colour
        map's hue and saturation on the lit side.
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
        face_mask: npt.ArrayLike | None = None,
        shading: Literal["manim", "tone"] = "manim",
        **kwargs: Any,
    ) -> None:
        if shading not in ("manim", "tone"):
            raise ValueError(f"shading must be 'manim' or 'tone'; got {shading!r}")
        self.shading = shading
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
        self.face_mask: npt.NDArray[np.bool_] | None = None
        if face_mask is not None:
            mask = np.asarray(face_mask, dtype=bool)
            if mask.size != self.n_faces:
                raise ValueError(f"face_mask must have {self.n_faces} entries; got {mask.size}")
            self.face_mask = mask.reshape(-1)

    # -- shape and colours -------------------------------------------------------

    @property
    def n_faces(self) -> int:
        """Number of quad faces."""
        rows, cols = self.grid_shape
        return (rows - 1) * (cols - 1)

    @property
    def drawn_faces(self) -> int:
        """Number of faces drawn (those the face mask keeps).

        A parallel render's cost model reads it (`gdviz.parallel.Plan.costs`).
        """
        return self.n_faces if self.face_mask is None else int(self.face_mask.sum())

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
        rows, cols = self.grid_shape
        rgbs = rgbs[..., :3]
        if rgbs.shape[:-1] not in ((rows - 1, cols - 1), ((rows - 1) * (cols - 1),)):
            raise ValueError(
                f"face_colors must have shape ({rows - 1}, {cols - 1}, 3); got {rgbs.shape}"
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
        rows, cols = self.grid_shape
        return self.face_rgbs.reshape(rows - 1, cols - 1, 3)

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
        cached = LIGHT_CACHE.get(self)
        if cached is not None and cached[0] == key:
            return cached[1], cached[2]
        start_pt, start_n, end_pt, end_n = face_shading_points(self.corner_arrays())
        if self.flip_normals:
            start_n, end_n = -start_n, -end_n
        start = face_light(start_pt, start_n, light_source)
        end = face_light(end_pt, end_n, light_source)
        start.flags.writeable = False
        end.flags.writeable = False
        LIGHT_CACHE[self] = (key, start, end)
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
            if self.shading == "tone":
                gain = 1.0 + TONE_LIGHT_GAIN * 0.5 * (start + end)
                out[:, :3] = np.clip(rgbs * gain[:, None], 0.0, 1.0)
                out[:, 3] = np.clip(opacity, 0.0, 1.0)
                return out
            # Cairo clamps each gradient stop, so average the clamped stops.
            out[:, :3] = 0.5 * (
                np.clip(rgbs + start[:, None], 0.0, 1.0) + np.clip(rgbs + end[:, None], 0.0, 1.0)
            )
        out[:, 3] = np.clip(opacity, 0.0, 1.0)
        return out
