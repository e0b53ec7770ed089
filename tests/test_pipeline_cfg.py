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


def test_a_scene_of_the_folder_gets_its_cfg_when_manim_runs_elsewhere(tmp_path):
    from scenes.kit.folder_cfg import FOLDER, folder_config_needed

    scene = FOLDER / "descent.py"
    assert folder_config_needed(scene, tmp_path, ["manim", "-ql", str(scene)])
    # Read already: manim runs in the folder, or was given a config file.
    assert not folder_config_needed(scene, FOLDER, ["manim", "-ql", "descent.py"])
    assert not folder_config_needed(scene, tmp_path, ["manim", "-c", "my.cfg", str(scene)])
    assert not folder_config_needed(scene, tmp_path, ["manim", "--config_file=x.cfg", str(scene)])
    # A scene file of another folder, or none (tests, the library).
    assert not folder_config_needed(tmp_path / "other.py", tmp_path, ["manim", "other.py"])
    assert not folder_config_needed("", tmp_path, ["pytest"])


def test_manim_from_the_root_renders_without_the_per_play_cache(tmp_path):
    """The folder's cfg reaches a plain ``manim`` run from another folder (a subprocess)."""
    import subprocess
    import sys

    from scenes.kit.folder_cfg import FOLDER

    probe = (
        "import sys; from manim import config; config.input_file = sys.argv[1]; "
        "import scenes.kit.planned; "
        "print(config.disable_caching, sorted(config.video_encoder_options.items()))"
    )
    out = subprocess.run([sys.executable, "-c", probe, str(FOLDER / "descent.py")],
                         cwd=tmp_path, capture_output=True, text=True, check=True,
                         env={**__import__("os").environ,
                              "PYTHONPATH": str(FOLDER.parent)}).stdout.strip().splitlines()[-1]
    assert out.startswith("True")
    assert "('preset', 'veryfast')" in out and "('crf', '18')" in out
