"""Full-batch gradient descent versus minibatch SGD from the same start with the same η.

Render with ``manim -pqh scenes/sgd.py`` or ``gdviz render scenes/sgd.py``.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    CapStyleType,
    Create,
    Dot,
    FadeIn,
    LineJointType,
    Rectangle,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
    linear,
)

from scenes.kit.axes import map_axes, scene_points, side_unit
from scenes.kit.descent_study import DescentStudy
from scenes.kit.env import VideoConfig
from scenes.kit.lecture_base import (
    STACKED_CAPTION_ROOM,
    LectureScene2D,
    fit_below,
    is_stacked,
    show_path_at,
    stack_with_map,
)
from scenes.kit.lecture_studies import SGDStudy, band_edges, log_loss_ratio, sgd_study
from scenes.kit.mobjects import LossCurve
from scenes.kit.paths import eased_steps
from scenes.kit.sci import tex_number
from scenes.kit.settings.lectures import LECTURE
from scenes.kit.theme import current_frame, mark_key_moment


class MinibatchSGD(LectureScene2D):
    """Full-batch GD and minibatch SGD race from the same start: the noisy path jitters around.

    Left, the contour map with both paths and, after the run, a translucent band of radius
    `SGDSettings.band` around the full-batch path that the SGD path never leaves; right, the
    legend, a zoomed inset of the valley floor where GD settles and SGD keeps jittering, and
    both loss curves on a log scale. Batch size, seed and η (a fraction of η_crit = 2/λmax) are
    in `scenes.kit.settings.lectures.SGDSettings`; a batch of all n points is full-batch GD
    bit for bit
    (tests/test_optimizers.py).

    Data: ``GDVIZ_CONFIG`` or ``GDVIZ_PRESET`` as for every scene; with neither set, the
    ``bowl`` preset (10 points, linear regression). ``GDVIZ_LANG=ja`` for Japanese.
    """

    default_config = LECTURE.sgd.preset

    # ---------------------------------------------------------------- plan
    @classmethod
    def make_study(cls, video: VideoConfig) -> SGDStudy:
        """Both runs (gdmath)."""
        return sgd_study(video.scenario, cls.settings.sgd)  # type: ignore[attr-defined]

    # ---------------------------------------------------------------- table of contents
    def construct(self) -> None:
        """The table of contents."""
        self.show_title()
        self.show_map()
        self.race()
        self.zoom_to_floor()
        self.show_band()
        self.close()

    # ---------------------------------------------------------------- 1. title
    def show_title(self) -> None:
        """The title from the first frame; the subtitle fades in."""
        self.title = self.title_block(self.labels.sgd_title, self.labels.sgd_subtitle)
        self.add(self.title[0])
        self.beat("title", self.settings.sgd.title, FadeIn(self.title[1], shift=0.2 * DOWN))
        self.hold("title_hold", self.settings.sgd.title_hold)

    # ---------------------------------------------------------------- 2. layout
    def build_layout(self) -> None:
        """Legend under the title; main map left, zoomed inset and loss curves right."""
        study, tuning, style = self.study, self.settings.sgd, self.settings.style
        scenario = study.scenario
        series = self.settings.series.for_theme(self.theme)
        self.gd_color, self.sgd_color = series[0], series[2]
        # The main map.
        self.axes = map_axes(scenario.w_range, scenario.b_range,
                             side_unit(scenario.w_range, scenario.b_range, tuning.map_side),
                             self.theme.axes)
        self.unit = tuning.map_side / max(np.ptp(scenario.w_range), np.ptp(scenario.b_range))
        self.contours = self.contour_set(self.axes, DescentStudy(self.video))
        self.cross = self.start_cross(self.axes, scenario, self.unit)
        self.map_labels = self.axis_labels(self.axes)
        board = VGroup(self.axes, self.contours, self.cross, self.map_labels)
        # The legend.
        lab, n = self.labels, scenario.problem.n
        k = min(tuning.batch_size, n)
        self.legend = VGroup(
            self.legend_row(self.gd_color, lab.full_batch.format(n=n)),
            self.legend_row(self.sgd_color, lab.minibatch.format(k=k, n=n)),
            self.tex(rf"\eta = {tuning.fraction:g}\,\eta_{{\mathrm{{crit}}}}"
                     rf" = {tex_number(study.learning_rate)}",
                     style.tex_font * 0.85),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        # The zoomed inset around the minimum.
        minimum = scenario.minimum
        half = tuning.zoom_half_side
        self.zoomed = scenario.with_(w_range=(minimum.w - half, minimum.w + half),
                                     b_range=(minimum.b - half, minimum.b + half))
        self.inset_axes = map_axes(
            self.zoomed.w_range, self.zoomed.b_range,
            side_unit(self.zoomed.w_range, self.zoomed.b_range, tuning.inset_side), self.theme.axes,
            ticks=False)
        zoomed = DescentStudy(self.video.with_scenario(self.zoomed))
        self.inset_contours = self.contour_set(self.inset_axes, zoomed)
        self.inset_caption = self.text(lab.zoom, style.small_font, self.theme.muted)
        self.inset_caption.next_to(self.inset_axes, UP, buff=0.1)
        inset = VGroup(self.inset_caption, self.inset_axes, self.inset_contours)
        # Loss curves on a log scale, one pair of axes.
        first = study.gd.loss[0]
        values = [log_loss_ratio(traj.loss, minimum.loss, first, style.log_decades)
                  for traj in (study.gd, study.sgd)]
        top = 1.1 * max(float(ratios.max()) for ratios in values)
        self.loss_curves = [LossCurve(ratios, top, tuning.inset_side,
                                      style.loss_curve_height, color,
                                      self.theme.axes, style.loss_stroke, style.loss_dot_radius)
                            for ratios, color in zip(values, (self.gd_color, self.sgd_color),
                                                     strict=True)]
        self.loss_curves[1].move_to(self.loss_curves[0])
        self.loss_caption = self.text(lab.loss_log, style.small_font, self.theme.muted)
        loss = VGroup(self.loss_caption, *self.loss_curves).arrange(DOWN, buff=0.1)
        self.loss_curves[1].move_to(self.loss_curves[0])
        column = VGroup(inset, loss).arrange(DOWN, buff=0.35)
        top = self.title.get_bottom()[1] - 0.15
        if current_frame().orientation == "square":
            self.square_layout(board, column, top)
        elif is_stacked():
            # Legend, inset and loss curves keep their size around the largest map.
            notes = VGroup(self.legend, column)
            stack_with_map(board, notes, self.notes_arrangements(notes), top, style.edge_buff,
                           style.gap, bottom_reserve=STACKED_CAPTION_ROOM)
            self.map_labels = self.axis_labels(self.axes)
        else:
            self.legend.arrange(RIGHT, buff=0.6)
            row = VGroup(board, column).arrange(RIGHT, buff=0.8)
            layout = VGroup(self.legend, row).arrange(DOWN, buff=0.3)
            fit_below(layout, top, style.edge_buff, bottom_reserve=0.5)
        # Paths are built on the placed axes; SGD first, so the smooth GD path is drawn on top.
        runs = ((study.sgd, self.sgd_color), (study.gd, self.gd_color))
        self.paths = [self.path_on_map(self.axes, traj.points, scenario, color)
                      for traj, color in runs]
        self.inset_paths = [self.path_on_map(self.inset_axes, traj.points, self.zoomed, color,
                                             stop_at_exit=False) for traj, color in runs]
        self.inset = inset

    def square_layout(self, board: VGroup, column: VGroup, top: float) -> None:
        """The legend under the title, then the map with the inset and loss curves beside it.

        Map and column are scaled together to fit; the captions over the inset and the loss
        curves keep their size (the floors of `stacked_min_text`).
        """
        style, frame = self.settings.style, current_frame()
        width = frame.width - 2 * style.edge_buff
        low = -frame.height / 2 + style.edge_buff + STACKED_CAPTION_ROOM
        self.legend.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        row = VGroup(board, column).arrange(RIGHT, buff=style.gap, aligned_edge=UP)
        factor = min(width / row.width,
                     (top - low - self.legend.height - style.gap) / row.height)
        row.scale(factor)
        for caption in (self.inset_caption, self.loss_caption):
            caption.scale(1 / factor)
        self.inset_caption.next_to(self.inset_axes, UP, buff=0.1)
        self.loss_caption.next_to(self.loss_curves[0], UP, buff=0.1)
        column.arrange(DOWN, buff=style.gap)
        row.arrange(RIGHT, buff=style.gap, aligned_edge=UP)
        layout = VGroup(self.legend, row).arrange(DOWN, buff=style.gap)
        layout.move_to([0.0, (top + low) / 2, 0.0])
        self.map_labels = self.axis_labels(self.axes)

    @staticmethod
    def notes_arrangements(notes: VGroup) -> list[tuple[object, np.ndarray]]:
        """Ways to set legend and insets (`notes`: legend, column) on a stacked frame.

        One column beside the map; or under it the legend beside the inset and loss curves
        (stacked or side by side), or all in one row (`stack_with_map` keeps the best).
        """
        column = notes[1]

        def beside() -> None:
            column.arrange(DOWN, buff=0.3)
            notes.arrange(DOWN, aligned_edge=LEFT, buff=0.3)

        def under(row: bool) -> object:
            def arrange() -> None:
                column.arrange(RIGHT if row else DOWN, buff=0.3)
                notes.arrange(RIGHT, aligned_edge=UP, buff=0.4)
            return arrange

        def piled() -> None:
            column.arrange(RIGHT, buff=0.4, aligned_edge=UP)
            notes.arrange(DOWN, buff=0.3)

        return [(beside, RIGHT), (under(False), DOWN), (under(True), DOWN), (piled, DOWN)]

    def show_map(self) -> None:
        """Axes, level lines, start, legend and the empty loss plot."""
        self.build_layout()
        self.add(*(path.trail for path in self.paths))
        self.beat("map", self.settings.sgd.map, FadeIn(self.axes), FadeIn(self.map_labels),
                  Create(self.contours, lag_ratio=0.1), FadeIn(self.cross),
                  FadeIn(self.legend), FadeIn(self.loss_caption),
                  *(FadeIn(curve) for curve in self.loss_curves),
                  *(FadeIn(path.ball) for path in self.paths))

    # ---------------------------------------------------------------- 3. the race
    def race(self) -> None:
        """Both runs, step for step, with their loss curves."""
        n = self.study.gd.n_steps

        def show(step: float) -> None:
            eased = eased_steps(step)
            for path in self.paths:
                show_path_at(path, eased)
            for curve in self.loss_curves:
                curve.set_progress(eased)

        # Layered: both trails, then the ✕, then both balls on top.
        moving = VGroup(*(path.trail for path in self.paths), *self.loss_curves, self.cross,
                        *(path.ball for path in self.paths))
        self.add(moving)
        self.beat("run", self.settings.sgd.run,
                  UpdateFromAlphaFunc(moving, lambda _mob, alpha: show(alpha * n)),
                  rate_func=linear)
        mark_key_moment(self, "race")
        self.hold("run_hold", self.settings.sgd.run_hold)

    # ---------------------------------------------------------------- 4. the band
    def build_band(self) -> VGroup:
        """A faint fill of radius `band` around the full-batch path, and its two thin edges."""
        study, tuning = self.study, self.settings.sgd
        scenario = study.scenario
        fill = VMobject(stroke_color=self.gd_color, stroke_opacity=tuning.band_opacity,
                        stroke_width=2 * study.band * self.unit * 100,
                        joint_type=LineJointType.ROUND, cap_style=CapStyleType.ROUND)
        fill.set_points_as_corners(scene_points(self.axes, study.gd.w, study.gd.b))
        edges = VGroup()
        for edge in band_edges(study.gd.points, study.band, scenario.w_range, scenario.b_range,
                               tuning.band_resolution):
            line = VMobject(stroke_color=self.gd_color, stroke_width=tuning.band_edge_width,
                            stroke_opacity=tuning.band_edge_opacity)
            line.set_points_as_corners(scene_points(self.axes, edge[:, 0], edge[:, 1]))
            edges.add(line)
        return VGroup(fill, edges)

    def show_band(self) -> None:
        """A translucent band of radius `band` around the full-batch path, under the paths."""
        study = self.study
        band = self.band = self.build_band()
        self.add(band)
        # Under everything but the level lines: the paths, the ✕ and the balls stay on top.
        self.bring_to_back(band)
        self.bring_to_back(self.contours)
        self.band_caption = self.caption(self.labels.band.format(r=f"{study.band:g}"))
        self.beat("band", self.settings.sgd.band_in, FadeIn(band), FadeIn(self.band_caption))
        mark_key_moment(self, "band")
        self.hold("band_hold", self.settings.sgd.band_hold)

    # ---------------------------------------------------------------- 5. the floor
    def zoom_to_floor(self) -> None:
        """The inset: the valley floor magnified, where both runs play again up close."""
        minimum = self.study.scenario.minimum
        (w0, w1), (b0, b1) = self.zoomed.w_range, self.zoomed.b_range
        corners = scene_points(self.axes, np.array([w0, w1]), np.array([b0, b1]))
        frame = Rectangle(width=corners[1, 0] - corners[0, 0],
                          height=corners[1, 1] - corners[0, 1], color=self.theme.muted,
                          stroke_width=2).move_to((corners[0] + corners[1]) / 2)
        floor = Dot(scene_points(self.inset_axes, minimum.w, minimum.b), radius=0.06,
                    color=self.theme.floor)
        self.beat("zoom", self.settings.sgd.zoom, Create(frame), FadeIn(self.inset), FadeIn(floor))
        n = self.study.gd.n_steps
        paths = self.inset_paths
        moving = VGroup(*(path.trail for path in paths), *(path.ball for path in paths))
        self.add(moving)
        self.beat("zoom_run", self.settings.sgd.zoom_run, UpdateFromAlphaFunc(
            moving, lambda _mob, alpha: [show_path_at(path, alpha * n) for path in paths]),
            rate_func=linear)
        mark_key_moment(self, "floor")
        self.hold("zoom_hold", self.settings.sgd.zoom_hold)

    def close(self) -> None:
        """The closing line replaces the band's caption."""
        closing = self.caption(self.labels.sgd_closing)
        self.beat("closing", self.settings.sgd.closing,
                  FadeIn(closing), self.band_caption.animate.set_opacity(0))
        self.hold("closing_hold", self.settings.sgd.closing_hold)
