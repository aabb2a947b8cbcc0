"""numba kernels of the tunable bitstring models (the classes are in ``bitstring_models.py``):
the W-model layers over OneMax and LeadingOnes, low-autocorrelation binary sequences, and
ferromagnetic Ising models on a ring and a torus. Each reads the point through the instance's
XOR mask (``x_i xor mask_i``), stored in ``data``; values are integers, returned negated where
a fitness is maximized.
"""
from __future__ import annotations

import numpy as np

from stochsearch import jit

#: W-model data: [base (0 OneMax, 1 LeadingOnes), mu, nu, m, mask (n), levels (m + 1)].
W_HEADER = 4


@jit
def w_model(x, data):
    """The W-model value (see ``WModel``): neutrality (majority of blocks of ``mu`` bits),
    epistasis (within blocks of ``nu`` bits, each bit becomes the XOR of the block's other
    bits), the base count of correct bits, then ruggedness (a permutation of the levels)."""
    n = x.size
    base, mu, nu, m = int(data[0]), int(data[1]), int(data[2]), int(data[3])
    y = np.empty(m, dtype=np.int8)
    for i in range(m):
        ones = 0
        for j in range(mu):
            k = i * mu + j
            ones += x[k] ^ np.int8(data[W_HEADER + k])
        y[i] = 1 if 2 * ones >= mu else 0
    level = 0
    start = 0
    leading = True
    while start < m:
        size = min(nu, m - start)
        mixed = size - (size % 2)
        parity = 0
        for j in range(mixed):
            parity ^= y[start + j]
        for j in range(size):
            bit = (parity ^ y[start + j]) if (j < mixed and mixed > 2) else y[start + j]
            if base == 0:
                level += bit
            elif leading and bit == 1:
                level += 1
            else:
                leading = False
        start += size
    return -data[W_HEADER + n + level]


@jit
def labs(x, data):
    """Energy ``sum_{k=1}^{n-1} C_k^2`` of the +-1 sequence ``s_i = 1 - 2 (x_i xor mask_i)``,
    ``C_k = sum_i s_i s_{i+k}`` (its autocorrelations)."""
    n = x.size
    s = np.empty(n, dtype=np.int64)
    for i in range(n):
        s[i] = 1 - 2 * np.int64(x[i] ^ np.int8(data[i]))
    energy = 0
    for k in range(1, n):
        c = 0
        for i in range(n - k):
            c += s[i] * s[i + k]
        energy += c * c
    return float(energy)


@jit
def labs_optimum(n):
    """The smallest LABS energy of length ``n``, by enumeration (only the strings starting
    with 0: the complement has the same energy)."""
    best = np.inf
    x = np.zeros(n, dtype=np.int8)
    no_mask = np.zeros(n)
    for code in range(1 << (n - 1)):
        for i in range(n - 1):
            x[i + 1] = (code >> i) & 1
        value = labs(x, no_mask)
        if value < best:
            best = value
    return best


@jit
def ising(x, data):
    """Minus the number of bonds whose two spins agree (after the mask): on a ring
    (``data[0] = 0``, bonds ``(i, i + 1 mod n)``) or on a ``side x side`` torus (``data[0] = 1``,
    bonds to the right and below, wrapping around)."""
    n = x.size
    agree = 0
    if data[0] == 0.0:
        for i in range(n):
            j = i + 1 if i + 1 < n else 0
            agree += 1 - ((x[i] ^ x[j]) ^ (np.int8(data[2 + i]) ^ np.int8(data[2 + j])))
        return -float(agree)
    side = int(data[1])
    for r in range(side):
        for c in range(side):
            i = r * side + c
            right = r * side + (c + 1 if c + 1 < side else 0)
            below = (r + 1 if r + 1 < side else 0) * side + c
            own = x[i] ^ np.int8(data[2 + i])
            agree += 1 - (own ^ x[right] ^ np.int8(data[2 + right]))
            agree += 1 - (own ^ x[below] ^ np.int8(data[2 + below]))
    return -float(agree)
