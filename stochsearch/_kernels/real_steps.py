"""Neighbourhood proposals on Real spaces: Gaussian and Cauchy steps, reflected into the box.

``params`` layout (built by ``operators.neighborhoods.RealStep.pack``):
``[step, coords, lower_0 .. lower_{n-1}, width_0 .. width_{n-1}]``. ``step`` is the step size
relative to each coordinate's width, the one number that optimizers adapt; ``coords`` is how many
random coordinates a move changes (``dim`` or more means all of them).
"""
from __future__ import annotations

import numpy as np

from . import moves
from .jit import kernel

STEP = 0
COORDS = 1
P_HEADER = 2


@kernel(inline=True)
def _perturb(x, y, i, delta, params):
    n = x.size
    lower = params[P_HEADER + i]
    width = params[P_HEADER + n + i]
    y[i] = moves.reflect(x[i] + delta * width, lower, lower + width)


@kernel(inline=True)
def _choose_coordinates(n, move, params, rng):
    """Record which coordinates change: all of them, or ``coords`` distinct random ones.

    Returns the number of listed coordinates (0 when the move changes all of them).
    """
    k = int(params[COORDS])
    move[moves.KIND] = moves.REAL_STEP
    if k >= n:
        move[moves.COUNT] = moves.RANGE
        move[moves.LO] = 0
        move[moves.HI] = n
        return 0
    move[moves.COUNT] = k
    if k == 1:
        move[moves.MOVE_HEADER] = int(rng.random() * n)
        return 1
    c = 0
    while c < k:
        i = int(rng.random() * n)
        for j in range(c):
            if move[moves.MOVE_HEADER + j] == i:
                i = -1
                break
        if i >= 0:
            move[moves.MOVE_HEADER + c] = i
            c += 1
    return k


@kernel(inline=True)
def _step(x, y, move, params, rng, heavy_tailed):
    listed = _choose_coordinates(x.size, move, params, rng)
    step = params[STEP]
    count = x.size if listed == 0 else listed
    for c in range(count):
        i = c if listed == 0 else move[moves.MOVE_HEADER + c]
        if heavy_tailed:
            # numpy's standard_cauchy, draw for draw (a ratio of two standard normals),
            # written out so that it is inlined.
            delta = rng.standard_normal() / rng.standard_normal()
        else:
            delta = rng.standard_normal()
        _perturb(x, y, i, step * delta, params)


@kernel
def gaussian_step(x, y, move, params, rng):
    """Add ``N(0, (step * width)^2)`` to the chosen coordinates."""
    _step(x, y, move, params, rng, False)


@kernel
def cauchy_step(x, y, move, params, rng):
    """Add a Cauchy variate of scale ``step * width`` to the chosen coordinates (heavy tails:
    mostly small steps, sometimes a jump across the box)."""
    _step(x, y, move, params, rng, True)


# --- steps with a learned shape ---------------------------------------------------------------
# ``params`` of a covariance step: the header above (``coords`` is ``dim``), then the Cholesky
# factor ``A`` (dim x dim, row-major), the last standard normal draw ``z``, ``A z``, the last
# proposal, a flag (1 once a proposal exists) and the learning rate ``c``.


@kernel(inline=True)
def _rank_one_update(a, z, az, n, c):
    """``A <- sqrt(1 - c) A + sqrt(1 - c) / |z|^2 (sqrt(1 + c |z|^2 / (1 - c)) - 1) (A z) z^T``:
    the Cholesky factor of ``(1 - c) A A^T + c (A z)(A z)^T`` (Igel, Suttorp & Hansen 2006,
    Theorem 1), in O(dim^2) without a decomposition."""
    norm2 = 0.0
    for i in range(n):
        norm2 += z[i] * z[i]
    if norm2 <= 0.0:
        return
    keep = np.sqrt(1.0 - c)
    gain = keep / norm2 * (np.sqrt(1.0 + c * norm2 / (1.0 - c)) - 1.0)
    for i in range(n):
        row = i * n
        gi = gain * az[i]
        for j in range(n):
            a[row + j] = keep * a[row + j] + gi * z[j]


@kernel
def covariance_step(x, y, move, params, rng):
    """A Gaussian step ``step * width * (A z)``, clipped into the box, whose factor ``A`` learns
    from the moves that were taken: when ``x`` is the previous proposal (it was accepted), ``A``
    gets the rank-one update toward that step before the next one is drawn. With probability
    ``axis`` the step is instead a Cauchy jump of scale ``step * width`` along one random
    coordinate (no update of ``A`` follows it)."""
    n = x.size
    base = P_HEADER + 2 * n
    a = params[base:base + n * n]
    z = params[base + n * n:base + n * n + n]
    az = params[base + n * n + n:base + n * n + 2 * n]
    last = params[base + n * n + 2 * n:base + n * n + 3 * n]
    flag = base + n * n + 3 * n
    if params[flag] == 1.0:
        taken = True
        for i in range(n):
            if x[i] != last[i]:
                taken = False
                break
        if taken:
            _rank_one_update(a, z, az, n, params[flag + 1])
    step = params[STEP]
    axis = params[flag + 2]
    if axis > 0.0 and rng.random() < axis:
        i = int(rng.random() * n)
        lower = params[P_HEADER + i]
        width = params[P_HEADER + n + i]
        delta = rng.standard_normal() / rng.standard_normal()
        y[i] = min(max(x[i] + step * width * delta, lower), lower + width)
        params[flag] = 0.0               # not a step of A: no update after it
        move[moves.KIND] = moves.REAL_STEP
        move[moves.COUNT] = 1
        move[moves.MOVE_HEADER] = i
        return
    for i in range(n):
        z[i] = rng.standard_normal()
    for i in range(n):
        row = i * n
        total = 0.0
        for j in range(n):
            total += a[row + j] * z[j]
        az[i] = total
        lower = params[P_HEADER + i]
        width = params[P_HEADER + n + i]
        y[i] = min(max(x[i] + step * width * total, lower), lower + width)
        last[i] = y[i]
    params[flag] = 1.0
    move[moves.KIND] = moves.REAL_STEP
    move[moves.COUNT] = moves.RANGE
    move[moves.LO] = 0
    move[moves.HI] = n
