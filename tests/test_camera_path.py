"""The main video's camera, sampled at every frame at 60 fps: eased, in its elevation range.

The moves of `scenes.kit.story_camera` are sampled for every preset; the real scene's camera is
recorded frame by frame over the whole video (its own ``construct``, skipping the drawing) and
must follow those moves and obey the same limits: each move starts and stops at rest, the speed
changes by no more than `Camera.max_acceleration` allows between two frames, and φ stays inside
[`Camera.min_phi`, `Camera.max_phi`] whenever the 3D surface is on screen.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from manim import tempconfig
from support.beats import GDVIZ_ENV

import gdmath
from scenes.descent import GradientDescent
from scenes.kit.descent_study import DescentStudy, RollTimeline
from scenes.kit.env import read_environment
from scenes.kit.settings.seed import SEED
from scenes.kit.settings.story import SETTINGS
from scenes.kit.story_camera import camera_moves, ease_camera, free_b_growth, short_turn

FPS = 60
#: A move that starts or stops at rest turns less than this (degrees per second) over its first
#: and last frame: at 60 fps, a sixhundredth of a degree.
REST_SPEED = 0.1
CAMERA = SETTINGS.camera


def velocities(poses: np.ndarray, fps: float = FPS) -> np.ndarray:
    """(dφ/dt, dθ/dt) in degrees per second between consecutive frames (θ the short way)."""
    steps = np.diff(poses, axis=0)
    steps[:, 1] = (steps[:, 1] + 180.0) % 360.0 - 180.0
    return steps * fps


def sampled(move, fps: float = FPS) -> tuple[np.ndarray, np.ndarray]:
    """A move's poses at its frames (manim's ``arange(0, run_time, 1/fps)``) and at its end."""
    times = np.append(np.arange(0.0, move.seconds, 1.0 / fps), move.seconds)
    alphas = times / move.seconds
    return (np.array([move.pose(alpha) for alpha in alphas]),
            np.array([move.surface(alpha) for alpha in alphas]))


def check_track(poses: np.ndarray, surface: np.ndarray, what: str) -> None:
    """The limits on a camera track sampled at `FPS`, with the camera at rest before and after."""
    still = np.vstack([poses[:1], poses, poses[-1:]])
    speed = velocities(still)
    jumps = np.abs(np.diff(speed, axis=0)).max(axis=1)
    assert jumps.max() <= CAMERA.max_acceleration / FPS, (
        f"{what}: the camera's speed jumps by {jumps.max():.2f}°/s in one frame "
        f"(frame {int(jumps.argmax())}), more than {CAMERA.max_acceleration / FPS:.2f}°/s")
    for end, rest in (("starts", np.abs(speed[1]).max()), ("stops", np.abs(speed[-2]).max())):
        assert rest <= REST_SPEED, f"{what} {end} at {rest:.3f}°/s, not at rest"
    phis = poses[surface, 0]
    if phis.size:
        assert CAMERA.min_phi <= phis.min() and phis.max() <= CAMERA.max_phi, (
            f"{what}: φ from {phis.min():.1f}° to {phis.max():.1f}° with the surface on screen, "
            f"outside [{CAMERA.min_phi}°, {CAMERA.max_phi}°]")


def test_ease_starts_and_stops_at_rest() -> None:
    assert ease_camera(0.0) == 0.0 and ease_camera(1.0) == 1.0
    assert ease_camera(0.5) == pytest.approx(0.5)
    tiny = 1e-4
    assert ease_camera(tiny) / tiny < 1e-6
    assert (1.0 - ease_camera(1.0 - tiny)) / tiny < 1e-6
    assert short_turn(170.0, -170.0) == pytest.approx(20.0)
    assert short_turn(125.0, -90.0) == pytest.approx(145.0)


def test_surface_grows_only_inside_the_range() -> None:
    alphas = np.linspace(0.0, 1.0, 401)
    growth = np.array([free_b_growth(alpha, 90.0, 62.0, 75.0) for alpha in alphas])
    phis = 90.0 + np.array([ease_camera(alpha) for alpha in alphas]) * (62.0 - 90.0)
    assert growth[-1] == pytest.approx(1.0)
    assert phis[growth > 0].max() <= 75.0 + 1e-9
    assert np.all(np.diff(growth) >= 0)


@pytest.mark.parametrize("preset", sorted(gdmath.PRESETS))
def test_every_camera_move_is_eased_and_in_range(preset: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    for key in GDVIZ_ENV:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("GDVIZ_PRESET", preset)
    study = DescentStudy(read_environment())
    timeline = RollTimeline.build(study)
    moves = camera_moves(study, timeline, SEED)
    assert [move.beat for move in moves] == ["free_b", "roll", "rise"]
    ends = []
    for move in moves:
        poses, surface = sampled(move)
        check_track(poses, surface, f"{preset}: {move.beat}")
        ends.append((poses[0], poses[-1]))
    # One move takes over where the last stopped; the first starts at the slice's side view.
    for (_, stop), (start, _) in itertools.pairwise(ends):
        np.testing.assert_allclose(start, stop, atol=1e-9)
    assert ends[0][0][0] == pytest.approx(SEED.slice_phi)
    assert short_turn(ends[0][0][1], SEED.slice_theta) == pytest.approx(0.0, abs=1e-9)
    # The turns take the short way: at most 180° down to the valley, 120° up to the map.
    assert abs(ends[0][1][1] - ends[0][0][1]) <= 180.0
    assert abs(ends[2][1][1] - ends[2][0][1]) <= CAMERA.max_rise_turn <= 120.0
    assert ends[2][1][0] == pytest.approx(CAMERA.top_phi)


def record_camera(scene_cls: type, fps: float = FPS) -> tuple[list[str], np.ndarray]:
    """The beat and the camera's (φ, θ) in degrees at every frame of the whole video.

    The scene's own ``construct`` runs with every animation stepped frame by frame, but no
    frame drawn; a frozen hold repeats its pose for its frames.
    """
    from tqdm import tqdm

    class Recording(scene_cls):
        def setup(self) -> None:
            self.frames: list[tuple[str, float, float]] = []
            self.skip_animation_preview = True
            super().setup()

        def get_time_progression(self, run_time, description, n_iterations=None,
                                 override_skip_animations=False):
            return tqdm(np.arange(0.0, run_time, 1.0 / fps), disable=True)

        def pose_now(self, name: str) -> tuple[str, float, float]:
            return name, np.degrees(self.camera.get_phi()), np.degrees(self.camera.get_theta())

        def update_to_time(self, time: float) -> None:
            super().update_to_time(time)
            self.frames.append(self.pose_now(self.played.beats[-1].name))

        def hold(self, name: str, seconds: float) -> None:
            super().hold(name, seconds)
            self.frames += [self.pose_now(name)] * int(seconds * fps)

    cfg = {"pixel_width": 854, "pixel_height": 480, "frame_height": 8.0,
           "frame_width": 8.0 * 854 / 480, "dry_run": True, "disable_caching": True,
           "write_to_movie": False, "verbosity": "ERROR", "progress_bar": "none",
           "from_animation_number": 10**9, "frame_rate": fps, "renderer": "cairo"}
    with tempconfig(cfg):
        scene = Recording()
        scene.render()
    return [frame[0] for frame in scene.frames], np.array([frame[1:] for frame in scene.frames])


@pytest.mark.slow
@pytest.mark.usefixtures("default_env")
def test_the_scene_camera_is_eased_and_in_range_over_the_whole_video() -> None:
    names, poses = record_camera(GradientDescent)
    # Until the slice's axes appear nothing 3D is on screen: the camera is set, not moved.
    first = names.index("slice_axes")
    names, poses = names[first:], poses[first:]
    rise = names.index("rise")
    # From the valley to the rise the surface (or the discs of it the descent knows) is shown.
    surface = np.zeros(len(names), dtype=bool)
    surface[names.index("start_mark"):rise] = True
    study = DescentStudy(read_environment())
    moves = {move.beat: move for move in camera_moves(study, RollTimeline.build(study), SEED)}
    for beat, move in moves.items():
        frames = [k for k, name in enumerate(names) if name == beat]
        alphas = np.arange(len(frames)) / FPS / move.seconds
        planned = np.array([move.pose(alpha) for alpha in alphas])
        np.testing.assert_allclose(
            poses[frames], planned, atol=1e-6,
            err_msg=f"the scene's camera in {beat} is not the planned move")
        surface[frames] = [move.surface(alpha) for alpha in alphas]
    check_track(poses, surface, "the whole video")
    assert np.abs(poses[rise:, 0]).max() <= 90.0


def test_roll_framing_keeps_every_pose_in_its_room_and_rests_at_the_offset() -> None:
    from scenes.kit.story_camera import roll_framing

    # A view that is small early in the roll and wide late: the framing zooms in early, stays
    # in the room, and starts and ends at the resting offset.
    progress = np.linspace(0.0, 1.0, 24)
    half = 1.0 + progress
    extents = np.column_stack([-half, half, -np.ones_like(half), np.ones_like(half)])
    sizes = np.sqrt(4.0 * half)
    box, rest = (-3.0, 3.0, -2.5, 2.5), np.array([0.2, -0.1])
    framing = roll_framing(progress, extents, sizes, box, rest, 4, 0.97, 0.5)
    assert framing is not None
    for alpha, (x0, x1, y0, y1) in zip(progress, extents, strict=True):
        zoom, offset = framing.at_progress(alpha)
        assert box[0] - 1e-6 <= offset[0] + zoom * x0 and offset[0] + zoom * x1 <= box[1] + 1e-6
        assert box[2] - 1e-6 <= offset[1] + zoom * y0 and offset[1] + zoom * y1 <= box[3] + 1e-6
    for alpha in (0.0, 1.0):
        np.testing.assert_allclose(framing.at_progress(alpha)[1], rest, atol=1e-6)
    shown = np.array([framing.at_progress(alpha)[0] for alpha in progress]) * sizes
    # Steadier than one zoom for the whole roll (its sizes vary by √2).
    assert shown.max() / shown.min() < 0.8 * np.sqrt(2.0)
