"""Quality benchmark (issue 12): how many targets each optimizer reaches per evaluation, against
the strongest peers, run side by side on the same instances and budgets, measured as the
black-box optimization community measures (COCO/BBOB style).

    . .venv/bin/activate
    pip install cma "scipy>=1.15"    # pycma: the IPOP-CMA-ES peer; scipy with rng= (SPEC 7)
    nice -n 10 python bench/quality.py --instances 6-10 --jobs 2         # the reporting set
    python bench/quality.py --instances 1-5 --dims 2,5 --systems rhc,es11 # tuning on 1-5
    python bench/quality.py --quick --out /tmp/quality                    # a smoke run
    python bench/quality.py --report-only                                 # tables from the JSON

Continuous part: the catalogue's landscapes shifted and rotated, plus the BBOB functions it
lacked (``stochsearch.problems.bbob_functions``), grouped in four families (separable,
ill-conditioned, multimodal with adequate structure, multimodal with weak structure; see
``_quality_continuous.PROBLEMS``), dimensions 2, 5, 10, 20, budget 1000 D, an instance is the
seed of the shift and rotation. 51 targets log-spaced from 1e2 to 1e-8 on f - f*; the score is
the fraction of (problem, instance, target) triples hit within the budget, reported overall,
per family and per dimension, with runtime ECDFs (fraction of triples hit against
evaluations / D). Systems: the library's ``rhc``, ``sa``, ``ga`` and ``random`` with their
current defaults (``optimizer.run(problem, budget, rng=seed, history=200)``; a target's hit time
is the first of 200 log-spaced history checkpoints where it was reached, at most 5% late), and
the peers, each through one counting wrapper that refuses evaluations beyond the budget and
records exact hit times: scipy's ``differential_evolution`` (defaults, maxiter cut to the
budget), scipy's ``dual_annealing`` (defaults, ``maxfun`` = budget), pycma's IPOP-CMA-ES
(``cma.fmin2``, 9 restarts, ``incpopsize=2``, ``maxfevals`` = budget) and a textbook (1+1)-ES with
the 1/5th success rule written here (``_quality_continuous.one_plus_one_es``).

Discrete part: bitstrings of n = 16, 64, 100 bits, budget min(100 n^2, 1e5): OneMax and
LeadingOnes with W-model neutrality, epistasis and ruggedness, deceptive traps, NK (k = 2, 4),
planted MAX-3-SAT, knapsack, LABS and Ising models on a ring and a torus. 21 targets per
instance between the mean value of random strings and the optimum (known, or the best any system
found), log-spaced in the relative gap; scores at 100% and at 10% of the budget. Systems: the
library's ``rhc``, ``sa``, ``ga``, and references written here (``_quality_discrete``): random
local search, the (1+1) EA, the fast (1+1) EA (beta = 1.5) and a (mu+lambda) GA.

Every task (system, problem, dimension, instance) draws its seed from its own name, so the
results do not depend on the number of processes or the order they finish in. Tasks already in
the JSON of ``--out`` are skipped (a run can be resumed or extended with more dimensions).
Outputs in ``--out``: ``continuous.json`` and ``discrete.json`` (hit times per target and best-
so-far improvements, compact), ``quality.md`` (the tables) and ``ecdf_*.png``.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import json
import os
import pathlib
import sys
import time
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _quality_continuous as continuous  # noqa: E402
import _quality_discrete as discrete  # noqa: E402
import _quality_report as report  # noqa: E402

DEFAULT_OUT = pathlib.Path(__file__).parent / "results" / "quality"
PARTS = {"continuous": continuous, "discrete": discrete}


def task_seed(part: str, system: str, label: str, dim: int, instance: int) -> int:
    """A seed from the task's names only (never from the order tasks run in)."""
    key = f"quality|{part}|{system}|{label}|{dim}|{instance}".encode()
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "little") % (2 ** 63)


def tasks(part: str, systems, dims, instances, quick: bool):
    module = PARTS[part]
    out = []
    for dim in dims:
        if part == "continuous":
            labels = continuous.problems_for(dim, quick)
        else:
            labels = [label for label in discrete.PROBLEMS
                      if not quick or label in discrete.QUICK_PROBLEMS]
        for label in labels:
            for instance in instances:
                for system in systems:
                    if system in module.SYSTEMS:
                        out.append((part, system, label, dim, instance))
    # Largest first, so that the pool ends with short tasks.
    return sorted(out, key=lambda t: -t[3])


def execute(task):
    part, system, label, dim, instance = task
    seed = task_seed(*task)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = PARTS[part].run(system, label, dim, instance, seed)
    result.update(system=system, problem=label, dim=dim, instance=instance, seed=seed,
                  seconds=round(time.perf_counter() - start, 4))
    if part == "continuous":
        result["hits"] = [h for h in result["hits"] if h >= 0]
    return task, result


def key_of(run: dict) -> tuple:
    return (run["system"], run["problem"], run["dim"], run["instance"])


def load(path: pathlib.Path) -> dict:
    if not path.exists():
        return {}
    with open(path) as handle:
        return {key_of(run): run for run in json.load(handle)["runs"]}


def save(path: pathlib.Path, runs: dict, meta: dict) -> None:
    """One run per line: compact, and readable with a pager."""
    ordered = sorted(runs.values(), key=lambda r: (r["problem"], r["dim"], r["instance"],
                                                   r["system"]))
    lines = ",\n".join(json.dumps(run, separators=(",", ":")) for run in ordered)
    path.write_text(f'{{"meta":{json.dumps(meta)},\n"runs":[\n{lines}\n]}}\n')


def parse_range(text: str) -> list[int]:
    values = []
    for part in text.split(","):
        low, _, high = part.partition("-")
        values += list(range(int(low), int(high or low) + 1))
    return values


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", default="6-10",
                        help="instance seeds: 1-5 is the tuning set, 6-10 the reporting set")
    parser.add_argument("--dims", default="2,5,10,20", help="continuous dimensions")
    parser.add_argument("--sizes", default="16,64,100", help="bitstring lengths")
    parser.add_argument("--systems", default=None,
                        help="comma-separated; default: every system of each part")
    parser.add_argument("--parts", default="continuous,discrete")
    parser.add_argument("--quick", action="store_true",
                        help="a few problems, two instances, dimension 2 and n = 16")
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--report-only", action="store_true")
    parser.add_argument("--rerun", default="",
                        help="comma-separated systems whose stored runs are dropped and run "
                             "again (e.g. the library's after a change of its defaults; the "
                             "peers' runs, same code and seeds, are kept)")
    args = parser.parse_args(argv)
    instances = parse_range(args.instances)
    dims, sizes = parse_range(args.dims), parse_range(args.sizes)
    if args.quick:
        instances, dims, sizes = instances[:2], [2], [16]
    args.out.mkdir(parents=True, exist_ok=True)
    for part in args.parts.split(","):
        module = PARTS[part]
        systems = module.SYSTEMS if args.systems is None else \
            [s for s in args.systems.split(",") if s in module.SYSTEMS]
        path = args.out / f"{part}.json"
        runs = load(path)
        rerun = set(filter(None, args.rerun.split(",")))
        runs = {key: run for key, run in runs.items() if key[0] not in rerun}
        meta = {"instances": instances, "dims": dims if part == "continuous" else sizes,
                "systems": list(systems)}
        if not args.report_only:
            todo = [t for t in tasks(part, systems, dims if part == "continuous" else sizes,
                                     instances, args.quick) if t[1:] not in runs]
            print(f"{part}: {len(todo)} runs on {args.jobs} process(es)", flush=True)
            start, done = time.perf_counter(), 0
            with concurrent.futures.ProcessPoolExecutor(args.jobs) as pool:
                for task, result in pool.map(execute, todo, chunksize=1):
                    runs[task[1:]] = result
                    done += 1
                    if done % 200 == 0 or done == len(todo):
                        print(f"  {done}/{len(todo)} in {time.perf_counter() - start:.0f} s",
                              flush=True)
                        save(path, runs, meta)
            meta["wall_seconds"] = round(time.perf_counter() - start, 1)
            if runs:
                save(path, runs, meta)
    report.write(args.out)
    print(f"report: {args.out / 'quality.md'}")


if __name__ == "__main__":
    main()
