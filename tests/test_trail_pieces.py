"""The 3D trail's pieces: as fine as the depth sort can use (about a face), no finer."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from scenes.kit.mobjects import chunk_ranges


def check_cover(ranges, first, last):
    # Consecutive, sharing their end points, from the first point to the last.
    assert ranges[0][0] == first and ranges[-1][1] == last + 1
    for (_, end), (start, _) in itertools.pairwise(ranges):
        assert start == end - 1


@pytest.mark.parametrize("max_length", [None, 0.05, 0.3, 10.0])
def test_chunks_cover_the_run_and_keep_to_their_length(max_length):
    rng = np.random.default_rng(5)
    # Long steps then ever shorter ones, as a descent's samples near its floor.
    steps = np.concatenate([np.full(50, 0.04), np.geomspace(0.04, 1e-5, 400)])
    points = np.zeros((len(steps) + 1, 3))
    points[1:, 0] = np.cumsum(steps)
    points[1:, 1] = rng.normal(scale=1e-4, size=len(steps))
    ranges = chunk_ranges(points, 3, len(points) - 1, 40, max_length)
    check_cover(ranges, 3, len(points) - 1)
    for start, end in ranges:
        assert end - start <= 41
        if max_length is not None and end - start > 2:
            length = np.linalg.norm(np.diff(points[start:end], axis=0), axis=1).sum()
            assert length <= max_length + 1e-12
    if max_length == 10.0:  # longer than the path: the count alone decides
        assert ranges == chunk_ranges(points, 3, len(points) - 1, 40, None)


@pytest.mark.usefixtures("default_env")
def test_story_trail_pieces_are_about_a_face_long():
    from support.beats import run_to_beat

    from scenes.descent import GradientDescent

    scene = run_to_beat(GradientDescent, "bend", 854, 480)
    trail, grid = scene.trail, scene.surface.get_grid()
    face = min(float(np.median(np.linalg.norm(np.diff(grid, axis=axis), axis=-1)))
               for axis in (0, 1))
    lengths = [np.linalg.norm(np.diff(trail.path_points[a:b], axis=0), axis=1).sum()
               for a, b in trail.ranges]
    assert max(lengths) <= face * 1.5
    assert len(trail.ranges) < 100  # 1,014 pieces of six samples before
