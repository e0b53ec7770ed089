"""Labels exist in both languages, and the Japanese font really has every glyph (no tofu)."""

from __future__ import annotations

import dataclasses
import subprocess

import numpy as np
import pytest
from manim import Text
from PIL import ImageFont

from scenes.kit.labels import labels_for
from scenes.kit.settings.story import SETTINGS
from scenes.kit.text import make_text


def font_file(family: str) -> tuple[str, int]:
    out = subprocess.run(["fc-match", "-f", "%{file}|%{index}", family], capture_output=True,
                         text=True, check=True).stdout
    path, index = out.split("|")
    return path, int(index)


def test_both_languages_have_every_label() -> None:
    fields = [f.name for f in dataclasses.fields(labels_for("en").story)]
    for lang in ("en", "ja"):
        for f in fields:
            assert getattr(labels_for(lang).story, f), (lang, f)


def test_unknown_language_fails_with_its_name() -> None:
    with pytest.raises(KeyError, match="fr"):
        labels_for("fr")


def test_cjk_font_is_installed_and_matched() -> None:
    path, _ = font_file(SETTINGS.cjk_font)
    assert "NotoSansCJK" in path.replace("-", "").replace(" ", ""), path


def test_japanese_glyphs_are_not_tofu() -> None:
    path, index = font_file(SETTINGS.cjk_font)
    font = ImageFont.truetype(path, 48, index=index)
    notdef = np.asarray(font.getmask("\U000f0000"))  # a private-use code point: never in a font
    chars = {c for lab in dataclasses.astuple(labels_for("ja").story) for c in lab
             if not c.isspace()}
    missing = [c for c in sorted(chars)
               if np.asarray(font.getmask(c)).shape == notdef.shape
               and np.array_equal(np.asarray(font.getmask(c)), notdef)]
    assert not missing, f"drawn as tofu: {missing}"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_text_uses_a_font_with_the_glyphs(lang) -> None:
    closing = labels_for(lang).story.closing
    t = make_text(closing, lang, 24, "#ffffff")
    # One vector glyph per non-space character: nothing was dropped.
    assert len(t.submobjects) == len([c for c in closing if not c.isspace()])


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("width", [3.9, 7.4, 6.42])  # 9:16, 1:1, between the 16:9 columns
def test_prose_fits_any_frame_width_unmirrored(lang, width) -> None:
    """Captions fit the width on one or two lines, never flipped (a negative width would)."""
    from scenes.kit.layout import fit_text

    story = labels_for(lang).story
    for text in (story.rolling, story.perpendicular, story.closing):
        mob = fit_text(text, lambda t: make_text(t, lang, SETTINGS.sizes.hud_font, "#ffffff"),
                       width, SETTINGS.layout)
        assert mob.width <= width + 1e-6
        two_lines = all(isinstance(m, Text) for m in mob.submobjects)
        lines = list(mob.submobjects) if two_lines else [mob]
        for line in lines:
            glyphs = line.submobjects
            assert glyphs[0].get_center()[0] < glyphs[-1].get_center()[0], "mirrored text"
        # Not shrunk to a speck: at least the smallest scale a line may have on one line.
        one_line = make_text(text, lang, SETTINGS.sizes.hud_font, "#ffffff")
        assert mob.height >= SETTINGS.layout.text_min_scale * one_line.height * 0.99
    with pytest.raises(ValueError, match="no room"):
        fit_text("x", lambda t: make_text(t, lang, 20, "#ffffff"), -1.0, SETTINGS.layout)
