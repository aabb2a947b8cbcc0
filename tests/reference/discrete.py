"""Slow, obviously-correct references of the discrete moves (the neighbourhoods of hill
climbing and annealing) and of the bitstring and permutation objectives, in plain Python with
the same Generator draws in the same order."""
from __future__ import annotations

import itertools
import math

import numpy as np


# --- moves: each returns a new array ---------------------------------------------------------
def distinct_pair(n, rng):
    i = int(rng.random() * n)
    j = int(rng.random() * (n - 1))
    return i, j + 1 if j >= i else j


def other(i, n, rng):
    """A position other than ``i``."""
    j = int(rng.random() * (n - 1))
    return j + 1 if j >= i else j


def swap(y, i, j):
    y = y.copy()
    y[i], y[j] = y[j], y[i]
    return y


def insert(y, i, j):
    """The element at ``i`` taken out and put back at ``j``."""
    rest = list(np.delete(y, i))
    rest.insert(j, y[i])
    return np.array(rest, dtype=y.dtype)


def reverse(y, lo, hi):
    y = y.copy()
    y[lo:hi] = y[lo:hi][::-1]
    return y


def flip(x, k, rng):
    """``k`` distinct random bits flipped; returns the neighbour and the changed positions."""
    n = len(x)
    if k >= n:
        chosen = list(range(n))
    else:
        chosen = []
        while len(chosen) < k:
            i = int(rng.random() * n)
            if i not in chosen:
                chosen.append(i)
    y = x.copy()
    y[chosen] = 1 - y[chosen]
    return y, sorted(chosen)


def conditioned_binomial(n, rate, first, rng):
    """``Bin(n, rate)`` conditioned on at least one, given ``first = P(k = 1 | k >= 1)``: by
    inversion (the smallest ``k`` whose cumulative probability exceeds a uniform variate, the
    terms by the ratio ``P(k + 1) / P(k)``) up to a mean of 10 flips, else numpy's binomial
    draws repeated while zero."""
    if rate >= 1.0:
        return n
    if n * rate > 10.0:
        while True:
            k = int(rng.binomial(n, rate))
            if k > 0:
                return k
    u = rng.random()
    odds = rate / (1.0 - rate)
    terms = [first]
    for k in range(1, n):
        terms.append(terms[-1] * ((n - k) / (k + 1.0) * odds))
    total = 0.0
    for k, p in enumerate(terms, start=1):
        total += p
        if total > u:
            return k
    return n


def flip_distinct(x, k, rng):
    """``k`` distinct random bits flipped, chosen by rejection up to ``n / 2`` flips and by
    selection sampling beyond; returns the neighbour and the flipped positions in the order
    they were drawn."""
    n = len(x)
    chosen = []
    if 2 * k <= n:
        while len(chosen) < k:
            i = int(rng.random() * n)
            if i not in chosen:
                chosen.append(i)
    else:
        for i in range(n):
            if rng.random() * (n - i) < k - len(chosen):
                chosen.append(i)
    y = x.copy()
    y[chosen] = 1 - y[chosen]
    return y, chosen


def bit_mutation(x, params, rng):
    """``params``: ``[unused, rate, P(k = 1 | k >= 1)]`` (``BitMutation.pack``)."""
    return flip_distinct(x, conditioned_binomial(len(x), params[1], params[2], rng), rng)


def fast_bit_mutation(x, params, rng):
    """``params``: ``[unused, beta, half, cdf of alpha (half), P(k = 1 | k >= 1) at rate
    alpha / n for alpha = 1 .. min(half, 10)]`` (``FastBitMutation.pack``)."""
    n, half = len(x), int(params[2])
    cdf, first = params[3:3 + half], params[3 + half:]
    u = rng.random()
    alpha = next((a for a in range(1, half + 1) if u < cdf[a - 1]), half)
    rate = min(alpha / n, 1.0)
    return flip_distinct(x, conditioned_binomial(n, rate, first[alpha - 1] if alpha <= 10
                                                 else 0.0, rng), rng)


def swap_step(x, rng):
    i, j = distinct_pair(len(x), rng)
    return swap(x, i, j), sorted([i, j])


def insert_step(x, rng):
    i, j = distinct_pair(len(x), rng)
    return insert(x, i, j), list(range(min(i, j), max(i, j) + 1))


def two_opt_step(x, rng):
    i, j = distinct_pair(len(x), rng)
    lo, hi = min(i, j), max(i, j) + 1
    return reverse(x, lo, hi), list(range(lo, hi))


# --- bitstring objectives (minimized: fitness negated) ----------------------------------------
def head(x, bit):
    return next((i for i, v in enumerate(x) if v != bit), len(x))


def tail(x, bit):
    return head(x[::-1], bit)


def one_max(x):
    return -float(sum(x))


def leading_ones(x):
    return -float(head(x, 1))


def four_peaks(x, t):
    reward = len(x) if head(x, 1) > t and tail(x, 0) > t else 0
    return -float(max(head(x, 1), tail(x, 0)) + reward)


def six_peaks(x, t):
    two_sided = (head(x, 1) > t and tail(x, 0) > t) or (head(x, 0) > t and tail(x, 1) > t)
    return -float(max(head(x, 1), tail(x, 0)) + (len(x) if two_sided else 0))


def continuous_peaks(x, t):
    runs = {0: 0, 1: 0}
    for value, group in itertools.groupby(x):
        runs[int(value)] = max(runs[int(value)], len(list(group)))
    reward = len(x) if runs[0] > t and runs[1] > t else 0
    return -float(max(runs.values()) + reward)


def flip_flop(x):
    return -float(sum(x[i] != x[i + 1] for i in range(len(x) - 1)))


def trap(x, k):
    total = 0
    for start in range(0, len(x), k):
        ones = int(sum(x[start:start + k]))
        total += k if ones == k else k - 1 - ones
    return -float(total)


def nk(x, links, tables, unit):
    """Mean of the contributions: gene i reads its bit then those of its neighbours, most
    significant first."""
    total = 0
    for i in range(len(x)):
        index = int("".join(str(int(x[j])) for j in [i, *links[i]]), 2)
        total += int(tables[i][index])
    return -(total / (len(x) * unit))


def knapsack(x, weights, values, capacity, repair):
    chosen = [i for i in range(len(x)) if x[i]]
    weight, value = sum(weights[chosen]), sum(values[chosen])
    if weight <= capacity:
        return -float(value)
    if not repair:
        return float((weight - capacity) * (values.sum() + 1) - value)
    for i in sorted(chosen, key=lambda i: (values[i] / weights[i], i)):
        weight, value = weight - weights[i], value - values[i]
        if weight <= capacity:
            break
    return -float(value)


def max_sat(x, clauses):
    """``clauses``: triples of signed 1-based literals."""
    return float(sum(not any((lit > 0) == (x[abs(lit) - 1] == 1) for lit in clause)
                     for clause in clauses))


def max_k_color(x, edges, k):
    bits = math.ceil(math.log2(k))
    colors = [int("".join(str(int(b)) for b in x[v * bits:(v + 1) * bits]), 2) % k
              for v in range(len(x) // bits)]
    return float(sum(colors[u] == colors[v] for u, v in edges))


# --- permutation objectives -------------------------------------------------------------------
def tour_length(x, distances):
    return float(sum(distances[x[i - 1], x[i]] for i in range(len(x))))


def n_queens(x):
    n = len(x)
    return float(sum(abs(int(x[i]) - int(x[j])) == j - i
                     for i in range(n) for j in range(i + 1, n)))
