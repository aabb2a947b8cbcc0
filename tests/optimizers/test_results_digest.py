"""Pinned results: a digest of every optimizer's results across its variants, every space kind,
catalogue problems with incremental evaluation and seeds, plus a sample of the default
benchmark suite's tasks with their suite-derived seeds.

Refactorings (of the run state, the kernels, the operators) must leave every digest unchanged.
A change that alters results on purpose (a new default, a new draw order) regenerates the pinned
file deliberately, and says why in its commit:

    python -m tests.optimizers.test_results_digest --update
"""
from __future__ import annotations

import hashlib
import json
import pathlib
import sys

import numpy as np
import pytest

import stochsearch as ss
from stochsearch.operators import AddNoise, ClipByNorm, InverseScaling, Momentum, chain
from tests.conftest import make_problem

PINNED = pathlib.Path(__file__).with_name("results_digest.json")
BUDGET = 1500
SEEDS = (0, 1)
SUITE = pathlib.Path(__file__).parents[2] / "bench" / "default.toml"
SUITE_TASKS = 40      # every k-th task of the default suite, spread over its blocks
SUITE_BUDGET = 3000   # tasks run with this budget instead of the suite's 100,000

# (registry name, parameters, space kinds or None for all the optimizer supports)
_VARIANTS = [
    ("random", {}, None), ("random", dict(batch_size=7), None),
    ("rhc", {}, None), ("rhc", dict(strategy="steepest", n_neighbors=4), None),
    ("rhc", dict(restarts=0, patience=20), None), ("rhc", dict(move="cauchy", patience=30),
                                                   ("real",)),
    ("sa", {}, None), ("sa", dict(t0=0.0), None),
    ("sa", dict(schedule="adaptive", reheat=50), None), ("sa", dict(schedule="linear"), None),
    ("sa", dict(schedule="logarithmic", move="gaussian"), ("real",)),
    ("ga", {}, None), ("ga", dict(mutation_rate=0.0), None),
    ("ga", dict(pop_size=9, replacement="steady-state"), None),
    ("ga", dict(pop_size=15, selection="rank", elitism=0, crossover_rate=0.5), None),
    ("ga", dict(pop_size=10, selection="proportional", elitism=3), None),
    ("ga", dict(pop_size=12, selection="truncation", crossover_rate=1.0), None),
    ("sgd", {}, ("real",)), ("sgd", dict(update="adam", batch_size=None), ("real",)),
    ("sgd", dict(learning_rate=InverseScaling(0.02), update=chain(
        ClipByNorm(5.0), AddNoise(0.1), Momentum(0.9, nesterov=True))), ("real",)),
]


def _catalogue():
    """Catalogue problems whose code paths the small conformance problems do not reach:
    rotations, incremental deltas, permutation moves, a network's minibatch gradients."""
    from stochsearch.problems import (NK, TSP, FourPeaks, MoonsNetwork, OneMax, Rastrigin,
                                      Schwefel)
    return {
        "rastrigin-rot": (Rastrigin(5, shift=True, rotate=True, seed=3), ("rhc", "sa", "ga")),
        "schwefel": (Schwefel(4, shift=True, seed=1), ("rhc", "sa", "random")),
        "onemax": (OneMax(40), ("rhc", "sa", "ga")),
        "fourpeaks": (FourPeaks(30), ("rhc", "sa", "ga")),
        "nk": (NK(16, 3, seed=2), ("rhc", "sa")),
        "tsp": (TSP(14, seed=5), ("rhc", "sa", "ga")),
        "moons": (MoonsNetwork(), ("sgd", "sa")),
    }


def _digest(result: ss.OptimizeResult) -> str:
    h = hashlib.sha256()
    h.update(np.ascontiguousarray(result.x).tobytes())
    h.update(float(result.fun).hex().encode())
    h.update(repr((result.nfev, result.nit, int(result.status), result.nnan)).encode())
    h.update(np.asarray(result.history.nfev, dtype=np.int64).tobytes())
    h.update(np.asarray(result.history.fun, dtype=np.float64).tobytes())
    for key in sorted(result.info):
        value = result.info[key]
        text = float(value).hex() if isinstance(value, (float, np.floating)) else repr(value)
        h.update(f"{key}={text};".encode())
    return h.hexdigest()[:16]


def _supports(optimizer, problem) -> bool:
    if problem.space.kind not in optimizer.spaces:
        return False
    if optimizer.uses_gradient and problem.gradient is None:
        return False
    try:
        optimizer.init(problem, 10, rng=0)
    except ValueError as error:
        if "no neighbourhood is available" in str(error):
            return False
        raise
    return True


def _cases():
    """(case name, thunk) for every pinned run."""
    cases = []
    for name, params, kinds in _VARIANTS:
        for kind in ("real", "binary", "permutation"):
            if kinds is not None and kind not in kinds:
                continue
            optimizer = ss.OPTIMIZERS.get(name)(**params)
            problem = make_problem(kind)
            if not _supports(optimizer, problem):
                continue
            for seed in SEEDS:
                cases.append((f"{name}{params}-{kind}-{seed}",
                              lambda o=optimizer, p=problem, s=seed: o.run(p, BUDGET, rng=s)))
    for label, (problem, names) in _catalogue().items():
        for name in names:
            optimizer = ss.OPTIMIZERS.get(name)()
            for seed in SEEDS:
                cases.append((f"{name}-{label}-{seed}",
                              lambda o=optimizer, p=problem, s=seed: o.run(p, BUDGET, rng=s)))
    return cases


def _suite_cases():
    from stochsearch.suite.spec import load_suite
    from stochsearch.suite.tasks import run_task
    tasks = load_suite(SUITE).tasks()
    step = max(1, len(tasks) // SUITE_TASKS)
    cases = []
    for task in tasks[::step][:SUITE_TASKS]:
        task = _with_budget(task, SUITE_BUDGET)
        cases.append((f"suite:{task.key}", lambda t=task: run_task(t)))
    return cases


def _with_budget(task, budget):
    import dataclasses
    return dataclasses.replace(task, budget=min(task.budget, budget))


def _suite_digest(record: dict) -> str:
    from stochsearch.suite.tasks import RESULT_FIELDS  # the fields that do not depend on clocks
    keep = {k: record[k] for k in RESULT_FIELDS}
    text = json.dumps(keep, sort_keys=True, default=lambda v: np.asarray(v).tolist())
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def compute() -> dict[str, str]:
    digests = {name: _digest(thunk()) for name, thunk in _cases()}
    digests |= {name: _suite_digest(thunk()) for name, thunk in _suite_cases()}
    return digests


def test_results_are_pinned():
    pinned = json.loads(PINNED.read_text())
    now = compute()
    changed = sorted(k for k in pinned if now.get(k) != pinned[k])
    assert not changed, f"{len(changed)} of {len(pinned)} pinned results changed: {changed[:10]}"
    assert now.keys() == pinned.keys(), (
        f"cases added {sorted(now.keys() - pinned.keys())[:5]}, "
        f"removed {sorted(pinned.keys() - now.keys())[:5]}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit(__doc__)
    PINNED.write_text(json.dumps(compute(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {PINNED}")
