"""Slow, obviously-correct references of the local-search kernels: the Real-space moves, the
cooling schedules, simulated annealing and hill climbing, written in plain Python with the same
Generator draws in the same order. The kernels must reproduce them exactly."""
from __future__ import annotations

import math

import numpy as np


def reflect(value: float, lower: float, upper: float) -> float:
    """Mirror ``value`` into [lower, upper] (as many times as needed)."""
    if lower <= value <= upper:
        return value
    if value != value:
        return lower
    width = upper - lower
    t = math.fmod(value - lower, 2.0 * width)
    if t < 0.0:
        t += 2.0 * width
    if t > width:
        t = 2.0 * width - t
    return min(max(lower + t, lower), upper)


def real_step(x, step, coords, lower, width, rng, distribution):
    """A Gaussian or Cauchy step on ``coords`` random distinct coordinates (all if None).

    Returns the neighbour and the sorted list of changed coordinates.
    """
    n = len(x)
    y = np.array(x, dtype=float)
    if coords is None or coords >= n:
        chosen = list(range(n))
    else:
        chosen = []
        while len(chosen) < coords:
            i = int(rng.random() * n)
            if i not in chosen:
                chosen.append(i)
    for i in chosen:
        delta = step * (rng.standard_normal() if distribution == "gaussian"
                        else rng.standard_cauchy())
        y[i] = reflect(x[i] + delta * width[i], lower[i], lower[i] + width[i])
    return y, sorted(chosen)


class CovarianceStepper:
    """The covariance step (``real_steps.covariance_step``): Gaussian steps ``step * width *
    (A z)`` clipped into the box, with the rank-one update of ``A`` after a step that was
    taken (the current point is the previous proposal)."""

    def __init__(self, dim, learning_rate=None):
        self.n = dim
        self.a = np.eye(dim)
        self.z = np.zeros(dim)
        self.az = np.zeros(dim)
        self.last = None
        self.c = 2.0 / (dim * dim + 6.0) if learning_rate is None else learning_rate

    def propose(self, x, step, lower, width, rng):
        n, a, z, az = self.n, self.a, self.z, self.az
        if self.last is not None and all(x[i] == self.last[i] for i in range(n)):
            norm2 = 0.0
            for i in range(n):
                norm2 += z[i] * z[i]
            if norm2 > 0.0:
                keep = math.sqrt(1.0 - self.c)
                gain = keep / norm2 * (math.sqrt(1.0 + self.c * norm2 / (1.0 - self.c)) - 1.0)
                for i in range(n):
                    gi = gain * az[i]
                    for j in range(n):
                        a[i, j] = keep * a[i, j] + gi * z[j]
        for i in range(n):
            z[i] = rng.standard_normal()
        y = np.empty(n)
        for i in range(n):
            total = 0.0
            for j in range(n):
                total += a[i, j] * z[j]
            az[i] = total
            y[i] = min(max(x[i] + step * width[i] * total, lower[i]), lower[i] + width[i])
        self.last = y.copy()
        return y


def exponential(ratio):
    """t_k = t_{k-1} * ratio ** (1 / steps), t_0 = t0."""
    def temperature(t0, t, k, steps, acc):
        return t0 if k == 0 else t * math.exp(math.log(ratio) / max(steps, 1))
    return temperature


def linear(t0, t, k, steps, acc):
    return t0 * max(0.0, 1.0 - k / max(steps, 1))


def logarithmic(t0, t, k, steps, acc):
    return t0 * math.log(2.0) / math.log(k + 2.0)


def adaptive(start, end, gain):
    def temperature(t0, t, k, steps, acc):
        if k == 0:
            return t0
        target = start * math.exp(math.log(end / start) * (k / max(steps, 1)))
        return t * math.exp(gain * (target - acc))
    return temperature


class _Book:
    """Evaluation counting and the best point, as every optimizer keeps them."""

    def __init__(self, fun, budget):
        self.fun, self.budget = fun, budget
        self.nfev, self.best_f, self.best_x, self.trace = 0, math.inf, None, []

    def evaluate(self, x):
        f = float(self.fun(x))
        if f != f:
            f = math.inf
        self.nfev += 1
        if f < self.best_f:
            self.best_f, self.best_x = f, np.array(x)
        self.trace.append(self.best_f)
        return f

    @property
    def spent(self):
        return self.nfev >= self.budget


def simulated_annealing(fun, lower, upper, budget, rng, *, distribution="cauchy", scale=0.1,
                        coords=1, temperature=None, t0=None, p0=0.8, calibration=100,
                        adapt=True, target=0.2, reheat=None, reheat_factor=0.5, track=False,
                        cycle=None):
    """Simulated annealing exactly as documented in ``optimizers.annealing``; returns the
    best value, the best point and the best-so-far value after each evaluation."""
    lower, upper = np.asarray(lower, float), np.asarray(upper, float)
    width, dim = upper - lower, len(lower)
    temperature = temperature or exponential(1e-10)
    book = _Book(fun, budget)
    x = rng.uniform(lower, upper, size=(1, dim))[0]
    fx = book.evaluate(x)
    step = scale
    grow = math.exp((1.0 - target) / math.sqrt(dim + 1.0))
    shrink = math.exp(-target / math.sqrt(dim + 1.0))
    cal_left = min(calibration, max(1, budget // 10)) if t0 is None else 0
    sum_up, sum_log_up, n_up, log_up = 0.0, 0.0, 0, 0.0
    stepper = CovarianceStepper(dim) if distribution == "cma" else None
    track = track and t0 is None          # a given t0 is an absolute temperature
    t_initial = 0.0 if t0 is None else t0
    t_start = temperature_now = t_initial
    k = steps = 0
    acc = p0
    since_best = 0
    cycle_len = [0 if cycle is None else max(1, round(cycle * budget))]

    def schedule_steps():
        """Steps of the cooling cycle beginning now (the next one is twice as long)."""
        n = budget - book.nfev
        if cycle_len[0] > 0:
            n = min(cycle_len[0], n)
            cycle_len[0] *= 2
        return n

    if cal_left == 0:
        steps = schedule_steps()
    while not book.spent:
        if stepper is not None:
            y = stepper.propose(x, step, lower, width, rng)
        else:
            y, _ = real_step(x, step, coords, lower, width, rng, distribution)
        best_before = book.best_f
        value = book.evaluate(y)
        if book.spent:
            break
        if cal_left > 0:
            if value <= fx:
                x, fx = y, value
            elif math.isfinite(value - fx):
                sum_up += value - fx
                sum_log_up += math.log(value - fx)
                n_up += 1
            cal_left -= 1
            if cal_left == 0:
                if n_up and track:
                    t_initial, log_up = -1.0 / math.log(p0), sum_log_up / n_up
                else:
                    t_initial = -(sum_up / n_up) / math.log(p0) if n_up else 0.0
                t_start = temperature_now = t_initial
                k, steps = 0, schedule_steps()
            continue
        if value <= fx:
            accepted = True
        else:
            units = math.exp(log_up) if track else 1.0
            accepted = temperature_now > 0.0 and \
                rng.random() < math.exp(-(value - fx) / (temperature_now * units))
            if track and math.isfinite(value - fx):
                log_up += 0.01 * (math.log(value - fx) - log_up)
            acc = (1.0 - 0.01) * acc + (0.01 if accepted else 0.0)
        if accepted:
            x, fx = y, value
        if adapt:
            step = min(max(step * (grow if accepted else shrink), 1e-12), 1.0)
        k += 1
        temperature_now = temperature(t_start, temperature_now, k, steps, acc)
        if book.best_f < best_before:
            since_best = 0
        else:
            since_best += 1
            if reheat and since_best >= reheat:
                x, fx, step = book.best_x.copy(), book.best_f, scale
                since_best = 0
                t_start = temperature_now = t_initial * reheat_factor
                k, steps = 0, schedule_steps()
        if k >= steps and cycle_len[0] > 0:
            x, fx, step = book.best_x.copy(), book.best_f, scale
            since_best = 0
            t_start = temperature_now = t_initial
            k, steps = 0, schedule_steps()
    return book.best_f, book.best_x, np.array(book.trace)


def hill_climbing(fun, lower, upper, budget, rng, *, scale=0.1, coords=None,
                  steepest=False, n_neighbors=10, patience=None, restarts=None, adapt=True,
                  min_step=1e-9, distribution="gaussian", accept_equal=False):
    """Random-restart hill climbing exactly as documented in ``optimizers.hill_climbing``;
    returns the best value, the best point, the best-so-far trace and the restart count."""
    lower, upper = np.asarray(lower, float), np.asarray(upper, float)
    width, dim = upper - lower, len(lower)
    patience = patience or max(100, 10 * dim)
    damping = 1.0 + dim / 2.0
    grow, shrink = math.exp(0.8 / damping), math.exp(-0.2 / damping)
    book = _Book(fun, budget)
    done_restarts = 0
    while True:
        x = rng.uniform(lower, upper, size=(1, dim))[0]
        fx = book.evaluate(x)
        if book.spent:
            break
        step, fails, stuck = scale, 0, False
        stepper = CovarianceStepper(dim) if distribution == "cma" else None
        while not book.spent and not stuck:
            m = min(n_neighbors if steepest else 1, budget - book.nfev)
            if stepper is not None:
                candidates = [stepper.propose(x, step, lower, width, rng) for _ in range(m)]
            else:
                candidates = [real_step(x, step, coords, lower, width, rng, distribution)[0]
                              for _ in range(m)]
            values = [book.evaluate(y) for y in candidates]
            if book.spent:
                break
            best = int(np.argmin(values))
            improved = values[best] < fx
            if improved or (accept_equal and values[best] == fx):
                x, fx = candidates[best], values[best]
            if improved:
                fails = 0
            else:
                fails += m
            if adapt:
                step = min(step * (grow if improved else shrink), 1.0)
                if step < min_step:
                    stuck = True
            stuck = stuck or fails >= patience
        if book.spent:
            break
        if restarts is not None and done_restarts >= restarts:
            break
        done_restarts += 1
    return book.best_f, book.best_x, np.array(book.trace), done_restarts


def random_search(fun, lower, upper, budget, rng, batch_size=1000):
    """Evaluate uniform batches; returns the best value and point and the trace."""
    lower, upper = np.asarray(lower, float), np.asarray(upper, float)
    book = _Book(fun, budget)
    while not book.spent:
        m = min(batch_size, budget - book.nfev)
        for x in rng.uniform(lower, upper, size=(m, len(lower))):
            book.evaluate(x)
    return book.best_f, book.best_x, np.array(book.trace)
