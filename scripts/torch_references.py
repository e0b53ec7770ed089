"""Regenerate ``tests/data/torch_references.json``: torch.optim trajectories on the one-neuron loss.

`tests/test_optimizers.py` compares gdmath's optimizers with these stored trajectories in every
test run, so torch is needed only to regenerate them. Run from the repository root where torch is
installed (a CPU build is enough; torch 2.13.0+cpu made the stored file)::

    python3 -m venv /tmp/torchvenv
    /tmp/torchvenv/bin/pip install torch==2.13.0 numpy
    /tmp/torchvenv/bin/python scripts/torch_references.py            # rewrites the file
    /tmp/torchvenv/bin/python scripts/torch_references.py --check    # compares, writes nothing

Each case runs ``torch.optim`` (SGD, SGD with momentum or Nesterov, RMSprop, Adam) in float64 on
l(w, b) = c Σᵢ (φ(w xᵢ + b) − yᵢ)² with c = 1 (``"sse"``) or 1/n (``"mse"``), from (0.7, −0.4),
and records (w, b) after every step. The minibatch cases draw their batches here by the rule
`gdmath.descend` documents (each epoch ``np.random.default_rng(seed).permutation(n)`` cut into
runs of `batch_size`, sorted within a batch) and give torch the batch loss scaled to estimate the
full one, (n/|B|) c Σ_{i∈B}. The script imports nothing from gdmath: the file is a reference that
the code under test did not help to write.

Importing this module needs only numpy; torch is imported when a case is run.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_FILE = ROOT / "tests" / "data" / "torch_references.json"
START = (0.7, -0.4)

# The problems, by name: data, activation, loss, learning rate, steps and (for SGD) batches.
PROBLEMS: dict[str, dict[str, Any]] = {
    "sigmoid": {"x": [-1.0, 0.0, 0.5, 2.0], "y": [0.1, 0.3, 0.8, 0.9],
                "activation": "sigmoid", "loss": "sse", "learning_rate": 0.3, "steps": 8},
    "line": {"x": [0.0, 0.5, 1.0, 2.0], "y": [1.0, 1.7, 3.2, 4.9],
             "activation": "identity", "loss": "sse", "learning_rate": 0.01, "steps": 8},
    "tanh-mse": {"x": [-1.5, -0.5, 0.5, 1.5], "y": [-0.8, -0.3, 0.2, 0.9],
                 "activation": "tanh", "loss": "mse", "learning_rate": 0.2, "steps": 8},
    "sgd-sigmoid-mse": {"x": [-1.0, 0.0, 0.5, 1.0, 2.0, 3.0],
                        "y": [0.2, 0.1, 0.6, 0.7, 0.9, 0.8],
                        "activation": "sigmoid", "loss": "mse", "learning_rate": 0.5,
                        "steps": 12, "batch_size": 4, "seed": 2},
    "sgd-line-sse": {"x": [0.0, 0.5, 1.0, 1.5, 2.0], "y": [1.0, 1.7, 3.2, 3.8, 4.9],
                     "activation": "identity", "loss": "sse", "learning_rate": 0.01,
                     "steps": 10, "batch_size": 2, "seed": 5},
}

# (optimizer, hyperparameters as gdmath takes them); {} means gdmath's defaults.
RULES: list[tuple[str, dict[str, Any]]] = [
    ("gd", {}),
    ("momentum", {}),
    ("momentum", {"momentum": 0.5, "dampening": 0.3}),
    ("nesterov", {}),
    ("nesterov", {"momentum": 0.6}),
    ("rmsprop", {}),
    ("rmsprop", {"alpha": 0.9, "eps": 1e-3}),
    ("adam", {}),
    ("adam", {"betas": [0.8, 0.99], "eps": 1e-4}),
]
FULL_BATCH = ("sigmoid", "line", "tanh-mse")
MINIBATCH = ("sgd-sigmoid-mse", "sgd-line-sse")
MINIBATCH_RULES = [("gd", {}), ("momentum", {}), ("nesterov", {}), ("rmsprop", {}), ("adam", {})]


def cases() -> list[dict[str, Any]]:
    """Every case's parameters, in file order: name, problem, optimizer, hyperparameters, start."""
    out = []
    plan = [(name, RULES) for name in FULL_BATCH] + [(name, MINIBATCH_RULES) for name in MINIBATCH]
    for problem_name, rules in plan:
        for optimizer, hyperparameters in rules:
            tag = ",".join(f"{key}={value}" for key, value in hyperparameters.items()) or "defaults"
            out.append({
                "name": f"{problem_name}/{optimizer}/{tag}",
                "problem": problem_name,
                "optimizer": optimizer,
                "hyperparameters": hyperparameters,
                "start": list(START),
                **PROBLEMS[problem_name],
            })
    return out


def draw_batches(n: int, size: int, seed: int, count: int) -> list[list[int]]:
    """The first `count` minibatches: fresh permutation each epoch, cut, sorted within a batch."""
    rng = np.random.default_rng(seed)
    batches: list[list[int]] = []
    while len(batches) < count:
        perm = rng.permutation(n)
        batches += [sorted(int(index) for index in perm[first:first + size])
                    for first in range(0, n, size)]
    return batches[:count]


def torch_kwargs(optimizer: str, hyperparameters: dict[str, Any]) -> dict[str, Any]:
    """What torch.optim is given. gdmath's "momentum" and "nesterov" default to μ = 0.9."""
    if optimizer in ("momentum", "nesterov"):
        return {"momentum": 0.9, **hyperparameters, "nesterov": optimizer == "nesterov"}
    if optimizer == "adam" and "betas" in hyperparameters:
        return {**hyperparameters, "betas": tuple(hyperparameters["betas"])}
    return dict(hyperparameters)


def run_case(case: dict[str, Any]) -> dict[str, Any]:
    """Run one case through torch.optim; return the case with ``points`` (and ``batches``)."""
    import torch

    x = torch.tensor(case["x"], dtype=torch.float64)
    y = torch.tensor(case["y"], dtype=torch.float64)
    act = {"identity": lambda z: z, "sigmoid": torch.sigmoid, "tanh": torch.tanh}
    activation = act[case["activation"]]
    param = torch.tensor(case["start"], dtype=torch.float64, requires_grad=True)
    kind = {"gd": torch.optim.SGD, "momentum": torch.optim.SGD, "nesterov": torch.optim.SGD,
            "rmsprop": torch.optim.RMSprop, "adam": torch.optim.Adam}[case["optimizer"]]
    kwargs = torch_kwargs(case["optimizer"], case["hyperparameters"])
    opt = kind([param], lr=case["learning_rate"], **kwargs)
    n, steps = len(case["x"]), case["steps"]
    batches = (draw_batches(n, case["batch_size"], case["seed"], steps)
               if "batch_size" in case else [list(range(n))] * steps)
    points = [param.detach().tolist()]
    for idx in batches:
        opt.zero_grad()
        residual = activation(param[0] * x[idx] + param[1]) - y[idx]
        # c Σ over the full data; on a smaller batch, (n/|B|) c Σ_B (for "mse", the batch mean).
        loss = (residual**2).mean() if case["loss"] == "mse" else (residual**2).sum()
        if case["loss"] == "sse" and len(idx) < n:
            loss = loss * (n / len(idx))
        loss.backward()
        opt.step()
        points.append(param.detach().tolist())
    group = {key: value for key, value in opt.param_groups[0].items() if key != "params"}
    result = {**case, "torch_class": kind.__name__,
              "torch_param_group": json.loads(json.dumps(group, default=repr)),
              "points": points}
    if "batch_size" in case:
        result["batches"] = batches
    return result


def generate() -> dict[str, Any]:
    """All cases run through torch, with torch's version and the date."""
    import torch

    return {
        "about": "torch.optim trajectories (w, b) per step, float64; regenerate with "
                 "scripts/torch_references.py",
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "date": datetime.date.today().isoformat(),
        "dtype": "float64",
        "cases": [run_case(case) for case in cases()],
    }


def dump(references: dict[str, Any]) -> str:
    """JSON with one (w, b) point, data list or batch to a line.

    json writes floats with repr: the shortest decimal that reads back to the same double.
    """
    text = json.dumps(references, indent=1)
    flat = re.compile(r"\[\s*([^\[\]{}]*?)\s*\]")
    def one_line(match: re.Match[str]) -> str:
        return "[" + ", ".join(re.split(r",\s*", match.group(1))) + "]" if match.group(1) else "[]"

    return flat.sub(one_line, text) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with the stored file instead of rewriting it")
    args = parser.parse_args(argv)
    try:
        fresh = generate()
    except ImportError:
        print("torch is not installed here; see this script's docstring", file=sys.stderr)
        return 2
    if args.check:
        stored = json.loads(REFERENCE_FILE.read_text())
        if [case["name"] for case in stored["cases"]] != [case["name"] for case in fresh["cases"]]:
            print("the stored cases are not this script's cases: regenerate the file")
            return 1
        worst = max(
            float(np.max(np.abs(np.subtract(new["points"], old["points"]))))
            for new, old in zip(fresh["cases"], stored["cases"], strict=True)
        )
        print(f"{len(fresh['cases'])} cases; largest |fresh − stored| = {worst:.3g}")
        return 0 if worst <= 1e-12 else 1
    REFERENCE_FILE.parent.mkdir(parents=True, exist_ok=True)
    REFERENCE_FILE.write_text(dump(fresh))
    size = REFERENCE_FILE.stat().st_size
    print(f"wrote {REFERENCE_FILE.relative_to(ROOT)}: {len(fresh['cases'])} cases, {size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
