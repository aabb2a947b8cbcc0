"""Slow, obviously-correct references of the genetic algorithm and its operators (selection,
crossover, mutation), in plain Python with the same Generator draws in the same order. The
kernels must reproduce them exactly."""
from __future__ import annotations

import math

import numpy as np

from tests.reference.discrete import distinct_pair, insert, other, reverse, swap
from tests.reference.local_search import _Book, reflect

TWO_POW_53 = 2.0 ** 53


# --- selection: (f, count, rng) -> list of indices -------------------------------------------
def roulette(cumulative, rng):
    u = rng.random() * cumulative[-1]
    return next(i for i, c in enumerate(cumulative) if c > u)


def running_sum(weights):
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


class IndexStream:
    """Indices uniform in ``0 .. n-1``, three 21-bit chunks to a 64-bit word of the bit
    generator (lowest first), each by multiply-shift, a chunk whose remainder is below
    ``2**21 mod n`` rejected (``_kernels/draws.next_index``)."""

    def __init__(self, n, rng):
        self.n, self.rng, self.chunks = n, rng, []

    def __call__(self):
        while True:
            if not self.chunks:
                word = int(self.rng.bit_generator.random_raw())
                self.chunks = [(word >> (21 * j)) & (2 ** 21 - 1) for j in range(3)]
            product = self.chunks.pop(0) * self.n
            if product % 2 ** 21 >= 2 ** 21 % self.n:
                return product >> 21


def tournament(k):
    def select(f, count, rng):
        out = []
        draw = IndexStream(len(f), rng)
        for _ in range(count):
            best = draw()
            for _ in range(k - 1):
                c = draw()
                if f[c] < f[best]:
                    best = c
            out.append(best)
        return out
    return select


def rank(pressure):
    def select(f, count, rng):
        n = len(f)
        order = sorted(range(n), key=lambda i: f[i])
        cumulative = running_sum(pressure - (2.0 * pressure - 2.0) * r / max(n - 1, 1)
                                 for r in range(n))
        return [order[roulette(cumulative, rng)] for _ in range(count)]
    return select


def proportional(f, count, rng):
    finite = [v for v in f if v < math.inf]
    worst = max(finite) if finite else -math.inf
    cumulative = running_sum(worst - v if v < math.inf else 0.0 for v in f)
    if cumulative[-1] == 0.0:
        cumulative = [i + 1.0 for i in range(len(f))]
    return [roulette(cumulative, rng) for _ in range(count)]


def truncation(fraction):
    def select(f, count, rng):
        n = len(f)
        order = sorted(range(n), key=lambda i: f[i])
        m = max(1, min(n, int(fraction * n + 0.5)))
        return [order[int(rng.random() * m)] for _ in range(count)]
    return select


# --- crossover: (a, b, rng) -> (c, d) --------------------------------------------------------
def cut_pair(n, rng):
    i, j = distinct_pair(n + 1, rng)
    return min(i, j), max(i, j)


def one_point(a, b, rng):
    n = len(a)
    cut = 1 + int(rng.random() * (n - 1)) if n > 1 else n
    return np.r_[a[:cut], b[cut:]].astype(a.dtype), np.r_[b[:cut], a[cut:]].astype(a.dtype)


def two_point(a, b, rng):
    lo, hi = cut_pair(len(a), rng)
    c, d = a.copy(), b.copy()
    c[lo:hi], d[lo:hi] = b[lo:hi], a[lo:hi]
    return c, d


def uniform(a, b, rng):
    c, d = a.copy(), b.copy()
    for i in range(len(a)):
        if i % 53 == 0:
            bits = int(rng.random() * TWO_POW_53)
        if (bits >> (i % 53)) & 1:
            c[i], d[i] = b[i], a[i]
    return c, d


def blend(alpha, lower, upper):
    def crossover(a, b, rng):
        c, d = a.copy(), b.copy()
        for i in range(len(a)):
            lo, span = min(a[i], b[i]), max(a[i], b[i]) - min(a[i], b[i])
            start, width = lo - alpha * span, (1.0 + 2.0 * alpha) * span
            c[i] = min(max(start + width * rng.random(), lower[i]), upper[i])
            d[i] = min(max(start + width * rng.random(), lower[i]), upper[i])
        return c, d
    return crossover


def simulated_binary(eta, lower, upper):
    """SBX. Draws: two bits per gene, 26 genes per draw (bit ``2j`` of draw ``i // 26``
    crosses gene ``i``, ``j = i mod 26``, bit ``2j + 1`` exchanges its values between the
    children), then one uniform per crossing gene in gene order. When ``eta + 1 = 2**k``
    (``k <= 4``), ``beta ** (eta + 1)`` is ``k`` squarings and the root ``k`` square roots."""
    k = next((k for k in range(5) if eta + 1.0 == 2.0 ** k), -1)

    def quotient(rand, beta):
        if k >= 0:
            power = beta
            for _ in range(k):
                power = power * power
            alpha = 2.0 - 1.0 / power
        else:
            alpha = 2.0 - beta ** -(eta + 1.0)
        scaled = rand * alpha
        base = scaled if scaled <= 1.0 else 1.0 / (2.0 - scaled)
        if k < 0:
            return base ** (1.0 / (eta + 1.0))
        for _ in range(k):
            base = math.sqrt(base)
        return base

    def crossover(a, b, rng):
        c, d = a.copy(), b.copy()
        crossing = []
        for i in range(len(a)):
            if i % 26 == 0:
                bits = int(rng.random() * TWO_POW_53)
            j = i % 26
            if (bits >> (2 * j)) & 1 and abs(a[i] - b[i]) > 1e-14:
                crossing.append((i, (bits >> (2 * j + 1)) & 1))
        rands = [rng.random() for _ in crossing]
        for (i, exchanged), rand in zip(crossing, rands, strict=True):
            x1, x2 = min(a[i], b[i]), max(a[i], b[i])
            scale = 2.0 / (x2 - x1)
            q1 = quotient(rand, 1.0 + (x1 - lower[i]) * scale)
            q2 = quotient(rand, 1.0 + (upper[i] - x2) * scale)
            y1 = min(max(0.5 * (x1 + x2 - q1 * (x2 - x1)), lower[i]), upper[i])
            y2 = min(max(0.5 * (x1 + x2 + q2 * (x2 - x1)), lower[i]), upper[i])
            c[i], d[i] = (y2, y1) if exchanged else (y1, y2)
        return c, d
    return crossover


def order(a, b, rng):
    n = len(a)
    lo, hi = cut_pair(n, rng)

    def child(keep, other_parent):
        segment = list(keep[lo:hi])
        rest = [g for g in np.roll(other_parent, -hi) if g not in segment]
        out = np.empty(n, dtype=a.dtype)
        out[lo:hi] = segment
        positions = [(hi + k) % n for k in range(n - (hi - lo))]
        out[positions] = rest
        return out
    return child(a, b), child(b, a)


def partially_mapped(a, b, rng):
    lo, hi = cut_pair(len(a), rng)
    c, d = list(a), list(b)
    for i in range(lo, hi):
        # Exchange c[i] and d[i]; each child swaps the incoming element with its old place.
        t1, t2 = c[i], d[i]
        j = c.index(t2)
        c[i], c[j] = t2, t1
        j = d.index(t1)
        d[i], d[j] = t1, t2
    return np.array(c, dtype=a.dtype), np.array(d, dtype=a.dtype)


# --- mutation: (x, rng) -> mutated copy ------------------------------------------------------
def mutating_genes(n, rate, rng):
    """The positions that mutate, drawn lazily (a change may draw between two gaps)."""
    if rate <= 0.0:
        return
    scale = -1.0 / math.log1p(-rate) if rate < 1.0 else 0.0
    i = -1
    while True:
        if scale == 0.0:
            i += 1
        else:
            gap = math.floor(rng.standard_exponential() * scale)
            if gap >= n - i - 1:
                return
            i += 1 + gap
        if i >= n:
            return
        yield i


def per_gene(change):
    """A mutation that calls ``change(y, i, rng)`` at each mutating position of a copy."""
    def with_rate(rate):
        def mutate(x, rng):
            y = x.copy()
            for i in mutating_genes(len(x), rate, rng):
                change(y, i, rng)
            return y
        return mutate
    return with_rate


def flip_gene(y, i, rng):
    y[i] = 1 - y[i]


def gaussian_gene(sigma, lower, upper):
    def change(y, i, rng):
        width = upper[i] - lower[i]
        y[i] = reflect(y[i] + sigma * width * rng.standard_normal(), lower[i], upper[i])
    return change


def polynomial_gene(eta, lower, upper):
    def change(y, i, rng):
        width = upper[i] - lower[i]
        d1, d2 = (y[i] - lower[i]) / width, (lower[i] + width - y[i]) / width
        rand = rng.random()
        if rand < 0.5:
            value = 2.0 * rand + (1.0 - 2.0 * rand) * (1.0 - d1) ** (eta + 1.0)
            dq = value ** (1.0 / (eta + 1.0)) - 1.0
        else:
            value = 2.0 * (1.0 - rand) + 2.0 * (rand - 0.5) * (1.0 - d2) ** (eta + 1.0)
            dq = 1.0 - value ** (1.0 / (eta + 1.0))
        y[i] = min(max(y[i] + dq * width, lower[i]), lower[i] + width)
    return change


def moving(move):
    """A permutation move from position ``i`` to another random one, in place."""
    def change(y, i, rng):
        y[:] = move(y, i, other(i, len(y), rng))
    return change


bit_flip = per_gene(flip_gene)


def gaussian(rate, sigma, lower, upper):
    return per_gene(gaussian_gene(sigma, lower, upper))(rate)


def polynomial(rate, eta, lower, upper):
    return per_gene(polynomial_gene(eta, lower, upper))(rate)


swap_mutation = per_gene(moving(swap))
insert_mutation = per_gene(moving(insert))
inversion_mutation = per_gene(moving(lambda y, i, j: reverse(y, min(i, j), max(i, j) + 1)))


# --- the algorithm -----------------------------------------------------------------------------
def success_rule(kind, strength, target, damping, scale_max, make_mutate):
    """The success rule of ``_kernels.genetic`` as ``(start, update)``: ``update(scale, wins,
    m)`` returns the new scale and the mutation of the new strength (``make_mutate(value)``);
    ``kind`` "spread" multiplies the strength, "index" divides ``strength + 1``."""
    def update(scale, wins, m):
        scale = min(scale * math.exp(damping * (wins / m - target) / (1.0 - target)), scale_max)
        value = strength * scale if kind == "spread" else (strength + 1.0) / scale - 1.0
        return scale, make_mutate(value)
    return update


def genetic_algorithm(fun, sample, budget, rng, *, pop_size, select, crossover, mutate,
                      crossover_rate=0.9, elitism=2, plus=False, offspring=None, adapt=None,
                      batch_rows=None, differential=0.0, lower=None, upper=None, redraw=False,
                      whole_batch=False):
    """The genetic algorithm exactly as documented in ``optimizers.genetic``; returns the best
    value, the best point and the best-so-far value after each evaluation. ``plus``: (mu +
    lambda) replacement with ``offspring`` children a step (steady-state: 2); ``adapt``: a
    ``success_rule``; ``batch_rows``: the largest batch (default: the population);
    ``differential``: the weight of the difference of two members (Real, in ``lower ..
    upper``); ``redraw``: mutate again a child equal to its first parent; ``whole_batch``:
    breed all children of a step first, then mutate the ``m`` of them as one string (their
    genes end to end), then redraw the copies child by child."""
    book = _Book(fun, budget)
    m_max = min(batch_rows or pop_size, budget)
    pop = list(sample(rng, min(pop_size, m_max)))
    popf = [book.evaluate(x) for x in pop]

    def vary(child, parent, mutate, mutated=False):
        child = child if mutated else mutate(child, rng)
        tries = 0
        while redraw and tries < 100 and np.array_equal(child, parent):
            child = mutate(child, rng)
            tries += 1
        if differential > 0.0:
            i, j = distinct_pair(len(pop), rng)
            for k in range(len(child)):
                moved = child[k] + differential * (pop[i][k] - pop[j][k])
                child[k] = min(max(moved, lower[k]), upper[k])
        return child

    scale = 1.0
    while not book.spent:
        m = min(offspring if plus else pop_size - elitism, budget - book.nfev, m_max)
        parents = select(popf, m + (m & 1), rng)
        children = []
        for p in range(0, m, 2):
            a, b = pop[parents[p]], pop[parents[p + 1]]
            if crossover_rate >= 1.0 or (crossover_rate > 0.0 and rng.random() < crossover_rate):
                c, d = crossover(a, b, rng)
            else:
                c, d = a.copy(), b.copy()
            children.append(c if whole_batch else vary(c, a, mutate))
            if p + 1 < m:
                children.append(d if whole_batch else vary(d, b, mutate))
        if whole_batch:
            n = len(children[0])
            genes = mutate(np.concatenate(children), rng)
            children = [vary(genes[r * n:(r + 1) * n].copy(), pop[parents[r]], mutate, True)
                        for r in range(m)]
        values = [book.evaluate(c) for c in children]
        if book.spent:
            break
        if adapt is not None:
            wins = sum(1 for r, value in enumerate(values) if value < popf[parents[r]])
            scale, mutate = adapt(scale, wins, m)
        if plus:
            fresh = [False] * len(pop)
            for child, value in zip(children, values, strict=True):
                # The largest value; among equal values an old member, the last index first.
                worst = max(range(len(pop)), key=lambda i: (popf[i], not fresh[i], i))
                if value < popf[worst] or (value == popf[worst] and not fresh[worst]):
                    pop[worst], popf[worst], fresh[worst] = child, value, True
            continue
        for i in range(elitism):
            best = i + int(np.argmin(popf[i:]))
            pop[i], pop[best] = pop[best], pop[i]
            popf[i], popf[best] = popf[best], popf[i]
        pop[elitism:], popf[elitism:] = children, values
    return book.best_f, book.best_x, np.array(book.trace)
