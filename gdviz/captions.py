"""Captions for a clip, in English or Japanese, timed to the scene's beats: WebVTT and SRT.

`cues` takes the beats of a clip with their times (`gdviz.beats.Beat`, or anything with
``name``, ``kind``, ``start`` and ``end``), the scene's class name and a language, and returns one
`Cue` per animation beat that says what it shows or means; a hold extends the cue of the play
before it, and a beat with nothing new to say (``None`` below) extends the previous cue too.
`to_vtt` and `to_srt` format them; `write_captions` writes ``<stem>.vtt`` or ``<stem>.srt``.

The texts describe the beats of today's scene kit by name; a beat the table does not know gets
the scene's one-line summary rather than its code name.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["CAPTION_FORMATS", "Cue", "cues", "language_names", "parse_vtt", "to_srt", "to_vtt",
           "write_captions"]

CAPTION_FORMATS = ("vtt", "srt")

# (en, ja) per beat; a pattern key ending in "_N" matches right_angle_0, step_3, ...
_STORY: dict[str, tuple[str, str] | None] = {
    "title": ("One neuron, y = φ(w·x + b), fitted to the data",
              "1つのニューロン y = φ(w·x + b) をデータに合わせる"),
    "equations": ("The loss l(w, b) adds up the squared errors over the training data",
                  "損失 l(w, b) は訓練データに対する二乗誤差の和"),
    "to_corner": None,
    "axes": ("Every point (w, b) is one model; the height is its loss l",
             "平面上の点 (w, b) がそれぞれ1つのモデル、高さがその損失 l"),
    "surface": ("Over all (w, b) the loss forms a valley",
                "すべての (w, b) について損失を描くと谷になる"),
    "start_mark": ("The descent starts at the cross ✕", "降下は ✕ 印から始まる"),
    "hud": ("Side panels: the fit to the data and the loss at each step",
            "横のパネル:データへの当てはまりと各ステップの損失"),
    "roll": ("Each step goes straight downhill, against the gradient, by η times its length",
             "各ステップは勾配と逆向き、最も急な下り方向へ、勾配の η 倍だけ進む"),
    "bend": ("The path turns: the steepest way down is not the straight way to the floor",
             "経路は曲がる:最も急な下り道は、谷底へのまっすぐな道ではない"),
    "diverged": ("The step size η is too large: the descent diverges",
                 "学習率 η が大きすぎて、降下は発散する"),
    "contours": ("Seen from above, the valley is a contour map: each line is one loss level",
                 "真上から見ると谷は等高線図になる:各線は損失が等しい点の集まり"),
    "rise": ("The path of the descent, on the map", "地図の上の降下の経路"),
    "path": ("The path of the descent, step by step, on the map",
             "地図の上の降下の経路、1ステップずつ"),
    "arrows": ("Each arrow is one step: −η times the gradient",
               "各矢印が1ステップ:勾配の −η 倍"),
    "right_angle_N": ("Step {n} crosses its level line at a right angle",
                      "ステップ {n} は等高線と直角に交わる"),
    "floor": ("The path ends on the valley floor, the best (w, b) for the data",
              "経路は谷底、データに最もよく合う (w, b) で終わる"),
    "closing": ("The gradient only knows the slope where we stand.",
                "勾配がわかるのは、今いる地点の傾きだけ。"),
}

_LECTURES: dict[str, dict[str, tuple[str, str] | None]] = {
    "LearningRates": {
        "title": ("The learning rate η decides how the descent goes",
                  "学習率 η で降下のしかたが決まる"),
        "critical": ("The critical rate 2/λmax comes from the valley's steepest curvature",
                     "臨界値 2/λmax は谷の最も急な曲率から決まる"),
        "panels": ("Four runs, same valley and start: η too small, good, near and above 2/λmax",
                   "同じ谷・同じ初期値で4回:η が小さすぎ、ちょうどよい、2/λmax 付近、超過"),
        "run": ("Too small crawls, good glides down, near 2/λmax zig-zags, above it diverges",
                "小さすぎると這い、ちょうどよいと滑らかに下り、"
                "2/λmax 付近でジグザグ、超えると発散"),
        "verdicts": None,
        "closing": ("Past η = 2/λmax the steps grow instead of shrinking.",
                    "η が 2/λmax を超えると、ステップは縮まずに大きくなる。"),
    },
    "OptimizerRace": {
        "title": ("Five optimizers race down one valley", "5つの最適化手法が同じ谷を下る"),
        "valley": ("The same surface and the same start for every optimizer",
                   "どの手法も同じ曲面、同じ初期値"),
        "start": None,
        "race": ("GD, Momentum, Nesterov, RMSProp and Adam take their steps side by side",
                 "勾配降下法、モメンタム、ネステロフ、RMSProp、Adam が並んで進む"),
        "overshoot": ("Momentum overshoots the minimum and swings back",
                      "モメンタムは最小点を行き過ぎて、振り戻ってくる"),
        "rise": ("From above: the contour map", "真上から見る:等高線図"),
        "sign_route": ("Adam follows signs, not sizes: each coordinate moves ≈ η, a 45° route",
                       "Adam は大きさでなく符号に従う:各座標が約 η ずつ動き、45° の経路をとる"),
        "closing": ("Same slope, different rules: the route depends on the optimizer.",
                    "同じ傾きでも、更新則が違えば経路も違う。"),
    },
    "GradientFlow": {
        "title": ("Gradient descent walks along the gradient flow",
                  "勾配降下法は勾配流に沿って進む"),
        "map": ("The contour map of the loss", "損失の等高線図"),
        "flow": ("The gradient flow: the curve that always points straight downhill",
                 "勾配流:常に最も急な下り方向を向く曲線"),
        "large_steps": ("With a large η the steps cut corners and leave the flow",
                        "η が大きいと、ステップは角を切って勾配流から離れる"),
        "small_steps": ("With a small η the steps follow the flow closely",
                        "η が小さいと、ステップは勾配流にぴったり沿う"),
        "closing": ("As η shrinks, the steps approach the continuous flow.",
                    "η を小さくすると、ステップは連続的な勾配流に近づく。"),
    },
    "MinibatchSGD": {
        "title": ("Full batch versus minibatch", "フルバッチとミニバッチ"),
        "map": ("Same η and start; SGD sees a random part of the data each step",
                "η と初期値は同じ。SGD は毎ステップ、データの一部だけを見る"),
        "run": ("The full-batch path is smooth; the minibatch path jitters",
                "フルバッチの経路は滑らか、ミニバッチの経路は揺れる"),
        "zoom": ("Near the floor", "谷底の付近"),
        "zoom_run": ("Close up, SGD keeps moving around the minimum",
                     "近くで見ると、SGD は最小点のまわりで動き続ける"),
        "band": ("SGD stays within a narrow band around the full-batch path",
                 "SGD はフルバッチの経路のまわりの細い帯の中にとどまる"),
        "closing": ("The noisy path jitters around the smooth one and never quite settles.",
                    "ノイズのある経路は滑らかな経路のまわりで揺れ、落ち着ききらない。"),
    },
    "CurvatureZigZag": {
        "map": ("Curvature explains the zig-zag", "曲率がジグザグを説明する"),
        "hessian": ("The Hessian at the ball: a steep and a shallow direction",
                    "ボールの位置のヘッセ行列:急な方向と緩やかな方向"),
        "step_N": ("Step {n}, split along the two directions: mostly steep, and it overshoots",
                   "ステップ {n} を2方向に分ける:ほぼ急な方向に進み、行き過ぎる"),
        "rest": ("The remaining steps zig-zag across the steep direction",
                 "残りのステップは急な方向にジグザグする"),
        "limit": ("The steep direction limits the step size", "急な方向が歩幅を制限する"),
    },
    "ActivationLandscapes": {
        "maps": ("Same data, four activations: identity, sigmoid, tanh, ReLU",
                 "同じデータ、4つの活性化関数:恒等関数、シグモイド、tanh、ReLU"),
        "shading": ("Shaded: where the slope is almost or exactly flat",
                    "塗られた所:傾きがほぼ、またはちょうど0の所"),
        "roll": ("Same start, same number of steps on every map",
                 "どのマップも同じ初期値、同じステップ数"),
        "saturated": ("Saturating activations: tiny gradient, tiny steps",
                      "飽和する活性化関数:勾配が小さく、歩幅も小さい"),
        "dead": ("A dead ReLU: the gradient is exactly 0, the ball never moves",
                 "死んだ ReLU:勾配はちょうど0、ボールは動かない"),
        "clear": None,
        "ridge_map": ("Two starts, a ridge between them", "尾根をはさんだ2つの初期値"),
        "ridge_roll": ("Each start rolls down its own side", "それぞれの初期値が自分の側へ下る"),
        "ridge_minima": ("They end in different valleys", "たどり着く谷が違う"),
    },
    "BasinsOfAttraction": {
        "map": ("Which valley does each start reach?", "どの初期値からどの谷へ?"),
        "starts": ("A few starts and where they end", "いくつかの初期値とその行き先"),
        "roll": None,
        "colour": ("Colour every start by the minimum it reaches",
                   "各初期値を、たどり着く最小値の色で塗る"),
        "legend": ("The colours name the minimum reached", "色はたどり着く最小値を表す"),
        "closing": ("The ridge splits the plane: the start decides the answer",
                    "尾根が平面を分ける:答えは初期値で決まる"),
    },
}

_SUMMARY = {"en": "Gradient descent on a one-neuron network",
            "ja": "1つのニューロンの勾配降下法"}


@dataclass(frozen=True)
class Cue:
    """One caption: text shown from `start` to `end` seconds."""

    start: float
    end: float
    text: str


def _text(scene_name: str, beat: str, language: str) -> str | None:
    """What beat `beat` shows, in `language`; None when it only continues the previous cue."""
    table = {**_STORY, **_LECTURES.get(scene_name, {})}
    numbered = re.fullmatch(r"(.*)_(\d+)", beat)
    key, n = beat, None
    if beat not in table and numbered:
        key, n = f"{numbered.group(1)}_N", int(numbered.group(2)) + 1
    if key not in table:
        return _SUMMARY[language]
    pair = table[key]
    if pair is None:
        return None
    text = pair[1] if language == "ja" else pair[0]
    return text.format(n=n) if n is not None else text


def cues(beats: Sequence[Any], language: str, scene_name: str = "") -> list[Cue]:
    """Cues for `beats` (objects with name, kind, start, end, in order) in `language`.

    A hold, or a play with nothing new to say, extends the cue before it; consecutive beats
    with the same text make one cue.
    """
    if language not in ("en", "ja"):
        raise ValueError(f"captions are in en or ja, not {language!r}")
    out: list[Cue] = []
    for beat in beats:
        text = None if beat.kind == "hold" else _text(scene_name, beat.name, language)
        if out and (text is None or text == out[-1].text):
            out[-1] = Cue(out[-1].start, beat.end, out[-1].text)
        elif text is not None:
            out.append(Cue(beat.start, beat.end, text))
        # A hold or a silent beat before any cue: the first cue starts with its own beat.
    return out


def _stamp(seconds: float, sep: str) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    whole_seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{whole_seconds:02d}{sep}{millis:03d}"


def to_vtt(items: Sequence[Cue]) -> str:
    """WebVTT text of the cues."""
    blocks = [f"{_stamp(cue.start, '.')} --> {_stamp(cue.end, '.')}\n{cue.text}" for cue in items]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


def to_srt(items: Sequence[Cue]) -> str:
    """SubRip text of the cues (numbered from 1)."""
    blocks = [f"{number}\n{_stamp(cue.start, ',')} --> {_stamp(cue.end, ',')}\n{cue.text}"
              for number, cue in enumerate(items, start=1)]
    return "\n\n".join(blocks) + "\n"


def write_captions(clip: Path, items: Sequence[Cue], fmt: str = "vtt",
                   limit: float | None = None) -> Path:
    """Write ``<clip stem>.<fmt>`` beside `clip`; cue ends are clamped to `limit` seconds."""
    if fmt not in CAPTION_FORMATS:
        raise ValueError(f"caption format must be one of {', '.join(CAPTION_FORMATS)}")
    if limit is not None:
        items = [Cue(cue.start, min(cue.end, limit), cue.text) for cue in items
                 if cue.start < limit]
    text = to_vtt(items) if fmt == "vtt" else to_srt(items)
    dst = Path(clip).with_suffix(f".{fmt}")
    tmp = dst.with_name(dst.name + ".partial")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, dst)
    return dst


def parse_vtt(text: str) -> list[Cue]:
    """Cues of a WebVTT file written by `to_vtt` (for tests and the gallery)."""
    found = re.findall(r"(\d+):(\d\d):(\d\d)\.(\d{3}) --> (\d+):(\d\d):(\d\d)\.(\d{3})\n(.+)", text)

    def secs(hours: str, minutes: str, seconds: str, millis: str) -> float:
        return int(hours) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000

    return [Cue(secs(*fields[:4]), secs(*fields[4:8]), fields[8]) for fields in found]


def language_names() -> Mapping[str, str]:
    """Labels of the caption languages, for a ``<track label>``."""
    return {"en": "English", "ja": "日本語"}
