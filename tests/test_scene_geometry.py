"""The scenes put things where gdmath says, as seen through the real scene camera.

Scenes are posed (built and set as they are at a given moment, without animating) and their
objects projected with the scene's own `ThreeDCamera.project_points` and pixel mapping at 1080p.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from manim import tempconfig
from scene_helpers import expected_ball_center, scene_to_wbl, to_pixels
from support.beats import run_to_beat
from support.stills import pose_map, pose_roll
from support.walk import visible_parts

from scenes.contour import ContourMap
from scenes.descent import GradientDescent
from scenes.kit.descent_study import DEG, DescentStudy, RollTimeline
from scenes.kit.env import read_environment
from scenes.valley import Valley

HD = {"pixel_width": 1920, "pixel_height": 1080, "write_to_movie": False,
      "disable_caching": True, "renderer": "cairo"}
# gdviz's frames: 8 units high, 8 · W / H wide (see gdviz.jobs).
ASPECTS = {"16:9": (1920, 1080), "1:1": (1080, 1080), "9:16": (1080, 1920)}


def frame_config(aspect: str) -> dict:
    w, h = ASPECTS[aspect]
    return {**HD, "pixel_width": w, "pixel_height": h, "frame_height": 8.0,
            "frame_width": 8.0 * w / h}


def posed(scene_cls, pose, cfg=HD):
    with tempconfig(cfg):
        scene = scene_cls()
        scene.setup()
        pose(scene)
        scene.update_self(0)
        if hasattr(scene.camera, "reset_rotation_matrix"):
            scene.camera.reset_rotation_matrix()
    return scene


@pytest.fixture(scope="module")
def stage() -> DescentStudy:
    import os

    saved = {k: os.environ.pop(k) for k in ("GDVIZ_CONFIG", "GDVIZ_PRESET", "GDVIZ_LANG")
             if k in os.environ}
    try:
        yield DescentStudy(read_environment())
    finally:
        os.environ.update(saved)


@pytest.mark.usefixtures("default_env")
@pytest.mark.parametrize("scene_cls", [Valley, GradientDescent])
def test_ball_rests_on_the_surface_on_screen(scene_cls, stage: DescentStudy) -> None:
    tl = RollTimeline.build(stage)
    n = stage.traj.n_steps
    steps = sorted({0, 1, 2, 3, 7, n // 2, n})
    r = stage.settings.sizes.ball_radius
    for t in steps:
        tau = float(tl.starts[t]) if t < n else tl.duration
        assert tl.progress(tau) == pytest.approx(t)
        scene = posed(scene_cls, lambda s, tau=tau: pose_roll(s, tau))
        cam = scene.camera
        phi, theta = tl.camera_at(tau)
        assert cam.get_phi() == pytest.approx(phi * DEG)
        assert cam.get_theta() == pytest.approx(theta * DEG)
        want = expected_ball_center(scene.axes, stage.problem, stage.traj.w[t],
                                    stage.traj.b[t], r)
        got_px = to_pixels(cam, scene.ball, scene.ball.get_center())[0]
        want_px = to_pixels(cam, scene.ball, want)[0]
        assert np.hypot(*(got_px - want_px)) < 0.5, f"step {t}: {got_px} vs {want_px}"


@pytest.mark.usefixtures("default_env")
def test_ball_is_lifted_by_its_radius_everywhere(stage: DescentStudy) -> None:
    # Between iterates too: every sample the ball can sit on.
    k = np.linspace(0, len(stage.samples) - 1, 97).astype(int)
    r = stage.settings.sizes.ball_radius
    axes = stage.axes
    for i in k:
        w, b, _ = stage.samples[i]
        want = expected_ball_center(axes, stage.problem, w, b, r)
        np.testing.assert_allclose(stage.ball_centers[i], want, atol=1e-9)


@pytest.mark.usefixtures("default_env")
def test_cross_is_at_the_start_and_trail_on_the_surface(stage: DescentStudy) -> None:
    scene = posed(Valley, lambda s: pose_roll(s, RollTimeline.build(stage).duration))
    w0, b0 = stage.scenario.start
    l0 = stage.problem.loss(w0, b0)
    np.testing.assert_allclose(scene.cross.crossing(), scene.axes.c2p(w0, b0, l0), atol=1e-9)
    # The ✕ faces the camera (it is never foreshortened), so both strokes meet at its centre.
    assert scene.cross in scene.camera.fixed_orientation_mobjects
    for stroke in scene.cross.submobjects:
        start, end = stroke.get_start_and_end()
        np.testing.assert_allclose(0.5 * (start + end), scene.cross.crossing(), atol=1e-9)
    pts = np.vstack([p.get_anchors() for p in scene.trail.submobjects if p.has_points()])
    assert len(pts) > stage.traj.n_steps
    wbl = scene_to_wbl(scene.axes, pts)
    np.testing.assert_allclose(wbl[:, 2], stage.problem.loss(wbl[:, 0], wbl[:, 1]),
                               rtol=1e-9, atol=1e-9)
    # And the trail passes through every iterate.
    it = scene_to_wbl(scene.axes, stage.trail_points[:: stage.settings.mesh.samples_per_step])
    np.testing.assert_allclose(it[:, :2], stage.traj.points, atol=1e-9)


def screen_angles(scene, mob_for_projection) -> list[float]:
    """On-screen angle (degrees) between each right-angle step's arrow and its level line."""
    cam = scene.camera
    out = []
    for ra in scene.right_angles:
        a0, a1 = ra.arrow.get_start(), ra.arrow.get_end()
        pa = to_pixels(cam, mob_for_projection, np.array([a0, a1]))
        d = pa[1] - pa[0]
        best = None
        for line in ra.level_line.submobjects:
            pl = to_pixels(cam, mob_for_projection, line.get_anchors())
            dist = np.hypot(*(pl - pa[0]).T)
            i = int(np.argmin(dist))
            if best is None or dist[i] < best[0]:
                lo, hi = max(i - 1, 0), min(i + 1, len(pl) - 1)
                best = (dist[i], pl[hi] - pl[lo])
        assert best[0] < 3.0, "the level line does not pass through the step's start"
        tangent = best[1]
        cos = abs(d @ tangent) / (np.linalg.norm(d) * np.linalg.norm(tangent))
        out.append(float(np.degrees(np.arccos(np.clip(cos, 0, 1)))))
    return out


@pytest.mark.usefixtures("default_env")
@pytest.mark.parametrize("aspect", list(ASPECTS))
def test_steps_cross_level_lines_at_right_angles_top_down(stage: DescentStudy, aspect: str) -> None:
    scene = posed(GradientDescent, pose_map, frame_config(aspect))
    assert scene.camera.get_phi() == pytest.approx(0.0)
    assert len(scene.right_angles) >= 3
    for angle in screen_angles(scene, scene.surface):
        assert angle == pytest.approx(90.0, abs=1.0)
    # Same screen length per unit of w and of b (else the right angles would be false).
    ax, z = scene.axes, stage.l_range[0]
    p = to_pixels(scene.camera, scene.surface,
                  np.array([ax.c2p(0, 0, z), ax.c2p(1, 0, z), ax.c2p(0, 1, z)]))
    uw, ub = np.linalg.norm(p[1] - p[0]), np.linalg.norm(p[2] - p[0])
    assert uw == pytest.approx(ub, rel=1e-6)
    assert abs((p[1] - p[0]) @ (p[2] - p[0])) < 1e-6 * uw * ub


@pytest.mark.usefixtures("default_env")
@pytest.mark.parametrize("aspect", list(ASPECTS))
def test_steps_cross_level_lines_at_right_angles_2d(aspect: str) -> None:
    scene = posed(ContourMap, pose_map, frame_config(aspect))
    assert len(scene.right_angles) >= 3
    for angle in screen_angles(scene, scene.axes):
        assert angle == pytest.approx(90.0, abs=1.0)
    ax = scene.axes
    p = to_pixels(scene.camera, ax, np.array([ax.c2p(0, 0), ax.c2p(1, 0), ax.c2p(0, 1)]))
    assert np.linalg.norm(p[1] - p[0]) == pytest.approx(np.linalg.norm(p[2] - p[0]), rel=1e-9)


@pytest.mark.usefixtures("default_env")
def test_camera_orbit_is_smooth_and_sweeps_90_degrees(stage: DescentStudy) -> None:
    tl = RollTimeline.build(stage)
    taus = np.linspace(0, tl.duration, 2001)
    cams = np.array([tl.camera_at(t) for t in taus])
    assert abs(cams[-1, 1] - cams[0, 1]) >= 90
    # No jump: per-frame change at 60 fps stays small everywhere.
    step = np.abs(np.diff(cams, axis=0)).max(axis=0)
    assert step.max() < 1.0
    assert cams[0, 0] == pytest.approx(stage.settings.camera.valley_phi)
    assert cams[0, 1] == pytest.approx(stage.orbit[0])


@pytest.mark.usefixtures("default_env")
def test_hud_follows_the_ball(stage: DescentStudy) -> None:
    tl = RollTimeline.build(stage)
    t = 3
    scene = posed(Valley, lambda s: pose_roll(s, float(tl.starts[t])))
    vals = [n.get_value() for n in scene.readout.numbers]
    assert vals[0] == t
    np.testing.assert_allclose(vals[1:4], [stage.traj.w[t], stage.traj.b[t], stage.traj.loss[t]])
    assert vals[4] == pytest.approx(stage.scenario.learning_rate)
    # The fit curve in the data panel is φ(wₜ·x + bₜ).
    fit = scene.data_panel.fit.get_anchors()
    xy = np.array([scene.data_panel.axes.p2c(p) for p in fit])
    np.testing.assert_allclose(xy[:, 1], stage.problem.predict(stage.traj.w[t], stage.traj.b[t],
                                                               xy[:, 0]), atol=1e-9)


@pytest.mark.usefixtures("default_env")
def test_hud_shows_the_iterate_it_names_between_iterates(stage: DescentStudy) -> None:
    # Half way from iterate t to t + 1 the ball is between them; the readout's wₜ, bₜ and
    # l(wₜ, bₜ) are still iterate t's, exactly, until the ball reaches t + 1.
    tl = RollTimeline.build(stage)
    t = 3
    scene = posed(Valley, lambda s: pose_roll(s, 0.5 * float(tl.starts[t] + tl.starts[t + 1])))
    vals = [n.get_value() for n in scene.readout.numbers]
    assert vals[0] == t
    assert vals[1:4] == [stage.traj.w[t], stage.traj.b[t], stage.traj.loss[t]]


@pytest.mark.usefixtures("default_env")
def test_hud_numbers_stay_pinned_to_the_frame(stage: DescentStudy) -> None:
    # DecimalNumber.set_value makes new glyphs every frame; unpinned, the camera would project
    # them into the 3D scene.
    tl = RollTimeline.build(stage)
    scene = posed(Valley, lambda s: pose_roll(s, tl.duration))
    fixed = scene.camera.fixed_in_frame_mobjects
    for mob in (scene.readout, scene.loss_curve, scene.data_panel, *scene.grad_arrows):
        assert all(m in fixed for m in mob.get_family())


# --------------------------------------------------------------------------- layout per aspect
def box_of(mob) -> tuple[float, float, float, float]:
    return (mob.get_left()[0], mob.get_right()[0], mob.get_bottom()[1], mob.get_top()[1])


def inside(inner, outer, tol: float = 1e-6) -> bool:
    return (inner[0] >= outer[0] - tol and inner[1] <= outer[1] + tol
            and inner[2] >= outer[2] - tol and inner[3] <= outer[3] + tol)


def apart(a, b) -> bool:
    return a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2]


@pytest.mark.usefixtures("default_env")
@pytest.mark.parametrize("aspect", ["1:1", "9:16"])
def test_stacked_layout_keeps_view_hud_and_panels_apart(stage: DescentStudy, aspect: str) -> None:
    """On square and portrait frames the bands and the 3D view never overlap or leave the frame.

    The view is checked through the scene camera at several moments of the roll and on the map.
    """
    cfg = frame_config(aspect)
    half_w, half_h = cfg["frame_width"] / 2, cfg["frame_height"] / 2
    frame = (-half_w, half_w, -half_h, half_h)
    tl = RollTimeline.build(stage)

    def check(scene) -> None:
        lay = scene.layout
        assert lay.stacked and 0 < lay.view_scale < 1
        pieces = {name: box_of(getattr(scene, name)) for name in (
            "rule", "readout", "data_panel", "data_caption", "loss_curve", "loss_caption")}
        for name, b in pieces.items():
            assert inside(b, frame), (name, b)
        names = list(pieces)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                assert apart(pieces[a], pieces[b]), (a, b)
        # The 3D view: every visible point of the valley, path and map, as the camera draws it.
        cam = scene.camera
        cam.reset_rotation_matrix()
        mobs = [m for m in (scene.surface, scene.trail, scene.ball, scene.axes,
                            getattr(scene, "contours", None))
                if m is not None and m in scene.mobjects]
        xy = cam.project_points(np.vstack([m.get_all_points() for m in mobs]))[:, :2]
        view = (xy[:, 0].min(), xy[:, 0].max(), xy[:, 1].min(), xy[:, 1].max())
        assert inside(view, frame), view
        for name, b in pieces.items():
            assert apart(view, b), (name, view, b)

    rolling = posed(GradientDescent, lambda s: pose_roll(s, 0.0), cfg)
    for tau in np.linspace(0, tl.duration, 4):
        # Move the posed scene on through the roll: the camera orbits, the ball rolls.
        phi, theta = tl.camera_at(tau)
        rolling.set_camera_orientation(phi=phi * DEG, theta=theta * DEG)
        rolling.frame_roll(tau)  # the roll's zoom and place on screen
        rolling.show_roll_state(tau)
        check(rolling)
    check(posed(GradientDescent, pose_map, cfg))


# --------------------------------------------------------------------------- pose vs animation
def drawn_pieces(scene) -> Counter:
    """What the scene draws in its view (not text pinned to the frame, not the caption): each
    piece's point count, mean point, stroke colour, opacities and width."""
    fixed = set(getattr(scene.camera, "fixed_in_frame_mobjects", ()))
    caption = set(scene.current_caption.get_family()) if scene.current_caption else set()
    out: Counter = Counter()
    for part in visible_parts(scene.mobjects, min_opacity=0.0):
        if part in fixed or part in caption:
            continue
        style = (part.get_stroke_opacity(), part.get_fill_opacity(), part.get_stroke_width())
        out[(len(part.points), *np.round(part.points.mean(axis=0), 6),
             part.get_stroke_color().to_hex(), *(round(float(v), 4) for v in style))] += 1
    return out


@pytest.mark.usefixtures("default_env")
@pytest.mark.parametrize(("scene_cls", "beat"), [(GradientDescent, "floor"), (ContourMap, None)])
def test_pose_map_is_what_the_animation_draws_at_the_map(scene_cls, beat) -> None:
    """`pose_map` (used by the stills and the right-angle tests) against the scene's own
    ``construct`` run to the map: the same pieces, places and styles, the same camera."""
    real = run_to_beat(scene_cls, beat)
    pose = posed(scene_cls, pose_map)
    want, got = drawn_pieces(real), drawn_pieces(pose)
    assert sum(want.values()) > 50
    assert got == want, (f"only in the animation: {list((want - got).items())[:3]}; "
                         f"only in pose_map: {list((got - want).items())[:3]}")
    if hasattr(real.camera, "get_phi"):
        for name in ("get_phi", "get_theta", "get_focal_distance", "get_zoom"):
            assert getattr(pose.camera, name)() == pytest.approx(getattr(real.camera, name)(),
                                                                 rel=1e-9), name
        np.testing.assert_allclose([n.get_value() for n in pose.readout.numbers],
                                   [n.get_value() for n in real.readout.numbers])


@pytest.mark.usefixtures("default_env")
@pytest.mark.parametrize("aspect", ["16:9", "9:16"])
def test_the_start_right_angle_mark_clears_the_cross(aspect: str) -> None:
    scene = posed(GradientDescent, pose_map, frame_config(aspect))
    traj, cam = scene.stage.traj, scene.camera
    assert 0 in scene.stage.right_angle_steps
    # On screen, through the camera: the ✕ faces it at its own size, the mark is zoomed.
    start = cam.project_points(np.asarray(
        scene.axes.c2p(traj.w[0], traj.b[0], scene.map_z()), dtype=float)[None, :])[0, :2]
    reach = max(np.linalg.norm(cam.transform_points_pre_display(arm, arm.points)[:, :2] - start,
                               axis=1).max() for arm in scene.cross)
    mark = scene.right_angles[list(scene.stage.right_angle_steps).index(0)].mark
    nearest = np.linalg.norm(cam.project_points(mark.points)[:, :2] - start, axis=1).min()
    # Before, the mark (side 0.2) lay across an arm of the ✕ (reach 0.31 at zoom 1).
    assert nearest > 1.1 * reach


@pytest.mark.usefixtures("default_env")
def test_map_numbers_include_zero_inside_the_window() -> None:
    scene = posed(GradientDescent, pose_map)
    words = [number.text for number in scene.map_numbers]
    (w0, w1), (b0, b1) = scene.stage.scenario.w_range, scene.stage.scenario.b_range
    assert w0 < 0 < w1
    # Each axis has its tick at 0 inside its window (manim leaves it out where stock axes
    # cross), and each tick at 0 is numbered "0", never "−0".
    zero_ticks = 0
    for axis, (lo, hi) in zip(scene.axes.get_axes()[:2], ((w0, w1), (b0, b1)), strict=True):
        at_zero = int(np.isclose(axis.get_tick_range(), 0.0).sum())
        assert at_zero == (1 if lo < 0 < hi else at_zero)
        zero_ticks += at_zero
    assert words.count("0") == zero_ticks >= 1
    assert "\u22120" not in words


@pytest.mark.usefixtures("default_env")
def test_the_step_word_sits_on_the_baseline_of_t() -> None:
    scene = posed(GradientDescent, pose_map)
    readout = scene.readout
    s_glyph = readout.word.family_members_with_points()[0]  # "s": no descender
    t_glyph = readout.labels[0].family_members_with_points()[0]
    # Centred on "t =" (as before), "step" sat 0.03 units (4 px at 1080p) high.
    assert s_glyph.get_bottom()[1] == pytest.approx(t_glyph.get_bottom()[1],
                                                    abs=0.08 * t_glyph.height)
