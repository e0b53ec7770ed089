"""Named problems that tell good stories, each with a start, a step size and a view.

A `Scenario` bundles everything a video needs: the problem, where descent starts, η, the number
of steps and the (w, b) window that contains the whole path.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from gdmath._validate import (
    finite_pair,
    finite_range,
    nonnegative_real,
    positive_int,
    positive_real,
    suggest,
)
from gdmath.data import make_dataset
from gdmath.descent import Minimum, Trajectory, critical_learning_rate, descend, minimum
from gdmath.diagnosis import Diagnosis, diagnose
from gdmath.landscape import Standardization, verified_minimum
from gdmath.problem import Problem
from gdmath.surface import LossSurface, loss_surface

__all__ = ["DEFAULT_PRESET", "PRESETS", "Scenario", "get_preset"]


@dataclass(frozen=True, eq=False)
class Scenario:
    """A problem with a start point, a step size and a view window.

    Attributes
    ----------
    name : str
        Short identifier (the preset name, or ``"custom"`` for a config).
    title : str
        One line for humans.
    problem : Problem
        Data and model.
    start : (float, float)
        (w₀, b₀).
    learning_rate : float
        η.
    steps : int
        Number of descent steps.
    w_range, b_range : (float, float)
        The view window; presets guarantee it contains the whole trajectory.
    tol : float
        Convergence tolerance on |∇l| passed to `descend`.
    standardization : Standardization or None
        Set when the problem was fitted in standardised x (``[data] standardize = true``):
        ``problem.x`` holds u = (x − mean)/std, and ``standardization.invert(problem.x)`` the
        original x, for a data panel in the original units.
    """

    name: str
    title: str
    problem: Problem
    start: tuple[float, float]
    learning_rate: float
    steps: int
    w_range: tuple[float, float]
    b_range: tuple[float, float]
    tol: float = 0.0
    standardization: Standardization | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.problem, Problem):
            raise TypeError(f"problem must be a gdmath.Problem, got {type(self.problem).__name__}")
        object.__setattr__(self, "start", finite_pair(self.start, "start"))
        object.__setattr__(self, "learning_rate",
                           positive_real(self.learning_rate, "learning_rate"))
        object.__setattr__(self, "steps", positive_int(self.steps, "steps", minimum=0))
        object.__setattr__(self, "w_range", finite_range(self.w_range, "w_range"))
        object.__setattr__(self, "b_range", finite_range(self.b_range, "b_range"))
        object.__setattr__(self, "tol", nonnegative_real(self.tol, "tol"))

    def with_(self, **changes: object) -> Scenario:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    @cached_property
    def trajectory(self) -> Trajectory:
        """The gradient-descent path (computed once)."""
        return descend(self.problem, self.start, self.learning_rate, self.steps, tol=self.tol)

    @cached_property
    def diagnosis(self) -> Diagnosis:
        """What the landscape and this descent really are (`gdmath.diagnose`, computed once).

        ``diagnosis.minimum`` is None when there is no verified minimum; only then is there no
        valley floor to show, and ``diagnosis.reason`` says why.
        """
        return diagnose(self.problem, self.trajectory)

    @cached_property
    def minimum(self) -> Minimum:
        """The minimum the descent heads for.

        The local minimum searched from the path's last point when that passes the tests of a
        strict minimum; else the verified global minimum of `diagnosis`; else (there is none)
        the unverified point that search reached. Check ``diagnosis.has_valley_floor`` before
        calling it a valley floor.
        """
        t = self.trajectory
        local = minimum(self.problem, (t.w[-1], t.b[-1]))
        if not t.diverged and verified_minimum(self.problem, local.w, local.b) is not None:
            return local
        return self.diagnosis.minimum or local

    @cached_property
    def critical_learning_rate(self) -> float:
        """2/λmax of the Hessian at the minimum."""
        return critical_learning_rate(self.problem, self.minimum.point)

    def surface(self, resolution: int | tuple[int, int] = 101) -> LossSurface:
        """The loss on the view window."""
        return loss_surface(self.problem, self.w_range, self.b_range, resolution)


def _valley() -> Scenario:
    # The seed's picture: a linear neuron on inputs around the origin gives a moderately tilted
    # bowl (condition number ≈ 7). At 45% of the critical rate every step heads straight down the
    # slope; the path bends from the valley wall onto the floor and the steps visibly shrink.
    data = make_dataset(1.5, -1.0, "identity", n=10, noise=0.3, seed=1, x_range=(-0.5, 2.5))
    return Scenario(
        name="valley",
        title="One neuron, two parameters: down into the valley",
        problem=Problem(data.x, data.y, "identity"),
        start=(-0.5, 2.5),
        learning_rate=0.018,
        steps=30,
        w_range=(-1.5, 3.5),
        b_range=(-2.5, 3.0),
    )


def _bend() -> Scenario:
    # Points close to y = x + 1.5, with one far input (x = 3): Σx² ≫ n makes the bowl steep
    # across w and shallow along its tilted axis (λ = 7.3 and 22.5). From (-1, 2) the steepest
    # way down first crosses the steep wall almost level, then turns by about 75° within a few
    # steps onto the valley axis: the steepest way down is not the straight way to the floor.
    # η = 0.03 is a third of the critical 2/λmax = 0.089, so no zig-zag; 38 steps reach |∇l| < tol.
    return Scenario(
        name="bend",
        title="One neuron, two parameters: the steepest way is not the straight way",
        problem=Problem([-0.5, -0.4, 0.1, 0.7, 3.0], [1.01, 1.04, 1.6, 2.1, 4.97], "identity"),
        start=(-1.0, 2.0),
        learning_rate=0.03,
        steps=40,
        w_range=(-1.5, 2.0),
        b_range=(0.0, 3.0),
        tol=1e-3,
    )


def _bowl() -> Scenario:
    # Inputs all on one side of 0 correlate w and b: a long, tilted valley (condition number ≈ 12)
    # where η at 85% of the critical rate zig-zags across the floor.
    data = make_dataset(1.5, -1.0, "identity", n=10, noise=0.3, seed=1, x_range=(0.0, 2.0))
    return Scenario(
        name="bowl",
        title="Linear regression: an elongated bowl",
        problem=Problem(data.x, data.y, "identity"),
        start=(3.5, 1.5),
        learning_rate=0.038,
        steps=30,
        w_range=(-1.0, 4.0),
        b_range=(-2.5, 2.0),
    )


def _plateau() -> Scenario:
    # At (-2, -4.5) the sigmoid is ~0 on every input: |∇l| is under 1% of its largest value in
    # the view, so the ball crawls for ~15 steps, then finds the slope and drops into the valley.
    data = make_dataset(3.0, -1.5, "sigmoid", n=10, noise=0.05, seed=2, x_range=(-1.0, 2.0))
    return Scenario(
        name="plateau",
        title="A sigmoid neuron: plateau, then the valley",
        problem=Problem(data.x, data.y, "sigmoid"),
        start=(-2.0, -4.5),
        learning_rate=2.0,
        steps=60,
        w_range=(-3.5, 5.5),
        b_range=(-5.5, 1.5),
    )


def _two_basins() -> Scenario:
    # Four points that no single sigmoid fits: a global valley near (0.7, -0.2) and a second,
    # higher basin near (3.5, 2.1), separated by a ridge. From (3, -2.5) the path detours down
    # to the global floor; starting at (2.5, 0.5) (see `two_basins_other_start`) it ends in the
    # other basin.
    x = np.array([1.8, 2.5, -1.4, 0.2])
    y = np.array([0.05, 0.95, 0.05, 0.95])
    return Scenario(
        name="two-basins",
        title="A sigmoid neuron with two basins and a ridge",
        problem=Problem(x, y, "sigmoid"),
        start=(3.0, -2.5),
        learning_rate=1.0,
        steps=60,
        w_range=(-1.5, 5.0),
        b_range=(-3.0, 3.5),
    )


def _detour() -> Scenario:
    # Five points no single tanh fits: both ends low, the middle high. The best compromise is a
    # nearly flat fit at (0.00, -0.19); between it and the start (2, 0.5) a shoulder of the
    # landscape stands higher than the start (by 0.27 on the straight segment), and the exact
    # path turns by 149° around it: first up in b, then back down to the floor. η is 61 % of the
    # critical 2/λmax along the path, so the loss falls on every one of its 249 small steps.
    x = np.array([-1.7, 2.0, -1.9, -0.1, 0.0])
    y = np.array([-0.75, -0.95, -0.55, 0.55, 0.75])
    return Scenario(
        name="detour",
        title="A tanh neuron: the path goes around a hill",
        problem=Problem(x, y, "tanh"),
        start=(2.0, 0.5),
        learning_rate=0.05,
        steps=300,
        w_range=(-0.8, 2.8),
        b_range=(-1.2, 1.8),
        tol=1e-4,
    )


PRESETS: dict[str, Scenario] = {
    scenario.name: scenario
    for scenario in (_bend(), _valley(), _bowl(), _plateau(), _two_basins(), _detour())
}
DEFAULT_PRESET = "bend"


def get_preset(name: str) -> Scenario:
    """Return the preset called `name`; an unknown name raises ValueError listing the choices."""
    if not isinstance(name, str):
        raise TypeError(f"preset must be a string, got {type(name).__name__}: {name!r}")
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(
            f"unknown preset {name!r}{suggest(name, PRESETS)}; choose one of "
            f"{', '.join(map(repr, PRESETS))}"
        ) from None
