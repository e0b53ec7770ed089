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
    no_floor_ray: str = ""
    grows: str = ""
    falls: str = ""
    no_floor_flat: str = ""
    no_floor_underdetermined: str = ""
    plateau: str = ""
    leaves_view: str = ""
    standardized: str = ""
    not_to_scale: str = ""
    narrow: str = ""


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
        no_floor_ray="No valley floor: the loss keeps falling as {where}",
        grows="{axis} grows",
        falls="{axis} falls",
        no_floor_flat="No valley floor: a flat plateau, the gradient vanishes",
        no_floor_underdetermined="No valley floor: too few points to fix (w, b)",
        plateau="Stuck on a flat plateau: the gradient vanishes",
        leaves_view="leaves the view at step {step}",
        standardized="w, b in standardised units of x",
        not_to_scale="Not to scale: {axis} is stretched {factor}×",
        narrow=", the valley is very narrow",
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
        no_floor_ray="谷底はありません:{where}につれて損失は下がり続けます",
        grows="{axis} が大きくなる",
        falls="{axis} が小さくなる",
        no_floor_flat="谷底はありません:平らな台地で勾配が消えています",
        no_floor_underdetermined="谷底はありません:(w, b) を決めるには点が少なすぎます",
        plateau="平らな台地で停止:勾配が消えています",
        leaves_view="ステップ {step} で視野の外へ",
        standardized="w, b は標準化した x の単位",
        not_to_scale="縮尺は不均等:{axis} を {factor} 倍に拡大",
        narrow="、谷はとても細い",
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
