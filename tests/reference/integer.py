"""Slow, obviously-correct references of the Integer kernels (``_kernels/integer_steps.py``):
the neighbourhood's +-k steps and random resets, and the genetic algorithm's integer mutation,
in plain Python with the same Generator draws in the same order."""
from __future__ import annotations

from tests.reference.genetic import per_gene


def reset_value(value, lower, upper, rng):
    """Another value of ``lower .. upper``, uniformly: one of the ``upper - lower`` others."""
    others = [v for v in range(lower, upper + 1) if v != value]
    return others[int(rng.random() * len(others))]


def bounce(value, d, lower, upper):
    """``value + d`` if in the box, else ``value - d`` if in the box, else the bound that
    ``d`` heads for."""
    for v in (value + d, value - d):
        if lower <= v <= upper:
            return v
    return upper if d > 0 else lower


def integer_step(x, reset, step, coords, lower, upper, rng):
    """``(y, changed)``: ``coords`` distinct random coordinates (all if ``coords >= n``) each
    reset (probability ``reset``) or moved by +-1..+-step and reflected at the bounds."""
    n = len(x)
    y = [int(v) for v in x]
    if coords >= n:
        chosen = list(range(n))
    else:
        chosen = []
        while len(chosen) < coords:
            i = int(rng.random() * n)
            if i not in chosen:
                chosen.append(i)
    for i in chosen:
        lo, hi = int(lower[i]), int(upper[i])
        if lo == hi:
            continue
        if reset >= 1.0 or (reset > 0.0 and rng.random() < reset):
            y[i] = reset_value(y[i], lo, hi, rng)
            continue
        j = int(rng.random() * 2 * min(step, hi - lo))
        d = j // 2 + 1
        y[i] = bounce(y[i], -d if j % 2 else d, lo, hi)
    return y, sorted(chosen)


def integer_gene(sigma, reset, lower, upper):
    def change(y, i, rng):
        lo, hi = int(lower[i]), int(upper[i])
        if lo == hi:
            return
        if reset >= 1.0 or (reset > 0.0 and rng.random() < reset):
            y[i] = reset_value(int(y[i]), lo, hi, rng)
            return
        z = rng.standard_normal()
        d = max(min(round(abs(sigma * (hi - lo) * z)), hi - lo), 1)
        y[i] = bounce(int(y[i]), -d if z < 0.0 else d, lo, hi)
    return change


def integer_mutation(rate, sigma, reset, lower, upper):
    return per_gene(integer_gene(sigma, reset, lower, upper))(rate)


def rounded_sbx(eta, lower, upper):
    """SBX on integer genes: per differing gene one uniform ``r`` (crosses if ``r < 1/2``,
    exchanged if ``r < 1/4``), one uniform for the spread, values rounded half to even."""
    def quotient(rand, beta):
        alpha = 2.0 - beta ** -(eta + 1.0)
        scaled = rand * alpha
        base = scaled if scaled <= 1.0 else 1.0 / (2.0 - scaled)
        return base ** (1.0 / (eta + 1.0))

    def crossover(a, b, rng):
        c, d = a.copy(), b.copy()
        for i in range(len(a)):
            if a[i] == b[i]:
                continue
            r = rng.random()
            if r >= 0.5:
                continue
            lo, hi = float(lower[i]), float(upper[i])
            x1, x2 = float(min(a[i], b[i])), float(max(a[i], b[i]))
            scale = 2.0 / (x2 - x1)
            rand = rng.random()
            q1 = quotient(rand, 1.0 + (x1 - lo) * scale)
            q2 = quotient(rand, 1.0 + (hi - x2) * scale)
            y1 = round(min(max(0.5 * (x1 + x2 - q1 * (x2 - x1)), lo), hi))
            y2 = round(min(max(0.5 * (x1 + x2 + q2 * (x2 - x1)), lo), hi))
            c[i], d[i] = (y2, y1) if r < 0.25 else (y1, y2)
        return c, d
    return crossover
