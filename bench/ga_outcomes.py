"""Outcomes of the genetic algorithm over many seeds, to check that a change of its draw order
keeps its statistics: run it on two checkouts, then compare the two files.

    python bench/ga_outcomes.py run after.npz --seeds 2000    # ~1 minute
    python bench/ga_outcomes.py compare after.npz before.npz

Outcomes (each a distribution over seeds 0 .. seeds-1):
- perf_ga's bitstring GA (population 100, tournament 3, uniform crossover 0.9, bit flips 1/n,
  2 elites): evaluations to solve OneMax-100 and LeadingOnes-100, final value on FourPeaks-100
  after perf_ga's budget;
- the default GA: evaluations to solve OneMax-100;
- perf_ga's real-valued GA: final value on Rastrigin-10 after 5,000 evaluations.

``compare`` prints medians, means, the two-sample Kolmogorov-Smirnov and Mann-Whitney tests,
and whether the outcomes are identical seed by seed. Uses the public API only. For the other
checkout, put its folder first on ``sys.path`` (and its ``problems`` folder where
``stochsearch.problems`` is found: an editable install maps that name to its own copy).
"""
from __future__ import annotations

import argparse
import pathlib
import sys

import numpy as np

import stochsearch as ss
from stochsearch.problems import FourPeaks, LeadingOnes, OneMax, Rastrigin

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from perf_ga import BITS_BUDGET, BITS_GA, REAL_GA  # noqa: E402

SOLVE_BUDGET = 100_000


def _evaluations_to_solve(optimizer, problem, seeds):
    target = ss.TargetValue(float(problem.f_opt))
    out = []
    for seed in range(seeds):
        result = optimizer.run(problem, SOLVE_BUDGET, rng=seed, termination=target)
        out.append(result.nfev if result.fun <= problem.f_opt else np.inf)
    return np.array(out, dtype=float)


def outcomes(seeds: int) -> dict[str, np.ndarray]:
    """Each outcome over seeds ``0 .. seeds-1``."""
    four = FourPeaks(100)
    rastrigin = Rastrigin(10)
    return {
        "onemax_evals_to_solve": _evaluations_to_solve(BITS_GA, OneMax(100), seeds),
        "leadingones_evals_to_solve": _evaluations_to_solve(BITS_GA, LeadingOnes(100), seeds),
        "fourpeaks_final": np.array([BITS_GA.run(four, BITS_BUDGET, rng=s).fun
                                     for s in range(seeds)]),
        "default_ga_onemax_evals_to_solve": _evaluations_to_solve(ss.GeneticAlgorithm(),
                                                                  OneMax(100), seeds),
        "real_ga_rastrigin10_final": np.array([REAL_GA.run(rastrigin, 5000, rng=s).fun
                                               for s in range(seeds)]),
    }


def compare(first: str, second: str) -> None:
    from scipy import stats
    a, b = np.load(first), np.load(second)
    for key in a.files:
        x, y = a[key], b[key]
        ks, mw = stats.ks_2samp(x, y), stats.mannwhitneyu(x, y)
        print(f"{key:34s} n = {len(x)}, {len(y)}  median {np.median(x):.4g} vs "
              f"{np.median(y):.4g}  mean {np.mean(x):.6g} vs {np.mean(y):.6g}  "
              f"KS D = {ks.statistic:.4f} p = {ks.pvalue:.3f}  Mann-Whitney p = "
              f"{mw.pvalue:.3f}  identical: {np.array_equal(x, y)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="write the outcomes of this checkout")
    run.add_argument("out")
    run.add_argument("--seeds", type=int, default=2000)
    both = sub.add_parser("compare", help="compare two files written by run")
    both.add_argument("first")
    both.add_argument("second")
    args = parser.parse_args(argv)
    if args.command == "run":
        np.savez(args.out, **outcomes(args.seeds))
        print(f"written to {args.out} ({ss.__file__})")
    else:
        compare(args.first, args.second)


if __name__ == "__main__":
    main()
