"""Compare variants of the library's optimizers on the quality benchmark's continuous problems,
on the TUNING instances (1-5 by default; bench/quality.py reports on 6-10), scored as
bench/quality.py scores: the fraction of (problem, instance, target) triples hit within
1000 D evaluations, overall, per family and per dimension.

    python bench/tune_quality.py 'rhc' 'rhc:{"move": "gaussian"}' --dims 2,5,10,20 --jobs 2

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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("variants", nargs="+")
    parser.add_argument("--dims", default="2,5,10,20")
    parser.add_argument("--instances", default="1-5")
    parser.add_argument("--problems", default=None, help="comma-separated labels (default all)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    dims = [int(d) for d in args.dims.split(",")]
    lo, _, hi = args.instances.partition("-")
    instances = range(int(lo), int(hi or lo) + 1)
    wanted = None if args.problems is None else set(args.problems.split(","))
    tasks = [(v, label, d, i) for d in dims for label in continuous.problems_for(d)
             if wanted is None or label in wanted for i in instances for v in args.variants]
    for v in args.variants:
        _optimizer(v)                       # refuse a bad variant before anything runs
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
