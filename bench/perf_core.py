"""Core performance: evaluations per second and final quality on shifted Rastrigin-10, side by
side in one run, against references evaluating where the runs are and the peers people use today.

    pip install -e . simanneal mlrose-ky      # the peers are this benchmark's, not dependencies
    python bench/perf_core.py                 # ~8 minutes; --quick for a smoke run

Every system is given 100,000 evaluations and counted by its own counter: stochsearch's and
scipy's ``nfev`` (``dual_annealing`` with ``maxfun`` set to the budget and ``maxiter`` out of the
way: without them it stops after 1,000 iterations, about 20,000 evaluations), calls of the
objective for simanneal and mlrose-ky. Speed is evaluations per second of the process's CPU
time (``_reference.CLOCK``: on the shared machine wall time counts other jobs' time), a run
shorter than a quarter of a second being repeated until that much time has passed. The systems
run interleaved: round ``r`` (seed ``r``) runs each once, in an order rotated by ``r``; each
figure is the median over 7 rounds with its quartiles, and a ratio is taken round by round.
- stochsearch simulated annealing and hill climbing on the fused path (numba objective); hill
  climbing also with single-coordinate steps, whose move draws one random number instead of
  ten (the default isotropic Gaussian step draws one per coordinate);
- for each of them, a bare numba loop evaluating the same objective by address (as the fused
  path calls it) at 256 points the run with the same seed visits (recorded before the round,
  untimed): the limit of the fused path where it runs;
- scipy's dual_annealing with no_local_search=True, simanneal, mlrose-ky's SA on its continuous
  problem, each given the same objective twice: as the plain numpy function their users write,
  and in the fastest Python-callable form there is (the numba function itself);
- stochsearch SA with the objective as a plain Python (numpy) function, against a bare Python
  loop calling that function at points the SA visits (the limit of the ask/tell path);
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

import numpy as np

import stochsearch as ss
from stochsearch.operators import CauchyStep
from stochsearch.problems import Rastrigin

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from _reference import interleave, ratio, record_points, replay_system, summary

BUDGET = 100_000
PROBLEM = Rastrigin(10, shift=True, seed=0)
OBJECTIVE, DATA = PROBLEM.objective, PROBLEM.data
LOWER, UPPER = PROBLEM.space.lower, PROBLEM.space.upper
ROUNDS = 7


def rastrigin_numpy(x):
    """The same landscape as plain numpy (the 'Python objective')."""
    z = x - DATA[1:]
    return float(10.0 * z.size + np.sum(z * z - 10.0 * np.cos(2.0 * np.pi * z)))


def rastrigin_fast(x):
    """The fastest Python-callable form: the numba objective called from Python."""
    return OBJECTIVE(x, DATA)


def counted(fun):
    """``fun`` and the list whose first item counts its calls."""
    count = [0]

    def wrapper(x):
        count[0] += 1
        return fun(x)
    return wrapper, count


SA = ss.SimulatedAnnealing()
RHC = ss.RandomRestartHillClimbing()
RHC_ONE = ss.RandomRestartHillClimbing(move=CauchyStep(coords=1))
PY_PROBLEM = ss.Problem(PROBLEM.space, fun=rastrigin_numpy)


def stochsearch_run(optimizer, problem=PROBLEM):
    def run(seed, budget):
        result = optimizer.run(problem, budget, rng=seed)
        return result.fun, result.nfev
    return run


def bare_python():
    """The numpy objective called from a Python loop at points the SA visits."""
    recorded = {}

    def prepare(seed):
        recorded.clear()
        recorded[seed] = record_points(SA, PROBLEM, BUDGET, seed)

    def run(seed, budget):
        if seed not in recorded:
            prepare(seed)
        points = list(recorded[seed])
        for k in range(budget):
            rastrigin_numpy(points[k % len(points)])
        return math.nan, budget

    run.prepare = prepare
    return run


def replay(optimizer):
    system = replay_system(optimizer, PROBLEM, BUDGET)

    def run(seed, budget):
        return system(seed, budget / BUDGET)
    run.prepare = system.prepare
    return run


def scipy_dual_annealing(fun):
    def run(seed, budget):
        from scipy.optimize import dual_annealing
        result = dual_annealing(fun, list(zip(LOWER, UPPER, strict=True)), maxfun=budget,
                                maxiter=budget, no_local_search=True, seed=seed)
        return float(result.fun), int(result.nfev)
    return run


def simanneal_sa(fun):
    def run(seed, budget):
        from simanneal import Annealer
        energy_of, count = counted(fun)

        class Rastrigin10(Annealer):
            def move(self):
                i = self.rng.integers(len(self.state))
                step = self.rng.normal(0.0, 0.5)
                self.state[i] = min(max(self.state[i] + step, LOWER[i]), UPPER[i])

            def energy(self):
                return energy_of(self.state)

        annealer = Rastrigin10(np.random.default_rng(seed).uniform(LOWER, UPPER))
        annealer.rng = np.random.default_rng(seed)
        annealer.steps, annealer.Tmax, annealer.Tmin = budget - 1, 25.0, 1e-3
        annealer.updates, annealer.copy_strategy = 0, "method"
        _, energy = annealer.anneal()
        return float(energy), count[0]
    return run


def mlrose_sa(fun):
    def run(seed, budget):
        import mlrose_ky as mlrose
        fitness_of, count = counted(lambda x: fun(np.asarray(x, dtype=float)))
        fitness = mlrose.CustomFitness(fitness_of)
        problem = mlrose.ContinuousOpt(length=10, fitness_fn=fitness, maximize=False,
                                       min_val=-5.12, max_val=5.12, step=0.01)
        _, best, _ = mlrose.simulated_annealing(problem, max_attempts=budget,
                                                max_iters=budget - 1, random_state=seed,
                                                curve=False)
        return float(best), count[0]
    return run


# Each peer runs twice: with the objective as the plain numpy function its users would write,
# and with the fastest Python-callable form there is (the numba function itself).
SYSTEMS = {
    "stochsearch SA (fused)": stochsearch_run(SA),
    "bare loop at the SA's points": replay(SA),
    "stochsearch hill climbing (fused)": stochsearch_run(RHC),
    "bare loop at hill climbing's points": replay(RHC),
    "stochsearch hill climbing, 1-coordinate steps": stochsearch_run(RHC_ONE),
    "bare loop at 1-coordinate hill climbing's points": replay(RHC_ONE),
    "scipy dual_annealing, numpy objective": scipy_dual_annealing(rastrigin_numpy),
    "scipy dual_annealing, numba objective": scipy_dual_annealing(rastrigin_fast),
    "simanneal, numpy objective": simanneal_sa(rastrigin_numpy),
    "simanneal, numba objective": simanneal_sa(rastrigin_fast),
    "mlrose-ky SA, numpy objective": mlrose_sa(rastrigin_numpy),
    "mlrose-ky SA, numba objective": mlrose_sa(rastrigin_fast),
    "stochsearch SA (Python objective)": stochsearch_run(SA, PY_PROBLEM),
    "bare Python loop at the SA's points": bare_python(),
}
#: the ratios reported: (ours, reference)
RATIOS = {
    "SA fused / bare loop at its points": ("stochsearch SA (fused)",
                                           "bare loop at the SA's points"),
    "hill climbing fused / bare loop at its points": ("stochsearch hill climbing (fused)",
                                                      "bare loop at hill climbing's points"),
    "hill climbing 1-coordinate / bare loop at its points": (
        "stochsearch hill climbing, 1-coordinate steps",
        "bare loop at 1-coordinate hill climbing's points"),
    **{f"SA fused / {peer}, {form} objective": ("stochsearch SA (fused)",
                                                f"{peer}, {form} objective")
       for peer in ("scipy dual_annealing", "simanneal", "mlrose-ky SA")
       for form in ("numpy", "numba")},
    "bare loop at the SA's points / scipy dual_annealing, numpy objective": (
        "bare loop at the SA's points", "scipy dual_annealing, numpy objective"),
    "SA Python objective / bare Python loop": ("stochsearch SA (Python objective)",
                                               "bare Python loop at the SA's points"),
}


def measure_all(systems, budget, rounds, quality_seeds, min_time):
    """Rates per round, interleaved (see ``interleave``), and the median final value over
    ``quality_seeds`` seeds, of every system."""
    rows = {}
    for name, fn in systems.items():
        try:
            fn(0, min(budget, 200))  # compile / import outside the timing
        except ImportError as error:
            rows[name] = {"system": name, "skipped": f"not installed ({error.name})"}
    active = {name: fn for name, fn in systems.items() if name not in rows}
    measured = interleave(active, rounds, budget, min_time=min_time)
    for name, fn in active.items():
        values = measured[name]["values"]
        values += [fn(seed, budget)[0] for seed in range(rounds, quality_seeds)]
        rows[name] = {"system": name, "evals_per_second": summary(measured[name]["rates"]),
                      "rates": measured[name]["rates"],
                      "median_final": float(np.median(values)), "seeds": len(values)}
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
    parser.add_argument("--quick", action="store_true", help="10,000 evaluations, 2 rounds")
    parser.add_argument("--out", default=str(pathlib.Path(__file__).parent / "results"))
    args = parser.parse_args(argv)
    budget, rounds, quality_seeds, min_time = \
        (10_000, 2, 2, 0.05) if args.quick else (BUDGET, ROUNDS, 10, 0.25)
    rows = measure_all(SYSTEMS, budget, rounds, quality_seeds, min_time)
    for row in rows:
        print(_format(row), flush=True)
    rates = {r["system"]: r.get("rates") for r in rows}
    ratios = {key: ratio(rates[a], rates[b]) if rates.get(a) and rates.get(b) else None
              for key, (a, b) in RATIOS.items()}
    starts = {"warm cache (s)": startup(cold=False), "cold cache (s)": startup(cold=True)}
    print(f"\nratios of evaluations per second (median over {rounds} rounds [quartiles]):")
    for key, value in ratios.items():
        print(f"  {key:<70} {value['median']:8.2f} [{value['q1']:.2f}, {value['q3']:.2f}]"
              if value else f"  {key:<70}      n/a")
    print("start-up to the first SA result on a new landscape:",
          ", ".join(f"{k} {v:.2f}" for k, v in starts.items()))
    pathlib.Path(args.out).mkdir(parents=True, exist_ok=True)
    path = pathlib.Path(args.out) / ("perf_core_quick.json" if args.quick else "perf_core.json")
    path.write_text(json.dumps({"budget": budget, "rounds": rounds, "rows": rows,
                                "ratios": ratios, "startup": starts,
                                "machine": os.uname().machine, "cpus": os.cpu_count()},
                               indent=2))
    print(f"written to {path}")


def _format(row):
    if "skipped" in row:
        return f"{row['system']:<48} skipped: {row['skipped']}"
    final = "" if math.isnan(row["median_final"]) else f"median final {row['median_final']:.4g}"
    rate = row["evals_per_second"]
    return (f"{row['system']:<48} {rate['median']:>12,.0f} evals/s "
            f"[{rate['q1']:,.0f}, {rate['q3']:,.0f}]   {final}")


if __name__ == "__main__":
    main()
