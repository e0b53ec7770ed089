"""gdmath.band_mesh: the surface within a radius of a path, its edge exactly at the radius."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import gdmath


def brute_distance(points: np.ndarray, path: np.ndarray) -> np.ndarray:
    """Distance to the polyline by sampling each segment densely."""
    shares = np.linspace(0.0, 1.0, 4001)[:, None]
    dense = np.vstack([start + shares * (end - start)
                       for start, end in itertools.pairwise(path)])
    return np.array([np.hypot(*(dense - point).T).min() for point in points])


def test_polyline_distance_matches_a_dense_sampling() -> None:
    rng = np.random.default_rng(3)
    path = np.array([[0.0, 0.0], [1.0, 0.2], [1.0, 0.2], [1.5, 1.5], [0.2, 1.0]])
    points = rng.uniform(-1.0, 2.5, size=(200, 2))
    np.testing.assert_allclose(gdmath.polyline_distance(points, path),
                               brute_distance(points, path), atol=1e-3)
    single = gdmath.polyline_distance(points, path[:1])
    np.testing.assert_allclose(single, np.hypot(*points.T))


@pytest.mark.parametrize("name", ["bend", "plateau", "two-basins"])
def test_band_edge_lies_at_the_radius(name: str) -> None:
    scenario = gdmath.get_preset(name)
    traj = scenario.trajectory
    path = np.column_stack([traj.w, traj.b])[: max(traj.n_steps // 2, 2)]
    radius = 0.08 * max(np.ptp(scenario.w_range), np.ptp(scenario.b_range))
    mesh = gdmath.surface_mesh(scenario.problem, scenario.w_range, scenario.b_range, 121,
                               ceiling=float(np.quantile(traj.loss, 0.9)) * 3)
    band = gdmath.band_mesh(mesh, scenario.problem, path, radius)
    visible = band.visible
    assert visible.any() and not (visible & ~mesh.visible).any()
    corner = np.zeros(band.L.shape, dtype=bool)
    for drow in (0, 1):
        for dcol in (0, 1):
            corner[drow:drow + visible.shape[0], dcol:dcol + visible.shape[1]] |= visible
    # The drawn nodes are within the radius, on the loss (capped at the ceiling).
    distance = gdmath.polyline_distance(np.column_stack([band.w[corner], band.b[corner]]), path)
    assert distance.max() <= radius * (1 + 1e-3)
    np.testing.assert_allclose(
        band.L[corner], np.minimum(scenario.problem.loss(band.w[corner], band.b[corner]),
                                   mesh.ceiling), rtol=1e-9)
    # The moved nodes lie on the curve at the radius: the band's edge is smooth.
    rim = band.rim & corner
    assert rim.sum() > 20
    edge = gdmath.polyline_distance(np.column_stack([band.w[rim], band.b[rim]]), path)
    assert np.abs(edge / radius - 1).max() < 1e-3
    # Every node well inside the band is drawn: the band has no holes.
    nodes = np.column_stack([mesh.w.ravel(), mesh.b.ravel()])
    deep = (gdmath.polyline_distance(nodes, path) < 0.5 * radius).reshape(mesh.L.shape)
    assert (corner | ~deep | ~_mesh_corner(mesh.visible)).all()
    # Given the nodes' distances (inf where far), the cut is the same.
    near = gdmath.polyline_distance(nodes, path).reshape(mesh.L.shape)
    known = np.where(near <= 2 * radius, near, np.inf)
    again = gdmath.band_mesh(mesh, scenario.problem, path, radius, known)
    np.testing.assert_array_equal(again.visible, band.visible)
    np.testing.assert_allclose(again.w, band.w)


def _mesh_corner(visible: np.ndarray) -> np.ndarray:
    corner = np.zeros((visible.shape[0] + 1, visible.shape[1] + 1), dtype=bool)
    for drow in (0, 1):
        for dcol in (0, 1):
            corner[drow:drow + visible.shape[0], dcol:dcol + visible.shape[1]] |= visible
    return corner
