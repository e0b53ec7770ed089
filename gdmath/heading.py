"""How much a descent path turns: the heading of its steps and the change between them."""

from __future__ import annotations

import numpy as np

from gdmath._validate import real

__all__ = ["heading_change"]


def _wrap(degrees: float) -> float:
    wrapped = float((degrees + 180.0) % 360.0 - 180.0)
    return 180.0 if wrapped == -180.0 else wrapped


def heading_change(w: np.ndarray, b: np.ndarray, fraction: float = 1.0) -> float:
    """The turn (degrees, counter-clockwise positive) from the first step's heading to a later one.

    Parameters
    ----------
    w, b : array_like
        The path's points (w₀, b₀), (w₁, b₁), ...
    fraction : float
        Compare with the step where the path has walked `fraction` of its length (1.0: the last
        step). A turn squeezed into the last tiny steps meets a first→last threshold yet looks
        straight; its heading at 0.8 of the length does not.

    Returns
    -------
    float
        In (-180, 180]; 0.0 for a path with fewer than two moving steps.
    """
    fraction = real(fraction, "fraction")
    if not 0.0 < fraction <= 1.0:
        raise ValueError(f"fraction must be in (0, 1], got {fraction}")
    steps = np.diff(np.column_stack([np.asarray(w, float), np.asarray(b, float)]), axis=0)
    lengths = np.hypot(steps[:, 0], steps[:, 1])
    steps, lengths = steps[lengths > 0], lengths[lengths > 0]
    if len(steps) < 2:
        return 0.0
    heading = np.degrees(np.arctan2(steps[:, 1], steps[:, 0]))
    walked = np.cumsum(lengths)
    k = int(np.argmax(walked >= fraction * walked[-1] * (1 - 1e-12)))
    return _wrap(heading[k] - heading[0])
