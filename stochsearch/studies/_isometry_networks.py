"""The networks of the *isometry* study: a deep chain of equal-width layers that learns a
random linear map (``DeepChain``), and the singular values of its input-output Jacobian
(``jacobian_singular_values``).
"""
from __future__ import annotations

import numpy as np

from ..nn import MLP, NetworkProblem

__all__ = ["DeepChain", "jacobian_singular_values"]

_SLOPES = {"linear": lambda z: np.ones_like(z),
           "tanh": lambda z: 1.0 - np.tanh(z) ** 2,
           "relu": lambda z: (z > 0).astype(float)}


def jacobian_singular_values(network: MLP, w, x) -> np.ndarray:
    """The singular values (descending) of the Jacobian of the last hidden layer's activations
    with respect to the input ``x`` (one sample), ``prod_l W_l diag(phi'(z_l))`` over the hidden
    layers. The output layer is left out: it only maps the chain to the targets."""
    if network.activation not in _SLOPES:
        raise ValueError(f"the Jacobian is computed for activations {', '.join(_SLOPES)}, "
                         f"got {network.activation!r}")
    slope = _SLOPES[network.activation]
    h = np.asarray(x, dtype=float)
    J = np.eye(h.size)
    for W, b in network.unpack(w)[:-1]:
        z = h @ W + b
        J = (J @ W) * slope(z)
        h = z if network.activation == "linear" else np.tanh(z) if network.activation == "tanh" \
            else np.maximum(z, 0.0)
    return np.linalg.svd(J, compute_uv=False)


class DeepChain(NetworkProblem):
    """``depth`` hidden layers of ``width`` units and a linear output of ``outputs`` units that
    learns ``y = x A`` with squared error: ``samples`` inputs ``x ~ N(0, I)`` of ``width``
    features and a teacher ``A ~ N(0, 1 / width)``, drawn with ``seed``."""

    def __init__(self, depth: int = 8, width: int = 16, activation: str = "linear",
                 outputs: int = 4, samples: int = 256, seed: int = 0):
        self._arguments = {"depth": depth, "width": width, "activation": activation,
                           "outputs": outputs, "samples": samples, "seed": seed}
        rng = np.random.default_rng(seed)
        X = rng.standard_normal((samples, width))
        Y = X @ (rng.standard_normal((width, outputs)) / np.sqrt(width))
        network = MLP((width,) * (depth + 1) + (outputs,), activation=activation,
                      output="linear")
        super().__init__(network, X, Y, bound=1e6, name=f"{activation}-{depth}x{width}")

    @property
    def zero_loss(self) -> float:
        """The loss of the network that outputs zeros: half the mean squared norm of y."""
        return float(0.5 * np.mean(np.sum(np.asarray(self.y) ** 2, axis=1)))

    def __reduce__(self):
        return (_rebuild, (self._arguments,))


def _rebuild(arguments):
    return DeepChain(**arguments)
