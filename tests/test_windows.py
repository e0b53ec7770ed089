"""A long beat played in windows (for parallel renders) draws the frames of the whole beat."""

from __future__ import annotations

import numpy as np
import pytest
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Dot,
    Square,
    UpdateFromAlphaFunc,
    ValueTracker,
    linear,
    tempconfig,
)
from manim import smooth as smooth_rate

from scenes.kit.planned import WINDOW_SECONDS, PlannedScene2D, Script, window_bounds

TINY = {"pixel_width": 96, "pixel_height": 54, "frame_rate": 15, "dry_run": True,
        "disable_caching": True, "progress_bar": "none", "verbosity": "ERROR"}


def frames_of(windowed: bool, seconds: float, rate_func) -> tuple[list[np.ndarray], Script]:
    class Moving(PlannedScene2D):
        def construct(self):
            clock = ValueTracker(0.0)
            dot = Dot(LEFT * 3, radius=0.4)
            square = Square(1.0).shift(UP)
            # An updater that reads a tracker (as the roll's driver does) and an animation
            # that moves its mobject directly.
            square.add_updater(lambda m: m.move_to(UP + RIGHT * clock.get_value()))
            self.add(square)
            self.beat("move", seconds,
                      UpdateFromAlphaFunc(clock, lambda m, a: m.set_value(3 * a)),
                      dot.animate.shift(RIGHT * 6 + DOWN),
                      rate_func=rate_func, windowed=windowed)
            self.hold("after", 0.2)

    frames: list[np.ndarray] = []
    with tempconfig(TINY):
        scene = Moving()
        scene.renderer.add_frame = (
            lambda frame, num_frames=1: frames.extend([frame.copy()] * num_frames))
        scene.render()
    return frames, scene.played


@pytest.mark.parametrize("seconds", [2.0, 5.3, 7.0])
@pytest.mark.parametrize("rate_func", [linear, smooth_rate], ids=["linear", "smooth"])
def test_windows_draw_the_frames_of_the_whole_beat(seconds, rate_func):
    whole, whole_script = frames_of(False, seconds, rate_func)
    parts, parts_script = frames_of(True, seconds, rate_func)
    assert len(whole) == whole_script.frames(15)
    assert len(parts) == parts_script.frames(15)
    # The frames at t < seconds: the whole beat has one more when seconds·fps is a whole number
    # and rounding puts its end frame just inside (5.3 s at 15 fps is 79.5 frames: never).
    hold = round(0.2 * 15)
    played = len(np.arange(0, seconds - 1e-9, 1 / 15))
    assert len(parts) == played + hold
    assert len(whole) - len(parts) in ((0, 1) if float(seconds * 15).is_integer() else (0,))
    # Every frame of the beat, and the hold after it (the end state), are the same.
    pairs = [*zip(whole[:played], parts[:played], strict=True),
             *zip(whole[-hold:], parts[-hold:], strict=True)]
    for k, (a, b) in enumerate(pairs):
        np.testing.assert_array_equal(a, b, err_msg=f"frame {k}")
    names = [b.name for b in parts_script.beats]
    assert names.count("move") == len(window_bounds(seconds))
    assert parts_script.seconds_of("move") == pytest.approx(seconds, abs=1e-5)
    # The probe: a different motion is seen.
    moved, _ = frames_of(True, seconds, linear if rate_func is smooth_rate else smooth_rate)
    assert any(not np.array_equal(a, b) for a, b in zip(whole, moved, strict=False))


def test_window_bounds_cover_the_beat_on_whole_seconds():
    bounds = window_bounds(8.8)
    starts = [a for a, _ in bounds]
    assert starts == [0.0, 2.0, 4.0, 6.0]  # 8.0 would leave a 0.8 s sliver: the last runs 2.8 s
    assert bounds[-1][0] + bounds[-1][1] == pytest.approx(8.8)
    for seconds in (8.8, 9.0, 12.0, 20.37):
        bounds = window_bounds(seconds)
        for fps in (2, 5, 15, 24, 30, 60):
            frames = [len(np.arange(0, run, 1 / fps)) for _, run in bounds]
            assert frames[:-1] == [WINDOW_SECONDS * fps] * (len(bounds) - 1)
            # The frames at t < seconds, one per 1/fps.
            assert sum(frames) == int(np.ceil(seconds * fps - 1e-6)), (seconds, fps)
    assert len(window_bounds(1.5)) == 1


def end_state_when_skipped(windowed: bool, seconds: float) -> float:
    """What an updater reading a tracker saw last, after the beat played skipped (as a dry
    run does, or a parallel part for everything before ``-n FROM``)."""
    seen: list[float] = []

    class Skipped(PlannedScene2D):
        def construct(self):
            clock = ValueTracker(0.0)
            reader = Dot()
            reader.add_updater(lambda _m: seen.append(clock.get_value()))
            self.add(reader)
            self.beat("move", seconds, UpdateFromAlphaFunc(clock, lambda m, a: m.set_value(a)),
                      rate_func=linear, windowed=windowed)
            reader.clear_updaters()

    with tempconfig({**TINY, "from_animation_number": 10**6, "write_to_movie": False}):
        Skipped().render()
    return seen[-1]


@pytest.mark.parametrize("seconds", [2.0, 7.0, 19.0])
def test_a_skipped_windowed_beat_leaves_its_updaters_at_the_end(seconds):
    # The roll's readout is such an updater: it showed the step before the last (37 of 38)
    # when the last window's end stopped WINDOW_SLACK short of the beat's end.
    assert end_state_when_skipped(False, seconds) == 1.0
    assert end_state_when_skipped(True, seconds) == 1.0
