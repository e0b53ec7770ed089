"""Render one posed frame of a scene without writing a video (tests and README stills)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import (
    Scene,
)


def render_still(
    scene_cls: type[Scene], pose: Callable[[Scene], None], width: int, height: int,
) -> tuple[np.ndarray, Scene]:
    """Render one posed frame without writing a video (for tests and README stills).

    Parameters
    ----------
    scene_cls : type
        A `StoryScene` or `MapScene` subclass.
    pose : callable
        Sets the scene up, e.g. ``lambda s: s.pose_roll(3.0)``.
    width, height : int
        Pixel size.

    Returns
    -------
    (ndarray, Scene)
        The RGB frame, shape (height, width, 3), and the posed scene (its camera is the one that
        drew the frame).
    """
    from manim import tempconfig

    with tempconfig({"pixel_width": width, "pixel_height": height, "write_to_movie": False,
                     "disable_caching": True, "save_last_frame": False, "renderer": "cairo"}):
        scene = scene_cls()
        scene.setup()
        pose(scene)
        scene.update_mobjects(0)
        scene.update_self(0)
        scene.renderer.update_frame(scene, ignore_skipping=True)
        frame = np.array(scene.renderer.get_frame())[:, :, :3]
    return frame, scene
