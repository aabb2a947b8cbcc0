"""Parent selection for the genetic algorithm:
``select(f, out, iwork, fwork, params, rng)`` fills ``out`` with indices of population members
(values ``f``, to minimize; +inf for NaN). ``iwork`` (int64, ``2 * len(f)``) and ``fwork``
(float64, ``len(f)``) are scratch space, so that no kernel allocates.

``params`` (``operators.selection``): tournament ``[k]``, rank ``[pressure]``, proportional
``[]``, truncation ``[fraction]``.
"""
from __future__ import annotations

import numpy as np
from numba import types

from . import draws, signatures
from .jit import kernel

# One signature for every space kind: selection sees only values.
signatures.register_role("select", {
    kind: types.none(types.float64[::1], types.int64[::1], types.int64[::1],
                     types.float64[::1], types.float64[::1], signatures.GENERATOR)
    for kind in signatures.ELEMENT_TYPES})


@kernel
def argsort_into(f, order, tmp):
    """``order[:n]`` = indices of ``f`` by increasing value, ties by index (a stable bottom-up
    merge sort through ``tmp``)."""
    n = f.size
    for i in range(n):
        order[i] = i
    width = 1
    src, dst = order, tmp
    in_tmp = False
    while width < n:
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            i, j = lo, mid
            for k in range(lo, hi):
                if i < mid and (j >= hi or f[src[i]] <= f[src[j]]):
                    dst[k] = src[i]
                    i += 1
                else:
                    dst[k] = src[j]
                    j += 1
        src, dst = dst, src
        in_tmp = not in_tmp
        width *= 2
    if in_tmp:
        for i in range(n):
            order[i] = tmp[i]


@kernel(inline=True)
def _roulette(cumulative, n, rng):
    """Index ``i`` with probability proportional to ``cumulative[i] - cumulative[i-1]``: the
    first ``i`` whose cumulative weight exceeds ``u * total`` (binary search)."""
    u = rng.random() * cumulative[n - 1]
    lo, hi = 0, n - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cumulative[mid] > u:
            hi = mid
        else:
            lo = mid + 1
    return lo


@kernel
def tournament_select(f, out, iwork, fwork, params, rng):
    """The best of ``k`` members drawn uniformly with replacement (the first drawn on ties).
    The members are drawn three to a 64-bit word (``draws.next_index``; one word per parent
    for ``k = 3`` where ``int(rng.random() * n)`` took a word per member), for populations up
    to ``draws.MAX_INDEXED``; beyond, one ``rng.random()`` per member. The comparisons select
    rather than branch: a branch on which of two random members is better is mispredicted a
    third of the time."""
    n = f.size
    k = int(params[0])
    if n > draws.MAX_INDEXED:
        for s in range(out.size):
            best = int(rng.random() * n)
            best_f = f[best]
            for _ in range(k - 1):
                c = int(rng.random() * n)
                fc = f[c]
                better = fc < best_f
                best = c if better else best
                best_f = fc if better else best_f
            out[s] = best
        return
    reject_below = draws.index_threshold(n)
    bits = np.uint64(0)
    left = 0
    for s in range(out.size):
        if k == 3 and left == 0:
            # The three members of one word, when none is rejected: what ``next_index`` gives,
            # without its bookkeeping (13.6 -> 10.2 cycles a parent of 100 members).
            bits = draws.word(rng)
            left = 3
            best, c, e, accepted = draws.three_indices(n, reject_below, bits)
            if accepted:
                better = f[c] < f[best]
                best = c if better else best
                better = f[e] < f[best]
                out[s] = e if better else best
                left = 0
                continue
        best, bits, left = draws.next_index(n, reject_below, bits, left, rng)
        best_f = f[best]
        for _ in range(k - 1):
            c, bits, left = draws.next_index(n, reject_below, bits, left, rng)
            fc = f[c]
            better = fc < best_f
            best = c if better else best
            best_f = fc if better else best_f
        out[s] = best


@kernel
def rank_select(f, out, iwork, fwork, params, rng):
    """Linear ranking (Baker 1985): the member of rank ``r`` (0 = best) has weight
    ``s - (2 s - 2) r / (n - 1)`` with pressure ``s`` in [1, 2]."""
    n = f.size
    order = iwork[:n]
    argsort_into(f, order, iwork[n:2 * n])
    s = params[0]
    total = 0.0
    for r in range(n):
        total += s - (2.0 * s - 2.0) * r / max(n - 1, 1)
        fwork[r] = total
    for k in range(out.size):
        out[k] = order[_roulette(fwork, n, rng)]


@kernel
def proportional_select(f, out, iwork, fwork, params, rng):
    """Roulette wheel on shifted values: weight ``f_worst - f_i`` (``f_worst`` the largest
    finite value; infinite values weigh nothing); uniform when all weights are zero."""
    n = f.size
    worst = -np.inf
    for i in range(n):
        if f[i] < np.inf and f[i] > worst:
            worst = f[i]
    total = 0.0
    for i in range(n):
        if f[i] < np.inf:
            total += worst - f[i]
        fwork[i] = total
    if total == 0.0:
        for i in range(n):
            fwork[i] = i + 1.0
    for k in range(out.size):
        out[k] = _roulette(fwork, n, rng)


@kernel
def truncation_select(f, out, iwork, fwork, params, rng):
    """Uniformly among the best ``max(1, int(fraction * n + 0.5))`` members."""
    n = f.size
    order = iwork[:n]
    argsort_into(f, order, iwork[n:2 * n])
    m = max(1, min(n, int(params[0] * n + 0.5)))
    for k in range(out.size):
        out[k] = order[int(rng.random() * m)]
