"""The update rules of ``torch.optim``, written out in numpy for one start or a whole grid of them.

Each optimizer turns the gradient gₜ at θₜ₋₁ into the next point θₜ, with the names, defaults and
formulas that the PyTorch documentation gives (weight decay, ``maximize`` and the other switches
are left out: they change the loss, not the rule):

``"gd"``
    θₜ = θₜ₋₁ − η gₜ.
``"momentum"`` (``torch.optim.SGD(momentum=μ, dampening=τ)``)
    b₁ = g₁, bₜ = μ bₜ₋₁ + (1 − τ) gₜ; θₜ = θₜ₋₁ − η bₜ.
``"nesterov"`` (``torch.optim.SGD(momentum=μ, nesterov=True)``)
    the same bₜ with τ = 0, and θₜ = θₜ₋₁ − η (gₜ + μ bₜ).
``"rmsprop"`` (``torch.optim.RMSprop(alpha=α, eps=ε)``)
    vₜ = α vₜ₋₁ + (1 − α) gₜ², v₀ = 0; θₜ = θₜ₋₁ − η gₜ / (√vₜ + ε).
``"adam"`` (``torch.optim.Adam(betas=(β₁, β₂), eps=ε)``)
    mₜ = β₁ mₜ₋₁ + (1 − β₁) gₜ, vₜ = β₂ vₜ₋₁ + (1 − β₂) gₜ², m₀ = v₀ = 0;
    m̂ₜ = mₜ / (1 − β₁ᵗ), v̂ₜ = vₜ / (1 − β₂ᵗ); θₜ = θₜ₋₁ − η m̂ₜ / (√v̂ₜ + ε).

Every rule acts on each coordinate separately, so θ can be a pair (w, b) of shape (2,) or a stack
of starts of shape (2, …): `gdmath.basins` runs a whole grid through one optimizer object.

Examples
--------
>>> opt = make_optimizer("momentum", learning_rate=0.1)
>>> opt.hyperparameters["momentum"]
0.9
>>> opt.step([1.0, 1.0], [1.0, -2.0])
array([0.9, 1.2])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar

import numpy as np

from gdmath._validate import finite_pair, positive_real, real, suggest

__all__ = [
    "OPTIMIZERS",
    "Adam",
    "GradientDescent",
    "Momentum",
    "Nesterov",
    "Optimizer",
    "RMSprop",
    "make_optimizer",
]


# ------------------------------------------------------------------ hyperparameter checks
def _unit_interval(value: object, name: str) -> float:
    # μ, α and the β's weigh the past against the present: 1 would never forget (and, for the
    # averages of RMSprop and Adam, never learn), so the range is [0, 1).
    number = real(value, name)
    if not 0.0 <= number < 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {number!r}")
    return number


def _closed_unit_interval(value: object, name: str) -> float:
    number = real(value, name)
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"{name} must be in [0, 1], got {number!r}")
    return number


def _eps(value: object, name: str) -> float:
    # torch allows eps = 0, but then a coordinate whose gradient is exactly 0 (common at a
    # symmetric start) gives 0/0 on the first step.
    return positive_real(value, name)


def _betas(value: object, name: str) -> tuple[float, float]:
    beta1, beta2 = finite_pair(value, name)
    return _unit_interval(beta1, f"{name}[0]"), _unit_interval(beta2, f"{name}[1]")


@dataclass(frozen=True)
class _Hyper:
    default: object
    check: Callable[[object, str], object]


_SPECS: dict[str, dict[str, _Hyper]] = {
    "gd": {},
    "momentum": {
        "momentum": _Hyper(0.9, _unit_interval),
        "dampening": _Hyper(0.0, _closed_unit_interval),
    },
    "nesterov": {"momentum": _Hyper(0.9, _unit_interval)},
    "rmsprop": {"alpha": _Hyper(0.99, _unit_interval), "eps": _Hyper(1e-8, _eps)},
    "adam": {"betas": _Hyper((0.9, 0.999), _betas), "eps": _Hyper(1e-8, _eps)},
}

#: Names accepted by ``descend(..., optimizer=...)`` and `make_optimizer`.
OPTIMIZERS: tuple[str, ...] = tuple(_SPECS)

# Names people bring from torch that mean something else here.
_HINTS = {
    "lr": "the step size is the learning_rate argument",
    "nesterov": "use optimizer='nesterov'",
}


def _check_hyperparameters(optimizer: str, given: Mapping[str, object]) -> dict[str, object]:
    spec = _SPECS[optimizer]
    for key in given:
        if key in spec:
            continue
        takes = (f"it takes {', '.join(map(repr, spec))}" if spec
                 else "it takes no hyperparameters")
        owners = [name for name, other in _SPECS.items() if key in other]
        where = (f"; {key!r} belongs to {', '.join(map(repr, owners))}" if owners
                 else f"; {_HINTS[key]}" if key in _HINTS else "")
        raise ValueError(
            f"optimizer {optimizer!r} has no hyperparameter {key!r}{suggest(key, spec)}: "
            f"{takes}{where}"
        )
    return {key: hyper.check(given.get(key, hyper.default), key) for key, hyper in spec.items()}


# ------------------------------------------------------------------------------ optimizers
class Optimizer:
    """An update rule with its state; `step` maps (θₜ₋₁, gₜ) to θₜ.

    Parameters
    ----------
    learning_rate : float
        η > 0.
    **hyperparameters
        Those of the rule (see `OPTIMIZERS` and the module docstring); missing ones take torch's
        defaults.

    Attributes
    ----------
    name : str
        The key in `OPTIMIZERS`.
    learning_rate : float
        η.
    hyperparameters : Mapping[str, Any]
        Every hyperparameter with its value, defaults included (read-only).
    t : int
        Number of steps taken so far.
    """

    name: ClassVar[str]

    def __init__(self, learning_rate: float, **hyperparameters: object) -> None:
        self.learning_rate = positive_real(learning_rate, "learning_rate")
        self.hyperparameters: Mapping[str, Any] = MappingProxyType(
            _check_hyperparameters(self.name, hyperparameters)
        )
        self.t = 0

    def step(self, theta: object, grad: object) -> np.ndarray:
        """Take one step.

        Parameters
        ----------
        theta, grad : array_like, shape (2, ...)
            The current parameters and the gradient there; the same shape on every call.

        Returns
        -------
        ndarray, same shape
            The new parameters (the inputs are not modified).
        """
        params = np.asarray(theta, dtype=float)
        gradient = np.asarray(grad, dtype=float)
        if params.shape != gradient.shape:
            raise ValueError(f"theta and grad must have the same shape, got {params.shape} and "
                             f"{gradient.shape}")
        self.t += 1
        return self._update(params, gradient)

    def _update(self, theta: np.ndarray, grad: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def __repr__(self) -> str:
        listed = "".join(f", {key}={value!r}" for key, value in self.hyperparameters.items())
        return f"{type(self).__name__}(learning_rate={self.learning_rate!r}{listed})"


class GradientDescent(Optimizer):
    """θₜ = θₜ₋₁ − η gₜ (``torch.optim.SGD`` with its defaults)."""

    name = "gd"

    def _update(self, theta: np.ndarray, grad: np.ndarray) -> np.ndarray:
        return theta - self.learning_rate * grad


class Momentum(Optimizer):
    """Heavy-ball momentum in torch's form: b₁ = g₁, bₜ = μ bₜ₋₁ + (1 − τ) gₜ, θ −= η bₜ.

    torch's μ multiplies a sum of raw gradients (not an average), so on a constant slope the
    step grows to η g / (1 − μ): ten times plain GD's for μ = 0.9.
    """

    name = "momentum"
    _nesterov = False

    def __init__(self, learning_rate: float, **hyperparameters: object) -> None:
        super().__init__(learning_rate, **hyperparameters)
        hyper = self.hyperparameters
        self._mu = float(hyper["momentum"])
        self._damp = float(hyper.get("dampening", 0.0))
        self._buf: np.ndarray | None = None

    def _update(self, theta: np.ndarray, grad: np.ndarray) -> np.ndarray:
        # torch starts the buffer at g₁ itself, not at (1 − τ) g₁.
        if self._buf is None:
            self._buf = grad.copy()
        else:
            self._buf = self._mu * self._buf + (1.0 - self._damp) * grad
        direction = grad + self._mu * self._buf if self._nesterov else self._buf
        return theta - self.learning_rate * direction


class Nesterov(Momentum):
    """Nesterov momentum as torch writes it: the same bₜ, then θ −= η (gₜ + μ bₜ)."""

    name = "nesterov"
    _nesterov = True


class RMSprop(Optimizer):
    """vₜ = α vₜ₋₁ + (1 − α) gₜ², θ −= η gₜ / (√vₜ + ε), v₀ = 0.

    There is no bias correction (as in torch), so the first step has length about
    η / √(1 − α) per coordinate: 10 η for α = 0.99.
    """

    name = "rmsprop"

    def __init__(self, learning_rate: float, **hyperparameters: object) -> None:
        super().__init__(learning_rate, **hyperparameters)
        self._alpha = float(self.hyperparameters["alpha"])
        self._eps = float(self.hyperparameters["eps"])
        self._v: np.ndarray | None = None

    def _update(self, theta: np.ndarray, grad: np.ndarray) -> np.ndarray:
        v = np.zeros_like(grad) if self._v is None else self._v
        self._v = self._alpha * v + (1.0 - self._alpha) * (grad * grad)
        return theta - self.learning_rate * grad / (np.sqrt(self._v) + self._eps)


class Adam(Optimizer):
    """Adam with torch's bias correction: θ −= η m̂ₜ / (√v̂ₜ + ε).

    The first step has length about η per coordinate whatever the size of the gradient.
    """

    name = "adam"

    def __init__(self, learning_rate: float, **hyperparameters: object) -> None:
        super().__init__(learning_rate, **hyperparameters)
        self._beta1, self._beta2 = self.hyperparameters["betas"]
        self._eps = float(self.hyperparameters["eps"])
        self._m: np.ndarray | None = None
        self._v: np.ndarray | None = None

    def _update(self, theta: np.ndarray, grad: np.ndarray) -> np.ndarray:
        beta1, beta2 = self._beta1, self._beta2
        m = np.zeros_like(grad) if self._m is None else self._m
        v = np.zeros_like(grad) if self._v is None else self._v
        self._m = beta1 * m + (1.0 - beta1) * grad
        self._v = beta2 * v + (1.0 - beta2) * (grad * grad)
        m_hat = self._m / (1.0 - beta1**self.t)
        v_hat = self._v / (1.0 - beta2**self.t)
        return theta - self.learning_rate * m_hat / (np.sqrt(v_hat) + self._eps)


_CLASSES: dict[str, type[Optimizer]] = {
    optimizer.name: optimizer for optimizer in (GradientDescent, Momentum, Nesterov, RMSprop, Adam)
}
assert tuple(_CLASSES) == OPTIMIZERS


def make_optimizer(name: str, learning_rate: float, **hyperparameters: object) -> Optimizer:
    """Build a fresh optimizer (its state empty) by name.

    Parameters
    ----------
    name : {"gd", "momentum", "nesterov", "rmsprop", "adam"}
        The rule.
    learning_rate : float
        η > 0.
    **hyperparameters
        ``momentum`` (0.9) and, for ``"momentum"``, ``dampening`` (0); ``alpha`` (0.99) and
        ``eps`` (1e-8) for ``"rmsprop"``; ``betas`` ((0.9, 0.999)) and ``eps`` (1e-8) for
        ``"adam"``. Momentum, α and the β's lie in [0, 1), the dampening in [0, 1], ε > 0.

    Raises
    ------
    TypeError
        If `name` is not a string or a hyperparameter is not a number (a pair for ``betas``).
    ValueError
        For an unknown optimizer, a hyperparameter the optimizer does not take, or a value out of
        range; the message names it and lists the valid choices.
    """
    if not isinstance(name, str):
        raise TypeError(f"optimizer must be a string, got {type(name).__name__}: {name!r}")
    if name not in _CLASSES:
        raise ValueError(
            f"unknown optimizer {name!r}{suggest(name, OPTIMIZERS)}; choose one of "
            f"{', '.join(map(repr, OPTIMIZERS))}"
        )
    return _CLASSES[name](learning_rate, **hyperparameters)
