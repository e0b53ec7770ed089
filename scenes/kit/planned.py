"""Planned scenes: beats with their durations, played in order."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scenes.kit.descent_study import RollTimeline, Stage, load_config
from scenes.kit.settings.story import SETTINGS
from scenes.kit.theme import Theme, themed_settings, use_theme


# --------------------------------------------------------------------------- the plan
@dataclass
class Plan:
    """The beats of a scene, in order: (name, kind, seconds) with kind "play" or "hold"."""

    beats: list[tuple[str, str, float]] = field(default_factory=list)

    def play(self, name: str, seconds: float) -> Plan:
        """Add an animation beat."""
        self.beats.append((name, "play", float(seconds)))
        return self

    def hold(self, name: str, seconds: float) -> Plan:
        """Add a frozen wait."""
        self.beats.append((name, "hold", float(seconds)))
        return self

    def frames(self, fps: float) -> int:
        """Frames manim writes for this plan at `fps`.

        A play writes one frame per ``np.arange(0, run_time, 1/fps)`` entry and a frozen wait
        ``int(run_time * fps)`` frames (manim's Cairo renderer).
        """
        total = 0
        for _, kind, sec in self.beats:
            if kind == "play":
                total += len(np.arange(0, sec, 1 / fps))
            else:
                total += int(sec / (1 / fps))
        return total

    def seconds(self, fps: float) -> float:
        """Duration of the video at `fps`."""
        return self.frames(fps) / fps

    @property
    def nominal(self) -> float:
        """Sum of the beats' durations."""
        return sum(sec for _, _, sec in self.beats)


SECTIONS = ("model", "valley", "roll", "above", "right_angles", "floor", "map")


def plan_for(stage: Stage, sections: tuple[str, ...]) -> Plan:
    """The beats of the given sections, in order, for `stage`."""
    d = stage.settings.durations
    p = Plan()
    for sec in sections:
        if sec == "model":
            (p.play("title", d.title).hold("title_hold", d.title_hold)
             .play("equations", d.equations).hold("equations_hold", d.equations_hold)
             .play("to_corner", d.to_corner))
        elif sec == "valley":
            (p.play("axes", d.axes).play("surface", d.surface).play("start_mark", d.start_mark)
             .play("hud", d.hud).hold("valley_hold", d.valley_hold))
        elif sec == "roll":
            p.play("roll", RollTimeline.build(stage).duration).hold("roll_hold", d.roll_hold)
            if stage.traj.diverged:
                p.play("diverged", d.diverged_label).hold("diverged_hold", d.roll_hold)
        elif sec == "above":
            p.play("contours", d.contours).play("rise", d.rise).hold("map_hold", d.map_hold)
        elif sec == "map":
            p.play("contours", d.contours).play("path", d.rise).hold("map_hold", d.map_hold)
        elif sec == "right_angles":
            p.play("arrows", d.arrows)
            for k in stage.right_angle_steps:
                p.play(f"right_angle_{k}", d.right_angle).hold(f"right_angle_hold_{k}",
                                                               d.right_angle_hold)
        elif sec == "floor":
            p.play("floor", d.floor).play("closing", d.closing).hold("closing_hold",
                                                                      d.closing_hold)
        else:
            raise ValueError(f"unknown section {sec!r}; choose from {SECTIONS}")
    return p


# --------------------------------------------------------------------------- scenes
class PlanPlayer:
    """Mixin: play and hold only what the scene's `plan` says, and check it was all played.

    The scene sets ``self.plan`` (a `Plan`) and ``self._next_beat = 0`` before its first beat;
    its step methods call `beat` and `hold` by name, in the plan's order.
    """

    plan: Plan

    def _take(self, name: str, kind: str) -> float:
        if self._next_beat >= len(self.plan.beats):
            raise RuntimeError(f"beat {name}/{kind} is not in the plan "
                               f"(it has {len(self.plan.beats)} beats)")
        got = self.plan.beats[self._next_beat]
        if got[0] != name or got[1] != kind:
            raise RuntimeError(
                f"beat {self._next_beat}: plan has {got[:2]}, scene did {name}/{kind}")
        self._next_beat += 1
        return got[2]

    def beat(self, name: str, *animations: object, **kwargs: object) -> None:
        """Play `animations` for the plan's duration of beat `name`."""
        self.play(*animations, run_time=self._take(name, "play"), **kwargs)

    def hold(self, name: str) -> None:
        """Hold still for the plan's duration of beat `name`."""
        self._before_hold()
        self.pause(self._take(name, "hold"))

    def _before_hold(self) -> None:
        """Hook run before a hold (nothing by default)."""

    def check_plan(self) -> None:
        """Fail loudly if the scene skipped beats of its plan."""
        if self._next_beat != len(self.plan.beats):
            raise RuntimeError(f"played {self._next_beat} of {len(self.plan.beats)} planned beats")

    @classmethod
    def planned_duration(cls, fps: float) -> float:
        """Seconds of video this scene writes at `fps` with the current environment's config."""
        return cls.planned_plan().seconds(fps)


class StoryBeats(PlanPlayer):
    """Mixin: the story's config, stage and plan, for the 3D and the 2D story scenes."""

    sections: tuple[str, ...] = ()
    stage: Stage
    plan: Plan

    def _setup_story(self) -> None:
        # The config is read before anything renders: a bad one stops here with its message.
        cfg = load_config()
        # The theme (GDVIZ_THEME) sets the background and recolours every role of the settings.
        self.theme: Theme = use_theme(self)
        self.stage = Stage(cfg, themed_settings(SETTINGS, self.theme))
        self.plan = plan_for(self.stage, self.sections)
        self._next_beat = 0

    @classmethod
    def planned_plan(cls) -> Plan:
        """The plan this scene will play with the current environment's config."""
        return plan_for(Stage(load_config()), cls.sections)

    def _before_hold(self) -> None:
        self._refix()

    def _refix(self) -> None:
        """Pin newly created submobjects of fixed-in-frame mobjects (none to pin in 2D)."""
