"""Real teaching datasets from PyPI packages: the diagnosis must tell the truth on each.

No synthetic data here. Every expectation is computed in this file, independently of gdmath:
numpy's least squares and the closed-form Hessian 2·[[Σx², Σx], [Σx, n]] for the identity model;
a separability check by sorting x; scipy.optimize.minimize from many starts on a loss written
here for the sigmoid. Each dataset is run with the config a newcomer writes first (start (0, 0),
η = 0.1, 100 steps) and with the config gdmath suggests.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from dataclasses import dataclass
from functools import cache

import numpy as np
import pytest
import scipy.optimize
import scipy.special
import statsmodels.api as sm
from palmerpenguins import load_penguins
from vega_datasets import data as vega

import gdmath

NEWCOMER = {"start": (0.0, 0.0), "learning_rate": 0.1, "steps": 100}


@dataclass(frozen=True)
class Case:
    name: str
    x: np.ndarray
    y: np.ndarray
    activation: str
    kind: str  # "separable", "overlapping", "regression"


@cache
def cases() -> dict[str, Case]:
    # vega_datasets calls pandas.read_json with an argument pandas 3 deprecates: not our code.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The 'convert_dates' keyword")
        return _load_cases()


def _load_cases() -> dict[str, Case]:
    out = []
    iris = vega.iris()
    two = iris[iris.species.isin(["setosa", "versicolor"])]
    out.append(Case("iris setosa by petal length", two.petalLength.to_numpy(float),
                    (two.species == "setosa").to_numpy(float), "sigmoid", "separable"))
    penguins = load_penguins()
    pair = penguins[penguins.species.isin(["Adelie", "Gentoo"])].dropna(
        subset=["flipper_length_mm"])
    out.append(Case("penguins Gentoo by flipper length", pair.flipper_length_mm.to_numpy(float),
                    (pair.species == "Gentoo").to_numpy(float), "sigmoid", "overlapping"))
    spector = sm.datasets.spector.load_pandas().data
    out.append(Case("spector grade by GPA", spector.GPA.to_numpy(float),
                    spector.GRADE.to_numpy(float), "sigmoid", "overlapping"))
    cars = vega.cars().dropna(subset=["Miles_per_Gallon", "Horsepower"])
    out.append(Case("cars horsepower by mpg", cars.Miles_per_Gallon.to_numpy(float),
                    cars.Horsepower.to_numpy(float), "identity", "regression"))
    lengths = penguins.dropna(subset=["bill_length_mm", "flipper_length_mm"])
    out.append(Case("penguins flipper by bill length", lengths.bill_length_mm.to_numpy(float),
                    lengths.flipper_length_mm.to_numpy(float), "identity", "regression"))
    anscombe = vega.anscombe()
    third = anscombe[anscombe.Series == "III"]
    out.append(Case("anscombe III (outlier)", third.X.to_numpy(float), third.Y.to_numpy(float),
                    "identity", "regression"))
    stack = sm.datasets.stackloss.load_pandas().data
    out.append(Case("stackloss by air flow (outliers)", stack.AIRFLOW.to_numpy(float),
                    stack.STACKLOSS.to_numpy(float), "identity", "regression"))
    return {c.name: c for c in out}


NAMES = list(cases())


# ---------------------------------------------------------------- independent computations
def separable_by_sorting(x, y):
    """True if a threshold on x puts every 1 on one side and every 0 on the other."""
    ones, zeros = x[y == 1], x[y == 0]
    return bool(ones.max() < zeros.min() or zeros.max() < ones.min())


def least_squares(x, y):
    design = np.column_stack([x, np.ones_like(x)])
    (w, b), *_ = np.linalg.lstsq(design, y, rcond=None)
    return float(w), float(b), float(np.sum((design @ (w, b) - y) ** 2))


def identity_hessian(x):
    return 2.0 * np.array([[np.sum(x * x), np.sum(x)], [np.sum(x), x.size]])


def sigmoid_minimum(x, y):
    """Lowest sum of squared errors of expit(w·x + b), BFGS from a grid of starts (in z-units)."""
    mean, std = x.mean(), x.std()
    u = (x - mean) / std

    def loss(th):
        return float(np.sum((scipy.special.expit(th[0] * u + th[1]) - y) ** 2))

    best = min((scipy.optimize.minimize(loss, [w, b], method="BFGS", options={"gtol": 1e-10})
                for w in (-4.0, -1.0, 1.0, 4.0) for b in (-2.0, 0.0, 2.0)),
               key=lambda r: r.fun)
    wu, bu = best.x
    return wu / std, bu - wu * mean / std, float(best.fun)


def problem_of(case):
    return gdmath.Problem(case.x, case.y, case.activation)


@cache
def newcomer(name):
    case = cases()[name]
    p = problem_of(case)
    t = gdmath.descend(p, NEWCOMER["start"], NEWCOMER["learning_rate"], NEWCOMER["steps"])
    return p, t, gdmath.diagnose(p, t)


# ---------------------------------------------------------------- the suite
def test_the_suite_covers_the_required_kinds():
    kinds = [c.kind for c in cases().values()]
    assert len(kinds) >= 6
    assert "separable" in kinds and "overlapping" in kinds
    unscaled = [c for c in cases().values() if c.activation == "identity"
                and np.linalg.cond(identity_hessian(c.x)) > 1e3 and 15 <= c.x.mean() <= 45
                and np.abs(c.y).mean() >= 100]
    assert unscaled, "needs an unscaled regression: x ~ 20-40, y in the hundreds, κ > 10³"


@pytest.mark.parametrize("name", NAMES)
def test_minimum_is_the_independent_one_or_none(name):
    case = cases()[name]
    _, _, d = newcomer(name)
    assert set(d.codes) <= set(gdmath.CODES)
    if case.kind == "separable":
        assert separable_by_sorting(case.x, case.y)
        assert d.minimum is None and "no-finite-minimum" in d.codes
        ones, zeros = case.x[case.y == 1], case.x[case.y == 0]
        lo, hi = ((ones.max(), zeros.min()) if ones.max() < zeros.min()
                  else (zeros.max(), ones.min()))
        assert lo < d.landscape.threshold < hi
        assert d.landscape.infimum == 0.0
    elif case.kind == "overlapping":
        assert not separable_by_sorting(case.x, case.y)
        w, b, loss = sigmoid_minimum(case.x, case.y)
        assert d.minimum is not None and "no-finite-minimum" not in d.codes
        assert d.minimum.loss == pytest.approx(loss, rel=1e-7)
        np.testing.assert_allclose(d.minimum.point, (w, b), rtol=1e-3)
    else:
        w, b, loss = least_squares(case.x, case.y)
        np.testing.assert_allclose(d.minimum.point, (w, b), rtol=1e-9)
        assert d.minimum.loss == pytest.approx(loss, rel=1e-9)


@pytest.mark.parametrize("name", [n for n in NAMES if cases()[n].activation == "identity"])
def test_regression_curvature_and_conditioning_are_the_closed_form(name):
    case = cases()[name]
    _, t, d = newcomer(name)
    hessian = identity_hessian(case.x)
    lam = np.linalg.eigvalsh(hessian)
    assert d.critical_learning_rate == pytest.approx(2 / lam[1], rel=1e-9)
    assert d.condition_number == pytest.approx(lam[1] / lam[0], rel=1e-6)
    assert ("ill-conditioned" in d.codes) == (lam[1] / lam[0] > 1e3)
    # On a quadratic bowl, GD with η·λmax > 2 grows along the steep direction: divergence.
    assert (NEWCOMER["learning_rate"] * lam[1] > 2) == ("diverged" in d.codes)
    if "diverged" in d.codes:
        assert t.diverged and d.diverged_at == t.diverged_at and d.steps_to_converge is None
        assert d.suggestion.learning_rate <= 0.5 * 2 / lam[1] * (1 + 1e-9)
    # Standardising makes the design orthogonal: condition number Σu²/n = 1.
    assert d.standardized_condition_number == pytest.approx(1.0, rel=1e-6)
    assert d.suggestion.standardize == (lam[1] / lam[0] > 1e3)


@pytest.mark.parametrize("name", NAMES)
def test_suggested_config_descends_and_converges_where_it_can(name):
    case = cases()[name]
    p, _, d = newcomer(name)
    sug = d.suggestion
    reachable = sug.steps is not None and sug.steps <= gdmath.MAX_STEPS
    steps = sug.steps if reachable else 2000
    t = gdmath.descend(p, NEWCOMER["start"], sug.learning_rate, steps)
    again = gdmath.diagnose(p, t, landscape=d.landscape)
    assert not t.diverged and "diverged" not in again.codes
    assert t.loss[-1] < t.loss[0]
    if case.kind == "separable":
        assert sug.steps is None and again.minimum is None
        # It keeps falling towards 0 but never gets there in finitely many steps.
        assert 0 < t.loss[-1] < t.loss[len(t.loss) // 2]
    elif reachable:
        assert again.outcome == "converged"
        lowest = (least_squares(case.x, case.y) if case.activation == "identity"
                  else sigmoid_minimum(case.x, case.y))[2]
        gap = t.loss[-1] - lowest
        assert gap <= 0.01 * max(lowest, 1e-4 * (t.loss[0] - lowest)) * (1 + 1e-6)
    else:
        # Too slow in raw units: the advice must be to standardise.
        assert sug.standardize


@pytest.mark.parametrize("name", [n for n in NAMES if cases()[n].kind != "separable"])
def test_standardized_auto_config_converges_to_the_same_model(name):
    case = cases()[name]
    doc = {"data": {"x": case.x.tolist(), "y": case.y.tolist(), "standardize": True},
           "model": {"activation": case.activation},
           "descent": {"start": [0.0, 0.0], "learning_rate": "auto", "steps": "auto"}}
    s = gdmath.parse_config(doc).scenario
    assert s.diagnosis.outcome == "converged" and s.steps < gdmath.AUTO_STEPS_CAP
    w, b = s.standardization.to_original(*s.diagnosis.minimum.point)
    expected = (least_squares(case.x, case.y) if case.activation == "identity"
                else sigmoid_minimum(case.x, case.y))
    np.testing.assert_allclose((w, b), expected[:2], rtol=1e-3)


# ---------------------------------------------------------------- the three cases, by CLI
def check_json(tmp_path, case, activation):
    np.savetxt(tmp_path / "d.csv", np.column_stack([case.x, case.y]), delimiter=",",
               header="x,y", comments="")
    (tmp_path / "c.toml").write_text(
        f'[data]\ncsv = "d.csv"\n[model]\nactivation = "{activation}"\n[descent]\n'
        "start = [0.0, 0.0]\nlearning_rate = 0.1\nsteps = 100\n")
    out = subprocess.run([sys.executable, "-m", "gdmath", "check", "--config",
                          str(tmp_path / "c.toml"), "--json"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_check_is_truthful_on_separable_data_with_a_sigmoid(tmp_path):
    case = cases()["iris setosa by petal length"]
    doc = check_json(tmp_path, case, "sigmoid")
    assert doc["minimum"] is None and "no-finite-minimum" in doc["diagnosis"]
    assert doc["steps_to_converge"] is None and doc["suggested_steps"] is None
    assert doc["infimum"]["loss"] == 0.0
    # The loss along the reported direction really falls to 0.
    dw, db = doc["infimum"]["direction"]
    p = problem_of(case)
    assert p.loss(100 * dw, 100 * db) < p.loss(10 * dw, 10 * db) < p.loss(dw, db)


def test_check_is_truthful_on_overlapping_data_with_a_sigmoid(tmp_path):
    case = cases()["penguins Gentoo by flipper length"]
    doc = check_json(tmp_path, case, "sigmoid")
    w, b, loss = sigmoid_minimum(case.x, case.y)
    assert doc["minimum"]["loss"] == pytest.approx(loss, rel=1e-7)
    np.testing.assert_allclose([doc["minimum"]["w"], doc["minimum"]["b"]], [w, b], rtol=1e-3)
    # From (0, 0) with η = 0.1 the first step saturates every sigmoid: a flat plateau.
    assert doc["diagnosis"][0] == "not-converged" and "flat-region" in doc["diagnosis"]
    assert doc["suggest_standardize"] and "ill-conditioned" in doc["diagnosis"]


def test_check_is_truthful_on_an_unscaled_regression(tmp_path):
    case = cases()["cars horsepower by mpg"]
    doc = check_json(tmp_path, case, "identity")
    w, b, loss = least_squares(case.x, case.y)
    lam = np.linalg.eigvalsh(identity_hessian(case.x))
    assert doc["minimum"]["w"] == pytest.approx(w, rel=1e-9)
    assert doc["minimum"]["b"] == pytest.approx(b, rel=1e-9)
    assert doc["diagnosis"] == ["diverged", "ill-conditioned"]
    assert doc["critical_learning_rate"] == pytest.approx(2 / lam[1], rel=1e-9)
    assert doc["suggested_learning_rate"] == pytest.approx(1 / lam[1], rel=1e-9)
    assert doc["suggest_standardize"] and doc["condition_number"] > 1e3
    # The suggested steps are what plain GD really needs at that η.
    t = gdmath.descend(problem_of(case), (0.0, 0.0), doc["suggested_learning_rate"],
                       doc["suggested_steps"])
    gap = t.loss - loss
    assert gap[-1] <= 0.01 * loss < gap[-2]
