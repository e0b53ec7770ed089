"""What the rendered videos show: the ball, the ✕ and the right angles, in decoded frames.

Each scene renders once at 640×360 and 3 fps. At a hold beat of its recorded script, the frame in
the middle of the hold is decoded, and the pixels where gdmath's numbers put the objects are
checked: (wₜ, bₜ, l(wₜ, bₜ)) is projected through the camera of the scene run by its own
``construct`` up to that beat (`support.beats.run_to_beat`), at the video's size.

- The ball: its colour inside half its radius, and mostly something else on a ring at 1.7 radii
  (a ball removed, or moved by one radius, fails one or the other).
- The ✕ at (w₀, b₀): its colour where the strokes cross and halfway along each of its four arms
  (a ✕ removed or moved by a ball's radius misses at least one of them).
- A right-angle mark at the start of each chosen step, on the left of the step: its colour at the
  middle of both of its legs, and not there one beat earlier, before the mark is drawn.

Colours are compared as RGB distances; the video is lossy (x264, 4:2:0), so "is this colour"
means nearer than `NEAR` and "is not" farther than `NEAR`. Strokes thinner than a pixel (the
✕'s arms, the marks' legs) are looked for in the 3×3 pixels around the point.
"""

from __future__ import annotations

import numpy as np
import pytest
from scene_helpers import expected_ball_center
from support.beats import (
    colour_distance,
    hold_frame,
    nearest_in_block,
    pixel_of,
    run_to_beat,
    samples,
)
from test_scene_render import check_video, decode, render

from scenes.basins import BasinsOfAttraction
from scenes.curvature import CurvatureZigZag
from scenes.descent import GradientDescent
from scenes.landscapes import ActivationLandscapes

SIZE = (640, 360)
FPS = 3
NEAR = 100.0  # RGB distance, 0..441: within it a pixel "is" the colour
RING = 1.7  # radii: the ring just outside the ball (and its outline on a map)
RING_SHARE = 1 / 3  # a trail of the ball's colour may cross the ring, not cover it


# --------------------------------------------------------------------------- the checks
def ball_problems(frame, center, radius_px: float, color: str) -> list[str]:
    """What is wrong with the ball that should be drawn at `center` (pixels)."""
    out = []
    inner = np.vstack([samples(frame, center, 0.0, 1), samples(frame, center, 0.5 * radius_px, 8)])
    far = colour_distance(inner, color)
    if far.max() > NEAR:
        out.append(f"ball: inside at {np.round(center, 1)} is not {color} (distances "
                   f"{far.round().astype(int).tolist()})")
    ring = colour_distance(samples(frame, center, RING * radius_px, 24), color)
    if (ring <= NEAR).mean() > RING_SHARE:
        out.append(f"ball: {(ring <= NEAR).mean():.0%} of the ring at {RING} radii around "
                   f"{np.round(center, 1)} is {color} too (a bigger or displaced ball)")
    return out


def cross_problems(frame, crossing, arm_points, color: str) -> list[str]:
    """What is wrong with the ✕ crossing at `crossing` with `arm_points` on its arms (pixels)."""
    pts = np.vstack([np.atleast_2d(crossing), arm_points])
    far = np.array([nearest_in_block(frame, p, color) for p in pts])
    if far.max() > NEAR:
        return [f"✕ at {np.round(crossing, 1)}: not {color} at {np.round(pts[far > NEAR], 1)}"
                f" (distances {far.round().astype(int).tolist()})"]
    return []


def mark_problems(frame, legs, color: str) -> list[str]:
    """What is wrong with a right-angle mark whose leg midpoints are `legs` (pixels)."""
    far = np.array([nearest_in_block(frame, p, color) for p in legs])
    if far.max() > NEAR:
        return [f"right angle: not {color} at {np.round(legs, 1).tolist()} "
                f"(distances {far.round().astype(int).tolist()})"]
    return []


# --------------------------------------------------------------------------- rendering
@pytest.fixture(scope="module")
def videos(tmp_path_factory, request):
    """Render each scene once (lazily): name -> (frames, script)."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("GDVIZ_")}
    cache: dict[str, tuple[list[np.ndarray], object]] = {}

    def get(scene_file: str, scene_cls) -> tuple[list[np.ndarray], object]:
        if scene_file not in cache:
            media = tmp_path_factory.mktemp(scene_file.removesuffix(".py"))
            proc = render(scene_file, media, env, SIZE, FPS)
            assert proc.returncode == 0, proc.stderr[-3000:]
            (video,) = media.glob(f"videos/**/{scene_cls.__name__}.mp4")
            frames, rate = decode(video)
            # The average frame rate may read 3.00002: compare it within 1e-3 (the frame count
            # is still exact).
            script = check_video(frames, rate, scene_cls, SIZE, FPS, rate_rel=1e-3)
            cache[scene_file] = (frames, script)
        return cache[scene_file]

    return get


def frame_at(videos, scene_file, scene_cls, beat):
    frames, script = videos(scene_file, scene_cls)
    return frames[hold_frame(script, beat, FPS)]


def screen_radius(camera, mobject, center, radius: float) -> float:
    """Pixels of `radius` scene units at `center`, across the line of sight."""
    across = camera.get_rotation_matrix()[0] if hasattr(camera, "get_rotation_matrix") else (
        np.array([1.0, 0.0, 0.0]))
    return float(np.linalg.norm(pixel_of(camera, mobject, center + radius * across)
                                - pixel_of(camera, mobject, center)))


# --------------------------------------------------------------------------- the main video
def descent_roll_problems(frame, scene) -> list[str]:
    """The ball at the last iterate and the ✕ at the start, at the hold after the roll."""
    st, cam = scene.stage, scene.camera
    colors, sizes = st.settings.colors, st.settings.sizes
    n = st.traj.n_steps
    center = expected_ball_center(scene.axes, st.problem, st.traj.w[n], st.traj.b[n],
                                  sizes.ball_radius)
    out = ball_problems(frame, pixel_of(cam, scene.ball, center),
                        screen_radius(cam, scene.ball, center, sizes.ball_radius), colors.ball)
    # The ✕'s half-width is set in scene units on the plane of the box: in w, b units it is
    # that over the units per scene unit of the longer side.
    w0, b0 = st.scenario.start
    half = sizes.cross_half_width * max(np.ptp(st.scenario.w_range),
                                        np.ptp(st.scenario.b_range)) / sizes.plane_side

    def on_surface(w, b):
        return pixel_of(cam, scene.cross, scene.axes.c2p(w, b, st.problem.loss(w, b)))

    arms = [on_surface(w0 + sw * half / 2, b0 + sb * half / 2)
            for sw in (-1, 1) for sb in (-1, 1)]
    return out + cross_problems(frame, on_surface(w0, b0), np.array(arms), colors.cross)


def right_angle_legs(scene, k: int) -> np.ndarray:
    """Pixels of the middles of the legs of the mark at step k, from the iterates alone.

    On a map with equal units the level line through wₖ is perpendicular to the step (it goes
    along −∇l); the mark's square has the step's direction and its left normal as sides.
    """
    st, ax, z = scene.stage, scene.axes, scene.map_z()
    p0 = np.asarray(ax.c2p(st.traj.w[k], st.traj.b[k], z), dtype=float)
    p1 = np.asarray(ax.c2p(st.traj.w[k + 1], st.traj.b[k + 1], z), dtype=float)
    d = (p1 - p0) / np.linalg.norm(p1 - p0)
    left = np.array([-d[1], d[0], 0.0])
    # The mark's size is the scene's (the start's mark is larger: it clears the ✕ on screen);
    # where it stands and its directions come from the iterates alone.
    side = scene.right_angle_side(k)
    legs = [p0 + side * (d + left / 2), p0 + side * (left + d / 2)]
    mob = getattr(scene, "surface", scene.axes)
    return np.array([pixel_of(scene.camera, mob, p) for p in legs])


@pytest.mark.slow
@pytest.mark.usefixtures("default_env")
def test_descent_video_shows_ball_and_cross_after_the_roll(videos) -> None:
    # A path that bends holds on its "bend" caption instead of the plain roll hold.
    scene = run_to_beat(GradientDescent, None, *SIZE)
    roll_end = next(name for name in ("bend_hold", "roll_hold")
                    if name in [beat.name for beat in scene.played.beats])
    scene = run_to_beat(GradientDescent, roll_end, *SIZE)
    frame = frame_at(videos, "descent.py", GradientDescent, roll_end)
    assert descent_roll_problems(frame, scene) == []


@pytest.mark.slow
@pytest.mark.usefixtures("default_env")
def test_descent_video_shows_each_right_angle_where_the_step_starts(videos) -> None:
    probe = run_to_beat(GradientDescent, "map_hold", *SIZE)
    steps = probe.stage.right_angle_steps
    assert len(steps) >= 3
    color = probe.stage.settings.colors.right_angle
    for k in steps:
        scene = run_to_beat(GradientDescent, f"right_angle_hold_{k}", *SIZE)
        legs = right_angle_legs(scene, k)
        shown = frame_at(videos, "descent.py", GradientDescent, f"right_angle_hold_{k}")
        assert mark_problems(shown, legs, color) == [], k
        # One beat earlier (the map, before any mark) those pixels are something else: the
        # check sees the mark, not a line that happens to pass there.
        before = frame_at(videos, "descent.py", GradientDescent, "map_hold")
        assert mark_problems(before, legs, color) != [], k


# --------------------------------------------------------------------------- lecture maps
def map_balls_and_crosses(scene, ax, frame, ends, starts) -> list[str]:
    """Balls at the (w, b) in `ends` and ✕s at those in `starts`, on the map of axes `ax`."""
    look, th, cam = scene.look, scene.theme, scene.camera
    out = []
    unit = float(np.linalg.norm(np.asarray(ax.c2p(1, 0)) - np.asarray(ax.c2p(0, 0))))
    for (we, be), (ws, bs) in zip(ends, starts, strict=True):
        p = np.asarray(ax.c2p(we, be), dtype=float)
        r_px = screen_radius(cam, ax, p, look.ball_radius)
        out += ball_problems(frame, pixel_of(cam, ax, p), r_px, th.ball)
        # A ball that never left its start covers the ✕'s middle (a dead ReLU): skip that ✕.
        if np.hypot(we - ws, be - bs) * unit < look.ball_radius + look.cross_half_width:
            continue
        q = np.asarray(ax.c2p(ws, bs), dtype=float)
        h = look.cross_half_width / 2
        arms = [pixel_of(cam, ax, q + np.array([sx * h, sy * h, 0.0]))
                for sx in (-1, 1) for sy in (-1, 1)]
        out += cross_problems(frame, pixel_of(cam, ax, q), np.array(arms), th.cross)
    return out


def curvature_problems(frame, scene) -> list[str]:
    t = scene.stage.traj
    return map_balls_and_crosses(scene, scene.axes, frame, [(t.w[-1], t.b[-1])], [(t.w[0], t.b[0])])


def basins_problems(frame, scene) -> list[str]:
    paths = scene.stage.paths
    return map_balls_and_crosses(scene, scene.axes, frame, [(p.w[-1], p.b[-1]) for p in paths],
                                 [(p.w[0], p.b[0]) for p in paths])


def landscapes_problems(frame, scene) -> list[str]:
    out = []
    for m, panel in zip(scene.panel_mobs, scene.stage.panels, strict=True):
        t = panel.trajectory
        # A path that leaves its window stops, ball and all, at its last point inside.
        outside = np.flatnonzero(~panel.view.inside(t.points))
        last = int(outside[0]) - 1 if outside.size else t.n_steps
        end = max(last, 0)
        out += map_balls_and_crosses(scene, m["axes"], frame, [(t.w[end], t.b[end])],
                                     [(t.w[0], t.b[0])])
    return out


LECTURES = {
    "curvature": ("curvature.py", CurvatureZigZag, "rest_hold", curvature_problems),
    "basins": ("basins.py", BasinsOfAttraction, "roll_hold", basins_problems),
    "landscapes": ("landscapes.py", ActivationLandscapes, "roll_hold", landscapes_problems),
}


@pytest.mark.slow
@pytest.mark.usefixtures("default_env")
@pytest.mark.parametrize("name", list(LECTURES))
def test_lecture_video_shows_balls_and_crosses(videos, name) -> None:
    scene_file, scene_cls, beat, problems = LECTURES[name]
    scene = run_to_beat(scene_cls, beat, *SIZE)
    frame = frame_at(videos, scene_file, scene_cls, beat)
    assert problems(frame, scene) == []
    _, script = videos(scene_file, scene_cls)
    assert 15 <= script.seconds(FPS) <= 40  # a lecture is short
