"""The walk over a scene's mobjects that the frame-fit tests use reaches pieces held anywhere."""

from __future__ import annotations

from manim import Circle, Dot, Square, VGroup
from support.walk import visible_parts


def test_walk_expands_dicts_lists_tuples_and_groups_once() -> None:
    dot, square, circle, far = Dot(), Square(), Circle(), Dot([100.0, 0.0, 0.0])
    empty = VGroup()  # no points: nothing is drawn
    group = VGroup(square, VGroup(circle))
    roots = [dot, [{"a": group, "b": ({"deep": [far]},)}], (dot, square), {"e": empty}]
    found = list(visible_parts(roots))
    assert {id(m) for m in found} == {id(m) for m in (dot, square, circle, far)}
    assert len(found) == 4  # each piece once, however often it is held


def test_walk_skips_pieces_that_are_not_drawn() -> None:
    shown, hidden = Dot(), Dot().set_opacity(0)
    assert list(visible_parts([shown, hidden], min_opacity=0.05)) == [shown]
