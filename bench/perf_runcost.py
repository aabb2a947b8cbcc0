"""The fixed cost of a run: CPU microseconds per ``optimizer.run(problem, 2, rng=i)`` of a cached
optimizer on a cached problem (issue 14, item 8: at most 30 us), for each optimizer.

    python bench/perf_runcost.py                         # ~40 s
    python bench/perf_runcost.py --against OLD/bin/python  # alternate with another version

With ``--against``, this script runs itself in a subprocess alternately under the other
version's Python (installed in its own environment, e.g. ``python -m venv OLD && OLD/bin/pip
install -e OLD_CHECKOUT``) and under this one (``--rounds`` times each), and prints the median
of each case over the rounds, side by side. A checkout folder is also accepted (run with
``PYTHONPATH`` set to it), but then an editable install of this checkout still serves
``stochsearch.problems`` from here. Uses only the public API. Times are CPU times of the process
(``time.process_time``): each case is run 200 times to warm up, then timed ``--repeats`` times
over ``--runs`` runs with seeds 0..runs-1, and the median per run is reported.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import stochsearch as ss
from stochsearch.problems import TSP, OneMax, Rastrigin, Sphere


def _cases():
    rastrigin, sphere = Rastrigin(10, shift=True, seed=0), Sphere(10, shift=True, seed=0)
    return [("random", ss.RandomSearch(), sphere),
            ("rhc", ss.RandomRestartHillClimbing(), rastrigin),
            ("sa", ss.SimulatedAnnealing(), rastrigin),
            ("ga", ss.GeneticAlgorithm(), OneMax(100)),
            ("sa-2opt", ss.SimulatedAnnealing(move="2opt"), TSP(50, seed=0)),
            ("cmaes", ss.CMAES(), sphere)]


def measure(runs: int, repeats: int) -> dict:
    figures = {}
    for name, optimizer, problem in _cases():
        for i in range(200):
            optimizer.run(problem, 2, rng=i)
        times = []
        for _ in range(repeats):
            start = time.process_time()
            for i in range(runs):
                optimizer.run(problem, 2, rng=i)
            times.append((time.process_time() - start) / runs * 1e6)
        figures[name] = statistics.median(times)
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--against", help="another version's Python (or checkout folder)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", help=argparse.SUPPRESS)   # used by --against
    args = parser.parse_args(argv)
    if args.against is None:
        figures = measure(args.runs, args.repeats)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(figures, f)
        for name, us in figures.items():
            print(f"{name:8} {us:6.1f} us")
        return
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    results = {"against": [], "this": []}
    for round_ in range(args.rounds):
        for label, path in (("against", args.against), ("this", here)):
            out = f"/tmp/perf_runcost_{os.getpid()}_{label}.json"
            python, env = sys.executable, dict(os.environ, PYTHONPATH=path)
            if label == "against" and os.path.isfile(path):
                python, env = path, None                # its own environment
            subprocess.run([python, __file__, "--runs", str(args.runs), "--repeats",
                            str(args.repeats), "--json", out], env=env, check=True)
            with open(out) as f:
                results[label].append(json.load(f))
            os.remove(out)
    print(f"{'case':8} {'against':>9} {'this':>9}   (CPU us per run(problem, 2), median of "
          f"{args.rounds} alternating rounds)")
    for name in results["this"][0]:
        old = statistics.median(r[name] for r in results["against"])
        new = statistics.median(r[name] for r in results["this"])
        print(f"{name:8} {old:9.1f} {new:9.1f}")


if __name__ == "__main__":
    main()
