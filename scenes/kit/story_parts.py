"""What the 3D story and its 2D contour map share: the study, captions and the right angles."""

from __future__ import annotations

import dataclasses

import numpy as np
from manim import (
    DOWN,
    LEFT,
    UL,
    UP,
    Arrow,
    Circle,
    Create,
    FadeIn,
    FadeOut,
    GrowArrow,
    LaggedStart,
    Line,
    MathTex,
    Mobject,
    VGroup,
    Wait,
    config,
)

from scenes.kit.axes import scene_points
from scenes.kit.descent_study import DescentStudy, outline
from scenes.kit.layout import StoryLayout, fit_text, note_scale
from scenes.kit.mobjects import ContourSet, RightAngleStep
from scenes.kit.planned import PlannedScene
from scenes.kit.settings.story import SETTINGS
from scenes.kit.theme import current_frame, themed_settings


class StoryParts(PlannedScene):
    """Mixin of the story scenes: the study of the config, captions and the map's right angles."""

    def prepare(self) -> None:
        """The study of the config, drawn with the theme's colours."""
        settings = themed_settings(SETTINGS, self.theme)
        # The drawn meshes follow the output's pixels (`Mesh.drawn_resolution`).
        pixels = min(int(config.pixel_width), int(config.pixel_height))
        settings = dataclasses.replace(settings,
                                       mesh=dataclasses.replace(settings.mesh, pixels=pixels))
        self.stage = DescentStudy(self.video, settings)
        self.settings = self.stage.settings

    def fit_caption(self, words: str, width: float, color: str | None = None) -> Mobject:
        """Caption-sized prose no wider than `width` (on two lines if it must).

        Smaller in units on a portrait frame, as tall in pixels (`note_scale`).
        """
        size = self.settings.sizes.hud_font * note_scale(current_frame(), self.settings.layout)
        return fit_text(words, lambda line: self.text(line, size, color), width,
                        self.settings.layout)

    def caption(self, words: str, color: str | None = None) -> Mobject:
        """A caption at the top centre: between the side columns, or across a narrow frame."""
        cap = self.fit_caption(words, self.layout.caption_width, color)
        cap.to_edge(UP, buff=self.settings.layout.edge_buff)
        return cap

    def caption_height(self) -> float:
        """Height of the tallest caption, set to the width captions get on this frame."""
        lab = self.stage.labels
        width = StoryLayout.for_frame(current_frame(), self.settings.layout).caption_width
        return max(self.fit_caption(words, width).height for words in (
            lab.rolling, lab.bend, lab.from_above, lab.perpendicular, lab.closing, lab.diverged,
            # Only the captions this run shows: a preset's layout stays as it was.
            self.stage.outcome_caption or lab.diverged, self.stage.no_floor_caption or lab.closing,
            self.stage.perpendicular_caption, *self.seed_captions()))

    def seed_captions(self) -> list[str]:
        """The captions of the seed's beats this scene plays (`SeedBeats`; none here)."""
        return []

    def build_map(self) -> None:
        """Step arrows on the map and the right-angle constructions of the chosen steps."""
        settings, study = self.settings, self.stage
        traj = study.traj
        if not hasattr(self, "contours"):
            self.contours = ContourSet(self.axes, study.contour_levels, study.l_range,
                                       settings.mesh.colormap, settings.sizes.contour_width,
                                       at_height=True,
                                       color_floor=settings.mesh.contour_color_floor)
        self.arrows = VGroup()
        self.arrow_of: dict[int, Arrow] = {}
        inside = study.inside_steps
        for i in range(traj.n_steps):
            if not inside[i]:
                continue
            start, end = (scene_points(self.axes, traj.w[j], traj.b[j], self.map_z())
                          for j in (i, i + 1))
            if i in study.arrow_steps:
                arrow = Arrow(start, end, buff=0, color=settings.colors.step,
                          stroke_width=settings.sizes.arrow_width,
                          max_tip_length_to_length_ratio=settings.sizes.arrow_tip_ratio,
                          max_stroke_width_to_length_ratio=settings.sizes.arrow_width_ratio)
                self.arrow_of[i] = arrow
            else:
                # Too short for a tip: a plain segment, so the path still reaches its end.
                arrow = Line(start, end, color=settings.colors.step,
                             stroke_width=settings.sizes.arrow_width)
            self.arrows.add(arrow)
        self.exit_marker = self.build_exit_marker()
        self.right_angles = [
            RightAngleStep(self.axes, (traj.w[k], traj.b[k]), (traj.w[k + 1], traj.b[k + 1]),
                           study.level_through(k), self.map_z(), self.arrow_of[k],
                           self.right_angle_side(k), settings.colors.level_line,
                           settings.colors.right_angle,
                           settings.sizes.level_line_width)
            for k in study.right_angle_steps
        ]

    def right_angle_side(self, step: int) -> float:
        """Side of the right-angle mark at step `step`: at the start it clears the ✕'s arms."""
        sizes = self.settings.sizes
        if step > 0 or getattr(self, "cross", None) is None:
            return sizes.right_angle_side
        # The ✕'s arms reach √2 half-widths from the start on screen (it faces the camera and
        # keeps its screen size, scaled as the scene's labels); the mark is zoomed with the map.
        reach = np.sqrt(2.0) * sizes.cross_half_width * self.layout.label_scale / self.top_zoom()
        return max(sizes.right_angle_side, sizes.start_mark_clearance * reach)

    def show_right_angles(self) -> None:
        """Each step as an arrow; on a few, the level line through its start and a right angle."""
        settings, study = self.settings, self.stage
        self.build_map()
        grow = [GrowArrow(arrow) if isinstance(arrow, Arrow) else Create(arrow)
                for arrow in self.arrows]
        # A path that leaves the view at its first step has no step inside it to draw.
        self.beat("arrows", self.settings.durations.arrows, FadeOut(self.trail),
                  LaggedStart(*grow, lag_ratio=settings.durations.lag_ratio) if grow else Wait(),
                  *self.swap_caption(study.perpendicular_caption))
        if self.exit_marker is not None:
            self.beat("exit", self.settings.durations.right_angle, GrowArrow(self.exit_marker[0]),
                      Create(self.exit_marker[1]), FadeIn(self.exit_marker[2]))
        previous = None
        for k, angle in zip(study.right_angle_steps, self.right_angles, strict=True):
            anims = [Create(angle.level_line), Create(angle.mark),
                     angle.arrow.animate.set_color(settings.colors.highlight)]
            if previous is not None:
                anims += [previous.level_line.animate.set_stroke(
                              opacity=settings.colors.dim_opacity),
                          previous.arrow.animate.set_color(settings.colors.step)]
            self.beat(f"right_angle_{k}", self.settings.durations.right_angle, *anims)
            self.hold(f"right_angle_hold_{k}", self.settings.durations.right_angle_hold)
            previous = angle

    def build_exit_marker(self) -> VGroup | None:
        """Where the path leaves the view: the step up to the edge, a ring there, and a label.

        None when the whole path stays inside the (w, b) window.
        """
        settings, study = self.settings, self.stage
        k, edge = study.exit_step, study.exit_point
        if k is None:
            return None
        start = scene_points(self.axes, study.traj.w[k], study.traj.b[k], self.map_z())
        end = scene_points(self.axes, *edge, self.map_z())
        arrow = Arrow(start, end, buff=0, color=settings.colors.diverged,
                      stroke_width=settings.sizes.arrow_width,
                      max_tip_length_to_length_ratio=settings.sizes.arrow_tip_ratio,
                      max_stroke_width_to_length_ratio=settings.sizes.arrow_width_ratio)
        ring = Circle(radius=settings.sizes.floor_dot_radius * 1.6, color=settings.colors.diverged,
                      stroke_width=settings.sizes.arrow_width).move_to(end)
        scale = getattr(self.layout, "label_scale", 1.0)
        label = self.text(study.labels.leaves_view.format(step=k + 1),
                          settings.sizes.small_font * scale, settings.colors.diverged)
        centre = scene_points(self.axes, np.mean(study.scenario.w_range),
                              np.mean(study.scenario.b_range), self.map_z())
        inward = centre - end
        inward[2] = 0.0
        # Beside the ring, towards the middle of the view, so it never hangs off the map.
        horizontal = np.array([np.sign(inward[0]) or 1.0, 0.0, 0.0])
        vertical = np.array([0.0, np.sign(inward[1]) or 1.0, 0.0])
        label.next_to(ring, vertical, buff=settings.layout.label_gap)
        label.shift(horizontal * label.width / 2)
        outline(label, settings)
        return VGroup(arrow, ring, label)

    def show_outcome(self) -> None:
        """End a run that diverged or stalled on its label (the map scene's last beat)."""
        ending = self.stage.outcome_caption
        if ending is not None:
            self.beat("diverged", self.settings.durations.diverged_label,
                      *self.swap_caption(ending, self.settings.colors.diverged))
            self.hold("diverged_hold", self.settings.durations.roll_hold)

    # ---------------------------------------------------------------- the model
    def model_in_corner(self, eqs: VGroup) -> VGroup:
        """The model's equations where the left column shows them: HUD size, top left.

        No wider than the column, which is the captions' margin: a wider model (u = (x − x̄)/sₓ
        on standardised data) would run under the caption.
        """
        settings = self.settings
        target = eqs.copy().scale(settings.sizes.hud_font / settings.sizes.equation_font)
        # A label gap short of the column, so that it does not touch a caption as wide as allowed.
        room = settings.layout.left_column_width - settings.layout.label_gap
        if target.width > room:
            target.scale_to_fit_width(room)
        return target.to_corner(UL, buff=settings.layout.edge_buff)

    def model_equations(self) -> VGroup:
        """Y = φ(w·x + b) and l = Σᵢ (yⁱ − y⁽ⁱ⁾)², as in the seed."""
        settings = self.settings
        study = self.stage
        scaled = study.scenario.standardization is not None
        # Standardised: the neuron sees u = (x − x̄)/s, and w, b are in its units.
        model = MathTex(r"y = \varphi(w \cdot u + b),\ u = \frac{x - \bar x}{s_x}" if scaled
                        else r"y = \varphi(w \cdot x + b)", font_size=settings.sizes.equation_font,
                        color=settings.colors.text)
        mean = r"\frac{1}{n}" if study.problem.loss_kind == "mse" else ""
        loss = MathTex(rf"l = {mean}\sum_i \left(y^{{i}} - y^{{(i)}}\right)^2",
                       font_size=settings.sizes.equation_font, color=settings.colors.text)
        lines = [model, loss]
        if scaled:
            lines.append(self.text(study.labels.standardized, settings.sizes.small_font,
                                   settings.colors.muted))
        return VGroup(*lines).arrange(DOWN, aligned_edge=LEFT,
                                      buff=settings.layout.equation_line_gap)
