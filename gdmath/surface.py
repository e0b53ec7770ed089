"""The loss surface on a grid, its contour lines, and level spacing that shows the valley floor."""

from __future__ import annotations

from dataclasses import dataclass

import contourpy
import numpy as np

from gdmath._validate import finite_range, positive_int, suggest
from gdmath.problem import Problem

__all__ = ["ContourLevel", "LossSurface", "auto_levels", "contour_lines", "loss_surface"]

LEVEL_SPACINGS = ("quadratic", "log", "linear")


@dataclass(frozen=True)
class LossSurface:
    """The loss sampled on a regular (w, b) grid.

    Attributes
    ----------
    w : ndarray, shape (nw,)
        Grid values of w, increasing.
    b : ndarray, shape (nb,)
        Grid values of b, increasing.
    L : ndarray, shape (nb, nw)
        ``L[j, i] = l(w[i], b[j])`` (rows follow b, columns follow w, as contourpy expects).
    """

    w: np.ndarray
    b: np.ndarray
    L: np.ndarray

    @property
    def W(self) -> np.ndarray:
        """W at every grid node, shape (nb, nw)."""
        return np.broadcast_to(self.w, self.L.shape)

    @property
    def B(self) -> np.ndarray:
        """B at every grid node, shape (nb, nw)."""
        return np.broadcast_to(self.b[:, None], self.L.shape)

    @property
    def w_range(self) -> tuple[float, float]:
        """(w_min, w_max) of the grid."""
        return float(self.w[0]), float(self.w[-1])

    @property
    def b_range(self) -> tuple[float, float]:
        """(b_min, b_max) of the grid."""
        return float(self.b[0]), float(self.b[-1])


def loss_surface(
    problem: Problem,
    w_range: tuple[float, float],
    b_range: tuple[float, float],
    resolution: int | tuple[int, int] = 101,
) -> LossSurface:
    """Evaluate the loss on a regular grid.

    Parameters
    ----------
    problem : Problem
        The loss.
    w_range, b_range : (float, float)
        Closed intervals of the grid.
    resolution : int or (int, int)
        Number of nodes along w and b (both ≥ 2); one int for both.

    Notes
    -----
    Vectorized over the grid and processed in chunks (see `Problem.loss`), so a 1001×1001 grid
    over hundreds of training points needs a few hundred MB at most.
    """
    w_lo, w_hi = finite_range(w_range, "w_range")
    b_lo, b_hi = finite_range(b_range, "b_range")
    if isinstance(resolution, tuple | list):
        if len(resolution) != 2:
            raise ValueError(f"resolution must be an int or a pair (nw, nb), got {resolution!r}")
        nw, nb = (positive_int(r, "resolution", minimum=2) for r in resolution)
    else:
        nw = nb = positive_int(resolution, "resolution", minimum=2)
    w = np.linspace(w_lo, w_hi, nw)
    b = np.linspace(b_lo, b_hi, nb)
    L = np.asarray(problem.loss(w[None, :], b[:, None]))
    for a in (w, b, L):
        a.setflags(write=False)
    return LossSurface(w=w, b=b, L=L)


@dataclass(frozen=True)
class ContourLevel:
    """All the pieces of one level line.

    Attributes
    ----------
    level : float
        The loss value on the line.
    segments : list of ndarray, each of shape (k, 2)
        Polylines of (w, b) points; a closed loop repeats its first point at the end.
    """

    level: float
    segments: list[np.ndarray]


def contour_lines(surface: LossSurface, levels: object) -> list[ContourLevel]:
    """Iso-lines of the surface at the given levels, traced by contourpy.

    Parameters
    ----------
    surface : LossSurface
        The grid to contour.
    levels : array_like of float
        Loss values.

    Returns
    -------
    list of ContourLevel
        One per level, in the order given (a level outside the surface's range has no segments).
    """
    gen = contourpy.contour_generator(
        x=surface.w, y=surface.b, z=surface.L, line_type=contourpy.LineType.Separate
    )
    out = []
    for level in np.atleast_1d(np.asarray(levels, dtype=float)):
        segs = [np.asarray(s, dtype=float) for s in gen.lines(float(level)) if len(s) >= 2]
        out.append(ContourLevel(level=float(level), segments=segs))
    return out


def auto_levels(
    surface: LossSurface, n: int = 12, *, spacing: str = "quadratic", upper_quantile: float = 0.9
) -> np.ndarray:
    """Choose `n` contour levels that show the valley floor in detail.

    Evenly spaced levels from min to max leave the floor empty, because the corners of the view
    are far higher than the valley. Here the top level is a quantile of the surface (robust to
    the corners) and levels crowd towards the minimum:

    - ``"quadratic"`` (default): ``l_min + Δ·(k/n)²``. For a quadratic bowl the level lines
      are then evenly spaced ellipses, the way a hand-drawn contour map looks.
    - ``"log"``: ``l_min + Δ·r^k``, geometric, for landscapes spanning many orders of magnitude.
    - ``"linear"``: even spacing up to the quantile.

    Returns
    -------
    ndarray, shape (n,)
        Strictly increasing levels, all above the grid minimum.
    """
    n = positive_int(n, "n")
    if spacing not in LEVEL_SPACINGS:
        raise ValueError(
            f"unknown spacing {spacing!r}{suggest(spacing, LEVEL_SPACINGS)}; choose one of "
            f"{', '.join(map(repr, LEVEL_SPACINGS))}"
        )
    if not 0 < upper_quantile <= 1:
        raise ValueError(f"upper_quantile must be in (0, 1], got {upper_quantile}")
    lmin = float(np.min(surface.L))
    span = float(np.quantile(surface.L, upper_quantile)) - lmin
    if not span > 0:
        span = float(np.max(surface.L)) - lmin or 1.0
    k = np.arange(1, n + 1, dtype=float)
    if spacing == "quadratic":
        frac = (k / n) ** 2
    elif spacing == "log":
        frac = np.geomspace(1e-3, 1.0, n)
    else:
        frac = k / n
    return lmin + span * frac
