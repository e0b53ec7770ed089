"""TOML configs, the environment that scenes read, and ``python -m gdmath``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import gdmath
from gdmath import ConfigError, load_config, parse_config
from scenes.kit.env import read_config_file, read_environment


def write(tmp_path, text, name="c.toml"):
    f = tmp_path / name
    f.write_text(text)
    return f


def test_full_config_builds_the_scenario(tmp_path):
    f = write(tmp_path, """
title = "my neuron"
[data]
x = [0.0, 0.5, 1.0, 1.5]
y = [-0.9, -0.2, 0.6, 1.3]
[model]
activation = "identity"
loss = "mse"
[descent]
start = [3.0, 1.0]
learning_rate = 0.2
steps = 25
[view]
w_range = [-1.0, 4.0]
b_range = [-2.5, 2.0]
[video]
language = "ja"
""")
    cfg, language = read_config_file(f)
    s = cfg.scenario
    assert language == "ja" and s.title == "my neuron"
    assert s.problem.loss_kind == "mse" and s.problem.n == 4
    assert s.start == (3.0, 1.0) and s.learning_rate == 0.2 and s.steps == 25
    assert s.w_range == (-1.0, 4.0)
    np.testing.assert_array_equal(s.problem.x, [0.0, 0.5, 1.0, 1.5])


def test_preset_with_overrides_keeps_the_preset_view():
    cfg = parse_config({"preset": "bowl", "descent": {"learning_rate": 0.02}})
    bowl = gdmath.PRESETS["bowl"]
    assert cfg.scenario.learning_rate == 0.02
    assert cfg.scenario.w_range == bowl.w_range and cfg.scenario.start == bowl.start


def test_view_is_fitted_around_the_path_when_left_out(tmp_path):
    cfg = parse_config({
        "data": {"generate": {"w": 2.0, "b": -1.0, "activation": "tanh", "n": 8, "seed": 1}},
        "model": {"activation": "tanh"},
        "descent": {"start": [-2.0, 2.0], "learning_rate": 0.05, "steps": 40},
    })
    s = cfg.scenario
    t = s.trajectory
    assert s.w_range[0] < t.w.min() and t.w.max() < s.w_range[1]
    assert s.b_range[0] < t.b.min() and t.b.max() < s.b_range[1]
    assert s.w_range[0] < s.minimum.w < s.w_range[1]


def test_csv_data_is_read_relative_to_the_config(tmp_path):
    (tmp_path / "pts.csv").write_text("x,y\n0,1\n1,3\n2,5\n")
    f = write(tmp_path, '[data]\ncsv = "pts.csv"\n[descent]\nstart = [0, 0]\n'
                        'learning_rate = 0.05\nsteps = 10\n')
    np.testing.assert_array_equal(load_config(f).scenario.problem.y, [1, 3, 5])


@pytest.mark.parametrize(
    ("doc", "match"),
    [
        ({"descent": {"learnig_rate": 0.1}}, r"unknown key 'learnig_rate' in \[descent\] "
                                             r"\(did you mean 'learning_rate'\?\)"),
        ({"modle": {}}, r"unknown key 'modle' in the top level \(did you mean 'model'\?\)"),
        ({"data": {"generate": {"sed": 1}}}, r"\[data.generate\] \(did you mean 'seed'\?\)"),
        ({"preset": "bowl", "descent": {"learning_rate": "0.1"}},
         "descent.learning_rate must be a number, got string '0.1'"),
        ({"preset": "bowl", "descent": {"steps": 2.5}},
         "descent.steps must be an integer, got number 2.5"),
        ({"preset": "bowl", "descent": {"start": [1]}}, "descent.start must be a pair of numbers"),
        ({"preset": "bowl", "descent": {"learning_rate": -0.1}},
         "learning_rate must be a finite number > 0"),
        ({"preset": "bowl", "model": {"activation": "sigmod"}}, "did you mean 'sigmoid'"),
        ({"preset": "bwol"}, "unknown preset 'bwol' \\(did you mean 'bowl'\\?\\)"),
        ({"preset": "bowl", "data": {"x": [0.0, float("nan")], "y": [1.0, 2.0]}}, "non-finite"),
        ({"preset": "bowl", "video": {"language": "en"}}, "unknown key 'video'"),
        ({"data": {"x": [0.0, 1.0], "y": [1.0, 2.0]}}, r"\[descent\] needs start"),
        ({"preset": "bowl", "data": {"x": [0.0], "csv": "a.csv"}}, "one source"),
    ],
)
def test_bad_configs_are_refused_with_a_clear_message(doc, match):
    with pytest.raises(ConfigError, match=match):
        parse_config(doc, source="c.toml")


def test_invalid_toml_and_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[descent\n"))
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml")


def test_extra_tables_pass_through_gdmath_unread():
    cfg = parse_config({"preset": "bowl", "video": {"anything": 1}}, extra_tables=("video",))
    assert cfg.extra == {"video": {"anything": 1}}
    assert cfg.scenario.name == "bowl"


def test_environment_selects_preset_config_language_and_theme(tmp_path):
    assert read_environment({}).scenario.name == gdmath.DEFAULT_PRESET
    assert read_environment({"GDVIZ_PRESET": "plateau"}).scenario.name == "plateau"
    assert read_environment({"GDVIZ_LANG": "ja"}).language == "ja"
    assert read_environment({"GDVIZ_THEME": "light"}).theme == "light"
    f = write(tmp_path, 'preset = "two-basins"\n[video]\nlanguage = "ja"\n')
    cfg = read_environment({"GDVIZ_CONFIG": str(f)})
    assert cfg.scenario.name == "two-basins" and cfg.language == "ja"
    with pytest.raises(ConfigError, match="GDVIZ_PRESET.*did you mean 'plateau'"):
        read_environment({"GDVIZ_PRESET": "plateu"})
    with pytest.raises(ConfigError, match="GDVIZ_LANG"):
        read_environment({"GDVIZ_LANG": "de"})
    with pytest.raises(ConfigError, match="GDVIZ_THEME must be one of dark, light, got 'neon'"):
        read_environment({"GDVIZ_THEME": "neon"})
    bad = write(tmp_path, 'preset = "bowl"\n[video]\nlanguage = "jp"\n')
    with pytest.raises(ConfigError, match="must be one of 'en', 'ja', got 'jp'"):
        read_environment({"GDVIZ_CONFIG": str(bad)})
    with pytest.raises(ConfigError, match="not both"):
        read_environment({"GDVIZ_CONFIG": str(f), "GDVIZ_PRESET": "bowl"})


def test_environment_contract_and_gdmath_import_no_manim():
    code = ("import sys, gdmath, scenes.kit.env, gdviz.jobs; "
            "assert 'manim' not in sys.modules, sorted(m for m in sys.modules if 'manim' in m)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert proc.returncode == 0, proc.stderr


def test_gdmath_reads_no_environment():
    source = "".join(p.read_text() for p in
                     (Path(__file__).resolve().parents[1] / "gdmath").glob("*.py"))
    assert "os.environ" not in source and "GDVIZ_" not in source
    assert "language" not in source and "theme" not in source


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "gdmath", *args], capture_output=True, text=True)


def test_cli_check_prints_minimum_critical_rate_and_convergence():
    out = run_cli("check", "--preset", "bowl")
    assert out.returncode == 0, out.stderr
    m = gdmath.PRESETS["bowl"].minimum
    assert f"{m.w:.6g}" in out.stdout and "critical η" in out.stdout
    assert "ran all 30 steps" in out.stdout


def test_cli_refuses_a_config_with_a_typo(tmp_path):
    f = write(tmp_path, 'preset = "bowl"\n[descent]\nlearnig_rate = 0.1\n')
    out = run_cli("check", "--config", str(f))
    assert out.returncode == 2
    assert "did you mean 'learning_rate'" in out.stderr


def test_cli_exports_trajectory_and_surface(tmp_path):
    out = run_cli("export", "trajectory", "--preset", "bowl", "--format", "json")
    doc = json.loads(out.stdout)
    t = gdmath.PRESETS["bowl"].trajectory
    assert len(doc["rows"]) == t.w.size and doc["rows"][3]["w"] == t.w[3]
    f = tmp_path / "s.csv"
    out = run_cli("export", "surface", "--preset", "plateau", "--resolution", "5", "-o", str(f))
    assert out.returncode == 0, out.stderr
    lines = f.read_text().splitlines()
    assert lines[0] == "w,b,loss" and len(lines) == 26


def test_environment_falls_back_to_a_scene_default():
    assert read_environment({}, default="plateau").scenario.name == "plateau"
    # The environment still wins over a scene's default.
    assert read_environment({"GDVIZ_PRESET": "bowl"}, default="plateau").scenario.name \
        == "bowl"
    doc = {"preset": "bowl", "descent": {"start": [-0.8, 0.9]}}
    cfg = read_environment({"GDVIZ_LANG": "ja"}, default=doc)
    assert cfg.scenario.start == (-0.8, 0.9) and cfg.language == "ja"
