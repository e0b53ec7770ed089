"""gdmath.seed: the one-parameter descent and the detour preset's figures, checked independently."""

from __future__ import annotations

import numpy as np
import pytest

import gdmath
from gdmath import Problem
from gdmath.seed import descend_slice, detour_figures, heading_turn


def test_slice_descent_is_the_one_parameter_rule_and_reaches_the_closed_form_floor() -> None:
    x = np.array([-0.5, 0.3, 1.0, 2.2])
    y = np.array([0.1, 1.2, 2.1, 3.9])
    p = Problem(x, y)
    b0, eta = 0.7, 0.05
    s = descend_slice(p, (-1.0, b0), eta, 200, tol=1e-12)
    # Every step is w ← w − η ∂l/∂w at the fixed b, with ∂l/∂w = 2 Σ (w xᵢ + b − yᵢ) xᵢ.
    grad = 2 * ((s.w[:-1, None] * x + b0 - y) * x).sum(axis=1)
    np.testing.assert_allclose(np.diff(s.w), -eta * grad, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(s.loss, ((s.w[:, None] * x + b0 - y) ** 2).sum(axis=1),
                               rtol=1e-12)
    # The floor of the slice: ∂l/∂w = 0 ⇔ w = Σ (yᵢ − b) xᵢ / Σ xᵢ².
    np.testing.assert_allclose(s.w[-1], ((y - b0) * x).sum() / (x * x).sum(), rtol=1e-9)
    assert s.b == b0 and np.all(np.diff(s.loss) <= 1e-12)


def test_slice_descent_stops_at_the_tolerance() -> None:
    p = Problem([0.0, 1.0], [1.0, 3.0])
    s = descend_slice(p, (0.0, 1.0), 0.25, 500, tol=1e-3)
    assert abs(s.grad_w[-1]) < 1e-3 <= abs(s.grad_w[-2])
    assert s.n_steps < 500


def test_heading_turn_unwraps_a_quarter_turn_per_step() -> None:
    steps = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0], [1.0, 0.0]])
    np.testing.assert_allclose(heading_turn(steps), [0, 90, 180, 270, 360])


@pytest.fixture(scope="module")
def detour() -> gdmath.Scenario:
    return gdmath.get_preset("detour")


def test_detour_preset_converges_to_a_verified_minimum_with_a_stable_step(detour) -> None:
    t, d = detour.trajectory, detour.diagnosis
    assert t.converged and not t.diverged and d.outcome == "converged"
    assert d.has_valley_floor
    m = d.minimum
    assert np.all(np.linalg.eigvalsh(detour.problem.hessian(m.w, m.b)) > 1.0)
    np.testing.assert_allclose([t.w[-1], t.b[-1]], m.point, atol=1e-3)
    # η below 2/λmax everywhere on the path (the Hessian checked at every iterate here).
    lam = max(np.linalg.eigvalsh(detour.problem.hessian(w, b)).max() for w, b in t.points)
    assert detour.learning_rate < 2.0 / lam
    assert detour.learning_rate < d.critical_learning_rate
    # And the whole path is in the view.
    (w0, w1), (b0, b1) = detour.w_range, detour.b_range
    assert t.w.min() > w0 and t.w.max() < w1 and t.b.min() > b0 and t.b.max() < b1


def test_detour_is_real_the_straight_way_climbs_the_path_does_not(detour) -> None:
    p, t = detour.problem, detour.trajectory
    m = detour.diagnosis.minimum
    l0 = float(t.loss[0])
    # Independently: the straight segment, finely sampled, rises above the start...
    s = np.linspace(0.0, 1.0, 5001)
    seg = p.loss(t.w[0] + s * (m.w - t.w[0]), t.b[0] + s * (m.b - t.b[0]))
    assert seg.max() - l0 > 0.25
    # ...while the path's loss falls on every step and, between iterates, never exceeds l₀.
    assert np.all(np.diff(t.loss) < 0)
    u = np.linspace(0.0, 1.0, 33)[:, None]
    between = p.loss(t.w[:-1] * (1 - u) + t.w[1:] * u, t.b[:-1] * (1 - u) + t.b[1:] * u)
    assert between.max() <= l0 + 1e-12
    # The heading turns by far more than 45°: the first step against the last tenth of the path.
    first = np.degrees(np.arctan2(t.b[1] - t.b[0], t.w[1] - t.w[0]))
    length = np.concatenate([[0], np.cumsum(np.hypot(np.diff(t.w), np.diff(t.b)))])
    k = int(np.argmax(length >= 0.9 * length[-1]))
    last = np.degrees(np.arctan2(t.b[-1] - t.b[k], t.w[-1] - t.w[k]))
    turn = (last - first + 180) % 360 - 180
    assert abs(turn) > 90
    f = detour_figures(p, t, m.point)
    assert f.monotone
    np.testing.assert_allclose(f.turn, turn, atol=1e-9)
    np.testing.assert_allclose(f.bump, seg.max() - l0, atol=1e-3)
    assert f.path_max == pytest.approx(l0) and f.straight_max > f.path_max


def test_default_preset_has_no_detour() -> None:
    sc = gdmath.get_preset("valley")
    f = detour_figures(sc.problem, sc.trajectory, sc.minimum.point)
    assert f.bump <= 0.0
