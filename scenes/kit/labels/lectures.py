"""On-screen words of the lecture scenes (learning rates, optimizers, flow, SGD), in two languages.

The same conventions as `scenes.kit.labels.story`: mathematics stays in TeX in both
languages, only prose is translated, and `make_text` sets Japanese in Noto Sans CJK JP. Strings with
``{}`` fields are templates filled by the scene with numbers from gdmath (`str.format`).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LECTURE_LABELS", "LectureLabels", "lecture_labels_for"]


@dataclass(frozen=True)
class LectureLabels:
    """All prose of the four lecture scenes, for one language."""

    language: str
    # shared
    start: str
    loss_log: str
    steps_axis: str
    # learning rates
    lr_title: str
    lr_subtitle: str
    crawl: str
    glide: str
    zigzag: str
    diverge: str
    diverged: str
    lr_closing: str
    # optimizers
    opt_title: str
    opt_subtitle: str
    gd: str
    momentum: str
    nesterov: str
    rmsprop: str
    adam: str
    overshoot: str
    momentum_note: str
    from_above: str
    sign_route: str
    opt_closing: str
    # gradient flow
    flow_title: str
    flow_subtitle: str
    flow_curve: str
    large_eta: str
    small_eta: str
    flow_gap: str
    flow_closing: str
    # SGD
    sgd_title: str
    sgd_subtitle: str
    full_batch: str
    minibatch: str
    band: str
    zoom: str
    sgd_closing: str

    def optimizer(self, name: str) -> str:
        """The display name of a `gdmath.OPTIMIZERS` key."""
        return getattr(self, name)


LECTURE_LABELS: dict[str, LectureLabels] = {
    "en": LectureLabels(
        language="en",
        start="start",
        loss_log="loss (log scale)",
        steps_axis="steps",
        lr_title="The learning rate η decides how the descent goes",
        lr_subtitle="Same valley, same start, {n} steps each",
        crawl="too small: crawls",
        glide="good: glides down",
        zigzag="near 2/λmax: zig-zags",
        diverge="above 2/λmax: diverges",
        diverged="diverged",
        lr_closing="Past η = 2/λmax the steps grow instead of shrinking.",
        opt_title="Five optimizers race down one valley",
        opt_subtitle="Same surface, same start, {n} steps each",
        gd="GD",
        momentum="Momentum",
        nesterov="Nesterov",
        rmsprop="RMSProp",
        adam="Adam",
        overshoot="Momentum overshoots the minimum and swings back",
        momentum_note="Momentum: each step keeps part of the steps before it",
        from_above="From above: the contour map",
        sign_route="Adam follows signs, not sizes: each coordinate moves ≈ η, a 45° route",
        opt_closing="Same slope, different rules: the route depends on the optimizer.",
        flow_title="Gradient descent walks along the gradient flow",
        flow_subtitle="Each step is one Euler step of the flow, with time step η",
        flow_curve="gradient flow",
        large_eta="large η",
        small_eta="small η",
        flow_gap="largest gap to the flow",
        flow_closing="As η shrinks, the steps approach the continuous flow.",
        sgd_title="Full batch versus minibatch",
        sgd_subtitle="Same η and start; SGD sees a random part of the data each step",
        full_batch="full batch: all {n} points",
        minibatch="minibatch SGD: {k} of {n} points per step",
        band="SGD stays within {r} of the full-batch path",
        zoom="near the floor",
        sgd_closing="The noisy path jitters around the smooth one and never quite settles.",
    ),
    "ja": LectureLabels(
        language="ja",
        start="初期値",
        loss_log="損失(対数目盛)",
        steps_axis="ステップ",
        lr_title="学習率 η で降下のしかたが決まる",
        lr_subtitle="同じ谷、同じ初期値、それぞれ {n} ステップ",
        crawl="小さすぎる:這うように進む",
        glide="ちょうどよい:滑らかに下る",
        zigzag="2/λmax 付近:ジグザグ",
        diverge="2/λmax を超える:発散",
        diverged="発散",
        lr_closing="η が 2/λmax を超えると、ステップは縮まずに大きくなる。",
        opt_title="5つの最適化手法が同じ谷を下る",
        opt_subtitle="同じ曲面、同じ初期値、それぞれ {n} ステップ",
        gd="勾配降下法",
        momentum="モメンタム",
        nesterov="ネステロフ",
        rmsprop="RMSProp",
        adam="Adam",
        overshoot="モメンタムは最小点を行き過ぎて、振り戻ってくる",
        momentum_note="モメンタム:各ステップはそれまでのステップの一部を引き継ぐ",
        from_above="真上から見る:等高線図",
        sign_route="Adam は大きさでなく符号に従う:各座標が約 η ずつ動き、45° の経路をとる",
        opt_closing="同じ傾きでも、更新則が違えば経路も違う。",
        flow_title="勾配降下法は勾配流に沿って進む",
        flow_subtitle="各ステップは時間刻み η のオイラー法の1ステップ",
        flow_curve="勾配流",
        large_eta="大きな η",
        small_eta="小さな η",
        flow_gap="勾配流からの最大のずれ",
        flow_closing="η を小さくすると、ステップは連続的な勾配流に近づく。",
        sgd_title="フルバッチとミニバッチ",
        sgd_subtitle="η と初期値は同じ。SGD は毎ステップ、データの一部だけを見る",
        full_batch="フルバッチ:全 {n} 点",
        minibatch="ミニバッチ SGD:1ステップに {n} 点中 {k} 点",
        band="SGD はフルバッチの経路から {r} 以内にとどまる",
        zoom="谷底の付近",
        sgd_closing="ノイズのある経路は滑らかな経路のまわりで揺れ、落ち着ききらない。",
    ),
}


def lecture_labels_for(language: str) -> LectureLabels:
    """The lecture labels of `language` ("en" or "ja"); gdmath's config has validated it."""
    return LECTURE_LABELS[language]
