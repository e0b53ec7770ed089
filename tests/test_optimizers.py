"""Optimizers (torch.optim's rules) and minibatch SGD through `gdmath.descend`."""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gdmath
from gdmath import OPTIMIZERS, PRESETS, Problem, descend, make_optimizer

# ---------------------------------------------------------------------------- references
# Everything below is written out independently of gdmath: plain Python floats and loops.


def ref_gradient(x, y, activation, w, b):
    """∇ of Σ (φ(w x + b) − y)² by hand."""
    gw = gb = 0.0
    for xi, yi in zip(x, y, strict=True):
        z = w * xi + b
        if activation == "identity":
            f, df = z, 1.0
        else:  # sigmoid
            f = 1.0 / (1.0 + math.exp(-z))
            df = f * (1.0 - f)
        r = 2.0 * (f - yi) * df
        gw += r * xi
        gb += r
    return [gw, gb]


def ref_run(optimizer, x, y, activation, start, lr, steps, **hp):
    """The update rules exactly as the torch.optim documentation writes them."""
    theta = list(start)
    out = [list(theta)]
    buf = None
    m = [0.0, 0.0]
    v = [0.0, 0.0]
    for t in range(1, steps + 1):
        g = ref_gradient(x, y, activation, *theta)
        for i in range(2):
            if optimizer == "gd":
                d = g[i]
            elif optimizer in ("momentum", "nesterov"):
                mu = hp.get("momentum", 0.9)
                damp = hp.get("dampening", 0.0)
                if buf is None:
                    buf = [None, None]
                buf[i] = g[i] if t == 1 else mu * buf[i] + (1 - damp) * g[i]
                d = g[i] + mu * buf[i] if optimizer == "nesterov" else buf[i]
            elif optimizer == "rmsprop":
                alpha, eps = hp.get("alpha", 0.99), hp.get("eps", 1e-8)
                v[i] = alpha * v[i] + (1 - alpha) * g[i] ** 2
                d = g[i] / (math.sqrt(v[i]) + eps)
            elif optimizer == "adam":
                (b1, b2), eps = hp.get("betas", (0.9, 0.999)), hp.get("eps", 1e-8)
                m[i] = b1 * m[i] + (1 - b1) * g[i]
                v[i] = b2 * v[i] + (1 - b2) * g[i] ** 2
                m_hat = m[i] / (1 - b1**t)
                v_hat = v[i] / (1 - b2**t)
                d = m_hat / (math.sqrt(v_hat) + eps)
            theta[i] -= lr * d
        out.append(list(theta))
    return np.array(out)


def old_descend_points(problem, start, eta, n, tol=1e-10, max_param=1e6):
    """The loop of `descend` before optimizers existed (commit 6188bb7), verbatim."""
    w, b = start
    ws, bs, ls, gws, gbs = [], [], [], [], []
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(n + 1):
            lv, gw, gb = problem.loss_and_gradient(w, b)
            if not all(math.isfinite(v) for v in (w, b, lv, gw, gb)):
                break
            ws.append(w)
            bs.append(b)
            ls.append(lv)
            gws.append(gw)
            gbs.append(gb)
            if max(abs(w), abs(b)) > max_param:
                break
            if math.hypot(gw, gb) < tol:
                break
            if t == n:
                break
            w, b = w - eta * gw, b - eta * gb
    return [np.array(v, dtype=float) for v in (ws, bs, ls, gws, gbs)]


SIGMOID = Problem([-1.0, 0.0, 0.5, 2.0], [0.1, 0.3, 0.8, 0.9], "sigmoid")
LINE = Problem([0.0, 0.5, 1.0, 2.0], [1.0, 1.7, 3.2, 4.9], "identity")

CASES = [
    ("gd", {}),
    ("momentum", {}),
    ("momentum", {"momentum": 0.5, "dampening": 0.3}),
    ("nesterov", {}),
    ("nesterov", {"momentum": 0.6}),
    ("rmsprop", {}),
    ("rmsprop", {"alpha": 0.9, "eps": 1e-3}),
    ("adam", {}),
    ("adam", {"betas": (0.8, 0.99), "eps": 1e-4}),
]


# ------------------------------------------------------------------- update rules by hand
@pytest.mark.parametrize(("optimizer", "hp"), CASES)
@pytest.mark.parametrize(("problem", "activation", "lr"), [
    (SIGMOID, "sigmoid", 0.3),
    (LINE, "identity", 0.01),
])
def test_optimizer_matches_torch_formulas(optimizer, hp, problem, activation, lr):
    start = (0.7, -0.4)
    ref = ref_run(optimizer, problem.x.tolist(), problem.y.tolist(), activation, start, lr, 6,
                  **hp)
    t = descend(problem, start, lr, 6, optimizer=optimizer, **hp)
    assert t.n_steps == 6
    assert t.optimizer == optimizer
    # Only the order of the data sums differs from the reference: rounding-level agreement.
    np.testing.assert_allclose(t.points, ref, rtol=1e-12, atol=1e-14)


def test_first_steps_by_hand():
    # l = (w + b)², ∇l = 2 (w + b) (1, 1); from (1, 0) the first gradient is (2, 2).
    p = Problem([1.0], [0.0])
    start = (1.0, 0.0)

    def pts(opt, lr, **hp):
        return descend(p, start, lr, 2, optimizer=opt, **hp).points

    np.testing.assert_allclose(pts("gd", 0.1), [[1, 0], [0.8, -0.2], [0.68, -0.32]], rtol=1e-14)
    # b₁ = g₁ = 2, θ₁ = 0.8; g₂ = 1.2, b₂ = 0.9·2 + 1.2 = 3.
    np.testing.assert_allclose(pts("momentum", 0.1), [[1, 0], [0.8, -0.2], [0.5, -0.5]],
                               rtol=1e-14, atol=1e-15)
    # d₁ = 2 + 0.9·2 = 3.8; g₂ = 2·0.24 = 0.48, b₂ = 1.8 + 0.48 = 2.28, d₂ = 0.48 + 0.9·2.28.
    np.testing.assert_allclose(pts("nesterov", 0.1),
                               [[1, 0], [0.62, -0.38], [0.62 - 0.2532, -0.38 - 0.2532]],
                               rtol=1e-14)
    # v₁ = 0.01·4, √v₁ = 0.2: the first RMSprop step is about 10 η per coordinate.
    s1 = 0.01 * 2 / (0.2 + 1e-8)
    np.testing.assert_allclose(pts("rmsprop", 0.01)[1], [1 - s1, -s1], rtol=1e-14)
    # Adam: m̂₁ = 2, v̂₁ = 4, so θ₁ = θ₀ − 0.1·2/(2 + ε); then g₂ = 1.6 (up to ε),
    # m₂ = 0.18 + 0.16, v₂ = 0.999·0.004 + 0.001·2.56.
    a1 = 0.1 * 2 / (2 + 1e-8)
    g2 = 2 * (2 - 2 * a1 - 1)
    m2, v2 = 0.9 * 0.2 + 0.1 * g2, 0.999 * 0.004 + 0.001 * g2**2
    a2 = 0.1 * (m2 / 0.19) / (math.sqrt(v2 / (1 - 0.999**2)) + 1e-8)
    np.testing.assert_allclose(pts("adam", 0.1), [[1, 0], [1 - a1, -a1], [1 - a1 - a2, -a1 - a2]],
                               rtol=1e-13)
    assert a1 == pytest.approx(0.1, rel=1e-8)
    assert a2 == pytest.approx(0.0988, rel=1e-3)


# ------------------------------------------------------------- torch.optim, stored
# scripts/torch_references.py ran torch.optim (float64) on these cases and stored every (w, b) in
# tests/data/torch_references.json, so the comparison runs everywhere and torch is needed only to
# regenerate the file.
SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "torch_references.py"
_spec = importlib.util.spec_from_file_location("torch_references", SCRIPT)
torch_references = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(torch_references)
TORCH = json.loads(torch_references.REFERENCE_FILE.read_text())
TORCH_OUTPUTS = ("torch_class", "torch_param_group", "points", "batches")
# Both sides are float64 and only the order of the sums (and torch's rearranged Adam/RMSprop
# arithmetic) differ, so the trajectories agree to rounding: the worst seen is 8e-14 relative
# (RMSprop, a coordinate of size 1e-3), and 1e-12 leaves room for a little more accumulated
# rounding while a changed rule, default or batch still fails (μ = 0.9 → 0.91 gives ~1e-3).
TORCH_RTOL, TORCH_ATOL = 1e-12, 1e-15


def descend_like(case):
    """gdmath's run of one stored case, with nothing but the stored parameters."""
    problem = Problem(case["x"], case["y"], case["activation"], case["loss"])
    batching = {key: case[key] for key in ("batch_size", "seed") if key in case}
    # tol = 0: the stored runs take every step, so no early stop may shorten gdmath's.
    return descend(problem, tuple(case["start"]), case["learning_rate"], case["steps"], tol=0.0,
                   optimizer=case["optimizer"], **batching, **case["hyperparameters"])


def test_torch_reference_file_holds_the_scripts_cases():
    assert TORCH["dtype"] == "float64" and TORCH["torch_version"]
    stored = [{key: value for key, value in case.items() if key not in TORCH_OUTPUTS}
              for case in TORCH["cases"]]
    assert stored == torch_references.cases()
    # Every optimizer, full batch and minibatch, and each of CASES' rules on the sigmoid problem.
    minibatch = {case["optimizer"] for case in TORCH["cases"] if "batch_size" in case}
    assert minibatch == set(OPTIMIZERS)
    sigmoid = [(case["optimizer"], case["hyperparameters"]) for case in TORCH["cases"]
               if case["problem"] == "sigmoid"]
    # JSON has no tuples: CASES' betas come back as a list.
    assert sigmoid == [(optimizer, {name: list(value) if isinstance(value, tuple) else value
                                    for name, value in hp.items()})
                       for optimizer, hp in CASES]
    for case in TORCH["cases"]:
        assert np.shape(case["points"]) == (case["steps"] + 1, 2)


@pytest.mark.parametrize("case", TORCH["cases"], ids=[case["name"] for case in TORCH["cases"]])
def test_matches_torch_reference(case):
    t = descend_like(case)
    assert t.n_steps == case["steps"] and t.optimizer == case["optimizer"]
    # The defaults gdmath filled in are the values torch ran with.
    for name, value in t.hyperparameters.items():
        want = case["torch_param_group"][name]
        assert (list(value) if isinstance(value, tuple) else value) == want, name
    if "batch_size" in case:
        assert [batch.tolist() for batch in t.batches] == case["batches"]
    np.testing.assert_allclose(t.points, case["points"], rtol=TORCH_RTOL, atol=TORCH_ATOL)


def test_stored_torch_references_are_what_torch_gives_now():
    # The one test that needs torch: it catches a stale file or a torch whose rules changed.
    pytest.importorskip("torch")
    fresh = torch_references.generate()
    assert len(fresh["cases"]) == len(TORCH["cases"])
    for new, old in zip(fresh["cases"], TORCH["cases"], strict=True):
        new_parameters = {key: value for key, value in new.items() if key != "points"}
        assert new_parameters == {key: value for key, value in old.items() if key != "points"}
        np.testing.assert_allclose(new["points"], old["points"], rtol=TORCH_RTOL,
                                   atol=TORCH_ATOL, err_msg=new["name"])


def test_plain_gd_is_bit_for_bit_unchanged():
    for s in PRESETS.values():
        for eta in (s.learning_rate, 3 * s.critical_learning_rate, 50.0):
            t = descend(s.problem, s.start, eta, 200, tol=s.tol)
            for got, want in zip((t.w, t.b, t.loss, t.grad_w, t.grad_b),
                                 old_descend_points(s.problem, s.start, eta, 200, s.tol),
                                 strict=True):
                np.testing.assert_array_equal(got, want)
            np.testing.assert_array_equal(t.step_grad_w, t.grad_w[:-1])
            assert t.optimizer == "gd" and dict(t.hyperparameters) == {}
            assert t.batch_size is None and t.seed is None and t.batches == ()


def test_trajectory_defaults_when_built_by_hand():
    a = np.arange(4.0)
    t = gdmath.Trajectory(a, a, a, a + 1, a + 2, 0.1, False, False, "ok")
    np.testing.assert_array_equal(t.step_grad_w, [1, 2, 3])
    np.testing.assert_array_equal(t.step_grad_b, [2, 3, 4])
    assert t.optimizer == "gd"


def test_hyperparameters_recorded_with_defaults():
    t = descend(LINE, (0, 0), 0.01, 3, optimizer="adam", eps=1e-6)
    assert dict(t.hyperparameters) == {"betas": (0.9, 0.999), "eps": 1e-6}
    assert dict(descend(LINE, (0, 0), 0.01, 1, optimizer="momentum").hyperparameters) == {
        "momentum": 0.9, "dampening": 0.0}
    assert dict(descend(LINE, (0, 0), 0.01, 1, optimizer="nesterov").hyperparameters) == {
        "momentum": 0.9}
    assert dict(descend(LINE, (0, 0), 0.01, 1, optimizer="rmsprop").hyperparameters) == {
        "alpha": 0.99, "eps": 1e-8}
    with pytest.raises(TypeError):
        t.hyperparameters["eps"] = 1.0  # type: ignore[index]


@given(
    optimizer=st.sampled_from(OPTIMIZERS),
    shape=st.lists(st.integers(1, 3), min_size=0, max_size=2),
    seed=st.integers(0, 2**32 - 1),
)
@settings(max_examples=40, deadline=None)
def test_step_is_elementwise_over_a_stack_of_starts(optimizer, shape, seed):
    rng = np.random.default_rng(seed)
    thetas = rng.normal(size=(4, 2, *shape))
    grads = rng.normal(size=(4, 2, *shape))
    stacked = make_optimizer(optimizer, 0.05)
    th = thetas[0]
    got = []
    for k in range(4):
        th = stacked.step(th, grads[k])
        got.append(th)
    for pos in np.ndindex(*shape):
        single = make_optimizer(optimizer, 0.05)
        th1 = thetas[0][(slice(None), *pos)]
        for k in range(4):
            th1 = single.step(th1, grads[k][(slice(None), *pos)])
            np.testing.assert_array_equal(got[k][(slice(None), *pos)], th1)


def test_step_checks_shapes():
    with pytest.raises(ValueError, match="same shape"):
        make_optimizer("adam", 0.1).step([0.0, 0.0], [1.0, 2.0, 3.0])


# --------------------------------------------------------------------- robustness
@given(
    name=st.sampled_from(sorted(PRESETS)),
    optimizer=st.sampled_from(OPTIMIZERS),
    log_eta=st.floats(-4, 4),
    batch=st.one_of(st.none(), st.integers(1, 4)),
)
@settings(max_examples=60, deadline=None)
def test_arrays_always_finite_and_consistent(name, optimizer, log_eta, batch):
    s = PRESETS[name]
    t = descend(s.problem, s.start, 10.0**log_eta, 60, optimizer=optimizer, batch_size=batch)
    k = t.n_steps
    for a in (t.w, t.b, t.loss, t.grad_w, t.grad_b):
        assert a.shape == (k + 1,) and np.isfinite(a).all()
    assert t.step_grad_w.shape == t.step_grad_b.shape == (k,)
    assert np.isfinite(t.step_grad_w).all() and np.isfinite(t.step_grad_b).all()
    assert len(t.batches) == (k if batch else 0)
    assert not (t.converged and t.diverged)
    assert t.diverged == ("diverged" in t.message)
    if not (t.converged or t.diverged):
        assert k == 60


def test_divergence_stops_cleanly_for_every_optimizer():
    s = PRESETS["bowl"]
    for optimizer in ("gd", "momentum", "nesterov"):
        t = descend(s.problem, s.start, 1.0, 500, optimizer=optimizer)
        assert t.diverged and not t.converged and "diverged" in t.message
        assert (optimizer in t.message) == (optimizer != "gd")
        assert np.isfinite(t.points).all() and np.isfinite(t.loss).all()
    # RMSprop and Adam move at most about η (·10 for RMSprop) per step, so η must be huge.
    for optimizer in ("rmsprop", "adam"):
        t = descend(s.problem, s.start, 1e7, 5, optimizer=optimizer)
        assert t.diverged and np.isfinite(t.points).all()


# ------------------------------------------------------------- claims of the lecture
def test_momentum_overshoots_along_the_long_axis_of_the_bowl():
    s = PRESETS["bowl"]
    m = s.minimum
    _, vecs = np.linalg.eigh(m.hessian)
    long_axis = vecs[:, 0]  # eigenvector of the smallest eigenvalue: along the valley
    eta = s.learning_rate

    def along(t):
        return (t.points - np.array(m.point)) @ long_axis

    gd = along(descend(s.problem, s.start, eta, 200))
    mom = along(descend(s.problem, s.start, eta, 200, optimizer="momentum"))
    assert gd[0] == mom[0] and abs(gd[0]) > 0.5
    sign = np.sign(gd[0])
    # GD creeps up to the minimum along the valley without passing it ((1 − ηλmin)ᵗ > 0) ...
    assert (sign * gd).min() > -1e-9
    # ... while the heavy ball rolls past it by more than a quarter of the way it came.
    assert (sign * mom).min() < -0.25 * abs(gd[0])


def test_plateau_has_a_flat_region_far_from_the_valley():
    s = PRESETS["plateau"]
    w = np.linspace(*s.w_range, 201)
    b = np.linspace(*s.b_range, 181)
    W, B = np.meshgrid(w, b)
    L, gw, gb = s.problem.loss_and_gradient(W, B)
    G = np.hypot(gw, gb)
    m = s.minimum
    # Not the valley floor (where the gradient vanishes too): high loss, far from the minimum.
    flat = (G < 0.01 * G.max()) & (L > 10 * m.loss) & (np.hypot(W - m.w, B - m.b) > 2.0)
    assert flat.sum() >= 100
    assert L[flat].max() > 100 * m.loss


def test_two_basins_starts_end_in_different_minima():
    s = PRESETS["two-basins"]
    ends = []
    for start in [(3.0, -2.5), (2.5, 0.5)]:
        t = descend(s.problem, start, s.learning_rate, s.steps)
        ends.append(gdmath.minimum(s.problem, (t.w[-1], t.b[-1])))
    a, b = ends
    assert math.dist(a.point, b.point) > 1.0
    assert min(a.eigenvalues[0], b.eigenvalues[0]) > 0
    assert a.loss < b.loss  # the detour from (3, −2.5) reaches the global floor


# ------------------------------------------------------------------- minibatch SGD
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("loss", ["sse", "mse"])
def test_batch_of_everything_is_full_batch_descent(optimizer, loss):
    s = PRESETS["two-basins"]
    p = Problem(s.problem.x, s.problem.y, "sigmoid", loss)
    full = descend(p, s.start, 0.5, 40, optimizer=optimizer)
    sgd = descend(p, s.start, 0.5, 40, optimizer=optimizer, batch_size=p.n, seed=3)
    for f in ("w", "b", "loss", "grad_w", "grad_b", "step_grad_w", "step_grad_b"):
        np.testing.assert_array_equal(getattr(sgd, f), getattr(full, f))
    assert sgd.message == full.message
    assert sgd.batch_size == p.n and sgd.seed == 3
    assert all(np.array_equal(i, np.arange(p.n)) for i in sgd.batches)


@given(
    x=st.lists(st.floats(-3, 3), min_size=1, max_size=8),
    start=st.tuples(st.floats(-3, 3), st.floats(-3, 3)),
    activation=st.sampled_from(["identity", "sigmoid", "tanh"]),
)
@settings(max_examples=40, deadline=None)
def test_batch_of_everything_is_full_batch_descent_on_random_data(x, start, activation):
    p = Problem(x, np.sin(x), activation)
    full = descend(p, start, 0.01, 15)
    sgd = descend(p, start, 0.01, 15, batch_size=p.n, seed=7)
    np.testing.assert_array_equal(sgd.points, full.points)


def test_sgd_is_reproducible_by_seed_and_differs_between_seeds():
    s = PRESETS["bowl"]
    a = descend(s.problem, s.start, 0.01, 50, batch_size=3, seed=5)
    b = descend(s.problem, s.start, 0.01, 50, batch_size=3, seed=5)
    c = descend(s.problem, s.start, 0.01, 50, batch_size=3, seed=6)
    np.testing.assert_array_equal(a.points, b.points)
    assert all(np.array_equal(i, j) for i, j in zip(a.batches, b.batches, strict=True))
    assert not np.allclose(a.points, c.points)
    # The default seed is fixed too: a rendered run is reproducible.
    d = descend(s.problem, s.start, 0.01, 50, batch_size=3)
    e = descend(s.problem, s.start, 0.01, 50, batch_size=3, seed=0)
    np.testing.assert_array_equal(d.points, e.points)
    assert d.seed == 0


@pytest.mark.parametrize(("n", "k"), [(10, 3), (10, 5), (10, 1), (4, 4), (7, 6)])
def test_batches_are_epochs_of_permutations(n, k):
    p = Problem(np.linspace(0, 1, n), np.linspace(1, 2, n))
    per_epoch = -(-n // k)
    t = descend(p, (0.0, 0.0), 1e-3, 3 * per_epoch, batch_size=k, seed=11)
    assert len(t.batches) == 3 * per_epoch
    for e in range(3):
        epoch = t.batches[e * per_epoch:(e + 1) * per_epoch]
        assert [i.size for i in epoch] == [k] * (n // k) + ([n % k] if n % k else [])
        np.testing.assert_array_equal(np.sort(np.concatenate(epoch)), np.arange(n))
        assert all((np.diff(i) > 0).all() for i in epoch)


@pytest.mark.parametrize("loss", ["sse", "mse"])
def test_batch_gradient_is_scaled_to_estimate_the_full_gradient(loss):
    x = np.array([-1.0, 0.0, 0.5, 1.0, 2.0, 3.0])
    y = np.array([0.2, 0.1, 0.6, 0.7, 0.9, 0.8])
    p = Problem(x, y, "sigmoid", loss)
    c = 1.0 if loss == "sse" else 1.0 / p.n
    t = descend(p, (0.3, -0.2), 0.1, 7, batch_size=4, seed=2)
    for k, idx in enumerate(t.batches):
        g = ref_gradient(x[idx], y[idx], "sigmoid", t.w[k], t.b[k])
        # (n/|B|) · c · Σ_B: the batch sum times n/|B| for SSE, the batch mean for MSE.
        want = np.array(g) * c * p.n / idx.size
        np.testing.assert_allclose([t.step_grad_w[k], t.step_grad_b[k]], want, rtol=1e-12)
        np.testing.assert_allclose(t.points[k + 1], t.points[k] - 0.1 * want, rtol=1e-12)
        # The recorded loss and gradient stay those of the full data.
        np.testing.assert_allclose(t.loss[k], p.loss(t.w[k], t.b[k]), rtol=1e-14)
        np.testing.assert_allclose([t.grad_w[k], t.grad_b[k]], p.gradient(t.w[k], t.b[k]),
                                   rtol=1e-14)


@given(
    n_batches=st.integers(1, 5),
    k=st.integers(1, 4),
    seed=st.integers(0, 1000),
    loss=st.sampled_from(["sse", "mse"]),
)
@settings(max_examples=40, deadline=None)
def test_batch_gradients_average_to_the_full_gradient_over_an_epoch(n_batches, k, seed, loss):
    n = n_batches * k
    rng = np.random.default_rng(seed)
    p = Problem(rng.normal(size=n), rng.uniform(size=n), "sigmoid", loss)
    # A step this small leaves θ exactly where it was, so every batch sees the same point.
    t = descend(p, (0.4, 0.1), 1e-300, n_batches, batch_size=k, seed=seed)
    assert np.all(t.w == t.w[0]) and np.all(t.b == t.b[0])
    np.testing.assert_allclose(
        [t.step_grad_w.mean(), t.step_grad_b.mean()], [t.grad_w[0], t.grad_b[0]],
        rtol=1e-12, atol=1e-15,
    )


def test_sgd_works_with_every_optimizer_and_stops_on_the_full_gradient():
    s = PRESETS["bowl"]
    for optimizer in OPTIMIZERS:
        t = descend(s.problem, s.start, 0.005, 100, optimizer=optimizer, batch_size=2, seed=1)
        assert t.n_steps == 100 and np.isfinite(t.points).all()
        assert t.loss[-1] < t.loss[0]
    # Started on the floor, the full gradient is already under tol: no batch is drawn.
    m = s.minimum
    t = descend(s.problem, m.point, 0.01, 10, tol=1e-6, batch_size=2)
    assert t.converged and t.n_steps == 0 and t.batches == ()


def test_subset():
    p = Problem([0.0, 1.0, 2.0, 3.0], [1.0, 2.0, 0.0, 4.0], "tanh", "mse")
    q = p.subset([3, 1])
    assert q.n == 2 and q.activation == "tanh" and q.loss_kind == "mse"
    want = ((np.tanh(0.5 * 3 - 1) - 4) ** 2 + (np.tanh(0.5 - 1) - 2) ** 2) / 2
    assert q.loss(0.5, -1.0) == pytest.approx(want, rel=1e-14)
    np.testing.assert_allclose(p.subset(np.arange(4)).gradient(0.3, 0.2), p.gradient(0.3, 0.2),
                               rtol=1e-14)
    assert p.subset(np.array([2, 2], dtype=np.uint8)).n == 2


@pytest.mark.parametrize(("indices", "error", "match"), [
    ([], ValueError, "non-empty"),
    ([[0, 1]], ValueError, "1-D"),
    ([0.0, 1.0], TypeError, "integers"),
    ([True, False, True, False], TypeError, "integers"),
    ([0, 4], ValueError, "index 4 is out of range"),
    ([-1], ValueError, "out of range"),
])
def test_subset_rejects_bad_indices(indices, error, match):
    p = Problem([0.0, 1.0, 2.0, 3.0], [1.0, 2.0, 0.0, 4.0])
    with pytest.raises(error, match=match):
        p.subset(indices)


# ----------------------------------------------------------------------- bad input
def test_unknown_optimizer():
    with pytest.raises(ValueError, match=r"unknown optimizer 'adma' \(did you mean 'adam'\?\)"):
        descend(LINE, (0, 0), 0.1, 1, optimizer="adma")
    with pytest.raises(ValueError, match="'gd', 'momentum', 'nesterov', 'rmsprop', 'adam'"):
        descend(LINE, (0, 0), 0.1, 1, optimizer="sgd")
    with pytest.raises(TypeError, match="optimizer must be a string"):
        descend(LINE, (0, 0), 0.1, 1, optimizer=None)


@pytest.mark.parametrize(("optimizer", "hp", "match"), [
    ("gd", {"momentum": 0.9}, r"'gd' has no hyperparameter 'momentum'.*takes no hyper.*"
                              r"belongs to 'momentum', 'nesterov'"),
    ("adam", {"beta": (0.9, 0.99)}, r"'beta' \(did you mean 'betas'\?\).*'betas', 'eps'"),
    ("adam", {"momentum": 0.9}, r"'momentum'.*it takes 'betas', 'eps'"),
    ("rmsprop", {"betas": (0.9, 0.99)}, r"it takes 'alpha', 'eps'; 'betas' belongs to 'adam'"),
    ("nesterov", {"dampening": 0.1}, r"it takes 'momentum'; 'dampening' belongs to 'momentum'"),
    ("momentum", {"nesterov": True}, r"use optimizer='nesterov'"),
    ("adam", {"lr": 0.1}, r"learning_rate argument"),
    ("gd", {"tol_": 1.0}, r"'tol_'"),
])
def test_unknown_hyperparameter(optimizer, hp, match):
    with pytest.raises(ValueError, match=match):
        descend(LINE, (0, 0), 0.1, 1, optimizer=optimizer, **hp)


@pytest.mark.parametrize(("optimizer", "hp", "error", "match"), [
    ("momentum", {"momentum": -1}, ValueError, r"momentum must be in \[0, 1\), got -1"),
    ("momentum", {"momentum": 1.0}, ValueError, r"momentum must be in \[0, 1\)"),
    ("nesterov", {"momentum": float("nan")}, ValueError, "momentum"),
    ("momentum", {"dampening": 1.5}, ValueError, r"dampening must be in \[0, 1\]"),
    ("momentum", {"momentum": True}, TypeError, "momentum must be a number"),
    ("momentum", {"momentum": "0.9"}, TypeError, "momentum must be a number"),
    ("adam", {"betas": (1.2, 0.9)}, ValueError, r"betas\[0\] must be in \[0, 1\), got 1.2"),
    ("adam", {"betas": (0.9, -0.1)}, ValueError, r"betas\[1\] must be in \[0, 1\)"),
    ("adam", {"betas": (0.9,)}, ValueError, "betas must be a pair"),
    ("adam", {"betas": 0.9}, TypeError, "betas must be a pair"),
    ("adam", {"eps": 0.0}, ValueError, "eps must be a finite number > 0"),
    ("rmsprop", {"eps": -1e-8}, ValueError, "eps must be a finite number > 0"),
    ("rmsprop", {"alpha": 1.0}, ValueError, r"alpha must be in \[0, 1\)"),
    ("rmsprop", {"alpha": float("inf")}, ValueError, "alpha"),
])
def test_invalid_hyperparameter_value(optimizer, hp, error, match):
    with pytest.raises(error, match=match):
        descend(LINE, (0, 0), 0.1, 1, optimizer=optimizer, **hp)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"batch_size": 0}, ValueError, "batch_size must be >= 1"),
    ({"batch_size": -2}, ValueError, "batch_size must be >= 1"),
    ({"batch_size": 5}, ValueError, r"at most the number of data points \(4\), got 5"),
    ({"batch_size": 2.0}, TypeError, "batch_size must be an integer"),
    ({"batch_size": True}, TypeError, "batch_size must be an integer"),
    ({"batch_size": "2"}, TypeError, "batch_size must be an integer"),
    ({"seed": 1}, ValueError, "seed only applies to minibatch descent"),
    ({"batch_size": 2, "seed": -1}, ValueError, "seed must be >= 0"),
    ({"batch_size": 2, "seed": 1.5}, TypeError, "seed must be an integer"),
])
def test_bad_minibatch_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        descend(LINE, (0, 0), 0.1, 1, **kwargs)


def test_bad_learning_rate_still_rejected_for_every_optimizer():
    for optimizer in OPTIMIZERS:
        with pytest.raises(ValueError, match="learning_rate must be a finite number > 0"):
            descend(LINE, (0, 0), 0.0, 1, optimizer=optimizer)
