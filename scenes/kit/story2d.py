"""The contour map as a 2D scene: level lines, the path, arrows and right angles."""

from __future__ import annotations

import numpy as np
from manim import (
    Axes,
    Create,
    MathTex,
    VGroup,
)

from scenes.kit.axes import map_axes, scene_points, side_unit
from scenes.kit.layout import StoryLayout
from scenes.kit.mobjects import ContourSet, SurfacePath
from scenes.kit.planned import PlannedScene2D
from scenes.kit.story_parts import StoryParts
from scenes.kit.theme import current_frame


class MapScene(StoryParts, PlannedScene2D):
    """The contour map as a 2D scene: level lines, the path, arrows and right angles."""

    def prepare(self) -> None:
        """The study, the layout and the axes of the map."""
        super().prepare()
        self.layout = self.make_layout()
        self.axes = self.make_map_axes(self.layout.view_scale, self.layout.view_center)

    def map_z(self) -> float:
        """2D axes ignore the third coordinate."""
        return 0.0

    def make_layout(self) -> StoryLayout:
        """The layout of the frame: on a square or portrait one the map shrinks to fit."""
        frame = current_frame()
        if frame.orientation == "landscape":
            return StoryLayout.for_frame(frame, self.settings.layout)
        axes = self.make_map_axes()
        box = VGroup(axes, self.axis_labels(axes))
        extent = (box.get_left()[0], box.get_right()[0], box.get_bottom()[1], box.get_top()[1])
        return StoryLayout.for_frame(frame, self.settings.layout, extent, self.caption_height(),
                                     has_panels=False)

    def axis_labels(self, axes: Axes, scale: float = 1.0) -> VGroup:
        """W and b at the ends of the map's axes, `scale` times the label size."""
        settings = self.settings
        return axes.get_axis_labels(
            MathTex("w", color=settings.colors.text, font_size=settings.sizes.label_font * scale),
            MathTex("b", color=settings.colors.text, font_size=settings.sizes.label_font * scale))

    def make_map_axes(self, scale: float = 1.0, center: np.ndarray | None = None) -> Axes:
        """W and b axes with the same screen length per unit, `scale` times the size.

        The middle of the (w, b) window goes to `center` (default: the origin).
        """
        scenario = self.stage.scenario
        unit = side_unit(scenario.w_range, scenario.b_range, scale * self.settings.sizes.plane_side)
        # The study's units, scaled: equal, or stretched on a narrow valley's short side.
        unit_w, unit_b = (study_unit * unit / min(self.stage.units)
                          for study_unit in self.stage.units)
        axes = map_axes(scenario.w_range, scenario.b_range, unit_w, self.settings.colors.axes,
                        b_unit=unit_b)
        if center is not None:
            axes.shift(center)
        return axes

    def build_path(self) -> None:
        """Level lines (flat) and the descent path on the map."""
        settings, study = self.settings, self.stage
        self.contours = ContourSet(self.axes, study.contour_levels, study.l_range,
                                   settings.mesh.colormap, settings.sizes.contour_width,
                                   at_height=False,
                                   color_floor=settings.mesh.contour_color_floor)
        pts = scene_points(self.axes, study.samples[:, 0], study.samples[:, 1])
        self.trail = SurfacePath(pts, study.inside, settings.mesh.trail_chunk,
                                 settings.colors.trail,
                                 settings.sizes.trail_width, 0.0)
        self.map_labels = self.axis_labels(self.axes, self.layout.label_scale)

    def show_map(self) -> None:
        """Equal-unit axes, the level lines and the descent path on them."""
        settings, study = self.settings, self.stage
        self.build_path()
        # The axes are there from the first frame: a video never opens on a blank frame.
        self.add(self.axes, self.map_labels)
        self.beat("contours", self.settings.durations.contours,
                  Create(self.contours, lag_ratio=settings.durations.lag_ratio),
                  *self.swap_caption(study.labels.from_above))
        self.beat("path", self.settings.durations.rise, Create(self.trail))
        self.hold("map_hold", self.settings.durations.map_hold)
