"""Render each scene file at a tiny size and check the video: it decodes, lasts what the scene
plans, never shows a blank frame, and moves."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest
from conftest import ROOT

from scenes.contour import ContourMap
from scenes.valley import Valley

MANIM = str(Path(sys.executable).with_name("manim"))
FPS = 6
SIZE = (256, 144)


def render(scene_file: str, media: Path, env: dict[str, str], size: tuple[int, int] = SIZE,
           fps: int = FPS) -> subprocess.CompletedProcess:
    cmd = [MANIM, "-r", f"{size[0]},{size[1]}", "--fps", str(fps), "--media_dir", str(media),
           "--disable_caching", "--progress_bar", "none", f"scenes/{scene_file}"]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def decode(path: Path) -> tuple[list[np.ndarray], float]:
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(s)]
        rate = float(s.average_rate)
    return frames, rate


def check_tiny_render(scene_file: str, scene_cls, media: Path, env: dict[str, str], *,
                      rate_rel: float = 0.0):
    """Render `scene_file` tiny and check the video (`check_video`); return the scene's plan."""
    proc = render(scene_file, media, env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    (video,) = media.glob(f"videos/**/{scene_cls.__name__}.mp4")
    frames, rate = decode(video)
    return check_video(frames, rate, scene_cls, SIZE, FPS, rate_rel=rate_rel)


def check_video(frames: list[np.ndarray], rate: float, scene_cls, size: tuple[int, int],
                fps: int, *, rate_rel: float = 0.0):
    """Check a decoded video of `scene_cls`; return the scene's plan.

    It decodes at the planned size and rate (within `rate_rel`), has exactly the planned
    frames, never shows a blank frame, and the picture changes between its quarters. (What the
    frames show is checked in tests/test_scene_content.py.)
    """
    assert rate == pytest.approx(fps, rel=rate_rel, abs=0.0)
    assert frames[0].shape == (size[1], size[0], 3)
    plan = scene_cls.script()
    assert len(frames) == plan.frames(fps), (len(frames), plan.frames(fps), plan.nominal)
    bg = frames[0][0, 0].astype(int)
    for i, f in enumerate(frames):
        # Not blank: a visible share of the pixels differs from the background.
        lit = np.abs(f.astype(int) - bg).sum(axis=2) > 40
        assert lit.mean() > 0.002, f"frame {i} of {len(frames)} is blank"
    # The picture changes over the video, and between its quarters.
    quarters = [frames[int(q * (len(frames) - 1))].astype(int) for q in (0, 0.25, 0.5, 0.75, 1)]
    for a, b in itertools.pairwise(quarters):
        assert np.abs(a - b).mean() > 1.0
    return plan


@pytest.mark.slow
@pytest.mark.parametrize(("scene_file", "scene_cls"), [
    # descent.py renders larger in tests/test_scene_content.py, with the same checks.
    ("valley.py", Valley), ("contour.py", ContourMap),
])
def test_render_tiny(scene_file, scene_cls, tmp_path, clean_environ, default_env) -> None:
    # The container's average rate may be off by a few 1e-6 for some frame counts (mux
    # rounding); the frame count below is still checked exactly.
    check_tiny_render(scene_file, scene_cls, tmp_path, clean_environ, rate_rel=1e-4)


def test_bad_config_is_refused_before_rendering(tmp_path, clean_environ) -> None:
    env = dict(clean_environ, GDVIZ_PRESET="bowll")
    proc = render("valley.py", tmp_path, env)
    assert proc.returncode != 0
    assert "unknown preset 'bowll'" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not list(tmp_path.glob("videos/**/*.mp4"))
    bad = tmp_path / "bad.toml"
    bad.write_text('preset = "bowl"\n[descent]\nlearning_rat = 0.1\n')
    proc = render("descent.py", tmp_path, dict(clean_environ, GDVIZ_CONFIG=str(bad)))
    assert proc.returncode != 0
    assert "learning_rat" in proc.stderr and "learning_rate" in proc.stderr
    assert not list(tmp_path.glob("videos/**/*.mp4"))


@pytest.mark.slow
def test_diverging_descent_renders(tmp_path, clean_environ) -> None:
    cfg = tmp_path / "diverge.toml"
    cfg.write_text('preset = "bowl"\n[descent]\nlearning_rate = 0.06\nsteps = 40\n'
                   "[view]\nw_range = [-1.0, 4.0]\nb_range = [-2.5, 2.0]\n")
    env = dict(clean_environ, GDVIZ_CONFIG=str(cfg))
    proc = render("valley.py", tmp_path, env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    (video,) = tmp_path.glob("videos/**/Valley.mp4")
    frames, _ = decode(video)
    import os

    old = {k: os.environ.get(k) for k in ("GDVIZ_CONFIG",)}
    os.environ["GDVIZ_CONFIG"] = str(cfg)
    try:
        plan = Valley.script()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert any(name == "diverged" for name in (beat.name for beat in plan.beats))
    assert len(frames) == plan.frames(FPS)
