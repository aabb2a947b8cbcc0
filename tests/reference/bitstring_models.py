"""Plain Python references of the bitstring models (problems/bitstring_models.py): the W-model
layers, LABS energy and the Ising models, written from their definitions."""
from __future__ import annotations

import numpy as np


def w_model(x, mask, base, mu, nu, gamma):
    bits = [int(a) ^ int(b) for a, b in zip(x, mask)]
    m = len(bits) // mu
    y = [1 if 2 * sum(bits[i * mu:(i + 1) * mu]) >= mu else 0 for i in range(m)]
    out = []
    for start in range(0, m, nu):
        block = y[start:start + nu]
        even = len(block) - len(block) % 2
        if even > 2:
            head = [sum(block[j] for j in range(even) if j != i) % 2 for i in range(even)]
            block = head + block[even:]
        out += block
    if base == "onemax":
        level = sum(out)
    else:
        level = next((i for i, b in enumerate(out) if b == 0), m)
    if level == m:
        return -m
    group = level // gamma * gamma
    top = min(group + gamma, m) - 1
    return -(group + top - level)


def labs(x, mask):
    s = np.array([1 - 2 * (int(a) ^ int(b)) for a, b in zip(x, mask)])
    n = s.size
    return float(sum(np.dot(s[:n - k], s[k:]) ** 2 for k in range(1, n)))


def ising_ring(x, mask):
    spins = [int(a) ^ int(b) for a, b in zip(x, mask)]
    n = len(spins)
    return -float(sum(spins[i] == spins[(i + 1) % n] for i in range(n)))


def ising_torus(x, mask):
    side = int(round(len(x) ** 0.5))
    spins = (np.asarray(x, int) ^ np.asarray(mask, int)).reshape(side, side)
    return -float(np.sum(spins == np.roll(spins, -1, axis=0))
                  + np.sum(spins == np.roll(spins, -1, axis=1)))
