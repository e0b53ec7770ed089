"""The seed's three ideas in the main video, checked through the scene's own camera.

The slice curve lies on the surface as drawn; the band of the known landscape is where the
path was, only once the ball has been there, and ends on a smooth edge at its radius; the
switch and the beats follow the config.
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


def drawn_edge(patch) -> tuple[np.ndarray, np.ndarray]:
    """The vertices of a mesh's drawn faces, and which of them lie on the edge of the drawing.

    An edge vertex is a corner of a drawn face that is also a corner of a face not drawn (or on
    the grid's border).
    """
    rows, cols = patch.grid_shape
    drawn = (np.ones((rows - 1, cols - 1), dtype=bool) if patch.face_mask is None
             else patch.face_mask.reshape(rows - 1, cols - 1))
    corner_of_drawn = np.zeros((rows, cols), dtype=bool)
    corner_of_other = np.ones((rows, cols), dtype=bool)
    corner_of_other[1:-1, 1:-1] = False
    for drow in (0, 1):
        for dcol in (0, 1):
            corner_of_drawn[drow:rows - 1 + drow, dcol:cols - 1 + dcol] |= drawn
            corner_of_other[drow:rows - 1 + drow, dcol:cols - 1 + dcol] |= ~drawn
    return corner_of_drawn, corner_of_drawn & corner_of_other


@pytest.mark.usefixtures("default_env")
def test_known_band_is_where_the_path_was_with_a_smooth_edge() -> None:
    import gdmath

    probe = posed(lambda s: pose_known(s, 0.0))
    tl, st, ss = probe.timeline, probe.stage, probe.seed
    t = st.traj
    radius = ss.tun.patch_radius / ss.unit
    (w_lo, w_hi), (b_lo, b_hi) = st.scenario.w_range, st.scenario.b_range
    ceiling = st.l_range[1]
    n = t.n_steps
    for step in sorted({0, 1, 3, n // 3, n // 2, n}):
        tau = float(tl.starts[step]) if step < n else tl.duration
        scene = posed(lambda s, tau=tau: pose_known(s, tau))
        k = st.sample_index(tl.progress(tau))
        visited = np.vstack([t.points[:step + 1], st.samples[k, :2]])
        shown = [p for p in scene.patches if p.get_fill_opacity() > 0]
        assert shown
        for patch in shown:
            used, edge = drawn_edge(patch)
            wbl = scene_to_wbl(scene.axes, patch.get_grid()[used])
            # Every drawn vertex is on the true loss (capped at the ceiling), within the radius
            # of the path so far: the band shows only where the descent has been.
            np.testing.assert_allclose(
                wbl[:, 2], np.minimum(st.problem.loss(wbl[:, 0], wbl[:, 1]), ceiling),
                rtol=1e-9, atol=1e-9 * np.ptp(st.l_range))
            distance = gdmath.polyline_distance(wbl[:, :2], visited)
            assert distance.max() <= radius * (1 + 1e-6)
            # Its edge is the smooth curve at the radius (not the scallops of a row of discs),
            # except where it meets the window's sides or the ceiling.
            ends = scene_to_wbl(scene.axes, patch.get_grid()[edge])
            free = ((ends[:, 0] > w_lo + 1e-9) & (ends[:, 0] < w_hi - 1e-9)
                    & (ends[:, 1] > b_lo + 1e-9) & (ends[:, 1] < b_hi - 1e-9)
                    & (ends[:, 2] < ceiling - 1e-9 * np.ptp(st.l_range)))
            assert free.sum() > 20
            gap = gdmath.polyline_distance(ends[free, :2], visited) / radius - 1
            assert np.abs(gap).max() < 1e-3, f"the band's edge strays {np.abs(gap).max():.2%}"
        # Every iterate so far is in the band: a drawn vertex lies near it.
        band = shown[0]
        used, _ = drawn_edge(band)
        nodes = scene_to_wbl(scene.axes, band.get_grid()[used])[:, :2]
        spacing = 2 * radius / ss.tun.patch_cells
        for point in t.points[:step + 1]:
            assert np.hypot(*(nodes - point).T).min() <= spacing
        # Through the camera: the ball sits on the band (within its radius on screen of the
        # nearest drawn vertex).
        cam = scene.camera
        ball_px = to_pixels(cam, scene.ball, scene.ball.get_center())[0]
        vertices_px = to_pixels(cam, band, band.get_grid()[used])
        assert np.hypot(*(vertices_px - ball_px).T).min() < 0.5 * scene.ball.get_radius() * (
            cam.pixel_width / cam.frame_width) + 4


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
