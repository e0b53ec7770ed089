"""Transients of the main video: no text over another text while things fade, move and rise.

The layout tests pose the key moments; these sample the beats in between (the model moving to
its corner, every caption swap, the rise to the map) at eleven instants each, as the frames
show them, on the three frames gdviz renders, in English and Japanese.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from support.beats import sample_beats
from test_screen_layout import ASPECTS, overlap, screen_texts

from scenes.descent import GradientDescent

# Every beat of the main video that moves, fades or swaps text (the roll is posed elsewhere).
MOVING_BEATS = ("to_corner", "slice_axes", "slice_roll", "free_b", "start_mark", "hud", "ghost",
                "bend", "reveal", "contours", "rise", "arrows", "floor", "closing")
ALPHAS = np.linspace(0.0, 1.0, 11)


def text_overlaps(scene, _alpha) -> list[str]:
    texts = screen_texts(scene)
    return [f"{a!r} over {b!r}" for (a, _, box_a), (b, _, box_b)
            in itertools.combinations(texts, 2) if overlap(box_a, box_b)]


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("aspect", list(ASPECTS))
def test_no_text_crosses_another_while_it_moves_or_fades(aspect, language):
    found = sample_beats(GradientDescent, MOVING_BEATS, ALPHAS, text_overlaps, *ASPECTS[aspect],
                         env={"GDVIZ_LANG": language})
    problems = [f"{beat} at {alpha:.1f}: {pair}" for beat, per_alpha in found.items()
                for alpha, pairs in zip(ALPHAS, per_alpha, strict=True) for pair in pairs]
    assert not problems, "\n".join(problems)


def test_sampling_sees_the_model_crossing_the_fading_title(monkeypatch):
    # The probe: as before the title went first, the title fading while the model moves through
    # it (both over the whole beat) must be reported.
    import scenes.kit.story3d as story3d

    monkeypatch.setattr(story3d, "Within", lambda animation, start, end: animation)
    found = sample_beats(GradientDescent, ["to_corner"], ALPHAS, text_overlaps)
    assert any("steepest way" in pair for pairs in found["to_corner"] for pair in pairs)


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "ja"])
def test_detour_caption_leaves_the_map_labels_clear(language):
    # The detour preset's caption was two lines at 16:9 and lay over the map's b label.
    found = sample_beats(GradientDescent, ["detour"], [0.5, 1.0], text_overlaps,
                         env={"GDVIZ_PRESET": "detour", "GDVIZ_LANG": language})
    problems = [pair for pairs in found["detour"] for pair in pairs]
    assert not problems, "\n".join(problems)
