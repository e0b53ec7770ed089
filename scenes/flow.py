"""Gradient descent and the gradient flow: the steps approach the continuous path as η shrinks.

Render with ``manim -pqh scenes/flow.py`` or ``gdviz render scenes/flow.py``.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    Create,
    Dot,
    FadeIn,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
    linear,
)

from scenes.kit.axes import map_axes, scene_points, side_unit
from scenes.kit.descent_study import DescentStudy
from scenes.kit.env import VideoConfig
from scenes.kit.lecture_base import (
    LectureScene2D,
    fit_below,
    is_stacked,
    show_path_at,
    spaced_indices,
    stack_with_map,
)
from scenes.kit.lecture_studies import FlowRun, FlowStudy, flow_study
from scenes.kit.paths import eased_steps
from scenes.kit.sci import tex_number
from scenes.kit.settings.lectures import LECTURE
from scenes.kit.theme import current_frame, mark_key_moment


class GradientFlow(LectureScene2D):
    """The gradient flow dθ/dt = −∇l as a smooth curve, with GD steps for a large and a small η.

    Gradient descent is Euler's method for the flow with time step η. Both runs cover the same
    flow time, so step t sits next to the flow's point at time tη; the largest gap
    max_t |θ_t − θ(tη)| is shown for each η and shrinks with it. The η values (fractions of
    η_crit = 2/λmax) are in `scenes.kit.settings.lectures.FlowSettings`.

    Data: ``GDVIZ_CONFIG`` or ``GDVIZ_PRESET`` as for every scene; with neither set, the
    ``bowl`` preset (a long valley where a large η zig-zags across the flow).
    ``GDVIZ_LANG=ja`` for Japanese.
    """

    default_config = LECTURE.flow.preset

    # ---------------------------------------------------------------- plan
    @classmethod
    def make_study(cls, video: VideoConfig) -> FlowStudy:
        """The flow and both runs (gdmath)."""
        return flow_study(video.scenario, cls.settings.flow)  # type: ignore[attr-defined]

    # ---------------------------------------------------------------- table of contents
    def construct(self) -> None:
        """The table of contents."""
        self.show_title()
        self.show_map()
        self.draw_flow()
        self.step_with(self.study.large, "large")
        self.step_with(self.study.small, "small")
        self.close()

    # ---------------------------------------------------------------- 1. title
    def show_title(self) -> None:
        """The title from the first frame; the subtitle fades in."""
        self.title = self.title_block(self.labels.flow_title, self.labels.flow_subtitle)
        self.add(self.title[0])
        self.beat("title", self.settings.flow.title, FadeIn(self.title[1], shift=0.2 * DOWN))
        self.hold("title_hold", self.settings.flow.title_hold)

    # ---------------------------------------------------------------- 2. the map
    def build_layout(self) -> None:
        """Map and legend column, side by side on a wide frame, stacked on a tall one."""
        scenario, tuning, style = self.study.scenario, self.settings.flow, self.settings.style
        series = self.settings.series.for_theme(self.theme)
        self.run_colors = {"large": series[1], "small": series[2]}
        self.axes = map_axes(scenario.w_range, scenario.b_range,
                             side_unit(scenario.w_range, scenario.b_range, tuning.map_side),
                             self.theme.axes)
        unit = tuning.map_side / max(np.ptp(scenario.w_range), np.ptp(scenario.b_range))
        self.contours = self.contour_set(self.axes, DescentStudy(self.video))
        self.cross = self.start_cross(self.axes, scenario, unit)
        self.map_labels = self.axis_labels(self.axes)
        lab, study = self.labels, self.study
        self.legend = {
            "flow": self.legend_row(self.theme.text, lab.flow_curve,
                                    r"\frac{d\theta}{dt} = -\nabla l(\theta)"),
            "large": self.run_legend(study.large, lab.large_eta, self.run_colors["large"]),
            "small": self.run_legend(study.small, lab.small_eta, self.run_colors["small"]),
        }
        column = VGroup(*self.legend.values()).arrange(DOWN, aligned_edge=LEFT, buff=0.45)
        board = VGroup(self.axes, self.contours, self.cross, self.map_labels)
        frame = current_frame()
        self.closing = self.caption(self.labels.flow_closing)
        if is_stacked():
            # The legend in the arrangement that leaves the map the most room, shrunk (never
            # under the floors) while that lets the map grow to the frame's width; the room
            # kept at the bottom is the closing line's.
            stack_with_map(board, column, self.legend_arrangements(column),
                           self.title.get_bottom()[1] - 0.15, style.edge_buff,
                           style.gap, bottom_reserve=self.closing.height + style.gap,
                           grow_map=True)
            self.map_labels = self.axis_labels(self.axes)
            return
        # The map fills the height; the legend grows into the room left beside it.
        room = frame.width - 2 * style.edge_buff - board.width - tuning.legend_gap
        column.scale(min(tuning.legend_grow, room / column.width, board.height / column.height))
        layout = VGroup(board, column).arrange(RIGHT, buff=tuning.legend_gap)
        fit_below(layout, self.title.get_bottom()[1] - 0.2, style.edge_buff, bottom_reserve=0.5)

    @staticmethod
    def legend_arrangements(column: VGroup) -> list[tuple[object, np.ndarray]]:
        """Ways to set the legend on a stacked frame.

        A column beside or under the map, a row or a two-column grid under it, each entry with
        its formulas under its words; or a column under the map whose entries have their
        formulas beside the words, two lines each (`stack_with_map` keeps the one that leaves
        the largest map).
        """
        def entries(wide: bool) -> None:
            for entry in column:
                swatch, block = entry[0], entry[1]
                if wide:
                    block.arrange(RIGHT, buff=0.2)
                else:
                    block.arrange(DOWN, aligned_edge=LEFT, buff=0.1)
                swatch.next_to(block[0], LEFT, buff=0.2)
                if len(entry) > 2:  # a run's largest gap to the flow
                    gap = entry[2]
                    if wide:
                        gap.arrange(RIGHT, buff=0.15)
                    else:
                        gap.arrange(DOWN, aligned_edge=LEFT, buff=0.08)
                    gap.next_to(block, DOWN, aligned_edge=LEFT, buff=0.12)
                    if wide:  # the longest line: from the swatch's left edge
                        gap.align_to(swatch, LEFT)

        def rows() -> None:
            entries(wide=False)
            column.arrange(RIGHT, aligned_edge=UP, buff=0.5)

        def grid() -> None:
            entries(wide=False)
            column.arrange_in_grid(cols=2, buff=(0.5, 0.35), cell_alignment=UL)

        def stacked() -> None:
            entries(wide=False)
            column.arrange(DOWN, aligned_edge=LEFT, buff=0.25)

        def wide() -> None:
            entries(wide=True)
            column.arrange(DOWN, aligned_edge=LEFT, buff=0.25)

        return [(stacked, RIGHT), (rows, DOWN), (grid, DOWN), (stacked, DOWN), (wide, DOWN)]

    def run_legend(self, run: FlowRun, words: str, color: str) -> VGroup:
        """Swatch, "large η", η as a number, and the run's largest gap to the flow."""
        style = self.settings.style
        row = self.legend_row(color, words, rf"\eta = {run.fraction:g}\,\eta_{{\mathrm{{crit}}}}"
                                            rf" = {tex_number(run.learning_rate)}")
        gap_words = self.text(self.labels.flow_gap, style.small_font, self.theme.muted)
        gap = self.tex(rf"\max_t\,\lvert\theta_t - \theta(t\eta)\rvert = {run.max_gap:.3f}",
                       style.tex_font * 0.85)
        block = VGroup(gap_words, gap).arrange(DOWN, aligned_edge=LEFT, buff=0.08)
        block.next_to(row[1], DOWN, aligned_edge=LEFT, buff=0.12)
        row.add(block)
        return row

    def show_map(self) -> None:
        """Equal-unit axes, level lines and the start."""
        self.build_layout()
        self.beat("map", self.settings.flow.map, FadeIn(self.axes), FadeIn(self.map_labels),
                  Create(self.contours, lag_ratio=0.1), FadeIn(self.cross))

    # ---------------------------------------------------------------- 3. the flow
    def draw_flow(self) -> None:
        """The flow from gdmath.gradient_flow, traced from the start."""
        flow = self.study.flow
        self.flow_curve = VMobject(stroke_color=self.theme.text,
                                   stroke_width=self.settings.flow.flow_width)
        self.flow_curve.set_points_as_corners(scene_points(self.axes, flow.w, flow.b))
        self.beat("flow", self.settings.flow.flow, Create(self.flow_curve, rate_func=linear),
                  FadeIn(self.legend["flow"]))
        self.hold("flow_hold", self.settings.flow.flow_hold)

    # ---------------------------------------------------------------- 4. the steps
    def step_with(self, run: FlowRun, key: str) -> None:
        """The run's steps over the flow, its legend and its largest gap."""
        color, tuning = self.run_colors[key], self.settings.flow
        traj = run.trajectory
        path = self.path_on_map(self.axes, traj.points, self.study.scenario, color,
                                width=tuning.trail_width)
        points = scene_points(self.axes, traj.w, traj.b)
        dot_steps = spaced_indices(points, tuning.dot_min_gap)
        dots = VGroup(*(Dot(points[i], radius=tuning.step_dot_radius, color=color)
                        for i in dot_steps))
        n = traj.n_steps
        seconds = getattr(self.settings.flow, f"{key}_steps")
        ease = n / seconds < 10

        def show(step: float) -> None:
            eased = eased_steps(step) if ease else step
            show_path_at(path, eased)
            for i, dot in zip(dot_steps, dots, strict=True):
                dot.set_opacity(1.0 if i <= eased + 1e-9 else 0.0)

        show(0.0)
        self.balls = [*getattr(self, "balls", []), path.ball]
        self.runs_drawn = [*getattr(self, "runs_drawn", []), VGroup(path.trail, dots)]
        # Layered: trail and dots, the flow over them (the small steps hug it), then the ✕ and
        # every ball on top.
        moving = VGroup(path.trail, dots, self.flow_curve, self.cross, *self.balls)
        self.add(moving)
        self.beat(f"{key}_steps", seconds,
                  UpdateFromAlphaFunc(moving, lambda _mob, alpha: show(alpha * n)),
                  FadeIn(self.legend[key]), rate_func=linear)
        mark_key_moment(self, f"{key}_steps")
        self.hold(f"{key}_hold", getattr(self.settings.flow, f"{key}_hold"))

    def close(self) -> None:
        """The closing line."""
        self.beat("closing", self.settings.flow.closing,
                  FadeIn(self.closing))
        self.hold("closing_hold", self.settings.flow.closing_hold)
