"""Axes of the valley and of the maps: box axes, the tick step, scene <-> (w, b, l) coordinates.

Every map has one screen length per unit of w and of b, so that right angles and
eigen-directions on it are true.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from manim import Axes, CoordinateSystem, NumberLine, ThreeDAxes

from scenes.kit.layout import Box

__all__ = [
    "BoxAxes",
    "BoxAxes2D",
    "fit_map_axes",
    "map_axes",
    "scene_points",
    "scene_to_coords",
    "side_unit",
    "tick_step",
    "unit_vectors",
]


def tick_step(span: float, target: int = 5) -> float:
    """A 1-2-5 tick step giving about `target` ticks over `span`."""
    raw = span / target
    magnitude = 10.0 ** math.floor(math.log10(raw))
    return next(multiple * magnitude for multiple in (1.0, 2.0, 5.0, 10.0)
                if raw <= multiple * magnitude)


class _CornerAxes:
    """Axes that meet at the low corner of their box, with a tick at 0 like any other value.

    Stock axes leave out the tick at 0 because they cross there; these cross at the corner.
    """

    @staticmethod
    def _origin_shift(axis_range: Sequence[float]) -> float:
        return float(axis_range[0])

    def _create_axis(self, range_terms: Sequence[float], axis_config: dict[str, Any],
                     length: float) -> NumberLine:
        return super()._create_axis(range_terms, {**axis_config, "exclude_origin_tick": False},
                                    length)


class BoxAxes(_CornerAxes, ThreeDAxes):
    """`ThreeDAxes` whose three axes meet at the low corner of the box (w_min, b_min, l_min).

    Stock axes cross at 0, which for a loss valley runs the w and b axes through the valley floor
    where the surface hides them; from the corner they frame the valley like a plot box.
    """


class BoxAxes2D(_CornerAxes, Axes):
    """`Axes` meeting at (w_min, b_min), like `BoxAxes` seen from above."""


def scene_points(axes: CoordinateSystem, w: object, b: object, l: object = 0.0) -> np.ndarray:  # noqa: E741
    """Scene coordinates of (w, b, l) triples, any broadcastable shapes.

    Returns
    -------
    ndarray, shape (*broadcast shape, 3)
    """
    w_arr, b_arr, l_arr = np.broadcast_arrays(*(np.asarray(value, dtype=float)
                                                for value in (w, b, l)))
    shape = w_arr.shape
    flat = [arr.reshape(-1) for arr in (w_arr, b_arr, l_arr)]
    if isinstance(axes, ThreeDAxes):
        pts = np.asarray(axes.c2p(*flat), dtype=float)
    else:
        pts = np.asarray(axes.c2p(flat[0], flat[1]), dtype=float)
    pts = pts.reshape(3, -1).T
    return pts.reshape(*shape, 3)


def scene_to_coords(axes: ThreeDAxes, points: np.ndarray) -> np.ndarray:
    """(w, b, l) of scene points, shape (k, 3): the inverse of the axes' affine map."""
    origin = np.asarray(axes.c2p(0.0, 0.0, 0.0), dtype=float)
    return np.linalg.solve(unit_vectors(axes).T, (np.atleast_2d(points) - origin).T).T


def unit_vectors(axes: ThreeDAxes) -> np.ndarray:
    """Scene vectors of one unit of w, b and l (rows); the axes map is affine."""
    origin = scene_points(axes, 0.0, 0.0, 0.0)
    return np.stack([scene_points(axes, *basis) - origin for basis in np.eye(3)])



def map_axes(w_range: tuple[float, float], b_range: tuple[float, float], unit: float,
             color: str, *, stroke_width: float = 2.0, ticks: bool = True,
             b_unit: float | None = None) -> BoxAxes2D:
    """W and b axes with `unit` scene units per unit of both, centred on the origin.

    `b_unit` gives b its own scale (stretched axes of a narrow valley); by default it is `unit`.

    The caller moves the axes.
    """
    (w0, w1), (b0, b1) = w_range, b_range
    axes = BoxAxes2D(x_range=(w0, w1, tick_step(w1 - w0)), y_range=(b0, b1, tick_step(b1 - b0)),
                     x_length=unit * (w1 - w0),
                     y_length=(unit if b_unit is None else b_unit) * (b1 - b0), tips=False,
                     axis_config={"color": color, "include_ticks": ticks,
                                  "stroke_width": stroke_width})
    axes.shift(-scene_points(axes, (w0 + w1) / 2, (b0 + b1) / 2))
    return axes


def side_unit(w_range: tuple[float, float], b_range: tuple[float, float], side: float) -> float:
    """Scene units per unit of w and b that make the longer side of the window `side` long."""
    return side / max(w_range[1] - w_range[0], b_range[1] - b_range[0])


def fit_map_axes(w_range: tuple[float, float], b_range: tuple[float, float], box: Box,
                 color: str, stroke_width: float,
                 margins: tuple[float, float, float, float] = (0.12, 0.35, 0.12, 0.4),
                 ) -> BoxAxes2D:
    """`map_axes` as large as fits in `box`, centred in it.

    `margins` (left, right, bottom, top) are kept free inside `box` for the tick marks (left and
    bottom) and the axis names (``w`` right of the w axis, ``b`` above the b axis).
    """
    (w0, w1), (b0, b1) = w_range, b_range
    left, right, bottom, top = margins
    inner = Box(box.left + left, box.right - right, box.bottom + bottom, box.top - top)
    unit = min(inner.width / (w1 - w0), inner.height / (b1 - b0))
    axes = map_axes(w_range, b_range, unit, color, stroke_width=stroke_width)
    return axes.shift(inner.center)
