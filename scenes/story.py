"""The story of the gdviz videos: the stage (axes, view, sampled path), the plan and the steps.

`Stage` turns a gdmath config into everything the scenes place: the axes and the l range, the
dense samples of the path over the surface (from `Problem.loss_along`), the ball centres and the
HUD values. `RollTimeline` says where the ball and the camera are at every moment of the roll,
so that the render and the tests agree on it. `Plan` lists every beat (play or hold) with its
duration before anything renders; the step methods take their run times from it and the scene
checks at the end that it played exactly the plan (the render tests compare the video's
duration with `Plan.seconds`).

The scene files only choose which steps to call.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from manim import (
    DL,
    DOWN,
    DR,
    LEFT,
    RIGHT,
    UL,
    UP,
    UR,
    Arrow,
    Axes,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
    LaggedStart,
    Line,
    MathTex,
    Mobject,
    Scene,
    UpdateFromAlphaFunc,
    ValueTracker,
    VGroup,
    Wait,
    Write,
    linear,
    smooth,
)

import gdmath
from scenes.fastmesh import FastThreeDScene
from scenes.labels import Labels, labels_for, make_text
from scenes.layout import Extent, StoryLayout, fit_factor, fit_text, projected_extent
from scenes.mobjects import (
    BoxAxes,
    BoxAxes2D,
    ContourSet,
    DataPanel,
    LossCurve,
    Readout,
    RightAngleStep,
    StartCross,
    SurfacePath,
    downhill_tangents,
    lifted_centers,
    make_ball,
    make_surface,
    scene_points,
    scene_to_coords,
)
from scenes.settings import SETTINGS, Settings
from scenes.theme import Theme, current_frame, themed_settings, use_theme

DEG = np.pi / 180

__all__ = [
    "DEG",
    "MapScene",
    "Plan",
    "PlanPlayer",
    "RollTimeline",
    "Stage",
    "StoryScene",
    "load_config",
    "plan_for",
    "render_still",
]


def load_config(
    default: str | Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None,
) -> gdmath.Config:
    """The config from the environment; a bad one stops the program with its message only.

    `default` is what a scene renders when neither ``GDVIZ_CONFIG`` nor ``GDVIZ_PRESET`` is set
    (see `gdmath.config_from_environment`).
    """
    try:
        return gdmath.config_from_environment(environ, default=default)
    except gdmath.ConfigError as exc:
        sys.stderr.write(f"gdviz: {exc}\n")
        raise SystemExit(2) from None


def _scaled(extent: Extent, factor: float) -> Extent:
    """A screen extent seen through a zoom `factor` times larger (zoom scales about 0)."""
    x0, x1, y0, y1 = extent
    return (x0 * factor, x1 * factor, y0 * factor, y1 * factor)


def _nice_step(span: float, target: int = 5) -> float:
    """A 1-2-5 tick step giving about `target` ticks over `span`."""
    raw = span / target
    mag = 10 ** np.floor(np.log10(raw))
    for m in (1.0, 2.0, 5.0, 10.0):
        if raw <= m * mag:
            return float(m * mag)
    return float(10 * mag)


# --------------------------------------------------------------------------- the stage
@dataclass
class Stage:
    """Everything the scenes draw, computed once from a config.

    Parameters
    ----------
    cfg : gdmath.Config
        Problem, start, η, view window and language.
    settings : Settings
        Tunables.
    """

    cfg: gdmath.Config
    settings: Settings = field(default_factory=lambda: SETTINGS)

    @property
    def scenario(self) -> gdmath.Scenario:
        """The problem and its view."""
        return self.cfg.scenario

    @property
    def labels(self) -> Labels:
        """Prose in the configured language."""
        return labels_for(self.cfg.language)

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
        m = self.settings.mesh
        L = self.contour_surface.L
        lo = float(L.min())
        hi = float(np.quantile(L, m.loss_quantile))
        inside = self._in_window(self.traj.w, self.traj.b)
        if inside.any():
            # Iterates inside the (w, b) window are at most as high as the window's highest
            # point, so a diverging run raises the top no further than the surface itself.
            hi = max(hi, lo + m.loss_headroom * (float(self.traj.loss[inside].max()) - lo))
        top = float(L.max())
        if top - lo <= m.cap_slack * (hi - lo):
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

    def make_axes(self) -> BoxAxes:
        """A fresh copy of the scene axes (tests build their own)."""
        s = self.settings.sizes
        (w0, w1), (b0, b1) = self.scenario.w_range, self.scenario.b_range
        l0, l1 = self.l_range
        unit = s.plane_side / max(w1 - w0, b1 - b0)
        axes = BoxAxes(
            x_range=(w0, w1, _nice_step(w1 - w0)),
            y_range=(b0, b1, _nice_step(b1 - b0)),
            z_range=(l0, l1, _nice_step(l1 - l0)),
            x_length=unit * (w1 - w0), y_length=unit * (b1 - b0), z_length=s.loss_height,
            axis_config={"color": self.settings.colors.axes, "include_tip": False},
        )
        axes.shift(-scene_points(axes, (w0 + w1) / 2, (b0 + b1) / 2, (l0 + l1) / 2))
        return axes

    # ---------------------------------------------------------------- the path
    @cached_property
    def samples(self) -> np.ndarray:
        """(w, b, l) along every step, `samples_per_step` per step, iterates included.

        Row ``t * samples_per_step`` is iterate t exactly.
        """
        t, n = self.traj, self.settings.mesh.samples_per_step
        if t.n_steps == 0:
            return np.array([[t.w[0], t.b[0], t.loss[0]]])
        pieces = [
            self.problem.loss_along(t.w[i], t.b[i], t.w[i + 1], t.b[i + 1], n + 1)[:-1]
            for i in range(t.n_steps)
        ]
        pieces.append(np.array([[t.w[-1], t.b[-1], t.loss[-1]]]))
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
        ok = np.isfinite(self.samples).all(axis=1) & np.isfinite(self.sample_gradients).all(axis=1)
        return ok & self._in_window(w, b) & (l <= self.l_range[1])

    @cached_property
    def ball_centers(self) -> np.ndarray:
        """Ball centre at every sample: on the surface, lifted by the radius along the normal."""
        r = self.settings.sizes.ball_radius
        w, b, l = np.where(self.inside[:, None], self.samples, self.samples[0]).T  # noqa: E741
        g = np.where(self.inside[:, None], self.sample_gradients, self.sample_gradients[0])
        return lifted_centers(self.axes, w, b, l, g[:, 0], g[:, 1], r)

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
        c = self.settings.camera
        offsets = np.arange(0.0, 360.0, c.orbit_search_step)
        offsets = np.where(offsets > 180.0, offsets - 360.0, offsets)
        sweep = abs(c.orbit_sweep)
        best = None
        for sign in (np.sign(c.orbit_sweep) or 1.0, -(np.sign(c.orbit_sweep) or 1.0)):
            for off in offsets:
                theta0 = c.valley_theta + off
                end = theta0 + sign * sweep
                spin = abs((c.top_theta - end + 180.0) % 360.0 - 180.0)
                score = (self._blocked_view(theta0, sign * sweep) + c.orbit_spin_cost * spin,
                         abs(off))
                if best is None or score < best[0]:
                    best = (score, (float(theta0), float(sign * sweep)))
        return best[1]

    def _blocked_view(self, theta0: float, sweep: float) -> int:
        """How many ray samples towards the eye lie under the surface, over the roll.

        Rays start at the ball and at points of the trail behind it (lifted like the ball, so a
        trail on a slope facing away from the eye counts as hidden).
        """
        c, m = self.settings.camera, self.settings.mesh
        tl = RollTimeline.build(self, orbit=(theta0, sweep))
        taus = np.linspace(0.0, tl.duration, m.orbit_probe_times)
        origins, eyes = [], []
        for tau in taus:
            phi, theta = np.radians(tl.camera_at(tau))
            # Eye in scene coordinates: the rotated frame's +z axis, focal distance away.
            eye = c.focal_distance * np.array([np.sin(phi) * np.cos(theta),
                                               np.sin(phi) * np.sin(theta), np.cos(phi)])
            now = self.sample_index(tl.progress(tau))
            picks = np.unique(np.linspace(0, now, m.orbit_probe_trail).round().astype(int))
            origins.append(self.ball_centers[picks])
            eyes.append(np.broadcast_to(eye, (picks.size, 3)))
        origin, eye = np.vstack(origins), np.vstack(eyes)
        toward = (eye - origin) / np.linalg.norm(eye - origin, axis=1, keepdims=True)
        start = origin + self.settings.sizes.ball_radius * toward
        frac = np.linspace(0.0, 1.0, m.orbit_probe_samples)[1:, None, None]
        ray = start[None] + frac * (eye - start)[None]
        wbl = scene_to_coords(self.axes, ray.reshape(-1, 3))
        inside = self._in_window(wbl[:, 0], wbl[:, 1])
        with np.errstate(over="ignore", invalid="ignore"):
            floor = np.minimum(self.problem.loss(wbl[:, 0], wbl[:, 1]), self.l_range[1])
        return int(np.sum(inside & (wbl[:, 2] < floor)))

    def sample_index(self, s: float) -> int:
        """Nearest sample to fractional step `s`: the ball always sits on an exact sample."""
        n = self.settings.mesh.samples_per_step
        return int(np.clip(round(s * n), 0, len(self.samples) - 1))

    def cross_diagonals(self) -> list[np.ndarray]:
        """The two strokes of the ✕ at the start, sampled on the surface (odd count: centred)."""
        s = self.settings.sizes
        unit = self.settings.sizes.plane_side / max(
            np.ptp(self.scenario.w_range), np.ptp(self.scenario.b_range))
        d = s.cross_half_width / unit
        w0, b0 = self.scenario.start
        return [self.problem.loss_along(w0 - d, b0 - d * k, w0 + d, b0 + d * k, 21)
                for k in (1.0, -1.0)]

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
        s = self.settings.sizes
        unit = s.plane_side / max(np.ptp(self.scenario.w_range), np.ptp(self.scenario.b_range))
        t = self.traj
        if t.n_steps == 0:
            return []
        inside = self._in_window(t.w, t.b)
        lengths = np.hypot(*t.steps.T) * unit
        # Prefer long steps (the mark needs room); on a landscape of short steps take the
        # longest that still carry a visible arrow.
        for factor in s.right_angle_length_factors:
            ok = np.flatnonzero((lengths > factor * s.min_arrow_length)
                                & inside[:-1] & inside[1:])
            if ok.size >= s.right_angle_min_count:
                break
        if ok.size == 0:
            return []
        pick = np.unique(np.round(np.linspace(0, ok.size - 1, min(s.right_angle_steps, ok.size))))
        return [int(ok[int(i)]) for i in pick]

    def level_through(self, step: int) -> gdmath.ContourLevel:
        """The level line l = l(wₜ, bₜ) through the start of `step`.

        Traced from the point itself (`gdmath.level_line_through`) rather than taken from the
        grid contours, so the drawn line passes exactly through the step's start and its
        direction there is the true tangent (a grid polyline's is off by up to a degree near
        the floor, where level lines curve most).
        """
        sc = self.scenario
        return gdmath.level_line_through(sc.problem, (self.traj.w[step], self.traj.b[step]),
                                         sc.w_range, sc.b_range)

    @cached_property
    def inside_steps(self) -> np.ndarray:
        """Which steps start and end inside the (w, b) window, shape (n,)."""
        t = self.traj
        inside = self._in_window(t.w, t.b)
        return inside[:-1] & inside[1:]

    @cached_property
    def arrow_steps(self) -> list[int]:
        """Steps drawn as arrows on the map (inside the view and long enough for a tip)."""
        s = self.settings.sizes
        unit = s.plane_side / max(np.ptp(self.scenario.w_range), np.ptp(self.scenario.b_range))
        t = self.traj
        inside = self._in_window(t.w, t.b)
        lengths = np.hypot(*t.steps.T) * unit if t.n_steps else np.zeros(0)
        return [i for i in range(t.n_steps)
                if inside[i] and inside[i + 1] and lengths[i] > s.min_arrow_length]

    @cached_property
    def floor_visible(self) -> bool:
        """The minimum was found and lies in the view."""
        m = self.scenario.minimum
        return bool(m.success and np.isfinite(m.loss)
                    and self._in_window(np.array(m.w), np.array(m.b))
                    and m.loss <= self.l_range[1])

    # ---------------------------------------------------------------- data space
    @cached_property
    def data_window(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """X and y ranges of the data panel."""
        x, y = self.problem.x, self.problem.y
        px = max(np.ptp(x) * 0.1, 0.1)
        py = max(np.ptp(y) * 0.25, 0.1)
        return (float(x.min() - px), float(x.max() + px)), (float(y.min() - py),
                                                            float(y.max() + py))

    def fit_curve(self, w: float, b: float) -> tuple[np.ndarray, np.ndarray]:
        """The model's output over the data panel's x range at (w, b)."""
        xs = np.linspace(*self.data_window[0], self.settings.sizes.fit_samples)
        with np.errstate(over="ignore", invalid="ignore"):
            ys = np.nan_to_num(self.problem.predict(w, b, xs), nan=0.0, posinf=1e9, neginf=-1e9)
        return xs, ys


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
    speed within a step. The camera's azimuth sweeps `orbit_sweep` degrees on one smooth curve
    over the whole roll.
    """

    starts: np.ndarray  # time each step starts, shape (n + 1,) (last = total)
    explained: int
    hold_fraction: float
    theta0: float
    sweep: float
    phi0: float
    phi1: float

    @classmethod
    def build(cls, stage: Stage, orbit: tuple[float, float] | None = None) -> RollTimeline:
        """The timeline of `stage`'s trajectory with `stage.settings`.

        `orbit` is (θ₀, sweep) in degrees, by default the stage's least-blocked one.
        """
        d, c, s = stage.settings.durations, stage.settings.camera, stage.settings.sizes
        n = stage.traj.n_steps
        explained = min(s.explained_steps, n)
        lengths = np.hypot(*stage.traj.steps.T) if n else np.zeros(0)
        rest = np.sqrt(np.maximum(lengths[explained:], 1e-12))
        rest_d = d.rest_of_roll * rest / rest.sum() if rest.size else rest
        durations = np.concatenate([np.full(explained, d.explained_step), rest_d])
        if n == 0:
            durations = np.array([d.explained_step])
        starts = np.concatenate([[0.0], np.cumsum(durations)])
        theta0, sweep = stage.orbit if orbit is None else orbit
        return cls(starts=starts, explained=explained, hold_fraction=d.explained_hold_fraction,
                   theta0=theta0, sweep=sweep, phi0=c.valley_phi,
                   phi1=c.roll_end_phi)

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
        i, f = self.step_at(tau)
        if i < self.explained:
            h = self.hold_fraction
            f = 0.0 if f <= h else smooth((f - h) / (1 - h))
        return i + f

    def arrow_opacity(self, step: int, tau: float) -> float:
        """Opacity of the gradient arrow of an explained `step` at τ (0 outside its slot)."""
        i, f = self.step_at(tau)
        if i != step or step >= self.explained:
            return 0.0
        h = self.hold_fraction
        # Fade in over the first third of the hold, out over the last fifth of the slot.
        return float(np.clip(min(3 * f / h, (1 - f) * 5), 0.0, 1.0))

    def camera_at(self, tau: float) -> tuple[float, float]:
        """(φ, θ) in degrees at τ."""
        a = smooth(float(np.clip(tau / self.duration, 0.0, 1.0)))
        return self.phi0 + a * (self.phi1 - self.phi0), self.theta0 + a * self.sweep


# --------------------------------------------------------------------------- the plan
@dataclass
class Plan:
    """The beats of a scene, in order: (name, kind, seconds) with kind "play" or "hold"."""

    beats: list[tuple[str, str, float]] = field(default_factory=list)

    def play(self, name: str, seconds: float) -> Plan:
        """Add an animation beat."""
        self.beats.append((name, "play", float(seconds)))
        return self

    def hold(self, name: str, seconds: float) -> Plan:
        """Add a frozen wait."""
        self.beats.append((name, "hold", float(seconds)))
        return self

    def frames(self, fps: float) -> int:
        """Frames manim writes for this plan at `fps`.

        A play writes one frame per ``np.arange(0, run_time, 1/fps)`` entry and a frozen wait
        ``int(run_time * fps)`` frames (manim's Cairo renderer).
        """
        total = 0
        for _, kind, sec in self.beats:
            if kind == "play":
                total += len(np.arange(0, sec, 1 / fps))
            else:
                total += int(sec / (1 / fps))
        return total

    def seconds(self, fps: float) -> float:
        """Duration of the video at `fps`."""
        return self.frames(fps) / fps

    @property
    def nominal(self) -> float:
        """Sum of the beats' durations."""
        return sum(sec for _, _, sec in self.beats)


SECTIONS = ("model", "valley", "roll", "above", "right_angles", "floor", "map")


def plan_for(stage: Stage, sections: tuple[str, ...]) -> Plan:
    """The beats of the given sections, in order, for `stage`."""
    d = stage.settings.durations
    p = Plan()
    for sec in sections:
        if sec == "model":
            (p.play("title", d.title).hold("title_hold", d.title_hold)
             .play("equations", d.equations).hold("equations_hold", d.equations_hold)
             .play("to_corner", d.to_corner))
        elif sec == "valley":
            (p.play("axes", d.axes).play("surface", d.surface).play("start_mark", d.start_mark)
             .play("hud", d.hud).hold("valley_hold", d.valley_hold))
        elif sec == "roll":
            p.play("roll", RollTimeline.build(stage).duration).hold("roll_hold", d.roll_hold)
            if stage.traj.diverged:
                p.play("diverged", d.diverged_label).hold("diverged_hold", d.roll_hold)
        elif sec == "above":
            p.play("contours", d.contours).play("rise", d.rise).hold("map_hold", d.map_hold)
        elif sec == "map":
            p.play("contours", d.contours).play("path", d.rise).hold("map_hold", d.map_hold)
        elif sec == "right_angles":
            p.play("arrows", d.arrows)
            for k in stage.right_angle_steps:
                p.play(f"right_angle_{k}", d.right_angle).hold(f"right_angle_hold_{k}",
                                                               d.right_angle_hold)
        elif sec == "floor":
            p.play("floor", d.floor).play("closing", d.closing).hold("closing_hold",
                                                                      d.closing_hold)
        else:
            raise ValueError(f"unknown section {sec!r}; choose from {SECTIONS}")
    return p


# --------------------------------------------------------------------------- scenes
class PlanPlayer:
    """Mixin: play and hold only what the scene's `plan` says, and check it was all played.

    The scene sets ``self.plan`` (a `Plan`) and ``self._next_beat = 0`` before its first beat;
    its step methods call `beat` and `hold` by name, in the plan's order.
    """

    plan: Plan

    def _take(self, name: str, kind: str) -> float:
        if self._next_beat >= len(self.plan.beats):
            raise RuntimeError(f"beat {name}/{kind} is not in the plan "
                               f"(it has {len(self.plan.beats)} beats)")
        got = self.plan.beats[self._next_beat]
        if got[0] != name or got[1] != kind:
            raise RuntimeError(
                f"beat {self._next_beat}: plan has {got[:2]}, scene did {name}/{kind}")
        self._next_beat += 1
        return got[2]

    def beat(self, name: str, *animations: object, **kwargs: object) -> None:
        """Play `animations` for the plan's duration of beat `name`."""
        self.play(*animations, run_time=self._take(name, "play"), **kwargs)

    def hold(self, name: str) -> None:
        """Hold still for the plan's duration of beat `name`."""
        self._before_hold()
        self.pause(self._take(name, "hold"))

    def _before_hold(self) -> None:
        """Hook run before a hold (nothing by default)."""

    def check_plan(self) -> None:
        """Fail loudly if the scene skipped beats of its plan."""
        if self._next_beat != len(self.plan.beats):
            raise RuntimeError(f"played {self._next_beat} of {len(self.plan.beats)} planned beats")

    @classmethod
    def planned_duration(cls, fps: float) -> float:
        """Seconds of video this scene writes at `fps` with the current environment's config."""
        return cls.planned_plan().seconds(fps)


class _Beats(PlanPlayer):
    """Mixin: the story's config, stage and plan, for the 3D and the 2D story scenes."""

    sections: tuple[str, ...] = ()
    stage: Stage
    plan: Plan

    def _setup_story(self) -> None:
        # The config is read before anything renders: a bad one stops here with its message.
        cfg = load_config()
        # The theme (GDVIZ_THEME) sets the background and recolours every role of the settings.
        self.theme: Theme = use_theme(self)
        self.stage = Stage(cfg, themed_settings(SETTINGS, self.theme))
        self.plan = plan_for(self.stage, self.sections)
        self._next_beat = 0

    @classmethod
    def planned_plan(cls) -> Plan:
        """The plan this scene will play with the current environment's config."""
        return plan_for(Stage(load_config()), cls.sections)

    def _before_hold(self) -> None:
        self._refix()

    def _refix(self) -> None:
        """Pin newly created submobjects of fixed-in-frame mobjects (none to pin in 2D)."""


class StoryScene(_Beats, FastThreeDScene):
    """The 3D story: model, valley, roll, view from above, right angles, floor."""

    def setup(self) -> None:
        """Read the config and build the stage before anything renders."""
        self._setup_story()
        st = self.stage
        self.S = st.settings
        self.axes = st.axes
        self.timeline = RollTimeline.build(st)
        self.fixed_roots: list[Mobject] = []
        self.add_updater(lambda _dt: self._refix())
        self.layout = self.make_layout()
        c = self.S.camera
        self.set_camera_orientation(phi=c.valley_phi * DEG, theta=self.timeline.theta0 * DEG,
                                    focal_distance=c.focal_distance,
                                    zoom=c.valley_zoom * self.layout.view_scale)

    # ---------------------------------------------------------------- layout
    def make_layout(self) -> StoryLayout:
        """The layout of the frame that renders (`scenes.layout`).

        On a square or portrait frame the 3D view's extent is measured over every camera pose
        of the story (the orbit of the roll, the map from above) and the view is shrunk to fit
        between the bands; during the rise from one to the other the zoom dips where the tilted
        walls would reach further (`rise_zoom`). In landscape nothing is measured and nothing
        moves.
        """
        frame = current_frame()
        n = self.S.layout.extent_poses
        self.rise_alphas = np.linspace(0.0, 1.0, n)
        self.rise_zoom = np.ones(n)
        self.map_zoom = 1.0
        if frame.orientation == "landscape":
            return StoryLayout.for_frame(frame, self.S.layout)
        c = self.S.camera
        roll, top, rise = self.view_extents()
        layout = StoryLayout.for_frame(frame, self.S.layout, _scaled(roll, c.valley_zoom),
                                       self.caption_height(), hud_sizes=self.hud_sizes())
        v, box = layout.view_scale, layout.view_box
        # The map from above fills the same room as the valley (not more: never past its
        # landscape size); on the way up the zoom dips wherever the tilted walls reach further.
        self.map_zoom = fit_factor(_scaled(top, c.top_zoom * v), box)
        z0, z1 = c.valley_zoom * v, c.top_zoom * v * self.map_zoom
        self.rise_zoom = np.array([fit_factor(_scaled(ext, z0 + smooth(a) * (z1 - z0)), box)
                                   for a, ext in zip(self.rise_alphas, rise, strict=True)])
        return layout

    def top_zoom(self) -> float:
        """The camera's zoom for the map from above on this frame."""
        return self.S.camera.top_zoom * self.layout.view_scale * self.map_zoom

    def hud_sizes(self) -> list[tuple[float, float]]:
        """Width and height at full size of the model, the update rule and the numbers."""
        S = self.S
        model = self.model_equations().scale(S.sizes.hud_font / S.sizes.equation_font)
        return [(b.width, b.height) for b in (model, self.make_rule(), self.make_readout())]

    def caption_height(self) -> float:
        """Height of the tallest caption, set to the width captions get on this frame."""
        lab = self.stage.labels
        width = StoryLayout.for_frame(current_frame(), self.S.layout).caption_width
        return max(self.fit_caption(s, width).height for s in (
            lab.rolling, lab.from_above, lab.perpendicular, lab.closing, lab.diverged))

    def view_extents(self) -> tuple[Extent, Extent, list[Extent]]:
        """Screen extents of the valley, its axes and axis labels, at camera zoom 1.

        Returns the extent over the roll, the extent of the map from above, and the extent at
        each sampled moment of the rise between them (at ``rise_alphas``).
        """
        S, st, tl, c, cam = self.S, self.stage, self.timeline, self.S.camera, self.camera
        grid = scene_points(self.axes, st.surface.w[None, :], st.surface.b[:, None],
                            np.minimum(st.surface.L, st.l_range[1])).reshape(-1, 3)
        ends = [axis.get_end() + S.sizes.axis_label_buff * axis.get_unit_vector()
                for axis in self.axes.get_axes()]
        points = np.vstack([grid, self.axes.get_all_points(), np.array(ends)])

        def pose(phi: float, theta: float, focal: float) -> Callable[[], None]:
            def apply() -> None:
                self.set_camera_orientation(phi=phi * DEG, theta=theta * DEG,
                                            focal_distance=focal, zoom=1.0)
                cam.reset_rotation_matrix()
            return apply

        def extent(*poses: Callable[[], None]) -> Extent:
            return projected_extent(cam.project_points, points, poses)

        roll = extent(*(pose(*tl.camera_at(tau), c.focal_distance)
                        for tau in np.linspace(0.0, tl.duration, len(self.rise_alphas))))
        top = extent(pose(c.top_phi, c.top_theta, c.top_focal_distance))
        phi0, theta0 = tl.camera_at(tl.duration)
        rise = []
        for a in self.rise_alphas:
            e = smooth(a)
            rise.append(extent(pose(phi0 + e * (c.top_phi - phi0),
                                    theta0 + e * (c.top_theta - theta0),
                                    1.0 / ((1 - e) / c.focal_distance + e / c.top_focal_distance))))
        return roll, top, rise

    def fit_caption(self, s: str, width: float, color: str | None = None) -> Mobject:
        """Caption-sized prose no wider than `width` (on two lines if it must)."""
        return fit_text(s, lambda t: self.text(t, self.S.sizes.hud_font, color), width,
                        self.S.layout)

    # ---------------------------------------------------------------- helpers
    def text(self, s: str, size: float, color: str | None = None) -> Mobject:
        """Prose in the configured language."""
        return make_text(s, self.stage.cfg.language, size, color or self.S.colors.text)

    def fix(self, *mobs: Mobject) -> None:
        """Pin mobjects to the frame, including submobjects they create later (DecimalNumber)."""
        self.fixed_roots.extend(mobs)
        self.add_fixed_in_frame_mobjects(*mobs)

    def _refix(self) -> None:
        for m in self.fixed_roots:
            self.camera.add_fixed_in_frame_mobjects(m)

    def caption(self, s: str, color: str | None = None) -> Mobject:
        """A caption at the top centre: between the side columns, or across a narrow frame."""
        cap = self.fit_caption(s, self.layout.caption_width, color)
        cap.to_edge(UP, buff=self.S.layout.edge_buff)
        return cap

    def swap_caption(self, s: str, color: str | None = None) -> list[object]:
        """Animations that replace the current caption."""
        new = self.caption(s, color)
        self.fix(new)
        self.remove(new)
        anims: list[object] = [FadeIn(new)]
        old = getattr(self, "current_caption", None)
        if old is not None:
            anims.append(FadeOut(old))
        self.current_caption = new
        return anims

    # ---------------------------------------------------------------- 1. the model
    def show_model(self) -> None:
        """Title, the model and its loss in TeX, then the data panel with the first fit."""
        S, st, lab = self.S, self.stage, self.stage.labels
        title = fit_text(st.scenario.title if st.cfg.language == "en" else lab.model,
                         lambda t: self.text(t, S.sizes.title_font),
                         current_frame().width - 2 * S.layout.edge_buff, S.layout)
        underline = Line(title.get_corner(DL), title.get_corner(DR), color=S.colors.ball,
                         stroke_width=S.sizes.arrow_width).shift(DOWN * S.layout.label_gap)
        # The title is there from the first frame: a video never opens on a blank frame.
        self.fix(title, underline)
        self.remove(underline)
        self.beat("title", Create(underline))
        self.hold("title_hold")
        eqs = self.model_equations()
        eqs.next_to(title, DOWN, buff=S.layout.equations_gap)
        self.fix(eqs)
        self.remove(eqs)
        self.beat("equations", Write(eqs))
        self.hold("equations_hold")
        self.model_block = eqs
        self.build_panels()
        target = eqs.copy().scale(S.sizes.hud_font / S.sizes.equation_font)
        if self.layout.stacked:
            # Its place in the top band's row, next to the update rule and the numbers.
            self.readout, self.rule = self.make_readout(), self.make_rule()
            self.layout.place_hud(target, self.rule, self.readout)
        else:
            target.to_corner(UL, buff=S.layout.edge_buff)
        self.beat("to_corner", FadeOut(title), FadeOut(underline), eqs.animate.become(target),
                  FadeIn(self.data_panel), FadeIn(self.data_caption))

    def model_equations(self) -> VGroup:
        """Y = φ(w·x + b) and l = Σᵢ (yⁱ − y⁽ⁱ⁾)², as in the seed."""
        S = self.S
        model = MathTex(r"y = \varphi(w \cdot x + b)", font_size=S.sizes.equation_font,
                        color=S.colors.text)
        loss = MathTex(r"l = \sum_i \left(y^{i} - y^{(i)}\right)^2",
                       font_size=S.sizes.equation_font, color=S.colors.text)
        return VGroup(model, loss).arrange(DOWN, aligned_edge=LEFT,
                                           buff=S.layout.equation_line_gap)

    def build_panels(self) -> None:
        """The data panel and the loss curve, pinned to the frame.

        In landscape: top right and bottom right. On a square or portrait frame: side by side in
        the bottom band, each sized to its half.
        """
        S, st, lay = self.S, self.stage, self.S.layout
        xr, yr = st.data_window
        self.data_caption = self.text(st.labels.data_panel, S.sizes.small_font, S.colors.muted)
        self.loss_caption = self.text(st.labels.loss_panel, S.sizes.small_font, S.colors.muted)
        sizes = [(S.sizes.panel_width, S.sizes.panel_height)] * 2
        if self.layout.stacked:
            slots = self.layout.panel_slots()
            sizes = [self.layout.panel_size(slot, cap.height, *size) for slot, cap, size
                     in zip(slots, (self.data_caption, self.loss_caption), sizes, strict=True)]
        self.data_panel = DataPanel(
            st.problem.x, st.problem.y, xr, yr, *sizes[0],
            S.colors.data, S.colors.fit, S.colors.axes, S.sizes.panel_dot_radius, 3.0)
        self.data_panel.set_fit(*st.fit_curve(*st.scenario.start))
        y_max = st.l_range[1] if st.traj.diverged else 1.1 * float(st.traj.loss.max())
        self.loss_curve = LossCurve(st.traj.loss, y_max, *sizes[1], S.colors.trail,
                                    S.colors.axes, 3.0, S.sizes.panel_dot_radius * 1.5)
        if self.layout.stacked:
            self.layout.place_panel(self.data_panel, self.data_caption, slots[0])
            self.layout.place_panel(self.loss_curve, self.loss_caption, slots[1])
        else:
            self.data_panel.to_corner(UR, buff=lay.edge_buff).shift(DOWN * lay.data_panel_drop)
            self.data_caption.next_to(self.data_panel, UP, buff=lay.panel_caption_gap)
            self.loss_curve.to_corner(DOWN + RIGHT, buff=lay.edge_buff).shift(
                UP * lay.loss_panel_lift)
            self.loss_caption.next_to(self.loss_curve, UP, buff=lay.panel_caption_gap)
        for m in (self.data_panel, self.data_caption, self.loss_curve, self.loss_caption):
            self.fix(m)
            self.remove(m)

    # ---------------------------------------------------------------- 2. the valley
    def build_valley(self) -> None:
        """Create (without showing) the axes, surface, ✕, ball, trail and HUD."""
        S, st = self.S, self.stage
        if not hasattr(self, "data_panel"):
            self.build_panels()
        self.labels3d = self.axis_labels()
        self.surface = make_surface(self.axes, st.surface.w, st.surface.b, st.surface.L,
                                    st.l_range, S.mesh.colormap, S.mesh.fill_opacity)
        self.cross = StartCross(self.axes, st.cross_diagonals(), S.colors.cross,
                                S.sizes.cross_width, S.sizes.on_surface_depth_offset)
        self.ball = make_ball(st.ball_centers[0], S.sizes.ball_radius, S.colors.ball,
                              S.sizes.on_surface_depth_offset + 2 * S.sizes.ball_radius)
        self.trail = SurfacePath(st.trail_points, st.inside, S.mesh.trail_chunk, S.colors.trail,
                                 S.sizes.trail_width, S.sizes.on_surface_depth_offset)
        self.trail.show_until(0)
        self.build_hud()

    def show_valley(self) -> None:
        """Axes, the shaded loss surface, the ✕ at the start, the ball and the HUD."""
        self.build_valley()
        if self.data_panel not in self.mobjects:
            self.add(self.data_panel, self.data_caption)
        self.beat("axes", Create(self.axes), FadeIn(self.labels3d))
        self.beat("surface", FadeIn(self.surface))
        self.add(self.trail)
        self.beat("start_mark", Create(self.cross), FadeIn(self.ball))
        self.beat("hud", FadeIn(self.hud), FadeIn(self.loss_curve), FadeIn(self.loss_caption),
                  *self.swap_caption(self.stage.labels.rolling))
        self.hold("valley_hold")

    def pose_roll(self, tau: float) -> None:
        """Set the scene as it is at time τ of the roll, without animating (tests, stills)."""
        self.build_valley()
        self.add(self.axes, self.labels3d, self.surface, self.trail, self.cross, self.ball,
                 self.hud, self.data_panel, self.loss_curve)
        self.build_gradient_arrows()
        self.add(*self.grad_arrows)
        phi, theta = self.timeline.camera_at(tau)
        self.set_camera_orientation(phi=phi * DEG, theta=theta * DEG)
        self.show_roll_state(tau)

    def pose_map(self) -> None:
        """Set the top-down map with arrows and right angles, without animating."""
        self.pose_roll(self.timeline.duration)
        self.remove(self.surface, self.ball, self.cross, self.trail, self.labels3d[2],
                    *self.grad_arrows)
        c = self.S.camera
        self.set_camera_orientation(phi=c.top_phi * DEG, theta=c.top_theta * DEG,
                                    focal_distance=c.top_focal_distance, zoom=self.top_zoom())
        self.build_map()
        self.add(self.contours, self.arrows, *self.right_angles)

    def axis_labels(self) -> VGroup:
        """w, b, l at the ends of the axes, always facing the camera."""
        S = self.S
        out = VGroup()
        for axis, name in zip(self.axes.get_axes(), ("w", "b", "l"), strict=True):
            lab = MathTex(name, font_size=S.sizes.label_font * self.layout.label_scale,
                          color=S.colors.text)
            direction = axis.get_unit_vector()
            lab.move_to(axis.get_end() + S.sizes.axis_label_buff * direction)
            self.add_fixed_orientation_mobjects(lab)
            self.remove(lab)
            out.add(lab)
        return out

    def make_readout(self) -> Readout:
        """The live numbers at the start (not placed)."""
        S, st = self.S, self.stage
        readout = Readout(st.labels.step, st.scenario.learning_rate, S.sizes.hud_font,
                          S.colors.text, lambda s: self.text(s, S.sizes.small_font,
                                                             S.colors.muted),
                          S.layout.hud_gap)
        readout.set_values(0, st.traj.w[0], st.traj.b[0], st.traj.loss[0])
        return readout

    def make_rule(self) -> MathTex:
        """The update rule of gradient descent (not placed)."""
        S = self.S
        return MathTex(
            r"w_{t+1} &= w_t - \eta\,\frac{\partial l}{\partial w}\\"
            r"b_{t+1} &= b_t - \eta\,\frac{\partial l}{\partial b}",
            font_size=S.sizes.hud_font, color=S.colors.text)

    def build_hud(self) -> None:
        """Live numbers and the update rule, pinned to the frame.

        In landscape they go in the left column under the model; on a square or portrait frame
        in the top band's row beside it.
        """
        lay = self.S.layout
        # On a stacked frame, show_model already made and placed them next to the model.
        placed = hasattr(self, "readout")
        if not placed:
            self.readout, self.rule = self.make_readout(), self.make_rule()
        if self.layout.stacked:
            if not placed:
                self.layout.place_hud(None, self.rule, self.readout)
        else:
            anchor = getattr(self, "model_block", None)
            if anchor is not None:
                self.readout.next_to(anchor, DOWN, buff=lay.hud_block_gap, aligned_edge=LEFT)
            else:
                self.readout.to_corner(UL, buff=lay.edge_buff)
            self.rule.next_to(self.readout, DOWN, buff=lay.hud_block_gap, aligned_edge=LEFT)
        self.hud = VGroup(self.readout, self.rule)
        self.fix(self.hud)
        self.remove(self.hud)

    # ---------------------------------------------------------------- 3. rolling down
    def roll_ball(self) -> None:
        """The ball rolls along the exact trajectory while the camera orbits; HUD in sync."""
        tl, cam = self.timeline, self.camera
        self.clock = ValueTracker(0.0)
        self.build_gradient_arrows()
        driver = Mobject()
        driver.add_updater(lambda _m: self.show_roll_state(self.clock.get_value()))
        self.add(driver)
        T = tl.duration
        self.beat(
            "roll",
            UpdateFromAlphaFunc(self.clock, lambda m, a: m.set_value(a * T)),
            UpdateFromAlphaFunc(cam.phi_tracker,
                                lambda m, a: m.set_value(tl.camera_at(a * T)[0] * DEG)),
            UpdateFromAlphaFunc(cam.theta_tracker,
                                lambda m, a: m.set_value(tl.camera_at(a * T)[1] * DEG)),
            rate_func=linear,
        )
        driver.clear_updaters()
        self.remove(driver, *self.grad_arrows)
        self.hold("roll_hold")
        if self.stage.traj.diverged:
            if self.layout.stacked:
                # The bottom band holds the panels: say it in the caption's place instead.
                self.beat("diverged", *self.swap_caption(self.stage.labels.diverged,
                                                         self.S.colors.diverged))
            else:
                label = self.text(self.stage.labels.diverged, self.S.sizes.hud_font,
                                  self.S.colors.diverged)
                label.to_edge(DOWN, buff=self.S.layout.edge_buff)
                self.fix(label)
                self.remove(label)
                self.beat("diverged", FadeIn(label))
            self.hold("diverged_hold")

    def build_gradient_arrows(self) -> None:
        """Screen-space arrows along −∇l at the explained steps, and their labels."""
        S, st = self.S, self.stage
        self.grad_arrows: list[VGroup] = []
        for _ in range(self.timeline.explained):
            arrow = Arrow(LEFT, RIGHT, buff=0, color=S.colors.gradient,
                          stroke_width=S.sizes.arrow_width)
            lab = MathTex(r"-\nabla l", font_size=S.sizes.label_font * self.layout.label_scale,
                          color=S.colors.gradient)
            outline(lab, S)
            group = VGroup(arrow, lab).set_opacity(0)
            self.fix(group)
            self.grad_arrows.append(group)
        n = S.mesh.samples_per_step
        idx = [k * n for k in range(self.timeline.explained)]
        g = st.sample_gradients[idx] if idx else np.zeros((0, 2))
        self.grad_dirs = downhill_tangents(self.axes, g[:, 0], g[:, 1]) if idx else g

    def show_roll_state(self, tau: float) -> None:
        """Put everything where the timeline says it is at τ (called every frame)."""
        st, tl = self.stage, self.timeline
        s = tl.progress(tau)
        k = st.sample_index(s)
        inside = bool(st.inside[k])
        self.ball.move_to(st.ball_centers[k])
        self.ball.set_fill(opacity=1.0 if inside else 0.0)
        self.trail.show_until(k + 1)
        i = min(int(np.floor(s)), st.traj.n_steps)
        self.readout.set_values(i, *st.samples[k])
        self.loss_curve.set_progress(s)
        self.data_panel.set_fit(*st.fit_curve(st.samples[k, 0], st.samples[k, 1]))
        self.camera.reset_rotation_matrix()
        for j, group in enumerate(self.grad_arrows):
            op = tl.arrow_opacity(j, tau)
            if op <= 0:
                group.set_opacity(0)
                continue
            base = st.trail_points[j * self.S.mesh.samples_per_step]
            tip = base + self.S.sizes.gradient_arrow_length * self.grad_dirs[j]
            p, q = (self.camera.project_point(v)[:2] for v in (base, tip))
            arrow, lab = group
            arrow.become(Arrow(np.append(p, 0), np.append(q, 0), buff=0,
                               color=self.S.colors.gradient, stroke_width=self.S.sizes.arrow_width))
            lab.next_to(arrow.get_end(), np.append(q - p, 0) / np.linalg.norm(q - p),
                        buff=self.S.sizes.gradient_label_buff)
            group.set_opacity(op)
        # set_value and become made new submobjects: pin them now, since manim may render a
        # frame (the last of a play, a frozen hold) without running the scene's updaters again.
        self._refix()

    # ---------------------------------------------------------------- 4. from above
    def look_from_above(self) -> None:
        """Level lines appear on the surface; the camera rises to a top-down map view."""
        S, st, c = self.S, self.stage, self.S.camera
        self.contours = ContourSet(self.axes, st.contour_levels, st.l_range, S.mesh.colormap,
                                   S.sizes.contour_width, at_height=True,
                                   color_floor=S.mesh.contour_color_floor)
        self.beat("contours", Create(self.contours, lag_ratio=S.durations.lag_ratio),
                  *self.swap_caption(st.labels.from_above))
        cam = self.camera
        phi0, theta0 = cam.get_phi(), cam.get_theta()
        f0, f1 = c.focal_distance, c.top_focal_distance
        z0, z1 = cam.get_zoom(), self.top_zoom()

        def rise(_m: Mobject, a: float) -> None:
            e = smooth(a)
            cam.set_phi(phi0 + e * (c.top_phi * DEG - phi0))
            cam.set_theta(theta0 + e * (c.top_theta * DEG - theta0))
            # Interpolate the perspective strength 1/f, not f: the flattening is then even.
            cam.set_focal_distance(1.0 / ((1 - e) / f0 + e / f1))
            cam.set_zoom((z0 + e * (z1 - z0)) * np.interp(a, self.rise_alphas, self.rise_zoom))

        self.beat("rise", UpdateFromAlphaFunc(cam.phi_tracker, rise),
                  self.surface.animate.set_fill(opacity=0), FadeOut(self.ball),
                  FadeOut(self.cross), FadeOut(self.labels3d[2]), rate_func=linear)
        self.remove(self.surface)
        self.hold("map_hold")

    # ---------------------------------------------------------------- 5. right angles
    def map_z(self) -> float:
        """The l coordinate of the map plane (the floor of the box)."""
        return self.stage.l_range[0]

    def build_map(self) -> None:
        """Step arrows on the map and the right-angle constructions of the chosen steps."""
        S, st = self.S, self.stage
        t = st.traj
        if not hasattr(self, "contours"):
            self.contours = ContourSet(self.axes, st.contour_levels, st.l_range,
                                       S.mesh.colormap, S.sizes.contour_width, at_height=True,
                                   color_floor=S.mesh.contour_color_floor)
        self.arrows = VGroup()
        self.arrow_of: dict[int, Arrow] = {}
        inside = st.inside_steps
        for i in range(t.n_steps):
            if not inside[i]:
                continue
            p, q = (scene_points(self.axes, t.w[j], t.b[j], self.map_z()) for j in (i, i + 1))
            if i in st.arrow_steps:
                a = Arrow(p, q, buff=0, color=S.colors.step, stroke_width=S.sizes.arrow_width,
                          max_tip_length_to_length_ratio=S.sizes.arrow_tip_ratio,
                          max_stroke_width_to_length_ratio=S.sizes.arrow_width_ratio)
                self.arrow_of[i] = a
            else:
                # Too short for a tip: a plain segment, so the path still reaches its end.
                a = Line(p, q, color=S.colors.step, stroke_width=S.sizes.arrow_width)
            self.arrows.add(a)
        self.right_angles = [
            RightAngleStep(self.axes, (t.w[k], t.b[k]), (t.w[k + 1], t.b[k + 1]),
                           st.level_through(k), self.map_z(), self.arrow_of[k],
                           S.sizes.right_angle_side, S.colors.level_line, S.colors.right_angle,
                           S.sizes.level_line_width)
            for k in st.right_angle_steps
        ]

    def show_right_angles(self) -> None:
        """Each step as an arrow; on a few, the level line through its start and a right angle."""
        S, st = self.S, self.stage
        self.build_map()
        self.beat("arrows", FadeOut(self.trail),
                  LaggedStart(*(GrowArrow(a) if isinstance(a, Arrow) else Create(a)
                                for a in self.arrows), lag_ratio=S.durations.lag_ratio),
                  *self.swap_caption(st.labels.perpendicular))
        previous = None
        for k, ra in zip(st.right_angle_steps, self.right_angles, strict=True):
            anims = [Create(ra.level_line), Create(ra.mark),
                     ra.arrow.animate.set_color(S.colors.highlight)]
            if previous is not None:
                anims += [previous.level_line.animate.set_stroke(opacity=S.colors.dim_opacity),
                          previous.arrow.animate.set_color(S.colors.step)]
            self.beat(f"right_angle_{k}", *anims)
            self.hold(f"right_angle_hold_{k}")
            previous = ra

    # ---------------------------------------------------------------- 6. the floor
    def show_floor(self) -> None:
        """The minimum from gdmath, marked, and a closing line."""
        S, st = self.S, self.stage
        m = st.scenario.minimum
        anims: list[object] = []
        if st.floor_visible:
            p = scene_points(self.axes, m.w, m.b, self.map_z())
            dot = Dot(p, radius=S.sizes.floor_dot_radius, color=S.colors.floor)
            lab = self.text(st.labels.floor, S.sizes.small_font, S.colors.floor)
            value = MathTex(rf"(w^*, b^*) = ({m.w:.2f},\ {m.b:.2f})", font_size=S.sizes.hud_font,
                            color=S.colors.floor)
            group = VGroup(lab, value).arrange(DOWN, buff=S.layout.label_gap)
            group.next_to(dot, DOWN, buff=S.layout.floor_label_buff)
            outline(group, S)
            self.floor_marker = VGroup(dot, group)
            anims += [FadeIn(dot, scale=0.5), FadeIn(group)]
        else:
            # Nothing to mark (e.g. a diverged run): keep the beat so the plan stays the same.
            anims.append(Wait())
        self.beat("floor", *anims)
        if self.layout.stacked:
            # The bottom band holds the panels: the closing line takes the caption's place.
            self.beat("closing", *self.swap_caption(st.labels.closing))
        else:
            closing = self.caption(st.labels.closing)
            closing.to_edge(DOWN, buff=S.layout.edge_buff)
            self.fix(closing)
            self.remove(closing)
            self.beat("closing", FadeIn(closing))
        self.hold("closing_hold")
        self.check_plan()


class MapScene(_Beats, Scene):
    """The contour map as a 2D scene: level lines, the path, arrows and right angles."""

    def setup(self) -> None:
        """Read the config and build the stage before anything renders."""
        self._setup_story()
        self.S = self.stage.settings
        self.layout = self.make_layout()
        self.axes = self.map_axes(self.layout.view_scale, self.layout.view_center)

    text = StoryScene.text
    caption = StoryScene.caption
    fit_caption = StoryScene.fit_caption
    caption_height = StoryScene.caption_height
    swap_caption = StoryScene.swap_caption
    build_map = StoryScene.build_map
    show_right_angles = StoryScene.show_right_angles

    def fix(self, *mobs: Mobject) -> None:
        """Nothing moves the camera in 2D: nothing to pin."""

    def map_z(self) -> float:
        """2D axes ignore the third coordinate."""
        return 0.0

    def make_layout(self) -> StoryLayout:
        """The layout of the frame: on a square or portrait one the map shrinks to fit."""
        frame = current_frame()
        if frame.orientation == "landscape":
            return StoryLayout.for_frame(frame, self.S.layout)
        axes = self.map_axes()
        box = VGroup(axes, self.axis_labels(axes))
        extent = (box.get_left()[0], box.get_right()[0], box.get_bottom()[1], box.get_top()[1])
        return StoryLayout.for_frame(frame, self.S.layout, extent, self.caption_height(),
                                     has_panels=False)

    def axis_labels(self, axes: Axes, scale: float = 1.0) -> VGroup:
        """W and b at the ends of the map's axes, `scale` times the label size."""
        S = self.S
        return axes.get_axis_labels(
            MathTex("w", color=S.colors.text, font_size=S.sizes.label_font * scale),
            MathTex("b", color=S.colors.text, font_size=S.sizes.label_font * scale))

    def map_axes(self, scale: float = 1.0, center: np.ndarray | None = None) -> Axes:
        """W and b axes with the same screen length per unit, `scale` times the size.

        The middle of the (w, b) window goes to `center` (default: the origin).
        """
        S, st = self.S, self.stage
        (w0, w1), (b0, b1) = st.scenario.w_range, st.scenario.b_range
        unit = scale * S.sizes.plane_side / max(w1 - w0, b1 - b0)
        axes = BoxAxes2D(x_range=(w0, w1, _nice_step(w1 - w0)),
                         y_range=(b0, b1, _nice_step(b1 - b0)),
                         x_length=unit * (w1 - w0), y_length=unit * (b1 - b0), tips=False,
                         axis_config={"color": S.colors.axes})
        axes.shift(-scene_points(axes, (w0 + w1) / 2, (b0 + b1) / 2))
        if center is not None:
            axes.shift(center)
        return axes

    def build_path(self) -> None:
        """Level lines (flat) and the descent path on the map."""
        S, st = self.S, self.stage
        self.contours = ContourSet(self.axes, st.contour_levels, st.l_range, S.mesh.colormap,
                                   S.sizes.contour_width, at_height=False,
                                   color_floor=S.mesh.contour_color_floor)
        pts = scene_points(self.axes, st.samples[:, 0], st.samples[:, 1])
        self.trail = SurfacePath(pts, st.inside, S.mesh.trail_chunk, S.colors.trail,
                                 S.sizes.trail_width, 0.0)
        self.map_labels = self.axis_labels(self.axes, self.layout.label_scale)

    def show_map(self) -> None:
        """Equal-unit axes, the level lines and the descent path on them."""
        S, st = self.S, self.stage
        self.build_path()
        # The axes are there from the first frame: a video never opens on a blank frame.
        self.add(self.axes, self.map_labels)
        self.beat("contours", Create(self.contours, lag_ratio=S.durations.lag_ratio),
                  *self.swap_caption(st.labels.from_above))
        self.beat("path", Create(self.trail))
        self.hold("map_hold")

    def pose_map(self) -> None:
        """The finished map with arrows and right angles, without animating (tests, stills)."""
        self.build_path()
        self.build_map()
        self.add(self.axes, self.map_labels, self.contours, self.arrows, *self.right_angles)


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
