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

__all__ = ["CameraMove", "RollFraming", "camera_moves", "ease_camera", "free_b_growth",
           "roll_framing", "short_turn"]

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


@dataclass(frozen=True)
class RollFraming:
    """The camera's zoom and screen offset over the roll, as polynomials of its eased progress.

    As functions of the orbit's progress (`ease_camera` of time), not of time, they start and
    stop at rest with it.
    """

    zoom: np.polynomial.Polynomial
    offset_x: np.polynomial.Polynomial
    offset_y: np.polynomial.Polynomial

    def at_progress(self, progress: float) -> tuple[float, np.ndarray]:
        """(zoom, screen offset) at eased progress `progress`."""
        return (float(self.zoom(progress)),
                np.array([float(self.offset_x(progress)), float(self.offset_y(progress))]))

    @classmethod
    def still(cls, zoom: float, offset: np.ndarray) -> RollFraming:
        """One zoom and offset for the whole roll."""
        poly = np.polynomial.Polynomial
        return cls(poly([zoom]), poly([float(offset[0])]), poly([float(offset[1])]))


def roll_framing(progress: np.ndarray, extents: np.ndarray, sizes: np.ndarray,
                 box: tuple[float, float, float, float], rest: np.ndarray, degree: int,
                 margin: float, spread_weight: float) -> RollFraming | None:
    """The zoom and offset that keep the surface as large and as steady as its room allows.

    At each pose sampled at `progress` (the orbit's eased progress, 0 to 1), what must stay in
    view spans `extents` on screen at zoom 1 and no offset (x_min, x_max, y_min, y_max, shape
    (samples, 4)), and the surface has size `sizes` (the square root of its bounding box's area). A
    zoom z and offset o put it at ``o + z · extent``. Of the zoom and offset polynomials of
    `degree` that keep every sampled extent, widened about its centre by ``1 / margin`` (room
    for the poses between samples), inside `box` and start and end the roll at the offset
    `rest`, this is the one that makes the smallest surface the largest, less `spread_weight`
    times the gap from the smallest to the largest (a surface that changes size as little as
    it can): a linear programme (scipy's HiGHS). None if it has no solution.
    """
    from scipy.optimize import linprog

    progress = np.asarray(progress, dtype=float)
    ext = np.asarray(extents, dtype=float)
    mid = np.repeat(0.5 * (ext[:, 0::2] + ext[:, 1::2]), 2, axis=1)
    ext = mid + (ext - mid) / margin
    sizes = np.asarray(sizes, dtype=float) / float(np.max(sizes))
    powers = np.vander(progress, min(degree, len(progress) - 1) + 1, increasing=True)
    samples, terms = powers.shape
    zero = np.zeros((samples, terms))

    # Variables: zoom, offset x and offset y coefficients, then the smallest and the largest
    # size of the surface.
    def row(zoom: np.ndarray, off_x: np.ndarray, off_y: np.ndarray, least: float,
            most: float = 0.0) -> np.ndarray:
        return np.hstack([zoom, off_x, off_y, np.full((samples, 1), least),
                          np.full((samples, 1), most)])
    left, right, bottom, top = box
    rows = [row(-ext[:, [0]] * powers, -powers, zero, 0.0),
            row(ext[:, [1]] * powers, powers, zero, 0.0),
            row(-ext[:, [2]] * powers, zero, -powers, 0.0),
            row(ext[:, [3]] * powers, zero, powers, 0.0),
            row(-sizes[:, None] * powers, zero, zero, 1.0),
            row(sizes[:, None] * powers, zero, zero, 0.0, -1.0)]
    limits = [np.full(samples, limit) for limit in (-left, right, -bottom, top, 0.0, 0.0)]
    ends = np.vander(np.array([0.0, 1.0]), terms, increasing=True)
    none = np.zeros((2, terms))
    equal = np.vstack([np.hstack([none, ends, none, np.zeros((2, 2))]),
                       np.hstack([none, none, ends, np.zeros((2, 2))])])
    cost = np.concatenate([np.zeros(3 * terms), [-1.0 - spread_weight, spread_weight]])
    found = linprog(cost, A_ub=np.vstack(rows), b_ub=np.concatenate(limits), A_eq=equal,
                    b_eq=np.array([rest[0], rest[0], rest[1], rest[1]]),
                    bounds=[(None, None)] * (3 * terms) + [(0.0, None)] * 2, method="highs")
    if not found.success:
        return None
    zoom, off_x, off_y = (np.polynomial.Polynomial(found.x[k * terms:(k + 1) * terms])
                          for k in range(3))
    return RollFraming(zoom, off_x, off_y)
