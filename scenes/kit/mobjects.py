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
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Axes,
    CoordinateSystem,
    Dot,
    Line,
    MathTex,
    RightAngle,
    ThreeDAxes,
    VGroup,
    VMobject,
)

import gdmath
from scenes.kit.axes import scene_points, unit_vectors
from scenes.kit.render3d.ball import ShadedBall
from scenes.kit.render3d.numbers import FastDecimalNumber
from scenes.kit.render3d.shading import set_sort_depth_offset
from scenes.kit.render3d.surface import FastSurface
from scenes.kit.sci import SciNumber
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
        Colour map.
    fill_opacity : float
        Opacity of the faces.
    """
    capped = np.minimum(L, l_range[1])
    grid = scene_points(axes, w[None, :], b[:, None], capped)
    face_l = 0.25 * (capped[:-1, :-1] + capped[1:, :-1] + capped[:-1, 1:] + capped[1:, 1:])
    colors = colormap_rgb(height_fraction(face_l, l_range), stops)
    return FastSurface(grid, face_colors=colors, fill_opacity=fill_opacity)


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
                       face_mask=mesh.visible)


def make_ball(center: np.ndarray, radius: float, color: str, depth_offset: float) -> ShadedBall:
    """A cheap shaded ball whose 3D centre is `center` (see `lifted_centers`).

    `depth_offset` biases its depth sort: more than the trail's, so the ball covers its own trail.
    """
    return ShadedBall(center=center, radius=radius, color=color, sort_depth_offset=depth_offset)


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
        Points per chunk.
    color : str
        Stroke colour.
    width : float
        Stroke width.
    depth_offset : float
        Sort bias towards the camera (scene units), so faces under the path do not cover it.
    """

    def __init__(
        self, points: np.ndarray, inside: np.ndarray, chunk: int, color: str, width: float,
        depth_offset: float,
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
                for first in range(run[0], run[-1], chunk):
                    self.ranges.append((first, min(first + chunk, run[-1]) + 1))
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
class Readout(VGroup):
    """Live numbers as label and value pairs: step t, wₜ, bₜ, l(wₜ, bₜ) and η.

    Each pair is a TeX label with its "=" and a number; the word for t ("step") labels the first
    pair from the left. In one column (``columns=1``) the "=" signs line up. In two columns the
    pairs fill a grid row by row and l(wₜ, bₜ), the longest, gets a row of its own across both;
    each column is as wide as its widest value in `extremes` so that no number runs into its
    neighbour as the values change.

    Parameters
    ----------
    step_word : str
        The word that names t.
    eta : float
        The learning rate shown.
    font_size : float
        Of the labels and numbers.
    color : str
        Their colour.
    make_word : callable
        Makes the (muted) word from `step_word`.
    row_gap : float
        Between rows; the gap between columns is twice it.
    columns : {1, 2}
        The layout.
    extremes : sequence of (float, float, float, float), optional
        (t, w, b, l) values the numbers will take that are widest (e.g. the run's first, last,
        smallest and largest); the grid reserves their widths.
    """

    NAMES = (r"t", r"w_t", r"b_t", r"l(w_t, b_t)", r"\eta")
    VALUE_GAP = 0.12

    def __init__(
        self, step_word: str, eta: float, font_size: float, color: str, make_word: object,
        row_gap: float, columns: int = 1,
        extremes: Sequence[tuple[float, float, float, float]] = (),
    ) -> None:
        self.labels = VGroup(*(MathTex(name + "=", font_size=font_size, color=color)
                               for name in self.NAMES))
        # FastDecimalNumber: a DecimalNumber that updates every frame several times cheaper.
        # w, b, l in three decimals, or m × 10ᵏ past 10⁴ or under 10⁻³ (a diverging run, an
        # unscaled problem); η in significant figures (1.5 × 10⁻⁶, never 0.0000).
        self.numbers = VGroup(
            FastDecimalNumber(0, num_decimal_places=0, font_size=font_size, color=color),
            *(SciNumber(0, decimals=3, include_sign=True, font_size=font_size, color=color)
              for _ in range(3)),
            SciNumber(eta, decimals=None, font_size=font_size, color=color),
        )
        self.word = make_word(step_word)
        self.gap = row_gap
        widths = self._value_widths(extremes)
        pairs = []
        for lab, num in zip(self.labels, self.numbers, strict=True):
            num.next_to(lab, RIGHT, buff=self.VALUE_GAP)
            num.align_to(lab, DOWN)
            pairs.append(VGroup(lab, num))
        self.word.next_to(self.labels[0], LEFT, buff=self.VALUE_GAP)
        self.word.align_to(self.labels[0], DOWN)
        pairs[0].add(self.word)
        self.pairs = pairs
        if columns == 1:
            self._one_column(pairs)
        else:
            self._grid(pairs, widths)
        super().__init__(*pairs)

    def _value_widths(self, extremes: Sequence[tuple[float, float, float, float]]) -> list[float]:
        """The widest each of the five numbers gets over `extremes` (its current width if none)."""
        widths = [num.width for num in self.numbers]
        for values in extremes:
            for index, value in enumerate(values):
                self.numbers[index].set_value(value)
                widths[index] = max(widths[index], self.numbers[index].width)
        return widths

    def _one_column(self, pairs: list[VGroup]) -> None:
        rows = VGroup(*pairs).arrange(DOWN, aligned_edge=LEFT, buff=self.gap)
        # Line up the "=" signs: shift each row so that its label's right edge is the same.
        right = max(lab.get_right()[0] for lab in self.labels)
        for row, lab in zip(rows, self.labels, strict=True):
            row.shift((right - lab.get_right()[0]) * RIGHT)

    def _grid(self, pairs: list[VGroup], widths: list[float]) -> None:
        """Rows of the grid: step t | η, wₜ | bₜ, then l(wₜ, bₜ) across; columns left-aligned."""
        cells = [[0, 4], [1, 2], [3]]
        heights = [max(pairs[index].height for index in row) for row in cells]
        # The first column is as wide as its widest pair with its widest value.
        first_width = max(pairs[row[0]].width - self.numbers[row[0]].width + widths[row[0]]
                          for row in cells if len(row) > 1)
        left_x = [0.0, first_width + 2 * self.gap]
        top = 0.0
        for row, height in zip(cells, heights, strict=True):
            for column, index in enumerate(row):
                pair = pairs[index]
                # Pairs start at their label ("step" of the first sticks out to the left).
                lab_left = self.labels[index].get_left()[0]
                if index == 0:
                    lab_left = self.word.get_left()[0]
                pair.shift((left_x[column] - lab_left) * RIGHT
                           + (top - height / 2 - pair.get_center()[1]) * UP)
            top -= height + self.gap

    def set_values(self, t: int, w: float, b: float, l: float) -> Readout:  # noqa: E741
        """Show the current iterate."""
        for num, value in zip(self.numbers[:4], (t, w, b, l), strict=True):
            anchor = num.get_left()
            num.set_value(value)
            num.move_to(anchor, aligned_edge=LEFT)
        return self


class LossCurve(VGroup):
    """l(wₜ, bₜ) against t, growing as the ball rolls.

    Parameters
    ----------
    losses : ndarray, shape (k + 1,)
        gdmath's `Trajectory.loss`.
    y_max : float
        Top of the plot; larger losses (a diverging run) are clipped to it.
    width, height : float
        Size of the plot.
    color, axes_color : str
        Curve and axes colours.
    """

    def __init__(
        self, losses: np.ndarray, y_max: float, width: float, height: float, color: str,
        axes_color: str, stroke_width: float, dot_radius: float,
    ) -> None:
        n = max(len(losses) - 1, 1)
        self.axes = Axes(
            x_range=(0, n, max(n // 5, 1)), y_range=(0, y_max, y_max / 4), x_length=width,
            y_length=height, tips=False,
            axis_config={"color": axes_color, "stroke_width": 2, "include_ticks": True},
        )
        self.values = np.minimum(np.asarray(losses, dtype=float), y_max)
        self.curve = VMobject(stroke_color=color, stroke_width=stroke_width)
        self.dot = Dot(radius=dot_radius, color=color)
        super().__init__(self.axes, self.curve, self.dot)
        self.set_progress(0.0)

    def set_progress(self, progress: float) -> LossCurve:
        """Show the curve up to step `progress` (fractional: the last piece grows linearly)."""
        k = int(np.floor(progress))
        t = np.arange(k + 1, dtype=float)
        y = self.values[: k + 1]
        if progress > k and k + 1 < len(self.values):
            fraction = progress - k
            t = np.append(t, progress)
            y = np.append(y, y[-1] + fraction * (self.values[k + 1] - y[-1]))
        pts = scene_points(self.axes, t, y)
        if len(pts) >= 2:
            self.curve.set_points_as_corners(pts)
        else:
            self.curve.set_points_as_corners(np.repeat(pts, 2, axis=0))
        self.dot.move_to(pts[-1])
        return self


class DataPanel(VGroup):
    """The training points and the current fit φ(w·x + b) in data space.

    Parameters
    ----------
    x, y : ndarray
        Training data.
    x_range, y_range : (float, float)
        Plot window.
    width, height : float
        Size of the plot.
    """

    def __init__(
        self, x: np.ndarray, y: np.ndarray, x_range: tuple[float, float],
        y_range: tuple[float, float], width: float, height: float, data_color: str,
        fit_color: str, axes_color: str, dot_radius: float, stroke_width: float,
    ) -> None:
        self.y_range = y_range
        self.axes = Axes(
            x_range=(*x_range, (x_range[1] - x_range[0]) / 4),
            y_range=(*y_range, (y_range[1] - y_range[0]) / 4),
            x_length=width, y_length=height, tips=False,
            axis_config={"color": axes_color, "stroke_width": 2},
        )
        self.dots = VGroup(*(Dot(point, radius=dot_radius, color=data_color)
                             for point in scene_points(self.axes, x, y)))
        self.fit = VMobject(stroke_color=fit_color, stroke_width=stroke_width)
        super().__init__(self.axes, self.fit, self.dots)

    def set_fit(self, x_values: np.ndarray, y_values: np.ndarray) -> DataPanel:
        """Draw the model's curve through (xs, ys) (gdmath's `Problem.predict`), clipped."""
        lo, hi = self.y_range
        inside = (y_values >= lo) & (y_values <= hi)
        if inside.sum() < 2:
            self.fit.clear_points()
            return self
        # The longest run of points inside the window: φ is monotone, so there is one run, and
        # a curve leaving the panel is cut at its edge instead of running along it.
        idx = np.flatnonzero(inside)
        runs = np.split(idx, np.flatnonzero(np.diff(idx) > 1) + 1)
        run = max(runs, key=len)
        self.fit.set_points_as_corners(scene_points(self.axes, x_values[run], y_values[run]))
        return self
