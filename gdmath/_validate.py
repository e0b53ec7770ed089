"""Input checks shared by the public API: one clear message per mistake."""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from numbers import Real

import numpy as np

__all__ = [
    "finite_array",
    "finite_pair",
    "point_array",
    "positive_int",
    "positive_real",
    "suggest",
]


def suggest(word: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest choice, or ``""`` if none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def real(value: object, name: str) -> float:
    """Check that `value` is a real number (not a bool, not a string) and return it as float."""
    if isinstance(value, bool) or not isinstance(value, Real | np.floating | np.integer):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}: {value!r}")
    return float(value)


def positive_real(value: object, name: str) -> float:
    """Check that `value` is a finite number > 0."""
    number = real(value, name)
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {number!r}")
    return number


def nonnegative_real(value: object, name: str) -> float:
    """Check that `value` is a finite number >= 0."""
    number = real(value, name)
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {number!r}")
    return number


def positive_int(value: object, name: str, *, minimum: int = 1) -> int:
    """Check that `value` is an integer >= `minimum`."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}: {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def finite_pair(value: object, name: str) -> tuple[float, float]:
    """Check that `value` is a pair of finite numbers, such as a start point (w0, b0)."""
    try:
        items = list(value)  # type: ignore[call-overload]
    except TypeError:
        raise TypeError(f"{name} must be a pair of numbers (w, b), got {value!r}") from None
    if len(items) != 2:
        raise ValueError(f"{name} must be a pair of numbers (w, b), got {len(items)} values")
    pair = (real(items[0], f"{name}[0]"), real(items[1], f"{name}[1]"))
    if not all(math.isfinite(coordinate) for coordinate in pair):
        raise ValueError(f"{name} must be finite, got {pair}")
    return pair


def finite_range(value: object, name: str) -> tuple[float, float]:
    """Check that `value` is an increasing pair of finite numbers (lo, hi)."""
    lo, hi = finite_pair(value, name)
    if not lo < hi:
        raise ValueError(f"{name} must be (low, high) with low < high, got {(lo, hi)}")
    return lo, hi


def finite_array(value: object, name: str) -> np.ndarray:
    """Convert `value` to a non-empty 1-D float array and check that every entry is finite."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a sequence of numbers, got {value!r}") from None
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty: give at least one data point")
    bad = np.flatnonzero(~np.isfinite(arr))
    if bad.size:
        raise ValueError(
            f"{name} holds a non-finite value ({arr[bad[0]]}) at index {bad[0]}"
            f"{f' and {bad.size - 1} more' if bad.size > 1 else ''}: "
            "remove or fix those data points"
        )
    return arr


def point_array(value: object, name: str = "points") -> np.ndarray:
    """Convert `value` to a float array of (w, b) pairs, shape (..., 2), all finite."""
    try:
        pts = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of (w, b) pairs, got {value!r}") from None
    if pts.ndim == 0 or pts.shape[-1] != 2:
        raise ValueError(f"{name} must have shape (..., 2), got {pts.shape}")
    if not np.isfinite(pts).all():
        raise ValueError(f"{name} must be finite")
    return pts
