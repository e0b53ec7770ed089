"""One base for every planned scene: beats with their durations, text, captions, pinned text.

A planned scene plays its table of contents (``construct``) as named beats: ``self.beat(name,
seconds, *animations)`` plays, ``self.hold(name, seconds)`` holds still. The durations are
written where the beat is, once; the scene's `Script` (the beats in order, with their
durations) is not written anywhere else but recorded as they play. `PlannedScene.script` gets
it without rendering a frame: it runs ``construct`` in manim's skipping mode (each animation
jumps to its end), so the script is exactly what the render plays. The render tests compare a
video's frame count with it.

`PlannedScene2D` draws on a plain Cairo `Scene`; `PlannedScene3D` on the fast 3D camera
(`scenes.kit.render3d`), where `fix` pins text to the frame.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from manim import Animation, FadeIn, FadeOut, Group, MathTex, Mobject, Scene, linear
from manim.animation.animation import prepare_animation

from scenes.kit.env import VideoConfig, scene_config
from scenes.kit.folder_cfg import apply_folder_config
from scenes.kit.render3d import FastThreeDScene
from scenes.kit.svg_cache import keep_parsed_svgs
from scenes.kit.text import make_text
from scenes.kit.theme import THEMES, Theme, use_theme

__all__ = ["Beat", "CaptionSwap", "PlannedScene", "PlannedScene2D", "PlannedScene3D", "Script",
           "TimeWindow", "Within", "window_bounds"]

# `manim scenes/x.py` from another folder still gets this folder's cache and encoder settings.
apply_folder_config()
# A new render loads the texts' parsed glyphs instead of parsing their SVGs again.
keep_parsed_svgs()

#: Length of the windows a long beat is played in (``beat(..., windowed=True)``). A whole number
#: of seconds is a whole number of frames at every integer frame rate, so the windows' frames are
#: the whole beat's frames whatever the quality.
WINDOW_SECONDS = 2
# A window's run time is this much short of its whole seconds, so that manim's
# ``np.arange(0, run_time, 1/fps)`` gives exactly run_time·fps frames despite rounding.
WINDOW_SLACK = 1e-6


@dataclass(frozen=True)
class Beat:
    """One step of a scene's script: a play or a frozen hold, and how long it lasts."""

    name: str
    kind: str  # "play" or "hold"
    seconds: float
    section: str = ""  # the step of ``construct`` that plays it (see `PlannedScene.section_of`)


@dataclass
class Script:
    """The beats of a scene, in the order they play."""

    beats: list[Beat] = field(default_factory=list)

    def frames(self, fps: float) -> int:
        """Frames manim writes for this script at `fps`.

        A play writes one frame per ``np.arange(0, run_time, 1/fps)`` entry and a frozen wait
        ``int(run_time * fps)`` frames (manim's Cairo renderer).
        """
        total = 0
        for beat in self.beats:
            if beat.kind == "play":
                total += len(np.arange(0, beat.seconds, 1 / fps))
            else:
                total += int(beat.seconds / (1 / fps))
        return total

    def seconds(self, fps: float) -> float:
        """Duration of the video at `fps`."""
        return self.frames(fps) / fps

    @property
    def nominal(self) -> float:
        """Sum of the beats' durations."""
        return sum(beat.seconds for beat in self.beats)

    def seconds_of(self, name: str) -> float:
        """Duration of the beat `name` (all its windows when it was played windowed)."""
        return sum(beat.seconds for beat in self.beats if beat.name == name)

    @property
    def sections(self) -> list[tuple[str, int]]:
        """The sections in order, with how many beats each plays."""
        out: list[tuple[str, int]] = []
        for beat in self.beats:
            if not out or out[-1][0] != beat.section:
                out.append((beat.section, 0))
            out[-1] = (out[-1][0], out[-1][1] + 1)
        return out


def window_bounds(seconds: float, window: float = WINDOW_SECONDS) -> list[tuple[float, float]]:
    """The (start, run time) of each window of a beat of `seconds`.

    Windows start on whole multiples of `window` and end `WINDOW_SLACK` short of the next start
    (the last one short of the beat's end, no shorter than half a window), so that at any integer
    frame rate f each window but the last has exactly window·f frames and the windows together
    play the frames at t < `seconds`. A beat shorter than 1.5 windows is one window.
    """
    starts = np.arange(0.0, seconds, window)
    if len(starts) > 1 and seconds - starts[-1] < window / 2:
        starts = starts[:-1]  # no sliver of a window at the end: the last one runs longer
    ends = [*(float(time) for time in starts[1:]), float(seconds)]
    return [(float(start), end - start - WINDOW_SLACK)
            for start, end in zip(starts, ends, strict=True)]


class TimeWindow(Animation):
    """Seconds ``start`` to ``start + run_time`` of `animation` (of `total` seconds), played alone.

    A long animation played as consecutive windows draws the same frames as played whole (its
    frame at local time t is the whole animation's at start + t), and a parallel render can cut
    between windows (`gdviz.parallel`). The first window begins the animation, the last one
    finishes and cleans it up; the ones between leave it where their time ends.
    """

    def __init__(self, animation: Animation, start: float, run_time: float, total: float,
                 *, first: bool, last: bool) -> None:
        self.inner, self.start, self.total = animation, start, total
        self.first, self.last = first, last
        super().__init__(animation.mobject, run_time=run_time, rate_func=linear,
                         introducer=first and animation.is_introducer(),
                         remover=last and animation.is_remover())

    def _setup_scene(self, scene: Scene) -> None:
        if self.first:
            self.inner._setup_scene(scene)

    def begin(self) -> None:
        """The first window begins the whole animation."""
        if self.first:
            self.inner.begin()

    def interpolate(self, alpha: float) -> None:
        """The whole animation at this window's time; the last window's end is the whole end.

        The last window runs `WINDOW_SLACK` short of the end, so without the exact end a
        skipped play (a dry run, or the part of a parallel render before ``-n FROM``) would
        leave the scene's updaters reading a time just short of it (the step before the last).
        """
        if self.last and alpha >= 1.0:
            self.inner.interpolate(1.0)
            return
        self.inner.interpolate((self.start + alpha * self.run_time) / self.total)

    def update_mobjects(self, dt: float) -> None:
        """The whole animation's updates."""
        self.inner.update_mobjects(dt)

    def get_all_mobjects(self) -> Sequence[Mobject]:
        """The whole animation's mobjects."""
        return self.inner.get_all_mobjects()

    def finish(self) -> None:
        """The last window finishes the whole animation; the others stop at their end."""
        if self.last:
            self.inner.finish()
        else:
            self.interpolate(1.0)

    def clean_up_from_scene(self, scene: Scene) -> None:
        """The last window cleans up after the whole animation."""
        if self.last:
            self.inner.clean_up_from_scene(scene)


class _Parts(Animation):
    """An animation that plays `parts` on its own clock.

    The parts add, update, finish and clean up their mobjects themselves; a subclass says in
    `interpolate` where each part is.
    """

    def __init__(self, parts: Sequence[Animation], mobject: Mobject, *, introducer: bool,
                 remover: bool) -> None:
        self.parts = list(parts)
        super().__init__(mobject, rate_func=linear, introducer=introducer, remover=remover)

    def _setup_scene(self, scene: Scene) -> None:
        for anim in self.parts:
            anim._setup_scene(scene)

    def begin(self) -> None:
        """The parts begin with the beat."""
        for anim in self.parts:
            anim.begin()

    def update_mobjects(self, dt: float) -> None:
        """The parts' updates."""
        for anim in self.parts:
            anim.update_mobjects(dt)

    def get_all_mobjects(self) -> Sequence[Mobject]:
        """What the parts hold."""
        return [mob for anim in self.parts for mob in anim.get_all_mobjects()]

    def finish(self) -> None:
        """The parts at their end."""
        for anim in self.parts:
            anim.finish()

    def clean_up_from_scene(self, scene: Scene) -> None:
        """As the parts clean up."""
        for anim in self.parts:
            anim.clean_up_from_scene(scene)


class Within(_Parts):
    """`animation` played in the part ``start``–``end`` of its beat (fractions of the beat's time).

    Before ``start`` it is at its beginning, after ``end`` at its end; the beat's rate function
    does not reach it (a beat played ``rate_func=linear`` still eases a fade inside it). For
    what must wait for something else in the same beat: a title that fades before the model
    crosses its place, numbers that appear once the label over them has gone.
    """

    def __init__(self, animation: Animation | object, start: float, end: float) -> None:
        if not 0.0 <= start < end <= 1.0:
            raise ValueError(f"need 0 <= start < end <= 1; got {start}, {end}")
        self.inner = prepare_animation(animation)
        self.start, self.end = start, end
        super().__init__([self.inner], self.inner.mobject,
                         introducer=self.inner.is_introducer(), remover=self.inner.is_remover())

    def interpolate(self, alpha: float) -> None:
        """The inner animation at its share of the beat's time `alpha`."""
        local = (alpha - self.start) / (self.end - self.start)
        self.inner.interpolate(float(np.clip(local, 0.0, 1.0)))


#: How long a caption swap takes at most: the old caption fades out in the first half and the
#: new one fades in in the second, so the two are never seen over each other (a cross-fade over
#: a whole five-second beat wrote two captions into each other for seconds). A longer beat
#: shows the new caption for the rest of its time.
CAPTION_SWAP_SECONDS = 1.0


class CaptionSwap(_Parts):
    """The old caption fades out, then the new one fades in, at the start of a beat.

    Parameters
    ----------
    fade_in : Animation
        Brings the new caption in (an introducer: it adds the caption to the scene).
    fade_out : Animation or None
        Takes the old caption away (a remover), if there is one.
    seconds : float
        The swap's length at most; a shorter beat swaps in its whole run time.
    """

    def __init__(self, fade_in: Animation, fade_out: Animation | None,
                 seconds: float = CAPTION_SWAP_SECONDS) -> None:
        self.fade_in, self.fade_out, self.seconds = fade_in, fade_out, seconds
        parts = [anim for anim in (fade_out, fade_in) if anim is not None]
        # An introducer, so that the scene does not add this group: the parts add and remove.
        super().__init__(parts, Group(*(anim.mobject for anim in parts)), introducer=True,
                         remover=False)

    def interpolate(self, alpha: float) -> None:
        """Out in the first half of the swap, in in the second (`alpha`: the beat's time)."""
        half = 0.5 * min(self.seconds, self.run_time)
        phase = alpha * self.run_time / half if half > 0 else 2.0
        if self.fade_out is None:  # nothing to wait for: in over the whole swap
            self.fade_in.interpolate(float(np.clip(phase / 2.0, 0.0, 1.0)))
            return
        self.fade_out.interpolate(float(np.clip(phase, 0.0, 1.0)))
        self.fade_in.interpolate(float(np.clip(phase - 1.0, 0.0, 1.0)))


class PlannedScene:
    """Mixin: the video's config and theme, named beats, text, captions and pinned text.

    A subclass sets `default_config` (what it renders when no ``GDVIZ_PRESET`` or
    ``GDVIZ_CONFIG`` is set) and computes what it draws in `prepare`, before anything renders.
    """

    default_config: ClassVar[str | Mapping[str, Any] | None] = None
    video: VideoConfig
    theme: Theme
    played: Script

    # ---------------------------------------------------------------- set-up
    def setup(self) -> None:
        """Config (a bad one stops here, before anything renders), theme, then `prepare`."""
        self.video = scene_config(self.default_config)
        # The theme sets the background and the default colours of text, TeX and axes.
        self.theme = use_theme(self, THEMES[self.video.theme])
        self.played = Script()
        self._section_calls: list[tuple[int, str]] = []
        self.current_caption: Mobject | None = None
        self.prepare()

    def prepare(self) -> None:
        """Compute what the scene draws (subclasses)."""

    @property
    def language(self) -> str:
        """The on-screen language."""
        return self.video.language

    @classmethod
    def script(cls) -> Script:
        """The beats this scene plays with the current environment, without rendering.

        ``construct`` runs in manim's skipping mode, as for the part of a video before
        ``-n FROM``: every animation jumps to its end and no frame is drawn.
        """
        from manim import tempconfig

        with tempconfig({"dry_run": True, "disable_caching": True, "write_to_movie": False,
                         "verbosity": "ERROR", "progress_bar": "none",
                         "from_animation_number": 10**9}):
            scene = cls()
            scene.render()
        return scene.played

    # ---------------------------------------------------------------- beats
    def beat(self, name: str, seconds: float, *animations: object, windowed: bool = False,
             **kwargs: object) -> None:
        """Play `animations` for `seconds`, as the beat `name`.

        ``windowed=True`` plays a long beat as consecutive `TimeWindow` plays of
        `WINDOW_SECONDS` (same frames, each recorded as a beat `name`), so that the processes of
        a parallel render share it.
        """
        section = self.section_of()
        if not windowed:
            self._record(Beat(name, "play", float(seconds), section))
            self.play(*animations, run_time=seconds, **kwargs)
            return
        whole = [prepare_animation(anim) for anim in animations]
        for animation in whole:
            animation.run_time = seconds
            for key, value in kwargs.items():  # what ``play`` would set on each animation
                setattr(animation, key, value)
        windows = window_bounds(seconds)
        for k, (start, run_time) in enumerate(windows):
            self._record(Beat(name, "play", run_time, section))
            self.play(*(TimeWindow(anim, start, run_time, seconds, first=k == 0,
                                   last=k == len(windows) - 1) for anim in whole),
                      run_time=run_time)

    def hold(self, name: str, seconds: float) -> None:
        """Hold still for `seconds`, as the beat `name`."""
        self.refix()
        self._record(Beat(name, "hold", float(seconds), self.section_of()))
        self.pause(seconds)

    def _record(self, beat: Beat) -> None:
        self.on_beat(len(self.played.beats), beat)
        self.played.beats.append(beat)

    def on_beat(self, index: int, beat: Beat) -> None:
        """Called before beat number `index` plays (a hook for slides and the like)."""

    def section_of(self) -> str:
        """The section now playing: the step method that ``construct`` called.

        The table of contents is written once, in ``construct``; each call it makes is one
        section, named after the method (a second call from another line gets ``_2``, ...).
        Beats played outside ``construct`` (a test's own driver) belong to section ``""``.
        """
        frame = inspect.currentframe()
        while frame is not None and frame.f_back is not None:
            caller = frame.f_back
            if caller.f_code.co_name == "construct" and caller.f_locals.get("self") is self:
                call = (caller.f_lineno, frame.f_code.co_name)
                if call not in self._section_calls:
                    self._section_calls.append(call)
                same = [entry for entry in self._section_calls if entry[1] == call[1]]
                rank = same.index(call) + 1
                return call[1] if rank == 1 else f"{call[1]}_{rank}"
            frame = caller
        return ""

    # ---------------------------------------------------------------- text
    def text(self, words: str, size: float, color: str | None = None) -> Mobject:
        """Prose in the configured language (Noto Sans CJK JP for Japanese)."""
        return make_text(words, self.language, size, color or self.theme.text)

    def tex(self, formula: str, size: float, color: str | None = None) -> MathTex:
        """Mathematics in TeX, the same in every language."""
        return MathTex(formula, font_size=size, color=color or self.theme.text)

    def outline(self, mob: Mobject, width: float) -> Mobject:
        """A background-coloured outline behind text, so it stays legible over lines."""
        mob.set_stroke(self.theme.background, width=width, background=True)
        return mob

    @staticmethod
    def fit_width(mob: Mobject, width: float) -> Mobject:
        """Shrink `mob` (never grow it) to at most `width`."""
        if mob.width > width:
            mob.scale_to_fit_width(width)
        return mob

    # ---------------------------------------------------------------- captions
    def caption(self, words: str, color: str | None = None) -> Mobject:
        """A caption, placed where this kind of scene puts them (subclasses)."""
        raise NotImplementedError

    def set_caption(self, words: str) -> Mobject:
        """Show a caption at once (the first frame is never blank)."""
        cap = self.caption(words)
        self.add(cap)
        self.current_caption = cap
        return cap

    def swap_caption(self, words: str, color: str | None = None, **fade: Any) -> list[object]:
        """The animation that replaces the current caption with `words` (`fade`: FadeIn's options).

        One `CaptionSwap` in a list, to be played among the beat's animations.
        """
        new = self.caption(words, color)
        self.fix(new)
        old = self.current_caption
        self.current_caption = new
        return [CaptionSwap(FadeIn(new, **fade), None if old is None else FadeOut(old))]

    # ---------------------------------------------------------------- pinned text
    def fix(self, *mobs: Mobject) -> None:
        """Pin mobjects to the frame without showing them yet (nothing to pin in 2D)."""
        self.remove(*mobs)

    def refix(self) -> None:
        """Pin newly created submobjects of pinned mobjects (nothing to pin in 2D)."""


class PlannedScene2D(PlannedScene, Scene):
    """A planned 2D scene (maps render about ten times faster than the 3D valley)."""


class PlannedScene3D(PlannedScene, FastThreeDScene):
    """A planned 3D scene on the fast mesh; `fix` pins text to the frame."""

    def setup(self) -> None:
        """As `PlannedScene.setup`, and pin new parts of pinned text on every frame."""
        self.fixed_roots: list[Mobject] = []
        super().setup()
        self.add_updater(lambda _elapsed: self.refix())

    def face_camera(self, *mobs: Mobject) -> None:
        """Keep mobjects in 3D facing the camera (labels, markers) without showing them."""
        self.add_fixed_orientation_mobjects(*mobs)
        self.remove(*mobs)

    def fix(self, *mobs: Mobject) -> None:
        """Pin mobjects to the frame (also submobjects they make later) without showing them."""
        self.fixed_roots.extend(mobs)
        self.add_fixed_in_frame_mobjects(*mobs)
        self.remove(*mobs)

    def refix(self) -> None:
        """Pin newly created submobjects of pinned mobjects (DecimalNumber makes new digits)."""
        for mob in self.fixed_roots:
            self.camera.add_fixed_in_frame_mobjects(mob)
