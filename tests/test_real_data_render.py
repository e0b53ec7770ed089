"""The main video on real data: it renders, the ball stays in frame, and it tells the truth.

Six real teaching datasets of `test_real_data` (separable with a sigmoid, overlapping, unscaled
regressions with condition numbers up to 10⁵, an outlier) are rendered with the config a
newcomer writes first (start (0, 0), η = 0.1, 100 steps) and with the diagnosis' suggestion
(standardise when advised, η and steps "auto"). Each render is tiny (160×90 at 2 fps); the
geometry is checked on the scene posed at 1080p through its real camera, as in
`test_scene_geometry`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from manim import tempconfig
from scene_helpers import to_pixels
from support.stills import pose_map, pose_roll
from test_real_data import NEWCOMER, cases

import gdmath
from scenes.descent import GradientDescent
from scenes.kit.descent_study import DEG, DescentStudy
from scenes.kit.env import read_environment

ROOT = Path(__file__).resolve().parents[1]
HD = {"pixel_width": 1920, "pixel_height": 1080, "write_to_movie": False,
      "disable_caching": True, "renderer": "cairo"}
NAMES = ["iris setosa by petal length", "penguins Gentoo by flipper length",
         "cars horsepower by mpg", "penguins flipper by bill length", "anscombe III (outlier)",
         "stackloss by air flow (outliers)"]


def test_the_suite_covers_the_issue_cases() -> None:
    assert set(NAMES) <= set(cases())
    kinds = {cases()[n].kind for n in NAMES}
    assert {"separable", "overlapping", "regression"} <= kinds


def write_config(tmp_path: Path, name: str, which: str) -> Path:
    """The newcomer's config of dataset `name`, or the one its diagnosis suggests."""
    case = cases()[name]
    data = {"x": case.x.tolist(), "y": case.y.tolist()}
    descent = {"start": list(NEWCOMER["start"]), "learning_rate": NEWCOMER["learning_rate"],
               "steps": NEWCOMER["steps"]}
    if which == "suggested":
        first = gdmath.parse_config({"data": data, "model": {"activation": case.activation},
                                     "descent": descent}).scenario
        data["standardize"] = first.diagnosis.suggestion.standardize
        # η as suggested; at most 300 steps (steps = "auto" runs 10⁴ on separable data, and
        # the roll's length does not depend on the count).
        steps = first.diagnosis.suggestion.steps
        descent.update(learning_rate="auto", steps=min(steps or 300, 300))
    lines = ["[data]", f"x = {json.dumps(data['x'])}", f"y = {json.dumps(data['y'])}"]
    if data.get("standardize"):
        lines.append("standardize = true")
    lines += ["[model]", f'activation = "{case.activation}"', "[descent]",
              f"start = {descent['start']}",
              f"learning_rate = {json.dumps(descent['learning_rate'])}",
              f"steps = {json.dumps(descent['steps'])}"]
    path = tmp_path / f"{which}.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def inside_frame(px: np.ndarray) -> bool:
    return bool(0 <= px[0] <= HD["pixel_width"] and 0 <= px[1] <= HD["pixel_height"])


@pytest.mark.slow
@pytest.mark.parametrize("which", ["newcomer", "suggested"])
@pytest.mark.parametrize("name", NAMES)
def test_descent_renders_with_the_ball_in_frame(tmp_path, monkeypatch, clean_environ, name,
                                                which) -> None:
    config = write_config(tmp_path, name, which)
    monkeypatch.setenv("GDVIZ_CONFIG", str(config))
    for key in ("GDVIZ_PRESET", "GDVIZ_LANG", "GDVIZ_THEME"):
        monkeypatch.delenv(key, raising=False)
    env = {**clean_environ, "GDVIZ_CONFIG": str(config), "PYTHONPATH": str(ROOT)}
    render = subprocess.Popen(
        [sys.executable, "-m", "manim", "-r", "160,90", "--fps", "2", "--disable_caching",
         "--media_dir", str(tmp_path / "media"), "-o", "clip", "scenes/descent.py"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        # The geometry is checked in this process while manim renders in its own.
        check_scene(posed_story())
    finally:
        _, err = render.communicate(timeout=900)
    assert render.returncode == 0, err[-2000:]
    assert list((tmp_path / "media").rglob("clip.mp4"))


def posed_story():
    """The story scene of the current GDVIZ_CONFIG, posed at the start of the roll (1080p)."""
    with tempconfig(HD):
        scene = GradientDescent()
        scene.setup()
        pose_roll(scene, 0.0)
    return scene


def check_scene(scene) -> None:
    """The ball in frame whenever drawn, the floor honest, the exit marked (`scene` at 1080p)."""
    stage, tl = scene.stage, scene.timeline
    n = stage.traj.n_steps
    with tempconfig(HD):
        for t in sorted({0, 1, min(5, n), n // 2, n}):
            tau = float(tl.starts[t]) if t < n else tl.duration
            phi, theta = tl.camera_at(tau)
            scene.set_camera_orientation(phi=phi * DEG, theta=theta * DEG)
            scene.show_roll_state(tau)
            scene.update_self(0)
            shown = scene.ball.get_fill_opacity() > 0
            k = stage.sample_index(tl.progress(tau))
            # The ball is drawn exactly while its iterate is inside the box, and then in frame.
            assert shown == bool(stage.inside[k]), f"step {t}"
            if shown:
                px = to_pixels(scene.camera, scene.ball, scene.ball.get_center())[0]
                assert inside_frame(px), f"step {t}: ball at {px}"
        assert stage.inside[0], "the start is always in view"
        # The valley floor only at a verified minimum; otherwise the honest caption.
        d = stage.scenario.diagnosis
        assert stage.floor_visible == d.has_valley_floor
        assert (stage.no_floor_caption is None) == d.has_valley_floor
        if d.reason == "no-finite-minimum":
            assert "No valley floor" in stage.no_floor_caption
        # A path that leaves the view is shown leaving it, on the map, at the window's edge.
        pose_map(scene)
        scene.update_self(0)
        if stage.exit_step is None:
            assert scene.exit_marker is None
            return
        _arrow, ring, _label = scene.exit_marker
        edge = stage.exit_point
        (w0, w1), (b0, b1) = stage.scenario.w_range, stage.scenario.b_range
        assert np.isclose(edge[0], [w0, w1]).any() or np.isclose(edge[1], [b0, b1]).any()
        px = to_pixels(scene.camera, ring, ring.get_center())[0]
        assert inside_frame(px)


def test_no_view_of_a_narrow_valley_is_a_strip(monkeypatch, tmp_path) -> None:
    # Unscaled regression, condition number ~10⁵: the window is ~60× taller than wide.
    config = write_config(tmp_path, "penguins flipper by bill length", "newcomer")
    monkeypatch.setenv("GDVIZ_CONFIG", str(config))
    stage = DescentStudy(read_environment())
    lengths = [axis.get_length() for axis in stage.axes.get_axes()[:2]]
    assert max(lengths) / min(lengths) == pytest.approx(2.5, rel=1e-6)
    assert not stage.to_scale and stage.right_angle_steps == []
    assert stage.perpendicular_caption.startswith("Not to scale: w is stretched")
    assert stage.perpendicular_caption.endswith("the valley is very narrow")
    spans = np.ptp(stage.scenario.w_range), np.ptp(stage.scenario.b_range)
    assert stage.stretch == pytest.approx(max(spans) / min(spans) / 2.5, rel=1e-6)


def test_readout_writes_small_and_huge_numbers_in_scientific_notation() -> None:
    from scenes.kit.sci import SciNumber, sci_parts, tex_number

    assert tex_number(1.5e-6) == r"1.5 \times 10^{-6}"
    assert tex_number(0.1) == "0.1"
    assert tex_number(4.44059e27) == r"4.44 \times 10^{27}"
    assert tex_number(126.684) == "127"
    assert tex_number(1400.0) == "1400"  # not 1400.00000 (``:g`` writes 1.4e+03 there)
    assert tex_number(-0.0) == "0"
    from scenes.kit.sci import plain_number

    assert [plain_number(v) for v in (1400.0, 0.5, -2.0, 1.5e7, 1.5e-6, -0.0)] == [
        "1400", "0.5", "\u22122", "1.5e7", "1.5e\u22126", "0"]
    assert sci_parts(9.996e-7, 3)[:2] == (1.0, -6)
    number = SciNumber(0.0, decimals=3, include_sign=True)
    left = number.get_left().copy()
    for value in (0.25, -8.137e10, 3e-5, 1.5):
        number.set_value(value)
        assert number.get_value() == value
        assert number.get_left()[0] == pytest.approx(left[0], abs=1e-9)
        assert (len(number.tail.submobjects) > 0) == (abs(value) >= 1e4 or abs(value) < 1e-3)
