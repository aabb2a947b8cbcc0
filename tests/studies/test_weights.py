"""The weights study runs in its quick form: SGD gets more test accuracy per pass than the
gradient-free searches, all-zero weights stall SGD but not the searches, and its measure
watches a run without changing it."""
import numpy as np
import pytest

import stochsearch as ss
from stochsearch.studies.weights import SEARCHES, passes_to, train_curve
from stochsearch.suite import Store

from .conftest import assert_resumes_without_running, run_quick

_OPTIMIZERS = {"sgd", "rhc", "sa", "ga", "random"}


@pytest.fixture(scope="module")
def section(tmp_path_factory):
    return run_quick("weights", tmp_path_factory)


@pytest.fixture(scope="module")
def records(section):
    with Store(section[1] / "results.db") as store:
        return store.records("study-weights-quick")


def test_quick_run_writes_its_section_figures_and_findings(section):
    result, out = section
    assert (out / "weights.md").read_text().startswith("## Weights")
    assert result.figures == ["figures/weights-1-curves.png",
                              "figures/weights-2-initializers.png"]
    assert all((out / figure).is_file() for figure in result.figures)
    assert len(result.findings) == 5 and all(f.text for f in result.findings)


def test_the_initializer_table_covers_every_optimizer_and_initializer(section, records):
    numbers = section[0].numbers
    inits = numbers["initializers"]
    assert inits == ["zeros", "small_uniform", "glorot_uniform"]
    assert set(numbers["table"]) == _OPTIMIZERS
    for by_init in numbers["table"].values():
        assert list(by_init) == inits
        assert all(cell["seeds"] == numbers["seeds"] == 5 for cell in by_init.values())
    assert len(records) == len(_OPTIMIZERS) * len(inits) * 5
    assert all(r["status"] == "ok" for r in records)


def test_sgd_gets_more_test_accuracy_per_pass(section):
    numbers = section[0].numbers
    ref = {entry: by_init["glorot_uniform"] for entry, by_init in numbers["table"].items()}
    chance = numbers["chance"]
    assert chance == pytest.approx(0.5, abs=0.05)
    # Deterministic seeds; the margins are wide: SGD ends at 0.97-0.98 on every seed, random
    # search near 0.9 (the accuracy of a near-linear boundary), the searches at 0.85-0.9
    # after 50 passes, and they need 5-50 times SGD's passes to reach 95%.
    assert ref["sgd"]["final"] > max(chance + 0.3, ref["random"]["final"] + 0.03)
    assert ref["sgd"]["early"] > max(ref[e]["early"] for e in ref if e != "sgd")
    assert ref["sgd"]["at_epochs"] >= max(ref[e]["at_epochs"] for e in ref if e != "sgd")
    assert ref["sgd"]["reached"] == 1.0 and np.isfinite(ref["sgd"]["passes"])
    assert all(ref["sgd"]["passes"] < ref[e]["passes"] for e in ref if e != "sgd")
    assert ref["sgd"]["budget"] == numbers["epochs"]
    assert all(ref[e]["budget"] == numbers["evaluations"] for e in ref if e != "sgd")
    assert section[0].findings[0].holds and section[0].findings[1].holds


def test_zero_weights_stall_sgd_but_not_the_searches(section):
    numbers = section[0].numbers
    zeros = {entry: by_init["zeros"] for entry, by_init in numbers["table"].items()}
    # Every hidden unit outputs 0 and only the output bias has a gradient: every seed ends
    # at the same point, predicting one class.
    assert zeros["sgd"]["values"] == [numbers["chance"]] * 5
    assert zeros["random"]["values"] == [numbers["chance"]] * 5
    assert all(zeros[e]["final"] > 0.9 for e in SEARCHES)
    assert section[0].findings[3].holds


def test_curves_follow_the_best_weights_so_far(section, records):
    for r in records:
        curve, extra = r["extra"]["curve"], r["extra"]
        passes, loss = np.array(curve["passes"]), np.array(curve["train_loss"])
        assert np.all(np.diff(passes) > 0) and np.all(np.diff(loss) <= 0)
        assert curve["test_accuracy"][-1] == extra["test_accuracy"]
        assert loss[-1] == pytest.approx(extra["train_loss"]) and passes[-1] == extra["passes"]
    for band in section[0].numbers["curves"].values():
        median = np.array(band["train_loss"]["median"])
        shown = median[np.isfinite(median)]
        assert shown.size > 10 and np.all(np.diff(shown) <= 1e-12)


def test_resuming_a_study_runs_nothing_again(section, monkeypatch):
    assert_resumes_without_running("weights", *section, monkeypatch)


@pytest.mark.parametrize("optimizer, budget", [(ss.SGD(learning_rate=0.3), 3_000),
                                               (ss.GeneticAlgorithm(pop_size=20), 400),
                                               (ss.SimulatedAnnealing(), 400)])
def test_the_measure_watches_a_run_without_changing_it(optimizer, budget):
    problem = ss.PROBLEMS.get("moons-mlp")()

    class Task:
        seed, history = 5, 20

    Task.budget = budget
    result, extra = train_curve(problem, optimizer, "glorot_uniform", Task)
    plain = optimizer.run(problem, budget, rng=5, init="glorot_uniform", history=20)
    assert np.array_equal(result.x, plain.x) and result.fun == plain.fun
    assert extra["test_accuracy"] == plain.info["test_accuracy"]
    assert len(extra["curve"]["passes"]) > 5


def test_passes_to_reads_the_first_checkpoint_at_the_target():
    curve = {"passes": [1.0, 10.0, 100.0], "test_accuracy": [0.5, 0.96, 0.94]}
    assert passes_to(curve, 0.95) == 10.0
    assert passes_to(curve, 0.99) == float("inf")


def test_the_study_reads_the_epoch_cost_bench_measured_and_never_times(tmp_path, monkeypatch):
    import importlib.util
    import json
    import pathlib
    import time

    from stochsearch.studies import _weights_cost

    for clock in ("perf_counter", "process_time", "monotonic", "time"):
        monkeypatch.setattr(time, clock, lambda: pytest.fail("the study read a clock"))
    cost = _weights_cost.epoch_cost(tmp_path / "weights-cost.json")
    assert json.loads((tmp_path / "weights-cost.json").read_text()) == cost
    assert cost["with_loss"] == pytest.approx(cost["gradient"] + 1.0) and cost["gradient"] > 0
    assert cost["samples"] == 376 and cost["minibatches"] == 12           # ceil(376 / 32)
    # The packaged figures are those of bench/perf_epoch.py's last run.
    root = pathlib.Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("perf_epoch", root / "bench" / "perf_epoch.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    measured = json.loads((root / "bench" / "results" / "perf_epoch.json").read_text())
    assert bench.packaged(measured) == cost
    with pytest.raises(ValueError, match="measure it with python bench/perf_epoch.py"):
        _weights_cost.epoch_cost(tmp_path / "other.json", batch=64)


def test_the_budget_text_quotes_the_measured_cost(section):
    result, out = section
    cost = result.numbers["epoch_cost"]
    assert (out / "weights-cost.json").exists()
    assert f"an SGD epoch costs {cost['with_loss']:.2f} forward passes" in (
        out / "weights.md").read_text()
    assert f"{cost['with_loss']:.1f} forward passes an SGD epoch was measured" in \
        result.findings[1].text
