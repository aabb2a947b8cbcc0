"""Core performance: evaluations per second and final quality on shifted Rastrigin-10, side by
side in one run, against the bare-loop limits and the peers people use today.

    pip install -e . simanneal mlrose-ky      # the peers are this benchmark's, not dependencies
    python bench/perf_core.py                 # ~5 minutes; --quick for a smoke run

Measured, for 100,000 evaluations (median over 5 seeds of the best of 3 timings, interleaved
across systems):
- stochsearch simulated annealing and hill climbing on the fused path (numba objective); hill
  climbing also with single-coordinate steps, whose move draws one random number instead of
  ten (the default isotropic Gaussian step draws one per coordinate);
- a bare numba loop calling the same objective 100,000 times (the limit of the fused path),
  directly (numba may inline it) and through its address (as any objective supplied at run
  time is called, by stochsearch or any other library);
- scipy's dual_annealing with no_local_search=True, simanneal, mlrose-ky's SA on its continuous
  problem, each given the same objective twice: as the plain numpy function their users write,
  and in the fastest Python-callable form there is (the numba function itself);
- stochsearch SA with the objective as a plain Python (numpy) function, against a bare Python
  loop calling that function (the limit of the ask/tell path);
- start-up: a fresh `python -c` from import to the first SA result on a landscape not used
  before in that process, with numba's cache warm and cold.
Quality: median final value over 10 seeds (same budget) for every system.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np

import stochsearch as ss
from stochsearch._kernels.addresses import load_function
from stochsearch._kernels.signatures import function_address
from stochsearch.operators import CauchyStep
from stochsearch.problems import Rastrigin

BUDGET = 100_000
PROBLEM = Rastrigin(10, shift=True, seed=0)
OBJECTIVE, DATA = PROBLEM.objective, PROBLEM.data
LOWER, UPPER = PROBLEM.space.lower, PROBLEM.space.upper


def rastrigin_numpy(x):
    """The same landscape as plain numpy (the 'Python objective')."""
    z = x - DATA[1:]
    return float(10.0 * z.size + np.sum(z * z - 10.0 * np.cos(2.0 * np.pi * z)))


def rastrigin_fast(x):
    """The fastest Python-callable form: the numba objective called from Python."""
    return OBJECTIVE(x, DATA)


@ss.jit
def _bare_numba(x, data, n):
    total = 0.0
    for k in range(n):
        x[k % x.size] += 1e-12
        total += OBJECTIVE(x, data)   # a direct call: numba may inline the objective here
    return total


@ss.jit
def _bare_numba_by_address(address, x, data, n):
    objective = load_function(address, "objective", x.dtype)
    total = 0.0
    for k in range(n):
        x[k % x.size] += 1e-12
        total += objective(x, data)   # the call any runtime-supplied objective costs
    return total


def bare_numba(seed, budget):
    x = np.random.default_rng(seed).uniform(LOWER, UPPER)
    _bare_numba(x, DATA, budget)
    return math.nan


def bare_numba_by_address(seed, budget):
    x = np.random.default_rng(seed).uniform(LOWER, UPPER)
    _bare_numba_by_address(function_address(OBJECTIVE, "objective", "real"), x, DATA, budget)
    return math.nan


def bare_python(seed, budget):
    x = np.random.default_rng(seed).uniform(LOWER, UPPER)
    for k in range(budget):
        x[k % x.size] += 1e-12
        rastrigin_numpy(x)
    return math.nan


def stochsearch_sa(seed, budget):
    return ss.SimulatedAnnealing().run(PROBLEM, budget, rng=seed).fun


def stochsearch_rhc(seed, budget):
    return ss.RandomRestartHillClimbing().run(PROBLEM, budget, rng=seed).fun


def stochsearch_rhc_one_coordinate(seed, budget):
    optimizer = ss.RandomRestartHillClimbing(move=CauchyStep(coords=1))
    return optimizer.run(PROBLEM, budget, rng=seed).fun


PY_PROBLEM = ss.Problem(PROBLEM.space, fun=rastrigin_numpy)


def stochsearch_sa_python(seed, budget):
    return ss.SimulatedAnnealing().run(PY_PROBLEM, budget, rng=seed).fun


def scipy_dual_annealing(fun):
    def run(seed, budget):
        from scipy.optimize import dual_annealing
        result = dual_annealing(fun, list(zip(LOWER, UPPER, strict=True)), maxfun=budget,
                                no_local_search=True, seed=seed)
        return float(result.fun)
    return run


def simanneal_sa(fun):
    def run(seed, budget):
        from simanneal import Annealer

        class Rastrigin10(Annealer):
            def move(self):
                i = self.rng.integers(len(self.state))
                step = self.rng.normal(0.0, 0.5)
                self.state[i] = min(max(self.state[i] + step, LOWER[i]), UPPER[i])

            def energy(self):
                return fun(self.state)

        annealer = Rastrigin10(np.random.default_rng(seed).uniform(LOWER, UPPER))
        annealer.rng = np.random.default_rng(seed)
        annealer.steps, annealer.Tmax, annealer.Tmin = budget - 1, 25.0, 1e-3
        annealer.updates, annealer.copy_strategy = 0, "method"
        _, energy = annealer.anneal()
        return float(energy)
    return run


def mlrose_sa(fun):
    def run(seed, budget):
        import mlrose_ky as mlrose
        fitness = mlrose.CustomFitness(lambda x: fun(np.asarray(x, dtype=float)))
        problem = mlrose.ContinuousOpt(length=10, fitness_fn=fitness, maximize=False,
                                       min_val=-5.12, max_val=5.12, step=0.01)
        _, best, _ = mlrose.simulated_annealing(problem, max_attempts=budget,
                                                max_iters=budget - 1, random_state=seed,
                                                curve=False)
        return float(best)
    return run


# Each peer runs twice: with the objective as the plain numpy function its users would write,
# and with the fastest Python-callable form there is (the numba function itself).
SYSTEMS = {
    "bare numba loop (limit)": bare_numba,
    "bare numba loop, objective by address": bare_numba_by_address,
    "stochsearch SA (fused)": stochsearch_sa,
    "stochsearch hill climbing (fused)": stochsearch_rhc,
    "stochsearch hill climbing, 1-coordinate steps": stochsearch_rhc_one_coordinate,
    "scipy dual_annealing, numpy objective": scipy_dual_annealing(rastrigin_numpy),
    "scipy dual_annealing, numba objective": scipy_dual_annealing(rastrigin_fast),
    "simanneal, numpy objective": simanneal_sa(rastrigin_numpy),
    "simanneal, numba objective": simanneal_sa(rastrigin_fast),
    "mlrose-ky SA, numpy objective": mlrose_sa(rastrigin_numpy),
    "mlrose-ky SA, numba objective": mlrose_sa(rastrigin_fast),
    "bare Python loop (limit)": bare_python,
    "stochsearch SA (Python objective)": stochsearch_sa_python,
}


def measure_all(systems, budget, speed_seeds, quality_seeds, repeats):
    """Evaluations per second (median over seeds of the best of ``repeats`` timings) and the
    median final value of every system. Timings are interleaved across systems, seed by seed,
    so that a slow phase of a shared machine hits them all alike."""
    rows, times, values = {}, {}, {}
    for name, fn in systems.items():
        try:
            fn(0, min(budget, 200))  # compile / import outside the timing
        except ImportError as error:
            rows[name] = {"system": name, "skipped": f"not installed ({error.name})"}
        times[name], values[name] = [], []
    active = [name for name in systems if name not in rows]
    for seed in range(speed_seeds):
        for name in active:
            best = math.inf
            for _ in range(repeats):
                started = time.perf_counter()
                value = systems[name](seed, budget)
                best = min(best, time.perf_counter() - started)
            times[name].append(best)
            values[name].append(value)
    for name in active:
        values[name] += [systems[name](seed, budget)
                         for seed in range(speed_seeds, quality_seeds)]
        rows[name] = {"system": name, "evals_per_second": budget / float(np.median(times[name])),
                      "median_final": float(np.median(values[name])),
                      "seeds": len(values[name])}
    return [rows[name] for name in systems]


STARTUP = """
import time; t = time.perf_counter()
import stochsearch
from stochsearch.problems import Ackley
result = stochsearch.SimulatedAnnealing().run(Ackley(7, shift=True, seed=123), 1000, rng=0)
print(time.perf_counter() - t)
"""


def startup(cold: bool) -> float:
    env = dict(os.environ)
    if cold:
        env["NUMBA_CACHE_DIR"] = tempfile.mkdtemp(prefix="stochsearch-cold-")
    out = subprocess.run([sys.executable, "-c", STARTUP], capture_output=True, text=True,
                         env=env, check=True).stdout
    return float(out.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 evaluations, 2 seeds")
    parser.add_argument("--out", default=str(pathlib.Path(__file__).parent / "results"))
    args = parser.parse_args(argv)
    budget, speed_seeds, quality_seeds, repeats = \
        (10_000, 2, 2, 1) if args.quick else (BUDGET, 5, 10, 3)
    rows = measure_all(SYSTEMS, budget, speed_seeds, quality_seeds, repeats)
    for row in rows:
        print(_format(row), flush=True)
    rate = {r["system"]: r.get("evals_per_second") for r in rows}
    ratios = {
        "SA fused / bare numba": _ratio(rate, "stochsearch SA (fused)", "bare numba loop (limit)"),
        "hill climbing fused / bare numba": _ratio(rate, "stochsearch hill climbing (fused)",
                                                    "bare numba loop (limit)"),
        "hill climbing 1-coordinate / bare numba": _ratio(
            rate, "stochsearch hill climbing, 1-coordinate steps", "bare numba loop (limit)"),
        "SA fused / bare numba by address": _ratio(rate, "stochsearch SA (fused)",
                                                   "bare numba loop, objective by address"),
        "hill climbing fused / bare numba by address": _ratio(
            rate, "stochsearch hill climbing (fused)", "bare numba loop, objective by address"),
        **{f"SA fused / {peer}, {form} objective": _ratio(
            rate, "stochsearch SA (fused)", f"{peer}, {form} objective")
           for peer in ("simanneal", "scipy dual_annealing", "mlrose-ky SA")
           for form in ("numpy", "numba")},
        "SA Python objective / bare Python loop": _ratio(
            rate, "stochsearch SA (Python objective)", "bare Python loop (limit)"),
    }
    starts = {"warm cache (s)": startup(cold=False), "cold cache (s)": startup(cold=True)}
    print("\nratios of evaluations per second:")
    for key, value in ratios.items():
        print(f"  {key:<55} {value:8.2f}" if value else f"  {key:<55}      n/a")
    print("start-up to the first SA result on a new landscape:",
          ", ".join(f"{k} {v:.2f}" for k, v in starts.items()))
    pathlib.Path(args.out).mkdir(parents=True, exist_ok=True)
    path = pathlib.Path(args.out) / ("perf_core_quick.json" if args.quick else "perf_core.json")
    path.write_text(json.dumps({"budget": budget, "rows": rows, "ratios": ratios,
                                "startup": starts, "machine": os.uname().machine,
                                "cpus": os.cpu_count()}, indent=2))
    print(f"written to {path}")


def _ratio(rate, a, b):
    return rate[a] / rate[b] if rate.get(a) and rate.get(b) else None


def _format(row):
    if "skipped" in row:
        return f"{row['system']:<42} skipped: {row['skipped']}"
    final = "" if math.isnan(row["median_final"]) else f"median final {row['median_final']:.4g}"
    return f"{row['system']:<42} {row['evals_per_second']:>14,.0f} evals/s   {final}"


if __name__ == "__main__":
    main()
