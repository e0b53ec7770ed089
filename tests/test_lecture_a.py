"""The lecture scenes on learning rates, optimizers, the gradient flow and SGD.

Fast tests check the claims each video makes on its default data, on the very objects the scenes
draw (`scenes.kit.lecture_studies`'s studies, with the η values of
`scenes.kit.settings.lectures.LECTURE`), the config
fallbacks, the colours, the labels in both languages and the layout on every frame shape. Tests
marked ``slow`` render each scene at a tiny size and check the video.
"""

from __future__ import annotations

import dataclasses
import inspect
import itertools
import math
import os
import time
from pathlib import Path

import numpy as np
import pytest
from manim import ManimColor, Scene, tempconfig
from PIL import ImageFont
from support.walk import visible_parts
from test_scene_labels import font_file
from test_scene_render import FPS, check_tiny_render

import gdmath
from scenes.flow import GradientFlow
from scenes.kit.axes import scene_points
from scenes.kit.env import read_environment
from scenes.kit.labels import labels_for
from scenes.kit.lecture_studies import (
    flow_run,
    overshoot_share,
    path_distances,
    segment_samples,
    window_mask,
)
from scenes.kit.settings.lectures import LECTURE
from scenes.kit.theme import THEMES, contrast_ratio
from scenes.learning_rates import LearningRates
from scenes.optimizers import OptimizerRace
from scenes.sgd import MinibatchSGD

# What the lessons say, written here rather than read from the settings under test (a looser
# setting must not loosen its test):
CRAWL_STILL_ABOVE = 10.0  # "too small: crawls": after the video, still 10× the floor's loss
GLIDE_WITHIN = 1.05  # "good: glides down": ends within 5 % of the floor's loss
OVERSHOOT_SHARE = 0.25  # "momentum overshoots": past the minimum by over 25 % of the way there
ADAM_SIGN_STEPS = 2  # "Adam follows signs": its first two steps move each coordinate ...
ADAM_STEP_TOLERANCE = 0.05  # ... by η within 5 %
SGD_BAND = 0.2  # "SGD stays within 0.2 of the full-batch path"
FLOW_LADDER = (0.85, 0.6, 0.4, 0.2, 0.1, 0.05)  # η / η_c: the gap to the flow shrinks along it

SCENES = [("learning_rates.py", LearningRates), ("optimizers.py", OptimizerRace),
          ("flow.py", GradientFlow), ("sgd.py", MinibatchSGD)]


def default_study(scene_cls):
    """What the scene draws with no GDVIZ_* variable set (its own default, in English)."""
    return scene_cls.make_study(read_environment({}, default=scene_cls.default_config))


@pytest.fixture(scope="module")
def lr():
    return default_study(LearningRates)


@pytest.fixture(scope="module")
def race():
    return {r.optimizer: r for r in default_study(OptimizerRace)}


@pytest.fixture(scope="module")
def flow():
    return default_study(GradientFlow)


@pytest.fixture(scope="module")
def sgd():
    return default_study(MinibatchSGD)


def valley_axes(minimum: gdmath.Minimum) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors along the valley (smallest curvature) and across it (largest)."""
    _, vecs = np.linalg.eigh(minimum.hessian)
    return vecs[:, 0], vecs[:, 1]


# ----------------------------------------------------------------------- config fallbacks
def test_each_scene_has_its_own_default_and_the_environment_wins():
    for _, cls in SCENES:
        cfg = read_environment({}, default=cls.default_config)
        assert cfg.language == "en"
        # gdmath's global default may change; the scenes keep theirs.
        bowl = gdmath.get_preset("bowl").problem
        np.testing.assert_array_equal(cfg.scenario.problem.x, bowl.x)
        np.testing.assert_array_equal(cfg.scenario.problem.y, bowl.y)
        assert cfg.scenario.problem.activation == bowl.activation
    opt = read_environment({}, default=OptimizerRace.default_config)
    assert opt.scenario.start == (-0.8, 0.9)
    assert (opt.scenario.w_range, opt.scenario.b_range) == ((-1.0, 4.0), (-2.5, 2.0))
    assert read_environment({}, default="bowl").scenario is gdmath.get_preset("bowl")
    # GDVIZ_PRESET / GDVIZ_CONFIG replace the default, preset start included; GDVIZ_LANG applies.
    env = {"GDVIZ_PRESET": "valley", "GDVIZ_LANG": "ja"}
    cfg = read_environment(env, default=OptimizerRace.default_config)
    assert cfg.scenario is gdmath.get_preset("valley") and cfg.language == "ja"
    japanese = read_environment({"GDVIZ_LANG": "ja"}, default=OptimizerRace.default_config)
    assert japanese.language == "ja"
    with pytest.raises(gdmath.ConfigError, match="GDVIZ_LANG"):
        read_environment({"GDVIZ_LANG": "fr"}, default=OptimizerRace.default_config)
    with pytest.raises(gdmath.ConfigError, match="unknown preset"):
        read_environment({"GDVIZ_PRESET": "bowll"}, default="bowl")


def test_each_scene_file_defines_exactly_one_scene():
    import importlib

    for name, cls in SCENES:
        module = importlib.import_module(f"scenes.{Path(name).stem}")
        found = [c for _, c in inspect.getmembers(module, inspect.isclass)
                 if issubclass(c, Scene) and c.__module__ == module.__name__]
        assert found == [cls], (name, found)
        assert "GDVIZ_PRESET" in cls.__doc__ and "bowl" in cls.__doc__


@pytest.mark.parametrize(("name", "cls"), SCENES)
def test_clip_lengths_are_lecture_sized(name, cls, default_env):
    plan = cls.script()
    assert 15.0 <= plan.nominal <= 40.0, (name, plan.nominal)


# -------------------------------------------------------------------- learning rates
def test_critical_rate_is_two_over_lambda_max(lr):
    assert lr.critical == pytest.approx(2.0 / lr.lambda_max, rel=1e-12)
    assert lr.lambda_max == pytest.approx(float(np.linalg.eigvalsh(lr.minimum.hessian)[-1]))
    fractions = [r.fraction for r in lr.runs]
    assert fractions == sorted(fractions)
    # "near 2/λmax" is just below it, "above" is above it.
    assert 0.9 <= fractions[2] < 1.0 < fractions[3]
    for r in lr.runs:
        assert r.learning_rate == pytest.approx(r.fraction * lr.critical, rel=1e-15)
        assert r.shown.n_steps == LECTURE.learning_rates.steps or r.shown.diverged


def test_every_run_does_what_its_label_says(lr):
    # The scene names a run's behaviour only when regime_outcome agrees: on the default data
    # all four verdicts appear.
    assert [r.regime for r in lr.runs] == ["crawl", "glide", "zigzag", "diverge"]
    assert [r.outcome for r in lr.runs] == [r.regime for r in lr.runs]


def test_outcomes_are_judged_not_assumed():
    # On the sigmoid plateau the rate at the minimum says little about the path: a regime that
    # does not hold there is not claimed.
    plateau = LearningRates.make_study(read_environment({}, default="plateau"))
    above = plateau.runs[3]
    assert not above.followed.diverged and above.outcome != "diverge"


def test_small_eta_crawls(lr):
    crawl = lr.runs[0]
    assert crawl.regime == "crawl"
    m, t = lr.minimum, crawl.shown
    # After all the steps of the video: still far above the floor, and far from it.
    assert t.loss[-1] > CRAWL_STILL_ABOVE * m.loss
    assert math.dist((t.w[-1], t.b[-1]), m.point) > 0.5
    assert np.all(np.diff(t.loss) < 0)  # slow, but steadily downhill


def test_good_eta_glides_and_converges(lr):
    good = lr.runs[1]
    assert good.regime == "glide"
    assert good.shown.loss[-1] < GLIDE_WITHIN * lr.minimum.loss
    assert np.all(np.diff(good.shown.loss) < 0)
    assert good.followed.converged and not good.followed.diverged
    assert math.dist((good.followed.w[-1], good.followed.b[-1]), lr.minimum.point) < 1e-6


def test_near_critical_eta_zigzags_across_the_valley(lr):
    near = lr.runs[2]
    assert near.regime == "zigzag"
    _, across = valley_axes(lr.minimum)
    t = near.shown
    offset = (t.points - np.array(lr.minimum.point)) @ across
    # Every iterate is on the other side of the valley floor from the one before ...
    assert np.all(np.sign(offset[1:]) == -np.sign(offset[:-1]))
    # ... and every step reverses the direction of the one before it.
    steps = t.steps
    assert np.all(np.einsum("ij,ij->i", steps[1:], steps[:-1]) < 0)
    # Below 2/λmax the zig-zag still shrinks: it converges, slowly.
    assert abs(offset[-1]) < abs(offset[0])
    assert near.followed.converged


def test_above_critical_eta_diverges_and_leaves_the_view(lr):
    above = lr.runs[3]
    assert above.regime == "diverge"
    assert above.followed.diverged and "diverged" in above.followed.message
    assert not window_mask(above.shown.points, lr.scenario).all()
    # The other three stay in view for the whole video.
    for r in lr.runs[:3]:
        assert window_mask(segment_samples(r.shown.points, 12), lr.scenario).all(), r.regime


# ------------------------------------------------------------------------- optimizers
def test_race_uses_the_settings_learning_rates(race):
    cfg = read_environment({}, default=OptimizerRace.default_config)
    crit = cfg.scenario.critical_learning_rate
    span = max(np.ptp(cfg.scenario.w_range), np.ptp(cfg.scenario.b_range))
    assert list(race) == ["gd", "momentum", "nesterov", "rmsprop", "adam"]
    for racer in LECTURE.optimizers.racers:
        scale = crit if racer.per == "critical" else span
        assert race[racer.optimizer].learning_rate == pytest.approx(racer.learning_rate * scale)
        t = race[racer.optimizer].trajectory
        assert t.optimizer == racer.optimizer and t.n_steps == LECTURE.optimizers.steps
        assert not t.diverged
        # Every ball stays on the drawn surface.
        assert window_mask(t.points, cfg.scenario).all(), racer.optimizer


def test_momentum_overshoots_at_the_scene_eta(race):
    """The claim of tests/test_optimizers.py, at the η and start the scene uses."""
    cfg = read_environment({}, default=OptimizerRace.default_config)
    m = cfg.scenario.minimum
    along, _ = valley_axes(m)

    def coord(opt):
        return (race[opt].trajectory.points - np.array(m.point)) @ along

    gd, mom = coord("gd"), coord("momentum")
    assert gd[0] == mom[0] and abs(gd[0]) > 0.5
    sign = np.sign(gd[0])
    assert (sign * gd).min() > -1e-9  # GD creeps up to the minimum without passing it
    passed = -(sign * mom).min()
    assert passed > OVERSHOOT_SHARE * abs(gd[0])
    # The scene's own judgement (it words the caption by it) agrees.
    assert overshoot_share(race["momentum"].trajectory, m) == pytest.approx(passed / abs(gd[0]))
    assert overshoot_share(race["gd"].trajectory, m) == 0.0
    # ... and swings back: momentum ends nearer the minimum than its farthest overshoot.
    assert abs(mom[-1]) < passed


def test_adam_first_steps_follow_the_signs(race):
    adam = race["adam"]
    eta, k, tol = adam.learning_rate, ADAM_SIGN_STEPS, ADAM_STEP_TOLERANCE
    steps = adam.trajectory.steps[:k]
    np.testing.assert_allclose(np.abs(steps), eta, rtol=tol)
    g = np.array([adam.trajectory.grad_w[:k], adam.trajectory.grad_b[:k]]).T
    np.testing.assert_array_equal(np.sign(steps), -np.sign(g))
    # The 45° route differs visibly from the direction of steepest descent at the start.
    first, down = steps[0], -g[0]
    angle = math.degrees(math.acos(first @ down / np.linalg.norm(first) / np.linalg.norm(down)))
    assert angle > 20.0
    # GD's first step, by contrast, is the gradient's direction.
    gd_step = race["gd"].trajectory.steps[0]
    assert abs(gd_step[0] * down[1] - gd_step[1] * down[0]) < 1e-9 * np.linalg.norm(gd_step) ** 2


# --------------------------------------------------------------------------- the flow
def test_flow_runs_cover_the_same_time(flow):
    for run in (flow.large, flow.small):
        t = run.trajectory
        assert run.flow_at_steps.t[-1] == pytest.approx(t.n_steps * run.learning_rate)
        np.testing.assert_allclose(np.diff(run.flow_at_steps.t), run.learning_rate, rtol=1e-9)
        assert t.n_steps * run.learning_rate == pytest.approx(flow.horizon, rel=0.05)
    assert flow.small.trajectory.n_steps > flow.large.trajectory.n_steps


def test_steps_approach_the_flow_as_eta_shrinks(flow):
    assert flow.small.max_gap < 0.1 * flow.large.max_gap
    gaps = [flow_run(flow.scenario, f, flow.horizon).max_gap for f in FLOW_LADDER]
    assert all(a > b for a, b in itertools.pairwise(gaps)), gaps
    # First order, as Euler's method: halving the smallest η about halves the gap.
    ratio = gaps[-1] / gaps[-2]
    assert 0.4 < ratio < 0.6, ratio


def test_flow_reaches_the_floor_and_steps_stay_on_the_map(flow):
    m = flow.scenario.minimum
    assert math.dist((flow.flow.w[-1], flow.flow.b[-1]), m.point) < 0.1
    assert window_mask(flow.flow.points, flow.scenario).all()
    for run in (flow.large, flow.small):
        assert window_mask(run.trajectory.points, flow.scenario).all()


# --------------------------------------------------------------------------------- SGD
# A batch of all n points is full-batch GD bit for bit:
# tests/test_optimizers.py::test_batch_of_everything_is_full_batch_descent.
def test_sgd_stays_in_the_band_around_gd(sgd):
    s = LECTURE.sgd
    assert sgd.sgd.batch_size == s.batch_size < sgd.scenario.problem.n
    assert sgd.sgd.seed == s.seed
    assert sgd.learning_rate == sgd.gd.learning_rate == sgd.sgd.learning_rate
    # Independently of scenes.kit.lecture_studies.path_distances: the drawn SGD path (every
    # step's straight
    # segment, finely sampled) against a dense sampling of the GD path.
    drawn = segment_samples(sgd.sgd.points, 20)
    dense = segment_samples(sgd.gd.points, 100)
    d = np.min(np.hypot(drawn[:, None, 0] - dense[None, :, 0],
                        drawn[:, None, 1] - dense[None, :, 1]), axis=1)
    assert d.max() <= SGD_BAND
    assert sgd.distances.max() <= SGD_BAND
    assert sgd.band == SGD_BAND  # the band drawn and captioned is the lesson's
    np.testing.assert_allclose(sgd.distances, path_distances(sgd.sgd.points, sgd.gd.points))


def test_sgd_jitters_where_gd_settles(sgd):
    m = sgd.scenario.minimum
    tail = LECTURE.sgd.steps // 3
    gd_d = np.hypot(sgd.gd.w - m.w, sgd.gd.b - m.b)[-tail:]
    sgd_d = np.hypot(sgd.sgd.w - m.w, sgd.sgd.b - m.b)[-tail:]
    assert np.all(np.diff(gd_d) <= 1e-12)  # GD closes in on the floor ...
    assert np.sum(np.diff(sgd_d) > 0) >= tail // 4  # ... SGD keeps moving away and back,
    gd_len = np.hypot(*sgd.gd.steps[-tail:].T)
    sgd_len = np.hypot(*sgd.sgd.steps[-tail:].T)
    assert sgd_len.mean() > 5 * gd_len.mean()  # with steps many times longer than GD's there.
    assert not np.allclose(sgd.sgd.points, sgd.gd.points)
    # The zoomed inset frames the jitter.
    assert sgd_d.max() < LECTURE.sgd.zoom_half_side


# ------------------------------------------------------------------ colours and labels
def test_series_colours_read_on_both_themes():
    for theme in THEMES.values():
        colours = LECTURE.series.for_theme(theme)
        assert len(set(colours)) == len(colours) >= 5
        for c in colours:
            assert contrast_ratio(c, theme.background) >= 3.0, (theme.name, c)


def test_both_languages_have_every_label():
    fields = [f.name for f in dataclasses.fields(labels_for("en").lectures)]
    for lang in ("en", "ja"):
        for f in fields:
            assert getattr(labels_for(lang).lectures, f), (lang, f)
        for opt in gdmath.OPTIMIZERS:
            assert labels_for(lang).lectures.optimizer(opt)
    # Templates take the same fields in both languages.
    for f in fields:
        en, ja = getattr(labels_for("en").lectures, f), getattr(labels_for("ja").lectures, f)
        assert sorted(set(_fields(en))) == sorted(set(_fields(ja))), f


def _fields(template: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def test_japanese_lecture_labels_are_not_tofu():
    path, index = font_file("Noto Sans CJK JP")
    font = ImageFont.truetype(path, 48, index=index)
    notdef = np.asarray(font.getmask("\U000f0000"))
    chars = {c for lab in dataclasses.astuple(labels_for("ja").lectures) for c in lab
             if not c.isspace()}
    missing = [c for c in sorted(chars)
               if np.array_equal(np.asarray(font.getmask(c)), notdef)]
    assert not missing, f"drawn as tofu: {missing}"


# -------------------------------------------------------------------- layout on every frame
def played(scene_cls, width: int, height: int, env: dict[str, str] | None = None):
    """The scene run to its end without drawing a frame, on a W × H frame 8 units high."""
    cfg = {"pixel_width": width, "pixel_height": height, "frame_height": 8.0,
           "frame_width": 8.0 * width / height, "write_to_movie": False, "dry_run": True,
           "disable_caching": True, "renderer": "cairo", "from_animation_number": 10**9,
           "verbosity": "ERROR", "progress_bar": "none"}
    saved = {k: os.environ.pop(k) for k in ("GDVIZ_CONFIG", "GDVIZ_PRESET", "GDVIZ_LANG",
                                            "GDVIZ_THEME") if k in os.environ}
    os.environ.update(env or {})
    try:
        with tempconfig(cfg):
            scene = scene_cls()
            scene.render()
            fw, fh = float(scene.camera.frame_width), float(scene.camera.frame_height)
    finally:
        for k in ("GDVIZ_CONFIG", "GDVIZ_PRESET", "GDVIZ_LANG", "GDVIZ_THEME"):
            os.environ.pop(k, None)
        os.environ.update(saved)
    return scene, fw, fh


def flat_parts(scene):
    """Visible 2D pieces: the scene's mobjects, or for a 3D scene those pinned to the frame."""
    if hasattr(scene, "fixed_roots"):
        roots = [m for m in scene.fixed_roots if m in scene.mobjects]
    else:
        roots = scene.mobjects
    return visible_parts(roots, min_opacity=0.05)


@pytest.mark.parametrize(("name", "cls"), SCENES)
@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1080, 1080), (1080, 1920)])
def test_everything_fits_the_frame(name, cls, width, height):
    scene, fw, fh = played(cls, width, height)
    assert scene.played.beats, name
    tol = 0.02
    for part in flat_parts(scene):
        lo, hi = part.get_corner([-1, -1, 0]), part.get_corner([1, 1, 0])
        assert lo[0] >= -fw / 2 - tol and hi[0] <= fw / 2 + tol, (name, width, height, part)
        assert lo[1] >= -fh / 2 - tol and hi[1] <= fh / 2 + tol, (name, width, height, part)
    if cls is OptimizerRace:
        # The final top view: the whole map box is on screen, clear of title and legend.
        sc = scene.stage.scenario
        (w0, w1), (b0, b1) = sc.w_range, sc.b_range
        corners = scene_points(scene.axes, np.array([w0, w1, w0, w1]),
                               np.array([b0, b0, b1, b1]), scene.stage.l_range[0])
        scene.camera.reset_rotation_matrix()
        shown = scene.camera.project_points(corners)
        assert np.all(np.abs(shown[:, 0]) <= fw / 2) and np.all(np.abs(shown[:, 1]) <= fh / 2)
        assert shown[:, 1].max() < scene.title.get_bottom()[1]
        legend = scene.legend
        if scene.legend_beside:  # a column on the left: landscape and square frames
            assert shown[:, 0].min() > legend.get_right()[0]
        else:
            assert shown[:, 1].max() < legend.get_bottom()[1]


def test_maps_have_equal_w_and_b_scales():
    maps = []
    for cls in (LearningRates, GradientFlow, MinibatchSGD):
        scene, _, _ = played(cls, 1920, 1080)
        if cls is LearningRates:
            maps += [p.parts["axes"] for p in scene.panels]
        else:
            maps.append(scene.axes)
        if cls is MinibatchSGD:
            maps.append(scene.inset_axes)
    scene, _, _ = played(OptimizerRace, 1920, 1080)
    maps.append(scene.axes)
    for axes in maps:
        o = np.asarray(axes.c2p(0.0, 0.0, 0.0)) if axes.dimension == 3 else axes.c2p(0.0, 0.0)
        if axes.dimension == 3:
            ew, eb = (np.asarray(axes.c2p(*e)) - o for e in ((1, 0, 0), (0, 1, 0)))
        else:
            ew, eb = (np.asarray(axes.c2p(*e)) - o for e in ((1, 0), (0, 1)))
        assert np.linalg.norm(ew) == pytest.approx(np.linalg.norm(eb), rel=1e-9)
        assert abs(ew @ eb) < 1e-9


@pytest.mark.parametrize(("name", "cls"), SCENES)
def test_japanese_and_light_theme_build(name, cls):
    scene, _, _ = played(cls, 640, 360, {"GDVIZ_LANG": "ja", "GDVIZ_THEME": "light"})
    assert scene.video.language == "ja" and scene.theme.name == "light"
    bg = ManimColor(scene.camera.background_color).to_hex().lower()
    assert bg == THEMES["light"].background


# ------------------------------------------------------------------------------ videos
@pytest.mark.slow
@pytest.mark.parametrize(("scene_file", "scene_cls"), SCENES)
def test_render_tiny(scene_file, scene_cls, tmp_path, clean_environ, default_env) -> None:
    began = time.monotonic()
    plan = check_tiny_render(scene_file, scene_cls, tmp_path, clean_environ)
    elapsed = time.monotonic() - began
    print(f"{scene_file}: {plan.seconds(FPS):.1f} s of video rendered in {elapsed:.1f} s")
