"""The loss surface on a grid, its contour lines, and level spacing that shows the valley floor."""

from __future__ import annotations

from dataclasses import dataclass

import contourpy
import numpy as np
from scipy import integrate

from gdmath._validate import finite_pair, finite_range, positive_int, suggest
from gdmath.problem import Problem

__all__ = [
    "ContourLevel",
    "LossSurface",
    "auto_levels",
    "contour_lines",
    "level_line_through",
    "loss_surface",
]

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
        n_w, n_b = (positive_int(count, "resolution", minimum=2) for count in resolution)
    else:
        n_w = n_b = positive_int(resolution, "resolution", minimum=2)
    w = np.linspace(w_lo, w_hi, n_w)
    b = np.linspace(b_lo, b_hi, n_b)
    L = np.asarray(problem.loss(w[None, :], b[:, None]))
    for array in (w, b, L):
        array.setflags(write=False)
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
        segs = [np.asarray(segment, dtype=float) for segment in gen.lines(float(level))
                if len(segment) >= 2]
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


def level_line_through(
    problem: Problem,
    point: tuple[float, float],
    w_range: tuple[float, float],
    b_range: tuple[float, float],
    *,
    n_points: int = 2001,
) -> ContourLevel:
    """Trace the level line l = l(point) through `point`, exactly, inside a window.

    Grid contours (`contour_lines`) place their vertices on grid edges, so the direction of a
    polyline near a given point is only as good as the grid. Here the iso-line is integrated
    from the point itself along the unit tangent field ``(−∂l/∂b, ∂l/∂w) / |∇l|`` with tight
    tolerances (``solve_ivp``), in both directions until it leaves the window, or once round if
    it closes. The samples are evenly spaced in arc length and `point` is one of them, with its
    neighbours symmetric about it, so the chord through those neighbours is the tangent at
    `point` to second order.

    Parameters
    ----------
    problem : Problem
        The loss.
    point : (float, float)
        (w, b) on the line; the gradient there must not vanish.
    w_range, b_range : (float, float)
        The window the line is traced in.
    n_points : int
        Number of samples along the traced line.

    Returns
    -------
    ContourLevel
        One segment of shape (k, 2) with `point` as an interior vertex (a closed loop repeats
        its first point at the end); no segment when the gradient vanishes at `point`.
    """
    w0, b0 = finite_pair(point, "point")
    (w_lo, w_hi), (b_lo, b_hi) = finite_range(w_range, "w_range"), finite_range(b_range, "b_range")
    n_points = positive_int(n_points, "n_points", minimum=5)
    level = float(problem.loss(w0, b0))
    start_grad = float(np.hypot(*problem.gradient(w0, b0)))
    if start_grad == 0.0:
        return ContourLevel(level=level, segments=[])
    tracer = _LevelTracer(problem, np.array([w0, b0]), (w_lo, w_hi, b_lo, b_hi), start_grad)
    fwd, s_fwd, closed = tracer.trace(1.0)
    if closed:
        arc = np.linspace(0.0, s_fwd, n_points)
        ring = fwd(arc).T[:-1]
        ring[0] = (w0, b0)
        # Start the loop half-way round, so that `point` is an interior vertex whose neighbours
        # are symmetric about it (a chord through them is then its tangent).
        ring = np.roll(ring, ring.shape[0] // 2, axis=0)
        return ContourLevel(level=level, segments=[np.vstack([ring, ring[:1]])])
    bwd, s_bwd = tracer.trace(-1.0)[:2]
    arc_step = (s_fwd + s_bwd) / (n_points - 1)
    s_f = np.arange(0.0, s_fwd + 0.5 * arc_step, arc_step)
    s_b = np.arange(arc_step, s_bwd + 0.5 * arc_step, arc_step)
    pts = np.vstack([bwd(s_b).T[::-1], fwd(s_f).T])
    return ContourLevel(level=level, segments=[pts])


class _LevelTracer:
    """Integrates the unit tangent field of the level line through `origin`, inside a window."""

    def __init__(self, problem: Problem, origin: np.ndarray, window: tuple[float, ...],
                 start_grad: float) -> None:
        self.problem, self.origin, self.window = problem, origin, window
        w_lo, w_hi, b_lo, b_hi = window
        self.span = max(w_hi - w_lo, b_hi - b_lo)
        self.max_length = 8.0 * self.span  # longer than any closed line or crossing of the window
        self.close_tol = 1e-6 * self.span
        self.min_grad = 1e-12 * start_grad
        self.start_tangent = self.tangent(0.0, origin)

        def leave(_arc: float, theta: np.ndarray) -> float:
            return min(theta[0] - w_lo, w_hi - theta[0], theta[1] - b_lo, b_hi - theta[1])

        def cross(arc: float, theta: np.ndarray) -> float:
            # Signed distance past the normal line through the start, along the start's tangent:
            # a closed line comes back through the start from behind (negative to positive).
            # Unarmed (positive) while the line is still leaving the start.
            armed = arc > 100 * self.close_tol
            return float((theta - origin) @ self.start_tangent) if armed else 1.0

        leave.terminal = True
        cross.direction = 1.0  # not terminal: a non-convex line may cross the normal line again
        self.events = [leave, cross]

    def tangent(self, _arc: float, theta: np.ndarray) -> np.ndarray:
        """The unit tangent (−∂l/∂b, ∂l/∂w) / |∇l| at `th`."""
        gw, gb = self.problem.gradient(theta[0], theta[1])
        norm = np.hypot(gw, gb)
        return np.array([-gb, gw]) / max(norm, self.min_grad)

    def trace(self, sign: float) -> tuple[object, float, bool]:
        """Follow the line in direction `sign`: (dense path of arc length, its length, closed)."""
        pieces: list[tuple[float, float, object]] = []
        w0, b0 = self.origin
        arc_start, state = 0.0, self.origin
        chunk = 2.0 * self.span
        while arc_start < self.max_length:
            sol = integrate.solve_ivp(
                lambda arc, theta: sign * self.tangent(arc, theta),
                (arc_start, min(arc_start + chunk, self.max_length)),
                state, events=self.events, dense_output=True, rtol=1e-10, atol=1e-12 * self.span,
            )
            home = [event_arc for event_arc, event_state
                    in zip(sol.t_events[1], sol.y_events[1], strict=True)
                    if np.hypot(event_state[0] - w0, event_state[1] - b0) < self.close_tol]
            if home:
                pieces.append((arc_start, float(home[0]), sol.sol))
                return _join(pieces), float(home[0]), True
            pieces.append((arc_start, float(sol.t[-1]), sol.sol))
            arc_start, state = float(sol.t[-1]), sol.y[:, -1]
            if sol.status != 0 or len(sol.t_events[0]):
                break  # left the window, or the solver failed
        return _join(pieces), arc_start, False


def _join(pieces: list[tuple[float, float, object]]):
    """One function of arc length from the dense outputs of consecutive solver runs."""
    def dense(arc: np.ndarray) -> np.ndarray:
        arc = np.clip(arc, pieces[0][0], pieces[-1][1])
        out = np.empty((2, arc.size))
        for lo, hi, piece in pieces:
            sel = (arc >= lo) & (arc <= hi)
            out[:, sel] = piece(arc[sel])
        return out

    return dense
