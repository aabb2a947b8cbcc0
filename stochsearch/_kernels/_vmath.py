"""Exponential functions on rows of a block, in plain arithmetic so that their loops vectorize.

Without Intel's SVML (absent here), LLVM calls libm once per element for ``math.exp`` and
``math.tanh`` (4.5 ns and 13.6 ns a call, measured), which would be most of a network's time per
sample. These functions reduce ``x = n ln 2 + r`` (Cody and Waite), evaluate ``expm1(r)`` by its
Taylor series to degree 13 (|r| <= ln 2 / 2: error below 1e-17 relative), and build ``2^n`` from
its bits in a second loop (``bits`` is an int64 scratch row, ``fbits`` the same memory as
float64). Accuracy: within a few units in the last place of libm, checked by tests.

Every function writes ``Y[u, :S] = f(X[u, :S])`` for the rows ``first <= u < last`` (``X`` and
``Y`` may be the same array). Each is compiled once and called once per layer of a block, so
the call costs nothing next to its loops, and callers do not recompile it.
"""
from __future__ import annotations

import math

import numpy as np

from .jit import kernel

LOG2E = 1.4426950408889634
LN2_HI = 6.93147180369123816490e-01     # ln 2 split so that n * LN2_HI is exact
LN2_LO = 1.90821492927058770002e-10
_LIMIT = 708.0                            # exp(-708) is still a normal number
_INV = [1.0 / math.factorial(k) for k in range(14)]
C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, C12, C13 = _INV[2:]
# 1 / (2k + 1): the series of atanh
D3, D5, D7, D9, D11, D13, D15, D17, D19, D21, D23, D25, D27, D29, D31, D33, D35 = \
    [1.0 / k for k in range(3, 36, 2)]


@kernel(inline=True)
def _reduce(x, bits, s):
    """``expm1(r)`` where ``x = n ln 2 + r``; stores the bits of ``2^n`` into ``bits[s]``.
    The series is evaluated by Estrin's scheme (pairs, then powers of ``r^2``), whose short
    dependency chains let vectorized iterations overlap."""
    x = min(max(x, -_LIMIT), _LIMIT)
    n = math.floor(x * LOG2E + 0.5)
    r = (x - n * LN2_HI) - n * LN2_LO
    r2 = r * r
    r4 = r2 * r2
    s0 = (C2 + C3 * r) + (C4 + C5 * r) * r2
    s1 = (C6 + C7 * r) + (C8 + C9 * r) * r2
    s2 = (C10 + C11 * r) + (C12 + C13 * r) * r2
    bits[s] = (np.int64(n) + 1023) << 52
    return r + r2 * ((s0 + s1 * r4) + s2 * (r4 * r4))


@kernel
def exp_rows(X, Y, first, last, S, bits, fbits, minus):
    """``exp(x) - minus`` (arguments clamped to [-708, 708]): ``minus=1.0`` is ``expm1``,
    accurate near 0."""
    for u in range(first, last):
        for s in range(S):
            Y[u, s] = _reduce(X[u, s], bits, s)
        for s in range(S):
            Y[u, s] = fbits[s] * Y[u, s] + (fbits[s] - minus)


@kernel
def tanh_rows(X, Y, first, last, S, bits, fbits):
    """``tanh(x)`` as ``-m / (2 + m)`` with ``m = expm1(-2|x|)`` (no cancellation)."""
    for u in range(first, last):
        for s in range(S):
            Y[u, s] = _reduce(-2.0 * abs(X[u, s]), bits, s)
        for s in range(S):
            m = fbits[s] * Y[u, s] + (fbits[s] - 1.0)
            t = m / (2.0 + m)
            Y[u, s] = t if X[u, s] < 0.0 else -t


@kernel
def sigmoid_rows(X, Y, first, last, S, bits, fbits):
    """``1 / (1 + exp(-x))`` from ``e = exp(-|x|)``: ``1 / (1 + e)`` or ``e / (1 + e)``."""
    for u in range(first, last):
        for s in range(S):
            Y[u, s] = _reduce(-abs(X[u, s]), bits, s)
        for s in range(S):
            e = fbits[s] * Y[u, s] + fbits[s]
            Y[u, s] = (1.0 if X[u, s] >= 0.0 else e) / (1.0 + e)


@kernel
def log1p_exp_rows(X, Y, first, last, S, bits, fbits):
    """``log(1 + exp(-|x|))`` (the tail of a stable softplus): with ``e = exp(-|x|)`` in
    (0, 1] and ``t = e / (2 + e)`` in (0, 1/3], ``log(1 + e) = 2 atanh(t) = 2 (t + t^3 / 3 +
    t^5 / 5 + ...)``, to ``t^35`` (by Estrin's scheme)."""
    for u in range(first, last):
        for s in range(S):
            Y[u, s] = _reduce(-abs(X[u, s]), bits, s)
        for s in range(S):
            e = fbits[s] * Y[u, s] + fbits[s]
            t = e / (2.0 + e)
            t2 = t * t
            t4 = t2 * t2
            t8 = t4 * t4
            t16 = t8 * t8
            p = ((D3 + D5 * t2) + (D7 + D9 * t2) * t4) + \
                ((D11 + D13 * t2) + (D15 + D17 * t2) * t4) * t8
            q = ((D19 + D21 * t2) + (D23 + D25 * t2) * t4) + \
                ((D27 + D29 * t2) + (D31 + D33 * t2) * t4) * t8
            p += (q + D35 * t16) * t16
            Y[u, s] = 2.0 * t + 2.0 * t * (t2 * p)
