"""Neighbourhood proposals on Real spaces: Gaussian and Cauchy steps, reflected into the box.

``params`` layout (built by ``operators.neighborhoods.RealStep.pack``):
``[step, coords, lower_0 .. lower_{n-1}, width_0 .. width_{n-1}]``. ``step`` is the step size
relative to each coordinate's width, the one number that optimizers adapt; ``coords`` is how many
random coordinates a move changes (``dim`` or more means all of them).
"""
from __future__ import annotations

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
