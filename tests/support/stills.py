"""Pose a story scene without animating it, and render one frame (tests only).

`pose_roll` and `pose_map` set a scene as it is at a moment of the roll or on the finished map,
from the scene's own build steps; `render_still` draws one frame of a posed scene.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import Scene

from scenes.kit.descent_study import DEG
from scenes.kit.story2d import MapScene


def render_still(
    scene_cls: type[Scene], pose: Callable[[Scene], None], width: int, height: int,
) -> tuple[np.ndarray, Scene]:
    """Render one posed frame without writing a video (for tests and README stills).

    Parameters
    ----------
    scene_cls : type
        A `StoryScene` or `MapScene` subclass.
    pose : callable
        Sets the scene up, e.g. ``lambda s: pose_roll(s, 3.0)``.
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


def pose_roll(scene: Scene, tau: float) -> None:
    """Set a 3D story scene as it is at time τ of the roll."""
    scene.build_valley()
    scene.add(scene.axes, scene.labels3d, scene.surface, scene.trail, scene.cross, scene.ball,
              scene.hud, scene.data_panel, scene.loss_curve)
    scene.build_gradient_arrows()
    scene.add(*scene.grad_arrows)
    phi, theta = scene.timeline.camera_at(tau)
    scene.set_camera_orientation(phi=phi * DEG, theta=theta * DEG)
    if hasattr(scene, "frame_roll"):
        # The zoom and place on screen too: on stacked frames they follow the roll.
        scene.frame_roll(tau)
    scene.show_roll_state(tau)


def pose_map(scene: Scene) -> None:
    """Set a story scene on its finished map: arrows and right angles (3D: seen from above).

    As the animation leaves it (tests/test_scene_geometry.py compares the two): the last
    right angle's arrow highlighted, the level lines before it dimmed.
    """
    if isinstance(scene, MapScene):
        scene.build_path()
        scene.build_map()
        scene.add(scene.axes, scene.map_labels, scene.contours, scene.arrows,
                  *scene.right_angles)
        finish_right_angles(scene)
        return
    pose_roll(scene, scene.timeline.duration)
    # As in the video: the ball and the ✕ stay in the top view.
    scene.remove(scene.surface, scene.trail, scene.labels3d[2], *scene.grad_arrows)
    camera = scene.settings.camera
    scene.set_camera_orientation(phi=camera.top_phi * DEG, theta=camera.top_theta * DEG,
                                 focal_distance=camera.top_focal_distance,
                                 zoom=scene.top_zoom())
    scene.labels3d[0].move_to(scene.w_label_on_map())
    scene.add(scene.map_numbers)
    scene.build_map()
    scene.add(scene.contours, scene.arrows, *scene.right_angles)
    finish_right_angles(scene)


def finish_right_angles(scene: Scene) -> None:
    """The styles `show_right_angles` leaves: the last step highlighted, earlier lines dimmed."""
    colors = scene.settings.colors
    if not scene.right_angles:  # none drawn (a stretched view, a path that leaves at once)
        return
    *earlier, last = scene.right_angles
    for ra in earlier:
        ra.level_line.set_stroke(opacity=colors.dim_opacity)
    last.arrow.set_color(colors.highlight)
