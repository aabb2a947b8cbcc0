"""The seed study runs in its quick form: the same seed gives bit-identical weights in this
process, in worker processes and on a local Dask cluster (which it stops again), different
seeds give different networks, and its check would see a run that did not reproduce."""
import copy

import numpy as np
import pytest

from stochsearch.spaces import Real
from stochsearch.studies.seed import FixedDraw, _checks, _findings, _groups, _spread

from .conftest import children_left, run_quick

_TASKS = 4 * 4 + 3 * 4          # 4 configurations and 3 sources of randomness, 4 seeds each


@pytest.fixture(scope="module")
def section(tmp_path_factory):
    pytest.importorskip("distributed")
    result, out = run_quick("seed", tmp_path_factory)
    return result, out, children_left("seed")


def test_quick_run_writes_its_section_figure_and_findings(section):
    result, out, _ = section
    text = (out / "seed.md").read_text()
    assert text.startswith("## Seed")
    assert result.figures == ["figures/seed-1-spread.png"]
    assert (out / result.figures[0]).stat().st_size > 10_000
    assert len(result.findings) == 4 and all(f.text in text for f in result.findings)


def test_the_same_seed_gives_identical_weights_on_every_executor(section):
    checks = section[0].numbers["executors"]
    assert list(checks) == ["in-process", "processes", "dask"]
    assert checks["processes"]["workers"] == 2 and checks["dask"]["workers"] >= 1
    for check in checks.values():
        assert check["tasks"] == _TASKS
        assert check["weights"] == check["records"] == _TASKS
    assert section[0].findings[0].holds


def test_the_worker_processes_and_dask_cluster_it_started_are_stopped(section):
    assert section[2] == set()


def test_different_seeds_give_different_weights(section):
    distinct = dict(section[0].numbers["distinct"])
    assert distinct.pop("neither") == 1           # fixed start, dataset order: one network
    assert len(distinct) == 4 + 3 and all(count == 4 for count in distinct.values())
    assert section[0].findings[1].holds
    assert "each of the 6 settings" in section[0].findings[1].text


def test_seed_spread_is_set_next_to_the_configuration_spread(section):
    spread = section[0].numbers["spread"]
    assert len(spread["configs"]) == 4 and spread["pairs"] == 6
    means = [s["mean"] for s in spread["configs"].values()]
    assert spread["config_range"] == [min(means), max(means)]
    assert spread["config_std"] == pytest.approx(np.std(means, ddof=1))
    pooled = np.sqrt(np.mean([s["std"] ** 2 for s in spread["configs"].values()]))
    assert spread["seed_std"] == pytest.approx(pooled)
    assert f"{spread['config_std']:.3f}" in section[0].findings[2].text
    sources = section[0].numbers["sources"]
    assert sources["neither"]["std"] == 0.0 and sources["neither"]["seeds"] == 4


def test_the_check_sees_a_run_that_does_not_reproduce(section, tmp_path):
    from stochsearch.suite import Store

    _, out, _ = section
    with Store(out / "results.db") as store:
        records = [r for r in store.records("study-seed-quick") if r["status"] == "ok"]
    again = {r["key"]: copy.deepcopy(r) for r in records}
    keys = sorted(again)
    again[keys[0]]["extra"]["weights"] = "0" * 64         # other weights
    again[keys[1]]["history"]["fun"][-1] += 1e-12          # same weights, another record
    checks = _checks(records, {"elsewhere": (3, again)})
    assert checks == {"elsewhere": {"workers": 3, "tasks": _TASKS, "weights": _TASKS - 1,
                                    "records": _TASKS - 2}}
    configs, sources = _groups(records)
    distinct = {k: len({r["extra"]["weights"] for r in v})
                for k, v in {**configs, **sources}.items()}
    findings = _findings(checks, configs, sources, _spread(configs), distinct)
    assert findings[0].holds is False and "did not reproduce" in findings[0].text


def test_fixed_draw_ignores_the_run_seed():
    space = Real(-1.0, 1.0, dim=5)
    first = FixedDraw("uniform", seed=7)(np.random.default_rng(0), space, 2)
    again = FixedDraw("uniform", seed=7)(np.random.default_rng(123), space, 2)
    other = FixedDraw("uniform", seed=8)(np.random.default_rng(0), space, 2)
    assert np.array_equal(first, again) and not np.array_equal(first, other)


def test_the_test_set_resolves_far_below_the_spread_across_seeds(section):
    from stochsearch.registry import PROBLEMS
    from stochsearch.studies import get_study

    params = get_study("seed").suite(quick=True)["problems"]["moons"]["params"]
    problem = PROBLEMS.get("moons-mlp")(**params)
    assert problem.n_samples == 376 and problem.X_test.shape[0] == 4000
    resolution = 1 / problem.X_test.shape[0]
    spreads = [s["std"] for s in section[0].numbers["spread"]["configs"].values()]
    assert max(spreads) > 4 * resolution      # a seed's effect spans many test points
    assert "4,000 for testing" in (section[1] / "seed.md").read_text()
