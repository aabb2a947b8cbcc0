"""numba kernels of the BBOB-style landscapes (the classes are in ``bbob_functions.py``).

Every objective has the fixed signature ``f(x, data)`` of a Real space and reads ``z = R (x - s)``
through ``coordinates`` of ``_landscape_kernels`` (the data layout ``[rotated, s, R]`` of every
landscape). Functions with more instance data (Gallagher's peaks, Lunacek's second funnel, the
linear slope's signs) read it after ``R``, at ``extra_offset(n, data)``. The formulas follow
Hansen et al., "Real-parameter black-box optimization benchmarking 2009: noiseless functions
definitions", without the oscillation and asymmetry transformations (T_osz, T_asy) and the
boundary penalty; the conditioning matrices (Lambda^alpha) are kept where they define the function.
"""
from __future__ import annotations

import numpy as np

from stochsearch import jit

from ._landscape_kernels import coordinates


@jit
def extra_offset(n, data):
    """Where a function's own data starts: after the flag, the shift and the rotation."""
    return 1 + n + (n * n if data[0] != 0.0 else 0)


@jit
def conditioning(i, n, alpha):
    """``alpha^(0.5 i / (n - 1))``: the diagonal of BBOB's Lambda^alpha."""
    return alpha ** (0.5 * i / (n - 1)) if n > 1 else 1.0


@jit
def bent_cigar(x, data):
    v, o = coordinates(x, data)
    head = v[0] - o[0]
    rest = 0.0
    for i in range(1, v.size):
        z = v[i] - o[i]
        rest += z * z
    return head * head + 1e6 * rest


@jit
def discus(x, data):
    v, o = coordinates(x, data)
    head = v[0] - o[0]
    rest = 0.0
    for i in range(1, v.size):
        z = v[i] - o[i]
        rest += z * z
    return 1e6 * head * head + rest


@jit
def different_powers(x, data):
    v, o = coordinates(x, data)
    n = v.size
    total = 0.0
    for i in range(n):
        power = 2.0 + 4.0 * i / (n - 1) if n > 1 else 2.0
        total += np.abs(v[i] - o[i]) ** power
    return np.sqrt(total)


@jit
def sharp_ridge(x, data):
    v, o = coordinates(x, data)
    head = v[0] - o[0]
    rest = 0.0
    for i in range(1, v.size):
        z = v[i] - o[i]
        rest += z * z
    return head * head + 100.0 * np.sqrt(rest)


@jit
def attractive_sector(x, data):
    """``(sum (s_i z_i)^2)^0.9`` with ``z = Lambda^10 R (x - s)`` and ``s_i = 100`` on the
    positive side of each axis, 1 on the other: the optimum sits at the tip of a cone."""
    v, o = coordinates(x, data)
    n = v.size
    total = 0.0
    for i in range(n):
        z = conditioning(i, n, 10.0) * (v[i] - o[i])
        if z > 0.0:
            z *= 100.0
        total += z * z
    return total ** 0.9


@jit
def step_ellipsoid(x, data):
    """``0.1 max(|z_0| / 1e4, sum 10^(2 i / (n - 1)) round(z_i)^2)`` with ``z = Lambda^10 R
    (x - s)``, rounded to integers where ``|z_i| > 0.5`` and to tenths elsewhere: plateaus,
    with a slight slope along the first coordinate so that the optimum is one point."""
    v, o = coordinates(x, data)
    n = v.size
    first = 0.0
    total = 0.0
    for i in range(n):
        z = conditioning(i, n, 10.0) * (v[i] - o[i])
        if i == 0:
            first = np.abs(z)
        rounded = np.floor(0.5 + z) if np.abs(z) > 0.5 else np.floor(0.5 + 10.0 * z) / 10.0
        weight = 10.0 ** (2.0 * i / (n - 1)) if n > 1 else 1.0
        total += weight * rounded * rounded
    return 0.1 * max(first / 1e4, total)


@jit
def schaffer_f7(x, data):
    """``(mean_i sqrt(r_i) + sqrt(r_i) sin^2(50 r_i^0.2))^2`` over neighbouring pairs, with
    ``r_i = sqrt(z_i^2 + z_{i+1}^2)`` and ``z = Lambda^10 R (x - s)``."""
    v, o = coordinates(x, data)
    n = v.size
    total = 0.0
    previous = conditioning(0, n, 10.0) * (v[0] - o[0])
    for i in range(n - 1):
        current = conditioning(i + 1, n, 10.0) * (v[i + 1] - o[i + 1])
        r = np.sqrt(previous * previous + current * current)
        root = np.sqrt(r)
        wave = np.sin(50.0 * r ** 0.2)
        total += root + root * wave * wave
        previous = current
    mean = total / (n - 1)
    return mean * mean


#: sum_k 2^-k cos(pi 3^k), k = 0..11: the inner sum of Weierstrass at its optimum.
WEIERSTRASS_FLOOR = float(sum(0.5 ** k * np.cos(np.pi * 3.0 ** k) for k in range(12)))


@jit
def weierstrass(x, data):
    """``10 (mean_i sum_k 2^-k cos(2 pi 3^k (z_i + 1/2)) - f0)^3`` with ``z = Lambda^(1/100)
    R (x - s)``: continuous, nowhere differentiable, periodic (every integer point of ``z`` is
    a global optimum)."""
    v, o = coordinates(x, data)
    n = v.size
    total = 0.0
    for i in range(n):
        z = conditioning(i, n, 0.01) * (v[i] - o[i])
        scale = 1.0
        weight = 1.0
        for _ in range(12):
            total += weight * np.cos(2.0 * np.pi * scale * (z + 0.5))
            scale *= 3.0
            weight *= 0.5
    gap = total / n - WEIERSTRASS_FLOOR
    return 10.0 * gap * gap * gap


@jit
def gallagher(x, data):
    """``(10 - max_p w_p exp(-(1/2n) sum_j c_pj (z_j - y_pj)^2))^2``: peaks of random widths,
    heights and axis ratios (in the rotated coordinates) at random places; the highest (weight
    10) at ``z = 0``. Data after R: ``[peaks, w (peaks), y (peaks x n), c (peaks x n)]``."""
    v, o = coordinates(x, data)
    n = v.size
    base = extra_offset(n, data)
    peaks = int(data[base])
    heights = base + 1
    centres = heights + peaks
    widths = centres + peaks * n
    best = 0.0
    for p in range(peaks):
        total = 0.0
        for j in range(n):
            d = v[j] - o[j] - data[centres + p * n + j]
            total += data[widths + p * n + j] * d * d
        value = data[heights + p] * np.exp(-total / (2.0 * n))
        if value > best:
            best = value
    gap = 10.0 - best
    return gap * gap


@jit
def lunacek(x, data):
    """``min(|z|^2, n + s |z - u|^2) + 10 sum (1 - cos(2 pi z_i))`` with ``z = R (x - x_opt)``:
    two Rastrigin-covered funnels, the wider and shallower one at ``u`` (data after R)."""
    v, o = coordinates(x, data)
    n = v.size
    base = extra_offset(n, data)
    s = 1.0 - 1.0 / (2.0 * np.sqrt(n + 20.0) - 8.2)
    near, far, ripples = 0.0, 0.0, 0.0
    for i in range(n):
        z = v[i] - o[i]
        near += z * z
        d = z - data[base + i]
        far += d * d
        ripples += 1.0 - np.cos(2.0 * np.pi * z)
    return min(near, n + s * far) + 10.0 * ripples


@jit
def linear_slope(x, data):
    """``sum 10^(i / (n - 1)) max(-sign(s_i) (x_i - s_i), 0)`` with the optimum ``s`` on a
    corner of the box: a plane, flat beyond the optimum (never rotated)."""
    n = x.size
    total = 0.0
    for i in range(n):
        weight = 10.0 ** (i / (n - 1)) if n > 1 else 1.0
        s = data[1 + i]
        towards = (x[i] - s) if s < 0.0 else (s - x[i])
        if towards > 0.0:
            total += weight * towards
    return total
