"""numba kernels of the two-dimensional landscapes (Himmelblau, Six-hump camel, Branin,
Eggholder), in the three forms described in ``_landscape_kernels.py``, whose transformation
helpers they share."""
from __future__ import annotations

import numpy as np

from stochsearch import jit

from ._landscape_kernels import clip, coordinates, gradient_buffer, pull_back


@jit(inline="always")
def _himmelblau(v, o, k, gz):
    z0, z1 = v[0] - o[k], v[1] - o[k + 1]
    a = z0 * z0 + z1 - 11.0
    b = z0 + z1 * z1 - 7.0
    if gz is not None:
        gz[0] = 4.0 * z0 * a + 2.0 * b
        gz[1] = 2.0 * a + 4.0 * z1 * b
    return a * a + b * b


@jit
def himmelblau(x, data):
    v, o = coordinates(x, data)
    return _himmelblau(v, o, 0, None)


@jit
def himmelblau_unrotated(x, data):
    return _himmelblau(x, data, 1, None)


@jit
def himmelblau_gradient(x, data, out):
    v, o = coordinates(x, data)
    gz = gradient_buffer(data, out)
    return pull_back(gz, data, out, _himmelblau(v, o, 0, gz))


@jit(inline="always")
def _six_hump_camel(x, o, k, gz):
    u, v = x[0] - o[k], x[1] - o[k + 1]
    if gz is not None:
        gz[0] = 8.0 * u - 8.4 * u ** 3 + 2.0 * u ** 5 + v
        gz[1] = u - 8.0 * v + 16.0 * v ** 3
    value = (4.0 - 2.1 * u * u + u ** 4 / 3.0) * u * u + u * v + (-4.0 + 4.0 * v * v) * v * v
    return value


@jit
def six_hump_camel(x, data):
    v, o = coordinates(x, data)
    return _six_hump_camel(v, o, 0, None)


@jit
def six_hump_camel_unrotated(x, data):
    return _six_hump_camel(x, data, 1, None)


@jit
def six_hump_camel_gradient(x, data, out):
    v, o = coordinates(x, data)
    gz = gradient_buffer(data, out)
    return pull_back(gz, data, out, _six_hump_camel(v, o, 0, gz))


@jit(inline="always")
def _branin(v, o, k, gz):
    z0, z1 = v[0] - o[k], v[1] - o[k + 1]
    b, c, t = 5.1 / (4.0 * np.pi ** 2), 5.0 / np.pi, 1.0 / (8.0 * np.pi)
    valley = z1 - b * z0 * z0 + c * z0 - 6.0
    if gz is not None:
        gz[0] = 2.0 * valley * (c - 2.0 * b * z0) - 10.0 * (1.0 - t) * np.sin(z0)
        gz[1] = 2.0 * valley
    value = valley * valley + 10.0 * (1.0 - t) * np.cos(z0) + 10.0
    return value


@jit
def branin(x, data):
    v, o = coordinates(x, data)
    return _branin(v, o, 0, None)


@jit
def branin_unrotated(x, data):
    return _branin(x, data, 1, None)


@jit
def branin_gradient(x, data, out):
    v, o = coordinates(x, data)
    gz = gradient_buffer(data, out)
    return pull_back(gz, data, out, _branin(v, o, 0, gz))


@jit
def sin_sqrt_abs(u):
    """``(sin(sqrt|u|), its derivative)``; the derivative is infinite at 0 and given as 0."""
    root = np.sqrt(abs(u))
    if root == 0.0:
        return 0.0, 0.0
    return np.sin(root), np.cos(root) * np.sign(u) / (2.0 * root)


@jit(inline="always")
def _eggholder(x, o, k, gz):
    z0, z1 = x[0] - o[k], x[1] - o[k + 1]
    c0, c1 = clip(z0, -512.0, 512.0), clip(z1, -512.0, 512.0)
    penalty = (z0 - c0) ** 2 + (z1 - c1) ** 2
    u, v = c0, c1 + 47.0
    inner, inner_slope = sin_sqrt_abs(v + 0.5 * u)
    outer, outer_slope = sin_sqrt_abs(u - v)
    if gz is not None:
        gz[0] = -0.5 * v * inner_slope - outer - u * outer_slope if z0 == c0 else 2.0 * (z0 - c0)
        gz[1] = -inner - v * inner_slope + u * outer_slope if z1 == c1 else 2.0 * (z1 - c1)
    return -v * inner - u * outer + penalty


@jit
def eggholder(x, data):
    v, o = coordinates(x, data)
    return _eggholder(v, o, 0, None)


@jit
def eggholder_unrotated(x, data):
    return _eggholder(x, data, 1, None)


@jit
def eggholder_gradient(x, data, out):
    v, o = coordinates(x, data)
    gz = gradient_buffer(data, out)
    return pull_back(gz, data, out, _eggholder(v, o, 0, gz))
