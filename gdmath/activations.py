"""Activation functions φ with their exact first and second derivatives.

Each activation is a triple (φ, φ', φ'') of vectorized numpy functions. The second derivative is
needed for the exact Hessian of the loss.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import expit

__all__ = ["ACTIVATIONS", "Activation", "get_activation"]

ArrayFn = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Activation:
    """An activation function and its derivatives.

    Attributes
    ----------
    name : str
        The name used in configs and in ``Problem(activation=...)``.
    f, df, d2f : callable
        φ, φ' and φ'', each mapping an array of pre-activations z to an array of the same shape.
    latex : str
        φ(z) written in TeX, for the videos.
    """

    name: str
    f: ArrayFn
    df: ArrayFn
    d2f: ArrayFn
    latex: str

    def __call__(self, z: np.ndarray) -> np.ndarray:
        """Evaluate φ(z)."""
        return self.f(z)


def _sigmoid_d1(z: np.ndarray) -> np.ndarray:
    sigma = expit(z)
    return sigma * (1.0 - sigma)


def _sigmoid_d2(z: np.ndarray) -> np.ndarray:
    sigma = expit(z)
    return sigma * (1.0 - sigma) * (1.0 - 2.0 * sigma)


def _tanh_d1(z: np.ndarray) -> np.ndarray:
    tanh_z = np.tanh(z)
    return 1.0 - tanh_z * tanh_z


def _tanh_d2(z: np.ndarray) -> np.ndarray:
    tanh_z = np.tanh(z)
    return -2.0 * tanh_z * (1.0 - tanh_z * tanh_z)


ACTIVATIONS: dict[str, Activation] = {
    activation.name: activation
    for activation in (
        Activation(
            "identity",
            f=lambda z: np.asarray(z, dtype=float) * 1.0,
            df=lambda z: np.ones_like(z, dtype=float),
            d2f=lambda z: np.zeros_like(z, dtype=float),
            latex=r"z",
        ),
        # expit is the numerically stable logistic function (no overflow for large |z|).
        Activation("sigmoid", f=expit, df=_sigmoid_d1, d2f=_sigmoid_d2,
                   latex=r"\frac{1}{1+e^{-z}}"),
        Activation("tanh", f=np.tanh, df=_tanh_d1, d2f=_tanh_d2, latex=r"\tanh z"),
        # ReLU is not differentiable at 0: we use the subgradient 0 there, as most frameworks do.
        Activation(
            "relu",
            f=lambda z: np.maximum(z, 0.0),
            df=lambda z: (np.asarray(z) > 0).astype(float),
            d2f=lambda z: np.zeros_like(z, dtype=float),
            latex=r"\max(0, z)",
        ),
    )
}


def get_activation(name: str | Activation) -> Activation:
    """Look an activation up by name.

    Raises
    ------
    TypeError
        If `name` is neither a string nor an `Activation`.
    ValueError
        If no activation has that name; the message lists the valid names.
    """
    if isinstance(name, Activation):
        return name
    if not isinstance(name, str):
        raise TypeError(f"activation must be a string, got {type(name).__name__}: {name!r}")
    try:
        return ACTIVATIONS[name]
    except KeyError:
        from gdmath._validate import suggest

        raise ValueError(
            f"unknown activation {name!r}{suggest(name, ACTIVATIONS)}; "
            f"choose one of {', '.join(map(repr, ACTIVATIONS))}"
        ) from None
