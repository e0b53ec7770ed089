"""Captions: cue texts in en and ja, times from the beats, VTT/SRT syntax, and a real clip."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest

from gdviz.beats import Beat, groups, timeline
from gdviz.captions import cues, parse_vtt, to_srt, to_vtt
from gdviz.cli import main
from gdviz.formats import probe

REPO = Path(__file__).resolve().parents[1]
CONTOUR_PLAN = [("contours", "play", 1.5), ("path", "play", 3.0), ("map_hold", "hold", 1.5),
                ("arrows", "play", 2.0), ("right_angle_0", "play", 1.0),
                ("right_angle_hold_0", "hold", 1.0)]


def test_timeline_counts_whole_frames_like_manim():
    beats = timeline([("a", "play", 1.0), ("b", "hold", 0.5), ("c", "play", 0.45)], fps=10)
    # 0.45 s at 10 fps: arange(0, 0.45, 0.1) has 5 entries, so the play writes 5 frames.
    assert [t for b in beats for t in (b.start, b.end)] == pytest.approx([0, 1, 1, 1.5, 1.5, 2])
    # 1.5 s at 15 fps: floating point gives arange 23 entries, as manim writes 23 frames.
    assert timeline([("a", "play", 1.5)], fps=15)[0].end == pytest.approx(23 / 15)


def test_groups_follow_sections_or_holds():
    beats = timeline(CONTOUR_PLAN, 15, [("map", 3), ("right_angles", 3)])
    assert [[b.name for b in g] for g in groups(beats)] == [
        ["contours", "path", "map_hold"], ["arrows", "right_angle_0", "right_angle_hold_0"]]
    # Without sections a group ends with its holds.
    assert [g[0].name for g in groups(timeline(CONTOUR_PLAN, 15))] == ["contours", "arrows"]
    with pytest.raises(ValueError, match="sections cover 2 beats, the plan has 6"):
        timeline(CONTOUR_PLAN, 15, [("map", 2)])


@pytest.mark.parametrize("language", ["en", "ja"])
def test_cues_say_what_the_beat_shows_and_holds_extend_them(language):
    beats = timeline(CONTOUR_PLAN, 15)
    items = cues(beats, language, "ContourMap")
    assert len(items) == 4  # the two holds extend the cue before them
    assert items[1].end == pytest.approx(beats[2].end)  # path + map_hold
    assert items[-1].end == pytest.approx(beats[-1].end)
    right = items[-1].text
    if language == "en":
        assert right == "Step 1 crosses its level line at a right angle"
    else:
        assert right == "ステップ 1 は等高線と直角に交わる"
    for cue in items:
        assert not re.search(r"[a-z]+_[a-z0-9]+", cue.text), cue.text  # never a code name
    for a, b in pairwise(items):
        assert a.end == pytest.approx(b.start)
    with pytest.raises(ValueError, match="en or ja"):
        cues(beats, "fr")


def test_unknown_beat_gets_a_summary_not_its_code_name():
    beats = [Beat("mystery_beat", "play", 0, 1, "x")]
    assert cues(beats, "en")[0].text == "Gradient descent on a one-neuron network"


def test_vtt_and_srt_syntax():
    items = cues(timeline(CONTOUR_PLAN, 10), "en", "ContourMap")
    vtt = to_vtt(items)
    assert vtt.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nSeen from above")
    assert parse_vtt(vtt) == [type(c)(round(c.start, 3), round(c.end, 3), c.text) for c in items]
    srt = to_srt(items)
    assert srt.startswith("1\n00:00:00,000 --> 00:00:01,500\nSeen from above")
    assert "\n\n4\n00:00:08,000 --> 00:00:10,000\nStep 1" in srt


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["vtt", "srt"])
def test_render_with_captions_writes_cues_inside_the_clip(tmp_path, capsys, fmt):
    """`gdviz render scenes/contour.py --captions`: the cues follow the beats, inside the MP4."""
    args = ["render", str(REPO / "scenes" / "contour.py"), "--short-side", "144", "--fps", "5",
            "--out", str(tmp_path), "--captions"]
    lang = "ja" if fmt == "srt" else "en"
    assert main([*args, fmt, "--lang", lang]) == 0
    mp4, captions = (Path(p) for p in capsys.readouterr().out.split())
    assert captions == mp4.with_suffix(f".{fmt}")
    length = probe(mp4).duration
    text = captions.read_text(encoding="utf-8")
    if fmt == "srt":
        text = "WEBVTT\n\n" + re.sub(r"(\d\d),(\d{3})", r"\1.\2", text)
    items = parse_vtt(text)
    # ContourMap: contours, path (+hold), arrows, four right angles (+holds).
    assert len(items) == 7
    assert items[0].start == 0 and items[-1].end == pytest.approx(length, abs=0.21)
    assert all(0 <= c.start < c.end <= length + 1e-3 for c in items)
    assert all(a.end == pytest.approx(b.start) for a, b in pairwise(items))
    assert ("直角" if lang == "ja" else "right angle") in items[-1].text
    # No scratch folder stays beside the outputs.
    assert not (tmp_path / ".work").exists()
