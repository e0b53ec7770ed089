"""gdviz publishing the real scenes: scenes/contour.py and scenes/descent.py, portrait and light.

The fixture scenes' publishing (formats, aspects, themes, stills, batches, gallery) is in
tests/test_publish.py; this file renders the repository's own scenes, tiny.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from support.publish import SIZES, TINY, assert_clear_of_edges, assert_mostly_light, drawn

from gdmath import DEFAULT_PRESET
from gdviz.cli import main
from gdviz.formats import decode_frames, mp4_boxes, probe
from gdviz.jobs import Job
from gdviz.pipeline import run_job
from scenes.kit.theme import LIGHT

REPO = Path(__file__).resolve().parents[1]
CONTOUR = REPO / "scenes" / "contour.py"
DESCENT = REPO / "scenes" / "descent.py"
PORTRAIT_LIGHT = ("--aspect", "9:16", "--theme", "light", "--short-side", "144", "--fps", "5")


def test_real_contour_scene_publishes_portrait(tmp_path, capsys):
    assert main(["render", str(CONTOUR), *PORTRAIT_LIGHT, "--out", str(tmp_path)]) == 0
    mp4 = Path(capsys.readouterr().out.strip())
    info = probe(mp4)
    assert (info.codec, info.width, info.height) == ("h264", 144, 256)
    assert info.duration > 1
    assert mp4_boxes(mp4).index("moov") < mp4_boxes(mp4).index("mdat")
    # The scene follows the theme and the frame: a light page, nothing cut at the edges.
    frames = decode_frames(mp4)
    assert_mostly_light(frames, "contour 9:16")
    for k, frame in enumerate(frames):
        assert_clear_of_edges(drawn(frame, LIGHT.background), f"contour 9:16 frame {k}")


@pytest.fixture(scope="module")
def real_descent(tmp_path_factory):
    """scenes/descent.py at 9:16 in the light theme, tiny: the clip and the key-moment stills."""
    out = tmp_path_factory.mktemp("descent")
    made = {}
    for kind in ("render", "stills"):
        job = Job(scene=DESCENT, kind=kind, aspect="9:16", theme="light", **TINY)
        result = run_job(job, out)
        assert result.status == "done", (result.error, result.log)
        made[kind] = result.outputs
    return made


@pytest.mark.slow
def test_real_descent_publishes_portrait_light(real_descent):
    """Every frame of the main video on a 9:16 light page: light, and nothing clipped."""
    mp4 = real_descent["render"][0]
    info = probe(mp4)
    assert (info.width, info.height) == SIZES["9:16"]
    frames = decode_frames(mp4)
    assert len(frames) > 100
    # The valley covers more of a portrait frame than the fixture's lines do.
    assert_mostly_light(frames, "descent 9:16", share=0.8)
    for k, frame in enumerate(frames):
        assert_clear_of_edges(drawn(frame, LIGHT.background), f"descent 9:16 frame {k}")


@pytest.mark.slow
def test_real_descent_stills_are_the_valley_and_the_map(real_descent):
    """``gdviz stills scenes/descent.py`` writes its key moments, not just the last frame."""
    paths = real_descent["stills"]
    names = [p.stem.rsplit("-", 1)[1] for p in paths]
    assert names == ["slice", "known", "valley", "map"]
    for p in paths:
        rgb = np.asarray(Image.open(p).convert("RGB"), dtype=float)
        assert rgb.shape[:2] == (SIZES["9:16"][1], SIZES["9:16"][0])
        assert_clear_of_edges(drawn(rgb, LIGHT.background), p.name)
    stills = [np.asarray(Image.open(paths[names.index(n)]).convert("RGB"), dtype=float)
              for n in ("valley", "map")]
    # The valley is a shaded surface, strongly coloured over a large area (which hues show
    # depends on where the orbit leaves the camera); the map is thin lines on paper.
    colourful = [((rgb.max(axis=-1) - rgb.min(axis=-1)) > 60).mean() for rgb in stills]
    assert colourful[0] > 0.05 and colourful[0] > 2 * colourful[1], colourful


@pytest.mark.slow
def test_real_contour_scene_gif_size(tmp_path, capsys):
    assert main(["render", str(CONTOUR), "--quality", "l", "--format", "gif",
                 "--out", str(tmp_path)]) == 0
    gif = Path(capsys.readouterr().out.strip())
    info = probe(gif)
    per_10s = gif.stat().st_size * 10 / info.duration
    print(f"contour GIF 480p: {gif.stat().st_size / 1e6:.2f} MB for {info.duration:.1f} s")
    assert per_10s < 5e6


def test_output_names_use_the_scene_s_own_default_preset():
    from gdviz.jobs import scene_default_preset

    root = Path(__file__).resolve().parent.parent
    assert scene_default_preset(root / "scenes" / "basins.py") == "two-basins"
    assert scene_default_preset(root / "scenes" / "descent.py") == DEFAULT_PRESET
