"""Parallel evaluation inside one run: an objective costing 10 ms, every optimizer run serially
and with ``workers=2`` (a process pool of two, started and stopped by each run, its start-up
timed), evaluations per second of each and a check that both give the same result.

    python bench/perf_parallel.py                 # ~15 minutes; --quick for a smoke run
    python bench/perf_parallel.py --json bench/results/perf_parallel.json

Two objectives, both shifted Rastrigin-10 plus a fixed cost:
- ``cpu``: a busy loop of a fixed number of iterations, calibrated at start to 10 ms of this
  process's CPU time (CPU-bound: two workers need two free cores, so on a shared machine the
  figure is noisy and understates what an idle machine gives);
- ``wait``: ``time.sleep(0.01)`` (an objective waiting on I/O or on a simulator: needs no core).

Evaluations per second are ``nfev`` (the evaluations the run counts, which are those of the
serial run) per second of wall time; annealing and first-improvement hill climbing also make
speculative evaluations that their chain does not take (``info["discarded_evaluations"]``),
reported as ``calls_per_s`` (every call of the objective per second) and ``discarded``. Their
speed-up is bounded by ``bound = 2 * nfev / (nfev + discarded)``: a serial run of ``nfev``
evaluations needs ``(nfev + discarded) / 2`` rounds of two when every speculated pair whose
first move is taken wastes its second; ``efficiency`` is the measured ratio over that bound.
The bound depends on how often the chain moves (annealing's acceptance falls as the budget
grows), so the runs are made at two budgets, 300 and 1000 evaluations (``--budget``), and the
bound alone is first computed over 10 seeds at budgets 300 to 10,000 (no cost, nothing timed).
Each path is run once untimed first (its kernels compiled or loaded from numba's cache), then
serial and parallel runs alternate, ``--repeats`` times (the order swapped each time); each
ratio is taken round by round and the median is reported with the lowest and highest.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import time

import numpy as np

import stochsearch as ss

DIM = 10
COST = 0.010
METHODS = ["random", "rhc", "sa", "ga", "cmaes"]
WARM_UP = 12       # evaluations of an untimed run of each path first: compilation is not timed


class Costly:
    """Shifted Rastrigin plus a fixed cost per call (picklable: it travels to the workers)."""

    def __init__(self, kind: str, loops: int, shift: np.ndarray):
        self.kind, self.loops, self.shift = kind, loops, shift

    def __call__(self, x) -> float:
        if self.kind == "wait":
            time.sleep(COST)
        elif self.kind == "cpu":
            acc = 0
            for i in range(self.loops):
                acc += i * i
        z = x - self.shift
        return float(10.0 * DIM + np.sum(z * z - 10.0 * np.cos(2.0 * math.pi * z)))


def calibrate_loops() -> int:
    """Iterations of the busy loop taking ``COST`` seconds of CPU time here."""
    probe = Costly("cpu", 200_000, np.zeros(DIM))
    x = np.zeros(DIM)
    best = math.inf
    for _ in range(5):
        start = time.process_time()
        probe(x)
        best = min(best, time.process_time() - start)
    return max(1, round(200_000 * COST / best))


def bound(nfev: int, discarded: int) -> float:
    """The speed-up two workers can give a chain whose serial run makes ``nfev`` evaluations
    and whose speculation discards ``discarded``: ``(nfev + discarded) / 2`` rounds of two."""
    return 2 * nfev / (nfev + discarded)


def speculation_bounds(shift, budgets=(300, 1000, 3000, 10_000), seeds=10) -> list[dict]:
    """The bound of each chain over ``seeds`` seeds and several budgets, from runs with
    ``batch=2`` in this process on the objective without its cost (the speculation, hence the
    discarded evaluations, are those of ``workers=2``; nothing is timed)."""
    free = ss.Problem(ss.Real(-5.12, 5.12, dim=DIM), fun=Costly("free", 0, shift))
    rows = []
    for method in ("rhc", "sa"):
        for budget in budgets:
            bounds = []
            for seed in range(seeds):
                result = ss.OPTIMIZERS.get(method)().run(free, budget, rng=seed, batch=2)
                bounds.append(bound(result.nfev, result.info["discarded_evaluations"]))
            rows.append(dict(optimizer=method, budget=budget, seeds=seeds,
                             median=statistics.median(bounds), lowest=min(bounds),
                             highest=max(bounds)))
            print(f"bound of {method:3s} at budget {budget:6d}: median "
                  f"{rows[-1]['median']:.3f} [{min(bounds):.3f}, {max(bounds):.3f}] "
                  f"over {seeds} seeds")
    return rows


def same(a, b) -> bool:
    return (a.fun == b.fun and a.x.tobytes() == b.x.tobytes() and a.nfev == b.nfev
            and a.nit == b.nit and a.history.fun.tobytes() == b.history.fun.tobytes()
            and a.history.nfev.tobytes() == b.history.nfev.tobytes())


def measure(method: str, problem, budget: int, workers) -> tuple:
    optimizer = ss.OPTIMIZERS.get(method)()
    start = time.perf_counter()
    result = optimizer.run(problem, budget, rng=0, workers=workers)
    return result, time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="60 evaluations per run")
    parser.add_argument("--budget", type=int, nargs="+", default=[300, 1000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--objectives", nargs="+", choices=["cpu", "wait"],
                        default=["cpu", "wait"])
    parser.add_argument("--methods", nargs="+", choices=METHODS, default=METHODS)
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)
    budgets = [60] if args.quick else args.budget
    loops = calibrate_loops()
    shift = np.random.default_rng(0).uniform(-2.0, 2.0, DIM)
    space = ss.Real(-5.12, 5.12, dim=DIM)
    bounds = speculation_bounds(shift, budgets=(60,) if args.quick else (300, 1000, 3000, 10_000),
                                seeds=2 if args.quick else 10)
    rows = []
    print(f"cpu objective: {loops} loop iterations = {COST * 1e3:.0f} ms of CPU; budgets "
          f"{budgets}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'objective':9s} {'method':7s} {'budget':>6s} {'serial ev/s':>11s} "
          f"{'2 workers ev/s':>14s} {'ratio [min, max]':>18s} {'calls/s ratio':>13s} "
          f"{'discarded':>9s} {'bound':>5s} {'efficiency':>10s} same")
    repeats = 1 if args.quick else args.repeats
    for kind, budget in ((kind, budget) for budget in budgets for kind in args.objectives):
        problem = ss.Problem(space, fun=Costly(kind, loops, shift), name=f"rastrigin-10+{kind}")
        for method in args.methods:
            for workers in (None, 2):       # compile and load both paths before any timing
                measure(method, problem, WARM_UP, workers)
            rounds = []
            for r in range(repeats):
                order = (None, 2) if r % 2 == 0 else (2, None)
                runs = {workers: measure(method, problem, budget, workers) for workers in order}
                (serial, t_serial), (parallel, t_parallel) = runs[None], runs[2]
                discarded = parallel.info.get("discarded_evaluations", 0)
                rounds.append(dict(
                    serial_evals_per_s=serial.nfev / t_serial,
                    parallel_evals_per_s=parallel.nfev / t_parallel,
                    parallel_calls_per_s=(parallel.nfev + discarded) / t_parallel,
                    nfev=int(parallel.nfev), discarded=int(discarded),
                    same_result=same(serial, parallel)))
            ratios = [r["parallel_evals_per_s"] / r["serial_evals_per_s"] for r in rounds]
            calls = [r["parallel_calls_per_s"] / r["serial_evals_per_s"] for r in rounds]
            row = dict(objective=kind, optimizer=method, budget=budget,
                       serial_evals_per_s=statistics.median(
                           r["serial_evals_per_s"] for r in rounds),
                       parallel_evals_per_s=statistics.median(
                           r["parallel_evals_per_s"] for r in rounds),
                       ratio=statistics.median(ratios), ratio_min=min(ratios),
                       ratio_max=max(ratios), calls_ratio=statistics.median(calls),
                       discarded=rounds[0]["discarded"],
                       same_result=all(r["same_result"] for r in rounds), rounds=rounds)
            row["bound"] = bound(rounds[0]["nfev"], row["discarded"])
            row["efficiency"] = row["ratio"] / row["bound"]
            rows.append(row)
            print(f"{kind:9s} {method:7s} {budget:6d} {row['serial_evals_per_s']:11.1f} "
                  f"{row['parallel_evals_per_s']:14.1f} {row['ratio']:6.2f} "
                  f"[{row['ratio_min']:.2f}, {row['ratio_max']:.2f}] "
                  f"{row['calls_ratio']:13.2f} {row['discarded']:9d} {row['bound']:5.2f} "
                  f"{row['efficiency']:10.3f} {row['same_result']}")
    if args.json:
        meta = dict(cost_s=COST, loops=loops, dim=DIM, workers=2, cores=os.cpu_count(),
                    load_average=os.getloadavg(), budgets=budgets, repeats=repeats)
        with open(args.json, "w") as handle:
            json.dump({"meta": meta, "runs": rows, "bounds": bounds}, handle, indent=1)
    if not all(row["same_result"] for row in rows):
        raise SystemExit("a parallel run differs from the serial one")


if __name__ == "__main__":
    main()
