"""Curvature along a path: the Hessian's eigen-directions and what each step does along them.

Near a point θ the loss is, to second order, ``l(θ + d) ≈ l(θ) + ∇l·d + ½ dᵀHd``. The Hessian's
eigenvectors are the directions of least and greatest curvature (the axes of the local level-line
ellipse), its eigenvalues the curvatures. On a quadratic bowl a gradient step multiplies the
distance to the minimum along eigenvector i by ``1 − η λᵢ``: along the steep direction with
η λmax > 1 that factor is negative, the step overshoots and the path zig-zags; it diverges once
η λmax > 2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gdmath._validate import point_array
from gdmath.descent import Trajectory
from gdmath.problem import Problem

__all__ = ["CurvatureAlongPath", "curvature_along", "hessian_eigen"]


def hessian_eigen(problem: Problem, points: object) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues and eigenvectors of the exact Hessian at many points at once.

    Parameters
    ----------
    problem : Problem
        The loss.
    points : array_like, shape (..., 2)
        (w, b) pairs in the last axis, such as ``Trajectory.points``; finite.

    Returns
    -------
    eigenvalues : ndarray, shape (..., 2)
        Ascending: ``[..., 0]`` is the smallest curvature (the shallow direction), ``[..., 1]``
        the largest (the steep direction).
    eigenvectors : ndarray, shape (..., 2, 2)
        Unit eigenvectors in the columns, ``[..., :, i]`` for eigenvalue ``[..., i]``, as
        ``np.linalg.eigh`` returns them, but with a fixed sign: each has a positive w-component,
        or a positive b-component when its w-component is 0. A direction drawn along a path then
        never flips by 180° from one point to the next.

    Examples
    --------
    >>> p = Problem([0.0, 1.0], [1.0, 3.0])
    >>> lam, vec = hessian_eigen(p, [[0.0, 0.0]])
    >>> lam.round(4).tolist()
    [[0.7639, 5.2361]]
    >>> vec[0, :, 1].round(4).tolist()
    [0.5257, 0.8507]
    """
    if not isinstance(problem, Problem):
        raise TypeError(f"problem must be a gdmath.Problem, got {type(problem).__name__}")
    pts = point_array(points)
    lam, vec = np.linalg.eigh(problem.hessian(pts[..., 0], pts[..., 1]))
    w_part, b_part = vec[..., 0, :], vec[..., 1, :]
    flip = (w_part < 0) | ((w_part == 0) & (b_part < 0))
    vec = np.where(flip[..., None, :], -vec, vec)
    return lam, vec


@dataclass(frozen=True)
class CurvatureAlongPath:
    """The Hessian's eigen-decomposition at every iterate of a trajectory.

    Attributes
    ----------
    eigenvalues : ndarray, shape (k + 1, 2)
        Curvatures at each iterate, ascending (shallow, steep).
    eigenvectors : ndarray, shape (k + 1, 2, 2)
        Unit eigenvectors in the columns (see `hessian_eigen` for the sign).
    step_components : ndarray, shape (k, 2)
        Step t (θₜ₊₁ − θₜ) written in the eigenbasis at θₜ: column 0 along the shallow
        direction, column 1 along the steep one. Their squares add up to the squared step length.
    factors : ndarray, shape (k + 1, 2)
        ``1 − η λ`` for each eigenvalue: on a quadratic bowl, what one step multiplies the
        distance to the minimum by along that direction (negative: it overshoots).
    learning_rate : float
        η of the trajectory.
    """

    eigenvalues: np.ndarray
    eigenvectors: np.ndarray
    step_components: np.ndarray
    factors: np.ndarray
    learning_rate: float

    @property
    def steep_share(self) -> np.ndarray:
        """Fraction of each step's squared length along the steep direction, shape (k,)."""
        squared = self.step_components**2
        total = squared.sum(axis=1)
        out = np.zeros_like(total)
        np.divide(squared[:, 1], total, out=out, where=total > 0)
        return out


def curvature_along(problem: Problem, trajectory: Trajectory) -> CurvatureAlongPath:
    """Eigen-directions of the Hessian along `trajectory` and each step's components in them.

    Parameters
    ----------
    problem : Problem
        The loss the trajectory descended.
    trajectory : Trajectory
        From `gdmath.descend`.

    Returns
    -------
    CurvatureAlongPath

    Examples
    --------
    >>> from gdmath.descent import descend
    >>> p = Problem([0.0, 1.0], [1.0, 3.0])
    >>> c = curvature_along(p, descend(p, (0.0, 0.0), 0.3, 3))
    >>> c.factors[0].round(4).tolist()
    [0.7708, -0.5708]
    """
    if not isinstance(trajectory, Trajectory):
        raise TypeError(
            f"trajectory must be a gdmath.Trajectory, got {type(trajectory).__name__}"
        )
    lam, vec = hessian_eigen(problem, trajectory.points)
    steps = trajectory.steps
    # Component i of step t is v_i(θₜ) · (θₜ₊₁ − θₜ).
    comps = np.einsum("tji,tj->ti", vec[:-1], steps)
    factors = 1.0 - trajectory.learning_rate * lam
    for array in (lam, vec, comps, factors):
        array.setflags(write=False)
    return CurvatureAlongPath(
        eigenvalues=lam,
        eigenvectors=vec,
        step_components=comps,
        factors=factors,
        learning_rate=trajectory.learning_rate,
    )
