"""gdmath.surface_mesh: nodes where the loss changes fast, a rim exactly on the ceiling."""

from __future__ import annotations

import numpy as np
import pytest

import gdmath


def _corners(a: np.ndarray) -> tuple[np.ndarray, ...]:
    return a[:-1, :-1], a[1:, :-1], a[:-1, 1:], a[1:, 1:]


@pytest.mark.parametrize("name", ["bend", "plateau", "two-basins"])
def test_cut_mesh_ends_on_the_ceilings_level_curve(name):
    s = gdmath.PRESETS[name]
    full = s.surface(61).L
    ceiling = float(np.quantile(full, 0.6))
    m = gdmath.surface_mesh(s.problem, s.w_range, s.b_range, 61, ceiling=ceiling)
    assert m.visible.shape == (60, 60) and 0 < m.visible.sum() < m.visible.size
    # The loss recomputed at the nodes is what the mesh says, and rim nodes are on l = ceiling.
    np.testing.assert_allclose(s.problem.loss(m.w, m.b), m.L, rtol=1e-12, atol=1e-12)
    span = float(np.ptp(full))
    np.testing.assert_allclose(m.L[m.rim], ceiling, atol=1e-9 * span)
    # No visible face reaches above the ceiling: no flat lid.
    for corner in _corners(m.L):
        assert np.all(corner[m.visible] <= ceiling + 1e-9 * span)
    # The border between drawn and left-out faces runs only through rim nodes: a smooth rim,
    # not a sawtooth of whole faces. A node shared by a drawn and a left-out face that is not on
    # the window's border must be on the curve.
    drawn = np.zeros(m.L.shape, dtype=int)
    hidden = np.zeros(m.L.shape, dtype=int)
    for sl in ((slice(None, -1), slice(None, -1)), (slice(1, None), slice(None, -1)),
               (slice(None, -1), slice(1, None)), (slice(1, None), slice(1, None))):
        drawn[sl] += m.visible
        hidden[sl] += ~m.visible
    border = (drawn > 0) & (hidden > 0)
    assert border.any() and np.all(m.rim[border])
    # The faces drawn cover the part of the window below the ceiling, to within a cell.
    area_below = float(np.mean(full <= ceiling))
    # A quad's area is half the cross product of its diagonals.
    w00, w10, w01, w11 = _corners(m.w)
    b00, b10, b01, b11 = _corners(m.b)
    areas = 0.5 * np.abs((w11 - w00) * (b01 - b10) - (b11 - b00) * (w01 - w10))
    area_drawn = float(areas[m.visible].sum() / (np.ptp(s.w_range) * np.ptp(s.b_range)))
    assert abs(area_drawn - area_below) < 0.05, (area_drawn, area_below)


def test_nodes_crowd_where_the_loss_changes_fast_and_not_without_refinement():
    s = gdmath.PRESETS["plateau"]  # a sigmoid: a steep wall between flat plateaus
    even = gdmath.surface_mesh(s.problem, s.w_range, s.b_range, 61, refine=0.0)
    np.testing.assert_allclose(even.w[0], np.linspace(*s.w_range, 61), atol=1e-12)
    np.testing.assert_allclose(even.b[:, 0], np.linspace(*s.b_range, 61), atol=1e-12)
    m = gdmath.surface_mesh(s.problem, s.w_range, s.b_range, 61, refine=0.5)
    # The largest jump of the loss between neighbouring nodes shrinks: fewer, finer steps.
    def worst(mesh):
        return max(np.abs(np.diff(mesh.L, axis=1)).max(), np.abs(np.diff(mesh.L, axis=0)).max())
    assert worst(m) < 0.8 * worst(even), (worst(m), worst(even))
    gaps = np.diff(m.w[0])
    assert np.all(gaps > 0) and gaps.min() >= 0.5 * np.ptp(s.w_range) / 60 / 2.1
    assert m.visible.all() and not m.rim.any()


def test_surface_mesh_rejects_bad_input():
    p = gdmath.PRESETS["bend"].problem
    with pytest.raises(ValueError, match="refine"):
        gdmath.surface_mesh(p, (0, 1), (0, 1), 5, refine=1.5)
    with pytest.raises(ValueError):
        gdmath.surface_mesh(p, (1, 0), (0, 1), 5)
