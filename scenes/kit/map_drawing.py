"""Layout and small mobjects of the lecture map scenes."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from manim import (
    ORIGIN,
    RIGHT,
    UP,
    Circle,
    Dot,
    Line,
    MathTex,
    Mobject,
    VGroup,
    VMobject,
)

from scenes.kit.axes import BoxAxes2D, scene_points
from scenes.kit.layout import Box
from scenes.kit.map_studies import MapView
from scenes.kit.mobjects import ContourSet
from scenes.kit.settings.maps import MapLook, Point
from scenes.kit.theme import Theme, current_frame, hex_rgb


# --------------------------------------------------------------------------- layout
def split_frame(look: MapLook, side_share: float) -> tuple[Box, Box]:
    """The frame under the caption, split into a main region (maps) and a side region (text).

    On a landscape frame the side region is a column on the right, `side_share` of the width;
    on a square or portrait frame it is a band at the bottom, `side_share` of the height.
    """
    frame = current_frame()
    buff = look.edge_buff
    left, right = -frame.width / 2 + buff, frame.width / 2 - buff
    bottom, top = -frame.height / 2 + buff, frame.height / 2 - buff - look.caption_height
    gap = look.region_gap
    if frame.orientation == "landscape":
        split = right - side_share * (right - left)
        return Box(left, split - gap / 2, bottom, top), Box(split + gap / 2, right, bottom, top)
    split = bottom + side_share * (top - bottom)
    return Box(left, right, split + gap / 2, top), Box(left, right, bottom, split - gap / 2)





def map_width(w_range: tuple[float, float], b_range: tuple[float, float], height: float,
              margins: tuple[float, float, float, float] = (0.12, 0.35, 0.12, 0.4)) -> float:
    """Width of a box `height` high that `fit_map_axes` fills (equal units, `margins` kept)."""
    left, right, bottom, top = margins
    unit = (height - bottom - top) / (b_range[1] - b_range[0])
    return unit * (w_range[1] - w_range[0]) + left + right


def snug_split(look: MapLook, side_share: float, main_width: float, side: Mobject,
               max_grow: float) -> tuple[Box, Box]:
    """`split_frame`, with the main region only as wide as its maps and the pair centred.

    On a landscape frame maps fitted by height leave the right part of the main region empty:
    here the main region is `main_width` wide (at most `split_frame`'s), `side` is scaled up by
    at most `max_grow` into the room left beside it (never past the frame's height), and main
    region and side block are centred together. Square and portrait frames keep
    `split_frame`'s bands (the maps are fitted by width there). `side` is scaled, not moved:
    place it in the returned side box.
    """
    main, band = split_frame(look, side_share)
    if current_frame().orientation != "landscape":
        return main, band
    width = min(main_width, main.width)
    gap = look.region_gap
    room = band.right - main.left - width - gap
    grow = min(max_grow, room / side.width if side.width > 0 else 1.0,
               band.height / side.height if side.height > 0 else 1.0)
    side.scale(grow)
    total = width + gap + min(side.width, room)
    left = (main.left + band.right) / 2 - total / 2
    return (Box(left, left + width, main.bottom, main.top),
            Box(left + width + gap, left + total, band.bottom, band.top))


def fit_into(mob: Mobject, box: Box, *, align_top: bool = True) -> Mobject:
    """Shrink `mob` (never grow it) to fit `box`, centred horizontally, at its top or centre."""
    factor = min(1.0, box.width / mob.width if mob.width > 0 else 1.0,
                 box.height / mob.height if mob.height > 0 else 1.0)
    if factor < 1.0:
        mob.scale(factor)
    mob.move_to(box.center)
    if align_top:
        mob.shift(UP * (box.top - mob.get_top()[1]))
    return mob


# --------------------------------------------------------------------------- map mobjects
def map_contours(axes: BoxAxes2D, view: MapView, theme: Theme, look: MapLook) -> ContourSet:
    """The level lines of `view`, coloured by height with the theme's colour map."""
    return ContourSet(axes, view.levels, view.l_range, [hex_rgb(color) for color in theme.surface],
                      look.contour_width, at_height=False, color_floor=look.contour_color_floor)


def axis_names(axes: BoxAxes2D, color: str, font_size: float, b_side: np.ndarray = UP) -> VGroup:
    """``w`` right of the end of the w axis and ``b`` at the end of the b axis (above or left)."""
    x_axis, y_axis = axes.get_axes()
    w = MathTex("w", color=color, font_size=font_size).next_to(x_axis.get_end(), RIGHT, buff=0.1)
    b = MathTex("b", color=color, font_size=font_size).next_to(y_axis.get_end(), b_side, buff=0.1)
    return VGroup(w, b)


def cell_runs(labels: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Maximal runs of equal values along each row of a grid: (row, first, last, value)."""
    out = []
    for j, row in enumerate(np.asarray(labels)):
        cut = np.flatnonzero(np.diff(row)) + 1
        for lo, hi in zip(np.r_[0, cut], np.r_[cut, row.size], strict=True):
            out.append((j, int(lo), int(hi - 1), int(row[lo])))
    return out


def cell_regions(axes: BoxAxes2D, labels: np.ndarray, w: np.ndarray, b: np.ndarray,
                 styles: Mapping[int, tuple[str, float]]) -> VGroup:
    """Grid cells filled by value: one vector shape per value, crisp at any resolution.

    Node (j, i) of a grid spanning the window edge to edge owns the cell of points nearer to it
    than to any other node (half a spacing each way, clipped at the window's border), so each
    start's colour sits on the start itself. A value's cells are one `VMobject` whose subpaths are
    the row runs of that value; Cairo fills them in one pass, with no seams between rows.

    Parameters
    ----------
    axes : BoxAxes2D
        The map's axes.
    labels : ndarray of int, shape (nb, nw)
        One value per node; rows follow b upwards, columns w (as `gdmath.Basins.labels`).
    w, b : ndarray, shapes (nw,) and (nb,)
        The grid's node coordinates, evenly spaced, the ends on the window's border.
    styles : mapping of int to (colour, fill opacity)
        Values to draw; others are left empty.

    Returns
    -------
    VGroup
        One child per drawn value, in the order of `styles`, each with a ``value`` attribute.
    """
    w = np.asarray(w, dtype=float)
    b = np.asarray(b, dtype=float)
    w_edges = np.r_[w[0], (w[:-1] + w[1:]) / 2, w[-1]]
    b_edges = np.r_[b[0], (b[:-1] + b[1:]) / 2, b[-1]]
    runs = cell_runs(labels)
    shapes = VGroup()
    for value, (color, opacity) in styles.items():
        mine = [(j, lo, hi) for j, lo, hi, run_value in runs if run_value == value]
        shape = VMobject(stroke_width=0, fill_color=color, fill_opacity=opacity)
        if mine:
            j, lo, hi = (np.array(column) for column in zip(*mine, strict=True))
            left, right, bottom, top = w_edges[lo], w_edges[hi + 1], b_edges[j], b_edges[j + 1]
            # Each run is a closed rectangle of four straight cubic pieces (16 points).
            corners = np.stack([np.stack([left, bottom], -1), np.stack([right, bottom], -1),
                                np.stack([right, top], -1), np.stack([left, top], -1),
                                np.stack([left, bottom], -1)], axis=1)            # (m, 5, 2)
            start, stop = corners[:, :-1], corners[:, 1:]
            fractions = np.array([0.0, 1 / 3, 2 / 3, 1.0])[None, None, :, None]
            pts = start[:, :, None] + fractions * (stop - start)[:, :, None]     # (m, 4, 4, 2)
            flat = pts.reshape(-1, 2)
            shape.points = scene_points(axes, flat[:, 0], flat[:, 1])
        shape.value = value
        shapes.add(shape)
    return shapes


def outline_regions(axes: BoxAxes2D, outlines: Mapping[int, list[np.ndarray]],
                    styles: Mapping[int, tuple[str, float]]) -> VGroup:
    """Regions filled by value inside smooth borders: one vector shape per value.

    Parameters
    ----------
    axes : BoxAxes2D
        The map's axes.
    outlines : mapping of int to list of ndarray
        Closed (w, b) rings of each value's region, outer borders anticlockwise and holes
        clockwise (`gdmath.basins.basin_outlines`); Cairo's nonzero rule leaves the holes empty.
    styles : mapping of int to (colour, fill opacity)
        Values to draw; others are left empty.

    Returns
    -------
    VGroup
        One child per drawn value, in the order of `styles`, each with a ``value`` attribute
        (as `cell_regions`).
    """
    shapes = VGroup()
    for value, (color, opacity) in styles.items():
        shape = VMobject(stroke_width=0, fill_color=color, fill_opacity=opacity)
        pieces = []
        for ring in outlines.get(value, []):
            if len(ring) < 3:
                continue
            # Each side of the ring a straight cubic piece (4 points): a subpath per ring.
            start, stop = ring[:-1], ring[1:]
            fractions = np.array([0.0, 1 / 3, 2 / 3, 1.0])[None, :, None]
            pieces.append((start[:, None] + fractions * (stop - start)[:, None]).reshape(-1, 2))
        if pieces:
            flat = np.vstack(pieces)
            shape.points = scene_points(axes, flat[:, 0], flat[:, 1])
        shape.value = value
        shapes.add(shape)
    return shapes


def map_ball(point: np.ndarray, look: MapLook, color: str, outline: str) -> Dot:
    """The ball on a map: a disc with an outline in the background colour."""
    ball = Dot(point, radius=look.ball_radius, color=color)
    ball.set_stroke(outline, width=look.ball_outline, background=False)
    return ball


def minimum_ring(point: np.ndarray, look: MapLook, color: str) -> Circle:
    """A ring around a minimum, wide enough to show around a ball resting in it."""
    return Circle(radius=look.minimum_radius, color=color,
                  stroke_width=look.minimum_width).move_to(point)


class EigenMarker(VGroup):
    """The Hessian's eigen-directions at a point of the map: two arms and the local ellipse.

    The arms lie along gdmath's eigenvectors; their lengths are the semi-axes of the local
    level line (an ellipse where the Hessian is positive definite, drawn only there). Everything
    is placed through the axes (`scene_points`) from (w, b) values, so the drawn directions are
    gdmath's on a map with equal units.

    Attributes
    ----------
    shallow, steep : Line
        The arms along the eigenvector of the smaller and of the larger eigenvalue.
    ellipse : VMobject
        The local level line.
    """

    def __init__(self, shallow_color: str, steep_color: str, ellipse_color: str,
                 arm_width: float, ellipse_width: float) -> None:
        self.shallow = Line(ORIGIN, RIGHT, color=shallow_color, stroke_width=arm_width)
        self.steep = Line(ORIGIN, UP, color=steep_color, stroke_width=arm_width)
        self.ellipse = VMobject(stroke_color=ellipse_color, stroke_width=ellipse_width)
        super().__init__(self.ellipse, self.shallow, self.steep)

    def set_state(self, axes: BoxAxes2D, center: Point, vectors: np.ndarray,
                  semi_axes: tuple[float, float], bowl: bool, samples: int = 73) -> EigenMarker:
        """Place the marker at `center` (w, b).

        Parameters
        ----------
        axes : BoxAxes2D
            The map's axes (equal screen length per unit of w and b).
        center : (float, float)
            (w, b) of the ball.
        vectors : ndarray, shape (2, 2)
            Unit eigenvectors in the columns, shallow then steep (`gdmath.hessian_eigen`).
        semi_axes : (float, float)
            Screen lengths of the shallow and steep arms.
        bowl : bool
            Draw the ellipse (the Hessian is positive definite).
        samples : int
            Points on the ellipse.
        """
        w, b = center
        unit = float(np.linalg.norm(scene_points(axes, 1.0, 0.0) - scene_points(axes, 0.0, 0.0)))
        ends = []
        for i in range(2):
            arm = np.asarray(vectors)[:, i] * semi_axes[i] / unit
            ends.append(scene_points(axes, [w - arm[0], w + arm[0]], [b - arm[1], b + arm[1]]))
        self.shallow.put_start_and_end_on(*ends[0])
        self.steep.put_start_and_end_on(*ends[1])
        if bowl:
            t = np.linspace(0.0, 2 * np.pi, samples)
            eigvecs = np.asarray(vectors)
            ellipse_w = (w + semi_axes[0] / unit * np.cos(t) * eigvecs[0, 0]
                         + semi_axes[1] / unit * np.sin(t) * eigvecs[0, 1])
            ellipse_b = (b + semi_axes[0] / unit * np.cos(t) * eigvecs[1, 0]
                         + semi_axes[1] / unit * np.sin(t) * eigvecs[1, 1])
            self.ellipse.set_points_as_corners(scene_points(axes, ellipse_w, ellipse_b))
        else:
            set_polyline(self.ellipse, scene_points(axes, [w], [b]))
        return self


def start_cross(point: np.ndarray, look: MapLook, color: str) -> VGroup:
    """The ✕ that marks a start (screen-sized, centred on `point`)."""
    half = look.cross_half_width
    return VGroup(Line(point + np.array([-half, -half, 0]), point + np.array([half, half, 0])),
                  Line(point + np.array([-half, half, 0]), point + np.array([half, -half, 0]))
                  ).set_stroke(color, width=look.cross_width)


def polyline(points: np.ndarray, color: str, width: float) -> VMobject:
    """An open polyline through scene points."""
    line = VMobject(stroke_color=color, stroke_width=width)
    set_polyline(line, points)
    return line


def set_polyline(line: VMobject, points: np.ndarray) -> VMobject:
    """Set `line`'s points (a single point is drawn as nothing)."""
    pts = np.asarray(points, dtype=float)
    if len(pts) >= 2:
        line.set_points_as_corners(pts)
    else:
        line.set_points_as_corners(np.repeat(pts[:1], 2, axis=0))
    return line


def polyline_until(points: np.ndarray, step: float) -> np.ndarray:
    """The polyline through `points` up to fractional index `step` (the last piece partial).

    Parameters
    ----------
    points : ndarray, shape (k + 1, d)
        Iterates (in any coordinates).
    step : float
        How far along: 2.5 is halfway through the step from point 2 to point 3.

    Returns
    -------
    ndarray, shape (m, d)
        At least one point; the last is where the ball is at `step`.
    """
    n = len(points) - 1
    step = float(np.clip(step, 0.0, n))
    i = int(np.floor(step))
    out = points[: i + 1]
    if i < n and step > i:
        fraction = step - i
        out = np.vstack([out, points[i] + fraction * (points[i + 1] - points[i])])
    return out


def arc_progress(points: np.ndarray, u: float) -> float:
    """The fractional index at which a constant-speed walk along `points` has gone `u` ∈ [0, 1].

    A path of zero length (a dead ReLU) advances by step count instead.
    """
    n = len(points) - 1
    if n <= 0:
        return 0.0
    seg = np.linalg.norm(np.diff(points, axis=0), axis=1)
    total = float(seg.sum())
    u = float(np.clip(u, 0.0, 1.0))
    if total <= 0:
        return u * n
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    target = u * total
    i = int(np.clip(np.searchsorted(cum, target, side="right") - 1, 0, n - 1))
    fraction = 0.0 if seg[i] == 0 else (target - cum[i]) / seg[i]
    return float(min(i + np.clip(fraction, 0.0, 1.0), n))
