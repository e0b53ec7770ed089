"""TOML configuration: data, model, descent and view, validated into a `Scenario`.

Example
-------
.. code-block:: toml

    preset = "bowl"            # optional: start from a preset and override below

    [data]                     # one of: x and y, csv, or [data.generate]
    x = [0.0, 0.5, 1.0, 1.5]
    y = [-0.9, -0.2, 0.6, 1.3]

    [model]
    activation = "identity"    # identity | sigmoid | tanh | relu
    loss = "sse"               # sse | mse

    [descent]
    start = [3.5, 1.5]
    learning_rate = 0.04
    steps = 30

    [view]                     # optional: fitted around the path when left out
    w_range = [-1.0, 4.0]
    b_range = [-2.5, 2.0]

Tables that are not the problem's (a video's ``[video]``, say) are refused unless the caller
names them in ``extra_tables``; they are then passed through, unread, in `Config.extra`.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from gdmath._validate import suggest
from gdmath.data import Dataset, load_csv, make_dataset
from gdmath.descent import descend, minimum
from gdmath.presets import Scenario, get_preset
from gdmath.problem import Problem

__all__ = [
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

# The schema: section -> key -> expected kind. Nested tables are dicts.
SCHEMA: dict[str, Any] = {
    "preset": _STR,
    "title": _STR,
    "data": {
        "x": _NUMS,
        "y": _NUMS,
        "csv": _STR,
        "generate": {
            "w": _NUM, "b": _NUM, "activation": _STR, "n": _INT, "noise": _NUM, "seed": _INT,
            "x_range": _PAIR,
        },
    },
    "model": {"activation": _STR, "loss": _STR},
    "descent": {"start": _PAIR, "learning_rate": _NUM, "steps": _INT, "tol": _NUM},
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
    """

    scenario: Scenario
    source: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


def _is_num(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


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
            raise ConfigError(f"{place} must be {expected}, got {_describe(value)}")


def auto_view(points: np.ndarray, margin: float = 0.2) -> tuple[tuple, tuple]:
    """A (w_range, b_range) window around `points` (shape (k, 2)) with a relative margin."""
    lo, hi = points.min(axis=0), points.max(axis=0)
    pad = np.maximum((hi - lo) * margin, 0.5)
    return (float(lo[0] - pad[0]), float(hi[0] + pad[0])), (float(lo[1] - pad[1]),
                                                            float(hi[1] + pad[1]))


def _dataset(data: Mapping[str, Any], base: Dataset | None, root: Path) -> Dataset:
    given = [k for k in ("x", "csv", "generate") if k in data]
    if "y" in data and "x" not in data:
        given.append("y")
    if len(given) > 1:
        raise ConfigError(f"[data] takes one source, got {', '.join(given)}: keep only one")
    if "x" in data or "y" in data:
        if "x" not in data or "y" not in data:
            raise ConfigError("[data] needs both x and y lists")
        return Dataset(np.array(data["x"], dtype=float), np.array(data["y"], dtype=float))
    if "csv" in data:
        return load_csv(root / data["csv"])
    if "generate" in data:
        g = dict(data["generate"])
        missing = [k for k in ("w", "b") if k not in g]
        if missing:
            raise ConfigError(f"[data.generate] needs {' and '.join(missing)} (the true neuron)")
        if "x_range" in g:
            g["x_range"] = tuple(g["x_range"])
        return make_dataset(**g)
    if base is None:
        raise ConfigError("no data: give [data] x and y, csv, or [data.generate], or a preset")
    return base


def parse_config(doc: Mapping[str, Any], *, source: str = "<config>",
                 root: Path | None = None, extra_tables: tuple[str, ...] = ()) -> Config:
    """Validate a parsed TOML document into a `Config`.

    The top-level tables named in `extra_tables` are not the problem's: they are passed through
    in `Config.extra` for the caller to read.

    Raises
    ------
    ConfigError
        For an unknown key (naming it and the closest valid key), a wrong type, missing data, or
        any value the math refuses (η ≤ 0, NaN data, unknown activation, ...).
    """
    root = root or Path.cwd()
    extra = {k: doc[k] for k in extra_tables if k in doc}
    doc = {k: v for k, v in doc.items() if k not in extra}
    try:
        _validate(doc, SCHEMA, "")
        base = get_preset(doc["preset"]) if "preset" in doc else None
        data = doc.get("data", {})
        model = doc.get("model", {})
        descent_t = doc.get("descent", {})
        view = doc.get("view", {})
        base_data = Dataset(base.problem.x, base.problem.y) if base else None
        ds = _dataset(data, base_data, root)
        activation = model.get("activation", base.problem.activation if base else "identity")
        loss = model.get("loss", base.problem.loss_kind if base else "sse")
        problem = Problem(ds.x, ds.y, activation, loss)
        for key in ("start", "learning_rate", "steps"):
            if key not in descent_t and base is None:
                raise ConfigError(f"[descent] needs {key} (or name a preset to take it from)")
        start = tuple(descent_t.get("start", base.start if base else None))
        eta = descent_t.get("learning_rate", base.learning_rate if base else None)
        steps = descent_t.get("steps", base.steps if base else None)
        tol = descent_t.get("tol", base.tol if base else 0.0)
        # With new data or model, a preset's window no longer fits the path: refit unless given.
        keep_view = base is not None and not data and not model and "start" not in descent_t
        if "w_range" in view and "b_range" in view:
            w_range, b_range = tuple(view["w_range"]), tuple(view["b_range"])
        elif keep_view and not view:
            w_range, b_range = base.w_range, base.b_range
        else:
            traj = descend(problem, start, eta, steps, tol=tol)
            pts = traj.points
            if not traj.diverged:
                m = minimum(problem, (traj.w[-1], traj.b[-1]))
                if math.isfinite(m.loss):
                    pts = np.vstack([pts, [m.point]])
            else:  # a diverging path would blow the window up: frame the start instead
                pts = pts[:1]
            auto_w, auto_b = auto_view(pts)
            w_range = tuple(view.get("w_range", auto_w))
            b_range = tuple(view.get("b_range", auto_b))
        scenario = Scenario(
            name=base.name if base and keep_view else "custom",
            title=doc.get("title", base.title if base else f"{activation} neuron, {ds.n} points"),
            problem=problem, start=start, learning_rate=eta, steps=steps,
            w_range=w_range, b_range=b_range, tol=tol,
        )
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{source}: {exc}") from None
    return Config(scenario=scenario, source=source, extra=extra)


def load_config(path: str | Path, *, extra_tables: tuple[str, ...] = ()) -> Config:
    """Read and validate a TOML config file (see the module docstring for the format)."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file {str(path)!r} does not exist")
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_config(doc, source=str(path), root=path.parent, extra_tables=extra_tables)

