"""The diagnosis: verified minima or the reason there is none, how a run ended, and the advice."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.optimize

import gdmath
from gdmath import Problem, descend, diagnose, find_minimum
from gdmath.landscape import Standardization

SEPARABLE = ([0.0, 1.0, 1.5, 3.0, 4.0, 4.5], [0.0, 0.0, 0.0, 1.0, 1.0, 1.0])
OVERLAPPING = ([0.0, 1.0, 1.5, 3.0, 4.0, 4.5], [0.0, 1.0, 0.0, 1.0, 0.0, 1.0])


def many_start_minimum(problem, starts):
    """The lowest point scipy's BFGS (no Hessian) reaches from each start: an independent check."""
    best = None
    for start in starts:
        res = scipy.optimize.minimize(lambda th: problem.loss(*th), start, method="BFGS",
                                      jac=lambda th: np.array(problem.gradient(*th)),
                                      options={"gtol": 1e-10, "maxiter": 5000})
        if best is None or res.fun < best.fun:
            best = res
    return best


def test_identity_minimum_is_the_least_squares_fit():
    x = np.array([0.3, 1.1, 2.0, 2.4, 3.9])
    y = np.array([1.0, 2.9, 5.2, 5.5, 9.1])
    land = find_minimum(Problem(x, y))
    (w, b), *_ = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)
    assert land.reason is None
    np.testing.assert_allclose(land.minimum.point, (w, b), rtol=1e-12)


def test_separable_sigmoid_has_no_finite_minimum_and_the_ray_is_right():
    p = Problem(*SEPARABLE, "sigmoid")
    land = find_minimum(p)
    assert land.minimum is None and land.reason == "no-finite-minimum"
    assert land.infimum == 0.0
    # The threshold separates the classes (x ≤ 1.5 are 0, x ≥ 3 are 1).
    assert 1.5 < land.threshold < 3.0
    dw, db = land.direction
    losses = [p.loss(t * dw, t * db) for t in (1.0, 10.0, 100.0)]
    assert losses[0] > losses[1] > losses[2] and losses[2] < 1e-10


def test_overlapping_sigmoid_minimum_matches_scipy_from_many_starts():
    p = Problem(*OVERLAPPING, "sigmoid")
    land = find_minimum(p)
    assert land.reason is None
    ref = many_start_minimum(p, [(w, b) for w in (-2.0, 0.0, 2.0) for b in (-2.0, 0.0, 2.0)])
    assert land.minimum.loss == pytest.approx(ref.fun, rel=1e-9)
    np.testing.assert_allclose(land.minimum.point, ref.x, atol=1e-4)


@pytest.mark.parametrize("act", ["identity", "sigmoid", "tanh", "relu"])
@pytest.mark.parametrize(("x", "y"), [([2.0], [0.7]), ([2.0, 2.0, 2.0], [0.2, 0.9, 0.4])])
def test_one_row_or_equal_x_is_underdetermined_never_a_minimum(act, x, y):
    p = Problem(x, y, act)
    t = descend(p, (0.0, 0.0), 0.1, 100)
    d = diagnose(p, t)
    assert d.minimum is None and d.reason == "underdetermined"
    assert "underdetermined" in d.codes and not d.has_valley_floor
    # The Hessian really is singular there: any (w, b) with the same w·x + b fits equally well.
    lam = np.sort(np.abs(np.linalg.eigvalsh(p.hessian(1.0, 0.5))))
    assert lam[0] <= 1e-12 * lam[1]


def test_dead_relu_with_non_positive_targets_is_a_flat_region():
    land = find_minimum(Problem([0.0, 1.0, 2.0], [-1.0, -2.0, -0.5], "relu"))
    assert land.minimum is None and land.reason == "flat-region"
    assert land.infimum == pytest.approx(1 + 4 + 0.25)


def test_minimum_after_divergence_is_the_true_one_not_the_end_point():
    x = np.array([20.0, 25.0, 31.0, 38.0, 40.0])
    y = np.array([150.0, 210.0, 290.0, 370.0, 400.0])
    p = Problem(x, y)
    t = descend(p, (0.0, 0.0), 0.1, 100)
    assert t.diverged
    d = diagnose(p, t)
    (w, b), *_ = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)
    np.testing.assert_allclose(d.minimum.point, (w, b), rtol=1e-9)
    assert d.outcome == "diverged" and d.diverged_at == t.diverged_at
    assert f"diverged at step {d.diverged_at}" in t.message
    assert d.codes[0] == "diverged" and d.steps_to_converge is None
    scenario = gdmath.Scenario("s", "s", p, (0.0, 0.0), 0.1, 100, (0, 1), (0, 1))
    np.testing.assert_allclose(scenario.minimum.point, (w, b), rtol=1e-9)


def test_steps_to_converge_is_exact_for_the_identity_model():
    p = gdmath.PRESETS["bowl"].problem
    start, eta = (3.5, 1.5), 0.004
    d = diagnose(p, descend(p, start, eta, 50))
    assert d.outcome == "descending"
    k = d.steps_to_converge
    run = descend(p, start, eta, k)
    gap = run.loss - d.minimum.loss
    assert gap[k] <= d.target_gap < gap[k - 1]
    # The target: within 1 % of the minimum loss (here l* is well above 1 % of the drop).
    assert d.target_gap == pytest.approx(0.01 * d.minimum.loss)


def test_critical_rate_is_taken_along_the_path_not_only_at_the_floor():
    s = gdmath.PRESETS["plateau"]
    d = s.diagnosis
    lam = np.linalg.eigvalsh(s.problem.hessian(s.trajectory.w, s.trajectory.b))[:, -1]
    assert d.max_curvature == pytest.approx(max(lam.max(), d.minimum.eigenvalues[-1]))
    assert d.critical_learning_rate == pytest.approx(2 / d.max_curvature)
    # On this sigmoid the path meets far more curvature than the floor has.
    assert d.critical_learning_rate < 0.5 * d.critical_learning_rate_at_minimum


@pytest.mark.parametrize("name", list(gdmath.PRESETS))
def test_auto_learning_rate_is_half_the_critical_rate_along_its_own_path(name):
    s = gdmath.PRESETS[name]
    eta = gdmath.auto_learning_rate(s.problem, s.start)
    path = descend(s.problem, s.start, eta, 500).points
    critical = gdmath.critical_learning_rates(s.problem, path).min()
    assert eta <= gdmath.AUTO_FRACTION * critical * (1 + 1e-9)
    assert eta > 0.1 * gdmath.AUTO_FRACTION * critical


def test_plateau_after_a_too_large_step_is_reported_as_flat():
    p = Problem(*SEPARABLE, "sigmoid")
    t = descend(p, (0.0, 0.0), 50.0, 100)
    d = diagnose(p, t)
    assert d.outcome == "plateau" and "flat-region" in d.codes and "no-finite-minimum" in d.codes
    # Really flat, and really far above the infimum 0.
    assert math.hypot(t.grad_w[-1], t.grad_b[-1]) < 1e-6 and t.loss[-1] > 1.0


def test_ill_conditioned_data_suggests_standardising():
    x = np.linspace(20.0, 40.0, 12)
    y = 10.0 * x - 100.0 + np.array([3, -2, 1, 0, -4, 2, 5, -1, 0, 2, -3, 1.0])
    d = diagnose(Problem(x, y), descend(Problem(x, y), (0.0, 0.0), 1e-5, 10))
    assert "ill-conditioned" in d.codes and d.condition_number > 1e3
    assert d.suggestion.standardize and d.standardized_condition_number == pytest.approx(1.0)
    # The standardised conditioning is the closed form: the Hessian on u is 2·diag(Σu², n).
    u = Standardization.of(x).apply(x)
    np.testing.assert_allclose(np.sum(u * u), x.size)


def test_codes_come_from_the_fixed_set():
    for s in gdmath.PRESETS.values():
        assert set(s.diagnosis.codes) <= set(gdmath.CODES)
        assert sum(c in ("converged", "not-converged", "diverged") for c in s.diagnosis.codes) == 1
