"""Trajectories drawn on a map or on the 3D valley, and the map axes of the lectures."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from manim import (
    Dot,
    VGroup,
    smooth,
)

import gdmath
from scenes.kit.axes import BoxAxes2D, scene_points
from scenes.kit.lecture_studies import segment_samples, window_mask
from scenes.kit.mobjects import SurfacePath, lifted_centers, make_ball
from scenes.kit.settings.lectures import MapStyle
from scenes.kit.settings.story import RGB
from scenes.kit.theme import Theme, hex_rgb


# =========================================================================== drawing
def surface_stops(theme: Theme) -> tuple[RGB, ...]:
    """The theme's surface colour map as RGB stops for `ContourSet` and `make_surface`."""
    return tuple(hex_rgb(hex_color) for hex_color in theme.surface)


def eased_steps(step: float) -> float:
    """Fractional step with an eased start and stop within each step (the ball pauses a beat)."""
    k = math.floor(step)
    return k + smooth(step - k)


class PathOnMap(VGroup):
    """A trajectory on a 2D map: its trail revealed step by step and a ball at its head.

    Once the path leaves the map's window it is not drawn again, and the ball stops at the edge
    and fades out (a diverging run leaves the view gracefully).

    Parameters
    ----------
    axes : BoxAxes2D
        The map.
    points : ndarray, shape (k + 1, 2)
        The iterates (from gdmath).
    scenario : gdmath.Scenario
        Its window clips the path.
    color : str
        Trail and ball colour.
    style : MapStyle
        Widths, radius, samples per step.
    width, radius : float, optional
        Trail width and ball radius instead of the style's.
    stop_at_exit : bool
        True: nothing after the first exit from the window is drawn. False: every part inside
        the window is drawn (a zoomed inset whose window does not hold the start).
    """

    def __init__(self, axes: BoxAxes2D, points: np.ndarray, scenario: gdmath.Scenario,
                 color: str, style: MapStyle, *, width: float | None = None,
                 radius: float | None = None, stop_at_exit: bool = True) -> None:
        self.n = style.samples_per_step
        self.n_steps = len(points) - 1
        samples = segment_samples(points, self.n)
        self.inside = window_mask(samples, scenario)
        out = np.flatnonzero(~self.inside)
        self.stop_at_exit = stop_at_exit
        self.exit_index = int(out[0]) if out.size and stop_at_exit else len(samples)
        drawn = np.arange(len(samples)) < self.exit_index if stop_at_exit else self.inside
        self.scene_samples = scene_points(axes, samples[:, 0], samples[:, 1])
        self.trail = SurfacePath(self.scene_samples, drawn, style.trail_chunk, color,
                                 style.trail_width if width is None else width, 0.0)
        self.ball = Dot(self.scene_samples[0], color=color,
                        radius=style.ball_radius if radius is None else radius)
        self.fade_samples = max(style.exit_fade_steps * self.n, 1.0)
        super().__init__(self.trail, self.ball)
        self.show_at(0.0)

    @property
    def exit_step(self) -> float | None:
        """Fractional step at which the path leaves the window, or None if it never does."""
        return None if self.exit_index >= len(self.scene_samples) else self.exit_index / self.n

    def show_at(self, step: float) -> PathOnMap:
        """Show the path up to fractional step `step` (iterate t at step = t)."""
        k = int(np.clip(round(step * self.n), 0, len(self.scene_samples) - 1))
        # Without stop_at_exit, exit_index is past the end: every sample is reachable.
        visible = min(k, self.exit_index - 1)
        self.trail.show_until(visible + 1)
        self.ball.move_to(self.scene_samples[max(visible, 0)])
        if not self.stop_at_exit:
            opacity = 1.0 if self.inside[k] else 0.0
        elif k < self.exit_index:
            opacity = 1.0
        else:
            opacity = max(0.0, 1.0 - (k - self.exit_index) / self.fade_samples)
        self.ball.set_fill(opacity=opacity)
        return self


class PathOnValley(VGroup):
    """A trajectory on the 3D valley: a trail on the surface and a shaded ball rolling on it.

    Parameters
    ----------
    axes : BoxAxes
        The 3D axes of the valley.
    samples, gradients : ndarray
        From `surface_samples`: (w, b, l) along the steps and ∇l there.
    inside : ndarray of bool
        Samples that may be drawn (in the window and under the top of the l axis).
    samples_per_step : int
        Rows per step in `samples`.
    color : str
        Trail and ball colour.
    radius, width : float
        Ball radius and trail width.
    chunk : int
        Trail samples per depth-sorted piece.
    depth_offset : float
        Sort bias of the trail; the ball gets twice its radius more.
    """

    def __init__(self, axes: Any, samples: np.ndarray, gradients: np.ndarray,
                 inside: np.ndarray, samples_per_step: int, color: str, radius: float,
                 width: float, chunk: int, depth_offset: float) -> None:
        self.n = samples_per_step
        self.inside = inside
        safe = np.where(inside[:, None], samples, samples[0])
        g = np.where(inside[:, None], gradients, gradients[0])
        self.centers = lifted_centers(axes, safe[:, 0], safe[:, 1], safe[:, 2], g[:, 0],
                                      g[:, 1], radius)
        self.trail = SurfacePath(scene_points(axes, safe[:, 0], safe[:, 1], safe[:, 2]), inside,
                                 chunk, color, width, depth_offset)
        self.ball = make_ball(self.centers[0], radius, color, depth_offset + 2 * radius)
        super().__init__(self.trail, self.ball)
        self.show_at(0.0)

    def show_at(self, step: float) -> PathOnValley:
        """Show the path up to fractional step `step`."""
        k = int(np.clip(round(step * self.n), 0, len(self.centers) - 1))
        self.trail.show_until(k + 1)
        self.ball.move_to(self.centers[k])
        self.ball.set_fill(opacity=1.0 if self.inside[k] else 0.0)
        return self
