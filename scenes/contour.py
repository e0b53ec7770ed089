"""The contour map on its own, as a 2D scene: the path crosses every level line at a right angle."""

from __future__ import annotations

import dataclasses

import numpy as np
from manim import Mobject, VGroup

from scenes.kit.layout import StoryLayout
from scenes.kit.settings.maps import ContourMapSettings
from scenes.kit.story2d import MapScene
from scenes.kit.theme import current_frame, mark_key_moment


class ContourMap(MapScene):
    """Level lines, the descent path, its steps as arrows and their right angles.

    Key moment for ``gdviz stills``: "map" (every step with its right angle drawn).
    """

    contour_settings = ContourMapSettings()

    def fit_caption(self, words: str, width: float, color: str | None = None) -> Mobject:
        """Captions span the frame on a landscape frame: no side columns to keep clear here."""
        frame = current_frame()
        if frame.orientation == "landscape":
            width = frame.width - 2 * self.settings.layout.edge_buff
        return super().fit_caption(words, width, color)

    def make_layout(self) -> StoryLayout:
        """On a landscape frame the map fills the height under the caption, centred.

        (The story's landscape layout leaves it the size of the main video's middle column.)
        Square and portrait frames keep the story's layout.
        """
        layout = super().make_layout()
        frame = current_frame()
        if frame.orientation != "landscape":
            return layout
        lay = self.settings.layout
        axes = self.make_map_axes()
        box = VGroup(axes, self.axis_labels(axes))
        top = frame.height / 2 - lay.edge_buff - self.caption_height() - lay.band_gap - lay.view_pad
        bottom = -frame.height / 2 + lay.edge_buff + lay.view_pad
        half_width = frame.width / 2 - lay.edge_buff - lay.view_pad
        scale = min(self.contour_settings.max_view_scale, (top - bottom) / box.height,
                    2 * half_width / box.width)
        # The box's centre, scaled about the origin with the axes, goes to the room's centre.
        center = np.array([0.0, (top + bottom) / 2, 0.0]) - scale * box.get_center()
        return dataclasses.replace(layout, view_scale=float(scale), view_center=center)

    def construct(self) -> None:
        """The table of contents."""
        self.show_map()
        self.show_right_angles()
        mark_key_moment(self, "map")
        self.show_outcome()
