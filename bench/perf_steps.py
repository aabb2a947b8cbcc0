"""Per-step cost of each optimizer's state machine: nanoseconds per evaluation on the fused path,
microseconds per ask/tell round trip, and the fixed cost of a short ``run``, each as a ratio to
a bare numba loop over the same objective measured side by side; then microseconds per point of
ask/tell in batches of 100 (the batch evaluated by one compiled call).

    python bench/perf_steps.py                  # ~1 minute; --quick for a smoke run
    python bench/perf_steps.py --json out.json  # also write the figures

Uses only the public API, so two checkouts can be compared in alternation:

    for i in 1 2 3; do PYTHONPATH=/path/to/old python bench/perf_steps.py; python bench/perf_steps.py; done

Every system is measured ``--repeats`` times, in a rotated order, and the median is reported.
Times are CPU times of this process (``time.process_time``), robust to other work on the machine.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np

import stochsearch as ss
from stochsearch.problems import TSP, FourPeaks, OneMax, Rastrigin, Sphere


@ss.jit
def _evaluate_rows(objective, X, data):
    out = np.empty(X.shape[0])
    for i in range(X.shape[0]):
        out[i] = objective(X[i], data)
    return out


@ss.jit
def _bare_real(objective, X, data, n):
    total = 0.0
    for i in range(n):
        total += objective(X[i % X.shape[0]], data)
    return total


def _cases(quick: bool):
    n = 20_000 if quick else 200_000
    rastrigin = Rastrigin(10, shift=True, seed=0)
    four = FourPeaks(100)
    return [
        ("sa", ss.SimulatedAnnealing(), rastrigin, n),
        ("rhc", ss.RandomRestartHillClimbing(), rastrigin, n),
        ("random", ss.RandomSearch(), Sphere(10, shift=True, seed=0), n),
        ("ga", ss.GeneticAlgorithm(), OneMax(100), n),
        ("ga", ss.GeneticAlgorithm(), four, n),
        ("sa", ss.SimulatedAnnealing(), four, n),
        ("rhc", ss.RandomRestartHillClimbing(), four, n),
        ("sa-2opt", ss.SimulatedAnnealing(move="2opt"), TSP(50, seed=0), n),
    ]


def _batch_cases(quick: bool):
    n = 20_000 if quick else 200_000
    return [
        ("random(batch_size=100)", ss.RandomSearch(batch_size=100), Sphere(10, shift=True, seed=0),
         n),
        ("ga(pop_size=100)", ss.GeneticAlgorithm(pop_size=100), Rastrigin(10, shift=True, seed=0),
         n),
        ("ga(pop_size=100)", ss.GeneticAlgorithm(pop_size=100), OneMax(100), n),
    ]


def _time(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def _ask_tell(optimizer, problem, evaluations):
    state = optimizer.init(problem.space, evaluations, rng=0)
    objective, data = problem.objective, problem.data
    while not state.done:
        X = optimizer.ask(state)
        optimizer.tell(state, X, [objective(x, data) for x in X])


def _ask_tell_batches(optimizer, problem, evaluations):
    state = optimizer.init(problem.space, evaluations, rng=0)
    objective, data = problem.objective, problem.data
    while not state.done:
        X = optimizer.ask(state)
        optimizer.tell(state, X, _evaluate_rows(objective, X, data))


def measure(quick: bool, repeats: int) -> list[dict]:
    cases = _cases(quick)
    samples = {i: {"fused": [], "bare": [], "ask_tell": [], "short_run": []}
               for i in range(len(cases))}
    for name, optimizer, problem, n in cases:   # compile and warm every path once
        optimizer.run(problem, 100, rng=0)
        _ask_tell(optimizer, problem, 50)
        _bare_real(problem.objective, problem.space.sample(np.random.default_rng(0), 4),
                   problem.data, 10)
    for rep in range(repeats):
        order = list(range(len(cases)))
        order = order[rep % len(order):] + order[:rep % len(order)]
        for i in order:
            name, optimizer, problem, n = cases[i]
            X = problem.space.sample(np.random.default_rng(rep), 64)
            s = samples[i]
            s["fused"].append(_time(lambda: optimizer.run(problem, n, rng=rep, history=10)) / n)
            s["bare"].append(_time(lambda: _bare_real(problem.objective, X, problem.data, n)) / n)
            m = n // 50
            s["ask_tell"].append(_time(lambda: _ask_tell(optimizer, problem, m)) / m)
            s["short_run"].append(_time(lambda: [optimizer.run(problem, 2, rng=k)
                                                 for k in range(200)]) / 200)
    rows = []
    batch_cases = _batch_cases(quick)
    batch_samples = {i: [] for i in range(len(batch_cases))}
    for name, optimizer, problem, n in batch_cases:
        _ask_tell_batches(optimizer, problem, 500)
    for rep in range(repeats):
        order = list(range(len(batch_cases)))
        for i in order[rep % len(order):] + order[:rep % len(order)]:
            name, optimizer, problem, n = batch_cases[i]
            batch_samples[i].append(_time(lambda: _ask_tell_batches(optimizer, problem, n)) / n)
    for i, (name, optimizer, problem, n) in enumerate(batch_cases):
        rows.append({"optimizer": name, "problem": problem.name, "evaluations": n,
                     "ask_tell_batch100_us_per_point": statistics.median(batch_samples[i]) * 1e6})
    for i, (name, optimizer, problem, n) in enumerate(cases):
        med = {k: statistics.median(v) for k, v in samples[i].items()}
        rows.append({"optimizer": name, "problem": problem.name, "evaluations": n,
                     "fused_ns": med["fused"] * 1e9, "bare_ns": med["bare"] * 1e9,
                     "fused_over_bare": med["bare"] / med["fused"],
                     "ask_tell_us": med["ask_tell"] * 1e6, "short_run_us": med["short_run"] * 1e6,
                     "spread_fused": (max(samples[i]["fused"]) - min(samples[i]["fused"]))
                     / med["fused"]})
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    rows = measure(args.quick, 2 if args.quick else args.repeats)
    print(f"{'optimizer':9} {'problem':22} {'fused ns':>9} {'bare ns':>8} {'bare/fused':>10} "
          f"{'ask/tell us':>11} {'run(2) us':>9}")
    for r in rows:
        if "fused_ns" in r:
            print(f"{r['optimizer']:9} {r['problem']:22} {r['fused_ns']:9.1f} "
                  f"{r['bare_ns']:8.1f} {r['fused_over_bare']:10.3f} {r['ask_tell_us']:11.2f} "
                  f"{r['short_run_us']:9.1f}")
    print(f"\n{'ask/tell in batches of 100':26} {'problem':22} {'us per point':>12}")
    for r in rows:
        if "ask_tell_batch100_us_per_point" in r:
            print(f"{r['optimizer']:26} {r['problem']:22} "
                  f"{r['ask_tell_batch100_us_per_point']:12.3f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
