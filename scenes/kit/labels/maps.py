"""Prose of the lecture map scenes (landscapes, curvature, basins) in English and Japanese.

Mathematics stays in TeX in both languages; only prose is here. Text is set with
`scenes.kit.labels.story.make_text`, which picks Noto Sans CJK JP for Japanese (no tofu
boxes). A ``{n}`` in
a label is filled in by the scene with a number from gdmath.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MAP_LABELS", "MapLabels", "map_labels_for", "name_list"]


@dataclass(frozen=True)
class MapLabels:
    """All prose of the three lecture map scenes, for one language."""

    language: str
    step: str
    # landscapes
    landscapes_title: str
    same_start: str
    data: str
    almost_flat: str
    exactly_flat: str
    activation_names: tuple[tuple[str, str], ...]
    name_join: str
    saturated: str
    none_saturated: str
    dead_relu: str
    none_dead: str
    ridge_title: str
    ridge_result: str
    # curvature
    curvature_title: str
    hessian_at_ball: str
    steep: str
    shallow: str
    along_steep: str
    split_steps: str
    components: str
    steep_limits: str
    # basins
    basins_title: str
    few_starts: str
    colour_starts: str
    minimum: str
    unsettled: str
    basins_closing: str
    one_basin: str


MAP_LABELS: dict[str, MapLabels] = {
    "en": MapLabels(
        language="en",
        step="step",
        landscapes_title="Same data, four activations",
        same_start="Same start, same number of steps",
        data="the data",
        almost_flat="almost flat: under 1% of the steepest slope",
        exactly_flat="exactly flat: the gradient is 0",
        activation_names=(("identity", "identity"), ("sigmoid", "sigmoid"), ("tanh", "tanh"),
                          ("relu", "ReLU")),
        name_join=" and ",
        saturated="{names} saturate: tiny gradient, tiny steps",
        none_saturated="No map starts on a plateau here",
        dead_relu="Dead {names}: the gradient is exactly 0, the ball never moves",
        none_dead="No map starts where the gradient is exactly 0",
        ridge_title="Two starts, a ridge between them",
        ridge_result="They end in different valleys",
        curvature_title="Curvature explains the zig-zag",
        hessian_at_ball="The Hessian at the ball: a steep and a shallow direction",
        steep="steep",
        shallow="shallow",
        along_steep="Each step goes mostly along the steep direction and overshoots",
        split_steps="Each step, split along the two directions",
        components="each step along the two directions",
        steep_limits="The steep direction limits the step size",
        basins_title="Which valley does each start reach?",
        few_starts="A few starts and where they end",
        colour_starts="Colour every start by the minimum it reaches",
        minimum="minimum reached",
        unsettled="not settled within {n} steps",
        basins_closing="The ridge splits the plane: the start decides the answer",
        one_basin="One valley: every start ends in the same minimum",
    ),
    "ja": MapLabels(
        language="ja",
        step="ステップ",
        landscapes_title="同じデータ、4つの活性化関数",
        same_start="同じ初期値、同じステップ数",
        data="データ",
        almost_flat="ほぼ平坦:最も急な斜面の1%未満",
        exactly_flat="完全に平坦:勾配がちょうど0",
        activation_names=(("identity", "恒等関数"), ("sigmoid", "シグモイド"), ("tanh", "tanh"),
                          ("relu", "ReLU")),
        name_join="と",
        saturated="{names}は飽和:勾配が小さく、歩幅も小さい",
        none_saturated="ここではどのマップも平坦な所から始まらない",
        dead_relu="死んだ{names}:勾配はちょうど0、ボールは動かない",
        none_dead="勾配がちょうど0の所から始まるマップはない",
        ridge_title="尾根をはさんだ2つの初期値",
        ridge_result="たどり着く谷が違う",
        curvature_title="曲率がジグザグを説明する",
        hessian_at_ball="ボールの位置のヘッセ行列:急な方向と緩やかな方向",
        steep="急",
        shallow="緩",
        along_steep="各ステップはほぼ急な方向に進み、行き過ぎる",
        split_steps="各ステップを2方向に分けて見る",
        components="各ステップの2方向の成分",
        steep_limits="急な方向が歩幅を制限する",
        basins_title="どの初期値からどの谷へ?",
        few_starts="いくつかの初期値とその行き先",
        colour_starts="各初期値を、たどり着く最小値の色で塗る",
        minimum="たどり着く最小値",
        unsettled="{n}ステップ以内に収束せず",
        basins_closing="尾根が平面を分ける:答えは初期値で決まる",
        one_basin="谷は1つ:どの初期値も同じ最小値へ",
    ),
}


def name_list(labels: MapLabels, activations: list[str]) -> str:
    """The activations' names joined to open a sentence ("Sigmoid and tanh", "シグモイドとtanh")."""
    names = dict(labels.activation_names)
    text = labels.name_join.join(names.get(a, a) for a in activations)
    return text[:1].upper() + text[1:] if labels.language == "en" else text


def map_labels_for(language: str) -> MapLabels:
    """The labels of `language` ("en" or "ja"); gdmath's config has already validated it."""
    return MAP_LABELS[language]
