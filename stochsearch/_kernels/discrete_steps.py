"""Neighbourhood proposals on Binary and Permutation spaces, and the in-place moves they share
with the genetic algorithm's permutation mutations.

A proposal receives ``y`` equal to ``x``, so it changes ``y`` in place and records exactly the
positions it changed (``moves``): ``flip_bits`` lists the flipped positions; ``swap_step`` lists
its two positions (and keeps them sorted in ``LO``/``HI``); ``insert_step`` and
``two_opt_step`` change the range ``LO .. HI-1``. ``insert_step`` also keeps where the element
came from and where it went in the two first listed slots, which a range move leaves free.

``params`` layout (``operators.neighborhoods``): ``[unused, k]``; ``k`` (bits flipped per move)
is read by ``flip_bits`` only. Slot 0 is the step size on Real spaces, which optimizers restore
on restarts; here it is never read. ``bit_mutation`` reads ``[unused, rate, first]`` (``first``
= ``P(k = 1 | k >= 1)``, see ``conditioned_binomial``); ``fast_bit_mutation`` reads
``[unused, beta, half, cdf (half values), first (min(half, INVERSION_MEAN) values)]``: the power
law's cumulative distribution on ``1 .. half = max(1, n // 2)``, and ``first`` for each rate
``alpha / n`` drawn by inversion. ``pack`` computes them once per run.

Standard bit mutation flips each bit independently with probability ``rate``, conditioned on at
least one flip. It is drawn as a count ``k ~ Bin(n, rate)`` conditioned on ``k >= 1``, then ``k``
distinct uniform positions: given its count, the set of independently flipped bits is a uniform
``k``-subset, so this is the same distribution as flipping every bit and starting again when
none flipped, at a cost of ``O(k)`` draws instead of ``O(n)`` per attempt.
"""
from __future__ import annotations

from . import moves
from .jit import kernel
from .real_steps import _choose_coordinates

FROM = moves.MOVE_HEADER        # insertion moves: where the element was
TO = moves.MOVE_HEADER + 1      # and where it went

RATE = 1            # bit_mutation's params: the rate, then P(k = 1 | k >= 1)
FIRST = 2
HALF = 2            # fast_bit_mutation's params: [unused, beta, half, cdf..., first...]
FAST_HEADER = 3
#: Largest mean number of flips drawn by inversion (beyond: numpy's binomial, while zero).
INVERSION_MEAN = 10.0


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


@kernel(inline=True)
def conditioned_binomial(n, rate, first, rng):
    """``k ~ Bin(n, rate)`` conditioned on ``k >= 1``; ``first`` is ``P(k = 1 | k >= 1)``
    (precomputed by ``pack``; read only when ``n * rate <= INVERSION_MEAN``).

    Up to a mean of ``INVERSION_MEAN`` flips the count is drawn by inversion from one uniform
    variate, walking up from ``k = 1`` by the ratio of successive terms (about ``n * rate``
    steps of a multiplication each: no rejection, no logarithm per draw). Beyond, a zero has
    probability below ``e^-10``, and numpy's binomial draws are repeated while zero.
    """
    if rate >= 1.0:
        return n
    if n * rate > INVERSION_MEAN:
        while True:
            k = rng.binomial(n, rate)
            if k > 0:
                return k
    u = rng.random()
    odds = rate / (1.0 - rate)
    p = first
    total = first
    k = 1
    while total <= u and k < n:
        p *= (n - k) / (k + 1.0) * odds
        k += 1
        total += p
    return k


@kernel(inline=True)
def flip_distinct(x, y, move, k, rng):
    """Flip ``k`` distinct uniformly random bits of ``y`` (equal to ``x``) and list them.

    Up to ``n / 2`` flips: draw positions and skip those already flipped (fewer than two draws
    per flip, in random order); beyond: one pass of selection sampling (Knuth's algorithm S),
    ``n`` draws, positions in increasing order.
    """
    n = x.size
    move[moves.KIND] = moves.FLIP
    move[moves.COUNT] = k
    if 2 * k <= n:
        c = 0
        while c < k:
            i = int(rng.random() * n)
            if y[i] == x[i]:
                y[i] = 1 - x[i]
                move[moves.MOVE_HEADER + c] = i
                c += 1
        return
    c = 0
    for i in range(n):
        if rng.random() * (n - i) < k - c:
            y[i] = 1 - x[i]
            move[moves.MOVE_HEADER + c] = i
            c += 1


@kernel
def bit_mutation(x, y, move, params, rng):
    """Standard bit mutation with at least one flip: each bit flips with probability
    ``params[RATE]``, conditioned on at least one (module docstring)."""
    k = conditioned_binomial(x.size, params[RATE], params[FIRST], rng)
    flip_distinct(x, y, move, k, rng)


@kernel
def fast_bit_mutation(x, y, move, params, rng):
    """The fast (1+1) EA's heavy-tailed mutation: ``alpha`` from the power law
    ``P(alpha) ~ alpha^-beta`` on ``1 .. half`` (its cumulative distribution is in
    ``params``), then standard bit mutation at rate ``alpha / n`` with at least one flip."""
    half = int(params[HALF])
    u = rng.random()
    alpha = half
    for a in range(1, half + 1):
        if u < params[FAST_HEADER + a - 1]:
            alpha = a
            break
    n = x.size
    first = params[FAST_HEADER + half + alpha - 1] if alpha <= INVERSION_MEAN else 0.0
    k = conditioned_binomial(n, min(alpha / n, 1.0), first, rng)
    flip_distinct(x, y, move, k, rng)
