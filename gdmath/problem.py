"""The model y = φ(w·x + b), its loss over a training set, and exact derivatives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from gdmath._validate import finite_array, suggest
from gdmath.activations import Activation, get_activation

__all__ = ["LOSSES", "Problem"]

LOSSES: tuple[str, ...] = ("sse", "mse")

# Parameter points handled per chunk, times the number of data points: bounds the size of the
# (points, n) temporaries so that a 1001×1001 grid over hundreds of points stays in ~100 MB.
_CHUNK_ELEMENTS = 1 << 21


@dataclass(frozen=True, eq=False)
class Problem:
    """Training data and the one-neuron model y = φ(w·x + b).

    The loss is ``l(w, b) = c · Σᵢ (φ(w·xᵢ + b) − yᵢ)²`` with ``c = 1`` for ``"sse"`` (the sum of
    squared errors, exactly as the seed writes it) and ``c = 1/n`` for ``"mse"``.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        Training inputs and targets; finite, same length, n ≥ 1.
    activation : {"identity", "sigmoid", "tanh", "relu"}
        φ. ReLU uses the subgradient 0 at its kink.
    loss : {"sse", "mse"}
        Sum or mean of squared errors.

    Examples
    --------
    >>> p = Problem([0.0, 1.0], [1.0, 3.0])
    >>> float(p.loss(2.0, 1.0))
    0.0
    >>> p.gradient(0.0, 0.0)
    (-6.0, -8.0)
    """

    x: np.ndarray
    y: np.ndarray
    activation: str = "identity"
    loss_kind: str = field(default="sse")
    _act: Activation = field(init=False, repr=False)

    def __init__(
        self, x: object, y: object, activation: str = "identity", loss: str = "sse"
    ) -> None:
        x_array = finite_array(x, "x")
        y_array = finite_array(y, "y")
        if x_array.shape != y_array.shape:
            raise ValueError(
                f"x and y must have the same length, got {x_array.size} x values and "
                f"{y_array.size} y values"
            )
        act = get_activation(activation)
        if not isinstance(loss, str):
            raise TypeError(f"loss must be a string, got {type(loss).__name__}: {loss!r}")
        if loss not in LOSSES:
            raise ValueError(
                f"unknown loss {loss!r}{suggest(loss, LOSSES)}; choose one of "
                f"{', '.join(map(repr, LOSSES))}"
            )
        x_array.setflags(write=False)
        y_array.setflags(write=False)
        object.__setattr__(self, "x", x_array)
        object.__setattr__(self, "y", y_array)
        object.__setattr__(self, "activation", act.name)
        object.__setattr__(self, "loss_kind", loss)
        object.__setattr__(self, "_act", act)

    # ------------------------------------------------------------------ basics
    @property
    def n(self) -> int:
        """Number of training points."""
        return int(self.x.size)

    @property
    def phi(self) -> Activation:
        """The activation φ with its derivatives."""
        return self._act

    @property
    def scale(self) -> float:
        """The constant c in front of the sum: 1 for SSE, 1/n for MSE."""
        return 1.0 if self.loss_kind == "sse" else 1.0 / self.n

    def predict(self, w: float, b: float, x: object) -> np.ndarray:
        """Model output φ(w·x + b) at inputs `x` for one parameter pair."""
        return self._act.f(w * np.asarray(x, dtype=float) + b)

    def subset(self, indices: object) -> Problem:
        """The same model and loss kind on the training points at `indices` only.

        Minibatch descent uses it to get the loss and gradient of one batch from the same
        chain-rule code. The subset's constant c is its own: 1 for SSE, 1/k for MSE over k points.

        Parameters
        ----------
        indices : array_like of int, shape (k,)
            Positions in 0, …, n − 1; k ≥ 1, repeats allowed.

        Examples
        --------
        >>> p = Problem([0.0, 1.0, 2.0], [1.0, 3.0, 0.0])
        >>> p.subset([0, 1]).loss(2.0, 1.0)
        0.0
        """
        idx = np.asarray(indices)
        if idx.ndim != 1 or idx.size == 0:
            raise ValueError(
                f"indices must be a non-empty 1-D sequence of positions, got shape {idx.shape}"
            )
        if idx.dtype.kind not in "iu":
            raise TypeError(f"indices must be integers, got dtype {idx.dtype}")
        bad = np.flatnonzero((idx < 0) | (idx >= self.n))
        if bad.size:
            raise ValueError(
                f"index {idx[bad[0]]} is out of range for {self.n} data points (0 … {self.n - 1})"
            )
        # The Activation object itself, so that a custom one (not in ACTIVATIONS) carries over.
        return Problem(self.x[idx], self.y[idx], self._act, self.loss_kind)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return (
            f"Problem(n={self.n}, activation={self.activation!r}, loss={self.loss_kind!r})"
        )

    # ------------------------------------------------------------ the engine
    def _reduce(
        self, w: object, b: object, terms: Callable[[np.ndarray], tuple[np.ndarray, ...]]
    ) -> tuple[np.ndarray, ...]:
        """Sum per-sample terms over the data for every (w, b), in memory-bounded chunks.

        `terms` receives z = w·x + b of shape (m, n) and returns arrays of that shape, each paired
        with a weight vector over the samples; see the callers.
        """
        w_grid, b_grid = np.broadcast_arrays(np.asarray(w, dtype=float), np.asarray(b, dtype=float))
        shape = w_grid.shape
        w_flat, b_flat = w_grid.reshape(-1), b_grid.reshape(-1)
        n_pairs = w_flat.size
        chunk = max(1, _CHUNK_ELEMENTS // self.n)
        outs: list[np.ndarray] | None = None
        # One pass even when n_pairs == 0, so that empty input gives empty output of the right
        # shape.
        for start in range(0, max(n_pairs, 1), chunk):
            rows = slice(start, start + chunk)
            z = w_flat[rows, None] * self.x + b_flat[rows, None]
            parts = terms(z)
            if outs is None:
                outs = [np.empty(n_pairs) for _ in parts]
            for out, part in zip(outs, parts, strict=True):
                out[rows] = part
        assert outs is not None
        return tuple(out.reshape(shape) for out in outs)

    def _loss_terms(self, z: np.ndarray) -> tuple[np.ndarray]:
        residual = self._act.f(z) - self.y
        return (self.scale * np.einsum("mn,mn->m", residual, residual),)

    def _grad_terms(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # dl/dθ = c Σ 2 (φ(z) − y) φ'(z) dz/dθ, with dz/dw = x and dz/db = 1.
        g = 2.0 * self.scale * (self._act.f(z) - self.y) * self._act.df(z)
        return g @ self.x, g.sum(axis=1)

    def _value_grad_terms(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        residual = self._act.f(z) - self.y
        g = 2.0 * self.scale * residual * self._act.df(z)
        return self.scale * np.einsum("mn,mn->m", residual, residual), g @ self.x, g.sum(axis=1)

    def _hess_terms(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        # d²l/dθdθ' = c Σ 2 (φ'² + (φ − y) φ'') dz/dθ dz/dθ'.
        d_phi = self._act.df(z)
        h = 2.0 * self.scale * (d_phi * d_phi + (self._act.f(z) - self.y) * self._act.d2f(z))
        return h @ (self.x * self.x), h @ self.x, h.sum(axis=1)

    @staticmethod
    def _out(value: np.ndarray) -> np.ndarray | float:
        return float(value) if value.ndim == 0 else value

    # ----------------------------------------------------------- public API
    def loss(self, w: object, b: object) -> np.ndarray | float:
        """Loss l(w, b).

        Parameters
        ----------
        w, b : float or array_like
            Parameters; any shapes that broadcast together.

        Returns
        -------
        float or ndarray
            A float for scalar input, otherwise an array of the broadcast shape.
        """
        return self._out(self._reduce(w, b, self._loss_terms)[0])

    def gradient(self, w: object, b: object) -> tuple[np.ndarray | float, np.ndarray | float]:
        """Exact gradient (∂l/∂w, ∂l/∂b) by the chain rule; broadcasts like `loss`."""
        gw, gb = self._reduce(w, b, self._grad_terms)
        return self._out(gw), self._out(gb)

    def loss_and_gradient(
        self, w: object, b: object
    ) -> tuple[np.ndarray | float, np.ndarray | float, np.ndarray | float]:
        """``(l, ∂l/∂w, ∂l/∂b)`` in one pass over the data; broadcasts like `loss`."""
        loss, gw, gb = self._reduce(w, b, self._value_grad_terms)
        return self._out(loss), self._out(gw), self._out(gb)

    def hessian(self, w: object, b: object) -> np.ndarray:
        """Exact Hessian of l.

        Returns
        -------
        ndarray, shape (2, 2) or (..., 2, 2)
            ``[[l_ww, l_wb], [l_wb, l_bb]]``; a stack of them for array input.
        """
        hww, hwb, hbb = self._reduce(w, b, self._hess_terms)
        out = np.empty((*hww.shape, 2, 2))
        out[..., 0, 0] = hww
        out[..., 0, 1] = out[..., 1, 0] = hwb
        out[..., 1, 1] = hbb
        return out

    def loss_along(self, w0: float, b0: float, w1: float, b1: float, n: int) -> np.ndarray:
        """Loss sampled at `n` evenly spaced points of the segment from (w0, b0) to (w1, b1).

        Returns
        -------
        ndarray, shape (n, 3)
            Columns w, b, l: what a ball rolling over the straight step sees.
        """
        fraction = np.linspace(0.0, 1.0, n)
        w = w0 + fraction * (w1 - w0)
        b = b0 + fraction * (b1 - b0)
        return np.column_stack([w, b, self.loss(w, b)])
