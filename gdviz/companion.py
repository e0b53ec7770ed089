"""The interactive companion of a clip: ``<stem>.3d.html``, the valley to turn by hand.

One self-contained page (plotly's JavaScript inlined, no remote script): the exact loss surface
over the clip's view window (`gdmath.loss_surface` on the clip's problem), the descent path on
it and the start ✕, which the reader rotates and zooms; hovering reads out (w, b, l).

The problem is the clip's: its sidecar's preset, config and language, or else the scene's own
default (``default_config`` / ``default_preset`` of the scene class), resolved the way the scenes
resolve it (`scenes.kit.env.read_environment`).
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from scenes.kit.env import VideoConfig, read_environment

__all__ = ["RESOLUTION", "clip_config", "companion_figure", "companion_html",
           "companion_path", "write_companion"]

#: Grid nodes along w and b: every node is an exact loss value from gdmath.
RESOLUTION = 101

_WORDS = {
    "en": {"surface": "loss l(w, b)", "path": "descent path", "start": "start ✕",
           "hint": "Drag to turn, scroll to zoom, hover for (w, b, l).",
           "steps": "{n} steps, η = {eta:g}"},
    "ja": {"surface": "損失 l(w, b)", "path": "降下の経路", "start": "初期値 ✕",
           "hint": "ドラッグで回転、スクロールで拡大、点に重ねると (w, b, l) を表示。",
           "steps": "{n} ステップ、η = {eta:g}"},
}


def companion_path(clip: Path) -> Path:
    """``<stem>.3d.html`` beside `clip`."""
    return Path(clip).with_name(Path(clip).stem + ".3d.html")


def clip_config(job_settings: Mapping[str, Any]) -> VideoConfig:
    """The problem and language a clip was rendered with, from its sidecar's ``job`` settings."""
    from gdviz.jobs import Job
    from gdviz.slides import _scene_class

    job = Job.from_settings(job_settings)
    default = None
    if not job.preset and not job.config:
        cls = _scene_class(job.scene)
        default = getattr(cls, "default_config", None) or getattr(cls, "default_preset", None)
    return read_environment(job.environment(), default=default)


def companion_figure(cfg: VideoConfig, title: str = "") -> Any:
    """The plotly figure: surface, path and start of `cfg`'s scenario."""
    from plotly.graph_objects import Figure, Scatter3d, Surface

    scenario = cfg.scenario
    words = _WORDS.get(cfg.language, _WORDS["en"])
    surface = scenario.surface(RESOLUTION)
    traj = scenario.trajectory
    (w0, w1), (b0, b1) = scenario.w_range, scenario.b_range
    inside = (traj.w >= w0) & (traj.w <= w1) & (traj.b >= b0) & (traj.b <= b1)
    # A diverging path leaves the window: draw it up to its first point outside.
    keep = len(inside) if inside.all() else int(np.argmin(inside))
    hover = "w = %{x:.4f}<br>b = %{y:.4f}<br>l = %{z:.5g}<extra>%{fullData.name}</extra>"
    fig = Figure([
        Surface(x=surface.w, y=surface.b, z=surface.L, colorscale="Viridis", opacity=0.92,
                name=words["surface"], hovertemplate=hover, showscale=False,
                contours={"z": {"show": True, "usecolormap": True, "project": {"z": True}}}),
        Scatter3d(x=traj.w[:keep], y=traj.b[:keep], z=traj.loss[:keep], mode="lines+markers",
                  name=words["path"], hovertemplate=hover,
                  line={"color": "#ff7a1a", "width": 6},
                  marker={"size": 3, "color": "#ff7a1a"}),
        Scatter3d(x=[scenario.start[0]], y=[scenario.start[1]], z=[float(traj.loss[0])],
                  mode="markers",
                  name=words["start"], hovertemplate=hover,
                  marker={"symbol": "x", "size": 9, "color": "#e8364f"}),
    ])
    steps = words["steps"].format(n=len(traj.w) - 1, eta=scenario.learning_rate)
    fig.update_layout(
        title={"text": f"{html.escape(title or scenario.title)}<br><sup>{steps} · {words['hint']}"
               "</sup>"},
        scene={"xaxis_title": "w", "yaxis_title": "b", "zaxis_title": "l",
               "camera": {"eye": {"x": -1.5, "y": -1.5, "z": 1.0}}},
        margin={"l": 0, "r": 0, "t": 70, "b": 0}, template="plotly_white",
        legend={"x": 0.01, "y": 0.99})
    return fig


def companion_html(cfg: VideoConfig, title: str = "") -> str:
    """The whole page, plotly.js inlined: it opens from the disk with no network."""
    fig = companion_figure(cfg, title)
    page = fig.to_html(include_plotlyjs=True, full_html=True, default_width="100%",
                       default_height="100vh", config={"displaylogo": False, "responsive": True})
    lang = "ja" if cfg.language == "ja" else "en"
    return page.replace("<html>", f'<html lang="{lang}">', 1).replace(
        "<head>", f"<head><title>{html.escape(title or cfg.scenario.title)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">', 1)


def write_companion(clip: Path, job_settings: Mapping[str, Any], title: str = "") -> Path:
    """Write the companion of `clip` beside it (atomically); returns its path."""
    dst = companion_path(clip)
    text = companion_html(clip_config(job_settings), title)
    tmp = dst.with_name(dst.name + ".partial")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, dst)
    return dst
