"""The learning rate: four step sizes on the same valley from the same start, side by side.

Render with ``manim -pqh scenes/learning_rates.py`` or ``gdviz render scenes/learning_rates.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from manim import (
    DOWN,
    DR,
    LEFT,
    RIGHT,
    UL,
    UP,
    FadeIn,
    LaggedStart,
    Mobject,
    UpdateFromAlphaFunc,
    VGroup,
    Wait,
    Write,
    linear,
)

from scenes.kit.axes import map_axes, side_unit
from scenes.kit.descent_study import DescentStudy
from scenes.kit.env import VideoConfig
from scenes.kit.lecture_base import (
    LectureScene2D,
    fit_below,
    grid_for_frame,
    is_stacked,
    least_scale,
    show_path_at,
)
from scenes.kit.lecture_studies import (
    LearningRateStudy,
    RegimeRun,
    learning_rate_study,
    log_loss_ratio,
)
from scenes.kit.mobjects import LossCurve
from scenes.kit.paths import eased_steps
from scenes.kit.sci import tex_number
from scenes.kit.settings.lectures import LECTURE
from scenes.kit.theme import current_frame, mark_key_moment


@dataclass
class PanelPlan:
    """The four panels on a stacked frame (`LearningRates.stacked_plan`).

    Map width, columns, each panel's texts, and where the loss curve goes: under the map with
    its caption (``beside=False``, its height a share of the map's width), or beside the map
    under its caption, `curve_size` (width, height).
    """

    width: float
    cols: int
    beside: bool
    texts: list[dict[str, Mobject]]
    pitch: float = 0.0  # from one column's centre to the next
    curve_size: tuple[float, float] = (0.0, 0.0)


class LearningRates(LectureScene2D):
    """η too small crawls, a good η glides, η near 2/λmax zig-zags, above it the descent diverges.

    Four contour maps of the same valley, one per η = f · η_crit with η_crit = 2/λmax (λmax: the
    largest Hessian eigenvalue at the minimum, shown as a number), each with its loss-per-step
    curve on a log scale; the four runs play together, step for step, and a run that leaves its
    map fades out at the edge with a label. The fractions f are in
    `scenes.kit.settings.lectures.LearningRateSettings`.

    Data: ``GDVIZ_CONFIG`` or ``GDVIZ_PRESET`` as for every scene; with neither set, the
    ``bowl`` preset (linear regression on inputs in [0, 2]: a long valley, condition number 12).
    ``GDVIZ_LANG=ja`` for Japanese.
    """

    default_config = LECTURE.learning_rates.preset

    # ---------------------------------------------------------------- plan
    @classmethod
    def make_study(cls, video: VideoConfig) -> LearningRateStudy:
        """The four runs (gdmath), from the config's problem and start."""
        return learning_rate_study(video.scenario, cls.settings.learning_rates)  # type: ignore[attr-defined]

    # ---------------------------------------------------------------- table of contents
    def construct(self) -> None:
        """The table of contents."""
        self.show_title()
        self.show_critical_rate()
        self.show_panels()
        self.run_descents()
        self.show_verdicts()
        self.close()

    # ---------------------------------------------------------------- 1. title
    def show_title(self) -> None:
        """The title is there from the first frame; the subtitle fades in."""
        study = self.study
        self.title = self.title_block(self.labels.lr_title,
                                      self.labels.lr_subtitle.format(n=self.settings.learning_rates.steps))
        self.add(self.title[0])
        self.beat("title", self.settings.learning_rates.title,
                  FadeIn(self.title[1], shift=0.2 * DOWN))
        self.hold("title_hold", self.settings.learning_rates.title_hold)
        self.stage = DescentStudy(self.video)
        self.colors = [self.settings.series.for_theme(self.theme)[i]
                       for i in self.settings.learning_rates.colors[:len(study.runs)]]

    # ---------------------------------------------------------------- 2. η_crit
    def show_critical_rate(self) -> None:
        """η_crit = 2/λmax with gdmath's numbers."""
        study = self.study
        lam, crit = tex_number(study.lambda_max), tex_number(study.critical)
        if is_stacked():
            # In one line (slashes, not stacked fractions): the maps get the height. A portrait
            # frame's pixels are larger: as many pixels as on a square frame.
            self.critical = self.tex(rf"\eta_{{\mathrm{{crit}}}} = 2/\lambda_{{\max}}"
                                     rf" = 2/{lam} = {crit}").scale(least_scale())
        else:
            self.critical = self.tex(
                rf"\eta_{{\mathrm{{crit}}}} = \frac{{2}}{{\lambda_{{\max}}}}"
                rf" = \frac{{2}}{{{lam}}} = {crit}")
        self.fit_width(self.critical, current_frame().width - 2 * self.settings.style.edge_buff)
        self.critical.next_to(self.title, DOWN, buff=0.2 * (least_scale() if is_stacked() else 1))
        self.beat("critical", self.settings.learning_rates.critical, Write(self.critical))
        mark_key_moment(self, "critical")
        self.hold("critical_hold", self.settings.learning_rates.critical_hold)

    # ---------------------------------------------------------------- 3. four maps
    def build_panel(self, run: RegimeRun, color: str, width: float,
                    plan: PanelPlan | None = None) -> VGroup:
        """Header (η), map with level lines and ✕, verdict slot, loss curve (no path yet).

        On a landscape frame the texts are shrunk to the map's width. On a stacked frame they
        come from `plan` (`stacked_plan`) at the floors' size, under the map or beside it.
        """
        scenario, style = self.study.scenario, self.settings.style
        axes = map_axes(scenario.w_range, scenario.b_range,
                        side_unit(scenario.w_range, scenario.b_range, width),
                        self.theme.axes, ticks=False)
        unit = width / max(scenario.w_range[1] - scenario.w_range[0],
                           scenario.b_range[1] - scenario.b_range[0])
        contours = self.contour_set(axes, self.stage)
        cross = self.start_cross(axes, scenario, unit)
        index = self.study.runs.index(run)
        texts = self.wide_texts(run, color, width) if plan is None else plan.texts[index]
        header, verdict, curve_caption, gone = (texts[key] for key in
                                                ("header", "verdict", "caption", "gone"))
        # Inside the map's top left corner, away from the bowl's corner-to-corner path and ✕;
        # on a stacked frame's smaller maps it would reach the ✕: the bottom right corner.
        if plan is None:
            gone.next_to(axes.get_corner(UL), DR, buff=0.15)
        else:
            gone.next_to(axes.get_corner(DR), UL, buff=0.1 * least_scale())
        gone.set_stroke(self.theme.background, width=4, background=True)
        gone.set_opacity(0.0)
        values = log_loss_ratio(run.shown.loss, self.study.minimum.loss,
                                run.shown.loss[0], style.log_decades)
        size = (width, style.loss_curve_height)
        if plan is not None:
            size = plan.curve_size if plan.beside else (width, self.settings.learning_rates
                                                          .stacked_curve_share * width)
        curve = LossCurve(values, self.loss_top, *size, color, self.theme.axes,
                          style.loss_stroke, style.loss_dot_radius)
        buff = 0.12 * least_scale()
        if plan is not None and plan.beside:
            # Caption and curve beside the map; header over both, verdict under both.
            side = VGroup(curve_caption, curve).arrange(DOWN, buff=buff)
            side.next_to(axes, RIGHT, buff=style.gap * least_scale(), aligned_edge=UP)
            header.next_to(VGroup(axes, side), UP, buff=buff)
            verdict.next_to(VGroup(axes, side), DOWN, buff=buff)
        else:
            header.next_to(axes, UP, buff=buff if plan else 0.15)
            verdict.next_to(axes, DOWN, buff=buff if plan else 0.15)
            curve_caption.next_to(verdict, DOWN, buff=buff)
            curve.next_to(curve_caption, DOWN, buff=buff)
        panel = VGroup(header, axes, contours, cross, verdict, curve_caption, curve, gone)
        panel.parts = dict(header=header, axes=axes, contours=contours, cross=cross,
                           verdict=verdict, curve=curve, caption=curve_caption, gone=gone)
        return panel

    def wide_texts(self, run: RegimeRun, color: str, width: float) -> dict[str, Mobject]:
        """A panel's texts on a landscape frame, shrunk to the map's width."""
        style = self.settings.style
        header = self.tex(rf"\eta = {run.fraction:g}\,\eta_{{\mathrm{{crit}}}}"
                          rf" = {tex_number(run.learning_rate)}", style.tex_font * 0.8, color)
        verdict = self.text(getattr(self.labels, run.regime), style.small_font, color)
        self.fit_width(verdict, width)
        gone = self.text(self.labels.diverged, style.label_font, self.theme.diverged)
        self.fit_width(gone, 0.62 * width)
        caption = self.text(self.labels.loss_log, style.small_font * 0.85, self.theme.muted)
        self.fit_width(caption, width)
        return dict(header=header, verdict=verdict, caption=caption, gone=gone)

    def stacked_texts(self, run: RegimeRun, color: str, width: float,
                      caption_width: float | None = None) -> dict[str, Mobject] | None:
        """A panel's texts on a stacked frame: at the floors (12 px), `width` wide at most.

        The header goes on two lines (η as a fraction, then its value) if one is too wide, the
        verdict and the loss caption (`caption_width` wide at most) likewise. None if they do
        not fit even so.
        """
        style, least = self.settings.style, least_scale()
        floor = least * style.stacked_min_text

        def formula(tex: str) -> Mobject:
            return self.tex(tex, style.tex_font * 0.8, color).scale(least)

        fraction = rf"\eta = {run.fraction:g}\,\eta_{{\mathrm{{crit}}}}"
        value = rf"= {tex_number(run.learning_rate)}"
        header = formula(f"{fraction} {value}")
        if header.width > width:
            header = VGroup(formula(fraction), formula(value)).arrange(
                DOWN, aligned_edge=LEFT, buff=0.08 * least)
        verdict = self.lines_at(getattr(self.labels, run.regime), floor, color, width, floor)
        caption = self.lines_at(self.labels.loss_log, floor, self.theme.muted,
                                caption_width or width, floor)
        gone = self.lines_at(self.labels.diverged, floor, self.theme.diverged, width, floor)
        texts = dict(header=header, verdict=verdict, caption=caption, gone=gone)
        shrunk = any(line.font_size < floor - 1e-6
                     for mob in (verdict, caption, gone) for line in mob)
        if shrunk or max(mob.width for mob in texts.values()) > width + 1e-6:
            return None
        return texts

    def stacked_plan(self) -> PanelPlan:
        """How the four panels share a stacked frame, their texts at the floors' size.

        One row of four or two rows of two with the curves under the maps, or two rows of two
        or four rows of one with the curves beside them (their caption on one line or two). Of
        those whose texts fit, the one whose maps come out widest between the η_crit line and
        the closing line is used.
        """
        study, style = self.study, self.settings.style
        least = least_scale()
        frame = current_frame()
        room_w, gap = frame.width - 2 * style.edge_buff, style.gap
        low = -frame.height / 2 + style.edge_buff + self.closing.height + gap
        room_h = self.critical.get_bottom()[1] - gap - low
        n = len(study.runs)
        best = PanelPlan(-np.inf, 2, False, [])
        # (columns, curves beside the maps, the loss caption's width as a share of a cell)
        for cols, beside, caption in ((n, False, 1.0), (2, False, 1.0), (2, True, 0.5),
                                      (2, True, 0.6), (1, True, 0.5)):
            rows = -(-n // cols)
            col_gap = gap * (2 / 3 if cols > 2 else 1)  # narrow columns: a narrower gap
            cell = (room_w - (cols - 1) * col_gap) / cols
            texts = [self.stacked_texts(run, color, cell, caption * cell)
                     for run, color in zip(study.runs, self.colors, strict=True)]
            if any(found is None for found in texts):
                continue
            plan = self.fit_plan(PanelPlan(0.0, cols, beside, texts, cell + col_gap), cell,
                                 room_h - (rows - 1) * gap, 0.12 * least)
            if plan.width > best.width:
                best = plan
        return best

    def fit_plan(self, plan: PanelPlan, cell: float, height: float, buff: float) -> PanelPlan:
        """`plan` with the widest maps whose panels fit in cells `cell` wide.

        The rows together are at most `height` high, each as high as its tallest texts need.
        """
        (w0, w1), (b0, b1) = self.study.scenario.w_range, self.study.scenario.b_range
        tall = (b1 - b0) / max(w1 - w0, b1 - b0)  # map height per unit of map width
        tuning = self.settings.learning_rates
        rows = [plan.texts[i:i + plan.cols] for i in range(0, len(plan.texts), plan.cols)]

        def lines(*keys: str) -> float:
            """The texts' height summed over the rows (each row: its tallest panel)."""
            return sum(max(sum(found[key].height for key in keys) for found in row)
                       for row in rows)

        if not plan.beside:
            room = height - lines("header", "verdict", "caption") - 3 * buff * len(rows)
            return replace(plan, width=min(cell, room / (len(rows) * (tall + tuning
                                                                     .stacked_curve_share))))
        caption_w = max(found["caption"].width for found in plan.texts)
        caption_h = max(found["caption"].height for found in plan.texts)
        side_gap = self.settings.style.gap * least_scale()
        room = height - lines("header", "verdict") - 2 * buff * len(rows)
        width = min(room / (len(rows) * tall),
                    cell - side_gap - max(caption_w, tuning.stacked_min_curve))
        curve = (cell - side_gap - width, tall * width - caption_h - buff)
        if curve[1] < tuning.stacked_min_curve / 2:
            return replace(plan, width=-np.inf)
        return replace(plan, width=width, curve_size=curve)

    def place_stacked(self, plan: PanelPlan) -> None:
        """The panels in `plan.cols` columns, maps aligned row by row, centred in the room."""
        style, frame = self.settings.style, current_frame()
        top = 0.0
        for first in range(0, len(self.panels), plan.cols):
            row = self.panels[first:first + plan.cols]
            axes = [panel.parts["axes"] for panel in row]
            above = max(panel.get_top()[1] - board.get_top()[1]
                        for panel, board in zip(row, axes, strict=True))
            below = max(board.get_bottom()[1] - panel.get_bottom()[1]
                        for panel, board in zip(row, axes, strict=True))
            for col, (panel, board) in enumerate(zip(row, axes, strict=True)):
                # Every map's top on its row's line; the panels centred in their columns.
                panel.shift([col * plan.pitch - panel.get_center()[0],
                             top - above - board.get_top()[1], 0.0])
            top -= above + axes[0].height + below + style.gap
        low = -frame.height / 2 + style.edge_buff + self.closing.height + style.gap
        VGroup(*self.panels).move_to([0.0, (self.critical.get_bottom()[1] - style.gap + low) / 2,
                                      0.0])

    def show_panels(self) -> None:
        """Four maps side by side (stacked frames: `stacked_plan`), fitted under the title."""
        study, style = self.study, self.settings.style
        frame = current_frame()
        n = len(study.runs)
        cols = n if frame.orientation == "landscape" else 2
        width = (frame.width - 2 * style.edge_buff - (cols - 1) * style.gap) / cols
        first = study.runs[0].shown.loss[0]
        self.loss_top = 1.1 * float(log_loss_ratio([first], study.minimum.loss, first,
                                                   style.log_decades)[0])
        self.closing = self.caption(self.labels.lr_closing)
        if is_stacked():
            plan = self.stacked_plan()
            self.panels = [self.build_panel(run, color, plan.width, plan)
                           for run, color in zip(study.runs, self.colors, strict=True)]
            self.place_stacked(plan)
        else:
            self.panels = [self.build_panel(run, color, width)
                           for run, color in zip(study.runs, self.colors, strict=True)]
            grid = grid_for_frame(self.panels, style.gap)
            fit_below(grid, self.critical.get_bottom()[1] - 0.15, style.edge_buff,
                      bottom_reserve=0.45)
        shown = []
        for panel, run, color in zip(self.panels, study.runs, self.colors, strict=True):
            parts = panel.parts
            # Paths are built on the placed axes: their samples are scene points.
            tuning = self.settings.learning_rates
            parts["path"] = self.path_on_map(parts["axes"], run.shown.points, study.scenario,
                                             color, width=tuning.trail_width,
                                             radius=tuning.ball_radius)
            shown.append(VGroup(parts["header"], parts["axes"], parts["contours"], parts["cross"],
                                parts["path"].ball, parts["caption"], parts["curve"]))
        self.add(*(panel.parts["path"].trail for panel in self.panels))
        self.beat("panels", self.settings.learning_rates.panels,
                  LaggedStart(*(FadeIn(group) for group in shown), lag_ratio=0.15))

    # ---------------------------------------------------------------- 4. the race
    def show_runs_at(self, step: float) -> None:
        """Every path, loss curve and exit label at fractional step `step`."""
        eased = eased_steps(step)
        for panel in self.panels:
            parts = panel.parts
            show_path_at(parts["path"], eased)
            parts["curve"].set_progress(min(eased, parts["path"].n_steps))
            exit_step = parts["path"].exit_step
            if exit_step is not None:
                parts["gone"].set_opacity(min(1.0, max(0.0, (eased - exit_step) / 1.5)))

    def run_descents(self) -> None:
        """The four descents step for step, with their loss curves."""
        n = self.settings.learning_rates.steps
        # Layered: trails, then every ✕, then every ball, so that no trail hides a start or a ball.
        parts = [panel.parts for panel in self.panels]
        moving = VGroup(
            *(VGroup(part["path"].trail, part["curve"], part["gone"]) for part in parts),
            *(part["cross"] for part in parts), *(part["path"].ball for part in parts))
        self.add(moving)
        self.beat("run", self.settings.learning_rates.run,
                  UpdateFromAlphaFunc(moving, lambda _mob, alpha: self.show_runs_at(alpha * n)),
                  rate_func=linear)
        mark_key_moment(self, "runs")
        self.hold("run_hold", self.settings.learning_rates.run_hold)

    # ---------------------------------------------------------------- 5. verdicts
    def show_verdicts(self) -> None:
        """Name what each η did, where the run did what its regime says (`regime_outcome`).

        On the default data all four hold (tests/test_lecture_a.py); on another preset a run
        that did not behave as its regime says is left unnamed.
        """
        confirmed = [panel.parts["verdict"] for panel, run in zip(self.panels, self.study.runs,
                                                          strict=True)
                     if run.outcome == run.regime]
        anims = [FadeIn(verdict, shift=0.1 * UP) for verdict in confirmed] or [Wait()]
        self.beat("verdicts", self.settings.learning_rates.verdicts,
                  LaggedStart(*anims, lag_ratio=0.2))
        mark_key_moment(self, "verdicts")
        self.hold("verdict_hold", self.settings.learning_rates.verdict_hold)

    def close(self) -> None:
        """The closing line."""
        self.beat("closing", self.settings.learning_rates.closing,
                  FadeIn(self.closing))
        self.hold("closing_hold", self.settings.learning_rates.closing_hold)
