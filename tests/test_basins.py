"""Basins of attraction on a grid, and critical learning rates along a path."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gdmath
from gdmath import PRESETS, Basins, Problem, basins, critical_learning_rates, descend
from gdmath.basins import basin_outlines

LINE = Problem([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])  # exact fit at (2, 1)
TWO = PRESETS["two-basins"]


def test_single_minimum_and_shapes():
    w = np.linspace(-1.0, 4.0, 7)
    b = np.linspace(-2.0, 3.0, 5)
    r = basins(LINE, w, b, 0.05, 2000)
    assert isinstance(r, Basins)
    assert r.shape == (5, 7)
    for a in (r.labels, r.end_w, r.end_b, r.n_steps, r.converged, r.diverged, r.W, r.B):
        assert a.shape == (5, 7)
    assert r.labels.dtype.kind == "i" and r.converged.dtype == bool
    assert len(r.minima) == 1
    np.testing.assert_allclose(r.minima[0].point, (2.0, 1.0), atol=1e-9)
    assert (r.labels == 0).all() and r.converged.all() and not r.diverged.any()
    np.testing.assert_array_equal(r.counts, [35])
    np.testing.assert_allclose(r.end_w, 2.0, atol=1e-5)
    np.testing.assert_allclose(r.end_b, 1.0, atol=1e-5)
    np.testing.assert_array_equal(r.W[0], w)
    np.testing.assert_array_equal(r.B[:, 0], b)
    assert not r.labels.flags.writeable and not r.end_w.flags.writeable


def test_two_basins_starts_are_labelled_differently():
    # η = 1 is under 2/λmax ≈ 1.47 of the global minimum, so both runs settle.
    r = basins(TWO.problem, [2.5, 3.0], [-2.5, 0.5], 1.0, 4000)
    assert r.converged.all()
    lab_a, lab_b = r.label_at((3.0, -2.5)), r.label_at((2.5, 0.5))
    assert lab_a == r.labels[0, 1] and lab_b == r.labels[1, 0]
    assert lab_a >= 0 and lab_b >= 0 and lab_a != lab_b
    assert len(r.minima) == 2
    # Minima are sorted by loss: the detour from (3, −2.5) reaches the global floor.
    assert lab_a == 0 and r.minima[0].loss < r.minima[1].loss
    for lab, start in ((lab_a, (3.0, -2.5)), (lab_b, (2.5, 0.5))):
        t = descend(TWO.problem, start, 1.0, 4000, tol=1e-6)
        m = gdmath.minimum(TWO.problem, (t.w[-1], t.b[-1]))
        np.testing.assert_allclose(r.minima[lab].point, m.point, atol=1e-6)


def test_two_basins_on_a_grid():
    w = np.linspace(*TWO.w_range, 27)
    b = np.linspace(*TWO.b_range, 27)
    assert 3.0 in w and 2.5 in w and -2.5 in b and 0.5 in b
    r = basins(TWO.problem, w, b, 1.0, 3000)
    assert len(r.minima) == 2
    assert r.label_at((3.0, -2.5)) == 0 and r.label_at((2.5, 0.5)) == 1
    assert r.counts.min() > 20  # both basins are regions, not single points
    # Every labelled start ended within merge_tol of its minimum.
    for k, m in enumerate(r.minima):
        sel = r.labels == k
        assert np.hypot(r.end_w[sel] - m.w, r.end_b[sel] - m.b).max() < 1e-3
    assert ((r.labels >= 0) <= r.converged).all()


@pytest.mark.parametrize(("optimizer", "eta", "hp"), [
    ("gd", 1.0, {}),
    ("momentum", 0.2, {"momentum": 0.8}),
    ("nesterov", 0.2, {}),
    ("rmsprop", 0.01, {}),
    ("adam", 0.05, {"betas": (0.8, 0.99)}),
])
def test_end_points_are_those_of_descend(optimizer, eta, hp):
    starts_w = [-1.0, 0.5, 2.5, 4.0]
    starts_b = [-2.0, 0.5, 2.5]
    r = basins(TWO.problem, starts_w, starts_b, eta, 300, tol=1e-6, optimizer=optimizer, **hp)
    assert r.optimizer == optimizer and r.learning_rate == eta
    for j, b0 in enumerate(starts_b):
        for i, w0 in enumerate(starts_w):
            t = descend(TWO.problem, (w0, b0), eta, 300, tol=1e-6, optimizer=optimizer, **hp)
            # Vectorized sums round differently from scalar ones; nothing else differs.
            np.testing.assert_allclose([r.end_w[j, i], r.end_b[j, i]], t.points[-1],
                                       rtol=1e-8, atol=1e-10)
            assert r.n_steps[j, i] == t.n_steps
            assert r.converged[j, i] == t.converged and r.diverged[j, i] == t.diverged


@pytest.mark.parametrize("optimizer", ["gd", "momentum"])
def test_overflow_ends_like_descend(optimizer):
    # With no bound on the parameters, the loss overflows first; the run ends one point earlier.
    bowl = PRESETS["bowl"]
    w, b = [-1.0, 0.0, 3.5], [-2.0, 1.5]
    r = basins(bowl.problem, w, b, 0.5, 1000, max_param=1e300, optimizer=optimizer)
    assert r.diverged.all() and np.isfinite(r.end_w).all() and np.isfinite(r.end_b).all()
    for j, b0 in enumerate(b):
        for i, w0 in enumerate(w):
            t = descend(bowl.problem, (w0, b0), 0.5, 1000, max_param=1e300, optimizer=optimizer)
            assert t.diverged and "overflowed" in t.message
            assert r.n_steps[j, i] == t.n_steps
            np.testing.assert_allclose([r.end_w[j, i], r.end_b[j, i]], t.points[-1], rtol=1e-9)


def test_diverged_and_unfinished_runs_are_unlabelled():
    bowl = PRESETS["bowl"]
    w = np.linspace(*bowl.w_range, 9)
    b = np.linspace(*bowl.b_range, 7)
    crit = bowl.critical_learning_rate
    r = basins(bowl.problem, w, b, 1.5 * crit, 2000)
    assert r.diverged.all() and (r.labels == -1).all() and r.minima == ()
    assert np.isfinite(r.end_w).all() and np.isfinite(r.end_b).all()
    np.testing.assert_array_equal(r.counts, np.zeros(0))
    # Too few steps: nobody converges, nobody is labelled.
    r = basins(bowl.problem, w, b, 0.5 * crit, 3)
    assert not r.converged.any() and (r.labels == -1).all() and (r.n_steps == 3).all()


def test_learning_rate_above_critical_diverges_on_a_quadratic_and_below_does_not():
    bowl = PRESETS["bowl"]  # identity activation: the loss is exactly quadratic
    crit = bowl.critical_learning_rate
    w = np.linspace(*bowl.w_range, 11)
    b = np.linspace(*bowl.b_range, 9)
    below = basins(bowl.problem, w, b, 0.99 * crit, 3000)
    above = basins(bowl.problem, w, b, 1.01 * crit, 3000)
    assert (below.labels == 0).all() and not below.diverged.any()
    np.testing.assert_allclose(below.minima[0].point, bowl.minimum.point, atol=1e-8)
    assert above.diverged.all()
    # The same for single runs, right at the preset start.
    assert descend(bowl.problem, bowl.start, 0.99 * crit, 3000, tol=1e-8).converged
    t = descend(bowl.problem, bowl.start, 1.01 * crit, 3000)
    assert t.diverged and np.isfinite(t.points).all()


def test_flat_dead_relu_region_is_not_a_minimum():
    # With every input positive, w, b < 0 kills the neuron: ∇l = 0 exactly, Hessian 0.
    p = Problem([1.0, 2.0, 3.0], [1.0, 2.0, 2.5], "relu")
    r = basins(p, [-3.0, -1.0, 1.0], [-2.0, 0.5], 0.01, 3000)
    assert r.converged[0, 0] and r.n_steps[0, 0] == 0 and r.labels[0, 0] == -1
    assert r.labels[1, 2] == 0 and len(r.minima) == 1
    np.testing.assert_array_equal(critical_learning_rates(p, [[-3.0, -2.0]]), [np.inf])


def test_plateau_with_tiny_gradient_is_not_labelled():
    # Far out on the sigmoid plateaus |∇l| is below tol from the start, but no minimum is near.
    s = PRESETS["plateau"]
    r = basins(s.problem, [-40.0, 10.0], [-100.0, 30.0], s.learning_rate, 10)
    assert r.converged[0, 0] and r.converged[1, 1]
    assert r.labels[0, 0] == r.labels[1, 1] == -1


def test_converging_to_a_coarse_tol_far_from_the_minimum_is_not_enough():
    r = basins(LINE, [-1.0, 0.0, 5.0], [3.0], 0.05, 100, tol=5.0)
    assert r.converged.all() and (r.labels == -1).all() and r.minima == ()
    # The same runs with a fine tol are labelled.
    assert (basins(LINE, [-1.0, 0.0, 5.0], [3.0], 0.05, 2000).labels == 0).all()


@pytest.mark.parametrize(("args", "kwargs", "error", "match"), [
    (([], [0.0]), {}, ValueError, "w_grid is empty"),
    (([0.0], [[0.0, 1.0]]), {}, ValueError, "b_grid must be one-dimensional"),
    (([0.0, np.nan], [0.0]), {}, ValueError, "w_grid holds a non-finite"),
    (([0.0], [0.0]), {"tol": 0.0}, ValueError, "tol must be a finite number > 0"),
    (([0.0], [0.0]), {"merge_tol": -1.0}, ValueError, "merge_tol"),
    (([0.0], [0.0]), {"optimizer": "adamw"}, ValueError, "unknown optimizer 'adamw'"),
    (([0.0], [0.0]), {"optimizer": "adam", "momentum": 0.9}, ValueError, "belongs to"),
])
def test_basins_rejects_bad_input(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        basins(LINE, *args, 0.1, 10, **kwargs)
    with pytest.raises(ValueError, match="steps must be >= 0"):
        basins(LINE, [0.0], [0.0], 0.1, -1)
    with pytest.raises(TypeError, match="gdmath.Problem"):
        basins("LINE", [0.0], [0.0], 0.1, 1)


# ------------------------------------------------------------ critical learning rates
def test_critical_learning_rates_match_the_scalar_version():
    s = TWO
    t = descend(s.problem, s.start, s.learning_rate, 40)
    got = critical_learning_rates(s.problem, t.points)
    assert got.shape == (t.n_steps + 1,)
    want = [gdmath.critical_learning_rate(s.problem, p) for p in t.points]
    np.testing.assert_allclose(got, want, rtol=1e-12)
    # Stacks of any shape; a single point gives a 0-d array.
    grid = t.points[:40].reshape(5, 8, 2)
    np.testing.assert_allclose(critical_learning_rates(s.problem, grid), got[:40].reshape(5, 8),
                               rtol=0)
    single = critical_learning_rates(s.problem, t.points[3])
    assert single.shape == () and single == got[3]


def test_critical_learning_rate_is_constant_on_a_quadratic():
    bowl = PRESETS["bowl"]
    pts = bowl.trajectory.points
    lam_max = np.linalg.eigvalsh(bowl.minimum.hessian)[-1]
    np.testing.assert_allclose(critical_learning_rates(bowl.problem, pts), 2 / lam_max,
                               rtol=1e-12)


def test_critical_learning_rate_is_inf_where_not_convex():
    # Saturated sigmoid on the wrong side: the loss curves downward in every direction.
    p = Problem([1.0, 2.0], [1.0, 1.0], "sigmoid")
    pts = np.array([[-1.0, -1.5], [2.0, 0.0]])
    lam = np.linalg.eigvalsh(p.hessian(pts[:, 0], pts[:, 1]))[:, -1]
    assert lam[0] <= 0 < lam[1]
    got = critical_learning_rates(p, pts)
    assert got[0] == math.inf and got[1] == pytest.approx(2 / lam[1], rel=1e-12)


@given(w=st.floats(-5, 5), b=st.floats(-5, 5), act=st.sampled_from(["sigmoid", "tanh"]))
@settings(max_examples=50, deadline=None)
def test_critical_learning_rate_is_two_over_the_top_eigenvalue(w, b, act):
    p = Problem([-1.0, 0.3, 1.5], [0.2, 0.5, 0.9], act)
    got = float(critical_learning_rates(p, [w, b]))
    h = p.hessian(w, b)
    # λmax of a symmetric 2×2 matrix in closed form.
    lam = (h[0, 0] + h[1, 1]) / 2 + math.hypot((h[0, 0] - h[1, 1]) / 2, h[0, 1])
    if lam > 1e-12:
        assert got == pytest.approx(2 / lam, rel=1e-9)
    elif lam <= 0:
        assert got == math.inf


@pytest.mark.parametrize(("points", "error", "match"), [
    ([1.0, 2.0, 3.0], ValueError, r"shape \(\.\.\., 2\)"),
    (5.0, ValueError, r"shape \(\.\.\., 2\)"),
    ([[0.0, np.inf]], ValueError, "finite"),
    ("ab", TypeError, "pairs"),
])
def test_critical_learning_rates_rejects_bad_points(points, error, match):
    with pytest.raises(error, match=match):
        critical_learning_rates(LINE, points)


# ------------------------------------------------------------------ smooth basin borders
def winding(rings, point) -> int:
    """Winding number of closed `rings` around `point` (nonzero: inside)."""
    total = 0.0
    for ring in rings:
        rel = ring - np.asarray(point)
        angles = np.arctan2(rel[:, 1], rel[:, 0])
        total += np.sum((np.diff(angles) + np.pi) % (2 * np.pi) - np.pi)
    return round(total / (2 * np.pi))


def signed_area(ring) -> float:
    return 0.5 * float(np.sum(ring[:-1, 0] * ring[1:, 1] - ring[1:, 0] * ring[:-1, 1]))


def border_turns(rings, w_range, b_range) -> np.ndarray:
    """Turning angles (degrees) at the vertices of `rings` away from the window's edge."""
    turns = []
    for ring in rings:
        (w0, w1), (b0, b1) = w_range, b_range
        pad = 1e-9
        inner = ((ring[:, 0] > w0 + pad) & (ring[:, 0] < w1 - pad)
                 & (ring[:, 1] > b0 + pad) & (ring[:, 1] < b1 - pad))
        seg = np.diff(ring, axis=0)
        heading = np.arctan2(seg[:, 1], seg[:, 0])
        turn = np.abs((np.diff(heading) + np.pi) % (2 * np.pi) - np.pi)
        # A vertex between two inner segments.
        keep = inner[1:-1] & inner[:-2] & inner[2:]
        turns.append(np.degrees(turn[keep]))
    return np.concatenate(turns) if turns else np.array([])


def test_basin_outlines_of_a_disc_are_a_smooth_closed_curve_with_the_labels_inside():
    w = np.linspace(-2.0, 2.0, 61)
    b = np.linspace(-2.0, 2.0, 61)
    labels = (np.hypot(*np.meshgrid(w, b)) < 1.2).astype(int)
    out = basin_outlines(w, b, labels, smoothing=1.2)
    assert set(out) == {0, 1}
    (disc,) = out[1]
    np.testing.assert_allclose(disc[0], disc[-1])
    assert signed_area(disc) > 0  # outer border anticlockwise
    assert signed_area(disc) == pytest.approx(np.pi * 1.2 ** 2, rel=0.05)
    # The outside is the window with the disc as a clockwise hole.
    assert sorted(np.sign(signed_area(ring)) for ring in out[0]) == [-1.0, 1.0]
    # Smooth: no corner of the grid's staircase (90°), every turn gentle.
    assert border_turns(out[1], (-2, 2), (-2, 2)).max() < 30.0
    # Every node inside the window lies in the region of its own label.
    rows, cols = np.nonzero(np.ones_like(labels)[1:-1, 1:-1])
    rows, cols = rows + 1, cols + 1
    for j, i in zip(rows[::37], cols[::37], strict=True):
        assert winding(out[labels[j, i]], (w[i], b[j])) != 0
        assert winding(out[1 - labels[j, i]], (w[i], b[j])) == 0


def test_unsmoothed_outlines_are_marching_squares_and_a_single_label_fills_the_window():
    w = np.linspace(0.0, 1.0, 5)
    b = np.linspace(0.0, 1.0, 4)
    whole = basin_outlines(w, b, np.zeros((4, 5), dtype=int))
    (ring,) = whole[0]
    assert signed_area(ring) == pytest.approx(1.0)
    step = np.zeros((4, 5), dtype=int)
    step[:, 3:] = 1
    out = basin_outlines(w, b, step, smoothing=0.0)
    # Without blur the border is half-way between the nodes of the two labels.
    border = out[1][0]
    assert border[:, 0].min() == pytest.approx(0.625)


def test_two_basins_border_is_smooth_and_each_drawn_start_is_in_its_colour():
    from scenes.basins import BasinsOfAttraction
    from scenes.kit.env import read_environment

    study = BasinsOfAttraction.make_stage(
        read_environment({}, default=BasinsOfAttraction.default_config))
    basins_ = study.basins
    outlines = study.outlines
    window = (study.scenario.w_range, study.scenario.b_range)
    turns = border_turns([ring for rings in outlines.values() for ring in rings], *window)
    assert turns.size > 100
    # The old cells turned by 90° at every step of the staircase.
    assert np.percentile(turns, 99) < 30.0 and turns.max() < 60.0
    for (w0, b0), label in zip(study.starts, study.start_labels, strict=True):
        assert winding(outlines[label], (w0, b0)) != 0
    # The smooth regions keep each label's area to within a few cells.
    cell = np.ptp(basins_.w) / (basins_.w.size - 1) * np.ptp(basins_.b) / (basins_.b.size - 1)
    for value, rings in outlines.items():
        area = sum(signed_area(ring) for ring in rings)
        assert area == pytest.approx(np.sum(basins_.labels == value) * cell,
                                     abs=0.02 * np.ptp(basins_.w) * np.ptp(basins_.b))


@pytest.mark.parametrize(("labels", "kwargs", "match"), [
    (np.zeros((3, 3), dtype=int), {}, "shape"),
    (np.zeros((2, 3), dtype=int), {"smoothing": -1.0}, "smoothing"),
])
def test_basin_outlines_rejects_bad_input(labels, kwargs, match):
    with pytest.raises(ValueError, match=match):
        basin_outlines([0.0, 1.0, 2.0], [0.0, 1.0], labels, **kwargs)
