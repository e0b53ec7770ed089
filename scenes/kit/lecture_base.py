"""Base scenes of the lectures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, ClassVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Dot,
    Line,
    MathTex,
    Mobject,
    VGroup,
)

import gdmath
from scenes.kit.axes import BoxAxes2D
from scenes.kit.descent_study import DescentStudy
from scenes.kit.env import VideoConfig
from scenes.kit.labels import labels_for
from scenes.kit.labels.fields import LectureLabels
from scenes.kit.layout import fit_text, split_in_two
from scenes.kit.mobjects import ContourSet, StartCross
from scenes.kit.paths import PathOnMap, surface_stops
from scenes.kit.planned import PlannedScene, PlannedScene2D, PlannedScene3D
from scenes.kit.render3d.shading import project_points_fast
from scenes.kit.settings.lectures import LECTURE, LectureSettings
from scenes.kit.settings.story import Layout
from scenes.kit.theme import current_frame


# =========================================================================== base scenes
class LectureParts(PlannedScene):
    """Mixin of the lecture scenes: their tunables, labels and study, and their look.

    A subclass sets `default_config` and computes its study from the video's config in
    `make_study` (gdmath, before anything renders).
    """

    default_config: ClassVar[str | Mapping[str, Any]] = "bowl"
    settings: ClassVar[LectureSettings] = LECTURE

    study: Any
    labels: LectureLabels

    @classmethod
    def make_study(cls, video: VideoConfig) -> Any:
        """The study this scene draws, from gdmath."""
        raise NotImplementedError

    def prepare(self) -> None:
        """Labels and study, before anything renders."""
        self.labels = labels_for(self.language).lectures
        self.study = self.make_study(self.video)

    # ---------------------------------------------------------------- text
    def tex(self, formula: str, size: float | None = None, color: str | None = None) -> MathTex:
        """Mathematics, the same in both languages (never under `stacked_min_tex` when stacked)."""
        size = size or self.settings.style.tex_font
        if is_stacked():
            size = max(size, self.settings.style.stacked_min_tex)
        return super().tex(formula, size, color)

    def text(self, words: str, size: float, color: str | None = None) -> Mobject:
        """Prose in the video's language (never under `stacked_min_text` when stacked)."""
        if is_stacked():
            size = max(size, self.settings.style.stacked_min_text)
        return super().text(words, size, color)

    def title_block(self, title: str, subtitle: str) -> VGroup:
        """Title and subtitle, top centre, no wider than the frame.

        On a stacked frame the title's capitals stay at least `TITLE_RATIO` times the
        subtitle's (`stacked_title`).
        """
        style = self.settings.style
        frame = current_frame()
        width = frame.width - 2 * style.edge_buff
        buff = 0.15
        if is_stacked():
            head, sub = self.stacked_title(title, subtitle, width)
            buff *= min(1.0, frame.width / frame.height)
        else:
            head = self.text(title, style.title_font)
            sub = self.text(subtitle, style.subtitle_font, self.theme.muted)
        group = VGroup(head, sub).arrange(DOWN, buff=buff)
        self.fit_width(group, width)
        group.to_edge(UP, buff=style.edge_buff)
        return group

    def stacked_title(self, title: str, subtitle: str, width: float) -> tuple[Mobject, Mobject]:
        """Title and subtitle for a square or portrait frame, `width` wide at most.

        Sizes are scaled by ``least = min(1, width / height)``: a portrait frame's pixels are
        larger, and its texts are as many pixels tall as on a square frame. The floor is the
        size whose capitals are 12 px at 480p (`stacked_min_text` times ``least``). The title
        is set on one line, shrunk down to `TITLE_RATIO` times that floor, else on two lines;
        the subtitle at the title's size over `TITLE_RATIO` (between the floor and its own
        size), on one line shrunk down to the floor, else on two.
        """
        style = self.settings.style
        frame = current_frame()
        least = min(1.0, frame.width / frame.height)
        floor = least * style.stacked_min_text
        head = self.lines_at(title, least * style.title_font, None, width, TITLE_RATIO * floor)
        size = float(head[0].font_size)
        sub_size = min(least * style.subtitle_font, max(floor, size / TITLE_RATIO))
        sub = self.lines_at(subtitle, sub_size, self.theme.muted, width, floor)
        return head, sub

    def lines_at(self, words: str, size: float, color: str | None, width: float,
                 least: float) -> VGroup:
        """`words` at `size` (even under `stacked_min_text`) in one line or two, `width` wide.

        One line shrunk down to size `least`, else two lines (shrunk only if still too wide).
        A VGroup of the lines; each line keeps its font size in `font_size`.
        """
        made = self.settings.style.stacked_min_text

        def line(part: str) -> Mobject:
            mob = self.text(part, max(size, made), color)
            return mob.scale(size / max(size, made))

        one = line(words)
        if one.width <= width or (width / one.width) * size >= least:
            return VGroup(one.scale(min(1.0, width / one.width)))
        parts = split_in_two(words, Layout().line_break_window)
        if parts is None:
            return VGroup(one.scale(width / one.width))
        two = VGroup(*(line(part) for part in parts)).arrange(DOWN, buff=Layout().line_gap)
        return two.scale(min(1.0, width / two.width))

    def fitted_text(self, words: str, size: float, color: str | None, width: float) -> Mobject:
        """Prose no wider than `width` on a stacked frame.

        One line shrunk down to the floor's size (see `stack_with_map`), else two lines.
        """
        frame = current_frame()
        floor = self.settings.style.stacked_min_text
        least = min(1.0, frame.width / frame.height) * floor
        lay = replace(Layout(), text_min_scale=min(1.0, least / max(size, floor)))
        return fit_text(words, lambda line: self.text(line, size, color), width, lay)

    def caption(self, words: str, color: str | None = None) -> Mobject:
        """A line of prose at the bottom centre, no wider than the frame (two on a stacked one)."""
        style = self.settings.style
        if is_stacked():
            cap = self.fitted_text(words, style.label_font, color,
                                   current_frame().width - 2 * style.edge_buff)
        else:
            cap = self.text(words, style.label_font, color)
        # An outline in the background colour keeps it legible over lines and surfaces.
        cap.set_stroke(self.theme.background, width=style.text_outline, background=True)
        self.fit_width(cap, current_frame().width - 2 * style.edge_buff)
        cap.to_edge(DOWN, buff=style.edge_buff)
        return cap

    def legend_row(self, color: str, words: str, detail: str | None = None,
                   size: float | None = None) -> VGroup:
        """A coloured dot on a short line, `words`, and optional TeX `detail` under the words."""
        style = self.settings.style
        size = size or style.label_font
        swatch = VGroup(Line(LEFT * 0.25, RIGHT * 0.25, color=color,
                             stroke_width=style.trail_width),
                        Dot(color=color, radius=style.ball_radius))
        words_mob = self.text(words, size, color)
        block = VGroup(words_mob)
        if detail is not None:
            block.add(self.tex(detail, size * 1.05, self.theme.text))
            block.arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        swatch.next_to(words_mob, LEFT, buff=0.2)
        return VGroup(swatch, block)

    # ---------------------------------------------------------------- maps
    def contour_set(self, axes: Any, stage: DescentStudy, at_height: bool = False) -> ContourSet:
        """The level lines of `stage` (gdmath.auto_levels) in the theme's colours."""
        style = self.settings.style
        return ContourSet(axes, stage.contour_levels, stage.l_range, surface_stops(self.theme),
                          style.contour_width, at_height=at_height,
                          color_floor=style.contour_color_floor)

    def start_cross(self, axes: Any, scenario: gdmath.Scenario, unit: float) -> StartCross:
        """The ✕ at the start; the strokes are sampled on the surface (`Problem.loss_along`)."""
        style = self.settings.style
        half_width = style.cross_half_width / unit
        w0, b0 = scenario.start
        diagonals = [scenario.problem.loss_along(w0 - half_width, b0 - half_width * k,
                                                 w0 + half_width, b0 + half_width * k, 21)
                     for k in (1.0, -1.0)]
        return StartCross(axes, diagonals, self.theme.cross, style.cross_width, 0.0)

    def path_on_map(self, axes: BoxAxes2D, points: np.ndarray, scenario: gdmath.Scenario,
                    color: str, **options: Any) -> PathOnMap:
        """A `PathOnMap` whose ball has an outline in the background colour.

        The outline keeps the ball visible where it sits on its own trail (a zig-zag's strokes,
        a path in its own colour) or on another run of the same hue.
        """
        path = PathOnMap(axes, points, scenario, color, self.settings.style, **options)
        path.ball.set_stroke(self.theme.background, width=self.settings.style.ball_outline)
        return path

    def axis_labels(self, axes: BoxAxes2D) -> VGroup:
        """W under the right end of the w axis, b left of the top of the b axis."""
        style = self.settings.style
        w_lab = self.tex("w", style.axis_label_font)
        b_lab = self.tex("b", style.axis_label_font)
        w_lab.next_to(axes.x_axis.get_end(), DOWN, buff=0.15)
        b_lab.next_to(axes.y_axis.get_end(), LEFT, buff=0.15)
        return VGroup(w_lab, b_lab)


def show_path_at(path: PathOnMap, step: float) -> PathOnMap:
    """`PathOnMap.show_at`, with the ball's outline fading together with its fill."""
    path.show_at(step)
    path.ball.set_stroke(opacity=path.ball.get_fill_opacity())
    return path


def visible_shares(centers: np.ndarray, radii: Sequence[float], rings: int = 12,
                   spokes: int = 48) -> np.ndarray:
    """The share of each disc not covered by the discs drawn after it (polar sampling).

    `centers` (k, 2 or 3) and `radii` (k,) are in drawing order: disc i is covered only by the
    discs j > i. A ball hidden under another has share 0.
    """
    pts = np.asarray(centers, dtype=float)[:, :2]
    radius = np.asarray(radii, dtype=float)
    # Points at the centres of equal-area rings, evenly spread around each disc.
    fractions = np.sqrt((np.arange(rings) + 0.5) / rings)
    angles = 2 * np.pi * np.arange(spokes) / spokes
    unit = (fractions[:, None, None]
            * np.stack([np.cos(angles), np.sin(angles)], axis=-1)[None]).reshape(-1, 2)
    shares = np.ones(len(pts))
    for i in range(len(pts) - 1):
        samples = pts[i] + radius[i] * unit
        gaps = np.linalg.norm(samples[:, None, :] - pts[None, i + 1:], axis=2)
        shares[i] = float((gaps > radius[None, i + 1:]).all(axis=1).mean())
    return shares


def layer_in_order(camera: Any, balls: Sequence[Any], base: float, step: float) -> None:
    """Sort offsets that draw overlapping `balls` in list order, whatever their depths.

    The fast 3D camera draws a ball at its centre's depth plus its sort offset. Balls of
    several runs on one valley floor differ in depth by more than any fixed step between their
    offsets, so a later (smaller) ball could be drawn under an earlier one and hidden. Balls
    whose discs overlap on screen are grouped; each is sorted as if at the group's nearest
    depth, plus `base` and `step` times its place in the list. Balls that touch no other keep
    their own depth (plus `base` and their step): a hill in front still hides them.
    """
    if hasattr(camera, "reset_rotation_matrix"):
        camera.reset_rotation_matrix()
    centers = np.array([ball.get_center() for ball in balls])
    screen_xy, depth, scale = project_points_fast(camera, centers)
    radii = np.array([ball.get_radius() for ball in balls]) * scale
    group = list(range(len(balls)))

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for i in range(len(balls)):
        for j in range(i + 1, len(balls)):
            if np.linalg.norm(screen_xy[i] - screen_xy[j]) < radii[i] + radii[j]:
                group[root(j)] = root(i)
    roots = np.array([root(i) for i in range(len(balls))])
    for i, ball in enumerate(balls):
        nearest = depth[roots == roots[i]].max()
        ball.sort_depth_offset_override = float(nearest - depth[i] + base + i * step)


def spaced_indices(points: np.ndarray, gap: float) -> np.ndarray:
    """Indices of `points` (k, d) at least `gap` from the previous kept one; the first is kept.

    Dots on every iterate of a run with a small η would merge into a thick line: only dots that
    stand apart are drawn.
    """
    pts = np.asarray(points, dtype=float)
    kept = [0] if len(pts) else []
    for i in range(1, len(pts)):
        if np.linalg.norm(pts[i] - pts[kept[-1]]) >= gap:
            kept.append(i)
    return np.array(kept, dtype=int)


def grid_for_frame(panels: Sequence[Mobject], buff: float) -> VGroup:
    """Panels in one row on a landscape frame, two columns on a square or portrait one."""
    group = VGroup(*panels)
    if current_frame().orientation == "landscape":
        group.arrange(np.array([1.0, 0.0, 0.0]), buff=buff, aligned_edge=UP)
    else:
        group.arrange_in_grid(cols=2, buff=buff)
    return group


def fit_below(group: Mobject, top: float, buff: float, bottom_reserve: float = 0.0) -> Mobject:
    """Shrink `group` to fit between y = `top` and the frame's bottom (less `bottom_reserve`).

    The group is then centred in that space.
    """
    frame = current_frame()
    low = -frame.height / 2 + buff + bottom_reserve
    avail_w, avail_h = frame.width - 2 * buff, top - low
    factor = min(1.0, avail_w / group.width, avail_h / group.height)
    if factor < 1.0:
        group.scale(factor)
    group.move_to([0.0, (top + low) / 2, 0.0])
    return group


# On a stacked frame the title's capitals are at least this many times the subtitle's.
TITLE_RATIO = 1.1
# Under the map on a stacked frame the notes take at most this share of the height (shrunk, but
# never under the floors' 12 px).
NOTES_SHARE = 0.4
# Room kept free at the bottom of a stacked frame for a caption of up to two lines.
STACKED_CAPTION_ROOM = 0.9


def least_scale() -> float:
    """``min(1, width / height)``: texts at the floors times this are 12 px tall at 480p."""
    frame = current_frame()
    return min(1.0, frame.width / frame.height)


def is_stacked() -> bool:
    """A square or portrait frame, where the lectures stack their notes with the map."""
    return current_frame().orientation != "landscape"


def stack_with_map(board: Mobject, notes: Mobject, arrangements: Sequence[Any], top: float,
                   buff: float, gap: float, bottom_reserve: float = 0.0,
                   grow_map: bool = False) -> float:
    """Place `board` (a map, scaled) and `notes` (text) on a stacked frame.

    Each of `arrangements` is a pair (arrange, side): ``arrange()`` lays the notes out one way
    (rows, a grid, a column) and `side` (DOWN or RIGHT) says where they go beside the map.
    Notes shrink only to fit the frame's width (or, under the map, half the height), and never
    below ``least = min(1, width / height)`` of their size: text set at the stacked floors
    (`MapStyle.stacked_min_tex`) keeps 12 px capitals at 480p down to that factor. Of the
    arrangements that need no more shrinking, the one leaving the largest map is used; the map
    is scaled (up or down) to fill what the notes leave between y = `top` and the frame's
    bottom (less `bottom_reserve`), and the pair is centred there. With `grow_map`, notes
    under the map shrink further (never below ``least``) while that lets the map grow to the
    frame's full width; of equal maps, the one with the larger notes is kept. Returns the
    map's factor.
    """
    frame = current_frame()
    width = frame.width - 2 * buff
    low = -frame.height / 2 + buff + bottom_reserve
    height = top - low
    least = min(1.0, frame.width / frame.height)

    def fitted(side: np.ndarray) -> tuple[float, float]:
        """The notes' shrink factor and the map's scale factor for the current arrangement."""
        down = np.array_equal(side, DOWN)
        room_h = NOTES_SHARE * height if down else height
        shrink = min(1.0, width / notes.width, max(least, room_h / notes.height))
        if down and grow_map:
            full = (height - gap - board.height * width / board.width) / notes.height
            shrink = min(shrink, max(least, full))
        if down:
            return shrink, min(width / board.width,
                               (height - shrink * notes.height - gap) / board.height)
        return shrink, min((width - shrink * notes.width - gap) / board.width,
                           height / board.height)

    best: tuple[bool, float, float, int] = (False, -np.inf, 0.0, 0)
    for index, (arrange, side) in enumerate(arrangements):
        arrange()
        shrink, factor = fitted(side)
        best = max(best, (shrink >= least - 1e-9, round(factor, 6), shrink if grow_map else 0.0,
                          -index))
    arrange, side = arrangements[-best[3]]
    arrange()
    shrink, factor = fitted(side)
    notes.scale(shrink)
    board.scale(factor)
    VGroup(board, notes).arrange(side, buff=gap).move_to([0.0, (top + low) / 2, 0.0])
    return factor


class LectureScene2D(LectureParts, PlannedScene2D):
    """A 2D lecture scene (maps render about ten times faster than the 3D valley)."""


class LectureScene3D(LectureParts, PlannedScene3D):
    """A 3D lecture scene on the fast mesh; text is pinned to the frame with `fix`."""
