"""The scene folder's ``manim.cfg`` for a render started from another folder.

Manim reads the ``manim.cfg`` of the working directory only, so ``manim -ql scenes/descent.py``
from the repository's root would render with manim's per-play cache (hashing every mobject
before each play: about a fifth of a preview's time) and its default encoder. When manim renders
a file of this folder and has not read this folder's ``manim.cfg``, :func:`apply_folder_config`
takes from it the settings no command-line flag sets: ``disable_caching`` and the encoder's
options. Quality, resolution, frame rate and colours stay as the command line and manim's own
defaults make them, so ``-ql`` still means 480p15.
"""

from __future__ import annotations

import configparser
import sys
from pathlib import Path

from manim import config

FOLDER = Path(__file__).resolve().parents[1]
FOLDER_CFG = FOLDER / "manim.cfg"
#: Flags that name a config file: the author chose one, which is kept as it is.
CONFIG_FLAGS = ("-c", "--config_file")


def folder_config_needed(input_file: str | Path | None, cwd: Path, argv: list[str]) -> bool:
    """Whether manim renders a file of this folder without having read its ``manim.cfg``.

    `argv` is the process's command line, the program first (``sys.argv``).
    """
    if not input_file or not FOLDER_CFG.is_file():
        return False
    if Path(input_file).resolve().parent != FOLDER:
        return False
    if (cwd / "manim.cfg").resolve() == FOLDER_CFG:
        return False
    return not any(arg in CONFIG_FLAGS or arg.startswith("--config_file=") for arg in argv[1:])


def apply_folder_config() -> bool:
    """Take ``disable_caching`` and the encoder options of the folder's ``manim.cfg``.

    Returns whether they were applied. Called when the scene kit is imported, which manim does
    after reading the command line and before it makes the scene (whose file writer takes the
    encoder options).
    """
    if not folder_config_needed(config.input_file, Path.cwd(), sys.argv):
        return False
    parser = configparser.ConfigParser()
    parser.read(FOLDER_CFG)
    if parser.has_option("CLI", "disable_caching"):
        config.disable_caching = config.disable_caching or parser.getboolean(
            "CLI", "disable_caching")
    if parser.has_section("video_encoder.options"):
        config.video_encoder_options = {**dict(parser.items("video_encoder.options", raw=True)),
                                        **config.video_encoder_options}
    return True
