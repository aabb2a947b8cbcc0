"""Mutation for the genetic algorithm: ``mutate(x, params, rng)`` changes a child in place.

``params[0]`` is the mutation rate per gene, which the genetic algorithm sets
(``operators.mutation``): each bit flips, each Real gene is perturbed, each position of a
permutation starts a move (to another random position) with that probability. A rate of 0 draws
nothing and changes nothing. Only the genes that mutate are visited: the gap to the next one is
geometric, ``floor(e * scale)`` with ``e`` a standard exponential variate (numpy's ziggurat:
cheaper than the logarithm of a uniform) and ``scale = -1 / log(1 - rate)``, which gives every
gene the same independent chance for about ``rate * n + 1`` draws instead of ``n``.

``params``: ``[rate, cached rate, scale, sigma or eta (Real), lower_0 .. lower_{n-1},
width_0 .. width_{n-1} (Real)]``; the kernels fill the cache.
"""
from __future__ import annotations

import numpy as np
from numba import types

from . import signatures
from .discrete_steps import insert_in_place, reverse_in_place, swap_in_place
from .jit import kernel
from .moves import reflect

signatures.register_role("mutate", signatures.per_kind(
    lambda x: types.none(x, signatures.F64, signatures.GENERATOR)))

RATE = 0
CACHED_RATE = 1      # the rate SCALE was computed for
SCALE = 2            # -1 / log(1 - rate), computed once (a logarithm costs as much as a flip)
P_HEADER = 4


@kernel(inline=True)
def gap_scale(params):
    """``-1 / log(1 - rate)``, cached in ``params`` (0 when every gene mutates)."""
    rate = params[RATE]
    if params[CACHED_RATE] != rate:
        params[CACHED_RATE] = rate
        params[SCALE] = -1.0 / np.log1p(-rate) if rate < 1.0 else 0.0
    return params[SCALE]


@kernel(inline=True)
def next_gene(i, scale, n, rng):
    """The next gene after ``i`` to mutate (``n`` when there is none)."""
    if scale == 0.0:
        return i + 1
    gap = np.floor(rng.standard_exponential() * scale)
    if gap >= n - i - 1:
        return n
    return i + 1 + int(gap)


@kernel(inline=True)
def _each_gene(x, params, rng, change):
    """``change(x, i, params, rng)`` at each gene ``i`` that mutates."""
    rate = params[RATE]
    if rate <= 0.0:
        return
    n = x.size
    scale = gap_scale(params)
    i = next_gene(-1, scale, n, rng)
    while i < n:
        change(x, i, params, rng)
        i = next_gene(i, scale, n, rng)


@kernel(inline=True)
def _other(i, n, rng):
    """A position other than ``i``, uniformly (one draw)."""
    j = int(rng.random() * (n - 1))
    return j + 1 if j >= i else j


@kernel(inline=True)
def _flip_gene(x, i, params, rng):
    x[i] = 1 - x[i]


@kernel(inline=True)
def _gaussian_gene(x, i, params, rng):
    lower = params[P_HEADER + i]
    width = params[P_HEADER + x.size + i]
    x[i] = reflect(x[i] + params[3] * width * rng.standard_normal(), lower, lower + width)


@kernel(inline=True)
def _polynomial_gene(x, i, params, rng):
    eta = params[3]
    lower = params[P_HEADER + i]
    width = params[P_HEADER + x.size + i]
    d1 = (x[i] - lower) / width
    d2 = (lower + width - x[i]) / width
    rand = rng.random()
    if rand < 0.5:
        value = 2.0 * rand + (1.0 - 2.0 * rand) * (1.0 - d1) ** (eta + 1.0)
        dq = value ** (1.0 / (eta + 1.0)) - 1.0
    else:
        value = 2.0 * (1.0 - rand) + 2.0 * (rand - 0.5) * (1.0 - d2) ** (eta + 1.0)
        dq = 1.0 - value ** (1.0 / (eta + 1.0))
    x[i] = min(max(x[i] + dq * width, lower), lower + width)


@kernel(inline=True)
def _swap_gene(x, i, params, rng):
    swap_in_place(x, i, _other(i, x.size, rng))


@kernel(inline=True)
def _insert_gene(x, i, params, rng):
    insert_in_place(x, i, _other(i, x.size, rng))


@kernel(inline=True)
def _inversion_gene(x, i, params, rng):
    j = _other(i, x.size, rng)
    reverse_in_place(x, min(i, j), max(i, j) + 1)


@kernel
def bit_flip(x, params, rng):
    """Flip each bit with probability ``rate``."""
    _each_gene(x, params, rng, _flip_gene)


@kernel
def gaussian(x, params, rng):
    """Add ``N(0, (sigma * width)^2)`` to each gene with probability ``rate``, reflected into
    the box."""
    _each_gene(x, params, rng, _gaussian_gene)


@kernel
def polynomial(x, params, rng):
    """Deb's bounded polynomial mutation (distribution index ``eta``) of each gene with
    probability ``rate``, as in NSGA-II's code and DEAP."""
    _each_gene(x, params, rng, _polynomial_gene)


@kernel
def swap(x, params, rng):
    """Exchange each element, with probability ``rate``, with another random one."""
    _each_gene(x, params, rng, _swap_gene)


@kernel
def insert(x, params, rng):
    """Move the element at each position, with probability ``rate``, to another random
    position."""
    _each_gene(x, params, rng, _insert_gene)


@kernel
def inversion(x, params, rng):
    """Reverse, from each position with probability ``rate``, the segment to another random
    position (both included)."""
    _each_gene(x, params, rng, _inversion_gene)
