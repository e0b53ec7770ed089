"""The manim.cfg gdviz writes for a job: the scene folder's settings, the job's frame."""

from __future__ import annotations

import configparser
from pathlib import Path

from gdviz.jobs import Job
from gdviz.pipeline import _write_manim_cfg

DESCENT = Path(__file__).resolve().parents[1] / "scenes" / "descent.py"


def written(job: Job, tmp_path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    parser.read(_write_manim_cfg(job, tmp_path))
    return parser


def test_an_mp4_job_encodes_with_the_scene_folders_x264_settings(tmp_path):
    parser = written(Job(DESCENT, format="mp4"), tmp_path)
    assert dict(parser["video_encoder.options"]) == {"preset": "veryfast", "tune": "animation",
                                                     "crf": "18"}
    assert parser.getboolean("CLI", "disable_caching")
    # The job sets the frame: the folder's 720p30 defaults are not passed on.
    assert not {"pixel_width", "pixel_height", "frame_rate"} & set(parser["CLI"])


def test_a_webm_job_leaves_the_x264_options_out(tmp_path):
    # VP9 takes its own options on the command line (b=0, row-mt, cpu-used).
    parser = written(Job(DESCENT, format="webm", transparent=True), tmp_path)
    assert not parser.has_section("video_encoder.options")
    assert parser.getboolean("CLI", "disable_caching")
