"""The seed's three ideas in the main video, checked through the scene's own camera.

The slice curve lies on the surface as drawn; the discs of the known landscape are where the
path was, and appear only once the ball has been there; the switch and the beats follow the
config.
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import tempconfig
from scene_helpers import scene_to_wbl, to_pixels

from gdmath import ConfigError
from scenes.descent import GradientDescent
from scenes.kit.descent_study import DEG
from scenes.kit.env import read_environment

HD = {"pixel_width": 1920, "pixel_height": 1080, "write_to_movie": False,
      "disable_caching": True, "renderer": "cairo"}


def posed(pose, cfg=HD):
    with tempconfig(cfg):
        scene = GradientDescent()
        scene.setup()
        pose(scene)
        scene.update_self(0)
        scene.camera.reset_rotation_matrix()
    return scene


def pose_slice(scene, valley_view: bool) -> None:
    """The slice on the grown surface; from the side, or as the valley camera sees it."""
    scene.build_valley()
    scene.build_slice()
    scene.add(scene.axes, scene.surface, scene.slice_curve, scene.slice_ball)
    if valley_view:
        phi, theta = scene.timeline.camera_at(0.0)
        scene.set_camera_orientation(phi=phi * DEG, theta=theta * DEG)
    else:
        scene.pose_slice()


def bilinear_mesh_point(grid: np.ndarray, w_nodes, b_nodes, w: float, b: float) -> np.ndarray:
    """The point of the drawn mesh (bilinear within its face) above (w, b)."""
    i = int(np.clip(np.searchsorted(w_nodes, w) - 1, 0, len(w_nodes) - 2))
    j = int(np.clip(np.searchsorted(b_nodes, b) - 1, 0, len(b_nodes) - 2))
    u = (w - w_nodes[i]) / (w_nodes[i + 1] - w_nodes[i])
    v = (b - b_nodes[j]) / (b_nodes[j + 1] - b_nodes[j])
    return ((1 - u) * (1 - v) * grid[j, i] + u * (1 - v) * grid[j, i + 1]
            + (1 - u) * v * grid[j + 1, i] + u * v * grid[j + 1, i + 1])


@pytest.mark.usefixtures("default_env")
@pytest.mark.parametrize("valley_view", [False, True])
def test_slice_curve_lies_on_the_surface_on_screen(valley_view: bool) -> None:
    scene = posed(lambda s: pose_slice(s, valley_view))
    cam, st, ss = scene.camera, scene.stage, scene.seed
    anchors = scene.slice_curve.get_anchors()
    wbl = scene_to_wbl(scene.axes, anchors)
    # The exact slice: b = b₀ = the start's b, l = gdmath's loss there.
    np.testing.assert_allclose(wbl[:, 1], st.scenario.start[1], atol=1e-9)
    np.testing.assert_allclose(wbl[:, 2], st.problem.loss(wbl[:, 0], wbl[:, 1]), rtol=1e-9)
    assert np.ptp(wbl[:, 0]) > 0.5 * np.ptp(st.scenario.w_range)
    # On screen: each curve point where (w, b₀, l(w, b₀)) projects, and on the drawn mesh
    # (within the mesh's own chord error, a pixel or two at 1080p).
    got = to_pixels(cam, scene.slice_curve, anchors)
    want = to_pixels(cam, scene.slice_curve, np.array(
        [scene.axes.c2p(w, ss.b0, float(st.problem.loss(w, ss.b0))) for w in wbl[::7, 0]]))
    np.testing.assert_allclose(got[::7], want, atol=0.5)
    grid = scene.surface.get_grid()
    # The drawn mesh is a tensor grid of refined nodes except where nodes were moved onto the
    # ceiling's level curve (the rim): compare the slice with the faces away from the rim.
    nodes = st.surface_mesh
    w_nodes = np.nanmedian(np.where(nodes.rim, np.nan, nodes.w), axis=0)
    b_nodes = np.nanmedian(np.where(nodes.rim, np.nan, nodes.b), axis=1)
    samples = wbl[::7, 0]
    i = np.clip(np.searchsorted(w_nodes, samples) - 1, 0, len(w_nodes) - 2)
    j = int(np.clip(np.searchsorted(b_nodes, ss.b0) - 1, 0, len(b_nodes) - 2))
    clear = ~(nodes.rim[j:j + 2, :][:, i].any(axis=0) | nodes.rim[j:j + 2, :][:, i + 1].any(axis=0))
    assert clear.sum() > 0.5 * len(samples)
    mesh = np.array([bilinear_mesh_point(grid, w_nodes, b_nodes, w, ss.b0)
                     for w in samples[clear]])
    on_mesh = to_pixels(cam, scene.surface, mesh)
    assert np.hypot(*(on_mesh - got[::7][clear]).T).max() < 2.0


@pytest.mark.usefixtures("default_env")
def test_surface_grows_out_of_the_slice_and_ends_as_the_surface() -> None:
    scene = posed(lambda s: pose_slice(s, True))
    st, ss = scene.stage, scene.seed
    thin = scene.grown_mesh(0.0).get_grid()
    wbl = scene_to_wbl(scene.axes, thin.reshape(-1, 3))
    # At the start of the growth every row of the mesh is (nearly) the slice itself.
    assert np.abs(wbl[:, 1] - ss.b0).max() < 1e-2 * np.ptp(st.scenario.b_range)
    full = scene.grown_mesh(1.0)
    np.testing.assert_allclose(full.points, scene.surface.points, atol=1e-12)
    np.testing.assert_allclose(full.face_rgbs, scene.surface.face_rgbs, atol=1e-12)


def pose_known(scene, tau: float) -> None:
    scene.build_valley()
    scene.build_patches()
    scene.build_gradient_arrows()
    scene.add(scene.axes, scene.trail, scene.ball, *scene.patches, scene.ball_arrow)
    phi, theta = scene.timeline.camera_at(tau)
    scene.set_camera_orientation(phi=phi * DEG, theta=theta * DEG)
    scene.show_roll_state(tau)
    scene.show_known_state(tau)


@pytest.mark.usefixtures("default_env")
def test_known_patches_are_where_the_path_was() -> None:
    probe = posed(lambda s: pose_known(s, 0.0))
    tl, st, ss = probe.timeline, probe.stage, probe.seed
    t = st.traj
    radius = ss.tun.patch_radius / ss.unit
    n = t.n_steps
    for step in sorted({0, 1, 3, n // 3, n // 2, n}):
        tau = float(tl.starts[step]) if step < n else tl.duration
        scene = posed(lambda s, tau=tau: pose_known(s, tau))
        shown = [p for p in scene.patches if p.get_fill_opacity() > 0]
        hidden = [p for p in scene.patches if p.get_fill_opacity() == 0]
        # Only discs of iterates the ball has reached are drawn, and all of them are.
        assert {p.step for p in shown} == {int(k) for k in ss.patch_steps if k <= step}
        assert all(p.step > step for p in hidden)
        for p in shown:
            g = p.get_grid()
            centre = scene_to_wbl(scene.axes, g[0])
            np.testing.assert_allclose(centre[:, :2], [[t.w[p.step], t.b[p.step]]] * len(g[0]),
                                       atol=1e-9)
            wbl = scene_to_wbl(scene.axes, g.reshape(-1, 3))
            # Every vertex is on the true loss, within the disc's radius of its iterate.
            np.testing.assert_allclose(wbl[:, 2], st.problem.loss(wbl[:, 0], wbl[:, 1]),
                                       rtol=1e-9)
            assert np.hypot(wbl[:, 0] - t.w[p.step], wbl[:, 1] - t.b[p.step]).max() <= (
                radius * (1 + 1e-9))
        # Every iterate so far is covered by a shown disc.
        centres = np.array([[t.w[p.step], t.b[p.step]] for p in shown])
        for k in range(step + 1):
            assert np.hypot(*(centres - t.points[k]).T).min() <= radius
        # Through the camera: the ball sits on a shown disc (its centre within a disc's radius
        # on screen of that disc's centre).
        cam = scene.camera
        ball_px = to_pixels(cam, scene.ball, scene.ball.get_center())[0]
        near = min(shown, key=lambda p: np.hypot(t.w[p.step] - t.w[step],
                                                 t.b[p.step] - t.b[step]))
        rim = to_pixels(cam, near, near.get_grid()[-1])
        centre_px = to_pixels(cam, near, near.get_grid()[0, :1])[0]
        assert np.hypot(*(ball_px - centre_px)) < np.hypot(*(rim - centre_px).T).max()


def test_landscape_switch_is_read_and_validated(tmp_path) -> None:
    assert read_environment({}).landscape == "known"
    assert read_environment({"GDVIZ_LANDSCAPE": "full"}).landscape == "full"
    with pytest.raises(ConfigError, match="GDVIZ_LANDSCAPE"):
        read_environment({"GDVIZ_LANDSCAPE": "some"})
    cfg = tmp_path / "p.toml"
    cfg.write_text('preset = "bowl"\n[video]\nlandscape = "full"\n', encoding="utf-8")
    assert read_environment({"GDVIZ_CONFIG": str(cfg)}).landscape == "full"
    cfg.write_text('preset = "bowl"\n[video]\nlandscape = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="video.landscape"):
        read_environment({"GDVIZ_CONFIG": str(cfg)})


@pytest.mark.slow
def test_beats_follow_the_switch_and_the_detour(monkeypatch) -> None:
    monkeypatch.delenv("GDVIZ_CONFIG", raising=False)
    monkeypatch.setenv("GDVIZ_PRESET", "valley")
    monkeypatch.setenv("GDVIZ_LANDSCAPE", "full")
    full = [b.name for b in GradientDescent.script().beats]
    assert "slice_roll" in full and "free_b" in full
    assert "ghost" not in full and "reveal" not in full and "detour" not in full
    monkeypatch.setenv("GDVIZ_PRESET", "detour")
    monkeypatch.setenv("GDVIZ_LANDSCAPE", "known")
    script = GradientDescent.script()
    names = [b.name for b in script.beats]
    assert names.index("ghost") < names.index("roll") < names.index("reveal")
    assert names.index("arrows") < names.index("detour") < names.index("floor")
    assert 45.0 <= script.nominal <= 120.0
