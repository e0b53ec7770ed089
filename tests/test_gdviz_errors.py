"""gdviz on bad input and interruption: one or two lines, the right exit code, no leftovers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gdviz.cli import main
from gdviz.jobs import scene_default_preset

ROOT = Path(__file__).resolve().parents[1]
BAD_SCENE = '''
from manim import Scene


class Bad(Scene):
    def construct(self):
        raise RuntimeError("boom")
'''


def test_jobs_zero_is_reported_as_the_option(capsys, tmp_path) -> None:
    rc = main(["render", str(ROOT / "scenes" / "contour.py"), "--jobs", "0",
               "--out", str(tmp_path)])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1
    assert "--jobs" in err[0] and "parallel" not in err[0]


@pytest.mark.parametrize(("scene", "cls"), [("flow", "GradientFlow"), ("sgd", "MinibatchSGD"),
                                             ("learning_rates", "LearningRates"),
                                             ("optimizers", "OptimizerRace"),
                                             ("basins", None), ("descent", None)])
def test_outputs_are_named_after_the_scene_default_config(scene, cls) -> None:
    import importlib

    import gdmath

    want = gdmath.DEFAULT_PRESET
    if cls is not None:
        # What the scene really renders: its class attribute, imported.
        value = getattr(importlib.import_module(f"scenes.{scene}"), cls).default_config
        want = value if isinstance(value, str) else value["preset"]
    elif scene == "basins":
        want = "two-basins"
    assert scene_default_preset(ROOT / "scenes" / f"{scene}.py") == want


@pytest.mark.slow
def test_a_failed_render_leaves_no_scratch_and_no_output(tmp_path, clean_environ) -> None:
    scene = tmp_path / "bad.py"
    scene.write_text(BAD_SCENE)
    out = tmp_path / "out"
    env = {**clean_environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "gdviz", "render", str(scene), "--quality", "l",
                          "--out", str(out)], env=env, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr and "boom" in run.stderr
    assert not (out / ".work").exists()
    assert not [p for p in out.rglob("*") if p.is_file()]
    log = run.stderr.strip().splitlines()[-1].removeprefix("log: ")
    assert Path(log).is_file()


@pytest.mark.slow
def test_ctrl_c_ends_with_one_line_and_leaves_nothing(tmp_path, clean_environ) -> None:
    out = tmp_path / "out"
    cache = tmp_path / "cache"
    env = {**clean_environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache)}
    proc = subprocess.Popen([sys.executable, "-m", "gdviz", "render",
                             str(ROOT / "scenes" / "contour.py"), "--quality", "l",
                             "--out", str(out)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    # Interrupt once manim is at work: its scratch folder (in the cache) is there.
    while not list(cache.glob("gdviz/work/*/*/*")) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(3.0)
    os.killpg(proc.pid, signal.SIGINT)  # what the terminal sends on Ctrl-C
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130
    lines = [s for s in err.splitlines() if s.strip()]
    assert lines == ["gdviz: interrupted"], err[-2000:]
    assert not (out / ".work").exists()
    assert not [p for p in out.rglob("*") if p.is_file()]
