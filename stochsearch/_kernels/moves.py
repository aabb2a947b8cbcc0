"""Move records: which coordinates a neighbourhood move changed.

A proposal ``propose(x, y, move, params, rng)`` turns ``y`` (equal to ``x`` on entry) into a
neighbour of ``x`` and describes the change in ``move`` (int64, length ``MOVE_HEADER + dim``):

- ``move[KIND]``: a code of the neighbourhood (for incremental ``delta`` functions);
- ``move[COUNT] >= 0``: the changed positions are ``move[MOVE_HEADER:MOVE_HEADER + count]``;
- ``move[COUNT] == RANGE``: the changed positions are ``move[LO] .. move[HI] - 1``;
- ``move[LO]``, ``move[HI]``: the range, or free for two arguments of the move (e.g. the ends
  of a 2-opt segment) when positions are listed.

Accepting a move copies the changed positions from ``y`` to ``x``; rejecting copies them back,
so a step costs O(changed) rather than O(dim).
"""
from __future__ import annotations

import numpy as np

from .jit import kernel

KIND = 0
COUNT = 1
LO = 2
HI = 3
MOVE_HEADER = 4
RANGE = -1

# Kind codes of the built-in neighbourhoods (delta functions may dispatch on them).
REAL_STEP = 1
FLIP = 10
SWAP = 20
INSERT = 21
REVERSE = 22
INTEGER_STEP = 30
# A neighbourhood written in Python: the changed positions listed (no delta reads it).
CUSTOM = 40


def move_length(dim: int) -> int:
    """Length of a move record for points of ``dim`` coordinates."""
    return MOVE_HEADER + dim


@kernel(inline=True)
def apply_move(source, target, move):
    """Copy the positions changed by ``move`` from ``source`` to ``target``."""
    count = move[COUNT]
    if count == RANGE:
        for i in range(move[LO], move[HI]):
            target[i] = source[i]
    else:
        for c in range(count):
            i = move[MOVE_HEADER + c]
            target[i] = source[i]


@kernel(inline=True)
def copy_into(source, target):
    """``target[:] = source`` as a loop (numba's slice assignment may allocate a temporary
    when both are views of one array, and kernels never allocate)."""
    for i in range(source.size):
        target[i] = source[i]


@kernel(inline=True)
def set_range(move, kind, lo, hi):
    """Record a move that changed positions ``lo .. hi - 1``."""
    move[KIND] = kind
    move[COUNT] = RANGE
    move[LO] = lo
    move[HI] = hi


@kernel(inline=True)
def reflect(value, lower, upper):
    """``value`` folded into ``[lower, upper]`` by mirror reflection at the bounds.

    Exact for any distance outside the box (a Cauchy step can be huge), and clamped so that
    rounding never leaves the box.
    """
    if lower <= value <= upper:
        return value
    if value != value:
        return lower
    width = upper - lower
    t = np.fmod(value - lower, 2.0 * width)
    if t < 0.0:
        t += 2.0 * width
    if t > width:
        t = 2.0 * width - t
    return min(max(lower + t, lower), upper)
