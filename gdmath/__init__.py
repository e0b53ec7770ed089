"""gdmath: the exact mathematics of gradient descent on a one-neuron network.

The model is y = φ(w·x + b) and the loss l(w, b) = Σᵢ (φ(w·xᵢ + b) − yᵢ)². Everything here is plain
numpy/scipy: the videos in ``scenes/`` only draw what this package computes, and this package never
imports manim.

Examples
--------
>>> import gdmath
>>> p = gdmath.Problem([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
>>> t = gdmath.descend(p, start=(0.0, 0.0), learning_rate=0.05, steps=200)
>>> round(float(t.w[-1]), 3), round(float(t.b[-1]), 3)
(2.0, 1.0)
"""

from gdmath.activations import ACTIVATIONS, Activation, get_activation
from gdmath.band import band_mesh, polyline_distance
from gdmath.basins import Basins, basins, critical_learning_rates
from gdmath.config import (
    MAX_STEPS,
    Config,
    ConfigError,
    auto_view,
    load_config,
    parse_config,
)
from gdmath.curvature import CurvatureAlongPath, curvature_along, hessian_eigen
from gdmath.data import DATASETS, Dataset, NamedDataset, load_csv, load_dataset, make_dataset
from gdmath.descent import (
    Flow,
    Minimum,
    Trajectory,
    check_gradient,
    critical_learning_rate,
    descend,
    gradient_flow,
    minimum,
)
from gdmath.diagnosis import (
    AUTO_FRACTION,
    AUTO_STEPS_CAP,
    CODES,
    ILL_CONDITIONED,
    Diagnosis,
    Suggestion,
    auto_learning_rate,
    auto_steps,
    diagnose,
)
from gdmath.heading import heading_change
from gdmath.landscape import Landscape, Standardization, find_minimum, verified_minimum
from gdmath.mesh import SurfaceMesh, surface_mesh
from gdmath.optimizers import OPTIMIZERS, Optimizer, make_optimizer
from gdmath.presets import DEFAULT_PRESET, PRESETS, Scenario, get_preset
from gdmath.problem import LOSSES, Problem
from gdmath.surface import (
    ContourLevel,
    LossSurface,
    auto_levels,
    contour_lines,
    level_line_through,
    loss_surface,
)

__all__ = [
    "ACTIVATIONS",
    "AUTO_FRACTION",
    "AUTO_STEPS_CAP",
    "CODES",
    "DATASETS",
    "DEFAULT_PRESET",
    "ILL_CONDITIONED",
    "LOSSES",
    "MAX_STEPS",
    "OPTIMIZERS",
    "PRESETS",
    "Activation",
    "Basins",
    "Config",
    "ConfigError",
    "ContourLevel",
    "CurvatureAlongPath",
    "Dataset",
    "Diagnosis",
    "Flow",
    "Landscape",
    "LossSurface",
    "Minimum",
    "NamedDataset",
    "Optimizer",
    "Problem",
    "Scenario",
    "Standardization",
    "Suggestion",
    "SurfaceMesh",
    "Trajectory",
    "auto_learning_rate",
    "auto_levels",
    "auto_steps",
    "auto_view",
    "band_mesh",
    "basins",
    "check_gradient",
    "contour_lines",
    "critical_learning_rate",
    "critical_learning_rates",
    "curvature_along",
    "descend",
    "diagnose",
    "find_minimum",
    "get_activation",
    "get_preset",
    "gradient_flow",
    "heading_change",
    "hessian_eigen",
    "level_line_through",
    "load_config",
    "load_csv",
    "load_dataset",
    "loss_surface",
    "make_dataset",
    "make_optimizer",
    "minimum",
    "parse_config",
    "polyline_distance",
    "surface_mesh",
    "verified_minimum",
]
__version__ = "0.1.0"
