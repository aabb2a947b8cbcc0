"""CPU nanoseconds per evaluation of the bitstring GA of ``perf_ga.py`` on OneMax-100 and
FourPeaks-100, printed as JSON: the child that ``perf_ga.py --against PYTHON`` runs under this
checkout's Python and under another (an older version installed in its own environment). It uses
only the public API that every version since the first has, and nothing of ``bench/``.

    python bench/_ga_throughput.py [--repeats 5] [--seeds 10]
"""
from __future__ import annotations

import argparse
import json
import pathlib
import subprocess
import time

import stochsearch as ss
from stochsearch.operators import Tournament
from stochsearch.problems import FourPeaks, OneMax

BUDGET = 100 + 200 * 98


def bits_ga():
    """perf_ga.py's BITS_GA, built here so that both versions build the same algorithm."""
    return ss.GeneticAlgorithm(pop_size=100, selection=Tournament(k=3), crossover="uniform",
                               crossover_rate=0.9, mutation="bitflip",
                               replacement="generational", redraw_copies=False)


def version() -> str:
    """The commit of the checkout this Python imports stochsearch from (else its path)."""
    folder = pathlib.Path(ss.__file__).resolve().parent
    try:
        return subprocess.run(["git", "-C", str(folder), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return str(folder)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args(argv)
    ga = bits_ga()
    figures = {}
    for problem in (OneMax(100), FourPeaks(100)):
        ga.run(problem, 2 * BUDGET, rng=0)                      # compiled or loaded, untimed
        times = []
        for _ in range(args.repeats):
            start, evaluations = time.process_time(), 0
            for seed in range(args.seeds):
                evaluations += ga.run(problem, BUDGET, rng=seed).nfev
            times.append((time.process_time() - start) / evaluations * 1e9)
        figures[problem.name] = sorted(times)[len(times) // 2]
    print(json.dumps({"version": version(), "ns_per_evaluation": figures}))


if __name__ == "__main__":
    main()
