"""Compare variants of the library's optimizers on the quality benchmark's continuous problems,
on the TUNING instances (1-5 by default; bench/quality.py reports on 6-10), scored as
bench/quality.py scores: the fraction of (problem, instance, target) triples hit within
1000 D evaluations, overall, per family and per dimension.

    python bench/tune_quality.py 'rhc' 'rhc:{"move": "gaussian"}' --dims 2,5,10,20 --jobs 2
    python bench/tune_quality.py 'sa' 'sa:{"move": "bitmutation"}' ea fea --part discrete

The discrete part scores as bench/quality.py does (targets between a random string's value and
the optimum, or the best value any run of this comparison found), at 100% and 10% of the budget;
the references ``rls``, ``ea``, ``fea`` and ``mulga`` may be listed among the variants.

A variant is ``registry name`` or ``name:{json parameters}``; moves may be given by registry
name, operators as ``{"class": "Exponential", "ratio": 1e-3}``. Seeds come from the task's names, as in bench/quality.py.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import json
import sys
import time
import pathlib

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).parent))

import _quality_continuous as continuous  # noqa: E402
import _quality_discrete as discrete  # noqa: E402
import _quality_report as report  # noqa: E402

import stochsearch as ss  # noqa: E402


def _value(value):
    """JSON values; ``{"class": "Exponential", ...}`` builds that operator of
    stochsearch.operators with the other keys as its arguments."""
    if isinstance(value, dict) and "class" in value:
        import stochsearch.operators as operators
        kwargs = {k: _value(v) for k, v in value.items() if k != "class"}
        return getattr(operators, value["class"])(**kwargs)
    return value


def _optimizer(variant: str):
    name, _, params = variant.partition(":")
    params = {k: _value(v) for k, v in (json.loads(params) if params else {}).items()}
    return ss.OPTIMIZERS.get(name)(**params)


def _seed(variant: str, label: str, dim: int, instance: int) -> int:
    key = f"tune|{variant}|{label}|{dim}|{instance}".encode()
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "little") % (2 ** 63)


def _run(task):
    variant, label, dim, instance = task
    problem = continuous.build(label, dim, instance)
    budget = 1000 * dim
    result = _optimizer(variant).run(
        problem, budget, rng=_seed(variant, label, dim, instance), history=200,
        termination=ss.TargetValue(problem.f_opt + continuous.TARGETS[-1]))
    gaps = result.history.fun - problem.f_opt
    at_tenth = result.history.value_at(budget // 10) - problem.f_opt
    hits = int(np.sum(continuous.TARGETS >= gaps.min()))
    return task, hits, int(np.sum(continuous.TARGETS >= at_tenth))


def _run_discrete(task):
    variant, label, n, instance = task
    seed = _seed(variant, label, n, instance)
    if variant in discrete.REFERENCES:
        run = discrete.run(variant, label, n, instance, seed)
    else:
        problem = discrete.PROBLEMS[label](n, instance)
        budget = discrete.budget_of(n)
        termination = None if problem.f_opt is None else ss.TargetValue(problem.f_opt)
        result = _optimizer(variant).run(problem, budget, rng=seed, history=200,
                                         termination=termination)
        at, values = result.history.nfev, result.history.fun
        keep = np.r_[True, values[1:] < values[:-1]]
        run = {"trajectory": [[int(a), float(v)] for a, v in zip(at[keep], values[keep])],
               "random": discrete.random_value(problem, instance), "f_opt": problem.f_opt,
               "budget": budget}
    run.update(system=variant, problem=label, dim=n, instance=instance)
    return run


def _discrete(args):
    sizes = [int(n) for n in args.sizes.split(",")]
    lo, _, hi = args.instances.partition("-")
    instances = range(int(lo), int(hi or lo) + 1)
    tasks = [(v, label, n, i) for n in sizes for label in discrete.PROBLEMS
             for i in instances for v in args.variants]
    started = time.perf_counter()
    # Compile once here: worker processes compiling the same function at once race on numba's
    # cache index.
    for v in args.variants:
        for label in discrete.PROBLEMS:
            _run_discrete((v, label, 16, 1))
    with concurrent.futures.ProcessPoolExecutor(args.jobs) as pool:
        runs = list(pool.map(_run_discrete, tasks, chunksize=2))
    scores = {}
    for run, hits in report.discrete_hits(runs):
        for fraction, tag in ((1.0, "100%"), (0.1, "10%")):
            hit = sum(h is not None and h <= fraction * run["budget"] for h in hits)
            for group in ("overall", f"n={run['dim']}", run["problem"]):
                cell = scores.setdefault(run["system"], {}).setdefault((group, tag), [0, 0])
                cell[0] += hit
                cell[1] += len(hits)
    groups = ["overall", *[f"n={n}" for n in sizes]]
    print(f"{len(tasks)} runs in {time.perf_counter() - started:.0f} s; score at 100% (10%)")
    print("variant".ljust(44) + "".join(g.rjust(14) for g in groups))
    for v in args.variants:
        cells = [(scores[v][(g, "100%")], scores[v][(g, "10%")]) for g in groups]
        print(v[:44].ljust(44) + "".join(f"{a[0] / a[1]:.3f} ({b[0] / b[1]:.2f})".rjust(14)
                                          for a, b in cells))
    print("\nper problem at 100%")
    for label in discrete.PROBLEMS:
        print(label[:22].ljust(22) + "".join(
            f"{scores[v][(label, '100%')][0] / scores[v][(label, '100%')][1]:.3f}".rjust(9)
            for v in args.variants))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("variants", nargs="+")
    parser.add_argument("--dims", default="2,5,10,20")
    parser.add_argument("--instances", default="1-5")
    parser.add_argument("--problems", default=None, help="comma-separated labels (default all)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--part", choices=("continuous", "discrete"), default="continuous")
    parser.add_argument("--sizes", default="16,64,100")
    args = parser.parse_args(argv)
    for v in args.variants:
        if v not in discrete.REFERENCES:
            _optimizer(v)                   # refuse a bad variant before anything runs
    if args.part == "discrete":
        return _discrete(args)
    dims = [int(d) for d in args.dims.split(",")]
    lo, _, hi = args.instances.partition("-")
    instances = range(int(lo), int(hi or lo) + 1)
    wanted = None if args.problems is None else set(args.problems.split(","))
    tasks = [(v, label, d, i) for d in dims for label in continuous.problems_for(d)
             if wanted is None or label in wanted for i in instances for v in args.variants]
    started = time.perf_counter()
    scores = {}
    with concurrent.futures.ProcessPoolExecutor(args.jobs) as pool:
        for (v, label, d, i), hits, tenth in pool.map(_run, tasks, chunksize=4):
            family = continuous.PROBLEMS[label][0]
            for group in ("overall", family, f"D={d}", f"{label}"):
                s = scores.setdefault(v, {}).setdefault(group, [0, 0, 0])
                s[0] += hits
                s[1] += tenth
                s[2] += continuous.TARGETS.size
    groups = ["overall", *continuous.FAMILIES, *[f"D={d}" for d in dims]]
    print(f"{len(tasks)} runs in {time.perf_counter() - started:.0f} s; score (at 10% budget)")
    print("variant".ljust(44) + "".join(g[:12].rjust(14) for g in groups))
    for v in args.variants:
        cells = [scores[v].get(g, [0, 0, 1]) for g in groups]
        print(v[:44].ljust(44) + "".join(f"{c[0] / c[2]:.3f} ({c[1] / c[2]:.2f})".rjust(14)
                                          for c in cells))
    labels = sorted({t[1] for t in tasks})
    print("\nper problem")
    for label in labels:
        print(label[:22].ljust(22) + "".join(
            f"{scores[v][label][0] / scores[v][label][2]:.3f}".rjust(9) for v in args.variants))


if __name__ == "__main__":
    main()
