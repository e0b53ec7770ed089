"""TOML configuration: data, model, descent and view, validated into a `Scenario`.

Example
-------
.. code-block:: toml

    preset = "bowl"            # optional: start from a preset and override below

    [data]                     # one of: x and y, csv, dataset, or [data.generate]
    x = [0.0, 0.5, 1.0, 1.5]
    y = [-0.9, -0.2, 0.6, 1.3]
    standardize = false        # true: fit in u = (x - mean) / std (Scenario.standardization)

    [model]
    activation = "identity"    # identity | sigmoid | tanh | relu
    loss = "sse"               # sse | mse

    [descent]
    start = [3.5, 1.5]
    learning_rate = 0.04       # or "auto": AUTO_FRACTION of the critical η along the path
    steps = 30                 # at most MAX_STEPS; or "auto": until converged, AUTO_STEPS_CAP

    [view]                     # optional: fitted around the path when left out
    w_range = [-1.0, 4.0]
    b_range = [-2.5, 2.0]

Tables that are not the problem's (a video's ``[video]``, say) are refused unless the caller
names them in ``extra_tables``; they are then passed through, unread, in `Config.extra`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from gdmath._validate import suggest
from gdmath.data import Dataset, NamedDataset, load_csv, load_dataset, make_dataset
from gdmath.descent import descend
from gdmath.diagnosis import auto_learning_rate, auto_steps
from gdmath.landscape import Standardization, find_minimum
from gdmath.presets import Scenario, get_preset
from gdmath.problem import Problem

__all__ = [
    "MAX_STEPS",
    "Config",
    "ConfigError",
    "auto_view",
    "load_config",
    "parse_config",
]

_NUM = "a number"
_INT = "an integer"
_STR = "a string"
_PAIR = "a pair of numbers"
_NUMS = "a list of numbers"
_BOOL = "true or false"
_NUM_AUTO = 'a number or "auto"'
_INT_AUTO = 'an integer or "auto"'

#: The most steps a config may ask for: more would take minutes to compute and hours to watch.
MAX_STEPS = 100_000

# The schema: section -> key -> expected kind. Nested tables are dicts.
SCHEMA: dict[str, Any] = {
    "preset": _STR,
    "title": _STR,
    "data": {
        "x": _NUMS,
        "y": _NUMS,
        "csv": _STR,
        "dataset": _STR,
        "standardize": _BOOL,
        "generate": {
            "w": _NUM, "b": _NUM, "activation": _STR, "n": _INT, "noise": _NUM, "seed": _INT,
            "x_range": _PAIR,
        },
    },
    "model": {"activation": _STR, "loss": _STR},
    "descent": {"start": _PAIR, "learning_rate": _NUM_AUTO, "steps": _INT_AUTO, "tol": _NUM},
    "view": {"w_range": _PAIR, "b_range": _PAIR},
}


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message says where and how to fix it."""


@dataclass(frozen=True)
class Config:
    """A validated configuration.

    Attributes
    ----------
    scenario : Scenario
        What to compute and show.
    source : str
        Where it came from (a file path or ``"preset NAME"``), for messages.
    extra : mapping
        The tables named in ``extra_tables`` when parsing, unread.
    auto : tuple of str
        The [descent] keys that were ``"auto"`` and were resolved (``"learning_rate"``,
        ``"steps"``).
    dataset : NamedDataset or None
        The shipped dataset the data came from, with its labels and provenance.
    """

    scenario: Scenario
    source: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)
    auto: tuple[str, ...] = ()
    dataset: NamedDataset | None = None


def _is_num(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_kind(value: object, kind: str) -> bool:
    if kind == _NUM:
        return _is_num(value)
    if kind == _INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == _STR:
        return isinstance(value, str)
    if kind == _PAIR:
        return isinstance(value, list) and len(value) == 2 and all(map(_is_num, value))
    if kind == _NUMS:
        return isinstance(value, list) and all(map(_is_num, value))
    if kind == _BOOL:
        return isinstance(value, bool)
    if kind in (_NUM_AUTO, _INT_AUTO):
        return value == "auto" or _check_kind(value, _NUM if kind == _NUM_AUTO else _INT)
    raise AssertionError(kind)


def _describe(value: object) -> str:
    names = {bool: "boolean", str: "string", int: "integer", float: "number", list: "list",
             dict: "table"}
    return f"{names.get(type(value), type(value).__name__)} {value!r}"


def _validate(table: Mapping[str, Any], schema: Mapping[str, Any], where: str) -> None:
    for key, value in table.items():
        place = f"{where}.{key}" if where else key
        if key not in schema:
            section = f"[{where}]" if where else "the top level"
            raise ConfigError(
                f"unknown key {key!r} in {section}{suggest(key, schema)}; "
                f"valid keys there: {', '.join(schema)}"
            )
        expected = schema[key]
        if isinstance(expected, dict):
            if not isinstance(value, dict):
                raise ConfigError(f"{place} must be a table [{place}], got {_describe(value)}")
            _validate(value, expected, place)
        elif not _check_kind(value, expected):
            plain, auto = expected.split(' or "auto"')[0], ' or "auto"' in expected
            raise ConfigError(f"{place} must be {plain}, got {_describe(value)}"
                              + (' (or "auto")' if auto else ""))


def auto_view(points: np.ndarray, margin: float = 0.2) -> tuple[tuple, tuple]:
    """A (w_range, b_range) window around `points` (shape (k, 2)) with a relative margin."""
    lo, hi = points.min(axis=0), points.max(axis=0)
    pad = np.maximum((hi - lo) * margin, 0.5)
    return (float(lo[0] - pad[0]), float(hi[0] + pad[0])), (float(lo[1] - pad[1]),
                                                            float(hi[1] + pad[1]))


def _dataset(
    data: Mapping[str, Any], base: Dataset | None, root: Path
) -> tuple[Dataset, NamedDataset | None]:
    given = [key for key in ("x", "csv", "dataset", "generate") if key in data]
    if "y" in data and "x" not in data:
        given.append("y")
    if len(given) > 1:
        raise ConfigError(f"[data] takes one source, got {', '.join(given)}: keep only one")
    if "x" in data or "y" in data:
        if "x" not in data or "y" not in data:
            raise ConfigError("[data] needs both x and y lists")
        return Dataset(np.array(data["x"], dtype=float), np.array(data["y"], dtype=float)), None
    if "csv" in data:
        return load_csv(root / data["csv"]), None
    if "dataset" in data:
        named, points = load_dataset(data["dataset"])
        return points, named
    if "generate" in data:
        generate = dict(data["generate"])
        missing = [key for key in ("w", "b") if key not in generate]
        if missing:
            raise ConfigError(f"[data.generate] needs {' and '.join(missing)} (the true neuron)")
        if "x_range" in generate:
            generate["x_range"] = tuple(generate["x_range"])
        return make_dataset(**generate), None
    if base is None:
        raise ConfigError("no data: give [data] x and y, csv, dataset or [data.generate], "
                          "or a preset")
    return base, None


def _descent(
    descent_t: Mapping[str, Any], base: Scenario | None, problem: Problem
) -> tuple[tuple[float, float], float, int, float, tuple[str, ...]]:
    """Start, η, steps and tol, with "auto" resolved; the keys that were "auto"."""
    for key in ("start", "learning_rate", "steps"):
        if key not in descent_t and base is None:
            raise ConfigError(f"[descent] needs {key} (or name a preset to take it from)")
    start = tuple(descent_t.get("start", base.start if base else None))
    eta = descent_t.get("learning_rate", base.learning_rate if base else None)
    steps = descent_t.get("steps", base.steps if base else None)
    tol = descent_t.get("tol", base.tol if base else 0.0)
    if steps != "auto" and steps > MAX_STEPS:
        raise ConfigError(f"descent.steps = {steps} is above the cap of {MAX_STEPS} steps; "
                          'ask for fewer, or steps = "auto"')
    auto = tuple(key for key, value in (("learning_rate", eta), ("steps", steps))
                 if value == "auto")
    if auto:
        landscape = find_minimum(problem)
        if eta == "auto":
            eta = auto_learning_rate(problem, start, landscape)
        if steps == "auto":
            steps = auto_steps(problem, start, eta, landscape)[0]
    return start, eta, steps, tol, auto


def _view(
    view: Mapping[str, Any], keep: Scenario | None, problem: Problem,
    start: tuple[float, float], eta: float, steps: int, tol: float,
) -> tuple[tuple[float, float], tuple[float, float]]:
    """The window: as given, the preset's (`keep`), or fitted around the path and the minimum."""
    if "w_range" in view and "b_range" in view:
        return tuple(view["w_range"]), tuple(view["b_range"])
    if keep is not None and not view:
        return keep.w_range, keep.b_range
    traj = descend(problem, start, eta, steps, tol=tol)
    pts = traj.points
    if traj.diverged:  # a diverging path would blow the window up: frame the start instead
        pts = pts[:1]
    found = find_minimum(problem, [pts[-1]]).minimum
    if found is not None:
        pts = np.vstack([pts, [found.point]])
    auto_w, auto_b = auto_view(pts)
    return tuple(view.get("w_range", auto_w)), tuple(view.get("b_range", auto_b))


def parse_config(doc: Mapping[str, Any], *, source: str = "<config>",
                 root: Path | None = None, extra_tables: tuple[str, ...] = ()) -> Config:
    """Validate a parsed TOML document into a `Config`.

    The top-level tables named in `extra_tables` are not the problem's: they are passed through
    in `Config.extra` for the caller to read.

    Raises
    ------
    ConfigError
        For an unknown key (naming it and the closest valid key), a wrong type, missing data,
        more steps than `MAX_STEPS`, or any value the math refuses (η ≤ 0, NaN data, unknown
        activation, ...).
    """
    root = root or Path.cwd()
    extra = {key: doc[key] for key in extra_tables if key in doc}
    doc = {key: value for key, value in doc.items() if key not in extra}
    try:
        _validate(doc, SCHEMA, "")
        base = get_preset(doc["preset"]) if "preset" in doc else None
        data = doc.get("data", {})
        model = doc.get("model", {})
        descent_t = doc.get("descent", {})
        base_data = Dataset(base.problem.x, base.problem.y) if base else None
        dataset, named = _dataset(data, base_data, root)
        default_activation = named.activation if named else "identity"
        activation = model.get("activation",
                               base.problem.activation if base else default_activation)
        loss = model.get("loss", base.problem.loss_kind if base else "sse")
        standardization = Standardization.of(dataset.x) if data.get("standardize") else None
        x = standardization.apply(dataset.x) if standardization else dataset.x
        problem = Problem(x, dataset.y, activation, loss)
        start, eta, steps, tol, auto = _descent(descent_t, base, problem)
        # With new data or model, a preset's window no longer fits the path: refit unless given.
        keep_view = base is not None and not data and not model and "start" not in descent_t
        w_range, b_range = _view(doc.get("view", {}), base if keep_view else None, problem,
                                 start, eta, steps, tol)
        title = doc.get("title", base.title if base else f"{activation} neuron, {dataset.n} points")
        scenario = Scenario(
            name=base.name if base and keep_view else "custom", title=title, problem=problem,
            start=start, learning_rate=eta, steps=steps, w_range=w_range, b_range=b_range,
            tol=tol, standardization=standardization,
        )
    except (ValueError, TypeError) as exc:  # ConfigError included
        raise ConfigError(f"{source}: {exc}") from None
    return Config(scenario=scenario, source=source, extra=extra, auto=auto, dataset=named)


def load_config(path: str | Path, *, extra_tables: tuple[str, ...] = ()) -> Config:
    """Read and validate a TOML config file (see the module docstring for the format)."""
    path = Path(path)
    if path.is_dir():
        raise ConfigError(f"config file {str(path)!r} is a folder, not a file")
    if not path.is_file():
        raise ConfigError(f"config file {str(path)!r} does not exist")
    try:
        with path.open("rb") as handle:
            doc = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start}); "
            "TOML files must be saved as UTF-8"
        ) from None
    return parse_config(doc, source=str(path), root=path.parent, extra_tables=extra_tables)

