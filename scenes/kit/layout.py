"""Where the story's pieces go on a frame of any shape (16:9, 1:1, 9:16).

The frame is always 8 units high and ``8 · W / H`` wide (`scenes.kit.theme.current_frame`).

* **Landscape** (16:9) keeps the first video's layout: the model and the HUD in a left column,
  the data and loss panels in a right column, the caption at the top between them, the 3D view
  in the middle at the zoom of `scenes.kit.settings.story.Camera`.
* **Square and portrait** keep a band at the top (the caption, then one row with the update
  rule and the live numbers). On a **square** frame the data panel, the loss panel and the loss
  scale (colour bar) stand in a column at the right, one above the other, and the view has the
  rest of the frame under the top band. On a **portrait** frame the view spans the frame's
  width and a band at the bottom (the panels side by side, the loss scale under them) takes
  all the height the view leaves. The 3D view is shrunk by `StoryLayout.view_scale` (a factor
  on the camera's zoom, so w and b keep one screen length per unit and the right angles stay
  right) until its projected extent over every camera pose fits its room; during the roll the
  camera zooms and pans where a pose leaves room (`scenes.kit.story_camera.roll_framing`). The
  2D map of `scenes.contour` shrinks and moves under the caption.

Text that would have to shrink too much to fit its width is set on two lines (`fit_text`).
Nothing here renders; everything is computed from the frame, the settings and measured sizes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from manim import DOWN, RIGHT, UP, Mobject, VGroup

from scenes.kit.settings.story import Layout
from scenes.kit.theme import Frame

__all__ = [
    "Box",
    "Extent",
    "StoryLayout",
    "fill_factor",
    "fit_factor",
    "fit_row",
    "fit_text",
    "note_scale",
    "polyline_at",
    "projected_extent",
    "split_in_two",
    "union_extent",
]

Extent = tuple[float, float, float, float]
"""(x_min, x_max, y_min, y_max) in frame units."""

# Where a line of prose may break when it has no spaces (Japanese): after these marks.
_BREAK_AFTER = ":：、。,，"


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle of the frame, in manim units."""

    left: float
    right: float
    bottom: float
    top: float

    @property
    def width(self) -> float:
        """Horizontal size."""
        return self.right - self.left

    @property
    def height(self) -> float:
        """Vertical size."""
        return self.top - self.bottom

    @property
    def center(self) -> np.ndarray:
        """Centre point (z = 0)."""
        return np.array([(self.left + self.right) / 2, (self.bottom + self.top) / 2, 0.0])

    def split(self, n: int, gap: float) -> list[Box]:
        """`n` boxes side by side, `gap` apart, filling this one."""
        width = (self.width - (n - 1) * gap) / n
        return [Box(self.left + k * (width + gap), self.left + k * (width + gap) + width,
                    self.bottom, self.top) for k in range(n)]

    def grid(self, rows: int, cols: int, gap: float) -> list[Box]:
        """`rows` × `cols` cells with `gap` between them, row by row from the top left."""
        cell_w = (self.width - (cols - 1) * gap) / cols
        cell_h = (self.height - (rows - 1) * gap) / rows
        return [Box(self.left + col * (cell_w + gap), self.left + col * (cell_w + gap) + cell_w,
                    self.top - row * (cell_h + gap) - cell_h, self.top - row * (cell_h + gap))
                for row in range(rows) for col in range(cols)]

    def shrink(self, top: float = 0.0, bottom: float = 0.0) -> Box:
        """The box without bands of the given heights at its top and bottom."""
        return Box(self.left, self.right, self.bottom + bottom, self.top - top)


def split_in_two(text: str, break_window: float) -> tuple[str, str] | None:
    """Split `text` into two lines at the break nearest its middle, or None if it cannot break.

    Words split at spaces; text without spaces (Japanese) splits after punctuation within
    `break_window` (a fraction of the length) of the middle, else at the middle character.
    """
    text = text.strip()
    mid = len(text) / 2
    spaces = [i for i, char in enumerate(text) if char == " "]
    if spaces:
        i = min(spaces, key=lambda k: abs(k - mid))
        return text[:i].rstrip(), text[i + 1:].lstrip()
    if len(text) < 2:
        return None
    marks = [i + 1 for i, char in enumerate(text[:-1]) if char in _BREAK_AFTER]
    near = [k for k in marks if abs(k - mid) <= break_window * len(text)]
    i = min(near, key=lambda k: abs(k - mid)) if near else round(mid)
    return text[:i], text[i:]


def fit_text(
    text: str, make: Callable[[str], Mobject], max_width: float, lay: Layout,
) -> Mobject:
    """Prose no wider than `max_width`: one line shrunk a little, or two lines.

    A line wider than `max_width` is shrunk to fit if that keeps at least
    ``lay.text_min_scale`` of its size (so the 16:9 captions stay as they were); otherwise it
    is set on two centred lines, shrunk only if still too wide. Never mirrored: a
    non-positive `max_width` raises.

    Parameters
    ----------
    text : str
        What to write.
    make : callable
        Makes one line of text (font, size and colour chosen by the caller).
    max_width : float
        Available width in frame units.
    lay : Layout
        ``text_min_scale``, ``line_break_window`` and ``line_gap``.

    Raises
    ------
    ValueError
        If `max_width` is not positive.
    """
    if max_width <= 0:
        raise ValueError(f"no room for text: max_width = {max_width}")
    one = make(text)
    if one.width <= max_width:
        return one
    parts = split_in_two(text, lay.line_break_window)
    if max_width / one.width >= lay.text_min_scale or parts is None:
        return one.scale_to_fit_width(max_width)
    two = VGroup(*(make(part) for part in parts)).arrange(DOWN, buff=lay.line_gap)
    if two.width > max_width:
        two.scale_to_fit_width(max_width)
    return two


def fit_row(blocks: Sequence[Mobject], box: Box, gap: float) -> float:
    """Arrange `blocks` left to right (tops aligned), shrink the row to fit `box`, centre it.

    Returns the scale factor applied (1 when the row fits as it is).
    """
    row = VGroup(*blocks).arrange(RIGHT, buff=gap, aligned_edge=UP)
    scale = min(1.0, box.width / row.width, box.height / row.height)
    if scale < 1.0:
        row.scale(scale)
    row.move_to(box.center)
    return scale


def projected_extent(project: Callable[[np.ndarray], np.ndarray], points: np.ndarray,
                     poses: Iterable[Callable[[], None]]) -> Extent:
    """The bounding box on screen of `points` over every camera pose.

    Parameters
    ----------
    project : callable
        Scene points (n, 3) -> frame points (n, 3) with the camera's current pose.
    points : ndarray, shape (n, 3)
        What must stay inside (the surface grid, the axes, the axis-label anchors).
    poses : iterable of callables
        Each sets the camera to one pose of the story.
    """
    lo, hi = np.full(2, np.inf), np.full(2, -np.inf)
    for pose in poses:
        pose()
        screen_xy = project(points)[:, :2]
        screen_xy = screen_xy[np.isfinite(screen_xy).all(axis=1)]
        lo, hi = np.minimum(lo, screen_xy.min(axis=0)), np.maximum(hi, screen_xy.max(axis=0))
    return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])


@dataclass(frozen=True)
class StoryLayout:
    """The layout of one frame: the caption's width, the bands and the view's scale and place.

    Build it with `StoryLayout.for_frame`. In landscape only `caption_width` and
    ``view_scale = 1`` are used (the scene places its columns as in the first video); the boxes
    are for square and portrait frames.

    Attributes
    ----------
    view_scale : float
        Factor on the view's size (the 3D camera's zoom, the 2D map's side); 1 in landscape.
    view_center : ndarray
        Where the view's origin goes on screen: the 2D map moves into the room under the
        caption, the 3D view is shifted by the camera's ``screen_offset`` between the bands.
    caption_width : float
        Width available to a caption.
    hud_box, panels_box : Box
        The top band's row (under the caption) and the panels' part of the bottom band
        (square and portrait).
    view_box : Box
        Where the 3D view's content may go between them (its padding already left out), on
        screen (`view_center` included).
    scale_box : Box
        Where the loss scale (colour bar) goes: under the panels (square and portrait).
    """

    frame: Frame
    lay: Layout
    view_scale: float
    view_center: np.ndarray
    caption_width: float
    hud_box: Box
    panels_box: Box
    view_box: Box
    scale_box: Box

    @property
    def label_scale(self) -> float:
        """Factor on the size of the view's labels: they shrink less than the view itself.

        Never below ``lay.label_min_scale``, where they would be too small to read at 480p.
        """
        return float(max(self.view_scale ** self.lay.label_scale_exponent,
                         self.lay.label_min_scale))

    @property
    def note_scale(self) -> float:
        """Factor on the font size of the panels' and the loss scale's notes.

        A portrait frame has ``16 / 9`` times as many pixels per unit as the others at the
        same short side, so its notes may be smaller in units (``lay.portrait_note_scale``)
        and still as tall in pixels.
        """
        return note_scale(self.frame, self.lay)

    @property
    def stacked(self) -> bool:
        """Bands above and below the view (square and portrait), not columns beside it."""
        return self.frame.orientation != "landscape"

    @classmethod
    def for_frame(cls, frame: Frame, lay: Layout, view: Extent | None = None,
                  caption_height: float = 0.0, has_panels: bool = True,
                  hud_sizes: Sequence[tuple[float, float]] = (),
                  scale_height: float = 0.0) -> StoryLayout:
        """The layout of `frame` for a view of extent `view` (at scale 1) and captions.

        On a square or portrait frame the top band keeps room for the caption and for the HUD
        row (the update rule and the live numbers) at full size, or as large as the frame's
        width allows. On a square frame the panels and the loss scale stand in a column
        ``lay.square_column_width`` wide right of the view, which gets the rest of the frame
        under the top band; on a portrait frame the view (width-bound) spans the frame and the
        bottom band, at least ``lay.panels_min_height`` for the panels plus the loss scale,
        takes all the height the view leaves. The view is never larger than its landscape size.
        The model's equations are not in the row: they have the frame to themselves at the
        start, and the data panel shows the model's fit.

        Parameters
        ----------
        frame : Frame
            The frame that renders.
        lay : Layout
            Tunables (`scenes.kit.settings.story.Layout`).
        view : (float, float, float, float), optional
            The view's extent on screen at scale 1 over the whole story (`projected_extent`);
            needed on a square or portrait frame only (without it only `caption_width` is
            meaningful).
        caption_height : float
            Height of the tallest caption the scene shows (set with `fit_text`).
        has_panels : bool
            Whether the frame has the HUD and the panels (False for the 2D map: the view may
            then move down into the room under the caption).
        hud_sizes : sequence of (float, float)
            Width and height at full size of the blocks of the HUD row (the update rule and the
            live numbers in their grid).
        scale_height : float
            Height of the loss scale (colour bar, its name and numbers); 0 for none.
        """
        half_w = frame.width / 2 - lay.edge_buff
        half_h = frame.height / 2 - lay.edge_buff
        empty = Box(0.0, 0.0, 0.0, 0.0)
        origin = np.zeros(3)
        if frame.orientation == "landscape":
            caption_w = frame.width - 2 * (lay.left_column_width + lay.edge_buff)
            return cls(frame, lay, 1.0, origin, caption_w, empty, empty, empty, empty)
        if view is None:
            return cls(frame, lay, 1.0, origin, 2 * half_w, empty, empty, empty, empty)
        hud_top = half_h - caption_height - lay.band_gap
        if not has_panels:
            room = Box(-half_w, half_w, -half_h, hud_top)
            scale, center = _fit_view(view, room, lay.view_pad)
            return cls(frame, lay, scale, center, 2 * half_w, empty, empty, empty, empty)
        # The HUD row (the update rule and the live numbers) at full size where the frame's
        # width allows, else as large as fits: its text stays readable at 480p (issue 10).
        top_w = sum(width for width, _ in hud_sizes) + (len(hud_sizes) - 1) * lay.band_gap
        top_h = max((height for _, height in hud_sizes), default=0.0)
        hud_h = top_h * min(1.0, 2 * half_w / top_w if top_w > 0 else 1.0)
        body_top = hud_top - hud_h - lay.band_gap
        hud = Box(-half_w, half_w, body_top + lay.band_gap, hud_top)
        scale_room = scale_height + lay.band_gap if scale_height > 0 else 0.0
        if frame.orientation == "square":
            column = Box(half_w - lay.square_column_width, half_w, -half_h, body_top)
            room = Box(-half_w, column.left - lay.band_gap, -half_h, body_top)
            scale, center = _fit_view(view, room, lay.view_pad)
            panels = Box(column.left, column.right, column.bottom + scale_room, column.top)
            scale_box = Box(column.left, column.right, column.bottom,
                            column.bottom + scale_height)
            view_box = Box(room.left + lay.view_pad, room.right - lay.view_pad,
                           room.bottom + lay.view_pad, room.top - lay.view_pad)
            return cls(frame, lay, scale, center, 2 * half_w, hud, panels, view_box, scale_box)
        # Portrait: the view spans the width; the bands take what its height leaves.
        bottom_h = lay.panels_min_height + scale_room
        room = Box(-half_w, half_w, -half_h + bottom_h + lay.band_gap, body_top)
        scale, center = _fit_view(view, room, lay.view_pad)
        y_min = view[2]
        band_top = center[1] + scale * y_min - lay.view_pad - lay.band_gap
        view_box = Box(room.left + lay.view_pad, room.right - lay.view_pad,
                       band_top + lay.band_gap + lay.view_pad, room.top - lay.view_pad)
        panels = Box(-half_w, half_w, -half_h + scale_room, band_top)
        scale_box = Box(-half_w, half_w, -half_h, -half_h + scale_height)
        return cls(frame, lay, scale, center, 2 * half_w, hud, panels, view_box, scale_box)

    def place_hud(self, rule: Mobject, readout: Mobject) -> None:
        """Put the update rule and the live numbers side by side in the top band's row."""
        fit_row([rule, readout], self.hud_box, self.lay.band_gap)

    def panel_slots(self) -> list[Box]:
        """The data panel's and the loss panel's boxes.

        One above the other in the square frame's column, side by side in the portrait frame's
        bottom band.
        """
        if self.frame.orientation == "square":
            return self.panels_box.grid(2, 1, self.lay.band_gap)
        # Side by side the data panel gets the larger share: its end numbers are longer.
        box, gap = self.panels_box, self.lay.band_gap
        middle = box.left + self.lay.data_panel_share * (box.width - gap)
        return [Box(box.left, middle, box.bottom, box.top),
                Box(middle + gap, box.right, box.bottom, box.top)]

    def place_panel(self, panel: Mobject, caption: Mobject, slot: Box) -> None:
        """The panel's caption at the top of `slot` (shrunk to its width), the panel below."""
        if caption.width > slot.width:
            caption.scale_to_fit_width(slot.width)
        caption.move_to(slot.center).align_to(np.array([0.0, slot.top, 0.0]), UP)
        top = caption.get_bottom()[1] - self.lay.panel_caption_gap
        panel.move_to(slot.center)
        panel.shift((top - panel.get_top()[1]) * UP)

    def panel_size(self, slot: Box, caption_height: float, width: float,
                   height: float) -> tuple[float, float]:
        """The plot size that fits `slot` under a caption, at most (`width`, `height`).

        ``lay.panel_pad`` is left around the plot for its ticks and dots, which stick out.
        """
        room_h = (slot.height - caption_height - self.lay.panel_caption_gap
                  - 2 * self.lay.panel_pad)
        return (min(width, slot.width - 2 * self.lay.panel_pad), min(height, room_h))


def _fit_view(view: Extent, room: Box, pad: float) -> tuple[float, np.ndarray]:
    """The scale (at most 1) and the screen place of the origin that centre `view` in `room`."""
    x_min, x_max, y_min, y_max = view
    scale = min(1.0, (room.width - 2 * pad) / (x_max - x_min),
                (room.height - 2 * pad) / (y_max - y_min))
    center = room.center - scale * np.array([(x_min + x_max) / 2, (y_min + y_max) / 2, 0.0])
    return float(scale), center


def fill_factor(extent: Extent, box: Box) -> float:
    """The factor that scales `extent` about the origin to fill `box` (it may exceed 1).

    Only edges on the same side of the origin as the box's count (inf if there are none).
    """
    bound = (box.left, box.right, box.bottom, box.top)
    return float(min((limit / edge for limit, edge in zip(bound, extent, strict=True)
                      if edge * limit > 0), default=np.inf))


def note_scale(frame: Frame, lay: Layout) -> float:
    """Factor on the font size of the notes on `frame` (see `StoryLayout.note_scale`)."""
    return lay.portrait_note_scale if frame.orientation == "portrait" else 1.0


def union_extent(extents: Iterable[Extent]) -> Extent:
    """The smallest extent holding every one of `extents`."""
    lefts, rights, bottoms, tops = np.array(list(extents)).T
    return float(lefts.min()), float(rights.max()), float(bottoms.min()), float(tops.max())


def fit_factor(extent: Extent, box: Box) -> float:
    """The factor (at most 1) that shrinks `extent` about the origin into `box`."""
    return min(1.0, fill_factor(extent, box))


def polyline_at(points: Sequence[np.ndarray]) -> Callable[[float], np.ndarray]:
    """The point a fraction ``alpha`` of the way along the polyline through `points`, by length.

    For a label that must go round what lies on the straight way (first down, then along).
    """
    corners = np.array(points, dtype=float)
    lengths = np.linalg.norm(np.diff(corners, axis=0), axis=1)
    ends = np.concatenate([[0.0], np.cumsum(lengths)])

    def point_at(alpha: float) -> np.ndarray:
        if ends[-1] <= 0:
            return corners[-1].copy()
        distance = float(np.clip(alpha, 0.0, 1.0)) * ends[-1]
        k = min(int(np.searchsorted(ends, distance, side="right")) - 1, len(lengths) - 1)
        fraction = (distance - ends[k]) / lengths[k] if lengths[k] > 0 else 1.0
        return corners[k] + fraction * (corners[k + 1] - corners[k])

    return point_at
