"""Crossover for the genetic algorithm: ``crossover(a, b, c, d, params, work, rng)`` writes two
children ``c`` and ``d`` of the parents ``a`` and ``b``. ``work`` (int64, ``2 * n``) is scratch
space for the permutation crossovers.

``params`` (``operators.crossover``): on Real spaces ``[alpha or eta, lower_0 .. lower_{n-1},
width_0 .. width_{n-1}]`` for the blend and simulated binary crossovers (children are kept in
the box); ``[]`` for the others.
"""
from __future__ import annotations

from numba import types

from . import signatures
from .discrete_steps import distinct_pair
from .jit import kernel

signatures.register_role("crossover", signatures.per_kind(
    lambda x: types.none(x, x, x, x, signatures.F64, signatures.I64,
                         signatures.GENERATOR)))

P_HEADER = 1
TWO_POW_53 = 9007199254740992.0


@kernel(inline=True)
def cut_pair(n, rng):
    """A segment ``lo .. hi-1`` between two distinct cut points of ``0 .. n``."""
    i, j = distinct_pair(n + 1, rng)
    return min(i, j), max(i, j)


@kernel(inline=True)
def _bounds(params, i, n):
    lower = params[P_HEADER + i]
    return lower, lower + params[P_HEADER + n + i]


@kernel(inline=True)
def _exchange(a, b, c, d, lo, hi):
    """Children that exchange the genes ``lo .. hi-1`` of their parents."""
    for i in range(a.size):
        inside = lo <= i < hi
        c[i] = b[i] if inside else a[i]
        d[i] = a[i] if inside else b[i]


@kernel
def one_point(a, b, c, d, params, work, rng):
    """Children swap their tails after a random cut ``1 .. n-1``."""
    n = a.size
    _exchange(a, b, c, d, 1 + int(rng.random() * (n - 1)) if n > 1 else n, n)


@kernel
def two_point(a, b, c, d, params, work, rng):
    """Children swap the segment between two random cut points."""
    lo, hi = cut_pair(a.size, rng)
    _exchange(a, b, c, d, lo, hi)


@kernel
def uniform(a, b, c, d, params, work, rng):
    """Each gene comes from either parent with probability 1/2 (53 genes per random draw:
    the bits of ``int(2**53 * u)``)."""
    bits = 0
    left = 0
    for i in range(a.size):
        if left == 0:
            bits = int(rng.random() * TWO_POW_53)
            left = 53
        # Selects rather than branches: a branch on a random bit is mispredicted half the time.
        take = (bits & 1) == 1
        ai, bi = a[i], b[i]
        c[i] = bi if take else ai
        d[i] = ai if take else bi
        bits >>= 1
        left -= 1


@kernel
def blend(a, b, c, d, params, work, rng):
    """BLX-alpha (Eshelman & Schaffer 1993): each gene of each child uniform in the parents'
    interval widened by ``alpha`` times its length on both sides, clipped to the box."""
    n = a.size
    alpha = params[0]
    for i in range(n):
        lower, upper = _bounds(params, i, n)
        lo = min(a[i], b[i])
        span = max(a[i], b[i]) - lo
        start = lo - alpha * span
        width = (1.0 + 2.0 * alpha) * span
        c[i] = min(max(start + width * rng.random(), lower), upper)
        d[i] = min(max(start + width * rng.random(), lower), upper)


@kernel(inline=True)
def _sbx_beta(rand, beta, eta):
    alpha = 2.0 - beta ** -(eta + 1.0)
    if rand <= 1.0 / alpha:
        return (rand * alpha) ** (1.0 / (eta + 1.0))
    return (1.0 / (2.0 - rand * alpha)) ** (1.0 / (eta + 1.0))


@kernel
def simulated_binary(a, b, c, d, params, work, rng):
    """SBX (Deb & Agrawal 1995), bounded as in Deb's NSGA-II code and DEAP: each gene crosses
    with probability 1/2, with a spread of distribution index ``eta``; children in the box."""
    n = a.size
    eta = params[0]
    for i in range(n):
        c[i] = a[i]
        d[i] = b[i]
        if rng.random() > 0.5 or abs(a[i] - b[i]) <= 1e-14:
            continue
        lower, upper = _bounds(params, i, n)
        x1, x2 = min(a[i], b[i]), max(a[i], b[i])
        rand = rng.random()
        q1 = _sbx_beta(rand, 1.0 + 2.0 * (x1 - lower) / (x2 - x1), eta)
        q2 = _sbx_beta(rand, 1.0 + 2.0 * (upper - x2) / (x2 - x1), eta)
        y1 = min(max(0.5 * (x1 + x2 - q1 * (x2 - x1)), lower), upper)
        y2 = min(max(0.5 * (x1 + x2 + q2 * (x2 - x1)), lower), upper)
        if rng.random() <= 0.5:
            c[i] = y2
            d[i] = y1
        else:
            c[i] = y1
            d[i] = y2


@kernel(inline=True)
def _order_child(keep, other, child, marks, lo, hi):
    n = keep.size
    for g in range(n):
        marks[g] = 0
    for p in range(lo, hi):
        child[p] = keep[p]
        marks[keep[p]] = 1
    pos = hi % n
    for k in range(n):
        g = other[(hi + k) % n]
        if marks[g] == 0:
            child[pos] = g
            pos = (pos + 1) % n


@kernel
def order(a, b, c, d, params, work, rng):
    """OX (Davis 1985): a child keeps one parent's segment in place and takes the other
    elements in the order they follow the segment in the other parent."""
    n = a.size
    lo, hi = cut_pair(n, rng)
    _order_child(a, b, c, work[:n], lo, hi)
    _order_child(b, a, d, work[n:], lo, hi)


@kernel
def partially_mapped(a, b, c, d, params, work, rng):
    """PMX (Goldberg & Lingle 1985): the children exchange a segment, and the elements it
    displaces move to where the exchanged ones were (DEAP's position-map form)."""
    n = a.size
    lo, hi = cut_pair(n, rng)
    where_c, where_d = work[:n], work[n:]
    for i in range(n):
        c[i] = a[i]
        d[i] = b[i]
        where_c[a[i]] = i
        where_d[b[i]] = i
    for i in range(lo, hi):
        t1 = c[i]
        t2 = d[i]
        c[i] = t2
        c[where_c[t2]] = t1
        d[i] = t1
        d[where_d[t1]] = t2
        p = where_c[t1]
        where_c[t1] = where_c[t2]
        where_c[t2] = p
        p = where_d[t1]
        where_d[t1] = where_d[t2]
        where_d[t2] = p
