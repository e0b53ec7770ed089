"""Basins of attraction: the contour map coloured by the minimum each start descends to.

Render with ``manim -pql scenes/basins.py`` or ``gdviz render scenes/basins.py``. With neither
``GDVIZ_PRESET`` nor ``GDVIZ_CONFIG`` set, the scene uses the ``two-basins`` preset: a sigmoid
neuron whose loss has two valleys separated by a ridge. Any preset or config works: gdmath runs
descent (the configured η) from every node of a grid over the configured window
(`BasinSettings.resolution`² starts) and labels each by the minimum it reaches.
``GDVIZ_LANG=ja`` sets the labels in Japanese, ``GDVIZ_THEME=light`` the light theme.
"""

from __future__ import annotations

from manim import (
    RIGHT,
    UP,
    Create,
    FadeIn,
    LaggedStart,
    UpdateFromAlphaFunc,
    ValueTracker,
    VGroup,
    linear,
)

from scenes.kit.axes import fit_map_axes, scene_points
from scenes.kit.env import VideoConfig
from scenes.kit.map_base import MapLectureScene
from scenes.kit.map_drawing import (
    arc_progress,
    axis_names,
    fit_into,
    map_ball,
    map_contours,
    map_width,
    minimum_ring,
    outline_regions,
    polyline,
    polyline_until,
    set_polyline,
    snug_split,
    split_frame,
    start_cross,
)
from scenes.kit.map_studies import BasinStudy
from scenes.kit.settings.maps import UNSETTLED_COLOR, BasinSettings, basin_palette
from scenes.kit.theme import mark_key_moment


class BasinsOfAttraction(MapLectureScene):
    """Which valley does each start reach? A few paths, then every start of a grid coloured.

    A few starts roll down to their minima; then every cell of the map takes the colour of the
    minimum that gradient descent from its centre reaches (`gdmath.basins`), grey where it has
    not settled within the step budget. The drawn starts sit on grid nodes, so each ✕ lies in a
    cell of the colour of the minimum its own path ends in.
    """

    default_config = "two-basins"
    settings = BasinSettings()

    @classmethod
    def make_stage(cls, video: VideoConfig) -> BasinStudy:
        """The grid of starts and the drawn paths (computed lazily by gdmath)."""
        return BasinStudy(video, cls.settings, cls.look)  # type: ignore[arg-type]

    def construct(self) -> None:
        """The table of contents."""
        self.show_map()
        self.roll_a_few_starts()
        self.colour_every_start()
        self.show_legend()
        self.close()

    # ---------------------------------------------------------------- building
    def build(self) -> None:
        """Axes, level lines, basin cells, starts, paths, balls, minima and the legend."""
        study, look, theme, settings = self.stage, self.look, self.theme, self.settings
        view, basins = study.view, study.basins
        self.styles = study.region_styles(basin_palette(theme), settings.fill_opacity,
                                          settings.unsettled_opacity)
        self.build_legend()
        # The map as wide as it is high, the legend grown into the room beside it, both centred.
        height = split_frame(look, settings.side_share)[0].height
        self.main, self.side = snug_split(look, settings.side_share,
                                          map_width(view.w_range, view.b_range, height),
                                          self.legend, settings.side_grow)
        fit_into(self.legend, self.side)
        self.axes = fit_map_axes(view.w_range, view.b_range, self.main, theme.axes, look.axes_width)
        self.names = axis_names(self.axes, theme.text, self.tex_size(look.small_font))
        self.contours = map_contours(self.axes, view, theme, look)
        self.regions = outline_regions(self.axes, study.outlines, self.styles)
        self.paths = [scene_points(self.axes, traj.w, traj.b) for traj in study.paths]
        self.crosses = [start_cross(path[0], look, theme.cross) for path in self.paths]
        self.balls = [map_ball(path[0], look, theme.ball, theme.background) for path in self.paths]
        self.trails = [polyline(path[:1], theme.trail, look.trail_width) for path in self.paths]
        self.rings = VGroup(*(minimum_ring(scene_points(self.axes, minimum.w, minimum.b), look,
                                           self.styles[k][0])
                              for k, minimum in enumerate(basins.minima)))

    def build_legend(self) -> None:
        """One row per minimum (where, how low, which share of the starts), then the grey row."""
        study, look, theme, lab = self.stage, self.look, self.theme, self.labels
        basins = study.basins
        rows = []
        for k, (minimum, share) in enumerate(zip(basins.minima, study.shares, strict=True)):
            color = self.styles[k][0]
            desc = VGroup(
                self.tex(rf"({minimum.w:.2f},\,{minimum.b:.2f})", look.readout_font, theme.text),
                self.tex(rf"l = {minimum.loss:.3f}", look.readout_font, theme.text),
                self.tex(rf"{100 * share:.0f}\,\%", look.readout_font, theme.muted),
            ).arrange(RIGHT, buff=0.25)
            rows.append(self.swatch_row(color, self.settings.fill_opacity, desc))
        if study.unsettled_share > 0:
            note = VGroup(self.text(lab.unsettled.format(n=self.settings.steps), look.small_font,
                                    theme.text),
                          self.tex(rf"{100 * study.unsettled_share:.0f}\,\%", look.readout_font,
                                   theme.muted)).arrange(RIGHT, buff=0.25)
            rows.append(self.swatch_row(UNSETTLED_COLOR, self.settings.unsettled_opacity, note))
        title = self.text(lab.minimum, look.small_font, theme.muted)
        self.legend = self.column(title, *rows)

    # ---------------------------------------------------------------- 1. the map
    def show_map(self) -> None:
        """Equal-unit axes and the level lines."""
        self.build()
        self.set_caption(self.labels.basins_title)
        self.add(self.axes, self.names)
        self.beat("map", self.settings.durations.map, Create(self.contours, lag_ratio=0.05))
        self.hold("map_hold", self.settings.durations.map_hold)

    # ---------------------------------------------------------------- 2. a few paths
    def roll_a_few_starts(self) -> None:
        """A few starts (✕) roll down, all at the same pace along their paths."""
        self.beat("starts", self.settings.durations.starts,
                  LaggedStart(*(FadeIn(cross) for cross in self.crosses), lag_ratio=0.2),
                  *(FadeIn(ball) for ball in self.balls),
                  *self.swap_caption(self.labels.few_starts))
        self.add(*self.trails, *self.crosses, *self.balls)
        clock = ValueTracker(0.0)

        def tick(mob: ValueTracker, alpha: float) -> None:
            mob.set_value(alpha)
            for pts, trail, ball in zip(self.paths, self.trails, self.balls, strict=True):
                pos = polyline_until(pts, arc_progress(pts, alpha))
                set_polyline(trail, pos)
                ball.move_to(pos[-1])

        self.beat("roll", self.settings.durations.roll,
                  UpdateFromAlphaFunc(clock, tick), rate_func=linear)
        mark_key_moment(self, "paths")
        self.hold("roll_hold", self.settings.durations.roll_hold)

    # ---------------------------------------------------------------- 3. every start
    def colour_every_start(self) -> None:
        """Each cell takes the colour of the minimum its start reaches; ✕ and minima likewise."""
        study, theme = self.stage, self.theme
        self.add(self.regions)
        self.bring_to_back(self.regions)
        recolour = []
        for cross, label in zip(self.crosses, study.start_labels, strict=True):
            color = self.styles[label][0]
            recolour.append(cross.animate.set_stroke(color))
        for trail in self.trails:
            recolour.append(trail.animate.set_stroke(theme.text))
        self.beat("colour", self.settings.durations.colour, FadeIn(self.regions), *recolour,
                  LaggedStart(*(FadeIn(ring, scale=0.5) for ring in self.rings), lag_ratio=0.3),
                  self.contours.animate.set_stroke(opacity=self.settings.contour_opacity),
                  *self.swap_caption(self.labels.colour_starts))
        self.bring_to_front(*self.trails, *self.crosses, *self.balls, self.rings)
        self.hold("colour_hold", self.settings.durations.colour_hold)

    # ---------------------------------------------------------------- 4. the legend
    def show_legend(self) -> None:
        """Where the minima are, how low, and what share of the starts reaches each."""
        self.beat("legend", self.settings.durations.legend, FadeIn(self.legend, shift=UP * 0.1))
        mark_key_moment(self, "basins")
        self.hold("legend_hold", self.settings.durations.legend_hold)

    # ---------------------------------------------------------------- 5. closing
    def close(self) -> None:
        """The closing line."""
        lab = self.labels
        words = lab.basins_closing if len(self.stage.basins.minima) > 1 else lab.one_basin
        self.beat("closing", self.settings.durations.closing, *self.swap_caption(words))
        self.hold("closing_hold", self.settings.durations.closing_hold)


