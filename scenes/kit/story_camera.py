"""The main video's camera moves as functions of time: eased, short-way, inside an elevation range.

The camera of `scenes.descent` moves three times, each between two rests: `free_b` tilts it from
the side view of the slice down to the valley while the surface grows, the roll orbits it
(`RollTimeline.camera_at`), and the rise lifts it to the map from above. Between the moves it
stands still, so every move starts and ends at rest: `ease_camera` (quintic smootherstep) has zero
velocity and zero acceleration at both ends, where manim's ``smooth`` starts and stops with a
small jump of speed. `camera_moves` gives the moves of a study as functions of the beat's
progress, for the scene and for the tests that sample the camera at every frame.

While the 3D surface is on screen, the elevation φ (from the vertical) stays inside
``[Camera.min_phi, Camera.max_phi]``, where the surface is never seen edge-on: only the side view of
the slice (no surface yet, `free_b` grows it only once φ is in range) and the rise to the map leave
it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scenes.kit.descent_study import DescentStudy, RollTimeline
    from scenes.kit.settings.seed import SeedSettings

__all__ = ["CameraMove", "camera_moves", "ease_camera", "free_b_growth", "roll_zoom_curve",
           "short_turn"]

#: Poses per unit of progress tabled to invert the ease (`free_b_growth`).
EASE_TABLE = 2001


def ease_camera(alpha: float) -> float:
    """Quintic smootherstep: 0 → 1 with zero velocity and acceleration at both ends."""
    alpha = float(np.clip(alpha, 0.0, 1.0))
    return alpha * alpha * alpha * (alpha * (6.0 * alpha - 15.0) + 10.0)


def short_turn(start: float, end: float) -> float:
    """The azimuth turn (degrees) from `start` to `end` the short way round, in [−180, 180)."""
    return float((end - start + 180.0) % 360.0 - 180.0)


@dataclass(frozen=True)
class CameraMove:
    """One camera move: the beat that plays it, its length and its pose at each progress α.

    ``pose(alpha)`` is (φ, θ) in degrees; ``surface(alpha)`` says whether the 3D surface (beyond
    the slice) is on screen then, so that φ must be inside the elevation range.
    """

    beat: str
    seconds: float
    pose: Callable[[float], tuple[float, float]]
    surface: Callable[[float], bool]


def free_b_growth(alpha: float, slice_phi: float, valley_phi: float, max_phi: float) -> float:
    """How far the surface has grown out of the slice at progress α of `free_b` (0 to 1).

    The camera tilts from `slice_phi` to `valley_phi` over the whole beat; the surface grows
    (eased) only once the tilt has brought φ down to `max_phi`, so it is never seen edge-on.
    """
    if slice_phi <= max_phi or valley_phi >= max_phi:
        start = 0.0
    else:
        table = np.linspace(0.0, 1.0, EASE_TABLE)
        eased = np.array([ease_camera(value) for value in table])
        start = float(np.interp((max_phi - slice_phi) / (valley_phi - slice_phi), eased, table))
    if alpha <= start:
        return 0.0
    return ease_camera((alpha - start) / (1.0 - start))


def camera_moves(study: DescentStudy, timeline: RollTimeline,
                 seed: SeedSettings) -> list[CameraMove]:
    """The camera's three moves in the main video of `study`: free_b, the roll and the rise."""
    camera, durations = study.settings.camera, study.settings.durations
    slice_pose = (seed.slice_phi, seed.slice_theta)
    valley_pose = timeline.camera_at(0.0)
    roll_end = timeline.camera_at(timeline.duration)
    free_turn = short_turn(slice_pose[1], valley_pose[1])
    rise_turn = short_turn(roll_end[1], camera.top_theta)

    def tilt(alpha: float) -> tuple[float, float]:
        # It ends on the roll's first azimuth exactly (it starts on the slice's, a turn away).
        eased = ease_camera(alpha)
        return (slice_pose[0] + eased * (valley_pose[0] - slice_pose[0]),
                valley_pose[1] + (eased - 1.0) * free_turn)

    def rise(alpha: float) -> tuple[float, float]:
        eased = ease_camera(alpha)
        return (roll_end[0] + eased * (camera.top_phi - roll_end[0]),
                roll_end[1] + eased * rise_turn)

    def grown(alpha: float) -> bool:
        return free_b_growth(alpha, slice_pose[0], valley_pose[0], camera.max_phi) > 0.0

    return [
        CameraMove("free_b", seed.free_b, tilt, grown),
        CameraMove("roll", timeline.duration,
                   lambda alpha: timeline.camera_at(alpha * timeline.duration),
                   lambda _alpha: True),
        # Rising to the map from above, the surface fades out: the one move that leaves the range.
        CameraMove("rise", durations.rise, rise, lambda _alpha: False),
    ]


def roll_zoom_curve(progress: np.ndarray, fills: np.ndarray, sizes: np.ndarray, degree: int,
                    margin: float) -> np.polynomial.Polynomial:
    """A smooth factor on the camera's zoom over the roll, as a polynomial of its eased progress.

    `fills` is the factor that would make the view fill its room at the poses sampled at
    `progress` (the orbit's eased progress, 0 to 1; 1 is the zoom the whole sweep fits at),
    `sizes` the surface's size on screen there at factor 1 (the square root of its bounding
    box's area). Of the polynomials of `degree` that stay at most ``max(1, margin · fill)`` at
    every sample (the view stays in its room), the one that makes the smallest size the largest
    (then the largest on average): a linear programme. The surface's share of the frame is then
    as large and as steady as one smooth curve can keep it. As a function of progress, not of
    time, the zoom starts and stops at rest with the orbit (`ease_camera`).

    Parameters
    ----------
    progress : ndarray
        Eased progress of the sampled poses, in [0, 1].
    fills : ndarray
        The filling factor at each of them (each ≥ 1 up to rounding).
    sizes : ndarray
        The surface's size on screen at each of them, at factor 1.
    degree : int
        Degree of the polynomial (0: one zoom for the whole roll).
    margin : float
        Share of each pose's filling factor the zoom may reach (room for the poses between).
    """
    from scipy.optimize import linprog

    progress, fills = np.asarray(progress, dtype=float), np.asarray(fills, dtype=float)
    sizes = np.asarray(sizes, dtype=float) / float(np.max(sizes))
    bound = np.maximum(1.0, margin * fills)
    powers = np.vander(progress, min(degree, len(progress) - 1) + 1, increasing=True)
    n, width = powers.shape
    # Variables: the coefficients, then the smallest size t. Maximise t (and, a little, the sum).
    cost = np.append(-powers.sum(axis=0) / (n * n), -1.0)
    rows = np.vstack([np.hstack([powers, np.zeros((n, 1))]),
                      np.hstack([-sizes[:, None] * powers, np.ones((n, 1))])])
    found = linprog(cost, A_ub=rows, b_ub=np.concatenate([bound, np.zeros(n)]),
                    bounds=[(None, None)] * width + [(0.0, None)], method="highs")
    if not found.success:
        return np.polynomial.Polynomial([1.0])
    return np.polynomial.Polynomial(found.x[:width])
