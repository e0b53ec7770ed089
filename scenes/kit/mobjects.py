"""Reusable mobjects of the gdviz videos.

Every class here takes axes and arrays that gdmath computed, and places them with ``axes.c2p``;
none evaluates the loss. The only geometry done here is the change of coordinates from (w, b, l)
to the scene: the unit normal of the surface z = l(w, b) follows from gdmath's exact gradient and
the axes' unit vectors (`surface_normals`), never from the mesh.

The loss surface is built by `make_surface`, the one place that knows which mesh class draws it
(`scenes.kit.render3d.FastSurface`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import (
    Arrow,
    CoordinateSystem,
    Line,
    RightAngle,
    ThreeDAxes,
    VGroup,
    VMobject,
)

import gdmath
from scenes.kit.axes import scene_points, unit_vectors

# The HUD's panels live in scenes.kit.panels; the lecture scenes import them from here.
from scenes.kit.panels import DataPanel, LossCurve, Readout
from scenes.kit.render3d.ball import ShadedBall
from scenes.kit.render3d.shading import set_sort_depth_offset
from scenes.kit.render3d.surface import FastSurface
from scenes.kit.settings.story import RGB

__all__ = [
    "ContourSet",
    "DataPanel",
    "LossCurve",
    "Readout",
    "RightAngleStep",
    "ScreenCross",
    "StartCross",
    "SurfacePath",
    "colormap_rgb",
    "lifted_centers",
    "make_ball",
    "make_mesh_surface",
    "make_surface",
    "scene_points",
    "surface_normals",
]


def surface_normals(axes: ThreeDAxes, grad_w: object, grad_b: object) -> np.ndarray:
    """Upward unit normals, in scene coordinates, of the surface z = l(w, b).

    The surface's tangent vectors are e_w + ∂l/∂w·e_l and e_b + ∂l/∂b·e_l (e_* = scene vector of
    one unit along each axis); their cross product is the normal. With unequal unit lengths this
    differs from the (w, b, l)-space normal, which is why the axes are an argument.

    Parameters
    ----------
    axes : ThreeDAxes
        The coordinate system the surface is drawn in.
    grad_w, grad_b : float or array_like
        gdmath's exact ∂l/∂w and ∂l/∂b.

    Returns
    -------
    ndarray, shape (*broadcast shape, 3)
    """
    gw, gb = np.broadcast_arrays(np.asarray(grad_w, dtype=float), np.asarray(grad_b, dtype=float))
    e_w, e_b, e_l = unit_vectors(axes)
    t_w = e_w + gw[..., None] * e_l
    t_b = e_b + gb[..., None] * e_l
    n = np.cross(t_w, t_b)
    n *= np.sign(np.sum(n * e_l, axis=-1, keepdims=True))
    return n / np.linalg.norm(n, axis=-1, keepdims=True)


def lifted_centers(
    axes: ThreeDAxes, w: object, b: object, l: object, grad_w: object, grad_b: object,  # noqa: E741
    radius: float,
) -> np.ndarray:
    """Centres of a ball of `radius` resting on the surface at (w, b, l), lifted on the normal."""
    return scene_points(axes, w, b, l) + radius * surface_normals(axes, grad_w, grad_b)


def downhill_tangents(axes: ThreeDAxes, grad_w: object, grad_b: object) -> np.ndarray:
    """Unit scene vectors tangent to the surface that point along −∇l in (w, b).

    Moving by −(∂l/∂w, ∂l/∂b) changes l by −|∇l|², so the 3D direction is
    −(∂l/∂w·e_w + ∂l/∂b·e_b) − |∇l|²·e_l.
    """
    gw, gb = np.broadcast_arrays(np.asarray(grad_w, dtype=float), np.asarray(grad_b, dtype=float))
    e_w, e_b, e_l = unit_vectors(axes)
    direction = -(gw[..., None] * e_w + gb[..., None] * e_b) - (gw * gw + gb * gb)[..., None] * e_l
    return direction / np.linalg.norm(direction, axis=-1, keepdims=True)


def colormap_rgb(values: np.ndarray, stops: Sequence[RGB]) -> np.ndarray:
    """Map values in [0, 1] through a colour map given by evenly spaced RGB stops."""
    stops_a = np.asarray(stops, dtype=float)
    x = np.clip(np.asarray(values, dtype=float), 0.0, 1.0) * (len(stops_a) - 1)
    i = np.minimum(np.floor(x).astype(int), len(stops_a) - 2)
    weight = (x - i)[..., None]
    return stops_a[i] * (1 - weight) + stops_a[i + 1] * weight


def height_fraction(l: np.ndarray, l_range: tuple[float, float]) -> np.ndarray:  # noqa: E741
    """Colour coordinate of a height: the square root of its place in `l_range`.

    Valleys are roughly quadratic, so the root spreads the colours evenly over the distance from
    the floor (like `gdmath.auto_levels`' quadratic spacing) instead of painting the floor in one
    shade.
    """
    lo, hi = l_range
    return np.sqrt(np.clip((np.asarray(l) - lo) / (hi - lo), 0.0, 1.0))


# --------------------------------------------------------------------------- the valley
def make_surface(
    axes: ThreeDAxes,
    w: np.ndarray,
    b: np.ndarray,
    L: np.ndarray,
    l_range: tuple[float, float],
    stops: Sequence[RGB],
    fill_opacity: float,
) -> FastSurface:
    """The loss surface as one fast mesh, coloured by height.

    Parameters
    ----------
    axes : ThreeDAxes
        Coordinate system.
    w, b, L : ndarray
        A `gdmath.LossSurface`'s grid: shapes (nw,), (nb,), (nb, nw).
    l_range : (float, float)
        The l axis range. Heights above it are capped at its top, so the mesh never leaves the
        axes box (the ball and path always use the true l; the view is chosen so they stay inside).
    stops : sequence of RGB
        Colour map (the light scales it, ``shading="tone"``, so it still reads on the lit side).
    fill_opacity : float
        Opacity of the faces.
    """
    capped = np.minimum(L, l_range[1])
    grid = scene_points(axes, w[None, :], b[:, None], capped)
    face_l = 0.25 * (capped[:-1, :-1] + capped[1:, :-1] + capped[:-1, 1:] + capped[1:, 1:])
    colors = colormap_rgb(height_fraction(face_l, l_range), stops)
    return FastSurface(grid, face_colors=colors, fill_opacity=fill_opacity, shading="tone")


def make_mesh_surface(axes: ThreeDAxes, mesh: gdmath.SurfaceMesh, l_range: tuple[float, float],
                      stops: Sequence[RGB], fill_opacity: float) -> FastSurface:
    """The loss surface from `gdmath.surface_mesh`: refined nodes, cut on the ceiling's level curve.

    Unlike `make_surface` nothing is capped: the faces above the ceiling are not drawn, so the
    surface ends on a smooth rim where l = ceiling instead of a flat lid.
    """
    # Nodes of left-out faces only are never drawn; held at the ceiling they keep the mesh's
    # bounding box (used for the layout) inside the axes box.
    grid = scene_points(axes, mesh.w, mesh.b, np.minimum(mesh.L, mesh.ceiling))
    colors = colormap_rgb(height_fraction(mesh.face_loss, l_range), stops)
    return FastSurface(grid, face_colors=colors, fill_opacity=fill_opacity,
                       face_mask=mesh.visible, shading="tone")


def make_ball(center: np.ndarray, radius: float, color: str, depth_offset: float) -> ShadedBall:
    """A cheap shaded ball whose 3D centre is `center` (see `lifted_centers`).

    `depth_offset` biases its depth sort: more than the trail's, so the ball covers its own trail.
    """
    return ShadedBall(center=center, radius=radius, color=color, sort_depth_offset=depth_offset)


def chunk_ranges(points: np.ndarray, first: int, last: int, chunk: int,
                 max_length: float | None) -> list[tuple[int, int]]:
    """Index ranges ``[start, end)`` covering points `first`..`last`, sharing their end points.

    Each range holds at most `chunk` + 1 points; with `max_length`, a range also ends at the
    first point that lies more than `max_length` along the path from its start (and has at
    least one step, whatever its length).
    """
    if max_length is None:
        return [(start, min(start + chunk, last) + 1) for start in range(first, last, chunk)]
    steps = np.linalg.norm(np.diff(points[first:last + 1], axis=0), axis=1)
    along = np.concatenate([[0.0], np.cumsum(steps)])  # distance of point first + i
    ranges = []
    start = 0
    end_index = last - first
    while start < end_index:
        # The last point within max_length of the start, at least one further, at most chunk.
        reach = int(np.searchsorted(along, along[start] + max_length, side="right")) - 1
        stop = min(max(reach, start + 1), start + chunk, end_index)
        ranges.append((first + start, first + stop + 1))
        start = stop
    return ranges


class SurfacePath(VGroup):
    """A path drawn over the surface through given scene points, revealed progressively.

    The points are split into short chunks, each depth-sorted on its own, so that a hill in
    front of part of the path hides only that part. Runs of points outside the view box are
    not drawn at all (`inside` mask), which clips a diverging path at the box.

    Parameters
    ----------
    points : ndarray, shape (k, 3)
        Scene points (for the trail: `scene_points` of gdmath's samples along the steps).
    inside : ndarray of bool, shape (k,)
        Which points may be drawn.
    chunk : int
        Points per chunk at most.
    max_length : float, optional
        Length of a chunk at most (scene units): a chunk ends at whichever comes first. About
        a face of the drawn surface is as fine as the depth sort can use; the samples along a
        step are much closer (160 a step, many on the short steps near the floor), and every
        chunk is one more mobject to project, sort and stroke each frame.
    color : str
        Stroke colour.
    width : float
        Stroke width.
    depth_offset : float
        Sort bias towards the camera (scene units), so faces under the path do not cover it.
    """

    def __init__(
        self, points: np.ndarray, inside: np.ndarray, chunk: int, color: str, width: float,
        depth_offset: float, max_length: float | None = None,
    ) -> None:
        super().__init__()
        self.path_points = np.asarray(points, dtype=float)
        self.ranges: list[tuple[int, int]] = []
        idx = np.flatnonzero(inside)
        if idx.size:
            # Split the inside indices into consecutive runs, then each run into chunks that share
            # their end points so that the drawn line has no gaps.
            runs = np.split(idx, np.flatnonzero(np.diff(idx) > 1) + 1)
            for run in runs:
                self.ranges.extend(chunk_ranges(self.path_points, int(run[0]), int(run[-1]),
                                                chunk, max_length))
        for _ in self.ranges:
            piece = VMobject(stroke_color=color, stroke_width=width, shade_in_3d=True)
            self.add(piece)
        set_sort_depth_offset(self, depth_offset)
        self.shown = -1
        self.show_until(len(self.path_points))

    def show_until(self, k: int) -> SurfacePath:
        """Draw the points before index `k` (a piece needs two points to show)."""
        if k == self.shown:
            return self
        before, self.shown = self.shown, k
        for piece, (first, end) in zip(self.submobjects, self.ranges, strict=True):
            stop = min(end, k)
            if stop == min(end, before) or (stop - first < 2 and min(end, before) - first < 2):
                continue  # this piece shows the same points as before (every frame: speed)
            if stop - first >= 2:
                piece.set_points_as_corners(self.path_points[first:stop])
            else:
                piece.clear_points()
        return self


class StartCross(VGroup):
    """An ✕ draped over the surface: two polylines through the start, on the true surface.

    Parameters
    ----------
    axes : ThreeDAxes or Axes
        Coordinate system.
    diagonals : sequence of two ndarray, shape (n, 3)
        Columns w, b, l along the two strokes (from `Problem.loss_along`); with n odd, the middle
        sample of each is the start itself.
    color : str
        Stroke colour.
    width : float
        Stroke width.
    depth_offset : float
        Sort bias towards the camera.
    """

    def __init__(
        self, axes: CoordinateSystem, diagonals: Sequence[np.ndarray], color: str, width: float,
        depth_offset: float,
    ) -> None:
        strokes = []
        for diagonal in diagonals:
            stroke = VMobject(stroke_color=color, stroke_width=width, shade_in_3d=True)
            stroke.set_points_as_corners(scene_points(axes, diagonal[:, 0], diagonal[:, 1],
                                                      diagonal[:, 2]))
            strokes.append(stroke)
        super().__init__(*strokes)
        set_sort_depth_offset(self, depth_offset)

    def crossing(self) -> np.ndarray:
        """Scene point where the strokes cross (the middle of the first stroke)."""
        pts = self.submobjects[0].get_anchors()
        return pts[len(pts) // 2]


class ScreenCross(VGroup):
    """An ✕ in the screen's plane, centred on a scene point.

    With fixed orientation (the scene's ``add_fixed_orientation_mobjects``) it faces the camera
    in every view, so it is never foreshortened into a smear, and from above it sits exactly on
    (w₀, b₀).

    Parameters
    ----------
    center : ndarray, shape (3,)
        Scene point of the start.
    half_width : float
        Half the width of the ✕ on screen (scene units at zoom 1).
    color, outline : str
        Stroke colour, and the colour of a wider stroke behind it (reads on any surface colour).
    width, outline_width : float
        Stroke widths.
    depth_offset : float
        Sort bias towards the camera (as the ball's, so the surface under it does not cut it).
    """

    def __init__(self, center: np.ndarray, half_width: float, color: str, outline: str,
                 width: float, outline_width: float, depth_offset: float) -> None:
        h = half_width
        strokes = [Line(center + np.array([-h, sign * -h, 0.0]),
                        center + np.array([h, sign * h, 0.0]), stroke_width=width, color=color)
                   for sign in (1.0, -1.0)]
        super().__init__(*strokes)
        self.set_stroke(outline, width=width + outline_width, background=True)
        set_sort_depth_offset(self, depth_offset)

    def crossing(self) -> np.ndarray:
        """Scene point where the strokes cross."""
        return self.get_center()


# --------------------------------------------------------------------------- the map
class ContourSet(VGroup):
    """Level lines of the loss, one `VGroup` per level, coloured by height.

    Parameters
    ----------
    axes : ThreeDAxes or Axes
        Coordinate system.
    levels : sequence of gdmath.ContourLevel
        The lines (from `gdmath.contour_lines`).
    l_range : (float, float)
        The colour range (the same as the surface's, so a line has the colour of its height).
    stops : sequence of RGB
        Colour map.
    width : float
        Stroke width.
    at_height : bool
        Draw each line at its loss value (lying on the 3D surface) or, False, at l = l_range[0]
        (in a 2D scene the third coordinate is ignored anyway).
    color_floor : float
        Where in the colour map the lowest level starts (0 = the map's first colour).
    """

    def __init__(
        self, axes: CoordinateSystem, levels: Sequence[object], l_range: tuple[float, float],
        stops: Sequence[RGB], width: float, at_height: bool = True, color_floor: float = 0.0,
    ) -> None:
        groups = []
        for lev in levels:
            # Lifted off the darkest colours, which vanish on a dark background as thin lines.
            frac = height_fraction(np.array(lev.level), l_range)
            rgb = colormap_rgb(color_floor + (1 - color_floor) * frac, stops)
            color = "#" + "".join(f"{round(channel * 255):02x}" for channel in rgb)
            z = lev.level if at_height else l_range[0]
            lines = []
            for seg in lev.segments:
                line = VMobject(stroke_color=color, stroke_width=width)
                line.set_points_as_corners(scene_points(axes, seg[:, 0], seg[:, 1], z))
                lines.append(line)
            group = VGroup(*lines)
            group.level = lev.level
            groups.append(group)
        super().__init__(*groups)


class RightAngleStep(VGroup):
    """One descent step on the map with the level line through its start and a right-angle mark.

    The mark's legs run along the step and along the drawn level line (its chord through the
    vertex nearest the start), so what is drawn is what is measured.

    Parameters
    ----------
    axes : Axes or ThreeDAxes
        Coordinate system of the map (equal screen length per unit of w and b).
    start, end : (float, float)
        (wₜ, bₜ) and (wₜ₊₁, bₜ₊₁).
    level : gdmath.ContourLevel
        The level l(wₜ, bₜ) (from `gdmath.contour_lines`).
    z : float
        Height (l coordinate) at which the map is drawn.
    arrow : Arrow
        The step's arrow (already on the map).
    side : float
        Side of the right-angle mark.
    line_color, mark_color : str
        Colours.
    line_width : float
        Stroke width of the level line.
    """

    def __init__(
        self, axes: CoordinateSystem, start: Sequence[float], end: Sequence[float],
        level: object, z: float, arrow: Arrow, side: float, line_color: str, mark_color: str,
        line_width: float,
    ) -> None:
        start_point = scene_points(axes, start[0], start[1], z)
        end_point = scene_points(axes, end[0], end[1], z)
        lines = []
        best: tuple[float, np.ndarray] | None = None
        for seg in level.segments:
            pts = scene_points(axes, seg[:, 0], seg[:, 1], z)
            line = VMobject(stroke_color=line_color, stroke_width=line_width)
            line.set_points_as_corners(pts)
            lines.append(line)
            distances = np.linalg.norm(pts - start_point, axis=1)
            i = int(np.argmin(distances))
            if best is None or distances[i] < best[0]:
                lo, hi = max(i - 1, 0), min(i + 1, len(pts) - 1)
                best = (float(distances[i]), pts[hi] - pts[lo])
        self.level_line = VGroup(*lines)
        tangent = best[1] if best is not None else np.array([1.0, 0.0, 0.0])
        self.tangent = tangent / np.linalg.norm(tangent)
        direction = (end_point - start_point) / np.linalg.norm(end_point - start_point)
        # Orient the tangent leg so the mark sits on the arrow's left (any side would do; fixed
        # so that consecutive marks look alike).
        if np.cross(direction, self.tangent)[2] < 0:
            self.tangent = -self.tangent
        # RightAngle works in the xy-plane: build it at z = 0, then lift it onto the map plane.
        # (exactly: it refuses a z of 1e-16 left by the axes' affine map).
        plane = np.array([1.0, 1.0, 0.0])
        flat, direction, self.tangent = start_point * plane, direction * plane, self.tangent * plane
        leg_a = Line(flat, flat + direction * side * 4)
        leg_b = Line(flat, flat + self.tangent * side * 4)
        self.mark = RightAngle(leg_a, leg_b, length=side, color=mark_color,
                               stroke_width=line_width * 0.75)
        self.mark.shift(np.array([0.0, 0.0, start_point[2]]))
        self.arrow = arrow
        super().__init__(self.level_line, self.mark)


# --------------------------------------------------------------------------- HUD
