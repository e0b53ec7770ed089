"""Curvature explains the zig-zag: the Hessian's eigen-directions ride along with the ball.

Render with ``manim -pql scenes/curvature.py`` or ``gdviz render scenes/curvature.py``. With
neither ``GDVIZ_PRESET`` nor ``GDVIZ_CONFIG`` set, the scene uses the ``bowl`` preset: linear
regression whose valley is 12 times steeper across than along, descended at 85 % of the critical
step size. Any other preset or config works the same way (the marker is recomputed at every
iterate). ``GDVIZ_LANG=ja`` sets the labels in Japanese, ``GDVIZ_THEME=light`` the light theme.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Axes,
    Create,
    DecimalNumber,
    FadeIn,
    GrowArrow,
    GrowFromPoint,
    LaggedStart,
    Line,
    Mobject,
    Rectangle,
    UpdateFromAlphaFunc,
    ValueTracker,
    VGroup,
    linear,
    smooth,
)

from scenes.kit.axes import fit_map_axes, scene_points
from scenes.kit.env import VideoConfig
from scenes.kit.layout import Box, fit_text
from scenes.kit.lecture_base import is_stacked, stack_with_map
from scenes.kit.map_base import MapLectureScene
from scenes.kit.map_drawing import (
    EigenMarker,
    axis_names,
    fit_into,
    map_ball,
    map_contours,
    map_width,
    polyline,
    polyline_until,
    set_polyline,
    split_frame,
    start_cross,
)
from scenes.kit.map_studies import CurvatureStudy
from scenes.kit.sci import tex_number
from scenes.kit.settings.maps import CurvatureSettings
from scenes.kit.settings.story import Layout
from scenes.kit.theme import current_frame, mark_key_moment


def box_of(mob: Mobject) -> Box:
    """The frame box `mob` takes up."""
    return Box(mob.get_left()[0], mob.get_right()[0], mob.get_bottom()[1], mob.get_top()[1])


class CurvatureZigZag(MapLectureScene):
    """The Hessian at the ball: a steep and a shallow direction, and why the path zig-zags.

    At each iterate gdmath's Hessian gives two eigen-directions, drawn at the ball as a red arm
    (steep, λmax) and a blue arm (shallow, λmin) with the local level-line ellipse. Step by
    step, the arrow of each step lies almost along the red arm and flips side each time; a chart
    splits every step into its two components. The closing beat states the rule: along the
    steep direction a step multiplies the distance by 1 − ηλmax, which is negative (overshoot)
    once η > 1/λmax and runs away once η > 2/λmax.
    """

    default_config = "bowl"
    settings = CurvatureSettings()

    @classmethod
    def make_stage(cls, video: VideoConfig) -> CurvatureStudy:
        """The path and its curvature, computed by gdmath."""
        return CurvatureStudy(video, cls.settings, cls.look)  # type: ignore[arg-type]

    def construct(self) -> None:
        """The table of contents."""
        self.show_map()
        self.show_hessian_at_ball()
        self.explain_steps()
        self.finish_descent()
        self.show_step_size_limit()

    # ---------------------------------------------------------------- building
    def build(self) -> None:
        """Axes, level lines, ✕, ball, marker, arrows, the side column and the chart."""
        study, look, theme, settings = self.stage, self.look, self.theme, self.settings
        self.main, self.side = split_frame(look, settings.side_share)
        view = study.view
        # The side column (legend, chart, rules) first: on a stacked frame its size sets the map's.
        self.build_side()
        self.axes = fit_map_axes(view.w_range, view.b_range, self.main, theme.axes, look.axes_width)
        self.names = axis_names(self.axes, theme.text, self.tex_size(look.small_font))
        self.contours = map_contours(self.axes, view, theme, look)
        traj = study.traj
        self.points = scene_points(self.axes, traj.w, traj.b)
        self.cross = start_cross(self.points[0], look, theme.cross)
        self.ball = map_ball(self.points[0], look, theme.ball, theme.background)
        self.marker = EigenMarker(theme.data, theme.gradient, theme.text, settings.cross_width,
                                  settings.ellipse_width)
        self.place_marker(0)
        self.arrows = [Arrow(self.points[k], self.points[k + 1], buff=0, color=theme.step,
                             stroke_width=settings.arrow_width,
                             tip_length=settings.step_arrow_tip_max,
                             max_tip_length_to_length_ratio=settings.step_arrow_tip)
                       for k in range(study.explained)]
        self.trail = polyline(self.points[study.explained:study.explained + 1], theme.trail,
                              settings.rest_trail_width)

    def place_marker(self, k: int) -> None:
        """The marker at iterate k, with gdmath's eigenvectors there."""
        study = self.stage
        curvature = study.curvature
        self.marker.set_state(self.axes, (study.traj.w[k], study.traj.b[k]),
                              curvature.eigenvectors[k],
                              study.semi_axes(k), study.is_bowl(k))

    def build_side(self) -> None:
        """Legend rows (λ values), the step-component chart and the closing formulas."""
        study, look, theme, lab = self.stage, self.look, self.theme, self.labels
        lam = study.curvature.eigenvalues[0]
        self.lam_numbers = []
        rows = []
        for name, color, tex, value in ((lab.steep, theme.gradient, r"\lambda_{\max} =", lam[1]),
                                        (lab.shallow, theme.data, r"\lambda_{\min} =", lam[0])):
            num = DecimalNumber(value, num_decimal_places=2, font_size=look.readout_font,
                                color=color)
            self.lam_numbers.append(num)
            # Tighter on a stacked frame, where legend and rules may share a row.
            half, buff = (0.15, 0.1) if is_stacked() else (0.2, 0.15)
            swatch = Line(LEFT * half, RIGHT * half, color=color,
                          stroke_width=self.settings.cross_width)
            rows.append(VGroup(swatch, self.text(name, look.small_font, color),
                               self.tex(tex, look.readout_font, color), num).arrange(
                RIGHT, buff=buff))
        eta = self.tex(rf"\eta = {tex_number(study.scenario.learning_rate, 4)}", look.readout_font)
        self.legend = self.column(*rows, eta)
        self.chart = self.build_chart()
        self.rules = self.build_rules()
        if is_stacked():
            self.stack_side()
        else:
            self.side_block = self.column(self.legend, self.chart, self.rules, buff=0.4)
            fit_into(self.side_block, self.side)
        self.build_bars()

    def stack_side(self) -> None:
        """On a square or portrait frame: the side block at its size, beside or under the map.

        `stack_with_map` tries the arrangements (one column beside the map; legend and rules
        beside the chart under it; legend and rules in a row or a column over the chart, under
        it) on a stand-in of the map's shape and keeps the one that leaves the largest map. One
        more is tried here: the chart beside the map, legend and rules in a row under both
        (`chart_beside`). The main and side regions are then the boxes the stand-in and the
        side block were given.
        """
        look, view = self.look, self.stage.view
        notes = self.side_block = VGroup(self.column(self.legend, self.rules, buff=0.3),
                                         self.chart)

        def column_of(side: np.ndarray) -> object:
            def arrange() -> None:
                notes[0].arrange(DOWN, aligned_edge=LEFT, buff=0.3)
                notes.arrange(side, aligned_edge=UP if side is RIGHT else LEFT, buff=0.4)
            return arrange

        def row(side: np.ndarray) -> object:
            def arrange() -> None:
                notes[0].arrange(side, aligned_edge=UP if side is RIGHT else LEFT, buff=0.3)
                notes.arrange(DOWN, buff=0.3)
            return arrange

        height = 4.0
        stand_in = Rectangle(width=map_width(view.w_range, view.b_range, height), height=height)
        top = current_frame().height / 2 - look.edge_buff - look.caption_height
        size = notes[0][0].width
        arrangements = [(column_of(DOWN), RIGHT), (column_of(RIGHT), DOWN), (row(RIGHT), DOWN),
                        (row(DOWN), DOWN)]
        stack_with_map(stand_in, notes, arrangements, top, look.edge_buff, look.region_gap)
        best = stand_in.width
        notes.scale(size / notes[0][0].width)  # back to the notes' own size
        if not self.chart_beside(stand_in, top, best):
            stack_with_map(stand_in, notes, arrangements, top, look.edge_buff, look.region_gap)
        self.main = box_of(stand_in)
        self.side = box_of(notes)

    def chart_beside(self, stand_in: Mobject, top: float, best: float) -> bool:
        """The chart beside the map, legend and rules in one row under both, at their size.

        Placed only if the row fits the frame's width and the map comes out wider than `best`.
        """
        look, frame = self.look, current_frame()
        width = frame.width - 2 * look.edge_buff
        low = -frame.height / 2 + look.edge_buff
        gap = look.region_gap
        words = self.side_block[0].arrange(RIGHT, aligned_edge=UP, buff=0.3)
        room_w = width - self.chart.width - gap
        room_h = top - low - words.height - gap
        factor = min(room_w / stand_in.width, room_h / stand_in.height)
        if words.width > width or factor * stand_in.width <= best:
            return False
        stand_in.scale(factor)
        board = VGroup(stand_in, self.chart).arrange(RIGHT, buff=gap)
        VGroup(board, words).arrange(DOWN, buff=gap).move_to([0.0, (top + low) / 2, 0.0])
        return True

    def build_rules(self) -> VGroup:
        """1 − ηλ along each direction at the start, and η against 2/λmax there."""
        study, look, theme = self.stage, self.look, self.theme
        f_shallow, f_steep = study.curvature.factors[0]
        eta, crit = study.scenario.learning_rate, study.critical_rate
        rel = "<" if eta < crit else ">"
        return self.column(
            self.tex(rf"1 - \eta\,\lambda_{{\max}} = {f_steep:+.2f}", look.readout_font,
                     theme.gradient),
            self.tex(rf"1 - \eta\,\lambda_{{\min}} = {f_shallow:+.2f}", look.readout_font,
                     theme.data),
            self.tex(rf"\eta = {tex_number(eta, 4)} {rel} \frac{{2}}{{\lambda_{{\max}}}}"
                     rf" = {tex_number(crit, 4)}",
                     look.readout_font))

    def build_chart(self) -> VGroup:
        """Title and axes of the chart of the steps' components along the two directions."""
        study, look, theme, settings = self.stage, self.look, self.theme, self.settings
        n = max(study.chart_steps, 1)
        comps = study.curvature.step_components[:n]
        top = float(np.abs(comps).max()) if comps.size else 1.0
        top = top if top > 0 else 1.0
        landscape = not is_stacked()
        self.chart_axes = Axes(
            x_range=(0, n, 1), y_range=(-top, top, top),
            x_length=self.side.width * 0.9 if landscape else settings.stacked_chart_width,
            y_length=settings.chart_height * (1.0 if landscape else settings.stacked_chart_share),
            tips=False,
            axis_config={"color": theme.axes, "stroke_width": 2, "include_ticks": False})
        t_label = self.tex("t", look.small_font).next_to(self.chart_axes.x_axis, RIGHT, buff=0.1)
        if landscape:
            title = self.text(self.labels.components, look.small_font, theme.muted)
        else:  # on two lines rather than wider than the chart
            title = fit_text(self.labels.components,
                             lambda line: self.text(line, look.small_font, theme.muted),
                             settings.stacked_chart_width + 0.5,
                             replace(Layout(), text_min_scale=1.0))
        title.next_to(self.chart_axes, UP, buff=0.15)
        return VGroup(title, VGroup(self.chart_axes, t_label))

    def build_bars(self) -> None:
        """Two bars per step, steep (red) then shallow (blue), on the laid-out chart axes."""
        study, theme, settings = self.stage, self.theme, self.settings
        axes = self.chart_axes
        comps = study.curvature.step_components
        self.bars: list[tuple[Rectangle, Rectangle]] = []
        for k in range(study.chart_steps):
            pair = []
            for value, color, x in ((comps[k, 1], theme.gradient,
                                     k + 0.5 - settings.chart_bar_width / 2),
                                    (comps[k, 0], theme.data,
                                     k + 0.5 + settings.chart_bar_width / 2)):
                lo = np.asarray(axes.c2p(x - settings.chart_bar_width / 2, min(float(value), 0.0)))
                hi = np.asarray(axes.c2p(x + settings.chart_bar_width / 2, max(float(value), 0.0)))
                bar = Rectangle(width=hi[0] - lo[0], height=max(hi[1] - lo[1], 1e-3),
                                stroke_width=0, fill_color=color, fill_opacity=0.9)
                bar.move_to((lo + hi) / 2)
                bar.zero = np.asarray(axes.c2p(x, 0.0))
                pair.append(bar)
            self.bars.append((pair[0], pair[1]))

    # ---------------------------------------------------------------- 1. the map
    def show_map(self) -> None:
        """Equal-unit axes, the level lines and the start."""
        self.build()
        self.set_caption(self.labels.curvature_title)
        self.add(self.axes, self.names)
        self.beat("map", self.settings.durations.map,
                  Create(self.contours, lag_ratio=0.05), FadeIn(self.cross),
                  FadeIn(self.ball))
        self.hold("map_hold", self.settings.durations.map_hold)

    # ---------------------------------------------------------------- 2. the Hessian
    def show_hessian_at_ball(self) -> None:
        """The eigen-directions and the local ellipse at the ball; their λ in the legend."""
        self.add(self.ball)
        self.beat("hessian", self.settings.durations.hessian,
                  Create(self.marker), FadeIn(self.legend), FadeIn(self.chart[1]),
                  FadeIn(self.chart[0]), *self.swap_caption(self.labels.hessian_at_ball))
        self.bring_to_front(self.ball)
        mark_key_moment(self, "hessian")
        self.hold("hessian_hold", self.settings.durations.hessian_hold)

    # ---------------------------------------------------------------- 3. step by step
    def follow(self, step: float) -> None:
        """Ball at fractional step `step`; the marker rides along, recomputed at each iterate."""
        k = int(np.floor(step + 1e-9))
        pos = polyline_until(self.points, step)[-1]
        self.ball.move_to(pos)
        self.place_marker(min(k, self.stage.traj.n_steps))
        self.marker.shift(pos - self.points[min(k, self.stage.traj.n_steps)])
        for num, value in zip(self.lam_numbers, self.stage.curvature.eigenvalues[
                min(k, self.stage.traj.n_steps)][::-1], strict=True):
            num.set_value(value)

    def explain_steps(self) -> None:
        """Each explained step: the arrow along the steep arm, its two components as bars."""
        for k in range(self.stage.explained):
            clock = ValueTracker(float(k))

            def move(mob: ValueTracker, alpha: float, k: int = k) -> None:
                mob.set_value(k + smooth(alpha))
                self.follow(mob.get_value())

            words = self.labels.along_steep if self.stage.zig_zags else self.labels.split_steps
            caption = self.swap_caption(words) if k == 0 else []
            steep, shallow = self.bars[k] if k < len(self.bars) else (None, None)
            grow = [GrowFromPoint(bar, bar.zero) for bar in (steep, shallow) if bar is not None]
            dim = [self.arrows[k - 1].animate.set_opacity(self.settings.old_arrow_opacity)
                   ] if k > 0 else []
            self.beat(f"step_{k}", self.settings.durations.explained_step,
                      GrowArrow(self.arrows[k]), UpdateFromAlphaFunc(clock, move),
                      *grow, *dim, *caption, rate_func=linear)
            self.bring_to_front(self.marker, self.ball)
        if self.stage.explained:
            mark_key_moment(self, "zig_zag")

    # ---------------------------------------------------------------- 4. the rest
    def finish_descent(self) -> None:
        """The remaining steps at an even pace, the remaining bars with them."""
        study = self.stage
        n, explained = study.traj.n_steps, study.explained
        self.add(self.trail)
        self.bring_to_front(self.marker, self.ball)
        clock = ValueTracker(float(explained))

        def move(mob: ValueTracker, alpha: float) -> None:
            mob.set_value(explained + alpha * (n - explained))
            step = mob.get_value()
            set_polyline(self.trail, polyline_until(self.points, step)[explained:])
            self.follow(step)

        rest = [GrowFromPoint(bar, bar.zero) for pair in self.bars[explained:] for bar in pair]
        anims = [LaggedStart(*rest, lag_ratio=0.3)] if rest else []
        if explained:
            # The last explained arrow is dimmed like the others: the thin trail goes on from it.
            anims.append(self.arrows[explained - 1].animate.set_opacity(
                self.settings.old_arrow_opacity))
        self.beat("rest", self.settings.durations.rest,
                  UpdateFromAlphaFunc(clock, move), *anims, rate_func=linear)
        self.hold("rest_hold", self.settings.durations.rest_hold)

    # ---------------------------------------------------------------- 5. the rule
    def show_step_size_limit(self) -> None:
        """1 − ηλ along each direction, and the critical step size 2/λmax."""
        self.beat("limit", self.settings.durations.limit, FadeIn(self.rules, shift=UP * 0.1),
                  *self.swap_caption(self.labels.steep_limits))
        mark_key_moment(self, "limit")
        self.hold("limit_hold", self.settings.durations.limit_hold)
