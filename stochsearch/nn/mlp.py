"""``MLP``: a multilayer perceptron whose parameters are one flat float64 vector.

The same vector is a point of a ``Real`` space for the genetic algorithm, annealing and hill
climbing, and a parameter vector for SGD (DESIGN.md section 6). The forward and backward passes
are numba kernels (``stochsearch._kernels.mlp``); this class validates, lays out and wraps them.
"""
from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from .._kernels import mlp as kernels
from .._validation import check_choice, check_real, describe

__all__ = ["MLP"]

_LOSSES = {"softmax": "cross-entropy", "sigmoid": "binary cross-entropy",
           "linear": "mean squared error"}


class MLP:
    """A fully connected network: hidden layers with one activation, and an output with its
    loss.

    Parameters
    ----------
    sizes : sequence of int
        Units per layer, input first and output last, e.g. ``(2, 10, 1)``.
    activation : str
        Hidden activation: ``"tanh"``, ``"relu"``, ``"leaky_relu"`` (slope 0.01),
        ``"sigmoid"``, ``"softsign"``, ``"elu"`` (alpha 1) or ``"linear"``.
    output : str
        ``"softmax"`` with cross-entropy (classes), ``"sigmoid"`` with binary cross-entropy
        (one unit per binary label), ``"linear"`` with squared error ``0.5 * sum (out - y)^2``
        per sample (regression).
    l2 : float
        Adds ``0.5 * l2 * sum W^2`` over the kernels (not the biases) to the mean loss.

    Notes
    -----
    Layer ``l`` owns ``W_l`` of shape ``(n_in, n_out)`` (Keras's layout: row ``i`` holds the
    outgoing weights of input unit ``i``), stored row by row, followed by its bias ``b_l``;
    ``layers`` gives their offsets and ``unpack`` views of them.

    Examples
    --------
    >>> net = MLP((2, 3, 1), activation="tanh", output="sigmoid")
    >>> net.n_params, [shape for shape, _ in net.layers]
    (13, [(2, 3), (3, 1)])
    >>> net.predict(np.zeros(net.n_params), np.ones((1, 2)))
    array([[0.5]])
    """

    def __init__(self, sizes: Sequence[int], activation: str = "tanh", output: str = "softmax",
                 l2: float = 0.0):
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2 \
                or not all(isinstance(s, numbers.Integral) and not isinstance(s, bool)
                           and s >= 1 for s in sizes):
            raise ValueError("sizes must list at least two positive layer sizes (input first, "
                             f"output last), got {describe(sizes)}")
        self.sizes = tuple(int(s) for s in sizes)
        self.activation = check_choice("activation", activation, kernels.ACTIVATIONS)
        self.output = check_choice("output", output, kernels.OUTPUTS)
        self.l2 = check_real("l2", l2, low=0.0)
        self._layout = self._header(0)

    # --- shapes -----------------------------------------------------------------------------
    @property
    def n_params(self) -> int:
        """Length of the parameter vector."""
        return sum((a + 1) * b for a, b in zip(self.sizes[:-1], self.sizes[1:]))

    @property
    def loss_name(self) -> str:
        return _LOSSES[self.output]

    @property
    def layers(self) -> list[tuple[tuple[int, int], int]]:
        """``((n_in, n_out), offset)`` of each layer's kernel; its bias of ``n_out`` values
        follows the kernel."""
        out, offset = [], 0
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]):
            out.append(((n_in, n_out), offset))
            offset += (n_in + 1) * n_out
        return out

    def unpack(self, w: ArrayLike) -> list[tuple[np.ndarray, np.ndarray]]:
        """``[(W_0, b_0), (W_1, b_1), ...]``: views of the parameter vector ``w``."""
        w = self._check_params(w)
        views = []
        for (n_in, n_out), offset in self.layers:
            kernel = w[offset:offset + n_in * n_out].reshape(n_in, n_out)
            views.append((kernel, w[offset + n_in * n_out:offset + (n_in + 1) * n_out]))
        return views

    def pack(self, weights: Sequence[tuple[ArrayLike, ArrayLike]]) -> np.ndarray:
        """The parameter vector of ``[(W_0, b_0), ...]`` (the inverse of ``unpack``)."""
        if len(weights) != len(self.layers):
            raise ValueError(f"pack needs one (W, b) pair per layer ({len(self.layers)}), got "
                             f"{len(weights)}")
        parts = []
        for ((n_in, n_out), _), (kernel, bias) in zip(self.layers, weights):
            kernel, bias = np.asarray(kernel, float), np.asarray(bias, float)
            if kernel.shape != (n_in, n_out) or bias.shape != (n_out,):
                raise ValueError(f"a layer of shape ({n_in}, {n_out}) needs W of that shape "
                                 f"and b of shape ({n_out},), got {kernel.shape} and "
                                 f"{bias.shape}")
            parts += [kernel.ravel(), bias]
        return np.concatenate(parts)

    # --- data ---------------------------------------------------------------------------------
    def _header(self, n: int) -> np.ndarray:
        sizes = self.sizes
        header = np.zeros(kernels.HEADER + len(sizes))
        header[kernels.N_LAYERS] = len(sizes) - 1
        header[kernels.ACTIVATION] = kernels.ACTIVATIONS.index(self.activation)
        header[kernels.OUTPUT] = kernels.OUTPUTS.index(self.output)
        header[kernels.L2] = self.l2
        header[kernels.N_SAMPLES] = n
        header[kernels.OFF_X] = len(header)
        header[kernels.OFF_Y] = len(header) + n * sizes[0]
        header[kernels.N_UNITS] = sum(sizes)
        header[kernels.N_PARAMS] = self.n_params
        header[kernels.HEADER:] = sizes
        return header

    def data(self, X: ArrayLike, y: ArrayLike) -> np.ndarray:
        """The float64 array the kernels take: this network's layout, the inputs ``X`` and
        the targets of ``y`` (see ``targets``)."""
        X = self.check_inputs(X)
        Y = self.targets(y)
        if Y.shape[0] != X.shape[0]:
            raise ValueError(f"X and y must have as many rows, got {X.shape[0]} and "
                             f"{Y.shape[0]}")
        if X.shape[0] == 0:
            raise ValueError("the data must have at least one sample, got none")
        return np.concatenate([self._header(X.shape[0]), X.ravel(), Y.ravel()])

    def check_inputs(self, X: ArrayLike) -> np.ndarray:
        """``X`` as a float64 ``(n, sizes[0])`` array, or a clear error."""
        X = np.asarray(X)
        if X.dtype.kind not in "biuf":
            raise TypeError(f"X must be numeric, got {describe(X)}")
        X = np.ascontiguousarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have shape (n, {self.sizes[0]}) to match the input layer "
                             f"of {self.sizes[0]} units, got shape {X.shape}")
        _check_finite("X", X)
        return X

    def targets(self, y: ArrayLike) -> np.ndarray:
        """The ``(n, k)`` float64 targets of ``y`` for this network's loss: one-hot rows from
        class labels ``0 .. k-1`` (softmax), 0/1 labels (sigmoid), values (linear)."""
        k = self.sizes[-1]
        y = np.asarray(y)
        if y.dtype.kind not in "biuf":
            raise TypeError(f"y must be numeric, got {describe(y)}")
        _check_finite("y", y.astype(float))
        if self.output == "softmax":
            if y.ndim != 1 or not np.all(y == np.round(y)) or y.size and \
                    (y.min() < 0 or y.max() >= k):
                raise ValueError(f"a softmax output of {k} units needs class labels, integers "
                                 f"0 to {k - 1} in a 1-D array, got {_summary(y)}")
            return np.eye(k)[y.astype(np.int64)]
        Y = y.reshape(-1, 1) if y.ndim == 1 else y
        if Y.ndim != 2 or Y.shape[1] != k:
            shapes = "(n,) or (n, 1)" if k == 1 else f"(n, {k})"
            raise ValueError(f"a {self.output} output of {k} unit{'s' if k > 1 else ''} needs "
                             f"targets of shape {shapes}, got shape {y.shape}")
        if self.output == "sigmoid" and not np.all((Y == 0) | (Y == 1)):
            raise ValueError(f"a sigmoid output needs 0/1 labels, got {_summary(y)}")
        return np.ascontiguousarray(Y, dtype=float)

    # --- evaluation ---------------------------------------------------------------------------
    def _check_params(self, w) -> np.ndarray:
        w = np.ascontiguousarray(w, dtype=float)
        if w.shape != (self.n_params,):
            raise ValueError(f"the parameter vector must have shape ({self.n_params},) for "
                             f"{self!r}, got {describe(w)}")
        return w

    def predict(self, w: ArrayLike, X: ArrayLike) -> np.ndarray:
        """Outputs for the rows of ``X``: class probabilities (softmax, sigmoid) or values."""
        Z, A = self.forward(w, X)
        return A[:, -self.sizes[-1]:].copy()

    def forward(self, w: ArrayLike, X: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """Pre-activations and activations of every unit (columns, layer by layer, input
        first) for each row of ``X``; the output layer's activations are the outputs."""
        w, X = self._check_params(w), self.check_inputs(X)
        Z = np.zeros((X.shape[0], sum(self.sizes)))
        A = np.zeros_like(Z)
        kernels.forward_rows(w, self._layout, X, Z, A)
        return Z, A

    def loss(self, w: ArrayLike, X: ArrayLike, y: ArrayLike) -> float:
        """Mean loss on ``(X, y)`` plus the L2 penalty."""
        return float(kernels.loss(self._check_params(w), self.data(X, y)))

    def gradient(self, w: ArrayLike, X: ArrayLike, y: ArrayLike) -> tuple[float, np.ndarray]:
        """``(loss, gradient)`` on ``(X, y)``."""
        out = np.empty(self.n_params)
        value = kernels.loss_gradient(self._check_params(w), self.data(X, y), out)
        return float(value), out

    # --- identity ----------------------------------------------------------------------------
    def _key(self):
        return (self.sizes, self.activation, self.output, self.l2)

    def __eq__(self, other):
        return type(self) is type(other) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def __repr__(self):
        extra = f", l2={self.l2!r}" if self.l2 else ""
        return f"MLP({self.sizes}, activation={self.activation!r}, output={self.output!r}{extra})"


def _check_finite(name: str, array: np.ndarray) -> None:
    bad = ~np.isfinite(array)
    if bad.any():
        where = np.argwhere(bad)[0]
        raise ValueError(f"{name} must not contain NaN or infinity, found "
                         f"{float(array[tuple(where)])!r} at index {tuple(int(i) for i in where)}")


def _summary(y: np.ndarray) -> str:
    values = np.unique(y)
    shown = ", ".join(f"{v:g}" for v in values[:6]) + (", ..." if values.size > 6 else "")
    return f"values {{{shown}}} in an array of shape {y.shape}"
