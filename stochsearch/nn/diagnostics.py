"""What the initialization studies measure: how many hidden units of a layer are really
different (symmetry), and how activations and back-propagated gradients look layer by layer.

Two hidden units are the same unit when their incoming weights, bias and outgoing weights
coincide: gradient descent then keeps them identical forever (a network initialized to
constants never breaks its symmetry), so the layer computes with fewer units than it has.
"""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .._kernels import mlp as kernels
from .._validation import check_int, check_real
from .mlp import MLP

__all__ = ["distinct_units", "layer_statistics"]


def distinct_units(network: MLP, w: ArrayLike, layer: int = 0, tol: float = 1e-8) -> int:
    """The number of distinct units of hidden layer ``layer`` (0 is the first hidden layer):
    units whose incoming weights, bias and outgoing weights all agree within ``tol``
    (absolute) count once.

    Examples
    --------
    >>> net = MLP((2, 5, 1), output="sigmoid")
    >>> distinct_units(net, np.full(net.n_params, 0.3)), distinct_units(net, np.arange(21.0))
    (1, 5)
    """
    n_hidden = len(network.sizes) - 2
    layer = check_int("layer", layer, low=0, high=max(n_hidden - 1, 0))
    if n_hidden == 0:
        raise ValueError(f"{network!r} has no hidden layer")
    tol = check_real("tol", tol, low=0.0)
    (W_in, b_in), (W_out, _) = network.unpack(w)[layer:layer + 2]
    signatures = np.column_stack([W_in.T, b_in, W_out])
    representatives: list[np.ndarray] = []
    for unit in signatures:
        if not any(np.max(np.abs(unit - other)) <= tol for other in representatives):
            representatives.append(unit)
    return len(representatives)


def layer_statistics(network: MLP, w: ArrayLike, X: ArrayLike, y: ArrayLike | None = None) -> list[dict]:
    """Statistics of each layer (hidden layers, then the output) on the batch ``X``.

    For every layer: the mean and standard deviation of its pre-activations and activations,
    the fraction of saturated units (``|f'(z)| < 0.05``: flat parts of tanh, sigmoid, softsign
    and ELU, the zero side of ReLU), and with the targets ``y``, the mean absolute value and
    the variance (over samples and units) of the back-propagated gradient (delta, d loss /
    d pre-activation of each sample's loss) and the norm of the layer's weight gradient (mean
    over the batch, without the L2 term).
    """
    w = np.ascontiguousarray(w, dtype=float)
    Z, A = network.forward(w, X)
    n = Z.shape[0]
    D = grad = None
    if y is not None:
        data = network.data(X, y)
        D = np.zeros_like(Z)
        grad = np.zeros(network.n_params)
        kernels.delta_rows(w, data, np.arange(n, dtype=np.int64), D, grad)
        grad /= n
    out = []
    start = network.sizes[0]
    for index, ((n_in, n_out), offset) in enumerate(network.layers):
        cols = slice(start, start + n_out)
        z, a = Z[:, cols], A[:, cols]
        hidden = index < len(network.layers) - 1
        facts = {"layer": index, "units": n_out, "hidden": hidden,
                 "preactivation_mean": float(z.mean()), "preactivation_std": float(z.std()),
                 "activation_mean": float(a.mean()), "activation_std": float(a.std()),
                 "saturated": float(np.mean(np.abs(_slope(network.activation, z, a)) < 0.05))
                 if hidden else 0.0}
        if D is not None:
            facts["delta_mean_abs"] = float(np.abs(D[:, cols]).mean())
            facts["delta_variance"] = float(D[:, cols].var())
            facts["weight_gradient_norm"] = float(np.linalg.norm(
                grad[offset:offset + n_in * n_out]))
        out.append(facts)
        start += n_out
    return out


def _slope(activation: str, z, a):
    """The derivative of ``activation`` at ``z`` (values ``a``)."""
    return {"tanh": lambda: 1.0 - a ** 2, "sigmoid": lambda: a * (1.0 - a),
            "relu": lambda: (z > 0).astype(float),
            "leaky_relu": lambda: np.where(z > 0, 1.0, kernels.LEAKY_SLOPE),
            "softsign": lambda: 1.0 / (1.0 + np.abs(z)) ** 2,
            "elu": lambda: np.where(z > 0, 1.0, a + 1.0),
            "linear": lambda: np.ones_like(z)}[activation]()
