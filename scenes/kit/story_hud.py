"""The 3D story's HUD: data panel, loss per step, live numbers, update rule, map numbers.

The panels and numbers are pinned to the frame; the map's tick numbers face the camera.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UL, UP, UR, MathTex, VGroup

from scenes.kit.axes import scene_points
from scenes.kit.panels import DataPanel, LossCurve, PanelNotes, Readout
from scenes.kit.planned import PlannedScene3D
from scenes.kit.sci import plain_number


class StoryHud(PlannedScene3D):
    """The HUD of `scenes.kit.story3d.StoryScene` (needs its stage, settings and layout)."""

    def hud_sizes(self) -> list[tuple[float, float]]:
        """Width and height at full size of the update rule and the numbers (stacked frames)."""
        return [(block.width, block.height)
                for block in (self.make_rule(), self.make_readout(columns=2))]

    def build_panels(self) -> None:
        """The data panel and the loss curve, pinned to the frame.

        In landscape: top right and bottom right. On a square or portrait frame: side by side in
        the bottom band, each sized to its half.
        """
        settings, study, lay = self.settings, self.stage, self.settings.layout
        x_range, y_range = study.data_window
        # A portrait frame has more pixels per unit: its notes may be smaller in units.
        small, math = (self.layout.note_scale * size
                       for size in (settings.sizes.small_font, settings.sizes.hud_font))
        self.data_caption = self.text(study.labels.data_panel, small, settings.colors.muted)
        self.loss_caption = self.text(study.labels.loss_panel, small, settings.colors.muted)
        sizes = [(settings.sizes.panel_width, settings.sizes.panel_height)] * 2
        if self.layout.stacked:
            slots = self.layout.panel_slots()
            sizes = [self.layout.panel_size(slot, cap.height, *size) for slot, cap, size
                     in zip(slots, (self.data_caption, self.loss_caption), sizes, strict=True)]
        def notes(x_name: str, y_name: str, math_names: bool) -> PanelNotes:
            # The bottom band of a stacked frame is short: there the caption names the panel.
            return PanelNotes(
                x_name, None if self.layout.stacked else y_name,
                lambda words: self.text(words, small, settings.colors.muted),
                lambda tex: MathTex(tex, font_size=math, color=settings.colors.muted),
                lay.panel_number_gap, math_names)

        self.data_panel = DataPanel(
            study.data_x, study.problem.y, x_range, y_range, *sizes[0],
            settings.colors.data, settings.colors.fit, settings.colors.axes,
            settings.sizes.panel_dot_radius, 3.0, notes=notes("x", "y", math_names=True))
        self.data_panel.set_fit(*study.fit_curve(*study.scenario.start))
        y_max = study.l_range[1] if study.traj.diverged else 1.1 * float(study.traj.loss.max())
        self.loss_curve = LossCurve(study.traj.loss, y_max, *sizes[1], settings.colors.trail,
                                    settings.colors.axes, 3.0,
                                    settings.sizes.panel_dot_radius * 1.5,
                                    notes=notes(study.labels.step, study.labels.loss_axis,
                                                math_names=False))
        if self.layout.stacked:
            self.layout.place_panel(self.data_panel, self.data_caption, slots[0])
            self.layout.place_panel(self.loss_curve, self.loss_caption, slots[1])
        else:
            self.data_panel.to_corner(UR, buff=lay.edge_buff).shift(DOWN * lay.data_panel_drop)
            self.data_caption.next_to(self.data_panel, UP, buff=lay.panel_caption_gap)
            self.loss_curve.to_corner(DOWN + RIGHT, buff=lay.edge_buff).shift(
                UP * lay.loss_panel_lift)
            self.loss_caption.next_to(self.loss_curve, UP, buff=lay.panel_caption_gap)
        for mob in (self.data_panel, self.data_caption, self.loss_curve, self.loss_caption):
            self.fix(mob)

    def map_tick_numbers(self) -> VGroup:
        """Numbers at the w and b axes' ticks, for the map from above (not shown in 3D).

        Each faces the camera and sits beside its tick on the map's floor: under the w axis and
        left of the b axis, as seen from above.
        """
        settings = self.settings
        w_axis, b_axis = self.axes.get_axes()[:2]
        w_step, b_step = (scene_points(self.axes, *unit) - scene_points(self.axes, 0.0, 0.0)
                          for unit in ((1.0, 0.0), (0.0, 1.0)))
        w_dir, b_dir = (step / np.linalg.norm(step) for step in (w_step, b_step))
        (w0, _), (b0, _) = self.stage.scenario.w_range, self.stage.scenario.b_range
        out = VGroup()
        # The numbers keep their size on screen while scene lengths scale with the zoom.
        zoom = self.top_zoom()
        buff = settings.layout.map_number_buff / zoom
        for axis, corner_of, away in ((w_axis, lambda value: (value, b0), -b_dir),
                                      (b_axis, lambda value: (w0, value), -w_dir)):
            for value in axis.get_tick_range():
                number = self.text(plain_number(value, sig=6), settings.sizes.small_font,
                                   settings.colors.muted)
                anchor = scene_points(self.axes, *corner_of(value), self.map_z())
                half = 0.5 * abs(np.dot(np.array([number.width, number.height, 0.0]), away)) / zoom
                number.move_to(anchor + (buff + half) * away)
                self.face_camera(number)
                out.add(number)
        return out

    def make_readout(self, columns: int) -> Readout:
        """The live numbers at the start (not placed), in one column or a grid of two."""
        settings, study = self.settings, self.stage
        traj = study.traj
        # The widest values each number takes: the ends of the run and its extremes.
        extremes = [(traj.n_steps, *values) for values in
                    zip(*(np.concatenate([series[[0, -1]], [series.min(), series.max()]])
                          for series in (traj.w, traj.b, traj.loss)), strict=True)]
        readout = Readout(study.labels.step, study.scenario.learning_rate, settings.sizes.hud_font,
                          settings.colors.text,
                          lambda words: self.text(words, settings.sizes.small_font,
                                                  settings.colors.muted),
                          settings.layout.hud_gap, columns=columns,
                          extremes=extremes)
        readout.set_values(0, traj.w[0], traj.b[0], traj.loss[0])
        return readout

    def make_rule(self) -> MathTex:
        """The update rule of gradient descent (not placed)."""
        settings = self.settings
        return MathTex(
            r"w_{t+1} &= w_t - \eta\,\frac{\partial l}{\partial w}\\"
            r"b_{t+1} &= b_t - \eta\,\frac{\partial l}{\partial b}",
            font_size=settings.sizes.hud_font, color=settings.colors.text)

    def build_hud(self) -> None:
        """Live numbers and the update rule, pinned to the frame.

        In landscape they go in the left column under the model; on a square or portrait frame
        side by side in the top band's row (the numbers in a grid).
        """
        lay = self.settings.layout
        self.readout = self.make_readout(columns=2 if self.layout.stacked else 1)
        self.rule = self.make_rule()
        if self.layout.stacked:
            self.layout.place_hud(self.rule, self.readout)
        else:
            anchor = getattr(self, "model_block", None)
            if anchor is not None:
                self.readout.next_to(anchor, DOWN, buff=lay.hud_block_gap, aligned_edge=LEFT)
            else:
                self.readout.to_corner(UL, buff=lay.edge_buff)
            self.rule.next_to(self.readout, DOWN, buff=lay.hud_block_gap, aligned_edge=LEFT)
        self.hud = VGroup(self.readout, self.rule)
        self.fix(self.hud)
