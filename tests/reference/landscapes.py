"""Plain numpy references of the continuous landscapes, to check the numba kernels against.

Each function takes points as the last axis of an array ``Z`` of shape ``(..., n)`` and returns
``g(Z)`` of shape ``(...)``, written as the textbook formula with no attention to speed.
``REFERENCES`` maps each registry key to its function, with the functions that are clipped to
their natural box wrapped by ``boxed``.
"""
from __future__ import annotations

import numpy as np


def sphere(Z):
    return np.sum(Z ** 2, axis=-1)


def ellipsoid(Z):
    n = Z.shape[-1]
    weights = 10.0 ** (6.0 * np.arange(n) / (n - 1)) if n > 1 else np.ones(1)
    return np.sum(weights * Z ** 2, axis=-1)


def rastrigin(Z):
    return 10.0 * Z.shape[-1] + np.sum(Z ** 2 - 10.0 * np.cos(2.0 * np.pi * Z), axis=-1)


def rosenbrock(Z):
    head, tail = Z[..., :-1], Z[..., 1:]
    return np.sum(100.0 * (tail - head ** 2) ** 2 + (1.0 - head) ** 2, axis=-1)


def ackley(Z, a=20.0, b=0.2, c=2.0 * np.pi):
    return (-a * np.exp(-b * np.sqrt(np.mean(Z ** 2, axis=-1)))
            - np.exp(np.mean(np.cos(c * Z), axis=-1)) + a + np.e)


def griewank(Z):
    i = np.arange(1, Z.shape[-1] + 1)
    return 1.0 + np.sum(Z ** 2, axis=-1) / 4000.0 - np.prod(np.cos(Z / np.sqrt(i)), axis=-1)


def schwefel(Z):
    return 418.9828872724337 * Z.shape[-1] - np.sum(Z * np.sin(np.sqrt(np.abs(Z))), axis=-1)


def levy(Z):
    W = 1.0 + (Z - 1.0) / 4.0
    first = np.sin(np.pi * W[..., 0]) ** 2
    head = W[..., :-1]
    middle = np.sum((head - 1.0) ** 2 * (1.0 + 10.0 * np.sin(np.pi * head + 1.0) ** 2), axis=-1)
    last = (W[..., -1] - 1.0) ** 2 * (1.0 + np.sin(2.0 * np.pi * W[..., -1]) ** 2)
    return first + middle + last


def styblinski_tang(Z):
    return 0.5 * np.sum(Z ** 4 - 16.0 * Z ** 2 + 5.0 * Z, axis=-1)


def michalewicz(Z, m=10):
    i = np.arange(1, Z.shape[-1] + 1)
    return -np.sum(np.sin(Z) * np.sin(i * Z ** 2 / np.pi) ** (2 * m), axis=-1)


def zakharov(Z):
    weighted = np.sum(0.5 * np.arange(1, Z.shape[-1] + 1) * Z, axis=-1)
    return np.sum(Z ** 2, axis=-1) + weighted ** 2 + weighted ** 4


def himmelblau(Z):
    x, y = Z[..., 0], Z[..., 1]
    return (x ** 2 + y - 11.0) ** 2 + (x + y ** 2 - 7.0) ** 2


def six_hump_camel(Z):
    x, y = Z[..., 0], Z[..., 1]
    return (4.0 - 2.1 * x ** 2 + x ** 4 / 3.0) * x ** 2 + x * y + (-4.0 + 4.0 * y ** 2) * y ** 2


def branin(Z, a=1.0, b=5.1 / (4.0 * np.pi ** 2), c=5.0 / np.pi, r=6.0, s=10.0,
           t=1.0 / (8.0 * np.pi)):
    x, y = Z[..., 0], Z[..., 1]
    return a * (y - b * x ** 2 + c * x - r) ** 2 + s * (1.0 - t) * np.cos(x) + s


def eggholder(Z):
    x, y = Z[..., 0], Z[..., 1]
    return (-(y + 47.0) * np.sin(np.sqrt(np.abs(y + x / 2.0 + 47.0)))
            - x * np.sin(np.sqrt(np.abs(x - (y + 47.0)))))


def boxed(g, low, high):
    """``g(clip(Z)) + |Z - clip(Z)|^2``: ``g`` kept to its natural box ``[low, high]^n``."""
    def penalized(Z):
        clipped = np.clip(Z, low, high)
        return g(clipped) + np.sum((Z - clipped) ** 2, axis=-1)
    penalized.__name__ = g.__name__
    return penalized


def transform(X, data):
    """``Z = R (X - s)`` for the landscape data ``[rotated, s, R row by row]``."""
    n = X.shape[-1]
    Z = X - data[1:1 + n]
    if data[0]:
        Z = Z @ data[1 + n:].reshape(n, n).T
    return Z


REFERENCES = {
    "sphere": sphere, "ellipsoid": ellipsoid, "rastrigin": rastrigin, "rosenbrock": rosenbrock,
    "ackley": ackley, "griewank": griewank, "schwefel": boxed(schwefel, -500.0, 500.0),
    "levy": levy, "styblinski-tang": styblinski_tang,
    "michalewicz": boxed(michalewicz, 0.0, np.pi), "zakharov": zakharov,
    "himmelblau": himmelblau, "six-hump-camel": six_hump_camel, "branin": branin,
    "eggholder": boxed(eggholder, -512.0, 512.0),
}
