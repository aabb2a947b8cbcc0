"""Genetic-algorithm throughput against fixed references measured side by side, so that two
checkouts (before and after a change to the GA's operators) can be compared by their ratios.

    python bench/perf_ga.py                   # ~3 minutes; --quick for a smoke run
    pip install pymoo                         # for the real-valued comparison (optional)
    python bench/perf_ga.py --against OLD/bin/python   # ~4 minutes: two versions side by side

``--against`` compares this checkout with another version of the package by the bitstring GA's
CPU nanoseconds per evaluation (``bench/_ga_throughput.py``, run alternately under each Python,
``--rounds`` times each, the order swapped every round; ratios taken round by round). The other
version needs its own environment, for example ``python -m venv old && old/bin/pip install
-e OLD_CHECKOUT``: with ``PYTHONPATH`` alone, an editable install of this checkout would still
serve ``stochsearch.problems`` from here.

- Bitstrings: the GA of bench/perf_discrete.py (population 100, 200 generations, tournament of
  3, uniform crossover at 0.9, bit flips at 1/n, 2 elites) on OneMax-100 and FourPeaks-100,
  against a bare loop evaluating the objective by address at 256 points the GA's run with the
  same seed visits (``_reference.replay_system``: a reference whose code does not change).
- Real vectors: the GA with its defaults (population 100, SBX with eta 15 at 0.9, polynomial
  mutation with eta 20 at 1/n, 2 elites) on Sphere at D = 10, 100, 1000 for 30 generations,
  against the same bare loop and against pymoo's GA with the same operators (SBX(eta=15,
  prob=0.9), PM(eta=20), tournament selection; with pymoo's default elimination of duplicates,
  and without it).
Systems run interleaved in rounds (round r: seed r, order rotated by r), timed in CPU time of
the process (``_reference.CLOCK``); figures are medians over rounds with quartiles, ratios taken
round by round.
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys

import numpy as np

import stochsearch as ss
from stochsearch.operators import Tournament
from stochsearch.problems import FourPeaks, OneMax, Sphere

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from _reference import interleave, ratio, replay_system, summary

# Generational GAs with fixed operators, as the references and pymoo run (the defaults became a
# self-adapting (mu+lambda) GA in issue 12): the same algorithm on both sides of every ratio.
BITS_GA = ss.GeneticAlgorithm(pop_size=100, selection=Tournament(k=3), crossover="uniform",
                              crossover_rate=0.9, mutation="bitflip",
                              replacement="generational", redraw_copies=False)
REAL_GA = ss.GeneticAlgorithm(pop_size=100, replacement="generational", adapt_mutation=False,
                              differential=0.0)
BITS_BUDGET = 100 + 200 * 98
REAL_GENERATIONS = 30


def ours(optimizer, problem, budget):
    def run(seed, scale):
        result = optimizer.run(problem, max(2, int(budget * scale)), rng=seed)
        return result.fun, result.nfev
    return run


def pymoo_ga(dim, eliminate_duplicates):
    def run(seed, scale):
        from pymoo.algorithms.soo.nonconvex.ga import GA
        from pymoo.core.problem import Problem
        from pymoo.operators.crossover.sbx import SBX
        from pymoo.operators.mutation.pm import PM
        from pymoo.optimize import minimize
        count = [0]

        class SphereProblem(Problem):
            def __init__(self):
                super().__init__(n_var=dim, n_obj=1, xl=-5.12, xu=5.12)

            def _evaluate(self, X, out, *args, **kwargs):
                count[0] += len(X)
                out["F"] = np.sum(X * X, axis=1)

        algorithm = GA(pop_size=100, crossover=SBX(eta=15, prob=0.9), mutation=PM(eta=20),
                       eliminate_duplicates=eliminate_duplicates)
        result = minimize(SphereProblem(), algorithm,
                          ("n_gen", max(1, int(REAL_GENERATIONS * scale))), seed=seed,
                          verbose=False)
        return float(result.F[0]), count[0]
    return run


def tasks():
    out = {}
    for problem in (OneMax(100), FourPeaks(100)):
        out[f"GA {problem.name}"] = {
            "stochsearch GA": ours(BITS_GA, problem, BITS_BUDGET),
            "bare loop at the GA's points": replay_system(BITS_GA, problem, BITS_BUDGET)}
    for dim in (10, 100, 1000):
        problem = Sphere(dim)
        budget = 100 + REAL_GENERATIONS * 98
        out[f"GA {problem.name}"] = {
            "stochsearch GA": ours(REAL_GA, problem, budget),
            "bare loop at the GA's points": replay_system(REAL_GA, problem, budget),
            "pymoo GA": pymoo_ga(dim, True),
            "pymoo GA, eliminate_duplicates=False": pymoo_ga(dim, False)}
    return out


def against(python: str, rounds: int, out: pathlib.Path) -> None:
    """The bitstring GA of this checkout and of the version ``python`` imports, side by side."""
    child = str(pathlib.Path(__file__).parent / "_ga_throughput.py")
    runs = {"against": [], "this": []}
    for r in range(rounds):
        order = [("against", python), ("this", sys.executable)]
        for label, interpreter in order if r % 2 == 0 else order[::-1]:
            # The child's folder is bench/, so each Python imports its own installed version.
            done = subprocess.run([interpreter, child], capture_output=True, text=True,
                                  check=True, cwd=pathlib.Path(child).parent)
            runs[label].append(json.loads(done.stdout.splitlines()[-1]))
    versions = {label: runs[label][0]["version"] for label in runs}
    report = {"versions": versions, "rounds": rounds, "problems": {}}
    print(f"bitstring GA, CPU ns per evaluation, {rounds} alternating rounds: "
          f"{versions['against']} (against) and {versions['this']} (this)")
    for problem in runs["this"][0]["ns_per_evaluation"]:
        old = [run["ns_per_evaluation"][problem] for run in runs["against"]]
        new = [run["ns_per_evaluation"][problem] for run in runs["this"]]
        speedups = [a / b for a, b in zip(old, new)]
        report["problems"][problem] = dict(
            against_ns=statistics.median(old), this_ns=statistics.median(new),
            speedup=statistics.median(speedups), speedup_min=min(speedups),
            speedup_max=max(speedups), against_rounds=old, this_rounds=new)
        row = report["problems"][problem]
        print(f"  {problem:<20} {row['against_ns']:6.1f} -> {row['this_ns']:6.1f} ns: "
              f"{row['speedup']:.2f}x [{row['speedup_min']:.2f}, {row['speedup_max']:.2f}]")
    out.mkdir(parents=True, exist_ok=True)
    path = out / "perf_ga_against.json"
    path.write_text(json.dumps(report, indent=2))
    print(f"written to {path}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 rounds, shorter timings")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--out", default=str(pathlib.Path(__file__).parent / "results"))
    parser.add_argument("--name", default="perf_ga", help="name of the JSON file")
    parser.add_argument("--against", metavar="PYTHON",
                        help="another version's Python: compare the bitstring GA side by side")
    args = parser.parse_args(argv)
    if args.against:
        return against(args.against, 2 if args.quick else args.rounds, pathlib.Path(args.out))
    rounds, min_time = (2, 0.05) if args.quick else (args.rounds, 0.25)
    report = {}
    for task, systems in tasks().items():
        active = {}
        for name, fn in systems.items():
            try:
                fn(0, 0.01)  # imports and compilation outside the timing
                active[name] = fn
            except ImportError:
                print(f"{task}: {name} skipped (not installed)")
        measured = interleave(active, rounds, 1.0, min_time=min_time)
        rates = {name: m["rates"] for name, m in measured.items()}
        ours_name = "stochsearch GA"
        report[task] = {
            "evals_per_second": {name: summary(r) for name, r in rates.items()},
            "ratios": {f"{ours_name} / {name}": ratio(rates[ours_name], r)
                       for name, r in rates.items() if name != ours_name}}
        print(task)
        for name, s in report[task]["evals_per_second"].items():
            print(f"  {name:<40} {s['median']:>14,.0f} evals/s [{s['q1']:,.0f}, {s['q3']:,.0f}]")
        for name, s in report[task]["ratios"].items():
            print(f"  {name:<70} {s['median']:8.3f} [{s['q1']:.3f}, {s['q3']:.3f}]", flush=True)
    pathlib.Path(args.out).mkdir(parents=True, exist_ok=True)
    path = pathlib.Path(args.out) / f"{args.name}{'_quick' if args.quick else ''}.json"
    path.write_text(json.dumps({"rounds": rounds, "tasks": report,
                                "machine": os.uname().machine, "cpus": os.cpu_count()},
                               indent=2))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
