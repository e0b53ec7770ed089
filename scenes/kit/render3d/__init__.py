"""Fast Cairo rendering of large shaded quad meshes in 3D scenes.

Manim's stock :class:`~manim.Surface` is a group of one :class:`~manim.VMobject`
per face, so every frame pays per-face Python costs: shading, a Cairo gradient
for fill and stroke, a bounding box for depth sorting and Bézier path building.
At 64 × 64 faces that is close to a second per 1080p frame.

This package draws a whole quad mesh in one vectorized pass instead:

* :class:`FastSurface` holds the mesh as one vertex grid (its ``points``), one
  RGB colour per face, and the usual fill/stroke style, so that moving it,
  fading it and animating its opacity work as for any mobject;
* :class:`FastThreeDCamera` projects all vertices with the same maths as
  :meth:`~manim.ThreeDCamera.project_points`, shades all faces with the same
  lighting model as manim's Cairo 3D shading, sorts faces with one
  ``argsort``, merges that order with the depth order of the other 3D
  mobjects (ball, path, dots...) and fills each face with a solid colour;
  every other plain :class:`~manim.VMobject` of the frame (path pieces, axes,
  text, level lines) is projected, 3D-shaded and sorted in one numpy pass too
  and then drawn with the same Cairo calls as ``Camera.display_vectorized``,
  so the pixels are manim's (see :func:`is_plain_vmobject`);
* :class:`ShadedBall` is a camera-facing disc with a radial highlight that
  reads as a ball but costs one Cairo fill;
* :class:`FastThreeDScene` is a :class:`~manim.ThreeDScene` using that camera
  (it also keeps the scene's long-lived objects out of the cyclic garbage
  collector and the camera's rotation matrix current for manim's cache).

Typical use::

    class Valley(FastThreeDScene):
        def construct(self):
            grid = axes.c2p(W, B, loss(W, B))  # shape (nb, nw, 3), scene coords
            surface = FastSurface(grid, face_colors=colors)  # (nb-1, nw-1, 3)
            ball = ShadedBall(center=grid[5, 5], radius=0.12)
            self.add(surface, ball)
"""

from scenes.kit.render3d.ball import ShadedBall
from scenes.kit.render3d.camera import FastThreeDCamera, FastThreeDScene
from scenes.kit.render3d.numbers import FastDecimalNumber, share_parsed_svg_paths
from scenes.kit.render3d.shading import (
    face_light,
    project_points_fast,
    set_sort_depth_offset,
    unit_normals,
)
from scenes.kit.render3d.surface import FastSurface

share_parsed_svg_paths()

__all__ = [
    "FastDecimalNumber",
    "FastSurface",
    "FastThreeDCamera",
    "FastThreeDScene",
    "ShadedBall",
    "face_light",
    "project_points_fast",
    "set_sort_depth_offset",
    "unit_normals",
]
