"""Base scene of the lecture map scenes."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    FadeIn,
    FadeOut,
    MathTex,
    Mobject,
    Scene,
    VGroup,
)

import gdmath
from scenes.kit.labels.maps import MapLabels, map_labels_for
from scenes.kit.labels.story import make_text
from scenes.kit.map_studies import lecture_config
from scenes.kit.planned import Plan, PlanPlayer
from scenes.kit.settings.maps import MapLook
from scenes.kit.theme import Theme, current_frame, use_theme


# --------------------------------------------------------------------------- the scene
class LectureMapScene(PlanPlayer, Scene):
    """Base of the lecture map scenes: config, theme, labels, stage and a plan of beats.

    A subclass sets `default_preset`, builds its stage in `make_stage` and its beats in
    `make_plan`; its step methods play them with `beat` and `hold`, and `construct` ends with
    `check_plan`. `planned_plan` gives the same plan without rendering (the render tests compare
    the video's duration with it).
    """

    default_preset: ClassVar[str] = "bowl"
    look: ClassVar[MapLook] = MapLook()

    stage: Any
    plan: Plan
    theme: Theme
    labels: MapLabels

    @classmethod
    def make_stage(cls, cfg: gdmath.Config) -> Any:
        """The scene's stage for `cfg` (subclasses)."""
        raise NotImplementedError

    @classmethod
    def make_plan(cls, stage: Any) -> Plan:
        """The scene's beats for `stage` (subclasses)."""
        raise NotImplementedError

    @classmethod
    def planned_plan(cls) -> Plan:
        """The plan this scene plays with the current environment's config."""
        return cls.make_plan(cls.make_stage(lecture_config(cls.default_preset)))

    def setup(self) -> None:
        """Theme, config (a bad one stops here, before anything renders), stage and plan."""
        self.theme = use_theme(self)
        cfg = lecture_config(self.default_preset)
        self.language = cfg.language
        self.labels = map_labels_for(cfg.language)
        self.stage = self.make_stage(cfg)
        self.plan = self.make_plan(self.stage)
        self._next_beat = 0
        self.current_caption: Mobject | None = None

    # ---------------------------------------------------------------- text
    def text(self, s: str, size: float, color: str | None = None) -> Mobject:
        """Prose in the configured language (Noto Sans CJK JP for Japanese)."""
        return make_text(s, self.language, size, color or self.theme.text)

    def tex(self, s: str, size: float, color: str | None = None) -> MathTex:
        """Mathematics in TeX."""
        return MathTex(s, font_size=size, color=color or self.theme.text)

    def outline(self, mob: Mobject) -> Mobject:
        """A background-coloured outline behind text, so it stays legible over lines."""
        mob.set_stroke(self.theme.background, width=self.look.text_outline, background=True)
        return mob

    def caption(self, s: str, size: float | None = None) -> Mobject:
        """A caption centred at the top of the frame, no wider than the frame."""
        cap = self.text(s, size or self.look.caption_font)
        max_w = current_frame().width - 2 * self.look.edge_buff
        if cap.width > max_w:
            cap.scale_to_fit_width(max_w)
        cap.move_to(np.array([0.0, current_frame().height / 2 - self.look.edge_buff
                              - self.look.caption_height / 2, 0.0]))
        return cap

    def set_caption(self, s: str, size: float | None = None) -> Mobject:
        """Show a caption at once (the first frame is never blank)."""
        cap = self.caption(s, size)
        self.add(cap)
        self.current_caption = cap
        return cap

    def swap_caption(self, s: str) -> list[object]:
        """Animations that replace the current caption."""
        new = self.caption(s)
        anims: list[object] = [FadeIn(new, shift=DOWN * 0.1)]
        if self.current_caption is not None:
            anims.append(FadeOut(self.current_caption))
        self.current_caption = new
        return anims

    def swatch_row(self, color: str, opacity: float, label: Mobject) -> VGroup:
        """A colour square followed by `label` (a legend row)."""
        from manim import Square

        sq = Square(side_length=self.look.swatch_side, stroke_color=self.theme.muted,
                    stroke_width=1.5, fill_color=color, fill_opacity=opacity)
        return VGroup(sq, label).arrange(RIGHT, buff=0.18)

    def column(self, *rows: Mobject, buff: float | None = None) -> VGroup:
        """Rows stacked downwards, left-aligned."""
        return VGroup(*rows).arrange(DOWN, aligned_edge=LEFT,
                                     buff=self.look.row_gap if buff is None else buff)
