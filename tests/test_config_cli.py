"""TOML configs, the environment that scenes read, and ``python -m gdmath``."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
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


# ---------------------------------------------------------------- automatic settings and data
def test_auto_learning_rate_and_steps_resolve_and_converge(tmp_path):
    f = write(tmp_path, '[data]\nx = [0.0, 1.0, 2.0, 3.0]\ny = [1.0, 2.9, 5.2, 6.8]\n'
                        '[descent]\nstart = [0.0, 0.0]\nlearning_rate = "auto"\nsteps = "auto"\n')
    cfg = load_config(f)
    s = cfg.scenario
    assert cfg.auto == ("learning_rate", "steps")
    assert s.learning_rate == pytest.approx(gdmath.auto_learning_rate(s.problem, s.start))
    assert 0 < s.steps <= gdmath.AUTO_STEPS_CAP
    assert s.diagnosis.outcome == "converged" and s.diagnosis.steps_to_converge == s.steps


def test_standardize_fits_in_standard_units_and_keeps_the_original_x(tmp_path):
    x = [20.0, 25.0, 31.0, 38.0, 40.0]
    doc = {"data": {"x": x, "y": [150.0, 210.0, 290.0, 370.0, 400.0], "standardize": True},
           "descent": {"start": [0.0, 0.0], "learning_rate": 0.1, "steps": 100}}
    s = parse_config(doc).scenario
    np.testing.assert_allclose(s.problem.x, (np.array(x) - np.mean(x)) / np.std(x))
    np.testing.assert_allclose(s.standardization.invert(s.problem.x), x)
    # The same straight line in either units.
    w_u, b_u = s.diagnosis.minimum.point
    (w, b), *_ = np.linalg.lstsq(np.column_stack([x, np.ones(5)]), doc["data"]["y"], rcond=None)
    np.testing.assert_allclose(s.standardization.to_original(w_u, b_u), (w, b), rtol=1e-9)
    assert "ill-conditioned" not in s.diagnosis.codes


def test_shipped_datasets_load_with_their_activation():
    for name, named in gdmath.DATASETS.items():
        cfg = parse_config({"data": {"dataset": name},
                            "descent": {"start": [0.0, 0.0], "learning_rate": 0.001, "steps": 2}})
        assert cfg.dataset is named and cfg.scenario.problem.activation == named.activation
        assert cfg.scenario.problem.n >= 10


@pytest.mark.parametrize(
    ("doc", "match"),
    [
        ({"preset": "bowl", "descent": {"steps": 1_000_000_000}},
         r"descent.steps = 1000000000 is above the cap of 100000 steps"),
        ({"preset": "bowl", "descent": {"learning_rate": "fast"}},
         r'descent.learning_rate must be a number, got string \'fast\' \(or "auto"\)'),
        ({"preset": "bowl", "data": {"standardize": "yes"}}, "data.standardize must be true or"),
        ({"data": {"dataset": "iris"}, "descent": {"start": [0, 0], "learning_rate": 0.1,
                                                   "steps": 1}}, "unknown dataset 'iris'"),
    ],
)
def test_bad_automatic_settings_are_refused(doc, match):
    with pytest.raises(ConfigError, match=match):
        parse_config(doc, source="c.toml")


def test_folders_encodings_and_excel_csv(tmp_path):
    with pytest.raises(ConfigError, match="is a folder"):
        load_config(tmp_path)
    f = tmp_path / "latin1.toml"
    f.write_bytes(b'title = "caf\xe9"\n')
    with pytest.raises(ConfigError, match=r"latin1.toml: not UTF-8 text \(byte 0xe9"):
        load_config(f)
    (tmp_path / "excel.csv").write_bytes(b"\xef\xbb\xbfx,y\r\n0,1\r\n1,3\r\n2,5\r\n")
    cfg = write(tmp_path, '[data]\ncsv = "excel.csv"\n[descent]\nstart = [0, 0]\n'
                          'learning_rate = 0.05\nsteps = 3\n')
    np.testing.assert_array_equal(load_config(cfg).scenario.problem.y, [1, 3, 5])
    (tmp_path / "sub").mkdir()
    cfg = write(tmp_path, '[data]\ncsv = "sub"\n[descent]\nstart = [0, 0]\n'
                          'learning_rate = 0.05\nsteps = 3\n', "d.toml")
    with pytest.raises(ConfigError, match="data file .*sub' is a folder"):
        load_config(cfg)


# ---------------------------------------------------------------- check --json and bad input
def test_check_json_is_one_object_with_the_documented_fields(tmp_path):
    out = run_cli("check", "--preset", "bowl", "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    bowl = gdmath.PRESETS["bowl"]
    d = bowl.diagnosis
    assert doc["minimum"]["w"] == d.minimum.w and doc["minimum"]["loss"] == d.minimum.loss
    assert doc["diagnosis"] == list(d.codes)
    assert doc["critical_learning_rate"] == d.critical_learning_rate
    assert doc["suggested_learning_rate"] == d.suggestion.learning_rate
    assert doc["steps_to_converge"] == d.steps_to_converge
    f = write(tmp_path, '[data]\nx = [2.0]\ny = [1.0]\n[descent]\nstart = [0, 0]\n'
                        'learning_rate = 0.1\nsteps = 100\n')
    doc = json.loads(run_cli("check", "--config", str(f), "--json").stdout)
    assert doc["minimum"] is None and "underdetermined" in doc["diagnosis"]


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["export", "surface", "-o", "{tmp}/missing/s.csv"], "folder '.*missing' does not exist"),
        (["export", "surface", "-o", "{tmp}"], "is a folder"),
        (["export", "surface", "-o", "{tmp}/a_file/s.csv"], "a_file' is a file, not a folder"),
        (["export", "surface", "--resolution", "100000", "-o", "{tmp}/s.csv"],
         "above the cap of 2001"),
        (["check", "--config", "{tmp}"], "is a folder"),
    ],
)
def test_cli_bad_input_is_one_line_exit_2_and_leaves_no_file(tmp_path, args, match):
    (tmp_path / "a_file").write_text("")
    out = run_cli(*[a.format(tmp=tmp_path) for a in args])
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert re.search(match, out.stderr), out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]


def test_ctrl_c_ends_with_one_line_and_no_partial_file(tmp_path):
    # 5000 points on a 2001² grid: half a minute of work, so the signal lands mid-computation
    # (after the imports, which are not covered).
    x = np.linspace(-1.0, 1.0, 5000)
    np.savetxt(tmp_path / "many.csv", np.column_stack([x, 2 * x]), delimiter=",", header="x,y",
               comments="")
    cfg = write(tmp_path, '[data]\ncsv = "many.csv"\n[descent]\nstart = [0, 0]\n'
                          'learning_rate = 0.0001\nsteps = 3\n[view]\nw_range = [0, 1]\n'
                          'b_range = [0, 1]\n')
    out = tmp_path / "big.csv"
    proc = subprocess.Popen(
        [sys.executable, "-m", "gdmath", "export", "surface", "--config", str(cfg),
         "--resolution", "2001", "-o", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # A child of a non-interactive shell may inherit SIGINT ignored: restore the default.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    time.sleep(6.0)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert err.strip() == "interrupted"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.toml", "many.csv"]
