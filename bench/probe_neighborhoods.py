"""Probe for issue 12 (natural neighbourhoods, multi-bit moves): measures what the defaults of
hill climbing and annealing would gain from a problem's own neighbourhood and from standard bit
mutation, so that the lead can choose the defaults on figures.

    nice -n 10 python bench/probe_neighborhoods.py permutations      # TSP, N-Queens
    nice -n 10 python bench/probe_neighborhoods.py bitstrings --jobs 2 --instances 1-5

``permutations``: default annealing and random-restart hill climbing with each permutation
neighbourhood on berlin52 (1e6 evaluations, gap to the optimum 7542) and on N-Queens
(n = 8, 32, 100; 1e5 evaluations; value and success), 5 seeds each.
``bitstrings``: the discrete part of ``quality.py`` (same problems, sizes, budgets, seeds and
scoring), run for ``sa`` and ``rhc`` with the default move and with ``BitMutation()`` /
``FastBitMutation()``, plus the (1+1) EA and the fast (1+1) EA for reference; scores at 100%
and 10% of the budget. Results in ``bench/results/probe_neighborhoods/``.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import pathlib
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import stochsearch as ss  # noqa: E402
from stochsearch import problems as P  # noqa: E402

OUT = pathlib.Path(__file__).parent / "results" / "probe_neighborhoods"
SEEDS = range(5)


def _optimizer(name, move):
    cls = ss.OPTIMIZERS.get(name)
    return cls() if move is None else cls(move=move)


# --- permutations ----------------------------------------------------------------------------
def permutation_task(task):
    problem_key, n, system, move, seed, budget = task
    problem = P.TSP(instance="berlin52") if problem_key == "tsp" else P.NQueens(n)
    start = time.perf_counter()
    termination = ss.TargetValue(problem.f_opt) if problem.f_opt is not None else None
    result = _optimizer(system, move).run(problem, budget, rng=seed, termination=termination)
    return task, {"fun": float(result.fun), "nfev": int(result.nfev),
                  "seconds": time.perf_counter() - start}


def permutations(jobs):
    tasks = [("tsp", 52, s, m, seed, 1_000_000) for s in ("sa", "rhc")
             for m in (None, "2opt", "insert") for seed in SEEDS]
    tasks += [("nqueens", n, s, m, seed, 100_000) for n in (8, 32, 100) for s in ("sa", "rhc")
              for m in (None, "2opt", "insert") for seed in SEEDS]
    rows = run_all(permutation_task, tasks, jobs)
    lines = ["| problem | optimizer | move | median | mean | best | worst | solved "
             "| nfev (median) |", "|---" * 9 + "|"]
    groups = {}
    for task, r in rows:
        groups.setdefault(task[:4], []).append(r)
    for (key, n, system, move), rs in groups.items():
        f = np.array([r["fun"] for r in rs])
        opt = 7542.0 if key == "tsp" else 0.0
        if key == "tsp":
            gap = 100 * (f - opt) / opt
            stats = [f"{np.median(gap):.2f}%", f"{gap.mean():.2f}%", f"{gap.min():.2f}%",
                     f"{gap.max():.2f}%"]
        else:
            stats = [f"{np.median(f):g}", f"{f.mean():g}", f"{f.min():g}", f"{f.max():g}"]
        lines.append(f"| {key}-{n} | {system} | {move or 'default (swap)'} | "
                     + " | ".join(stats)
                     + f" | {int(np.sum(f <= opt))}/{len(f)} | "
                     f"{int(np.median([r['nfev'] for r in rs]))} |")
    return rows, lines


# --- bitstrings ------------------------------------------------------------------------------
VARIANTS = {"sa": ("sa", None), "sa-bm": ("sa", "bitmutation"),
            "sa-fbm": ("sa", "fastbitmutation"), "rhc": ("rhc", None),
            "rhc-bm": ("rhc", "bitmutation"), "rhc-fbm": ("rhc", "fastbitmutation")}


def bitstring_task(task):
    import _quality_discrete as discrete
    from quality import task_seed

    system, label, n, instance = task
    # The library variants share the seed of the plain system, so that only the move differs.
    seed = task_seed("discrete", system.split("-")[0], label, n, instance)
    start = time.perf_counter()
    if system in VARIANTS:
        name, move = VARIANTS[system]
        problem = discrete.PROBLEMS[label](n, instance)
        termination = None if problem.f_opt is None else ss.TargetValue(problem.f_opt)
        result = _optimizer(name, move).run(problem, discrete.budget_of(n), rng=seed,
                                            history=200, termination=termination)
        at, values = result.history.nfev, result.history.fun
        keep = np.r_[True, values[1:] < values[:-1]]
        out = {"trajectory": [[int(a), float(v)] for a, v in zip(at[keep], values[keep])],
               "random": discrete.random_value(problem, instance), "f_opt": problem.f_opt,
               "budget": discrete.budget_of(n)}
    else:
        out = discrete.run(system, label, n, instance, seed)
    out.update(system=system, problem=label, dim=n, instance=instance,
               seconds=time.perf_counter() - start)
    return task, out


def bitstrings(jobs, instances, systems):
    import _quality_discrete as discrete
    import _quality_report as report

    tasks = [(s, label, n, i) for n in discrete.SIZES for label in discrete.PROBLEMS
             for i in instances for s in systems]
    rows = run_all(bitstring_task, sorted(tasks, key=lambda t: -t[2]), jobs)
    runs = [r for _, r in rows]
    scored = report.discrete_hits(runs)
    cells = {}
    for run, hits in scored:
        for tag, fraction in (("100%", 1.0), ("10%", 0.1)):
            hit = sum(h is not None and h <= fraction * run["budget"] for h in hits)
            for group in ("overall", f"n={run['dim']}", run["problem"]):
                cell = cells.setdefault((run["system"], group, tag), [0, 0])
                cell[0] += hit
                cell[1] += len(hits)
    groups = ["overall", *[f"n={n}" for n in discrete.SIZES]]
    header = [f"{g} {t}" for g in groups for t in ("100%", "10%")]
    lines = ["| system | " + " | ".join(header) + " |", "|---" * (len(header) + 1) + "|"]
    for s in systems:
        lines.append(f"| {s} | " + " | ".join(
            f"{cells[(s, g, t)][0] / cells[(s, g, t)][1]:.3f}" for g in groups
            for t in ("100%", "10%")) + " |")
    for tag in ("100%", "10%"):
        lines += ["", f"Per problem at {tag} of the budget:", "",
                  "| problem | " + " | ".join(systems) + " |", "|---" * (len(systems) + 1) + "|"]
        for label in discrete.PROBLEMS:
            lines.append(f"| {label} | " + " | ".join(
                f"{cells[(s, label, tag)][0] / cells[(s, label, tag)][1]:.3f}"
                for s in systems) + " |")
    return rows, lines


def run_all(fn, tasks, jobs):
    rows = []
    with concurrent.futures.ProcessPoolExecutor(jobs) as pool:
        for i, row in enumerate(pool.map(fn, tasks, chunksize=1)):
            rows.append(row)
            if (i + 1) % 50 == 0:
                print(f"  {i + 1}/{len(tasks)}", flush=True)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("part", choices=["permutations", "bitstrings"])
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--instances", default="1-5")
    parser.add_argument("--systems", default="sa,sa-bm,sa-fbm,rhc,rhc-bm,rhc-fbm,ea,fea")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    if args.part == "permutations":
        rows, lines = permutations(args.jobs)
    else:
        from quality import parse_range
        rows, lines = bitstrings(args.jobs, parse_range(args.instances),
                                 args.systems.split(","))
    head = subprocess.run(["git", "log", "-1", "--format=%h"], capture_output=True, text=True,
                          cwd=OUT).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, cwd=OUT).stdout.strip()
    lines.append(f"\n({time.perf_counter() - start:.0f} s; commit {head}"
                 f"{', with uncommitted changes in the tree' if dirty else ''})")
    (OUT / f"{args.part}.json").write_text(json.dumps([[list(t), r] for t, r in rows]))
    (OUT / f"{args.part}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
