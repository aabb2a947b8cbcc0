"""How much slower an operator written in Python is than the compiled one it reimplements.

Simulated annealing on a 50-city random TSP-like permutation problem (numba objective) with
the built-in ``"swap"`` neighbourhood against ``swap_step`` in Python (the same draws, the same
run), and the genetic algorithm on a 100-bit weighted OneMax with ``"one_point"`` against a
Python one-point crossover. CPU time of the process, best of 3 repeats of 20,000 evaluations,
after a warm-up run; writes ``bench/results/perf_python_operators.json``. Usage:
``python bench/perf_python_operators.py``.
"""
from __future__ import annotations

import json
import pathlib
import time
import warnings

import numpy as np

import stochsearch as ss
from stochsearch.operators.python import PythonOperatorWarning

BUDGET = 20_000
REPEATS = 3


@ss.jit
def displacement(x, data):
    total = 0.0
    for i in range(x.size):
        total += data[i] * abs(x[i] - i)
    return total


@ss.jit
def weighted_onemax(x, data):
    total = 0.0
    for i in range(x.size):
        total -= data[i] * x[i]
    return total


def swap_step(x, rng):
    n = x.size
    i = int(rng.random() * n)
    j = int(rng.random() * (n - 1))
    if j >= i:
        j += 1
    y = x.copy()
    y[i], y[j] = y[j], y[i]
    return y


def one_point(a, b, rng):
    cut = 1 + int(rng.random() * (a.size - 1))
    return np.r_[a[:cut], b[cut:]], np.r_[b[:cut], a[cut:]]


def cpu(optimizer, problem):
    optimizer.run(problem, 200, rng=0)                    # compile / load the caches
    times, result = [], None
    for r in range(REPEATS):
        start = time.process_time()
        result = optimizer.run(problem, BUDGET, rng=r)
        times.append(time.process_time() - start)
    return min(times), result


def main():
    warnings.simplefilter("ignore", PythonOperatorWarning)
    rng = np.random.default_rng(0)
    perm = ss.Problem(ss.Permutation(50), objective=displacement, data=rng.uniform(0.5, 2, 50))
    bits = ss.Problem(ss.Binary(100), objective=weighted_onemax, data=rng.uniform(0.5, 2, 100))
    cases = {"sa, swap neighbourhood": (ss.SimulatedAnnealing(move="swap"),
                                        ss.SimulatedAnnealing(move=swap_step), perm),
             "ga, one-point crossover": (ss.GeneticAlgorithm(crossover="one_point"),
                                         ss.GeneticAlgorithm(crossover=one_point), bits)}
    out = {}
    for name, (compiled, python, problem) in cases.items():
        t_compiled, r_compiled = cpu(compiled, problem)
        t_python, r_python = cpu(python, problem)
        same = bool(r_compiled.fun == r_python.fun and np.array_equal(r_compiled.x, r_python.x))
        out[name] = {"evaluations": BUDGET, "compiled_s": t_compiled, "python_s": t_python,
                     "slowdown": t_python / t_compiled,
                     "python_us_per_evaluation": 1e6 * t_python / BUDGET,
                     "compiled_us_per_evaluation": 1e6 * t_compiled / BUDGET,
                     "same_result": same}
        print(f"{name}: compiled {t_compiled:.4f} s, Python {t_python:.3f} s "
              f"({t_python / t_compiled:.0f}x; {1e6 * t_python / BUDGET:.1f} us per evaluation"
              f"), same result: {same}")
    path = pathlib.Path(__file__).parent / "results" / "perf_python_operators.json"
    path.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
