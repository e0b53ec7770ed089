"""Run a planned scene's real ``construct`` up to a beat, and find that beat in a video (tests).

`run_to_beat` plays the scene in manim's skipping mode (every animation jumps to its end, as
`PlannedScene.script` does) and stops when the named beat is about to play: the scene is then
exactly as the video shows it during that beat if it is a hold. `hold_frame` is the index of the
middle frame of a beat in a video rendered at `fps`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping

import numpy as np
from manim import tempconfig

from scenes.kit.planned import Beat, Script

GDVIZ_ENV = ("GDVIZ_CONFIG", "GDVIZ_PRESET", "GDVIZ_LANG")


class _Stop(Exception):
    """Raised from the beat hook to leave ``construct`` at the wanted beat."""


@contextlib.contextmanager
def skipping_run(width: int, height: int, env: Mapping[str, str] | None) -> Iterator[None]:
    """Manim's skipping mode (no frame drawn) on a frame of `width` × `height` pixels, with only
    the GDVIZ_* variables in `env` set."""
    cfg = {"pixel_width": width, "pixel_height": height, "frame_height": 8.0,
           "frame_width": 8.0 * width / height, "dry_run": True, "disable_caching": True,
           "write_to_movie": False, "verbosity": "ERROR", "progress_bar": "none",
           "from_animation_number": 10**9, "renderer": "cairo"}
    saved = {k: os.environ.pop(k) for k in GDVIZ_ENV if k in os.environ}
    os.environ.update(env or {})
    try:
        with tempconfig(cfg):
            yield
    finally:
        for key in env or {}:
            os.environ.pop(key, None)
        os.environ.update(saved)


def run_to_beat(scene_cls: type, beat: str | None, width: int = 1920, height: int = 1080,
                env: Mapping[str, str] | None = None):
    """The scene after every beat before `beat`, built by its own ``construct``.

    Parameters
    ----------
    scene_cls : type
        A `PlannedScene` subclass.
    beat : str or None
        Name of the beat to stop before (it does not play); None plays the whole scene.
    width, height : int
        Pixel size of the frame (8 units high), as the video it is compared with.
    env : mapping, optional
        GDVIZ_* variables; none set otherwise.

    Returns
    -------
    Scene
        The scene; its camera is the one that draws that moment.
    """

    class Stopping(scene_cls):
        def on_beat(self, index: int, upcoming: Beat) -> None:
            super().on_beat(index, upcoming)
            if upcoming.name == beat:
                raise _Stop

    Stopping.__name__ = scene_cls.__name__
    with skipping_run(width, height, env):
        scene = Stopping()
        try:
            scene.render()
        except _Stop:
            pass
        else:
            if beat is not None:
                raise AssertionError(f"{scene_cls.__name__} plays no beat {beat!r}")
        scene.update_self(0)
        if hasattr(scene.camera, "reset_rotation_matrix"):
            scene.camera.reset_rotation_matrix()
    return scene


def hold_frame(script: Script, beat: str, fps: float) -> int:
    """Index of the middle frame of `beat` in a video of `script` rendered at `fps`."""
    names = [b.name for b in script.beats]
    i = names.index(beat)
    before = Script(script.beats[:i]).frames(fps)
    length = Script(script.beats[i:i + 1]).frames(fps)
    assert length > 0, f"beat {beat!r} has no frame at {fps} fps"
    return before + length // 2


def hex_rgb(color: str) -> np.ndarray:
    """'#rrggbb' as integers 0..255."""
    color = color.lstrip("#")
    return np.array([int(color[i:i + 2], 16) for i in (0, 2, 4)])


def pixel_of(camera, mobject, point) -> np.ndarray:
    """Sub-pixel (column, row) where `camera` draws the scene point `point` for `mobject`."""
    return camera.points_to_subpixel_coords(mobject, np.atleast_2d(point))[0]


def samples(frame: np.ndarray, center, radius: float, count: int = 24) -> np.ndarray:
    """RGB of `frame` at `count` points on the circle of `radius` pixels around `center`
    (the centre itself when `radius` is 0): the pixels they fall in (pixel (c, r) spans the
    sub-pixel square [c, c + 1) × [r, r + 1))."""
    angles = np.linspace(0.0, 2 * np.pi, count, endpoint=False)
    cols = np.floor(center[0] + radius * np.cos(angles)).astype(int)
    rows = np.floor(center[1] + radius * np.sin(angles)).astype(int)
    h, w = frame.shape[:2]
    assert (cols >= 0).all() and (cols < w).all() and (rows >= 0).all() and (rows < h).all(), (
        f"samples around {center} leave the frame")
    return frame[rows, cols].astype(int)


def colour_distance(rgb: np.ndarray, color: str) -> np.ndarray:
    """Euclidean distance (0..441) of each RGB row from `color`."""
    return np.linalg.norm(np.atleast_2d(rgb) - hex_rgb(color), axis=-1)


def nearest_in_block(frame: np.ndarray, point, color: str, half: int = 1) -> float:
    """Smallest distance from `color` among the pixels within `half` of the one `point` falls in.

    A line thinner than a pixel lands on one of two neighbours, as anti-aliasing decides.
    """
    col, row = (int(np.floor(v)) for v in point[:2])
    block = frame[max(row - half, 0):row + half + 1, max(col - half, 0):col + half + 1]
    return float(colour_distance(block.reshape(-1, 3).astype(int), color).min())


def sample_beats(scene_cls: type, beats, alphas, check, width: int = 854, height: int = 480,
                 env: Mapping[str, str] | None = None) -> dict[str, list]:
    """`check(scene, alpha)` at each of `alphas` through each beat named in `beats`.

    The scene runs as in `run_to_beat`; each named beat's animations begin as ``Scene.play``
    begins them and are interpolated to each alpha (the beat's time fraction) with the scene's
    updaters run, so a transient (a fade, a move, a rising camera) is posed as the video draws
    it. The beat then ends (its animations finished and cleaned up) and the scene goes on.

    Returns
    -------
    dict
        Beat name → what `check` returned, in the order of `alphas` (the first time a beat of
        that name plays).
    """
    wanted = set(beats)
    results: dict[str, list] = {}

    class Sampling(scene_cls):
        def beat(self, name, seconds, *animations, windowed=False, **kwargs):
            if name not in wanted or name in results:
                return super().beat(name, seconds, *animations, windowed=windowed, **kwargs)
            from manim.animation.animation import prepare_animation

            anims = [prepare_animation(anim) for anim in animations]
            for anim in anims:
                anim.run_time = seconds
                for key, value in kwargs.items():
                    setattr(anim, key, value)
            self.add_mobjects_from_animations(anims)
            for anim in anims:
                anim._setup_scene(self)
                anim.begin()
            found = results.setdefault(name, [])
            for alpha in alphas:
                for anim in anims:
                    anim.update_mobjects(0.0)
                    anim.interpolate(alpha)
                self.update_mobjects(0.0)
                if hasattr(self.camera, "reset_rotation_matrix"):
                    self.camera.reset_rotation_matrix()
                found.append(check(self, alpha))
            for anim in anims:
                anim.finish()
                anim.clean_up_from_scene(self)
            if len(results) == len(wanted):
                raise _Stop
            return None

    Sampling.__name__ = scene_cls.__name__
    with skipping_run(width, height, env), contextlib.suppress(_Stop):
        Sampling().render()
    missing = wanted - set(results)
    assert not missing, f"{scene_cls.__name__} plays no beat {sorted(missing)}"
    return results
