"""Four activations on the same data: plateaus, a dead ReLU, and a ridge between two valleys.

Render with ``manim -pql scenes/landscapes.py`` or ``gdviz render scenes/landscapes.py``.
With neither ``GDVIZ_PRESET`` nor ``GDVIZ_CONFIG`` set, the scene uses the ``plateau`` preset: a
sigmoid neuron's data, started where the sigmoid saturates. Another preset or config supplies
the data, the start, the step count and the window of the four maps; the ridge at the end is
always the ``two-basins`` preset (`LandscapeSettings.ridge_preset`). ``GDVIZ_LANG=ja`` sets the
labels in Japanese, ``GDVIZ_THEME=light`` the light theme.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    DecimalNumber,
    FadeIn,
    FadeOut,
    Integer,
    LaggedStart,
    Mobject,
    SurroundingRectangle,
    UpdateFromAlphaFunc,
    ValueTracker,
    VGroup,
    Wait,
    linear,
)

from scenes.kit.axes import fit_map_axes, scene_points
from scenes.kit.env import VideoConfig
from scenes.kit.layout import Box, fit_text
from scenes.kit.lecture_base import least_scale
from scenes.kit.map_base import MapLectureScene
from scenes.kit.map_drawing import (
    arc_progress,
    axis_names,
    cell_regions,
    fit_into,
    map_ball,
    map_contours,
    map_width,
    minimum_ring,
    polyline,
    polyline_until,
    set_polyline,
    snug_split,
    split_frame,
    start_cross,
)
from scenes.kit.map_studies import LandscapeStudy
from scenes.kit.mobjects import DataPanel
from scenes.kit.settings.maps import LandscapeSettings, basin_palette
from scenes.kit.settings.story import Layout
from scenes.kit.theme import current_frame, mark_key_moment


def show_gradient(number: DecimalNumber, value: float) -> DecimalNumber:
    """Show |∇l| with three decimals, or as a bare 0 when gdmath's value is exactly 0."""
    number.num_decimal_places = 0 if value == 0.0 else 3
    number.set_value(value)
    return number


def top_aligned(names: VGroup) -> VGroup:
    """The names w and b with b's top level with the b axis's end, not above it.

    Centred on the end (`axis_names`), b stood out above the map by half its height, onto the
    panel's title (on the stacked frames, whose TeX is larger).
    """
    axis_top = names[1].get_center()[1]
    names[1].shift(DOWN * (names[1].get_top()[1] - axis_top))
    return names


class ActivationLandscapes(MapLectureScene):
    """Identity, sigmoid, tanh and ReLU on the same data, then two starts on either side of a ridge.

    The same start and the same number of steps on the four maps: the identity's bowl is rolled
    down at once; the saturated sigmoid and tanh sit on plateaus where |∇l| is under 1 % of the
    steepest wall and crawl; the ReLU starts where every unit is dead and ∇l is exactly 0, and
    never moves. Then, on a sigmoid with two valleys, two starts close together on either side
    of the ridge end in different minima.
    """

    default_config = "plateau"
    settings = LandscapeSettings()

    @classmethod
    def make_stage(cls, video: VideoConfig) -> LandscapeStudy:
        """The four panels and the ridge, computed by gdmath."""
        return LandscapeStudy(video, cls.settings, cls.look)  # type: ignore[arg-type]

    def construct(self) -> None:
        """The table of contents."""
        self.show_four_maps()
        self.shade_flat_regions()
        self.roll_four_balls()
        self.point_out_saturation()
        self.point_out_dead_relu()
        self.cross_the_ridge()

    # ---------------------------------------------------------------- layout
    def build_panels(self) -> None:
        """Axes, level lines, titles, readouts, flat-region cells, ✕, balls and trails."""
        study, settings, look, theme = self.stage, self.settings, self.look, self.theme
        cells = self.main.grid(2, (len(study.panels) + 1) // 2, settings.panel_gap)
        # A portrait frame's pixels are larger: its panel texts (and the margins their names
        # need) are as many pixels tall as on a square frame, and its maps grow into the room.
        least = least_scale()
        title_h = settings.panel_title_height * least
        readout_h = settings.panel_readout_height * least
        self.panel_mobs = []
        for panel, cell in zip(study.panels, cells, strict=False):
            view = panel.view
            names_size = self.tex_size(look.small_font) * least
            box = cell.shrink(top=title_h, bottom=readout_h)
            axes = fit_map_axes(view.w_range, view.b_range, box, theme.axes, look.axes_width,
                                tuple(margin * least for margin in settings.panel_margins))
            title = self.tex(rf"\varphi(z) = {study.phi_tex(panel.activation)}", look.label_font)
            fit_into(title, Box(cell.left, cell.right, axes.get_top()[1] + 0.05 * least,
                                axes.get_top()[1] + title_h), align_top=False)
            value = DecimalNumber(0.0, num_decimal_places=3, font_size=look.readout_font,
                                  color=theme.text)
            show_gradient(value, panel.trajectory.grad_norm[0])
            readout = VGroup(self.tex(r"|\nabla l| =", look.readout_font), value).arrange(
                RIGHT, buff=0.12).scale(least)
            if readout.width > cell.width:  # the stacked frames' larger numbers
                readout.scale_to_fit_width(cell.width)
            readout.next_to(axes, DOWN, buff=0.08 * least)
            kinds = np.where(panel.dead, 2, np.where(panel.flat, 1, 0))
            styles = {1: (theme.muted, settings.shade_opacity),
                      2: (theme.diverged, settings.shade_opacity)}
            cells = cell_regions(axes, kinds, view.surface.w, view.surface.b, styles)
            pts = scene_points(axes, panel.trajectory.w, panel.trajectory.b)
            # A path that leaves the window is drawn up to where it leaves.
            out = np.flatnonzero(~view.inside(panel.trajectory.points))
            last = int(out[0]) if out.size else len(pts)
            trail = polyline(pts[:1], theme.trail, look.trail_width)
            ball = map_ball(pts[0], look, theme.ball, theme.background)
            cross = start_cross(pts[0], look, theme.cross)
            self.panel_mobs.append({
                "axes": axes, "title": title, "readout": readout, "value": value,
                "cells": cells, "contours": map_contours(axes, view, theme, look), "trail": trail,
                "ball": ball, "cross": cross, "points": pts[:max(last, 1)],
                "names": self.panel_names(axes, names_size)})

    def panel_names(self, axes: Mobject, size: float) -> VGroup:
        """The names w and b of a small map; on a stacked frame b's top level with its axis."""
        names = axis_names(axes, self.theme.text, size, LEFT)
        return names if current_frame().orientation == "landscape" else top_aligned(names)

    def build_side(self) -> None:
        """The step counter and the legend of the shading, in the side region."""
        look, theme, lab = self.look, self.theme, self.labels
        settings, scenario = self.settings, self.stage.scenario
        self.counter = Integer(0, font_size=look.label_font, color=theme.text,
                               group_with_commas=False)
        counter_row = VGroup(self.text(lab.step, look.small_font, theme.muted),
                             self.tex("t =", look.label_font), self.counter).arrange(
            RIGHT, buff=0.15)
        self.counter_row = counter_row
        x_range, y_range = self.stage.data_window
        data = DataPanel(scenario.problem.x, scenario.problem.y, x_range, y_range,
                         settings.data_width, settings.data_height * (
                             1.0 if current_frame().orientation == "landscape"
                             else settings.stacked_data_share),
                         theme.data, theme.fit, theme.axes, settings.data_dot_radius, 3.0)
        data_caption = self.text(lab.data, look.small_font, theme.muted)
        self.data_block = VGroup(data_caption, data).arrange(DOWN, buff=0.12)
        orientation = current_frame().orientation
        # On a square frame the legend shares the band's width with the data: two lines a
        # label rather than shrunk under the floor.
        room = (current_frame().width - 2 * look.edge_buff - max(self.data_block.width,
                                                                 counter_row.width + 1.4)
                - 0.6 - look.swatch_side - 0.18) if orientation == "square" else np.inf

        def words(label: str) -> Mobject:
            return fit_text(label, lambda line: self.text(line, look.small_font), room,
                            replace(Layout(), text_min_scale=1.0))

        flat = self.swatch_row(theme.muted, self.settings.shade_opacity, words(lab.almost_flat))
        dead = self.swatch_row(theme.diverged, self.settings.shade_opacity,
                               words(lab.exactly_flat))
        self.legend = self.column(flat, dead)
        if orientation == "landscape":
            self.side_block = self.column(self.data_block, counter_row, self.legend, buff=0.45)
        elif orientation == "portrait":
            # The maps are as wide as the frame lets them be; under them the data, then the
            # step counter and the legend (a row of them would be shrunk to half its size).
            self.side_block = self.column(self.data_block, counter_row, self.legend, buff=0.3)
        else:
            # A band under the maps, no taller than it needs to be (`side_share_for`): the step
            # counter beside the data's caption, over the data; the legend beside them.
            head = VGroup(self.data_block[0], counter_row).arrange(RIGHT, buff=0.4)
            self.data_block = VGroup(head, self.data_block[1]).arrange(DOWN, buff=0.12)
            self.side_block = VGroup(self.data_block, self.legend).arrange(
                RIGHT, buff=0.6, aligned_edge=UP)

    def build_four_maps(self) -> None:
        """The side column, the layout of the four maps beside it (`panel_boxes`), the maps."""
        self.build_side()
        height = split_frame(self.look, self.side_share_for(self.side_block))[0].height
        self.lay_out(self.panels_width(height), self.side_block)
        self.panel_boxes = (self.main, self.side)
        self.build_panels()

    def panels_width(self, height: float) -> float:
        """Width of the grid of small maps fitted by height into a main region `height` high."""
        settings = self.settings
        cols = (len(self.stage.panels) + 1) // 2
        cell_height = (height - settings.panel_gap) / 2
        map_height = cell_height - settings.panel_title_height - settings.panel_readout_height
        widest = max(map_width(panel.view.w_range, panel.view.b_range, map_height,
                               settings.panel_margins) for panel in self.stage.panels)
        return cols * widest + (cols - 1) * settings.panel_gap

    def side_share_for(self, side: VGroup) -> float:
        """`side_share`; on a stacked frame the share of the height `side` needs (at most it)."""
        if current_frame().orientation == "landscape":
            return self.settings.side_share
        main, band = split_frame(self.look, 0.5)
        total = main.height + band.height + self.look.region_gap
        # As high as `side` is once shrunk to the band's width (`fit_into`).
        height = side.height * min(1.0, band.width / side.width)
        return min(self.settings.side_share, (height + self.look.region_gap / 2) / total)

    def lay_out(self, main_width: float, side: VGroup) -> None:
        """The main region `main_width` wide beside `side` (grown into the room), centred."""
        self.main, self.side = snug_split(self.look, self.side_share_for(side), main_width, side,
                                          self.settings.side_grow)
        fit_into(side, self.side)

    # ---------------------------------------------------------------- 1. four maps
    def show_four_maps(self) -> None:
        """The four level-line maps of the same data, each titled with its φ."""
        self.build_four_maps()
        self.set_caption(self.labels.landscapes_title)
        for parts in self.panel_mobs:
            self.add(parts["axes"], parts["names"], parts["title"])
        self.beat("maps", self.settings.durations.maps,
                  LaggedStart(*(Create(parts["contours"], lag_ratio=0.05)
                                        for parts in self.panel_mobs), lag_ratio=0.15))
        self.hold("maps_hold", self.settings.durations.maps_hold)

    # ---------------------------------------------------------------- 2. flat regions
    def shade_flat_regions(self) -> None:
        """Where |∇l| is under 1 % of the steepest wall (grey) or exactly 0 (red)."""
        images = [parts["cells"] for parts in self.panel_mobs]
        # Under the level lines and the axes.
        self.bring_to_back(*images)

        self.beat("shading", self.settings.durations.shading, *(FadeIn(img) for img in images),
                  FadeIn(self.side_block), *(FadeIn(parts["readout"]) for parts in self.panel_mobs))
        self.hold("shading_hold", self.settings.durations.shading_hold)

    # ---------------------------------------------------------------- 3. the same start
    def roll_four_balls(self) -> None:
        """The same start on every map and one shared step clock: four different fates."""
        study = self.stage
        clock = ValueTracker(0.0)
        for parts in self.panel_mobs:
            self.add(parts["trail"], parts["cross"], parts["ball"])

        def show(step: float) -> None:
            for parts, panel in zip(self.panel_mobs, study.panels, strict=True):
                pts = parts["points"]
                pos = polyline_until(pts, min(step, len(pts) - 1))
                set_polyline(parts["trail"], pos)
                parts["ball"].move_to(pos[-1])
                k = min(int(np.floor(step)), panel.trajectory.n_steps)
                show_gradient(parts["value"], panel.trajectory.grad_norm[k])
            self.counter.set_value(int(np.floor(step)))

        def tick(mob: ValueTracker, alpha: float) -> None:
            mob.set_value(alpha * study.steps)
            show(mob.get_value())

        show(0.0)
        self.beat("roll", self.settings.durations.roll, UpdateFromAlphaFunc(clock, tick),
                  *self.swap_caption(self.labels.same_start), rate_func=linear)
        mark_key_moment(self, "four_fates")
        self.hold("roll_hold", self.settings.durations.roll_hold)

    # ---------------------------------------------------------------- 4. plateaus
    def highlight(self, which: list[int], color: str) -> list[Mobject]:
        """Frames around the chosen panels (their map, title and readout)."""
        out = []
        for i in which:
            parts = self.panel_mobs[i]
            out.append(SurroundingRectangle(VGroup(parts["axes"], parts["names"], parts["title"],
                                                   parts["readout"]),
                                            color=color, buff=self.look.highlight_buff,
                                            stroke_width=self.look.highlight_width))
        return out

    def point_out_saturation(self) -> None:
        """The panels whose start is almost flat (not exactly): tiny gradient, tiny steps."""
        study, lab = self.stage, self.labels
        which = study.saturated_panels
        self.saturated_frames = self.highlight(which, self.theme.level_line)
        anims = [Create(frame) for frame in self.saturated_frames] or [Wait()]
        names = lab.name_list([study.panels[i].activation for i in which])
        caption = lab.saturated.format(names=names) if which else lab.none_saturated
        self.beat("saturated", self.settings.durations.saturated,
                  *anims, *self.swap_caption(caption))
        self.hold("saturated_hold", self.settings.durations.saturated_hold)

    # ---------------------------------------------------------------- 5. dead ReLU
    def point_out_dead_relu(self) -> None:
        """The panels whose start has ∇l = 0 exactly: the ball never moves."""
        study, lab = self.stage, self.labels
        which = study.dead_panels
        frames = self.highlight(which, self.theme.diverged)
        anims = [Create(frame) for frame in frames] or [Wait()]
        anims += [frame.animate.set_stroke(opacity=0.35) for frame in self.saturated_frames]
        names = lab.name_list([study.panels[i].activation for i in which])
        caption = lab.dead_relu.format(names=names) if which else lab.none_dead
        self.beat("dead", self.settings.durations.dead, *anims, *self.swap_caption(caption))
        self.dead_frames = frames
        mark_key_moment(self, "dead_relu")
        self.hold("dead_hold", self.settings.durations.dead_hold)

    # ---------------------------------------------------------------- 6. the ridge
    def build_ridge_side(self) -> list[str]:
        """The ridge's side rows (start → minimum, step counter); returns each path's colour."""
        study, look, theme = self.stage, self.look, self.theme
        lows = sorted(range(len(study.ridge_minima)), key=lambda i: study.ridge_minima[i].loss)
        rank = {i: place for place, i in enumerate(lows)}
        palette = basin_palette(theme)
        colors = [palette[rank[i] % len(palette)] for i in range(len(study.ridge_minima))]
        self.r_counters, rows = [], []
        for traj, minimum, color in zip(study.ridge_paths, study.ridge_minima, colors,
                                        strict=True):
            counter = Integer(0, font_size=look.readout_font, color=theme.text,
                              group_with_commas=False)
            self.r_counters.append(counter)
            w0, b0 = traj.w[0], traj.b[0]
            row = VGroup(
                self.tex(rf"({w0:.1f},\,{b0:.1f}) \to ({minimum.w:.2f},\,{minimum.b:.2f})",
                         look.readout_font, color),
                VGroup(self.tex("t =", look.readout_font), counter).arrange(RIGHT, buff=0.12))
            row.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
            rows.append(row)
        self.r_side = self.column(*rows, buff=0.45)
        return colors

    def build_ridge(self) -> None:
        """The ridge map, its two starts, paths, balls, minima and the side rows."""
        study, look, theme = self.stage, self.look, self.theme
        view = study.ridge_view
        colors = self.build_ridge_side()
        height = split_frame(look, self.settings.side_share)[0].height
        self.lay_out(map_width(view.w_range, view.b_range, height), self.r_side)
        self.r_axes = fit_map_axes(view.w_range, view.b_range, self.main, theme.axes,
                                   look.axes_width)
        self.r_names = axis_names(self.r_axes, theme.text, self.tex_size(look.small_font))
        self.r_contours = map_contours(self.r_axes, view, theme, look)
        self.r_paths, self.r_trails, self.r_balls, self.r_crosses = [], [], [], []
        self.r_marks = VGroup()
        for traj, minimum, color in zip(study.ridge_paths, study.ridge_minima, colors,
                                        strict=True):
            pts = scene_points(self.r_axes, traj.w, traj.b)
            self.r_paths.append(pts)
            self.r_trails.append(polyline(pts[:1], color, look.trail_width))
            self.r_balls.append(map_ball(pts[0], look, theme.ball, theme.background))
            self.r_crosses.append(start_cross(pts[0], look, theme.cross))
            ring = minimum_ring(scene_points(self.r_axes, minimum.w, minimum.b), look, color)
            value = self.outline(self.tex(rf"l = {minimum.loss:.3f}", look.readout_font, color))
            # On the far side from where the path comes in.
            away = pts[-1] - pts[round(arc_progress(pts, 0.8))]
            away = away / np.linalg.norm(away) if np.linalg.norm(away) > 0 else UP
            value.next_to(ring, away, buff=0.1)
            # Kept inside the frame (the stacked frames' numbers are larger).
            half = current_frame().width / 2 - look.edge_buff
            value.shift(RIGHT * (min(0.0, half - value.get_right()[0])
                                 + max(0.0, -half - value.get_left()[0])))
            self.r_marks.add(VGroup(ring, value))

    def cross_the_ridge(self) -> None:
        """Two starts on either side of a ridge roll into two different valleys."""
        study = self.stage
        self.build_ridge()
        old = [mob for mob in self.mobjects if mob is not self.current_caption]
        self.beat("clear", self.settings.durations.clear, *(FadeOut(mob) for mob in old))
        self.beat("ridge_map", self.settings.durations.ridge_map,
                  FadeIn(self.r_axes), FadeIn(self.r_names), Create(self.r_contours),
                  *(FadeIn(cross) for cross in self.r_crosses),
                  *(FadeIn(ball) for ball in self.r_balls),
                  FadeIn(self.r_side), *self.swap_caption(self.labels.ridge_title))
        self.add(*self.r_trails, *self.r_crosses, *self.r_balls)
        clock = ValueTracker(0.0)

        def tick(mob: ValueTracker, alpha: float) -> None:
            mob.set_value(alpha)
            for pts, trail, ball, counter, traj in zip(self.r_paths, self.r_trails, self.r_balls,
                                                    self.r_counters, study.ridge_paths,
                                                    strict=True):
                progress = arc_progress(pts, alpha)
                pos = polyline_until(pts, progress)
                set_polyline(trail, pos)
                ball.move_to(pos[-1])
                counter.set_value(min(int(np.ceil(progress - 1e-9)), traj.n_steps))

        self.beat("ridge_roll", self.settings.durations.ridge_roll,
                  UpdateFromAlphaFunc(clock, tick), rate_func=linear)
        self.beat("ridge_minima", self.settings.durations.ridge_minima,
                  LaggedStart(*(FadeIn(mark, scale=0.6) for mark in self.r_marks),
                                              lag_ratio=0.3),
                  *self.swap_caption(self.labels.ridge_result))
        self.bring_to_front(*self.r_balls)
        mark_key_moment(self, "ridge")
        self.hold("ridge_hold", self.settings.durations.ridge_hold)

