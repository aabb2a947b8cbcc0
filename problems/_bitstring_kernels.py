"""numba kernels of the bitstring problems (the classes are in ``bitstrings.py``).

Objectives return the value to minimize: a fitness to maximize is returned negated. Every value
is an integer, or an integer divided by one fixed scale (NK), so that an incremental ``delta``
reproduces a full evaluation exactly, whatever the order of the additions.
"""
from __future__ import annotations

import numpy as np
from numba.cpython.unsafe.numbers import leading_zeros, trailing_zeros   # LLVM's ctlz, cttz

from stochsearch import jit
from stochsearch import moves


_BYTES_OF_ONES = np.uint64(0x0101010101010101)


@jit(inline="always")
def _word(x, i):
    """Bytes ``x[i:i + 8]`` as one little-endian word (LLVM makes it a single load)."""
    w = np.uint64(0)
    for j in range(8):
        w |= np.uint64(np.uint8(x[i + j])) << np.uint64(8 * j)
    return w


@jit(inline="always")
def head(x, bit):
    """Number of leading ``bit``\\ s. A bitstring (a byte per bit) is read a word of 8 bits
    at a time; the first word that differs from ``bit`` repeated gives the position by its
    count of trailing zero bits (no bit-by-bit loop, whose exit is a branch the processor
    cannot predict: FourPeaks-100 on a GA's points, 24.9 -> 21.3 ns)."""
    n = x.size
    i = 0
    if x.itemsize == 1:
        pattern = _BYTES_OF_ONES * np.uint64(bit)
        while i + 8 <= n:
            differ = _word(x, i) ^ pattern
            if differ != 0:
                return i + np.int64(trailing_zeros(differ)) // 8
            i += 8
    while i < n and x[i] == bit:
        i += 1
    return i


@jit(inline="always")
def tail(x, bit):
    """Number of trailing ``bit``\\ s, read as ``head`` reads, from the end."""
    n = x.size
    i = 0
    if x.itemsize == 1:
        pattern = _BYTES_OF_ONES * np.uint64(bit)
        while i + 8 <= n:
            differ = _word(x, n - 8 - i) ^ pattern
            if differ != 0:
                return i + np.int64(leading_zeros(differ)) // 8
            i += 8
    while i < n and x[n - 1 - i] == bit:
        i += 1
    return i


@jit
def one_max(x, data):
    total = 0
    for i in range(x.size):
        total += x[i]
    return -float(total)


@jit
def one_max_delta(x_old, x_new, move, data, f_old):
    """Ones lost minus ones gained over the positions the move changed."""
    change = 0
    if move[moves.COUNT] == moves.RANGE:
        for i in range(move[moves.LO], move[moves.HI]):
            change += np.int64(x_old[i]) - np.int64(x_new[i])
    else:
        for c in range(move[moves.COUNT]):
            i = move[moves.MOVE_HEADER + c]
            change += np.int64(x_old[i]) - np.int64(x_new[i])
    return f_old + change


@jit
def leading_ones(x, data):
    return -float(head(x, 1))


@jit
def four_peaks(x, data):
    t = data[0]
    ones, zeros = head(x, 1), tail(x, 0)
    reward = x.size if ones > t and zeros > t else 0
    return -float(max(ones, zeros) + reward)


@jit
def six_peaks(x, data):
    t = data[0]
    ones, zeros = head(x, 1), tail(x, 0)
    reward = x.size if (ones > t and zeros > t) or (head(x, 0) > t and tail(x, 1) > t) else 0
    return -float(max(ones, zeros) + reward)


@jit
def continuous_peaks(x, data):
    t = data[0]
    zeros = ones = run = 0
    for i in range(x.size):
        run = run + 1 if i > 0 and x[i] == x[i - 1] else 1
        if x[i] == 0:
            zeros = max(zeros, run)
        else:
            ones = max(ones, run)
    reward = x.size if zeros > t and ones > t else 0
    return -float(max(zeros, ones) + reward)


@jit
def flip_flop(x, data):
    changes = 0
    for i in range(x.size - 1):
        changes += x[i] != x[i + 1]
    return -float(changes)


@jit
def trap(x, data):
    k = int(data[0])
    total = 0
    for start in range(0, x.size, k):
        ones = 0
        for i in range(start, start + k):
            ones += x[i]
        total += k if ones == k else k - 1 - ones
    return -float(total)


# --- NK landscapes ----------------------------------------------------------------------------
# data = [N, K, scale, neighbours (N * K), tables (N * 2^(K+1)), first dependant (N + 1),
#         dependants]: gene i contributes tables[i, bits of (x_i, x_neighbours)]; the
#         dependants of gene j are the genes whose contribution reads it.


@jit(inline="always")
def _nk_term(x, data, i, n, k):
    index = np.int64(x[i])
    base = 3 + i * k
    for j in range(k):
        index = (index << 1) | np.int64(x[int(data[base + j])])
    return data[3 + n * k + (i << (k + 1)) + index]


@jit
def nk(x, data):
    n, k = int(data[0]), int(data[1])
    total = 0.0
    for i in range(n):
        total += _nk_term(x, data, i, n, k)
    return -(total / data[2])


@jit(inline="always")
def _reads(data, i, k, q):
    """Whether the contribution of gene ``i`` reads gene ``q``."""
    if i == q:
        return True
    for j in range(k):
        if int(data[3 + i * k + j]) == q:
            return True
    return False


@jit
def nk_delta(x_old, x_new, move, data, f_old):
    """Only the contributions that read a changed gene, each counted once."""
    count = move[moves.COUNT]
    if count == moves.RANGE or count > 16:
        return nk(x_new, data)
    n, k = int(data[0]), int(data[1])
    first = 3 + n * k + (n << (k + 1))
    total = np.floor(-f_old * data[2] + 0.5)  # the integer sum behind f_old, exactly
    for c in range(count):
        p = move[moves.MOVE_HEADER + c]
        for d in range(int(data[first + p]), int(data[first + p + 1])):
            i = int(data[first + n + 1 + d])
            counted = False
            for c2 in range(c):
                if _reads(data, i, k, move[moves.MOVE_HEADER + c2]):
                    counted = True
                    break
            if not counted:
                total += _nk_term(x_new, data, i, n, k) - _nk_term(x_old, data, i, n, k)
    return -(total / data[2])


# --- constrained and graph problems -----------------------------------------------------------
@jit
def knapsack(x, data):
    """data = [n, capacity, repair, penalty, weights, values, repair order]."""
    n, capacity = int(data[0]), data[1]
    weight = value = 0.0
    for i in range(n):
        if x[i]:
            weight += data[4 + i]
            value += data[4 + n + i]
    if weight <= capacity:
        return -value
    if data[2] == 0.0:
        return (weight - capacity) * data[3] - value
    for r in range(n):  # repair: drop the items of least value per weight until it fits
        i = int(data[4 + 2 * n + r])
        if x[i]:
            weight -= data[4 + i]
            value -= data[4 + n + i]
            if weight <= capacity:
                break
    return -value


@jit
def max_sat(x, data):
    """data = [n, m, literals (3 m): +(v + 1) for x_v, -(v + 1) for not x_v]."""
    unsatisfied = 0
    for c in range(int(data[1])):
        satisfied = False
        for j in range(3):
            literal = data[2 + 3 * c + j]
            if (literal > 0) == (x[int(abs(literal)) - 1] == 1):
                satisfied = True
                break
        unsatisfied += not satisfied
    return float(unsatisfied)


@jit(inline="always")
def _color(x, vertex, bits, k):
    code = 0
    for b in range(vertex * bits, (vertex + 1) * bits):
        code = 2 * code + x[b]
    return code % k


@jit
def max_k_color(x, data):
    """data = [vertices, K, bits per vertex, m, edges (2 m)]."""
    k, bits = int(data[1]), int(data[2])
    conflicts = 0
    for e in range(int(data[3])):
        u, v = int(data[4 + 2 * e]), int(data[5 + 2 * e])
        conflicts += _color(x, u, bits, k) == _color(x, v, bits, k)
    return float(conflicts)
