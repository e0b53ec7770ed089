"""The parallel renderer: planning, splitting, and a joined video equal to a one-process render."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest

from scenes.parallel import join_videos, plan_scene, render_parallel, split_ranges

TOY = Path(__file__).parent / "scenes_fixture" / "toy_scene.py"


def test_split_ranges_covers_every_animation_once_and_balances():
    d = [1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
    r = split_ranges(d, 2)
    assert r == [(0, 2), (3, 6)]
    for durations in ([1.0] * 10, [5.0, 1.0, 1.0, 1.0], [0.1] * 3, [2.0]):
        for jobs in (1, 2, 3, 5):
            rs = split_ranges(durations, jobs)
            covered = [i for a, b in rs for i in range(a, b + 1)]
            assert covered == list(range(len(durations)))
            assert len(rs) == min(jobs, len(durations))
    assert split_ranges([1.0] * 10, 2) == [(0, 4), (5, 9)]


def test_plan_records_each_animation():
    plan = plan_scene(TOY)
    assert plan.scene_name == "Toy"
    assert plan.durations == (1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5)
    assert plan.total == pytest.approx(4.0)


def frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as c:
        return [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]


def top_level_boxes(path: Path) -> list[str]:
    """Names of the top-level MP4 boxes, in file order."""
    data, names, pos = path.read_bytes(), [], 0
    while pos + 8 <= len(data):
        size = int.from_bytes(data[pos:pos + 4], "big")
        names.append(data[pos + 4:pos + 8].decode("latin-1"))
        if size == 1:
            size = int.from_bytes(data[pos + 8:pos + 16], "big")
        pos += size if size else len(data)
    return names


def test_parallel_render_equals_single_process_render(tmp_path):
    single_dir = tmp_path / "single"
    subprocess.run(
        [sys.executable, "-m", "manim", "render", "-ql", "--media_dir", str(single_dir),
         "--progress_bar", "none", "-v", "WARNING", str(TOY), "Toy"],
        check=True, cwd=tmp_path,
    )
    single = single_dir / "videos" / "toy_scene" / "480p15" / "Toy.mp4"
    joined = render_parallel(TOY, quality="l", jobs=2, media_dir=tmp_path / "par")
    a, b = frames(single), frames(joined)
    assert len(a) == len(b) >= 4 * 15
    for k, (fa, fb) in enumerate(zip(a, b, strict=True)):
        assert np.array_equal(fa, fb), f"frame {k} differs"
    durations = []
    for path in (single, joined):
        with av.open(str(path)) as c:
            assert c.streams.video[0].codec_context.name == "h264"
            durations.append(float(c.duration / av.time_base))
    assert durations[1] == pytest.approx(durations[0], abs=1 / 15)
    # manim rounds each animation up to whole frames: at most one frame more per animation.
    assert 4.0 <= durations[1] <= 4.0 + 7 / 15
    boxes = top_level_boxes(joined)
    assert boxes.index("moov") < boxes.index("mdat"), f"index must come first for the web: {boxes}"
    assert top_level_boxes(single).index("moov") > top_level_boxes(single).index("mdat")


def test_join_leaves_no_half_written_file(tmp_path):
    out = tmp_path / "out.mp4"
    out.write_bytes(b"good old video")
    with pytest.raises(Exception):  # noqa: B017 - any failure of the demuxer
        join_videos([tmp_path / "missing.mp4"], out)
    assert out.read_bytes() == b"good old video"
