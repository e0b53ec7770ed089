"""FastDecimalNumber: the same glyphs, positions and styles as manim's DecimalNumber, cheaper."""

from __future__ import annotations

import time

import numpy as np
import pytest
from manim import LEFT, RED, DecimalNumber

from scenes.kit.render3d.numbers import FastDecimalNumber

STYLE_ATTRS = ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas", "stroke_width",
               "background_stroke_width", "sheen_factor", "sheen_direction", "fill_opacity",
               "stroke_opacity")


def make(cls, **kwargs):
    number = cls(0, num_decimal_places=3, include_sign=True, font_size=26, color="#e6edf3",
                 **kwargs)
    return number.move_to([-5.0, 2.0, 0.0])


def assert_same(a, b) -> None:
    fa, fb = a.get_family(), b.get_family()
    assert [type(m).__name__ for m in fa[1:]] == [type(m).__name__ for m in fb[1:]]
    for x, y in zip(fa, fb, strict=True):
        np.testing.assert_allclose(x.points, y.points, rtol=0, atol=1e-12)
        for attr in STYLE_ATTRS:
            np.testing.assert_array_equal(np.asarray(getattr(x, attr)),
                                          np.asarray(getattr(y, attr)), err_msg=attr)
    assert a.get_value() == b.get_value()


@pytest.mark.parametrize("kwargs", [{}, {"stroke_width": 2}])
def test_same_as_decimal_number_through_updates_and_restyling(kwargs):
    a, b = make(DecimalNumber, **kwargs), make(FastDecimalNumber, **kwargs)
    values = [0.0, 1.2345, 1.2345, -0.5, -0.5001, 12.5, 99999.0, -0.0001, 3.0, 7.25]
    for step, value in enumerate(values):
        if step == 6:
            for n in (a, b):
                n.set_color(RED)
        if step == 8:
            for n in (a, b):
                n.set_opacity(0.4)
                n.set_stroke(width=3, background=True)
        for n in (a, b):
            anchor = n.get_left()  # as the HUD does: keep the left edge
            n.set_value(value)
            n.move_to(anchor, aligned_edge=LEFT)
        assert_same(a, b)


def test_bounding_box_is_manims():
    from manim import VMobject

    n = make(FastDecimalNumber)
    n.set_value(-12.375)
    for m in n.get_family():
        if isinstance(m, VMobject):
            np.testing.assert_array_equal(
                np.sort(m.get_points_defining_boundary(), axis=0),
                np.sort(VMobject.get_points_defining_boundary(m), axis=0))


def test_unchanged_text_is_not_rebuilt_and_updates_are_cheaper():
    n = make(FastDecimalNumber)
    n.set_value(1.0001)
    glyphs = list(n.submobjects)
    n.set_value(1.0002)  # shows "+1.000" again
    assert n.submobjects == glyphs and n.get_value() == 1.0002
    stock = make(DecimalNumber)
    timings = []
    for number in (stock, n):
        start = time.perf_counter()
        for i in range(60):
            number.set_value(i * 0.0137 + 0.5)
        timings.append(time.perf_counter() - start)
    assert timings[1] < timings[0] / 2, timings


def test_glyph_copies_share_only_the_parsed_path():
    from manim import MathTex, Text

    import scenes.kit.render3d  # noqa: F401  (installs the sharing copy)

    for mob in (Text("l(w, b)", font_size=30), MathTex(r"w \leftarrow w - \eta g")):
        twin = mob.copy()
        for glyph, copied in zip(mob.family_members_with_points(),
                                 twin.family_members_with_points(), strict=True):
            assert copied is not glyph
            assert copied.path_obj is glyph.path_obj  # read only after the points are made
            assert copied.points is not glyph.points
            np.testing.assert_array_equal(copied.points, glyph.points)
            assert copied.fill_rgbas is not glyph.fill_rgbas
            assert set(copied.__dict__) - {"original_id"} == set(glyph.__dict__) - {"original_id"}
        before = mob.get_all_points().copy()
        twin.shift(np.array([1.0, 0.0, 0.0])).set_color("#ff0000")
        np.testing.assert_array_equal(mob.get_all_points(), before)
        assert not np.allclose(mob.family_members_with_points()[0].fill_rgbas[0, :3], (1, 0, 0))


def test_readout_step_has_no_comma_and_keeps_its_baseline():
    from manim import Text

    from scenes.kit.panels import Readout

    readout = Readout("step", 0.1, 26, "#e6edf3", lambda words: Text(words, font_size=18),
                      0.1, extremes=[(1400, 1.0, 1.0, 1.0)])
    step = readout.numbers[0]
    readout.set_values(7, 0.5, 0.5, 0.5)
    bottom = step.get_bottom()[1]
    readout.set_values(1400, 0.5, 0.5, 0.5)
    # Four digits and nothing else, on the same baseline as a one-digit step.
    assert len(step.submobjects) == 4
    np.testing.assert_allclose(step.get_bottom()[1], bottom, atol=1e-9)
