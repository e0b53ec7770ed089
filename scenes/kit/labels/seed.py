"""Prose of the seed's three further ideas (`scenes.kit.story_seed`), in English and Japanese."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SEED_LABELS", "SeedLabels"]


@dataclass(frozen=True)
class SeedLabels:
    """Captions of the opening, the known landscape and the detour, for one language."""

    one_parameter: str
    slice_roll: str
    free_b: str
    known: str
    reveal: str
    detour: str
    hill: str


SEED_LABELS: dict[str, SeedLabels] = {
    "en": SeedLabels(
        one_parameter="One parameter first: fix b, and the loss is a curve l(w)",
        slice_roll="Descent on one parameter slides along the curve",
        free_b="Free b: the curve is one slice of the loss surface",
        known="The descent never sees the landscape: only where it has been",
        reveal="The whole landscape, which the descent never saw",
        detour="The path goes around the hill: the steepest way down is not the straight way",
        hill="higher than the start",
    ),
    "ja": SeedLabels(
        one_parameter="まず1つのパラメーター:b を固定すると損失は曲線 l(w)",
        slice_roll="1次元の勾配降下法は曲線に沿って下る",
        free_b="b を自由にする:曲線は損失曲面の1つの断面",
        known="学習は損失関数の全貌を知らない:わかるのは通った地点だけ",
        reveal="損失関数の全貌:学習はこれを一度も見ていない",
        detour="経路は丘を回り道する:最も急な下り方向は、まっすぐな道ではない",
        hill="初期値より高い",
    ),
}
