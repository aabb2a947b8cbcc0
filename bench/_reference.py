"""What the perf benchmarks share: references that evaluate where the runs are, and timing that
interleaves systems.

- ``record_points`` runs an optimizer once through a Python objective that evaluates the
  problem's numba objective and keeps ``keep`` of the points it is asked for, evenly spaced
  over the run (the fused run with the same seed visits the same points). ``replay`` then
  evaluates the objective by address, as a fused run calls it, cycling through them: the cost
  of the objective where the runs spend their time (a random bitstring costs FourPeaks 17 ns, a
  string near its trap or optimum 70-80 ns). Few points are kept so that they stay in the cache:
  a loop streaming 100,000 recorded tours from memory would measure the memory instead.
- ``interleave`` runs every system once per round, in an order rotated by the round's number, so
  that a slow phase of the shared machine hits them alike; ``summary`` and ``ratio`` report the
  median and the spread (quartiles) over rounds, a ratio being taken round by round (side by
  side) before its median.
- Time is the process's CPU time (``CLOCK``), not wall time: on a machine shared with other
  jobs (a load of 8 on 2 cores while these figures were taken) wall time counts the time the
  others held the core, which scattered ratios of identical code from 0.5 to 5.
"""
from __future__ import annotations

import math
import time

import numpy as np

import stochsearch as ss
from stochsearch._kernels.jit import kernel
from stochsearch._kernels.addresses import load_function
from stochsearch._kernels.signatures import function_address

#: a run shorter than this is repeated (same seed, same result) until that much time has passed
MIN_TIME = 0.25
#: the clock of every timing: CPU time of this process (all its threads)
CLOCK = time.process_time
#: recorded points kept for a replay (200 KB for a 100-city tour: they stay in the cache)
KEEP = 256


def record_points(optimizer, problem, budget, seed, keep=KEEP):
    """``keep`` of the points a run of ``optimizer`` evaluates, evenly spaced over the run."""
    objective, data = problem.objective, problem.data
    stride = max(1, budget // keep)
    kept, count = [], [0]

    def fun(x):
        if count[0] % stride == 0 and len(kept) < keep:
            kept.append(np.array(x, copy=True))
        count[0] += 1
        return objective(np.ascontiguousarray(x), data)

    optimizer.run(ss.Problem(problem.space, fun=fun), budget, rng=seed)
    return np.ascontiguousarray(np.array(kept, dtype=problem.space.dtype))


@kernel
def _replay(address, points, data, n):
    objective = load_function(address, "objective", points.dtype)
    total = 0.0
    j = 0
    for _ in range(n):
        total += objective(points[j], data)
        j += 1
        if j == points.shape[0]:
            j = 0
    return total


def replay(problem, points, n):
    """Evaluate ``problem``'s objective ``n`` times, by address, cycling through ``points``."""
    _replay(function_address(problem.objective, "objective", problem.space.kind), points,
            problem.data, n)


def replay_system(optimizer, problem, budget):
    """A system (see ``interleave``) evaluating ``problem`` ``budget`` times at the points that
    ``optimizer``'s run with the round's seed visits (recorded before the round, untimed)."""
    recorded = {}

    def prepare(seed):
        recorded.clear()
        recorded[seed] = record_points(optimizer, problem, budget, seed)

    def run(seed, scale=1.0):
        n = max(2, int(budget * scale))
        if seed not in recorded:
            prepare(seed)
        replay(problem, recorded[seed], n)
        return math.nan, n

    run.prepare = prepare
    return run


def timed(fn, seed, *args, min_time=MIN_TIME):
    """Evaluations per CPU second of ``fn(seed, *args) -> (value, nfev)``, repeated until
    ``min_time`` has passed, and its value."""
    started, total, repeats = CLOCK(), 0, 0
    while repeats == 0 or CLOCK() - started < min_time:
        value, evaluations = fn(seed, *args)
        total, repeats = total + evaluations, repeats + 1
    return total / (CLOCK() - started), value


def interleave(systems, rounds, *args, min_time=MIN_TIME):
    """Run every system of ``systems`` (name -> ``fn(seed, *args) -> (value, nfev)``) once per
    round, round ``r`` with seed ``r`` and the systems in an order rotated by ``r``. A system's
    ``fn.prepare(seed)``, if any, runs before the round's timings. Returns name -> rates and
    values, one per round."""
    names = list(systems)
    out = {name: {"rates": [], "values": []} for name in names}
    for r in range(rounds):
        for name in names:
            prepare = getattr(systems[name], "prepare", None)
            if prepare is not None:
                prepare(r)
        k = r % len(names)
        for name in names[k:] + names[:k]:
            rate, value = timed(systems[name], r, *args, min_time=min_time)
            out[name]["rates"].append(rate)
            out[name]["values"].append(value)
    return out


def summary(values):
    """Median and quartiles."""
    q1, median, q3 = np.percentile(np.asarray(values, dtype=float), [25, 50, 75])
    return {"median": float(median), "q1": float(q1), "q3": float(q3)}


def ratio(rates_a, rates_b):
    """The ratio of two systems' rates round by round: its median and quartiles."""
    return summary(np.asarray(rates_a, dtype=float) / np.asarray(rates_b, dtype=float))
