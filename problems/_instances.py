"""Seeded instance generators of the bitstring problems, and their exact optima where a
polynomial algorithm gives them (NK with adjacent neighbourhoods, knapsack)."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

#: NK contributions are multiples of 1 / UNIT (integers in the tables): sums stay exact.
UNIT = 2 ** 20


def nk_instance(n: int, k: int, neighbors: str, rng: np.random.Generator) -> SimpleNamespace:
    """The data array of an NK landscape (layout in ``_bitstring_kernels``), with ``f_opt``
    (and ``x_opt`` for ``k = 0``) where it can be computed."""
    if neighbors == "adjacent":
        links = (np.arange(n)[:, None] + np.arange(1, k + 1)[None, :]) % n
    else:
        others = [np.delete(np.arange(n), i) for i in range(n)]
        links = np.array([rng.choice(o, size=k, replace=False) for o in others],
                         dtype=int).reshape(n, k)
    tables = rng.integers(0, UNIT, size=(n, 2 ** (k + 1))).astype(float)
    readers = [[] for _ in range(n)]
    for i in range(n):
        for j in sorted({i, *links[i].tolist()}):
            readers[j].append(i)
    first = np.cumsum([0] + [len(r) for r in readers])
    scale = float(n * UNIT)
    data = np.r_[n, k, scale, links.ravel(), tables.ravel(), first, np.concatenate(readers)]
    f_opt = x_opt = None
    if k == 0:
        f_opt, x_opt = -(tables.max(axis=1).sum() / scale), tables.argmax(axis=1)
    elif neighbors == "adjacent" and n >= 2 * k and 4 ** k * n <= 2 ** 22:
        f_opt = -(_adjacent_optimum(tables, n, k) / scale)
    return SimpleNamespace(data=data, f_opt=f_opt, x_opt=x_opt)


def _adjacent_optimum(tables: np.ndarray, n: int, k: int) -> float:
    """The largest sum of contributions when gene ``i`` reads genes ``i .. i + k`` (mod n).

    Dynamic programming along the string for every choice ``s`` of its first ``k`` bits (rows),
    over the last ``k`` bits chosen (columns); the ``k`` contributions that wrap around are
    added at the end, when both ends are known (which needs ``n >= 2 k``, so that the two ends
    do not overlap). Window bits are read as in the kernel: gene
    ``i``'s own bit is the most significant.
    """
    size = 1 << k
    windows = np.arange(2 * size)
    value = np.full((size, size), -np.inf)
    value[np.arange(size), np.arange(size)] = 0.0
    for j in range(k, n):
        candidates = value[:, windows >> 1] + tables[j - k]
        value = np.maximum(candidates[:, :size], candidates[:, size:])
    ends = (np.arange(size)[None, :] << k) | np.arange(size)[:, None]
    for o in range(k):
        value = value + tables[n - k + o][(ends >> (k - 1 - o)) & (2 * size - 1)]
    return float(value.max())


def knapsack_optimum(weights: np.ndarray, values: np.ndarray, capacity: int):
    """The best total value within ``capacity`` (integer weights) and a choice reaching it."""
    n = len(weights)
    best = np.zeros(capacity + 1)
    take = np.zeros((n, capacity + 1), dtype=bool)
    for i, (w, v) in enumerate(zip(weights.astype(int), values, strict=True)):
        if w > capacity:
            continue
        with_item = best[:capacity + 1 - w] + v
        take[i, w:] = with_item > best[w:]
        best[w:] = np.maximum(best[w:], with_item)
    x = np.zeros(n, dtype=np.int8)
    room = capacity
    for i in range(n - 1, -1, -1):
        if take[i, room]:
            x[i] = 1
            room -= int(weights[i])
    return float(best[capacity]), x


def three_sat(n: int, m: int, planted: bool, rng: np.random.Generator):
    """``m`` clauses of three distinct variables with random signs, as signed literals
    (``+(v + 1)`` for ``x_v``, ``-(v + 1)`` for its negation); when ``planted``, only clauses
    that a hidden random assignment satisfies (returned too)."""
    hidden = rng.integers(0, 2, n).astype(np.int8) if planted else None
    literals = np.empty((m, 3))
    c = 0
    while c < m:
        variables = rng.choice(n, size=3, replace=False)
        signs = rng.integers(0, 2, 3)
        if planted and not np.any(signs == hidden[variables]):
            continue
        literals[c] = (variables + 1) * np.where(signs == 1, 1, -1)
        c += 1
    return literals.ravel(), hidden


def random_graph(vertices: int, k: int, edges: int, planted: bool, rng: np.random.Generator):
    """``edges`` distinct random edges (an array of pairs); when ``planted``, only between
    vertices of different colours of a hidden random ``k``-colouring (returned too)."""
    colors = rng.integers(0, k, vertices) if planted else None
    i, j = np.triu_indices(vertices, 1)
    if planted:
        keep = colors[i] != colors[j]
        i, j = i[keep], j[keep]
    if edges > len(i):
        raise ValueError(f"edges must be at most {len(i)} (the pairs of vertices "
                         f"{'of different hidden colours ' if planted else ''}there are), "
                         f"got {edges}")
    chosen = np.sort(rng.choice(len(i), size=edges, replace=False))
    return np.stack([i[chosen], j[chosen]], axis=1), colors
