"""numba kernels of the permutation problems (the classes are in ``permutations.py``).

TSP data: ``[n, D (n * n, row by row)]`` with integer distances (TSPLIB rounds them), so that
the incremental ``delta`` of a move equals a full evaluation exactly.
"""
from __future__ import annotations

import numpy as np

from stochsearch import jit
from stochsearch import moves


@jit(inline="always")
def _d(data, n, a, b):
    return data[1 + a * n + b]


@jit
def tsp(x, data):
    """Length of the closed tour visiting the cities in the order ``x``."""
    n = x.size
    total = 0.0
    previous = x[n - 1]
    for i in range(n):
        total += data[1 + previous * n + x[i]]
        previous = x[i]
    return total


@jit(inline="always")
def _edge_change(x_old, x_new, data, n, k):
    """New minus old length of tour edge ``k`` (from position ``k`` to ``k + 1``, cyclic)."""
    k = k % n
    after = (k + 1) % n
    return _d(data, n, x_new[k], x_new[after]) - _d(data, n, x_old[k], x_old[after])


@jit
def tsp_delta(x_old, x_new, move, data, f_old):
    """A reversal (2-opt) changes two edges: four distance lookups. Any other move changes
    the edges next to the positions it changed; a move of more than 16 positions is
    evaluated in full."""
    n = x_old.size
    count = move[moves.COUNT]
    if count == moves.RANGE:
        lo, hi = move[moves.LO], move[moves.HI]
        if hi - lo >= n - 1:  # the whole tour reversed (or all but one city): same length
            return f_old if move[moves.KIND] == moves.REVERSE else tsp(x_new, data)
        if move[moves.KIND] == moves.REVERSE:
            before, first, last = x_old[(lo - 1) % n], x_old[lo], x_old[hi - 1]
            after = x_old[hi % n]
            return f_old - _d(data, n, before, first) - _d(data, n, last, after) \
                + _d(data, n, before, last) + _d(data, n, first, after)
        if hi - lo > 16:
            return tsp(x_new, data)
        total = f_old
        for k in range(lo - 1, hi):
            total += _edge_change(x_old, x_new, data, n, k)
        return total
    if count > 16:
        return tsp(x_new, data)
    total = f_old
    for c in range(count):
        p = move[moves.MOVE_HEADER + c]
        for k in (p - 1 + n, p):  # the edges into and out of position p
            seen = False
            for c2 in range(c):
                q = move[moves.MOVE_HEADER + c2]
                seen = seen or k % n == (q - 1 + n) % n or k % n == q
            if not seen:
                total += _edge_change(x_old, x_new, data, n, k)
    return total


@jit
def n_queens(x, data):
    """Pairs of queens on a common diagonal (queen ``i`` in row ``i``, column ``x[i]``; a
    permutation already keeps rows and columns apart)."""
    n = x.size
    down = np.zeros(2 * n - 1, np.int64)
    up = np.zeros(2 * n - 1, np.int64)
    for i in range(n):
        down[i + x[i]] += 1
        up[i - x[i] + n - 1] += 1
    pairs = 0
    for d in range(2 * n - 1):
        pairs += down[d] * (down[d] - 1) // 2 + up[d] * (up[d] - 1) // 2
    return float(pairs)
