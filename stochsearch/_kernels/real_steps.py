"""Neighbourhood proposals on Real spaces: Gaussian and Cauchy steps, reflected into the box.

``params`` layout (built by ``operators.neighborhoods.RealStep.pack``):
``[step, coords, lower_0 .. lower_{n-1}, width_0 .. width_{n-1}]``. ``step`` is the step size
relative to each coordinate's width, the one number that optimizers adapt; ``coords`` is how many
random coordinates a move changes (``dim`` or more means all of them).
"""
from __future__ import annotations

from . import moves
from .jit import jit

STEP = 0
COORDS = 1
P_HEADER = 2


@jit
def _perturb(x, y, i, delta, params):
    n = x.size
    lower = params[P_HEADER + i]
    width = params[P_HEADER + n + i]
    y[i] = moves.reflect(x[i] + delta * width, lower, lower + width)


@jit
def _choose_coordinates(x, move, params, rng):
    """Record which coordinates change: all, or ``coords`` distinct ones drawn at random."""
    n = x.size
    k = int(params[COORDS])
    if k >= n:
        moves.set_range(move, moves.REAL_STEP, 0, n)
        return
    move[moves.KIND] = moves.REAL_STEP
    move[moves.COUNT] = k
    c = 0
    while c < k:
        i = int(rng.random() * n)
        duplicate = False
        for j in range(c):
            if move[moves.MOVE_HEADER + j] == i:
                duplicate = True
                break
        if not duplicate:
            move[moves.MOVE_HEADER + c] = i
            c += 1
    lo = n
    hi = 0
    for j in range(k):
        lo = min(lo, move[moves.MOVE_HEADER + j])
        hi = max(hi, move[moves.MOVE_HEADER + j] + 1)
    move[moves.LO] = lo
    move[moves.HI] = hi


@jit
def gaussian_step(x, y, move, params, rng):
    """Add ``N(0, (step * width)^2)`` to the chosen coordinates."""
    _choose_coordinates(x, move, params, rng)
    step = params[STEP]
    if move[moves.COUNT] == moves.RANGE:
        for i in range(x.size):
            _perturb(x, y, i, step * rng.standard_normal(), params)
    else:
        for c in range(move[moves.COUNT]):
            _perturb(x, y, move[moves.MOVE_HEADER + c], step * rng.standard_normal(), params)


@jit
def cauchy_step(x, y, move, params, rng):
    """Add a Cauchy variate of scale ``step * width`` to the chosen coordinates (heavy tails:
    mostly small steps, sometimes a jump across the box)."""
    _choose_coordinates(x, move, params, rng)
    step = params[STEP]
    if move[moves.COUNT] == moves.RANGE:
        for i in range(x.size):
            _perturb(x, y, i, step * rng.standard_cauchy(), params)
    else:
        for c in range(move[moves.COUNT]):
            _perturb(x, y, move[moves.MOVE_HEADER + c], step * rng.standard_cauchy(), params)
