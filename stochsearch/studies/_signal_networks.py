"""The networks of the *signal* study: images in the manner of Glorot and Bengio's
Shapeset-3x2 (``shapeset``) and a deep network that classifies them (``DeepNetwork``), the
problem every setting of the study looks at before any training.
"""
from __future__ import annotations

import numpy as np

from ..nn import MLP, NetworkProblem

__all__ = ["DeepNetwork", "shapeset"]

_CLASSES = ((0,), (1,), (2,), (0, 0), (0, 1), (0, 2), (1, 1), (1, 2), (2, 2))


def shapeset(n: int, rng, size: int = 32) -> tuple[np.ndarray, np.ndarray]:
    """``n`` images in the manner of Shapeset-3x2 (Breuleux et al., the data of Glorot and
    Bengio 2010), ``size x size`` grey levels in [0, 1] as rows: one or two filled shapes
    (ellipse, triangle, parallelogram) of random position, size, rotation, elongation and grey
    level on a black background, the second covering at most half of the first; the label
    (0..8) names which shapes are present."""
    rng = np.random.default_rng(rng)
    grid = (np.arange(size) + 0.5) / size
    gx, gy = np.meshgrid(grid, grid)
    X = np.zeros((n, size, size))
    y = rng.integers(0, len(_CLASSES), n)
    for image, label in zip(X, y):
        first = None
        for kind in _CLASSES[label]:
            for _ in range(20):
                mask = _shape(kind, gx, gy, rng)
                if first is None or (mask & first).sum() <= 0.5 * mask.sum():
                    break
            image[mask] = rng.uniform(0.2, 1.0)
            first = mask
    return X.reshape(n, -1), y


def _shape(kind, gx, gy, rng) -> np.ndarray:
    cx, cy = rng.uniform(0.3, 0.7, 2)
    radius, aspect, angle = rng.uniform(0.12, 0.3), rng.uniform(0.5, 1.0), rng.uniform(0, 2 * np.pi)
    u = ((gx - cx) * np.cos(angle) + (gy - cy) * np.sin(angle)) / radius
    v = (-(gx - cx) * np.sin(angle) + (gy - cy) * np.cos(angle)) / (radius * aspect)
    if kind == 0:
        return u ** 2 + v ** 2 <= 1.0
    if kind == 1:
        return (v >= -0.5) & (np.abs(u) <= (1.0 - v) / 1.5)
    return (np.abs(v) <= 0.7) & (np.abs(u - rng.uniform(-0.6, 0.6) * v) <= 0.8)


class DeepNetwork(NetworkProblem):
    """``depth`` hidden layers of ``width`` units and a softmax over the nine classes of
    ``shapeset`` images (``samples`` of them, drawn with ``seed``): raw grey levels
    (``inputs="raw"``) or shifted and scaled to mean 0 and variance 1 over all pixels
    (``"standardized"``)."""

    def __init__(self, depth: int = 5, width: int = 1000, activation: str = "tanh",
                 inputs: str = "standardized", samples: int = 256, seed: int = 0):
        self._arguments = {"depth": depth, "width": width, "activation": activation,
                           "inputs": inputs, "samples": samples, "seed": seed}
        X, y = shapeset(samples, seed)
        if inputs == "standardized":
            X = (X - X.mean()) / X.std()
        elif inputs != "raw":
            raise ValueError(f"inputs must be 'raw' or 'standardized', got {inputs!r}")
        network = MLP((X.shape[1],) + (width,) * depth + (len(_CLASSES),), activation=activation,
                      output="softmax")
        super().__init__(network, X, y, bound=1e6,
                         name=f"{activation}-{depth}x{width}-{inputs}")

    def __reduce__(self):
        return (_rebuild, (self._arguments,))


def _rebuild(arguments):
    return DeepNetwork(**arguments)
