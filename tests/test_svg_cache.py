"""Parsed glyphs kept beside their SVG: the same mobject as parsing, in a new process too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from manim import MathTex, Text, tempconfig
from manim.mobject.svg.svg_mobject import SVG_HASH_TO_MOB_MAP

import scenes.kit.planned  # noqa: F401  (installs the cache, as every scene does)
from scenes.kit.svg_cache import _SUFFIX

REPO = Path(__file__).resolve().parents[1]

MAKE = r"""
import sys, pickle
from manim import Text, MathTex, tempconfig
import scenes.kit.planned
if sys.argv[3:] == ["no-parsing"]:  # the second process must not parse any SVG
    from manim.mobject.svg.svg_mobject import SVGMobject
    def refuse(self):
        raise AssertionError("parsed an SVG")
    SVGMobject.generate_mobject = refuse
with tempconfig({"media_dir": sys.argv[1]}):
    mobs = [Text("caché: 学習率 η", font_size=31), MathTex(r"w_{t+1} = w_t - \eta")]
    pickle.dump([[m.points for m in mob.family_members_with_points()] for mob in mobs],
                open(sys.argv[2], "wb"))
"""


def family_points(mob):
    return [m.points for m in mob.family_members_with_points()]


def run(media: Path, out: Path, *flags: str) -> list:
    import pickle

    subprocess.run([sys.executable, "-c", MAKE, str(media), str(out), *flags], check=True,
                   cwd=REPO, capture_output=True)
    with out.open("rb") as handle:
        return pickle.load(handle)


@pytest.mark.slow
def test_second_process_loads_what_the_first_parsed(tmp_path):
    media = tmp_path / "media"
    first = run(media, tmp_path / "a.pkl")
    stored = sorted(media.rglob(f"*{_SUFFIX}"))
    assert len(stored) == 2  # one for the text, one for the TeX
    second = run(media, tmp_path / "b.pkl", "no-parsing")
    for a, b in zip(first, second, strict=True):
        assert len(a) == len(b)
        for pa, pb in zip(a, b, strict=True):
            np.testing.assert_array_equal(pa, pb)
    assert sorted(media.rglob(f"*{_SUFFIX}")) == stored


def test_damaged_store_is_parsed_again(tmp_path):
    with tempconfig({"media_dir": str(tmp_path)}):
        SVG_HASH_TO_MOB_MAP.clear()
        fresh = Text("damaged store", font_size=27)
        (store,) = tmp_path.rglob(f"*{_SUFFIX}")
        store.write_bytes(b"not a pickle")
        SVG_HASH_TO_MOB_MAP.clear()
        again = Text("damaged store", font_size=27)
    for a, b in zip(family_points(fresh), family_points(again), strict=True):
        np.testing.assert_array_equal(a, b)


def test_loaded_glyphs_are_independent_copies(tmp_path):
    with tempconfig({"media_dir": str(tmp_path)}):
        SVG_HASH_TO_MOB_MAP.clear()
        MathTex(r"\eta")
        SVG_HASH_TO_MOB_MAP.clear()  # as in a new process: the next one comes from the disk
        one, two = MathTex(r"\eta"), MathTex(r"\eta")
    one.shift([1.0, 0.0, 0.0])
    assert not np.allclose(one.get_center(), two.get_center())
