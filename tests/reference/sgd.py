"""A slow, obviously-correct SGD in plain Python: the reference of stochsearch/_kernels/sgd.py
and of the update rules of _kernels/updates.py, with the same Generator draws in the same order
and the same arithmetic, so that the kernels must reproduce it exactly."""
from __future__ import annotations

import math


# --- update rules: rule(g, step, rng) changes the gradient g (a list) in place -------------
def momentum(dim, beta=0.9, nesterov=False):
    v = [0.0] * dim

    def rule(g, step, rng):
        for i in range(dim):
            v[i] = beta * v[i] + g[i]
            g[i] = g[i] + beta * v[i] if nesterov else v[i]
    return rule


def adam(dim, b1=0.9, b2=0.999, eps=1e-8):
    m, v = [0.0] * dim, [0.0] * dim

    def rule(g, step, rng):
        c1, c2 = 1.0 - b1 ** float(step), 1.0 - b2 ** float(step)
        for i in range(dim):
            m[i] = b1 * m[i] + (1.0 - b1) * g[i]
            v[i] = b2 * v[i] + (1.0 - b2) * g[i] * g[i]
            g[i] = (m[i] / c1) / (math.sqrt(v[i] / c2) + eps)
    return rule


def clip_by_norm(max_norm):
    def rule(g, step, rng):
        total = 0.0
        for value in g:
            total += value * value
        norm = math.sqrt(total)
        if norm > max_norm:
            scale = max_norm / norm
            for i in range(len(g)):
                g[i] *= scale
    return rule


def clip_by_value(limit):
    def rule(g, step, rng):
        for i in range(len(g)):
            g[i] = min(max(g[i], -limit), limit)
    return rule


def add_noise(eta=0.01, gamma=0.55):
    def rule(g, step, rng):
        std = math.sqrt(eta / (1.0 + float(step)) ** gamma)
        for i in range(len(g)):
            g[i] += std * rng.standard_normal()
    return rule


# --- learning rates: rate(step, epoch, progress) ------------------------------------------------
def constant(lr):
    return lambda step, epoch, progress: lr


def inverse_scaling(lr, power):
    return lambda step, epoch, progress: lr / (float(step) + 1.0) ** power


def cosine(lr, floor):
    def rate(step, epoch, progress):
        return lr * (floor + (1.0 - floor) * 0.5 * (1.0 + math.cos(math.pi * min(progress, 1.0))))
    return rate


# --- the algorithm ------------------------------------------------------------------------------
class _Run:
    """Evaluation count, best point and a trace of the best value after every evaluation."""

    def __init__(self, budget):
        self.budget, self.nfev = budget, 0
        self.best, self.best_x, self.trace = math.inf, None, []

    def count(self, n):
        self.nfev += n
        self.trace += [self.best] * n

    def note(self, x, value):
        if value < self.best:
            self.best, self.best_x = value, list(x)
            if self.trace:
                self.trace[-1] = value


def sgd(x0, lower, upper, budget, rng, *, grad, value=None, n_samples=0, batch_size=None,
        shuffle="epoch", rate=constant(0.01), rules=()):
    """Minimize with SGD from ``x0``; ``grad(x, batch) -> (f, g)`` on the samples ``batch``
    (None without samples), ``value(x) -> f`` the objective.

    Returns ``(best, best_x, trace, info)`` where ``trace[k]`` is the best value after ``k + 1``
    evaluations and ``info`` has the epochs, steps and objective evaluations.
    """
    run = _Run(budget)
    x = list(x0)
    run.best_x = list(x)
    order = list(range(n_samples))
    batch = n_samples if batch_size is None else min(batch_size, max(n_samples, 1))
    minibatches = 0 < batch < n_samples
    steps = epochs = values = 0
    position = 0

    def begin_epoch():
        if shuffle == "epoch" or (shuffle == "once" and epochs == 0):
            for i in range(len(order) - 1, 0, -1):
                j = int(rng.random() * (i + 1))
                order[i], order[j] = order[j], order[i]

    if minibatches:
        values += 1
        run.note(x, value(x))
        begin_epoch()
    while True:
        size = min(batch, n_samples - position, budget - run.nfev) if n_samples else 1
        f, g = grad(x, order[position:position + size] if n_samples else None)
        g = list(g)
        run.count(size)
        if not (math.isfinite(f) and all(math.isfinite(v) for v in g)):
            return run.best, run.best_x, run.trace, "diverged"
        whole = n_samples == 0 or size == n_samples
        if whole:
            run.note(x, f)
        steps += 1
        for rule in rules:
            rule(g, steps, rng)
        lr = rate(steps - 1, epochs, run.nfev / budget)
        x = [min(max(x[i] - lr * g[i], lower[i]), upper[i]) for i in range(len(x))]
        position += size if n_samples else 1
        end_of_epoch = position >= max(n_samples, 1)
        epochs += end_of_epoch
        if run.nfev >= budget or (not whole and end_of_epoch):
            if not whole:
                values += 1
                run.note(x, value(x))
            if run.nfev >= budget:
                break
            begin_epoch()
            position = 0
        elif whole:
            position = 0
    return run.best, run.best_x, run.trace, {"steps": steps, "objective_evaluations": values}
