"""On-screen words in English and Japanese, and the text factory that picks a font that has them.

Mathematics stays in TeX in both languages; only prose is translated. Japanese is set in
Noto Sans CJK JP, which covers kana and kanji (the default Latin fonts would draw tofu boxes).
"""

from __future__ import annotations

from dataclasses import dataclass

from manim import Text

from scenes.kit.settings.story import SETTINGS

__all__ = ["LABELS", "Labels", "labels_for", "make_text"]


@dataclass(frozen=True)
class Labels:
    """All prose shown in the videos, for one language."""

    language: str
    model: str
    loss: str
    data_panel: str
    loss_panel: str
    loss_scale: str
    step: str
    start: str
    gradient: str
    rolling: str
    bend: str
    from_above: str
    perpendicular: str
    floor: str
    closing: str
    diverged: str
    update_rule: str


LABELS: dict[str, Labels] = {
    "en": Labels(
        language="en",
        model="One neuron",
        loss="Squared error over the training data",
        data_panel="data and fit",
        loss_panel="loss per step",
        loss_scale="loss l (colour)",
        step="step",
        start="start",
        gradient="downhill",
        rolling="Gradient descent: each step goes straight downhill",
        bend="The steepest way down is not the straight way to the floor",
        from_above="Seen from above: the contour map",
        perpendicular="Each step crosses the level line at a right angle",
        floor="the valley floor",
        closing="The gradient only knows the slope where we stand.",
        diverged="The descent diverged: η is too large",
        update_rule="update rule",
    ),
    "ja": Labels(
        language="ja",
        model="1つのニューロン",
        loss="訓練データに対する二乗誤差",
        data_panel="データとモデル",
        loss_panel="ステップごとの損失",
        loss_scale="損失 l(色)",
        step="ステップ",
        start="初期値",
        gradient="下り方向",
        rolling="勾配降下法:各ステップは最も急な下り方向へ",
        bend="最も急な下り道は、谷底へのまっすぐな道ではない",
        from_above="真上から見る:等高線図",
        perpendicular="各ステップは等高線と直交する",
        floor="谷底",
        closing="勾配がわかるのは、今いる地点の傾きだけ。",
        diverged="発散しました:学習率 η が大きすぎます",
        update_rule="更新式",
    ),
}


def labels_for(language: str) -> Labels:
    """The labels of `language` ("en" or "ja"); gdmath's config has already validated it."""
    return LABELS[language]


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
