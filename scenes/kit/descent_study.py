"""What the main video draws, computed once from a config: the study and the roll's timeline."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
from manim import (
    Mobject,
    smooth,
)

import gdmath
from gdmath.landscape import NO_FINITE_MINIMUM, UNDERDETERMINED
from scenes.kit.axes import BoxAxes, scene_points, scene_to_coords, tick_step
from scenes.kit.env import VideoConfig
from scenes.kit.labels import labels_for
from scenes.kit.labels.fields import StoryLabels
from scenes.kit.layout import Extent
from scenes.kit.mobjects import lifted_centers
from scenes.kit.settings.story import SETTINGS, Settings
from scenes.kit.story_camera import ease_camera, short_turn

DEG = np.pi / 180
#: The (w, b) box is drawn at most this many times longer than wide. A window whose ranges differ
#: more (an ill-conditioned valley: w spans 3, b spans 200) gets its short side stretched, and
#: the video says that the axes are not to scale.
MAX_ASPECT = 2.5
#: ... but only a window this many times longer than wide: a slightly long box stays to scale,
#: with its right angles.
STRETCH_FROM = 4.0




def scaled_extent(extent: Extent, factor: float) -> Extent:
    """A screen extent seen through a zoom `factor` times larger (zoom scales about 0)."""
    left, right, bottom, top = extent
    return (left * factor, right * factor, bottom * factor, top * factor)



# --------------------------------------------------------------------------- the study
@dataclass
class DescentStudy:
    """Everything the scenes draw, computed once from a config.

    Parameters
    ----------
    cfg : VideoConfig
        Problem, start, η, view window and language.
    settings : Settings
        Tunables.
    """

    cfg: VideoConfig
    settings: Settings = field(default_factory=lambda: SETTINGS)

    def __post_init__(self) -> None:
        mesh = self.settings.mesh
        n = max(self.traj.n_steps, 1)
        per_step = max(mesh.min_samples_per_step,
                       min(mesh.samples_per_step, mesh.sample_budget // n))
        if per_step != mesh.samples_per_step:
            self.settings = replace(self.settings, mesh=replace(mesh, samples_per_step=per_step))

    @property
    def scenario(self) -> gdmath.Scenario:
        """The problem and its view."""
        return self.cfg.scenario

    @property
    def labels(self) -> StoryLabels:
        """Prose in the configured language."""
        return labels_for(self.cfg.language).story

    @property
    def traj(self) -> gdmath.Trajectory:
        """The descent path."""
        return self.scenario.trajectory

    @property
    def problem(self) -> gdmath.Problem:
        """Data and model."""
        return self.scenario.problem

    @cached_property
    def surface(self) -> gdmath.LossSurface:
        """The mesh grid."""
        return self.scenario.surface(self.settings.mesh.surface_resolution)

    @cached_property
    def surface_mesh(self) -> gdmath.SurfaceMesh:
        """The mesh drawn: refined where the loss changes fast, cut at the top of the l axis."""
        scenario, mesh = self.scenario, self.settings.mesh
        return gdmath.surface_mesh(scenario.problem, scenario.w_range, scenario.b_range,
                                   mesh.drawn_resolution, ceiling=self.l_range[1],
                                   refine=mesh.surface_refine)

    @cached_property
    def contour_surface(self) -> gdmath.LossSurface:
        """A finer grid for level lines (their tangents are measured on screen)."""
        return self.scenario.surface(self.settings.mesh.contour_resolution)

    @cached_property
    def l_range(self) -> tuple[float, float]:
        """The l axis: from the floor to a quantile of the surface or just above the path.

        The quantile keeps the corners from flattening the valley; the path's highest point
        (inside the view) raises the top so that the ball and the trail, which sit on the true
        loss, never leave the box while they are over the (w, b) window. A diverging path that
        leaves the window is clipped there (see `inside`).
        """
        mesh = self.settings.mesh
        L = self.contour_surface.L
        lo = float(L.min())
        hi = float(np.quantile(L, mesh.loss_quantile))
        inside = self._in_window(self.traj.w, self.traj.b)
        if inside.any():
            # Iterates inside the (w, b) window are at most as high as the window's highest
            # point, so a diverging run raises the top no further than the surface itself.
            hi = max(hi, lo + mesh.loss_headroom * (float(self.traj.loss[inside].max()) - lo))
        top = float(L.max())
        if top - lo <= mesh.cap_slack * (hi - lo):
            # Not much higher: show the whole surface rather than a flat lid on the corners.
            hi = top
        pad = 0.02 * (hi - lo)
        return lo - pad, hi

    def _in_window(self, w: np.ndarray, b: np.ndarray) -> np.ndarray:
        (w0, w1), (b0, b1) = self.scenario.w_range, self.scenario.b_range
        return (w >= w0) & (w <= w1) & (b >= b0) & (b <= b1)

    @cached_property
    def axes(self) -> BoxAxes:
        """3D axes with one screen length per unit of w and of b, centred on the origin."""
        return self.make_axes()

    @cached_property
    def units(self) -> tuple[float, float]:
        """Scene units per unit of w and of b (equal unless the window is too narrow)."""
        side = self.settings.sizes.plane_side
        spans = np.array([np.ptp(self.scenario.w_range), np.ptp(self.scenario.b_range)])
        if spans.max() <= STRETCH_FROM * spans.min():
            return side / spans.max(), side / spans.max()
        lengths = side * np.maximum(spans / spans.max(), 1.0 / MAX_ASPECT)
        return float(lengths[0] / spans[0]), float(lengths[1] / spans[1])

    @cached_property
    def stretch(self) -> float:
        """How many times the short side is stretched (1: equal units, right angles true)."""
        unit_w, unit_b = self.units
        return max(unit_w, unit_b) / min(unit_w, unit_b)

    @property
    def to_scale(self) -> bool:
        """Equal units on w and b: a right angle in (w, b) is a right angle on screen."""
        return self.stretch < 1.0 + 1e-9

    @cached_property
    def perpendicular_caption(self) -> str:
        """The caption of the steps on the map: the right angles, or why they are not shown."""
        if self.to_scale:
            return self.labels.perpendicular
        axis = "w" if self.units[0] > self.units[1] else "b"
        words = self.labels.not_to_scale.format(axis=axis, factor=f"{self.stretch:.3g}")
        # A long window alone is no narrow valley: say so only when the Hessian is.
        narrow = "ill-conditioned" in self.scenario.diagnosis.codes
        return words + (self.labels.narrow if narrow else "")

    def make_axes(self) -> BoxAxes:
        """A fresh copy of the scene axes (tests build their own)."""
        sizes = self.settings.sizes
        (w0, w1), (b0, b1) = self.scenario.w_range, self.scenario.b_range
        l_low, l_high = self.l_range
        unit_w, unit_b = self.units
        axes = BoxAxes(
            x_range=(w0, w1, tick_step(w1 - w0)),
            y_range=(b0, b1, tick_step(b1 - b0)),
            z_range=(l_low, l_high, tick_step(l_high - l_low)),
            x_length=unit_w * (w1 - w0), y_length=unit_b * (b1 - b0), z_length=sizes.loss_height,
            axis_config={"color": self.settings.colors.axes, "include_tip": False},
        )
        axes.shift(-scene_points(axes, (w0 + w1) / 2, (b0 + b1) / 2, (l_low + l_high) / 2))
        return axes

    # ---------------------------------------------------------------- the path
    @cached_property
    def samples(self) -> np.ndarray:
        """(w, b, l) along every step, `samples_per_step` per step, iterates included.

        Row ``t * samples_per_step`` is iterate t exactly.
        """
        traj, n = self.traj, self.settings.mesh.samples_per_step
        if traj.n_steps == 0:
            return np.array([[traj.w[0], traj.b[0], traj.loss[0]]])
        pieces = [
            self.problem.loss_along(traj.w[i], traj.b[i], traj.w[i + 1], traj.b[i + 1], n + 1)[:-1]
            for i in range(traj.n_steps)
        ]
        pieces.append(np.array([[traj.w[-1], traj.b[-1], traj.loss[-1]]]))
        with np.errstate(over="ignore", invalid="ignore"):
            out = np.vstack(pieces)
        return out

    @cached_property
    def sample_gradients(self) -> np.ndarray:
        """Exact (∂l/∂w, ∂l/∂b) at every sample, shape (k, 2)."""
        with np.errstate(over="ignore", invalid="ignore"):
            gw, gb = self.problem.gradient(self.samples[:, 0], self.samples[:, 1])
        return np.column_stack([gw, gb])

    @cached_property
    def inside(self) -> np.ndarray:
        """Samples inside the axes box (the rest is clipped from view)."""
        w, b, l = self.samples.T  # noqa: E741
        valid = (np.isfinite(self.samples).all(axis=1)
                 & np.isfinite(self.sample_gradients).all(axis=1))
        return valid & self._in_window(w, b) & (l <= self.l_range[1])

    @cached_property
    def ball_centers(self) -> np.ndarray:
        """Ball centre at every sample: on the surface, lifted by the radius along the normal."""
        radius = self.settings.sizes.ball_radius
        w, b, l = np.where(self.inside[:, None], self.samples, self.samples[0]).T  # noqa: E741
        g = np.where(self.inside[:, None], self.sample_gradients, self.sample_gradients[0])
        return lifted_centers(self.axes, w, b, l, g[:, 0], g[:, 1], radius)

    @cached_property
    def trail_points(self) -> np.ndarray:
        """Scene points of the samples (on the surface itself)."""
        safe = np.where(self.inside[:, None], self.samples, self.samples[0])
        return scene_points(self.axes, safe[:, 0], safe[:, 1], safe[:, 2])

    @cached_property
    def orbit(self) -> tuple[float, float]:
        """(θ₀, sweep) in degrees of the roll's orbit: the one whose view the surface blocks least.

        A fixed azimuth suits one valley and looks over a wall of the next, hiding the ball and
        the trail. For every candidate start (turns of the preferred `valley_theta` by
        `orbit_search_step`) and both directions of the sweep, rays from the ball towards the
        eye are marched over the roll; a ray sample under the drawn surface (the loss, capped at
        the top of the l axis) counts as blocked. Each degree the camera must still turn while
        rising to the map costs `orbit_spin_cost` blocked samples; ties go to the candidate
        nearest the preferred azimuth.
        """
        camera = self.settings.camera
        offsets = np.arange(0.0, 360.0, camera.orbit_search_step)
        offsets = np.where(offsets > 180.0, offsets - 360.0, offsets)
        sweep = abs(camera.orbit_sweep)
        best = None
        for sign in (np.sign(camera.orbit_sweep) or 1.0, -(np.sign(camera.orbit_sweep) or 1.0)):
            for off in offsets:
                theta0 = camera.valley_theta + off
                end = theta0 + sign * sweep
                spin = abs(rise_turn(end, camera.top_theta))
                if spin > camera.max_rise_turn:
                    continue
                score = (self._blocked_view(theta0, sign * sweep) + camera.orbit_spin_cost * spin,
                         abs(off))
                if best is None or score < best[0]:
                    best = (score, (float(theta0), float(sign * sweep)))
        return best[1]

    def _blocked_view(self, theta0: float, sweep: float) -> int:
        """How many ray samples towards the eye lie under the surface, over the roll.

        Rays start at the ball and at points of the trail behind it (lifted like the ball, so a
        trail on a slope facing away from the eye counts as hidden).
        """
        camera, mesh = self.settings.camera, self.settings.mesh
        timeline = RollTimeline.build(self, orbit=(theta0, sweep))
        taus = np.linspace(0.0, timeline.duration, mesh.orbit_probe_times)
        origins, eyes = [], []
        for tau in taus:
            phi, theta = np.radians(timeline.camera_at(tau))
            # Eye in scene coordinates: the rotated frame's +z axis, focal distance away.
            eye = camera.focal_distance * np.array([np.sin(phi) * np.cos(theta),
                                                    np.sin(phi) * np.sin(theta), np.cos(phi)])
            now = self.sample_index(timeline.progress(tau))
            picks = np.unique(np.linspace(0, now, mesh.orbit_probe_trail).round().astype(int))
            origins.append(self.ball_centers[picks])
            eyes.append(np.broadcast_to(eye, (picks.size, 3)))
        origin, eye = np.vstack(origins), np.vstack(eyes)
        toward = (eye - origin) / np.linalg.norm(eye - origin, axis=1, keepdims=True)
        start = origin + self.settings.sizes.ball_radius * toward
        frac = np.linspace(0.0, 1.0, mesh.orbit_probe_samples)[1:, None, None]
        ray = start[None] + frac * (eye - start)[None]
        wbl = scene_to_coords(self.axes, ray.reshape(-1, 3))
        inside = self._in_window(wbl[:, 0], wbl[:, 1])
        with np.errstate(over="ignore", invalid="ignore"):
            floor = np.minimum(self.problem.loss(wbl[:, 0], wbl[:, 1]), self.l_range[1])
        return int(np.sum(inside & (wbl[:, 2] < floor)))

    def sample_index(self, step: float) -> int:
        """Nearest sample to fractional step `step`: the ball always sits on an exact sample."""
        n = self.settings.mesh.samples_per_step
        return int(np.clip(round(step * n), 0, len(self.samples) - 1))

    def cross_diagonals(self) -> list[np.ndarray]:
        """The two strokes of the ✕ at the start, sampled on the surface (odd count: centred)."""
        sizes = self.settings.sizes
        unit_w, unit_b = self.units
        dw, db = sizes.cross_half_width / unit_w, sizes.cross_half_width / unit_b
        w0, b0 = self.scenario.start
        strokes = [self.problem.loss_along(w0 - dw, b0 - db * k, w0 + dw, b0 + db * k, 21)
                   for k in (1.0, -1.0)]
        return [self._inside_run(stroke) for stroke in strokes]

    def _inside_run(self, stroke: np.ndarray) -> np.ndarray:
        """The samples of `stroke` around its middle that stay inside the box.

        On a steep wall the ✕ would otherwise climb over the top of the l axis (and into the
        title); both ends are trimmed by the same count so the start stays the middle sample.
        """
        inside = (self._in_window(stroke[:, 0], stroke[:, 1]) & np.isfinite(stroke[:, 2])
                  & (stroke[:, 2] <= self.l_range[1]))
        mid = len(stroke) // 2
        reach = 0
        while reach < mid and inside[mid - reach - 1] and inside[mid + reach + 1]:
            reach += 1
        return stroke[mid - reach: mid + reach + 1] if reach else stroke[mid - 1: mid + 2]

    # ---------------------------------------------------------------- the map
    @cached_property
    def contour_levels(self) -> list[gdmath.ContourLevel]:
        """The level lines of the map (`gdmath.auto_levels`)."""
        levels = gdmath.auto_levels(self.contour_surface, self.settings.mesh.contour_levels)
        levels = levels[levels <= self.l_range[1]]
        return gdmath.contour_lines(self.contour_surface, levels)

    @cached_property
    def right_angle_steps(self) -> list[int]:
        """Steps that get a level line and a right-angle mark: long ones, spread along the path."""
        sizes = self.settings.sizes
        traj = self.traj
        if traj.n_steps == 0 or not self.to_scale:
            # On stretched axes the right angle is not one on screen: the caption says so.
            return []
        inside = self._in_window(traj.w, traj.b)
        lengths = self.screen_lengths
        # Prefer long steps (the mark needs room); on a landscape of short steps take the
        # longest that still carry a visible arrow.
        for factor in sizes.right_angle_length_factors:
            candidates = np.flatnonzero((lengths > factor * sizes.min_arrow_length)
                                        & inside[:-1] & inside[1:])
            if candidates.size >= sizes.right_angle_min_count:
                break
        if candidates.size == 0:
            return []
        pick = np.unique(np.round(np.linspace(0, candidates.size - 1,
                                              min(sizes.right_angle_steps, candidates.size))))
        return [int(candidates[int(i)]) for i in pick]

    def level_through(self, step: int) -> gdmath.ContourLevel:
        """The level line l = l(wₜ, bₜ) through the start of `step`.

        Traced from the point itself (`gdmath.level_line_through`) rather than taken from the
        grid contours, so the drawn line passes exactly through the step's start and its
        direction there is the true tangent (a grid polyline's is off by up to a degree near
        the floor, where level lines curve most).
        """
        scenario = self.scenario
        return gdmath.level_line_through(scenario.problem, (self.traj.w[step], self.traj.b[step]),
                                         scenario.w_range, scenario.b_range)

    @cached_property
    def inside_steps(self) -> np.ndarray:
        """Which steps start and end inside the (w, b) window, shape (n,)."""
        traj = self.traj
        inside = self._in_window(traj.w, traj.b)
        return inside[:-1] & inside[1:]

    @cached_property
    def screen_lengths(self) -> np.ndarray:
        """Length of each step in scene units, shape (n,)."""
        if self.traj.n_steps == 0:
            return np.zeros(0)
        with np.errstate(over="ignore", invalid="ignore"):
            return np.hypot(*(self.traj.steps * np.array(self.units)).T)

    @cached_property
    def arrow_steps(self) -> list[int]:
        """Steps drawn as arrows on the map (inside the view and long enough for a tip)."""
        sizes = self.settings.sizes
        traj = self.traj
        inside = self._in_window(traj.w, traj.b)
        lengths = self.screen_lengths
        return [i for i in range(traj.n_steps)
                if inside[i] and inside[i + 1] and lengths[i] > sizes.min_arrow_length]

    @cached_property
    def path_bends(self) -> bool:
        """The path turns visibly on its way down (and did not diverge)."""
        traj, settings = self.traj, self.settings
        turn = gdmath.heading_change(traj.w, traj.b, settings.bend_fraction)
        return bool(not traj.diverged and abs(turn) >= settings.bend_degrees)

    @cached_property
    def floor(self) -> gdmath.Minimum | None:
        """The valley floor: gdmath's verified minimum, or None (there is none to show)."""
        return self.scenario.diagnosis.minimum

    @cached_property
    def floor_visible(self) -> bool:
        """There is a verified minimum and it lies in the view."""
        minimum = self.floor
        return bool(minimum is not None and np.isfinite(minimum.loss)
                    and self._in_window(np.array(minimum.w), np.array(minimum.b))
                    and minimum.loss <= self.l_range[1])

    @cached_property
    def no_floor_caption(self) -> str | None:
        """What is there instead of a valley floor (None when there is one)."""
        diagnosis = self.scenario.diagnosis
        if diagnosis.has_valley_floor:
            return None
        lab = self.labels
        if diagnosis.reason == NO_FINITE_MINIMUM:
            dw, db = diagnosis.landscape.direction or (0.0, 0.0)
            axis, sign = ("w", dw) if abs(dw) >= abs(db) else ("b", db)
            return lab.no_floor_ray.format(
                where=(lab.grows if sign > 0 else lab.falls).format(axis=axis))
        if diagnosis.reason == UNDERDETERMINED:
            return lab.no_floor_underdetermined
        return lab.no_floor_flat

    @cached_property
    def outcome_caption(self) -> str | None:
        """A caption for a run that ends where it should not: diverged or on a plateau."""
        outcome = self.scenario.diagnosis.outcome
        if self.traj.diverged or outcome == "diverged":
            return self.labels.diverged
        if outcome == "plateau":
            return self.labels.plateau
        return None

    # ---------------------------------------------------------------- leaving the view
    @cached_property
    def exit_step(self) -> int | None:
        """The first step that starts inside the (w, b) window and ends outside it, if any."""
        traj = self.traj
        inside = self._in_window(traj.w, traj.b) & np.isfinite(traj.w) & np.isfinite(traj.b)
        leaves = np.flatnonzero(inside[:-1] & ~inside[1:])
        return int(leaves[0]) if leaves.size else None

    @cached_property
    def exit_point(self) -> tuple[float, float] | None:
        """Where the path crosses the window's edge on `exit_step`, in (w, b)."""
        k = self.exit_step
        if k is None:
            return None
        traj = self.traj
        start = np.array([traj.w[k], traj.b[k]])
        with np.errstate(over="ignore", invalid="ignore"):
            end = np.array([traj.w[k + 1], traj.b[k + 1]])
            end = np.where(np.isfinite(end), end, np.sign(end) * 1e300)
            step = end - start
        lo = np.array([self.scenario.w_range[0], self.scenario.b_range[0]])
        hi = np.array([self.scenario.w_range[1], self.scenario.b_range[1]])
        # The largest fraction of the step that stays in the box, edge by edge.
        with np.errstate(divide="ignore", invalid="ignore"):
            room = np.where(step > 0, (hi - start) / step,
                            np.where(step < 0, (lo - start) / step, np.inf))
        frac = float(np.clip(np.min(room), 0.0, 1.0))
        w, b = np.clip(start + frac * step, lo, hi)
        return float(w), float(b)

    # ---------------------------------------------------------------- data space
    @cached_property
    def data_x(self) -> np.ndarray:
        """The data's x in its original units (the problem may hold standardised u)."""
        scaling = self.scenario.standardization
        return scaling.invert(self.problem.x) if scaling is not None else self.problem.x

    @cached_property
    def data_window(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """X (original units) and y ranges of the data panel."""
        x, y = self.data_x, self.problem.y
        pad_x = max(np.ptp(x) * 0.1, 0.1)
        pad_y = max(np.ptp(y) * 0.25, 0.1)
        return (float(x.min() - pad_x), float(x.max() + pad_x)), (float(y.min() - pad_y),
                                                                  float(y.max() + pad_y))

    def fit_curve(self, w: float, b: float) -> tuple[np.ndarray, np.ndarray]:
        """The model's output over the data panel's x range at (w, b)."""
        x_values = np.linspace(*self.data_window[0], self.settings.sizes.fit_samples)
        scaling = self.scenario.standardization
        inputs = scaling.apply(x_values) if scaling is not None else x_values
        with np.errstate(over="ignore", invalid="ignore"):
            y_values = np.nan_to_num(self.problem.predict(w, b, inputs), nan=0.0, posinf=1e9,
                                     neginf=-1e9)
        return x_values, y_values


def rise_turn(theta: float, top_theta: float) -> float:
    """The azimuth turn (degrees) from `theta` to the map's `top_theta` the short way round."""
    return short_turn(theta, top_theta)


def outline(mob: Mobject, settings: Settings) -> Mobject:
    """A background-coloured outline behind text, so it stays legible over lines and surfaces."""
    mob.set_stroke(settings.colors.background, width=settings.sizes.text_outline,
                   background=True)
    return mob


# --------------------------------------------------------------------------- the roll
@dataclass(frozen=True)
class RollTimeline:
    """Where the ball and the camera are at each time τ of the roll.

    The first `explained` steps each take `explained_step` seconds: the ball rests while the
    gradient arrow appears, then rolls with an eased start and stop. The other steps share
    `rest_of_roll` seconds in proportion to the square root of their length, rolling at constant
    speed within a step. The camera's azimuth sweeps `orbit_sweep` degrees on one eased curve
    over the whole roll (`ease_camera`: it starts and stops at rest), its elevation inside
    `Camera.min_phi` to `Camera.max_phi`.
    """

    starts: np.ndarray  # time each step starts, shape (n + 1,) (last = total)
    explained: int
    hold_fraction: float
    theta0: float
    sweep: float
    phi0: float
    phi1: float

    @classmethod
    def build(cls, stage: DescentStudy, orbit: tuple[float, float] | None = None) -> RollTimeline:
        """The timeline of `stage`'s trajectory with `stage.settings`.

        `orbit` is (θ₀, sweep) in degrees, by default the stage's least-blocked one.
        """
        timing, camera, sizes = (stage.settings.durations, stage.settings.camera,
                                 stage.settings.sizes)
        n = stage.traj.n_steps
        explained = min(sizes.explained_steps, n)
        lengths = np.hypot(*stage.traj.steps.T) if n else np.zeros(0)
        rest = np.sqrt(np.maximum(lengths[explained:], 1e-12))
        rest_d = timing.rest_of_roll * rest / rest.sum() if rest.size else rest
        durations = np.concatenate([np.full(explained, timing.explained_step), rest_d])
        if n == 0:
            durations = np.array([timing.explained_step])
        starts = np.concatenate([[0.0], np.cumsum(durations)])
        theta0, sweep = stage.orbit if orbit is None else orbit
        for phi in (camera.valley_phi, camera.roll_end_phi):
            if not camera.min_phi <= phi <= camera.max_phi:
                raise ValueError(f"the roll's elevation {phi}° is outside the camera's range "
                                 f"[{camera.min_phi}°, {camera.max_phi}°]")
        return cls(starts=starts, explained=explained, hold_fraction=timing.explained_hold_fraction,
                   theta0=theta0, sweep=sweep, phi0=camera.valley_phi,
                   phi1=camera.roll_end_phi)

    @property
    def duration(self) -> float:
        """Total roll time."""
        return float(self.starts[-1])

    def step_at(self, tau: float) -> tuple[int, float]:
        """(step index, raw fraction of its time slot) at time τ."""
        n = len(self.starts) - 1
        i = int(np.clip(np.searchsorted(self.starts, tau, side="right") - 1, 0, n - 1))
        span = self.starts[i + 1] - self.starts[i]
        return i, float(np.clip((tau - self.starts[i]) / span, 0.0, 1.0))

    def progress(self, tau: float) -> float:
        """Fractional step s(τ): the ball is at iterate s when s is an integer."""
        i, fraction = self.step_at(tau)
        if i < self.explained:
            hold = self.hold_fraction
            fraction = 0.0 if fraction <= hold else smooth((fraction - hold) / (1 - hold))
        return i + fraction

    def arrow_opacity(self, step: int, tau: float) -> float:
        """Opacity of the gradient arrow of an explained `step` at τ (0 outside its slot)."""
        i, fraction = self.step_at(tau)
        if i != step or step >= self.explained:
            return 0.0
        hold = self.hold_fraction
        # Fade in over the first third of the hold, out over the last fifth of the slot.
        return float(np.clip(min(3 * fraction / hold, (1 - fraction) * 5), 0.0, 1.0))

    def camera_at(self, tau: float) -> tuple[float, float]:
        """(φ, θ) in degrees at τ."""
        eased = ease_camera(tau / self.duration)
        return self.phi0 + eased * (self.phi1 - self.phi0), self.theta0 + eased * self.sweep
