"""Speed of CMAES against pycma: evaluations per second, side by side in one run.

    pip install cma
    nice -n 10 python bench/perf_cma.py            # ~3 minutes; --quick for a smoke run

Each system gets ``1000 D`` evaluations of the same rotated ellipsoid (a numba objective) with
restarts until the budget is spent: stochsearch's ``CMAES()`` on its fused path, and pycma's
IPOP-CMA-ES as ``bench/quality.py`` runs it (``cma.fmin2``, 9 restarts, ``incpopsize=2``, the
box as bounds, ``sigma0 = width / 4``), calling the numba objective from Python (the fastest
objective pycma can call). Systems run interleaved (``_reference.interleave``): round ``r``
runs both with seed ``r``; figures are medians over the rounds with quartiles, and the speed
ratio is taken round by round. Writes ``bench/results/perf_cma.json``.
"""
from __future__ import annotations

import argparse
import json
import pathlib
import sys

import numpy as np

import stochsearch as ss
from stochsearch.problems import Ellipsoid

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from _reference import interleave, ratio, summary

OUT = pathlib.Path(__file__).parent / "results" / "perf_cma.json"


def systems(problem, budget):
    def ours(seed):
        result = ss.CMAES().run(problem, budget, rng=seed)
        return result.fun, result.nfev

    def pycma(seed):
        import cma

        objective, data = problem.objective, problem.data
        count = [0]

        def f(x):
            count[0] += 1
            return objective(np.ascontiguousarray(x, dtype=np.float64), data)

        lower, upper, width = problem.space.lower, problem.space.upper, problem.space.width
        x0 = lower + np.random.default_rng(seed).random(problem.dim) * width
        options = {"maxfevals": budget, "bounds": [list(lower), list(upper)], "verbose": -9,
                   "seed": seed + 1}
        result = cma.fmin2(f, x0, 0.25 * width.mean(), options, restarts=9, incpopsize=2)
        return float(result[1].result.fbest), count[0]

    return {"cmaes": ours, "pycma-ipop": pycma}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    dims = (2, 5) if args.quick else (2, 5, 10, 20, 40)
    rounds = 1 if args.quick else args.rounds
    report = {}
    for dim in dims:
        problem = Ellipsoid(dim, shift=True, rotate=True, seed=0)
        budget = 1000 * dim
        ss.CMAES().run(problem, 100, rng=0)   # compile / load the cache outside the timings
        out = interleave(systems(problem, budget), rounds, min_time=0.5)
        report[dim] = {name: {"evals_per_s": summary(v["rates"]),
                              "final": summary(v["values"])} for name, v in out.items()}
        report[dim]["speed_ratio"] = ratio(out["cmaes"]["rates"], out["pycma-ipop"]["rates"])
        r = report[dim]
        print(f"D={dim:3d}: cmaes {1e6 / r['cmaes']['evals_per_s']['median']:8.2f} us/eval, "
              f"pycma {1e6 / r['pycma-ipop']['evals_per_s']['median']:8.2f} us/eval, "
              f"ratio {r['speed_ratio']['median']:7.1f}x", flush=True)
    if not args.quick:
        OUT.write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
