"""On-screen text in a font that has every glyph of its language.

Japanese is set in Noto Sans CJK JP, which covers kana and kanji (the default Latin fonts would
draw tofu boxes); the prose itself is in `scenes.kit.labels`.
"""

from __future__ import annotations

from manim import Text

from scenes.kit.settings.story import SETTINGS

__all__ = ["make_text"]


def make_text(text: str, language: str, font_size: float, color: str) -> Text:
    """A `Text` in a font that has every glyph of `language`.

    Parameters
    ----------
    text : str
        What to write.
    language : {"en", "ja"}
        Picks the font: the CJK font for Japanese (it also covers Latin letters, so mixed strings
        such as "学習率 η" render in one font).
    font_size : float
        Size in points.
    color : str
        Fill colour.
    """
    font = SETTINGS.cjk_font if language == "ja" else SETTINGS.latin_font
    return Text(text, font=font, font_size=font_size, color=color)
