"""numba kernels of the continuous landscapes (the classes are in ``landscapes.py``).

Each textbook function ``g`` is written once, in ``_g(v, o, k, gz)`` with ``z_i = v[i] - o[k + i]``:
it returns ``g(z)`` and writes the gradient into ``gz`` unless ``gz`` is None (numba compiles the
objective's version without the gradient's code). Three wrappers have the fixed signatures of a
Real space: ``g_unrotated(x, data)`` passes ``x`` and ``data`` themselves (``k = 1`` skips the
rotation flag: ``z = x - s``), so the objective of an unrotated landscape allocates nothing,
creates no view and tests no flag: as fast as a plain loop of its formula (bench/
perf_landscapes.py); ``g(x, data)`` and ``g_gradient(x, data, out)`` apply the shift and
rotation ``z = R (x - s)`` held in ``data`` whatever it is (the landscapes use ``g`` for rotated
instances). A branch to the allocating rotation inside the unrotated objective cost it 3 ns of
Sphere-10's 5.5 ns, even untaken. Every function is defined at module level, not made by a
factory, because numba's on-disk cache skips closures.
"""
from __future__ import annotations

import numpy as np

from stochsearch import jit

#: ``max_z z sin(sqrt|z|)`` on [-500, 500], at z = 420.968746...: the Schwefel 2.26 offset.
SCHWEFEL_PEAK = 418.9828872724337


# --- the transformation z = R (x - s), shared by all landscapes -------------------------------
@jit
def rotate(data, v, out, transpose):
    """``out = R v``, or ``R^T v`` if ``transpose``, with ``R`` read from ``data`` row by row
    (in both cases the inner loop walks along a row of ``R``)."""
    n = v.size
    base = 1 + n
    if transpose:
        out[:n] = 0.0
        for i in range(n):
            for j in range(n):
                out[j] += data[base + i * n + j] * v[i]
        return
    for i in range(n):
        acc = 0.0
        for j in range(n):
            acc += data[base + i * n + j] * v[j]
        out[i] = acc


@jit
def to_z(x, data):
    """``z = R (x - s)`` (a new array)."""
    z = np.empty(x.size)
    for i in range(x.size):
        z[i] = x[i] - data[1 + i]
    if data[0] == 0.0:
        return z
    rotated = np.empty(x.size)
    rotate(data, z, rotated, False)
    return rotated


@jit
def coordinates(x, data):
    """``(v, o)`` with ``z = v - o``: ``(x, s)`` without rotation, so that the objective of an
    unrotated landscape allocates nothing (an allocation costs as much as the ten cosines of
    Rastrigin-10); ``(R (x - s), 0)`` with one."""
    if data[0] == 0.0:
        return x, data[1:1 + x.size]
    return to_z(x, data), np.zeros(x.size)


@jit
def gradient_buffer(data, out):
    """Where a gradient function has ``_g`` write the gradient with respect to ``z``: ``out``
    itself when there is no rotation (then it is also the gradient with respect to ``x``)."""
    return out if data[0] == 0.0 else np.empty(out.size)


@jit
def pull_back(gz, data, out, f):
    """``out = R^T gz``, the gradient with respect to ``x`` from the one with respect to ``z``
    in the buffer ``gz`` from ``gradient_buffer``; returns ``f``, the value that goes with it."""
    if data[0] != 0.0:
        rotate(data, gz, out, True)
    return f


# --- functions with a bounded natural domain: g(clip(z)) + |z - clip(z)|^2 --------------------
@jit
def clip(z, low, high):
    """``z`` clipped to ``[low, high]``. Outside the box ``g(clip(z))`` is flat along the
    clipped coordinate, so only the penalty's gradient, ``2 (z - clip(z))``, remains there."""
    return min(max(z, low), high)


# --- any dimension ----------------------------------------------------------------------------
@jit(inline="always")
def _sphere(v, o, k, gz):
    total = 0.0
    for i in range(v.size):
        z = v[i] - o[k + i]
        total += z * z
        if gz is not None:
            gz[i] = 2.0 * z
    return total


@jit
def sphere(x, data):
    v, o = coordinates(x, data)
    return _sphere(v, o, 0, None)


@jit
def sphere_unrotated(x, data):
    return _sphere(x, data, 1, None)


@jit
def sphere_gradient(x, data, out):
    v, o = coordinates(x, data)
    gz = gradient_buffer(data, out)
    return pull_back(gz, data, out, _sphere(v, o, 0, gz))


@jit(inline="always")
def _ellipsoid(v, o, k, gz):
    n = v.size
    total = 0.0
    for i in range(n):
        z = v[i] - o[k + i]
        weight = 10.0 ** (6.0 * i / (n - 1)) if n > 1 else 1.0
        total += weight * z * z
        if gz is not None:
            gz[i] = 2.0 * weight * z
    return total


@jit
def ellipsoid(x, data):
    v, o = coordinates(x, data)
    return _ellipsoid(v, o, 0, None)


@jit
def ellipsoid_unrotated(x, data):
    return _ellipsoid(x, data, 1, None)


@jit
def ellipsoid_gradient(x, data, out):
    v, o = coordinates(x, data)
    gz = gradient_buffer(data, out)
    return pull_back(gz, data, out, _ellipsoid(v, o, 0, gz))


@jit(inline="always")
def _rastrigin(v, o, k, gz):
    total = 10.0 * v.size
    for i in range(v.size):
        z = v[i] - o[k + i]
        total += z * z - 10.0 * np.cos(2.0 * np.pi * z)
        if gz is not None:
            gz[i] = 2.0 * z + 20.0 * np.pi * np.sin(2.0 * np.pi * z)
    return total


@jit
def rastrigin(x, data):
    v, o = coordinates(x, data)
    return _rastrigin(v, o, 0, None)


@jit
def rastrigin_unrotated(x, data):
    return _rastrigin(x, data, 1, None)


@jit
def rastrigin_gradient(x, data, out):
    v, o = coordinates(x, data)
    gz = gradient_buffer(data, out)
    return pull_back(gz, data, out, _rastrigin(v, o, 0, gz))


@jit(inline="always")
def _rosenbrock(v, o, k, gz):
    if gz is not None:
        gz[:] = 0.0
    total = 0.0
    for i in range(v.size - 1):
        z, z_next = v[i] - o[k + i], v[i + 1] - o[k + i + 1]
        valley = z_next - z * z
        total += 100.0 * valley * valley + (1.0 - z) ** 2
        if gz is not None:
            gz[i] += -400.0 * z * valley - 2.0 * (1.0 - z)
            gz[i + 1] += 200.0 * valley
    return total


@jit
def rosenbrock(x, data):
    v, o = coordinates(x, data)
    return _rosenbrock(v, o, 0, None)


@jit
def rosenbrock_unrotated(x, data):
    return _rosenbrock(x, data, 1, None)


@jit
def rosenbrock_gradient(x, data, out):
    v, o = coordinates(x, data)
    gz = gradient_buffer(data, out)
    return pull_back(gz, data, out, _rosenbrock(v, o, 0, gz))


@jit(inline="always")
def _ackley(v, o, k, gz):
    n = v.size
    squares, cosines = 0.0, 0.0
    for i in range(n):
        z = v[i] - o[k + i]
        squares += z * z
        cosines += np.cos(2.0 * np.pi * z)
    radius = np.sqrt(squares / n)
    bowl, ripples = np.exp(-0.2 * radius), np.exp(cosines / n)
    if gz is not None:
        # The cone's tip at radius 0 has no gradient; 0 is a subgradient there.
        cone = 4.0 * bowl / (n * radius) if radius > 0.0 else 0.0
        for i in range(n):
            z = v[i] - o[k + i]
            gz[i] = cone * z + 2.0 * np.pi * ripples * np.sin(2.0 * np.pi * z) / n
    return 20.0 + np.e - 20.0 * bowl - ripples


@jit
def ackley(x, data):
    v, o = coordinates(x, data)
    return _ackley(v, o, 0, None)


@jit
def ackley_unrotated(x, data):
    return _ackley(x, data, 1, None)


@jit
def ackley_gradient(x, data, out):
    v, o = coordinates(x, data)
    gz = gradient_buffer(data, out)
    return pull_back(gz, data, out, _ackley(v, o, 0, gz))


@jit(inline="always")
def _griewank(v, o, k, gz):
    n = v.size
    squares, product = 0.0, 1.0
    for i in range(n):
        z = v[i] - o[k + i]
        squares += z * z
        product *= np.cos(z / np.sqrt(i + 1.0))
    if gz is not None:
        # Products of the other cosines from prefix and suffix products: no division by a
        # cosine that may be zero.
        cosines = np.empty(n)
        for i in range(n):
            cosines[i] = np.cos((v[i] - o[k + i]) / np.sqrt(i + 1.0))
        after = np.ones(n + 1)
        for i in range(n - 1, -1, -1):
            after[i] = after[i + 1] * cosines[i]
        before = 1.0
        for i in range(n):
            z = v[i] - o[k + i]
            scale = 1.0 / np.sqrt(i + 1.0)
            gz[i] = z / 2000.0 + np.sin(z * scale) * scale * before * after[i + 1]
            before *= cosines[i]
    return 1.0 + squares / 4000.0 - product


@jit
def griewank(x, data):
    v, o = coordinates(x, data)
    return _griewank(v, o, 0, None)


@jit
def griewank_unrotated(x, data):
    return _griewank(x, data, 1, None)


@jit
def griewank_gradient(x, data, out):
    v, o = coordinates(x, data)
    gz = gradient_buffer(data, out)
    return pull_back(gz, data, out, _griewank(v, o, 0, gz))


@jit(inline="always")
def _schwefel(v, o, k, gz):
    total, penalty = 0.0, 0.0
    for i in range(v.size):
        z = v[i] - o[k + i]
        c = clip(z, -500.0, 500.0)
        penalty += (z - c) ** 2
        root = np.sqrt(abs(c))
        total += c * np.sin(root)
        if gz is not None:
            gz[i] = -np.sin(root) - 0.5 * root * np.cos(root) if z == c else 2.0 * (z - c)
    return SCHWEFEL_PEAK * v.size - total + penalty


@jit
def schwefel(x, data):
    v, o = coordinates(x, data)
    return _schwefel(v, o, 0, None)


@jit
def schwefel_unrotated(x, data):
    return _schwefel(x, data, 1, None)


@jit
def schwefel_gradient(x, data, out):
    v, o = coordinates(x, data)
    gz = gradient_buffer(data, out)
    return pull_back(gz, data, out, _schwefel(v, o, 0, gz))


@jit(inline="always")
def _levy(v, o, k, gz):
    n = v.size
    if gz is not None:
        gz[:] = 0.0
    w = 1.0 + (v[0] - o[k] - 1.0) / 4.0
    total = np.sin(np.pi * w) ** 2
    if gz is not None:
        gz[0] = np.pi * np.sin(2.0 * np.pi * w) / 4.0
    for i in range(n - 1):
        w = 1.0 + (v[i] - o[k + i] - 1.0) / 4.0
        wave = np.sin(np.pi * w + 1.0)
        total += (w - 1.0) ** 2 * (1.0 + 10.0 * wave * wave)
        if gz is not None:
            gz[i] += (2.0 * (w - 1.0) * (1.0 + 10.0 * wave * wave)
                      + 10.0 * np.pi * (w - 1.0) ** 2 * np.sin(2.0 * np.pi * w + 2.0)) / 4.0
    w = 1.0 + (v[n - 1] - o[k + n - 1] - 1.0) / 4.0
    wave = np.sin(2.0 * np.pi * w)
    total += (w - 1.0) ** 2 * (1.0 + wave * wave)
    if gz is not None:
        gz[n - 1] += (2.0 * (w - 1.0) * (1.0 + wave * wave)
                      + 2.0 * np.pi * (w - 1.0) ** 2 * np.sin(4.0 * np.pi * w)) / 4.0
    return total


@jit
def levy(x, data):
    v, o = coordinates(x, data)
    return _levy(v, o, 0, None)


@jit
def levy_unrotated(x, data):
    return _levy(x, data, 1, None)


@jit
def levy_gradient(x, data, out):
    v, o = coordinates(x, data)
    gz = gradient_buffer(data, out)
    return pull_back(gz, data, out, _levy(v, o, 0, gz))


@jit(inline="always")
def _styblinski_tang(v, o, k, gz):
    total = 0.0
    for i in range(v.size):
        z = v[i] - o[k + i]
        square = z * z
        total += square * square - 16.0 * square + 5.0 * z
        if gz is not None:
            gz[i] = 2.0 * square * z - 16.0 * z + 2.5
    return 0.5 * total


@jit
def styblinski_tang(x, data):
    v, o = coordinates(x, data)
    return _styblinski_tang(v, o, 0, None)


@jit
def styblinski_tang_unrotated(x, data):
    return _styblinski_tang(x, data, 1, None)


@jit
def styblinski_tang_gradient(x, data, out):
    v, o = coordinates(x, data)
    gz = gradient_buffer(data, out)
    return pull_back(gz, data, out, _styblinski_tang(v, o, 0, gz))


@jit(inline="always")
def _michalewicz(v, o, k, gz):
    total, penalty = 0.0, 0.0
    for i in range(v.size):
        z = v[i] - o[k + i]
        c = clip(z, 0.0, np.pi)
        penalty += (z - c) ** 2
        theta = (i + 1.0) * c * c / np.pi
        wave = np.sin(theta)
        wave19 = wave ** 19
        total -= np.sin(c) * wave19 * wave
        if gz is not None:
            gz[i] = -(np.cos(c) * wave19 * wave + np.sin(c) * 20.0 * wave19
                      * np.cos(theta) * 2.0 * (i + 1.0) * c / np.pi) if z == c else 2.0 * (z - c)
    return total + penalty


@jit
def michalewicz(x, data):
    v, o = coordinates(x, data)
    return _michalewicz(v, o, 0, None)


@jit
def michalewicz_unrotated(x, data):
    return _michalewicz(x, data, 1, None)


@jit
def michalewicz_gradient(x, data, out):
    v, o = coordinates(x, data)
    gz = gradient_buffer(data, out)
    return pull_back(gz, data, out, _michalewicz(v, o, 0, gz))


@jit(inline="always")
def _zakharov(v, o, k, gz):
    squares, weighted = 0.0, 0.0
    for i in range(v.size):
        z = v[i] - o[k + i]
        squares += z * z
        weighted += 0.5 * (i + 1.0) * z
    if gz is not None:
        outer = 2.0 * weighted + 4.0 * weighted ** 3
        for i in range(v.size):
            gz[i] = 2.0 * (v[i] - o[k + i]) + 0.5 * (i + 1.0) * outer
    return squares + weighted ** 2 + weighted ** 4


@jit
def zakharov(x, data):
    v, o = coordinates(x, data)
    return _zakharov(v, o, 0, None)


@jit
def zakharov_unrotated(x, data):
    return _zakharov(x, data, 1, None)


@jit
def zakharov_gradient(x, data, out):
    v, o = coordinates(x, data)
    gz = gradient_buffer(data, out)
    return pull_back(gz, data, out, _zakharov(v, o, 0, gz))
