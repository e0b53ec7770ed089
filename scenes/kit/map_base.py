"""Base scene of the lecture map scenes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    MathTex,
    Mobject,
    VGroup,
)

from scenes.kit.env import VideoConfig
from scenes.kit.labels import labels_for
from scenes.kit.labels.fields import MapLabels
from scenes.kit.layout import fit_text
from scenes.kit.planned import PlannedScene, PlannedScene2D
from scenes.kit.settings.lectures import LECTURE
from scenes.kit.settings.maps import MapLook
from scenes.kit.settings.story import Layout
from scenes.kit.theme import current_frame


# --------------------------------------------------------------------------- the scene
class MapParts(PlannedScene):
    """Mixin of the lecture map scenes: their look, labels and study, captions at the top.

    A subclass sets `default_config` and computes its study in `make_stage` (gdmath, before
    anything renders).
    """

    default_config: ClassVar[str] = "bowl"
    look: ClassVar[MapLook] = MapLook()

    stage: Any
    labels: MapLabels

    @classmethod
    def make_stage(cls, video: VideoConfig) -> Any:
        """The scene's study for `video` (subclasses)."""
        raise NotImplementedError

    def prepare(self) -> None:
        """Labels and study, before anything renders; on a stacked frame, the floors' fonts."""
        self.labels = labels_for(self.language).maps
        if current_frame().orientation != "landscape":
            # Numbers (TeX digits) at the floor of the lectures' stacked frames: 12 px capitals
            # at 480p (`MapStyle.stacked_min_tex`).
            self.look = replace(self.look, readout_font=max(self.look.readout_font,
                                                            LECTURE.style.stacked_min_tex))
        self.stage = self.make_stage(self.video)

    def tex_size(self, size: float) -> float:
        """`size` for TeX, raised to the stacked frames' floor on a square or portrait frame."""
        if current_frame().orientation == "landscape":
            return size
        return max(size, LECTURE.style.stacked_min_tex)

    def tex(self, formula: str, size: float, color: str | None = None) -> MathTex:
        """Mathematics in TeX, never under the floor on a stacked frame (`tex_size`)."""
        return super().tex(formula, self.tex_size(size), color)

    def outline(self, mob: Mobject, width: float | None = None) -> Mobject:
        """A background-coloured outline behind text, so it stays legible over lines."""
        return super().outline(mob, self.look.text_outline if width is None else width)

    def caption(self, words: str, color: str | None = None) -> Mobject:
        """A caption centred at the top of the frame, no wider than the frame."""
        width = current_frame().width - 2 * self.look.edge_buff
        if current_frame().orientation == "landscape":
            cap = self.text(words, self.look.caption_font, color)
        else:
            # One line shrunk down to the stacked floor (12 px capitals), else two lines.
            frame = current_frame()
            floor = min(1.0, frame.width / frame.height) * LECTURE.style.stacked_min_text
            lay = replace(Layout(), text_min_scale=min(1.0, floor / self.look.caption_font))
            cap = fit_text(words, lambda line: self.text(line, self.look.caption_font, color),
                           width, lay)
            if cap.height > self.look.caption_height:
                cap.scale_to_fit_height(self.look.caption_height)
        self.fit_width(cap, width)
        cap.move_to(np.array([0.0, current_frame().height / 2 - self.look.edge_buff
                              - self.look.caption_height / 2, 0.0]))
        return cap

    def swap_caption(self, words: str, color: str | None = None, **fade: Any) -> list[object]:
        """Animations that replace the current caption; the new one slides in from above."""
        return super().swap_caption(words, color, **{"shift": DOWN * 0.1, **fade})

    def swatch_row(self, color: str, opacity: float, label: Mobject) -> VGroup:
        """A colour square followed by `label` (a legend row)."""
        from manim import Square

        swatch = Square(side_length=self.look.swatch_side, stroke_color=self.theme.muted,
                    stroke_width=1.5, fill_color=color, fill_opacity=opacity)
        return VGroup(swatch, label).arrange(RIGHT, buff=0.18)

    def column(self, *rows: Mobject, buff: float | None = None) -> VGroup:
        """Rows stacked downwards, left-aligned."""
        return VGroup(*rows).arrange(DOWN, aligned_edge=LEFT,
                                     buff=self.look.row_gap if buff is None else buff)


class MapLectureScene(MapParts, PlannedScene2D):
    """Base of the lecture map scenes (2D)."""
