"""Caption swaps: the old caption is gone before the new one shows, and the swap is short."""

from __future__ import annotations

import numpy as np
import pytest
from manim import DOWN, FadeIn, FadeOut, Scene, Square, Text

from scenes.kit.planned import CAPTION_SWAP_SECONDS, CaptionSwap


def opacity(mob) -> float:
    return float(max(max(part.get_fill_opacity(), part.get_stroke_opacity())
                     for part in mob.family_members_with_points()))


@pytest.mark.parametrize("run_time", [0.6, 1.0, 5.0])
def test_captions_never_show_together_and_the_swap_ends_early(run_time):
    scene = Scene()
    old, new = Text("old caption"), Text("new caption")
    scene.add(old)
    swap = CaptionSwap(FadeIn(new, shift=0.1 * DOWN), FadeOut(old))
    swap.run_time = run_time
    swap._setup_scene(scene)
    swap.begin()
    seen = []
    for alpha in np.linspace(0.0, 1.0, 61):
        swap.interpolate(alpha)
        seen.append((alpha * run_time, opacity(old), opacity(new)))
    assert all(min(out, shown) < 1e-9 for _, out, shown in seen), "both captions at once"
    swap.finish()
    swap.clean_up_from_scene(scene)
    assert new in scene.mobjects and old not in scene.mobjects
    done = min(CAPTION_SWAP_SECONDS, run_time)
    # Fully swapped by the end of the swap, whatever the beat's length.
    assert all(out < 1e-9 and shown > 0.999 for t, out, shown in seen if t >= done - 1e-9)
    # And both halves are seen: the old caption fading, then the new one appearing.
    assert any(0 < out < 1 for _, out, _ in seen) and any(0 < shown < 1 for _, _, shown in seen)


def test_first_caption_only_fades_in():
    scene = Scene()
    new = Square()
    swap = CaptionSwap(FadeIn(new), None)
    swap.run_time = 2.0
    swap._setup_scene(scene)
    swap.begin()
    swap.interpolate(0.25)  # 0.5 s: half way through the swap, nothing to wait for
    assert 0 < opacity(new) < 1
    swap.interpolate(CAPTION_SWAP_SECONDS / 2.0)
    assert opacity(new) > 0.999
    assert opacity(new) > 0.999


def test_within_plays_its_share_of_the_beat_with_its_own_easing():
    from manim import linear

    from scenes.kit.planned import Within

    scene = Scene()
    square = Square()
    scene.add(square)
    inner = FadeOut(square)
    part = Within(inner, 0.4, 0.8)
    part.rate_func = linear  # what a beat's rate_func=linear sets: the fade keeps its own
    part._setup_scene(scene)
    part.begin()
    for alpha, expected in ((0.0, 1.0), (0.4, 1.0), (0.6, 1.0 - inner.rate_func(0.5)),
                            (0.8, 0.0), (1.0, 0.0)):
        part.interpolate(alpha)
        assert opacity(square) == pytest.approx(expected, abs=1e-9), alpha
    with pytest.raises(ValueError, match="start < end"):
        Within(FadeOut(square), 0.5, 0.5)


def test_polyline_goes_round_by_length():
    from scenes.kit.layout import polyline_at

    at = polyline_at([np.zeros(3), np.array([0.0, -1.0, 0.0]), np.array([-3.0, -1.0, 0.0])])
    np.testing.assert_allclose(at(0.0), [0, 0, 0])
    np.testing.assert_allclose(at(0.25), [0, -1, 0])  # the first leg is a quarter of the way
    np.testing.assert_allclose(at(0.5), [-1, -1, 0])
    np.testing.assert_allclose(at(1.0), [-3, -1, 0])
