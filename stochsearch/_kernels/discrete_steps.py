"""Neighbourhood proposals on Binary and Permutation spaces, and the in-place moves they share
with the genetic algorithm's permutation mutations.

A proposal receives ``y`` equal to ``x``, so it changes ``y`` in place and records exactly the
positions it changed (``moves``): ``flip_bits`` lists the flipped positions; ``swap_step`` lists
its two positions (and keeps them sorted in ``LO``/``HI``); ``insert_step`` and
``two_opt_step`` change the range ``LO .. HI-1``. ``insert_step`` also keeps where the element
came from and where it went in the two first listed slots, which a range move leaves free.

``params`` layout (``operators.neighborhoods``): ``[unused, k]``; ``k`` (bits flipped per move)
is read by ``flip_bits`` only. Slot 0 is the step size on Real spaces, which optimizers restore
on restarts; here it is never read.
"""
from __future__ import annotations

from . import moves
from .jit import kernel
from .real_steps import _choose_coordinates

FROM = moves.MOVE_HEADER        # insertion moves: where the element was
TO = moves.MOVE_HEADER + 1      # and where it went


@kernel(inline=True)
def distinct_pair(n, rng):
    """Two distinct positions ``i != j`` of ``0 .. n-1``, uniformly (two draws)."""
    i = int(rng.random() * n)
    j = int(rng.random() * (n - 1))
    if j >= i:
        j += 1
    return i, j


@kernel(inline=True)
def swap_in_place(y, i, j):
    t = y[i]
    y[i] = y[j]
    y[j] = t


@kernel(inline=True)
def reverse_in_place(y, lo, hi):
    """Reverse ``y[lo:hi]``."""
    hi -= 1
    while lo < hi:
        t = y[lo]
        y[lo] = y[hi]
        y[hi] = t
        lo += 1
        hi -= 1


@kernel(inline=True)
def insert_in_place(y, i, j):
    """Take the element at position ``i`` out and put it back at position ``j``."""
    t = y[i]
    if i < j:
        for p in range(i, j):
            y[p] = y[p + 1]
    else:
        for p in range(i, j, -1):
            y[p] = y[p - 1]
    y[j] = t


@kernel
def flip_bits(x, y, move, params, rng):
    """Flip ``k`` distinct random bits (all of them if ``k >= n``)."""
    listed = _choose_coordinates(x.size, move, params, rng)
    move[moves.KIND] = moves.FLIP
    if listed == 0:
        for i in range(x.size):
            y[i] = 1 - x[i]
        return
    for c in range(listed):
        i = move[moves.MOVE_HEADER + c]
        y[i] = 1 - x[i]


@kernel
def swap_step(x, y, move, params, rng):
    """Exchange the elements at two random positions."""
    i, j = distinct_pair(x.size, rng)
    swap_in_place(y, i, j)
    move[moves.KIND] = moves.SWAP
    move[moves.COUNT] = 2
    move[moves.MOVE_HEADER] = i
    move[moves.MOVE_HEADER + 1] = j
    move[moves.LO] = min(i, j)
    move[moves.HI] = max(i, j)


@kernel
def insert_step(x, y, move, params, rng):
    """Move the element at a random position to another random position."""
    i, j = distinct_pair(x.size, rng)
    insert_in_place(y, i, j)
    moves.set_range(move, moves.INSERT, min(i, j), max(i, j) + 1)
    move[FROM] = i
    move[TO] = j


@kernel
def two_opt_step(x, y, move, params, rng):
    """Reverse the segment between two random positions (both included): on a tour, the 2-opt
    move that replaces two edges by two others."""
    i, j = distinct_pair(x.size, rng)
    lo, hi = min(i, j), max(i, j) + 1
    reverse_in_place(y, lo, hi)
    moves.set_range(move, moves.REVERSE, lo, hi)
