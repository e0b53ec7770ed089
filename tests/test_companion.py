"""The interactive companion: gdmath's exact surface and path, offline, drawn in Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from browser_helpers import CHROMIUM, chromium_tab
from PIL import Image

import gdmath
from gdviz.companion import RESOLUTION, clip_config, companion_figure, write_companion
from gdviz.jobs import Job

FIXTURES = Path(__file__).parent / "scenes_fixture"
REPO = Path(__file__).resolve().parents[1]
SHOTS = Path(__file__).parent / "_output"


def test_figure_is_the_exact_surface_path_and_start():
    cfg = clip_config(Job(scene=FIXTURES / "publish_scene.py", preset="plateau").settings())
    sc = cfg.scenario
    assert sc.name == "plateau"
    fig = companion_figure(cfg)
    surface, path, start = fig.data
    exact = gdmath.loss_surface(sc.problem, sc.w_range, sc.b_range, RESOLUTION)
    np.testing.assert_allclose(np.asarray(surface.z, dtype=float), exact.L, rtol=1e-12)
    np.testing.assert_allclose(surface.x, exact.w, rtol=1e-12)
    traj = sc.trajectory
    np.testing.assert_allclose(path.x, traj.w[:len(path.x)], rtol=1e-12)
    np.testing.assert_allclose(path.z, sc.problem.loss(np.asarray(path.x), np.asarray(path.y)),
                               rtol=1e-9)
    assert (start.x[0], start.y[0]) == sc.start and start.marker.symbol == "x"
    assert "l = %{z" in surface.hovertemplate and "w = %{x" in path.hovertemplate


def test_the_scene_s_own_default_problem_and_the_language():
    # basins.py names its own preset; --lang ja gives Japanese labels.
    cfg = clip_config(Job(scene=REPO / "scenes" / "basins.py", lang="ja").settings())
    assert cfg.scenario.name == "two-basins" and cfg.language == "ja"
    assert companion_figure(cfg).data[1].name == "降下の経路"


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium")
def test_companion_draws_offline_in_headless_chromium(tmp_path):
    clip = tmp_path / "contour.mp4"
    page = write_companion(clip, Job(scene=REPO / "scenes" / "contour.py").settings(),
                           "Contour map")
    text = page.read_text()
    assert page.name == "contour.3d.html"
    assert not re.search(r"<script[^>]+src=", text), "no remote (or any external) script"
    assert "Plotly" in text and len(text) > 1e6  # plotly.js is inlined
    with chromium_tab(page.as_uri()) as tab:
        drawn = tab.wait_for("(() => { const c = document.querySelector('.gl-container canvas');"
                             " return c && c.width > 100 && c.height > 100; })()", 60)
        tab.pump(1.5)
        assert drawn, "no WebGL canvas"
        hover = tab.evaluate("document.querySelector('.js-plotly-plot').data.map(d => d.type)")
        assert hover == ["surface", "scatter3d", "scatter3d"]
        assert not tab.errors, tab.errors
        assert all(u.startswith(("file:", "data:", "blob:")) for u in tab.requests), tab.requests
        shot = tab.screenshot(SHOTS / "companion.png")
    rgb = np.asarray(Image.open(shot).convert("RGB"), dtype=float)
    # The surface is drawn: strongly coloured (Viridis) pixels on white. The default problem's
    # bowl covers about 4 % of the page (measured); the axes, grid and text are grey.
    colourful = ((rgb.max(axis=-1) - rgb.min(axis=-1)) > 60).mean()
    assert colourful > 0.02, colourful
