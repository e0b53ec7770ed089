"""The parallel renderer: planning, splitting, and a joined video equal to a one-process render."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest

from gdviz.parallel import (
    FACE_MS,
    FRAME_BASE_MS,
    HOLD_COST,
    PIECE_MS,
    Plan,
    cached_plan,
    folder_config,
    join_videos,
    plan_scene,
    render_parallel,
    split_ranges,
)

TOY = Path(__file__).parent / "scenes_fixture" / "toy_scene.py"
ROOT = Path(__file__).resolve().parents[1]
MAIN = ROOT / "scenes" / "descent.py"


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


def test_plan_records_holds_and_what_is_drawn_and_costs_them():
    plan = plan_scene(TOY)
    assert len(plan.frozen) == len(plan.loads) == len(plan.durations)
    assert all(pieces > 0 for pieces, _ in plan.loads)  # the toy draws a circle
    for duration, frozen, (pieces, faces), cost in zip(plan.durations, plan.frozen, plan.loads,
                                                       plan.costs(), strict=True):
        frame = (FRAME_BASE_MS + PIECE_MS * pieces + FACE_MS * faces) / FRAME_BASE_MS
        assert cost == pytest.approx(duration * (HOLD_COST if frozen else frame))
    # The plan's JSON (the plan cache, ``python -m gdviz.plan`` for gdviz jobs) keeps it all.
    assert Plan.from_json(json.loads(json.dumps(plan.to_json()))) == plan
    # A plan without hold or load information costs durations.
    bare = Plan(scene_name="X", durations=(1.0, 2.0))
    assert bare.costs() == (1.0, 2.0)
    # The same second with a whole mesh (4,000 faces) on screen costs half as much again.
    meshed = Plan(scene_name="X", durations=(1.0, 1.0), loads=((100.0, 0.0), (100.0, 4000.0)))
    assert meshed.costs()[1] > 1.5 * meshed.costs()[0]


def test_plan_is_cached_until_the_code_changes(tmp_path, monkeypatch):
    scenes = tmp_path / "scenes"
    scenes.mkdir()
    scene = scenes / "toy_scene.py"
    scene.write_text(TOY.read_text())
    first = cached_plan(scene, tmp_path / "media")
    calls = []
    monkeypatch.setattr("gdviz.parallel.plan_scene", lambda f: calls.append(f) or first)
    assert cached_plan(scene, tmp_path / "media") == first
    assert calls == []
    (scenes / "helper.py").write_text("X = 1\n")  # any code next to the scene counts
    cached_plan(scene, tmp_path / "media")
    assert len(calls) == 1


@pytest.mark.slow
def test_main_video_in_two_processes_equals_one_process(tmp_path, default_env, clean_environ):
    """The real main video at a tiny size: the joined parts are the single render, frame by
    frame, around the join and everywhere else."""
    tiny = ("-r", "256,144", "--fps", "6")
    single_dir = tmp_path / "single"
    subprocess.run(
        [sys.executable, "-m", "manim", "render", *folder_config(MAIN), *tiny, "--media_dir",
         str(single_dir), "--progress_bar", "none", "-v", "WARNING", str(MAIN),
         "GradientDescent"],
        check=True, cwd=ROOT, env=clean_environ,
    )
    (single,) = single_dir.rglob("GradientDescent.mp4")
    plan = plan_scene(MAIN)
    ranges = split_ranges(plan.costs(), 2)
    assert len(ranges) == 2
    joined = render_parallel(MAIN, quality="l", jobs=2, media_dir=tmp_path / "par",
                             extra_args=tiny, env=clean_environ, plan=plan)
    (part0,) = (tmp_path / "par").rglob("GradientDescent_part0.mp4")
    a, b, first = frames(single), frames(joined), frames(part0)
    assert len(a) == len(b) > 6 * 40
    join = len(first)
    assert 0 < join < len(a)
    for k in range(max(0, join - 6), min(len(a), join + 6)):
        assert np.array_equal(a[k], b[k]), f"frame {k} differs (join after frame {join - 1})"
    differing = [k for k, (fa, fb) in enumerate(zip(a, b, strict=True))
                 if not np.array_equal(fa, fb)]
    assert differing == [], f"frames {differing[:10]} differ"
    with av.open(str(single)) as c1, av.open(str(joined)) as c2:
        assert c2.duration == pytest.approx(c1.duration, abs=av.time_base / 6)


def test_a_rerun_with_nothing_changed_is_skipped_until_an_input_changes(tmp_path, capsys):
    from gdviz.parallel import main

    scenes = tmp_path / "scenes"
    scenes.mkdir()
    scene = scenes / "toy_scene.py"
    scene.write_text(TOY.read_text())
    args = [str(scene), "-q", "l", "--jobs", "2", "--media-dir", str(tmp_path / "media")]
    assert main(args) == 0
    (out,) = (tmp_path / "media" / "videos").rglob("Toy.mp4")
    made = out.stat().st_mtime_ns
    capsys.readouterr()
    assert main(args) == 0
    assert "is up to date" in capsys.readouterr().out
    assert out.stat().st_mtime_ns == made
    # A change to any input renders again: the scene folder's config, then a deleted output.
    (scenes / "manim.cfg").write_text("[CLI]\nbackground_color = #101010\n")
    assert main(args) == 0
    assert "wrote" in capsys.readouterr().out and out.stat().st_mtime_ns > made
    out.unlink()
    assert main(args) == 0
    assert "wrote" in capsys.readouterr().out and out.is_file()


def test_the_main_video_splits_into_parts_of_equal_cost_inside_the_roll(default_env):
    # The roll is played in windows (scenes.kit.planned.TimeWindow), so a cut can fall inside it.
    plan = plan_scene(MAIN)
    costs = plan.costs()
    (a0, b0), (a1, b1) = split_ranges(costs, 2)
    parts = [sum(costs[a0:b0 + 1]), sum(costs[a1:b1 + 1])]
    assert max(parts) / min(parts) - 1 < 0.10, parts
    names = [b[0] for b in plan.beats]
    assert names.count("roll") > 1
    # The roll draws the seen patches of the surface: its windows count their faces.
    roll_faces = [faces for name, (_, faces) in zip(names, plan.loads, strict=True)
                  if name == "roll"]
    assert min(roll_faces) > 1000


def x264_settings(path: Path) -> str:
    """The settings line x264 writes into its stream (an SEI message: "... crf=18.0 ...")."""
    data = path.read_bytes()
    start = data.index(b"x264 - core")
    return data[start:data.index(b"\x00", start)].decode("ascii", "replace")


def test_the_scene_folders_encoder_settings_reach_every_part(tmp_path):
    """scenes/manim.cfg's x264 options (chosen in benchmarks/encoder_quality.py) are what the
    parts encode with, though manim itself reads only the working directory's manim.cfg."""
    scenes = tmp_path / "scenes"
    scenes.mkdir()
    scene = scenes / "toy_scene.py"
    scene.write_text(TOY.read_text())
    (scenes / "manim.cfg").write_text((MAIN.parent / "manim.cfg").read_text())
    joined = render_parallel(scene, quality="l", jobs=2, media_dir=tmp_path / "media")
    settings = x264_settings(joined)
    assert "crf=18.0" in settings and "subme=2" in settings, settings  # veryfast: subme 2
    parts = sorted((tmp_path / "media").rglob("Toy_part*.mp4"))
    assert len(parts) == 2 and all(x264_settings(p) == settings for p in parts)
    # The probe: without the folder's file, manim's defaults (medium, crf 23).
    (scenes / "manim.cfg").unlink()
    plain = x264_settings(render_parallel(scene, quality="l", jobs=2,
                                          media_dir=tmp_path / "plain"))
    assert "crf=23.0" in plain and "subme=7" in plain, plain


def test_a_gdviz_job_plan_carries_holds_and_loads(tmp_path):
    """``python -m gdviz.plan`` (how gdviz plans a job) writes what the split needs."""
    out = tmp_path / "plan.json"
    subprocess.run([sys.executable, "-m", "gdviz.plan", str(TOY), "--media-dir", str(tmp_path),
                    "--json", str(out)], check=True, cwd=tmp_path)
    data = json.loads(out.read_text())
    plan = Plan.from_json(data)
    assert plan == plan_scene(TOY)
    assert any(plan.frozen) and len(plan.loads) == len(plan.durations)
    assert data["doc"]
