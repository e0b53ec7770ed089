"""Text in transparent output is outlined, so it reads on a light page and on a dark one.

A tiny transparent still of prose, TeX and a number is laid over white and over black, and the
contrast between the glyphs and the pixels just around them is measured; the main video's text
is checked for its outline at the map.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from manim import (
    DOWN,
    DecimalNumber,
    MarkupText,
    MathTex,
    SingleStringMathTex,
    Text,
    VGroup,
    tempconfig,
)
from PIL import Image
from scipy.ndimage import binary_dilation
from support.beats import run_to_beat

from scenes.descent import GradientDescent
from scenes.kit.planned import PlannedScene2D
from scenes.kit.theme import THEMES, contrast_ratio, hex_rgb

OUTPUT = Path(__file__).parent / "_output"
#: WCAG's minimum contrast for large text and for graphics.
MIN_CONTRAST = 3.0
#: Pixels around the glyphs, at 854 × 480, whose colour the glyphs are read against.
RING = 2


class Words(PlannedScene2D):
    """Prose, TeX and a number in the theme's text colour (a tiny test scene)."""

    def construct(self) -> None:
        """The three kinds of text, one under the other."""
        self.add(VGroup(self.text("Gradient descent", 40), self.tex(r"l(w, b) = \eta", 40),
                        DecimalNumber(-1.25, font_size=40)).arrange(DOWN))


def still(transparent: bool, theme: str, monkeypatch: pytest.MonkeyPatch) -> np.ndarray:
    """The frame of `Words` at 854 × 480 as RGBA floats in [0, 1]."""
    monkeypatch.setenv("GDVIZ_THEME", theme)
    with tempconfig({"pixel_width": 854, "pixel_height": 480, "frame_height": 8.0,
                     "frame_width": 8.0 * 854 / 480, "write_to_movie": False,
                     "disable_caching": True, "save_last_frame": False, "renderer": "cairo",
                     "transparent": transparent}):
        scene = Words()
        scene.setup()
        scene.construct()
        scene.renderer.update_frame(scene, ignore_skipping=True)
        return np.array(scene.renderer.get_frame(), dtype=float) / 255.0


def to_hex(rgb: np.ndarray) -> str:
    """Floats in [0, 1] as ``#rrggbb``."""
    return "#" + "".join(f"{round(float(channel) * 255):02x}" for channel in rgb)


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_transparent_text_reads_on_white_and_black(theme: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    opaque = still(False, theme, monkeypatch)
    clear = still(True, theme, monkeypatch)
    # The glyphs: where the opaque frame has (nearly) the text colour, not the background.
    text_rgb = np.array(hex_rgb(THEMES[theme].text))
    glyphs = np.abs(opaque[..., :3] - text_rgb).max(axis=-1) < 0.1
    ring = binary_dilation(glyphs, iterations=RING) & ~glyphs
    assert glyphs.sum() > 200
    alpha = clear[..., 3:]
    OUTPUT.mkdir(exist_ok=True)
    for page in ("#ffffff", "#000000"):
        page_rgb = np.array(hex_rgb(page))
        laid = clear[..., :3] * alpha + page_rgb * (1.0 - alpha)
        Image.fromarray((laid * 255).round().astype(np.uint8)).save(
            OUTPUT / f"transparent_text_{theme}_on_{page[1:]}.png")
        fill, around = (to_hex(laid[where].mean(axis=0)) for where in (glyphs, ring))
        ratio = contrast_ratio(fill, around)
        assert ratio >= MIN_CONTRAST, (
            f"{theme} text {fill} against {around} around it on {page}: contrast {ratio:.2f}")


def test_every_text_of_the_transparent_video_is_outlined(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GDVIZ_THEME", raising=False)
    with tempconfig({"transparent": True}):
        scene = run_to_beat(GradientDescent, "map_hold", width=854, height=480)
    kinds = (Text, MarkupText, SingleStringMathTex, MathTex, DecimalNumber)
    texts = [mob for mob in scene.get_mobject_family_members() if isinstance(mob, kinds)]
    assert len(texts) > 10
    for mob in texts:
        widths = {part.get_stroke_width(background=True) for part in mob.get_family()
                  if part.has_points()}
        assert min(widths) > 0, f"{type(mob).__name__} {mob} has no outline"
