"""The learning rate: four step sizes on the same valley from the same start, side by side.

Render with ``manim -pqh scenes/learning_rates.py`` or ``gdviz render scenes/learning_rates.py``.
"""

from __future__ import annotations

from manim import (
    DOWN,
    DR,
    UL,
    UP,
    FadeIn,
    LaggedStart,
    UpdateFromAlphaFunc,
    VGroup,
    Wait,
    Write,
    linear,
)

from scenes.kit.axes import map_axes, side_unit
from scenes.kit.descent_study import DescentStudy
from scenes.kit.env import VideoConfig
from scenes.kit.lecture_base import LectureScene2D, fit_below, grid_for_frame, show_path_at
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
        self.critical = self.tex(
            rf"\eta_{{\mathrm{{crit}}}} = \frac{{2}}{{\lambda_{{\max}}}}"
            rf" = \frac{{2}}{{{tex_number(study.lambda_max)}}} = {tex_number(study.critical)}")
        self.fit_width(self.critical, current_frame().width - 2 * self.settings.style.edge_buff)
        self.critical.next_to(self.title, DOWN, buff=0.2)
        self.beat("critical", self.settings.learning_rates.critical, Write(self.critical))
        mark_key_moment(self, "critical")
        self.hold("critical_hold", self.settings.learning_rates.critical_hold)

    # ---------------------------------------------------------------- 3. four maps
    def build_panel(self, run: RegimeRun, color: str, width: float) -> VGroup:
        """Header (η), map with level lines and ✕, verdict slot, loss curve (no path yet)."""
        scenario, style = self.study.scenario, self.settings.style
        axes = map_axes(scenario.w_range, scenario.b_range,
                        side_unit(scenario.w_range, scenario.b_range, width),
                        self.theme.axes, ticks=False)
        unit = width / max(scenario.w_range[1] - scenario.w_range[0],
                           scenario.b_range[1] - scenario.b_range[0])
        contours = self.contour_set(axes, self.stage)
        cross = self.start_cross(axes, scenario, unit)
        header = self.tex(rf"\eta = {run.fraction:g}\,\eta_{{\mathrm{{crit}}}}"
                          rf" = {tex_number(run.learning_rate)}", style.tex_font * 0.8, color)
        header.next_to(axes, UP, buff=0.15)
        verdict = self.text(getattr(self.labels, run.regime), style.small_font, color)
        self.fit_width(verdict, width)
        verdict.next_to(axes, DOWN, buff=0.15)
        gone = self.text(self.labels.diverged, style.label_font, self.theme.diverged)
        self.fit_width(gone, 0.62 * width)
        # Inside the map's top left corner, away from the bowl's corner-to-corner path and ✕.
        gone.next_to(axes.get_corner(UL), DR, buff=0.15)
        gone.set_stroke(self.theme.background, width=4, background=True)
        gone.set_opacity(0.0)
        values = log_loss_ratio(run.shown.loss, self.study.minimum.loss,
                                run.shown.loss[0], style.log_decades)
        curve = LossCurve(values, self.loss_top, width, style.loss_curve_height, color,
                          self.theme.axes, style.loss_stroke, style.loss_dot_radius)
        curve_caption = self.text(self.labels.loss_log, style.small_font * 0.85,
                                  self.theme.muted)
        self.fit_width(curve_caption, width)
        curve_caption.next_to(verdict, DOWN, buff=0.12)
        curve.next_to(curve_caption, DOWN, buff=0.12)
        panel = VGroup(header, axes, contours, cross, verdict, curve_caption, curve, gone)
        panel.parts = dict(header=header, axes=axes, contours=contours, cross=cross,
                           verdict=verdict, curve=curve, caption=curve_caption, gone=gone)
        return panel

    def show_panels(self) -> None:
        """Four maps side by side (two by two on a tall frame), fitted under the title."""
        study, style = self.study, self.settings.style
        frame = current_frame()
        n = len(study.runs)
        cols = n if frame.orientation == "landscape" else 2
        width = (frame.width - 2 * style.edge_buff - (cols - 1) * style.gap) / cols
        first = study.runs[0].shown.loss[0]
        self.loss_top = 1.1 * float(log_loss_ratio([first], study.minimum.loss, first,
                                                   style.log_decades)[0])
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
                  FadeIn(self.caption(self.labels.lr_closing)))
        self.hold("closing_hold", self.settings.learning_rates.closing_hold)
