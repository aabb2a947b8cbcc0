"""Tests of the quality benchmark's own pieces (bench/quality.py and its _quality_* modules):
the counting wrapper every peer runs through, the reference algorithms, task seeds and the
discrete targets."""
from __future__ import annotations

import pathlib
import sys

import numpy as np
import pytest

BENCH = pathlib.Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import _quality_continuous as continuous  # noqa: E402
import _quality_discrete as discrete  # noqa: E402
import _quality_report as report  # noqa: E402
import quality  # noqa: E402


def test_counter_refuses_evaluations_beyond_the_budget_and_records_hits():
    problem = continuous.build("sphere", 3, 6)
    f = continuous.Counter(problem, budget=5)
    far = problem.space.lower
    f(far)
    f(problem.x_opt + 1e-3)            # f - f* = 3e-6: every target down to 3e-6
    assert f.nfev == 2
    hit = continuous.TARGETS >= 3e-6 - 1e-12
    assert np.all(f.hits[hit] >= 1) and np.all(f.hits[~hit] == -1)
    assert f.hits[np.flatnonzero(hit)[-1]] == 2
    for _ in range(3):
        f(far)
    with pytest.raises(continuous.Exhausted):
        f(far)


def test_one_plus_one_es_solves_the_sphere_within_its_budget():
    problem = continuous.build("sphere", 5, 6)
    f = continuous.Counter(problem, budget=5000)
    with pytest.raises(continuous.Exhausted):
        continuous.one_plus_one_es(f, problem, 5000, np.random.default_rng(0))
    assert f.hits[-1] > 0 and f.best - problem.f_opt <= 1e-8


@pytest.mark.parametrize("system", discrete.REFERENCES)
def test_references_solve_onemax_and_report_improvements(system):
    run = discrete.run(system, "onemax", 16, 6, seed=1)
    at = [a for a, _ in run["trajectory"]]
    values = [v for _, v in run["trajectory"]]
    assert values[-1] == run["f_opt"] == -16
    assert at == sorted(at) and values == sorted(values, reverse=True)
    assert at[-1] <= run["budget"]


def test_task_seeds_depend_on_the_names_only():
    a = quality.task_seed("continuous", "rhc", "sphere", 2, 6)
    assert a == quality.task_seed("continuous", "rhc", "sphere", 2, 6)
    assert a != quality.task_seed("continuous", "rhc", "sphere", 2, 7)
    assert quality.parse_range("1-3,6") == [1, 2, 3, 6]


def test_discrete_targets_use_the_best_seen_when_the_optimum_is_unknown():
    runs = [{"problem": "labs", "dim": 64, "instance": 6, "system": s, "f_opt": None,
             "random": 100.0, "budget": 1000, "trajectory": trajectory}
            for s, trajectory in (("rls", [[1, 100.0], [10, 50.0]]),
                                  ("ea", [[1, 90.0], [500, 40.0]]))]
    (_, rls_hits), (_, ea_hits) = report.discrete_hits(runs)
    assert ea_hits[-1] == 500 and rls_hits[-1] is None
    assert rls_hits[0] == 1 and sum(h is not None for h in rls_hits) < len(rls_hits)


def test_the_suite_file_runs_the_same_instances_as_quality_py():
    import write_quality_suite
    from stochsearch.suite import parse_suite
    from stochsearch.suite.tasks import build_problem

    import tomllib
    assert (BENCH / "quality.toml").read_text() == write_quality_suite.suite_text(), \
        "bench/quality.toml is stale: run python bench/write_quality_suite.py"
    suite = parse_suite(tomllib.loads(write_quality_suite.suite_text()), name="quality")
    rng = np.random.default_rng(0)
    checked = set()
    for task in suite.tasks():
        label, dim = task.problem.split("[")[0].rsplit("-", 1)
        instance = task.problem_params["seed"]
        if (label, instance % 2) in checked:
            continue
        checked.add((label, instance % 2))
        ours = build_problem(task.problem_ref, task.problem_params)
        theirs = continuous.build(label, int(dim), instance)
        X = ours.space.sample(rng, 3)
        np.testing.assert_array_equal(ours.evaluate(X), theirs.evaluate(X))
        assert task.budget == 1000 * int(dim)
    assert len(checked) >= 2 * len(continuous.PROBLEMS) - 2
