"""ShadedBall: a camera-facing disc with a radial highlight that reads as a ball."""

from __future__ import annotations

from typing import Any, Self

import numpy as np
import numpy.typing as npt
from manim import (
    ORIGIN,
    WHITE,
    ManimColor,
    ParsableManimColor,
    VMobject,
)

from scenes.kit.render3d.shading import (
    DEFAULT_BALL_COLOR,
    DEFAULT_BALL_RADIUS,
    DEFAULT_BALL_SORT_OFFSET_RADII,
    FloatArray,
)


class ShadedBall(VMobject):
    """A cheap ball: a camera-facing disc with a radial highlight, at a 3D centre.

    Its points are three perpendicular diameters through the centre, so
    ``get_center()`` is the 3D centre, ``move_to``/``shift`` move it and
    ``scale`` changes its radius. :class:`FastThreeDCamera` draws it as one
    radially shaded disc whose spot faces the camera's light source, sorted at
    the depth of its centre plus :meth:`get_sort_depth_offset`.

    Parameters
    ----------
    center
        3D centre in scene coordinates.
    radius
        Radius in scene units (perspective applies on screen).
    color
        Base colour.
    fill_opacity
        Opacity.
    highlight_color
        Colour the specular spot is pushed towards.
    sort_depth_offset
        Extra depth added to the centre's depth for sorting against mesh faces;
        ``None`` uses ``DEFAULT_BALL_SORT_OFFSET_RADII`` radii. The default keeps a
        ball resting on a surface (centre lifted by its radius along the normal)
        above the faces under it while a hill in front still hides it.
    **kwargs
        Passed to :class:`~manim.VMobject`.
    """

    def __init__(
        self,
        center: npt.ArrayLike = ORIGIN,
        radius: float = DEFAULT_BALL_RADIUS,
        color: ParsableManimColor = DEFAULT_BALL_COLOR,
        fill_opacity: float = 1.0,
        highlight_color: ParsableManimColor = WHITE,
        sort_depth_offset: float | None = None,
        **kwargs: Any,
    ) -> None:
        self._init_center = np.array(center, dtype=float)
        self._init_radius = float(radius)
        self.highlight_rgb = ManimColor.parse(highlight_color).to_rgb()
        self.sort_depth_offset_override = sort_depth_offset
        super().__init__(
            fill_color=color,
            fill_opacity=fill_opacity,
            stroke_width=0,
            shade_in_3d=True,
            **kwargs,
        )

    def generate_points(self) -> Self:
        """Three straight diameters (one cubic each) along x, y and z."""
        center, radius = self._init_center, self._init_radius
        fractions = np.linspace(-1.0, 1.0, self.n_points_per_cubic_curve)
        self.points = np.concatenate(
            [center + radius * fractions[:, None] * axis for axis in np.eye(3)]
        )
        return self

    def get_radius(self) -> float:
        """Radius: half the longest of the three diameters."""
        n = self.n_points_per_cubic_curve
        ends = self.points.reshape(-1, n, 3)
        return 0.5 * float(np.max(np.linalg.norm(ends[:, -1] - ends[:, 0], axis=1)))

    def get_sort_depth_offset(self) -> float:
        """Depth added to the centre's depth when sorting against other 3D objects."""
        if self.sort_depth_offset_override is not None:
            return float(self.sort_depth_offset_override)
        return DEFAULT_BALL_SORT_OFFSET_RADII * self.get_radius()

    def get_z_index_reference_point(self) -> FloatArray:
        """The centre (also what stock ``ThreeDCamera`` sorts by)."""
        return self.get_center()


# ---------------------------------------------------------------------------------
# Camera and scene
# ---------------------------------------------------------------------------------
