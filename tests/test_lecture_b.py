"""The lecture map scenes (landscapes, curvature, basins): their math, their claims, their layout.

Fast tests check gdmath's curvature helpers against numpy, the claims each scene makes on its
default data, what is drawn where (through the real axes and camera), the layout on every frame
shape, and the labels in both languages. Their videos are rendered and looked at in
tests/test_scene_content.py.
"""

from __future__ import annotations

import dataclasses
import math
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from manim import Mobject, tempconfig
from PIL import ImageFont
from support.walk import built_parts

import gdmath
from scenes.basins import BasinsOfAttraction
from scenes.curvature import CurvatureZigZag
from scenes.kit.axes import fit_map_axes
from scenes.kit.env import read_environment
from scenes.kit.labels import labels_for
from scenes.kit.layout import Box
from scenes.kit.map_drawing import arc_progress, cell_regions, cell_runs, polyline_until
from scenes.kit.map_studies import BasinStudy, CurvatureStudy, LandscapeStudy
from scenes.kit.settings.story import SETTINGS
from scenes.landscapes import ActivationLandscapes

SCENES = [("landscapes.py", ActivationLandscapes), ("curvature.py", CurvatureZigZag),
          ("basins.py", BasinsOfAttraction)]


def default_stage(scene_cls):
    """The scene's stage with no GDVIZ_* variable set (its default preset, in English)."""
    return scene_cls.make_stage(read_environment({}, default=scene_cls.default_config))


@pytest.fixture(scope="module")
def landscape() -> LandscapeStudy:
    return default_stage(ActivationLandscapes)


@pytest.fixture(scope="module")
def curvature() -> CurvatureStudy:
    return default_stage(CurvatureZigZag)


@pytest.fixture(scope="module")
def basin() -> BasinStudy:
    return default_stage(BasinsOfAttraction)


def built(scene_cls, build, width: int = 1920, height: int = 1080, env=None):
    """A scene set up and built (nothing animated) at the given pixel size, frame 8 units high."""
    cfg = {"pixel_width": width, "pixel_height": height, "frame_height": 8.0,
           "frame_width": 8.0 * width / height, "write_to_movie": False,
           "disable_caching": True, "renderer": "cairo"}
    saved = {k: os.environ.pop(k) for k in ("GDVIZ_CONFIG", "GDVIZ_PRESET", "GDVIZ_LANG")
             if k in os.environ}
    os.environ.update(env or {})
    try:
        with tempconfig(cfg):
            scene = scene_cls()
            scene.setup()
            build(scene)
            frame = (float(scene.camera.frame_width), float(scene.camera.frame_height))
    finally:
        for k in env or {}:
            os.environ.pop(k, None)
        os.environ.update(saved)
    return scene, frame


# --------------------------------------------------------------------------- gdmath.curvature
def test_lecture_config_uses_the_scene_default_only_when_nothing_is_chosen():
    assert read_environment({}, default="plateau").scenario.name == "plateau"
    assert read_environment({"GDVIZ_PRESET": "bowl"}, default="plateau").scenario.name == "bowl"
    cfg = read_environment({"GDVIZ_LANG": "ja"}, default="two-basins")
    assert cfg.scenario.name == "two-basins" and cfg.language == "ja"
    for cls, name in ((ActivationLandscapes, "plateau"), (CurvatureZigZag, "bowl"),
                      (BasinsOfAttraction, "two-basins")):
        assert cls.default_config == name
        # The scene's docstring says which preset it uses by default.
        assert f"``{name}`` preset" in (sys.modules[cls.__module__].__doc__ or "")


@given(w=st.floats(-4, 4), b=st.floats(-4, 4),
       act=st.sampled_from(["identity", "sigmoid", "tanh", "relu"]))
@settings(max_examples=60, deadline=None)
def test_hessian_eigen_matches_numpy(w, b, act):
    p = gdmath.Problem([-1.0, 0.3, 1.5, 2.0], [0.2, 0.5, 0.9, 0.1], act)
    lam, vec = gdmath.hessian_eigen(p, [[w, b]])
    h = p.hessian(w, b)
    want_lam, want_vec = np.linalg.eigh(h)
    np.testing.assert_allclose(lam[0], want_lam, rtol=1e-12, atol=1e-12)
    for i in range(2):
        # Same eigenvector up to its sign, and the sign convention holds.
        if abs(want_lam[1] - want_lam[0]) > 1e-9 * max(1.0, abs(want_lam[1])):
            assert abs(vec[0, :, i] @ want_vec[:, i]) == pytest.approx(1.0, abs=1e-9)
        np.testing.assert_allclose(h @ vec[0, :, i], lam[0, i] * vec[0, :, i], atol=1e-9)
        assert vec[0, 0, i] > 0 or (vec[0, 0, i] == 0 and vec[0, 1, i] > 0)
    assert np.linalg.norm(vec[0], axis=0) == pytest.approx([1.0, 1.0])


def test_hessian_eigen_shapes_and_errors():
    p = gdmath.PRESETS["two-basins"].problem
    pts = np.random.default_rng(0).uniform(-2, 3, size=(4, 5, 2))
    lam, vec = gdmath.hessian_eigen(p, pts)
    assert lam.shape == (4, 5, 2) and vec.shape == (4, 5, 2, 2)
    np.testing.assert_allclose(lam, np.linalg.eigvalsh(p.hessian(pts[..., 0], pts[..., 1])),
                               rtol=1e-12, atol=1e-14)
    assert (np.diff(lam, axis=-1) >= 0).all()
    for bad, err in (([1.0, 2.0, 3.0], ValueError), ([[0.0, np.nan]], ValueError),
                     ("ab", TypeError)):
        with pytest.raises(err):
            gdmath.hessian_eigen(p, bad)
    with pytest.raises(TypeError, match="gdmath.Problem"):
        gdmath.hessian_eigen("p", [[0.0, 0.0]])
    with pytest.raises(TypeError, match="Trajectory"):
        gdmath.curvature_along(p, [[0.0, 0.0]])


def test_curvature_along_decomposes_each_step():
    s = gdmath.PRESETS["plateau"]
    t = s.trajectory
    c = gdmath.curvature_along(s.problem, t)
    assert c.eigenvalues.shape == (t.n_steps + 1, 2)
    assert c.step_components.shape == (t.n_steps, 2)
    # The components rebuild the steps in the eigenbasis at each step's start.
    rebuilt = np.einsum("tij,tj->ti", c.eigenvectors[:-1], c.step_components)
    np.testing.assert_allclose(rebuilt, t.steps, atol=1e-12)
    np.testing.assert_allclose(c.factors, 1 - t.learning_rate * c.eigenvalues, rtol=1e-14)
    share = c.steep_share
    assert ((share >= 0) & (share <= 1)).all()
    np.testing.assert_allclose(share, c.step_components[:, 1] ** 2
                               / (c.step_components ** 2).sum(axis=1))


# --------------------------------------------------------------------------- landscapes' claims
def test_sigmoid_plateau_is_flat_and_the_ball_crawls_there(landscape):
    (panel,) = [p for p in landscape.panels if p.activation == "sigmoid"]
    t = panel.trajectory
    assert landscape.scenario.name == "plateau" and panel.learning_rate == 2.0
    # The walls: the steepest |∇l| in the window, from gdmath's exact gradient on the grid.
    surf = panel.view.surface
    gw, gb = panel.view.problem.gradient(surf.W, surf.B)
    assert panel.wall == pytest.approx(float(np.hypot(gw, gb).max()))
    assert panel.flat.sum() > 200  # a region, not a point
    # The start is in it: |∇l| under 1 % of the walls ...
    assert t.grad_norm[0] < 0.01 * panel.wall
    i = np.argmin(np.abs(surf.b - t.b[0]))
    j = np.argmin(np.abs(surf.w - t.w[0]))
    assert panel.flat[i, j]  # the grey shading covers the ✕
    # ... and every step taken there is tiny: under 2 % of the run's longest step, and the ball
    # crawls (steps under 5 % of the longest) for more than ten steps before it finds the slope.
    lengths = np.hypot(*t.steps.T)
    there = np.flatnonzero(t.grad_norm[:-1] < 0.01 * panel.wall)
    assert there.size >= 3 and there[0] == 0
    assert (lengths[there[there < 10]] < 0.02 * lengths.max()).all()
    crawl = np.argmax(lengths > 0.05 * lengths.max())
    assert crawl > 10
    # It does get out, down into the valley.
    assert t.loss[-1] < 0.05 * t.loss[0]


def test_dead_relu_region_has_zero_gradient_and_the_ball_never_moves(landscape):
    (panel,) = [p for p in landscape.panels if p.activation == "relu"]
    surf = panel.view.surface
    gw, gb = panel.view.problem.gradient(surf.W, surf.B)
    assert panel.dead.mean() > 0.1
    assert (np.asarray(gw)[panel.dead] == 0).all() and (np.asarray(gb)[panel.dead] == 0).all()
    # Dead means every unit's pre-activation w·xᵢ + b is ≤ 0 there.
    x = panel.view.problem.x
    z = surf.W[..., None] * x + surf.B[..., None]
    assert (z[panel.dead] <= 0).all()
    t = panel.trajectory
    assert t.grad_norm[0] == 0.0 and t.n_steps == landscape.scenario.steps
    assert (t.points == t.points[0]).all()
    np.testing.assert_array_equal(t.loss, t.loss[0])


def test_other_activations_descend_stably_and_differently(landscape):
    by = {p.activation: p for p in landscape.panels}
    assert list(by) == ["identity", "sigmoid", "tanh", "relu"]
    for p in landscape.panels:
        assert not p.trajectory.diverged
        assert p.view.inside(p.trajectory.points).all()
    # The identity's bowl is rolled down; tanh is still on its plateau after the same steps.
    ident = by["identity"].trajectory
    assert ident.grad_norm[-1] < 1e-3 * ident.grad_norm[0]
    tanh = by["tanh"]
    assert (tanh.trajectory.grad_norm < 0.01 * tanh.wall).all()
    assert landscape.steps == landscape.scenario.steps


def test_two_ridge_starts_end_in_different_minima(landscape):
    assert landscape.settings.ridge_starts == ((3.0, -2.5), (2.5, 0.5))
    ends = []
    for t, m in zip(landscape.ridge_paths, landscape.ridge_minima, strict=True):
        assert t.converged and m.success
        assert math.dist(t.points[-1], m.point) < 1e-3  # basins' merge_tol
        assert np.all(np.linalg.eigvalsh(m.hessian) > 0)  # a true minimum
        ends.append(m)
    assert math.dist(ends[0].point, ends[1].point) > 1.0
    # The same two minima that gdmath.basins finds for these starts.
    r = landscape.ridge
    b = gdmath.basins(r.problem, [2.5, 3.0], [-2.5, 0.5], r.learning_rate, 4000)
    assert b.label_at((3.0, -2.5)) != b.label_at((2.5, 0.5))


# --------------------------------------------------------------------------- curvature's claims
def test_zig_zag_steps_are_along_the_steep_eigenvector(curvature):
    sc = curvature.scenario
    assert sc.name == "bowl"
    c = curvature.curvature
    lam_max = c.eigenvalues[0, 1]
    eta = sc.learning_rate
    # Near the critical rate: every step overshoots along the steep direction (1 − ηλ < 0)
    # yet stays stable (|1 − ηλ| < 1).
    assert 1 / lam_max < eta < 2 / lam_max
    assert -1 < c.factors[0, 1] < 0 < c.factors[0, 0] < 1
    assert eta == pytest.approx(0.85 * curvature.critical_rate, rel=0.01)
    comps = c.step_components
    n = curvature.explained
    # The explained steps: almost all of each along the steep eigenvector, flipping side.
    assert (c.steep_share[:n] > 0.99).all()
    assert (np.sign(comps[1:n, 1]) == -np.sign(comps[:n - 1, 1])).all()
    # Over the whole path, most of the distance travelled is along the steep direction, and
    # every step longer than 1 % of the first is mostly along it.
    lengths = np.hypot(*comps.T)
    assert np.abs(comps[:, 1]).sum() > 0.9 * lengths.sum()
    long = lengths > 0.01 * lengths[0]
    assert (np.abs(comps[long, 1]) > np.abs(comps[long, 0])).all()


@pytest.mark.parametrize("k", [0, 1, 3, 6, 29])
def test_drawn_eigen_directions_are_the_hessians_on_screen(k, curvature):
    scene, _ = built(CurvatureZigZag, lambda s: (s.build(), s.place_marker(k)))
    cam, axes = scene.camera, scene.axes
    # Pixel positions of the axes' origin and unit points: the real axes as drawn.
    o, ew, eb = (cam.points_to_subpixel_coords(axes, np.array([axes.c2p(*q)]))[0]
                 for q in ((0, 0), (1, 0), (0, 1)))
    # Equal scale: one unit of w and of b are the same length on screen, at a right angle.
    assert np.linalg.norm(ew - o) == pytest.approx(np.linalg.norm(eb - o), rel=1e-9)
    assert (ew - o) @ (eb - o) == pytest.approx(0.0, abs=1e-6)
    basis = np.column_stack([ew - o, eb - o])
    t = curvature.traj
    _, want = np.linalg.eigh(curvature.scenario.problem.hessian(t.w[k], t.b[k]))
    for arm, i in ((scene.marker.shallow, 0), (scene.marker.steep, 1)):
        a, b = cam.points_to_subpixel_coords(arm, np.array([arm.get_start(), arm.get_end()]))
        d = np.linalg.solve(basis, b - a)  # the arm in (w, b) units, read off the screen
        cos = abs(d @ want[:, i]) / np.linalg.norm(d)
        assert math.degrees(math.acos(min(cos, 1.0))) < 0.01
        # Centred on the ball, at iterate k.
        mid = np.linalg.solve(basis, (a + b) / 2 - o)
        assert mid == pytest.approx([t.w[k], t.b[k]], abs=1e-6)
    # The steep arm is the shorter one by √(λmax/λmin) (the local ellipse's semi-axes), unless
    # capped.
    lam = curvature.curvature.eigenvalues[k]
    ratio = scene.marker.shallow.get_length() / scene.marker.steep.get_length()
    cap = curvature.settings.max_semi_axis / curvature.settings.steep_semi_axis
    assert ratio == pytest.approx(min(math.sqrt(lam[1] / lam[0]), cap), rel=1e-6)


# --------------------------------------------------------------------------- basins' claims
def test_basin_label_at_each_start_is_the_minimum_its_path_ends_in(basin):
    r = basin.basins
    assert basin.scenario.name == "two-basins" and len(r.minima) == 2
    starts = basin.starts
    assert len(starts) >= 4
    assert (3.0, -2.5) in [tuple(round(v, 9) for v in p) for p in starts]
    assert (2.5, 0.5) in [tuple(round(v, 9) for v in p) for p in starts]
    labels = basin.start_labels
    assert set(labels) == {0, 1}
    for (w0, b0), (j, i), label, t in zip(starts, basin.start_nodes, labels, basin.paths,
                                          strict=True):
        # The start is a grid node, so the map's cell under its ✕ is its own label.
        assert r.w[i] == w0 and r.b[j] == b0 and r.labels[j, i] == label
        assert t.converged
        ends = [math.dist(t.points[-1], m.point) for m in r.minima]
        assert int(np.argmin(ends)) == label and ends[label] < 1e-3
        # Independently: the minimum reached, refined by scipy, is the labelled one.
        m = gdmath.minimum(basin.scenario.problem, (t.w[-1], t.b[-1]))
        assert math.dist(m.point, r.minima[label].point) < 1e-6


def test_cells_cover_the_window_exactly_once():
    axes = fit_map_axes((-1.5, 5.0), (-3.0, 3.5), Box(-3, 3, -3, 3), "#ffffff", 2.0)
    w, b = np.linspace(-1.5, 5.0, 7), np.linspace(-3.0, 3.5, 5)
    labels = np.array([[0, 0, 1, 1, 1, -1, 0]] * 5)
    labels[2, 3] = 0
    assert cell_runs(labels[2:3]) == [(0, 0, 1, 0), (0, 2, 2, 1), (0, 3, 3, 0), (0, 4, 4, 1),
                                      (0, 5, 5, -1), (0, 6, 6, 0)]
    shapes = cell_regions(axes, labels, w, b, {0: ("#ff0000", 1.0), 1: ("#00ff00", 1.0),
                                               -1: ("#888888", 1.0)})
    area = 0.0
    for shape in shapes:
        rects = shape.points.reshape(-1, 16, 3)[:, ::4, :2]  # the four corners of each run
        area += sum(float(np.prod(r.max(axis=0) - r.min(axis=0))) for r in rects)
    lo, hi = np.asarray(axes.c2p(-1.5, -3.0)), np.asarray(axes.c2p(5.0, 3.5))
    assert area == pytest.approx((hi[0] - lo[0]) * (hi[1] - lo[1]), rel=1e-9)
    allpts = np.vstack([s.points for s in shapes])
    assert allpts[:, 0].min() == pytest.approx(lo[0]) and allpts[:, 1].max() == pytest.approx(hi[1])
    # Node (2, 3) sits inside a red cell.
    p = np.asarray(axes.c2p(w[3], b[2]))
    red = shapes[0].points.reshape(-1, 16, 3)[:, ::4, :2]
    assert any(r[:, 0].min() < p[0] < r[:, 0].max() and r[:, 1].min() < p[1] < r[:, 1].max()
               for r in red)


def test_path_progress_helpers():
    pts = np.array([[0.0, 0.0], [3.0, 0.0], [3.0, 1.0]])
    assert arc_progress(pts, 0.0) == 0.0 and arc_progress(pts, 1.0) == 2.0
    assert arc_progress(pts, 0.5) == pytest.approx(2 / 3)
    assert arc_progress(np.zeros((5, 2)), 0.5) == 2.0  # a dead ReLU: by step count
    np.testing.assert_allclose(polyline_until(pts, 1.5), [[0, 0], [3, 0], [3, 0.5]])
    np.testing.assert_allclose(polyline_until(pts, 0.0), [[0, 0]])


# --------------------------------------------------------------------------- layout and labels
def everything(scene) -> list[Mobject]:
    """Every visible leaf the scene built (attributes holding mobjects, in any container)."""
    return built_parts(scene)


BUILDS = {
    ActivationLandscapes: lambda s: (s.build_four_maps(), s.build_ridge()),
    CurvatureZigZag: lambda s: s.build(),
    BasinsOfAttraction: lambda s: s.build(),
}


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1080), (1080, 1920)])
@pytest.mark.parametrize("scene_cls", [c for _, c in SCENES])
def test_everything_fits_the_frame_and_maps_keep_equal_units(scene_cls, size):
    scene, (fw, fh) = built(scene_cls, BUILDS[scene_cls], *size)
    assert fh == 8.0 and fw == pytest.approx(8.0 * size[0] / size[1])
    for m in everything(scene):
        lo, hi = m.get_corner(np.array([-1, -1, 0])), m.get_corner(np.array([1, 1, 0]))
        assert lo[0] >= -fw / 2 - 1e-6 and hi[0] <= fw / 2 + 1e-6, m
        assert lo[1] >= -fh / 2 - 1e-6 and hi[1] <= fh / 2 + 1e-6, m
    # The four small maps have their own layout (`panel_boxes`); the last map the scene's.
    main, side_box = getattr(scene, "panel_boxes", (scene.main, scene.side))
    axes_list = [(v["axes"], main) for v in getattr(scene, "panel_mobs", [])]
    axes_list += [(getattr(scene, a), scene.main) for a in ("axes", "r_axes") if hasattr(scene, a)]
    for axes, region in axes_list:
        o = np.asarray(axes.c2p(0, 0))
        assert np.linalg.norm(np.asarray(axes.c2p(1, 0)) - o) == pytest.approx(
            np.linalg.norm(np.asarray(axes.c2p(0, 1)) - o), rel=1e-9)
        # The maps, ticks included, stay in the main region, clear of the side column or band.
        assert axes.get_right()[0] <= region.right + 1e-6
        assert axes.get_left()[0] >= region.left - 1e-6
        assert axes.get_bottom()[1] >= region.bottom - 1e-6
        assert axes.get_top()[1] <= region.top + 1e-6
    side = [m for m in getattr(scene, "side_block", scene.__dict__.get("legend", []))]
    for m in side:
        assert m.get_left()[0] >= side_box.left - 1e-6
        assert m.get_bottom()[1] >= side_box.bottom - 1e-6
    if hasattr(scene, "r_side"):
        assert scene.r_side.get_left()[0] >= scene.side.left - 1e-6
        assert scene.r_side.get_right()[0] <= scene.side.right + 1e-6


def test_both_languages_have_every_label():
    for lang in ("en", "ja"):
        for f in dataclasses.fields(labels_for(lang).maps):
            assert getattr(labels_for(lang).maps, f.name), (lang, f.name)
    assert "{n}" in labels_for("en").maps.unsettled and "{n}" in labels_for("ja").maps.unsettled


def strings(value) -> list[str]:
    """Every string in nested tuples."""
    if isinstance(value, str):
        return [value]
    return [s for v in value for s in strings(v)]


def test_captions_name_what_the_data_show(landscape, curvature, basin):
    lab = labels_for("en").maps
    names = [landscape.panels[i].activation for i in landscape.saturated_panels]
    assert names == ["sigmoid", "tanh"]
    assert lab.saturated.format(names=lab.name_list(names)).startswith("Sigmoid and tanh ")
    assert [landscape.panels[i].activation for i in landscape.dead_panels] == ["relu"]
    assert lab.dead_relu.format(names=lab.name_list(["relu"])).startswith("Dead ReLU:")
    ja = labels_for("ja").maps
    assert ja.saturated.format(names=ja.name_list(names)).startswith("シグモイドとtanhは")
    assert curvature.zig_zags
    assert len(basin.basins.minima) == 2
    # Another problem: no plateau, no dead start, no zig-zag, one basin.
    bowl = read_environment({}, default="bowl")
    other = LandscapeStudy(bowl)
    assert other.saturated_panels == [] and other.dead_panels == []
    assert not CurvatureStudy(read_environment({}, default="plateau")).zig_zags


def test_japanese_labels_are_not_tofu():
    out = subprocess.run(["fc-match", "-f", "%{file}|%{index}", SETTINGS.cjk_font],
                         capture_output=True, text=True, check=True).stdout
    path, index = out.split("|")
    assert "NotoSansCJK" in path.replace("-", "").replace(" ", ""), path
    font = ImageFont.truetype(path, 48, index=int(index))
    notdef = np.asarray(font.getmask("\U000f0000"))
    chars = {c for v in strings(dataclasses.astuple(labels_for("ja").maps)) for c in v
             if not c.isspace()}
    missing = [c for c in sorted(chars)
               if np.array_equal(np.asarray(font.getmask(c)), notdef)]
    assert not missing, f"drawn as tofu: {missing}"


def test_japanese_scene_text_keeps_every_glyph():
    scene, _ = built(BasinsOfAttraction, lambda s: s.build(), 854, 480, {"GDVIZ_LANG": "ja"})
    assert scene.language == "ja"
    cap = scene.caption(scene.labels.basins_closing)
    assert len(cap.submobjects) == len([c for c in scene.labels.basins_closing
                                        if not c.isspace()])


# --------------------------------------------------------------------------- tiny renders



# The videos of these scenes render in tests/test_scene_content.py, which checks what they
# show as well as their frames, rate and length.


def test_basin_palettes_read_on_their_theme():
    from scenes.kit.settings.maps import BASIN_PALETTES, UNSETTLED_COLOR
    from scenes.kit.theme import THEMES, contrast_ratio

    for name, theme in THEMES.items():
        for color in (*BASIN_PALETTES[name], UNSETTLED_COLOR):
            assert contrast_ratio(color, theme.background) >= 3.0, (name, color)
        assert len(set(BASIN_PALETTES[name])) == len(BASIN_PALETTES[name])
