"""Where the story's pieces go on a frame of any shape (16:9, 1:1, 9:16).

The frame is always 8 units high and ``8 · W / H`` wide (`scenes.kit.theme.current_frame`).

* **Landscape** (16:9) keeps the first video's layout: the model and the HUD in a left column,
  the data and loss panels in a right column, the caption at the top between them, the 3D view
  in the middle at the zoom of `scenes.kit.settings.story.Camera`.
* **Square and portrait** stack instead: a band at the top (the caption, then one row with the
  model, the update rule and the live numbers), a band at the bottom (the data and loss panels
  side by side; on a square frame the live numbers move down here, left of the panels, so that
  both bands are about as high) and the view between them. The 3D view is shrunk by
  `StoryLayout.view_scale` (a factor on the camera's zoom, so w and b keep one screen length per
  unit and the right angles stay right) until its projected extent over every camera pose fits
  between the bands; the 2D map of `scenes.contour` shrinks and moves under the caption.

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
    "projected_extent",
    "split_in_two",
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
    """

    frame: Frame
    lay: Layout
    view_scale: float
    view_center: np.ndarray
    caption_width: float
    hud_box: Box
    panels_box: Box
    view_box: Box

    @property
    def label_scale(self) -> float:
        """Factor on the size of the view's labels: they shrink less than the view itself.

        Never below ``lay.label_min_scale``, where they would be too small to read at 480p.
        """
        return float(max(self.view_scale ** self.lay.label_scale_exponent,
                         self.lay.label_min_scale))

    @property
    def stacked(self) -> bool:
        """Bands above and below the view (square and portrait), not columns beside it."""
        return self.frame.orientation != "landscape"

    @classmethod
    def for_frame(cls, frame: Frame, lay: Layout, view: Extent | None = None,
                  caption_height: float = 0.0, has_panels: bool = True,
                  hud_sizes: Sequence[tuple[float, float]] = ()) -> StoryLayout:
        """The layout of `frame` for a view of extent `view` (at scale 1) and captions.

        On a square or portrait frame the top band keeps room for the caption and for the HUD
        row (the update rule and the live numbers) at full size, or as large as the frame's
        width allows; the bottom band at least ``lay.panels_min_height`` for the panels; the
        view gets the rest, never more than its landscape size. Bands then take all the room
        the view leaves. The model's equations are not in the row: they have the frame to
        themselves at the start, and the data panel shows the model's fit.

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
        """
        half_w = frame.width / 2 - lay.edge_buff
        half_h = frame.height / 2 - lay.edge_buff
        empty = Box(0.0, 0.0, 0.0, 0.0)
        origin = np.zeros(3)
        if frame.orientation == "landscape":
            caption_w = frame.width - 2 * (lay.left_column_width + lay.edge_buff)
            return cls(frame, lay, 1.0, origin, caption_w, empty, empty, empty)
        if view is None:
            return cls(frame, lay, 1.0, origin, 2 * half_w, empty, empty, empty)
        x_min, x_max, y_min, y_max = view
        pad = lay.view_pad
        hud_top = half_h - caption_height - lay.band_gap
        if not has_panels:
            room = Box(-half_w, half_w, -half_h, hud_top)
            scale = min(1.0, (room.width - 2 * pad) / (x_max - x_min),
                        (room.height - 2 * pad) / (y_max - y_min))
            center = room.center - scale * np.array([(x_min + x_max) / 2, (y_min + y_max) / 2, 0.0])
            return cls(frame, lay, float(scale), center, 2 * half_w, empty, empty, empty)
        # The HUD row (the update rule and the live numbers) at full size where the frame's
        # width allows, else as large as fits: its text stays readable at 480p (issue 10).
        top_w = sum(width for width, _ in hud_sizes) + (len(hud_sizes) - 1) * lay.band_gap
        top_h = max((height for _, height in hud_sizes), default=0.0)
        hud_h = top_h * min(1.0, 2 * half_w / top_w if top_w > 0 else 1.0)
        view_top = hud_top - hud_h - lay.band_gap - pad
        view_bottom = -half_h + lay.panels_min_height + lay.band_gap + pad
        scale = min(1.0, (half_w - pad) / max(-x_min, x_max),
                    (view_top - view_bottom) / (y_max - y_min))
        # The view is moved on screen (the 3D camera's screen_offset) to the middle of its room:
        # the bands above and below it need not be as high as each other.
        shift = 0.5 * (view_top + view_bottom) - 0.5 * scale * (y_min + y_max)
        view_box = Box(pad - half_w, half_w - pad, shift + scale * y_min, shift + scale * y_max)
        hud = Box(-half_w, half_w, view_box.top + pad + lay.band_gap, hud_top)
        bottom = Box(-half_w, half_w, -half_h, view_box.bottom - pad - lay.band_gap)
        origin = np.array([0.0, shift, 0.0])
        return cls(frame, lay, float(scale), origin, 2 * half_w, hud, bottom, view_box)

    def place_hud(self, rule: Mobject, readout: Mobject) -> None:
        """Put the update rule and the live numbers side by side in the top band's row."""
        fit_row([rule, readout], self.hud_box, self.lay.band_gap)

    def panel_slots(self) -> list[Box]:
        """Left and right halves of the panels' part of the bottom band (data, loss)."""
        return self.panels_box.split(2, self.lay.band_gap)

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


def fill_factor(extent: Extent, box: Box) -> float:
    """The factor that scales `extent` about the origin to fill `box` (it may exceed 1).

    Only edges on the same side of the origin as the box's count (inf if there are none).
    """
    bound = (box.left, box.right, box.bottom, box.top)
    return float(min((limit / edge for limit, edge in zip(bound, extent, strict=True)
                      if edge * limit > 0), default=np.inf))


def fit_factor(extent: Extent, box: Box) -> float:
    """The factor (at most 1) that shrinks `extent` about the origin into `box`."""
    return min(1.0, fill_factor(extent, box))
