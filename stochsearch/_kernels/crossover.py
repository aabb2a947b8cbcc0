"""Crossover for the genetic algorithm: ``crossover(a, b, c, d, params, work, rng)`` writes two
children ``c`` and ``d`` of the parents ``a`` and ``b``. ``work`` (int64, ``2 * n``) is scratch
space for the permutation crossovers and SBX.

``params`` (``operators.crossover``): on Real spaces ``[alpha or eta, lower_0 .. lower_{n-1},
width_0 .. width_{n-1}]`` for the blend and simulated binary crossovers (children are kept in
the box); ``[]`` for the others.
"""
from __future__ import annotations

import numpy as np
from numba import types

from . import draws, signatures
from .discrete_steps import distinct_pair
from .jit import kernel

signatures.register_role("crossover", signatures.per_kind(
    lambda x: types.none(x, x, x, x, signatures.F64, signatures.I64,
                         signatures.GENERATOR)))

P_HEADER = 1


def _spread_table():
    """``SPREAD[v]``: the 8 bits of ``v`` spread to the 8 bytes of a word (bit j -> byte j all
    ones), the mask that takes 8 genes of 1 byte at once from one parent or the other."""
    table = np.zeros(256, dtype=np.uint64)
    for v in range(256):
        for j in range(8):
            if v >> j & 1:
                table[v] |= np.uint64(0xFF) << np.uint64(8 * j)
    return table


SPREAD = _spread_table()
ALL_ONES = np.uint64(0xFFFFFFFFFFFFFFFF)


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
def _segment_mask(lo, hi, w):
    """The bytes of word ``w`` (genes ``8w .. 8w+7``) that lie in ``lo .. hi-1``, all ones."""
    start = min(max(lo - 8 * w, 0), 8)
    stop = min(max(hi - 8 * w, 0), 8)
    if stop <= start:
        return np.uint64(0)
    ones = ALL_ONES if stop - start == 8 else \
        (np.uint64(1) << np.uint64(8 * (stop - start))) - np.uint64(1)
    return ones << np.uint64(8 * start)


@kernel(inline=True)
def _exchange(a, b, c, d, lo, hi):
    """Children that exchange the genes ``lo .. hi-1`` of their parents; one-byte genes
    (bitstrings) 8 at a time, with a byte mask of the segment per word."""
    n = a.size
    start = 0
    if a.itemsize == 1:
        start = 8 * (n // 8)
        aw, bw = a[:start].view(np.uint64), b[:start].view(np.uint64)
        cw, dw = c[:start].view(np.uint64), d[:start].view(np.uint64)
        for w in range(start // 8):
            x, y = aw[w], bw[w]
            diff = (x ^ y) & _segment_mask(lo, hi, w)
            cw[w] = x ^ diff
            dw[w] = y ^ diff
    for i in range(start, n):
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
    """Each gene comes from either parent with probability 1/2: gene ``i`` takes bit
    ``i mod 53`` of draw ``i // 53`` (the bits of ``int(2**53 * u)``). One-byte genes
    (bitstrings) go 8 at a time: the next 8 bits of that stream, spread to a byte mask
    (``SPREAD``), pick whole words from either parent, with the same bits for the same genes
    and the same draws as gene by gene (3.3x faster on 100 bits). The last ``n mod 8`` genes
    go as the string's last 8 bytes, whose first bytes overlap the previous word and keep its
    mask (87 -> 65 cycles a pair of 100 bits, against a loop over the 4 last genes). The bits
    are a word's top 53 (``draws.bits53``: ``int(2**53 * rng.random())`` for PCG64, at half
    its cost)."""
    uniform_pair(a, b, c, d, rng)


@kernel(inline=True)
def uniform_pair(a, b, c, d, rng):
    """``uniform``'s body, which the genetic algorithm inlines when its crossover is
    ``uniform`` (a call by address passes six arrays and costs ~30 cycles a pair: a third of
    a pair of 100 bits)."""
    n = a.size
    bits = np.uint64(0)
    left = 0
    if a.itemsize == 1 and n >= 8:
        start = 8 * (n // 8)
        aw, bw = a[:start].view(np.uint64), b[:start].view(np.uint64)
        cw, dw = c[:start].view(np.uint64), d[:start].view(np.uint64)
        mask = np.uint64(0)
        for w in range(start // 8):
            if left < 8:  # append the next 53 bits above the ones left (at most 60 in all)
                bits |= draws.bits53(rng) << np.uint64(left)
                left += 53
            mask = SPREAD[bits & np.uint64(0xFF)]
            bits >>= np.uint64(8)
            left -= 8
            x, y = aw[w], bw[w]
            diff = (x ^ y) & mask
            cw[w] = x ^ diff
            dw[w] = y ^ diff
        tail = n - start
        if tail > 0:
            if left < tail:
                bits |= draws.bits53(rng) << np.uint64(left)
                left += 53
            shift = np.uint64(8 * tail)
            fresh = bits & ((np.uint64(1) << np.uint64(tail)) - np.uint64(1))
            mask = (mask >> shift) | (SPREAD[fresh] << (np.uint64(64) - shift))
            x, y = a[n - 8:].view(np.uint64)[0], b[n - 8:].view(np.uint64)[0]
            diff = (x ^ y) & mask
            c[n - 8:].view(np.uint64)[0] = x ^ diff
            d[n - 8:].view(np.uint64)[0] = y ^ diff
        return
    for i in range(n):
        if left == 0:
            bits = draws.bits53(rng)
            left = 53
        # Selects rather than branches: a branch on a random bit is mispredicted half the time.
        take = (bits & np.uint64(1)) == np.uint64(1)
        ai, bi = a[i], b[i]
        c[i] = bi if take else ai
        d[i] = ai if take else bi
        bits >>= np.uint64(1)
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
def _root_exponent(eta):
    """``k`` if ``eta + 1 = 2**k`` with ``k <= 4`` (eta 0, 1, 3, 7, 15; 15 is the default),
    else -1: then ``x ** (1 / (eta + 1))`` is ``k`` square roots and ``x ** (eta + 1)`` ``k``
    squarings, which vectorize where ``pow`` is a call of 10 ns."""
    m = eta + 1.0
    for k in range(5):
        if m == 2.0 ** k:
            return k
    return -1


@kernel(inline=True)
def _alpha_base(rand, alpha):
    """What the spread factor is the ``eta + 1``-th root of (``rand <= 1 / alpha`` written
    without the division)."""
    scaled = rand * alpha
    return scaled if scaled <= 1.0 else 1.0 / (2.0 - scaled)


@kernel(inline=True)
def _base_by_squares(rand, beta, k):
    """What the spread factor is the ``2**k``-th root of, for the uniform ``rand`` and the
    bound ``beta``, when ``eta + 1 = 2**k``: ``beta ** (eta + 1)`` by ``k`` squarings."""
    power = beta
    power = power * power if k >= 1 else power
    power = power * power if k >= 2 else power
    power = power * power if k >= 3 else power
    power = power * power if k >= 4 else power
    return _alpha_base(rand, 2.0 - 1.0 / power)


@kernel(inline=True)
def _roots(base, k):
    """``base ** (1 / 2**k)``: ``k`` square roots."""
    base = np.sqrt(base) if k >= 1 else base
    base = np.sqrt(base) if k >= 2 else base
    base = np.sqrt(base) if k >= 3 else base
    return np.sqrt(base) if k >= 4 else base


@kernel(inline=True)
def _quotient_by_pow(rand, beta, eta):
    """The same for any ``eta``, with ``pow``."""
    base = _alpha_base(rand, 2.0 - beta ** -(eta + 1.0))
    return base ** (1.0 / (eta + 1.0))


@kernel(inline=True)
def _sbx_pair(a, b, c, d, params, i, n, swapped, q1, q2):
    """The children's gene ``i`` from the spread factors ``q1`` (down) and ``q2`` (up)."""
    lower, upper = _bounds(params, i, n)
    x1, x2 = min(a[i], b[i]), max(a[i], b[i])
    span = x2 - x1
    y1 = min(max(0.5 * (x1 + x2 - q1 * span), lower), upper)
    y2 = min(max(0.5 * (x1 + x2 + q2 * span), lower), upper)
    c[i] = y2 if swapped else y1
    d[i] = y1 if swapped else y2


@kernel(inline=True)
def _sbx_betas(a, b, params, i, n):
    """``1 + 2 (distance from the parents to the bound) / (their distance)``, down and up."""
    lower, upper = _bounds(params, i, n)
    x1, x2 = min(a[i], b[i]), max(a[i], b[i])
    scale = 2.0 / (x2 - x1)
    return 1.0 + (x1 - lower) * scale, 1.0 + (upper - x2) * scale


@kernel
def simulated_binary(a, b, c, d, params, work, rng):
    """SBX (Deb & Agrawal 1995), bounded as in Deb's NSGA-II code and DEAP: each gene crosses
    with probability 1/2, with a spread of distribution index ``eta``; children in the box.

    In passes. Two bits per gene (26 genes per draw, as in ``uniform``) say whether it crosses
    (bit ``2j`` of a draw for gene ``j``; parents closer than 1e-14 never do) and which child
    gets which value (bit ``2j + 1``); the crossing genes are listed in ``work`` without a
    branch; then one uniform each, in gene order; then their values. When ``eta + 1`` is a
    power of two up to 16 (the default eta = 15; ``_root_exponent``), ``beta ** (eta + 1)``
    is squarings and the root square roots, and the spread factors of all crossing genes are
    computed in one loop over contiguous arrays that vectorizes: the uniforms wait in ``c``,
    the bounds ``beta`` in ``work``, before the children are written (the divisions and square
    roots, scalar, took 24 ns a crossing gene). Otherwise ``pow``, a call, gene by gene."""
    n = a.size
    eta = params[0]
    listed = work
    values = work.view(np.float64)  # after the m listed genes: 2 m more values
    bits = np.uint64(0)
    left = 0
    m = 0
    for i in range(n):
        if left < 2:
            bits = draws.bits53(rng)
            left = 52
        listed[m] = 2 * i + np.int64((bits >> np.uint64(1)) & np.uint64(1))
        m += np.int64(bits & np.uint64(1)) & np.int64(abs(a[i] - b[i]) > 1e-14)
        bits >>= np.uint64(2)
        left -= 2
    rands = c[:m]
    for j in range(m):
        rands[j] = draws.uniform01(rng)
    k = _root_exponent(eta)
    if k >= 0 and 3 * m <= 2 * n:
        down, up = values[m:2 * m], values[2 * m:3 * m]
        for j in range(m):
            down[j], up[j] = _sbx_betas(a, b, params, listed[j] >> 1, n)
        for j in range(m):  # no call, no branch: vectorizes
            down[j] = _roots(_base_by_squares(rands[j], down[j], k), k)
            up[j] = _roots(_base_by_squares(rands[j], up[j], k), k)
        for i in range(n):
            c[i] = a[i]
            d[i] = b[i]
        for j in range(m):
            _sbx_pair(a, b, c, d, params, listed[j] >> 1, n, (listed[j] & 1) == 1, down[j],
                      up[j])
        return
    # Gene by gene (another eta, or too many crossing genes for the room in work).
    kept = values[m:2 * m]
    for j in range(m):
        kept[j] = rands[j]
    for i in range(n):
        c[i] = a[i]
        d[i] = b[i]
    for j in range(m):
        beta1, beta2 = _sbx_betas(a, b, params, listed[j] >> 1, n)
        if k >= 0:
            q1 = _roots(_base_by_squares(kept[j], beta1, k), k)
            q2 = _roots(_base_by_squares(kept[j], beta2, k), k)
        else:
            q1 = _quotient_by_pow(kept[j], beta1, eta)
            q2 = _quotient_by_pow(kept[j], beta2, eta)
        _sbx_pair(a, b, c, d, params, listed[j] >> 1, n, (listed[j] & 1) == 1, q1, q2)


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
