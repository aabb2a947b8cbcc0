"""The runner: every task once, results written as they arrive, resume where a run stopped,
failing objectives recorded with their traceback, user problems run like built-in ones."""
import pathlib

import pytest

from stochsearch.suite import (InProcessExecutor, Store, StoreConflict, SuiteError,
                               SuiteInterrupted, load_suite, run_suite)
from stochsearch.suite.tasks import RESULT_FIELDS, run_task

ROOT = pathlib.Path(__file__).resolve().parents[2]


def results(store, suite=None):
    return {r["key"]: {k: r[k] for k in RESULT_FIELDS} for r in store.raw_rows(suite)}


@pytest.fixture(scope="module")
def tiny_reference(tmp_path_factory):
    """The tiny suite run once, uninterrupted, in this process."""
    from .conftest import TINY

    path = tmp_path_factory.mktemp("reference") / "suite.toml"
    path.write_text(TINY)
    summary = run_suite(path, executor=InProcessExecutor())
    return results(summary.store)


def test_every_task_runs_once_and_is_stored(tiny, tiny_reference):
    store = Store(":memory:")
    summary = run_suite(tiny, executor=InProcessExecutor(), store=store)
    assert (summary.total, summary.ran, summary.skipped, summary.failed) == (24, 24, 0, 0)
    rows = store.records("tiny")
    assert len(rows) == 24 and {r["status"] for r in rows} == {"ok"}
    row = next(r for r in rows if r["key"] == "sa-greedy|rastrigin-2|center|1")
    assert row["params"] == {"t0": 0} and row["problem_params"] == {"dim": 2, "shift": True}
    assert row["f_opt"] == 0.0 and row["dim"] == 2 and row["kind"] == "real"
    assert row["nfev"] == 400 and row["history"]["nfev"][-1] == 400
    assert row["fun"] == min(row["history"]["fun"])
    assert len(row["history"]["x"]) == len(row["history"]["nfev"])  # 2-D: trajectory kept
    assert set(row["versions"]) >= {"stochsearch", "numpy", "numba", "scipy", "python"}
    assert results(store) == tiny_reference
    suite = store.suite("tiny")
    assert suite["targets"] == [1.0, 1e-3] and suite["problem_info"]["sphere-3"]["dim"] == 3


def test_a_task_gives_the_same_result_alone_as_in_its_suite(tiny, tiny_reference):
    store = Store(":memory:")
    for task in load_suite(tiny).tasks()[::7]:
        store.put(run_task(task))
        assert results(store)[task.key] == tiny_reference[task.key]


def test_a_rerun_completes_only_the_missing_tasks(tiny, tiny_reference):
    store = Store(":memory:")
    suite = load_suite(tiny)
    tasks = suite.tasks()
    store.begin(suite.to_dict(), tasks)
    for task in tasks[:10]:
        store.put(run_task(task))
    before = {r["key"]: r["finished"] for r in store.raw_rows()}
    summary = run_suite(tiny, executor=InProcessExecutor(), store=store)
    assert (summary.skipped, summary.ran) == (10, 14)
    after = {r["key"]: r["finished"] for r in store.raw_rows()}
    assert all(after[k] == v for k, v in before.items())  # not run again
    assert results(store) == tiny_reference
    again = run_suite(tiny, executor=InProcessExecutor(), store=store)
    assert (again.skipped, again.ran) == (24, 0)


def test_ctrl_c_stops_and_keeps_every_finished_result(tiny, tiny_reference):
    class StopAfterFive:
        def start(self, total, done):
            self.seen = 0

        def update(self, record):
            self.seen += 1
            if self.seen == 5:
                raise KeyboardInterrupt

        def close(self):
            pass

    store = Store(":memory:")
    with pytest.raises(SuiteInterrupted) as info:
        run_suite(tiny, executor=InProcessExecutor(), store=store, progress=StopAfterFive())
    assert info.value.summary.ran == 5 and info.value.summary.interrupted
    assert len(store.raw_rows()) == 5
    summary = run_suite(tiny, executor=InProcessExecutor(), store=store)
    assert (summary.skipped, summary.ran) == (5, 19)
    assert results(store) == tiny_reference


def test_a_failing_objective_is_recorded_and_the_suite_goes_on(write_suite):
    path = write_suite("""
        [suite]
        budget = 300
        seeds = 2
        [optimizers.sa]
        [problems.fine]
        problem = "userprobs:Fragile"
        [problems.crashing]
        problem = "userprobs:Fragile"
        params = { after = 50 }
        """)
    store = Store(":memory:")
    summary = run_suite(path, executor=InProcessExecutor(), store=store)
    assert (summary.ran, summary.failed) == (4, 2)
    rows = {r["key"]: r for r in store.records()}
    crashed = rows["sa|crashing|uniform|0"]
    assert crashed["status"] == "failed"
    assert "ValueError: the simulator crashed" in crashed["error"]
    assert "Traceback" in crashed["error"] and "userprobs.py" in crashed["error"]
    assert crashed["nfev"] == 50 and crashed["fun"] is not None  # the partial result
    assert rows["sa|fine|uniform|0"]["status"] == "ok"
    # Failed tasks count as done, unless asked to run them again.
    assert run_suite(path, executor=InProcessExecutor(), store=store).ran == 0
    retry = run_suite(path, executor=InProcessExecutor(), store=store, retry_failed=True)
    assert (retry.ran, retry.failed) == (2, 2)


def test_a_changed_suite_is_refused_until_asked_to_start_afresh(tiny, write_suite):
    store = Store(":memory:")
    run_suite(tiny, executor=InProcessExecutor(), store=store)
    changed = write_suite(tiny.read_text().replace("budget = 400", "budget = 500"),
                          name="changed.toml")
    with pytest.raises(StoreConflict, match=r"24 task\(s\) changed since they ran .*--fresh"):
        run_suite(changed, executor=InProcessExecutor(), store=store)
    fewer = write_suite(tiny.read_text().replace("seeds = 2", "seeds = 1"), name="fewer.toml")
    with pytest.raises(StoreConflict, match=r"12 stored task\(s\) are no longer in the suite"):
        run_suite(fewer, executor=InProcessExecutor(), store=store)
    summary = run_suite(changed, executor=InProcessExecutor(), store=store, fresh=True)
    assert summary.ran == 24 and {r["budget"] for r in store.records()} == {500}
    more = write_suite(changed.read_text().replace("seeds = 2", "seeds = 3"), name="more.toml")
    assert run_suite(more, executor=InProcessExecutor(), store=store).ran == 12


def test_the_example_suite_runs_custom_python_and_numba_problems():
    store = Store(":memory:")
    summary = run_suite(ROOT / "bench" / "examples" / "custom.toml",
                        executor=InProcessExecutor(), store=store)
    assert summary.failed == 0 and summary.ran == 3 * 2 * 2 * 3
    rows = store.records()
    assert {r["problem"] for r in rows} == {"craters", "wavy-5"}
    wavy = [r for r in rows if r["problem"] == "wavy-5"]
    assert all(r["f_opt"] == 0.0 for r in wavy)
    assert min(r["fun"] for r in wavy) < 1.0
    assert all(r["f_opt"] is None for r in rows if r["problem"] == "craters")


MEASURE_MODULE = '''
import numpy as np


def final_and_start(problem, optimizer, init, task):
    """A study's experiment: the run, and the value at the start point it drew."""
    result = optimizer.run(problem, task.budget, rng=task.seed, init=init)
    start = init(np.random.default_rng(task.seed), problem.space, 1)[0]
    return result, {"start_value": float(problem(start)), "seed": task.seed}
'''


def test_a_measure_replaces_the_plain_run_and_its_results_are_stored(tmp_path):
    (tmp_path / "study_measure.py").write_text(MEASURE_MODULE)
    suite = tmp_path / "suite.toml"
    suite.write_text('[suite]\nname = "measured"\nbudget = 300\nseeds = 2\n'
                     'measure = "study_measure:final_and_start"\n'
                     '[optimizers.sa]\n[problems.sphere]\nparams = { dim = 3 }\n')
    store = Store(tmp_path / "results.db")
    run_suite(suite, executor=InProcessExecutor(), store=store)
    rows = store.records("measured")
    assert len(rows) == 2
    for row in rows:
        assert row["nfev"] == 300 and row["extra"]["seed"] == row["seed"]
        assert row["extra"]["start_value"] >= row["fun"]
    # Another process reads the same store back.
    assert [r["extra"] for r in Store(tmp_path / "results.db").records()] == \
        [r["extra"] for r in rows]


@pytest.mark.parametrize("measure,message", [
    ("no_colon", "must be 'module:attribute'"),
    ("study_measure:final_and_strat", "did you mean 'final_and_start'"),
    ("missing_module:f", "cannot find module 'missing_module'"),
])
def test_a_bad_measure_is_refused_before_anything_runs(tmp_path, measure, message):
    from stochsearch.suite import SuiteError
    (tmp_path / "study_measure.py").write_text(MEASURE_MODULE)
    suite = tmp_path / "suite.toml"
    suite.write_text(f'[suite]\nbudget = 10\nmeasure = "{measure}"\n[optimizers.sa]\n'
                     '[problems.sphere]\n')
    with pytest.raises(SuiteError, match=message):
        load_suite(suite)


def test_a_run_below_the_stated_optimum_is_an_error_of_the_problem_and_the_report_says_so(
        write_suite, tmp_path):
    from stochsearch.suite.report import write_report

    # OneMax's optimum is -6 (minimized); a suite stating 6 (the maximum, wrong sign) makes
    # every run go below it: a gap of -12 must not count as a success.
    path = write_suite("""
        [suite]
        budget = 300
        seeds = 2
        [optimizers.rhc]
        [problems.onemax]
        params = { n = 6 }
        f_opt = 6
        [problems.sphere]
        params = { dim = 2 }
        """)
    summary = run_suite(path, executor=InProcessExecutor(), store=str(tmp_path / "r.db"))
    records = {r["key"]: r for r in summary.store.records()}
    wrong = [r for r in records.values() if r["problem"] == "onemax"]
    assert wrong and all(r["status"] == "failed" for r in wrong)
    assert all(r["fun"] == -6.0 for r in wrong)  # the result is kept
    assert "ProblemDefinitionError: problem 'onemax' states the optimum f_opt = 6, but this run found f = -6.0" in \
        wrong[0]["error"] and "f_opt is wrong" in wrong[0]["error"]
    assert all(r["status"] == "ok" for r in records.values() if r["problem"] == "sphere")
    text = write_report(summary.store, tmp_path / "report")["markdown"].read_text()
    assert "## Errors in problem definitions" in text and "| onemax | 6 | -12 |" in text


SHADOW = """
import pathlib
pathlib.Path(__file__).with_name("shadow-imported-" + __name__).write_text("imported")
"""


def test_files_beside_a_suite_never_shadow_the_libraries(write_suite, tmp_path):
    import importlib.util
    import sys

    from stochsearch.suite import ProcessExecutor

    # A threadpoolctl.py (which every worker imports) and a colorsys.py (standard library)
    # beside the suite: the suite's own module loads from its file, and nothing else does.
    for name in ("threadpoolctl", "colorsys"):
        (tmp_path / f"{name}.py").write_text(SHADOW)
    path = write_suite("""
        [suite]
        budget = 100
        seeds = 2
        [optimizers.sa]
        [problems.fragile]
        problem = "userprobs:Fragile"
        """)
    with ProcessExecutor(1) as executor:
        summary = run_suite(path, executor=executor)
    assert summary.ran == 2 and summary.failed == 0
    assert sys.path[0] != str(tmp_path)
    assert importlib.util.find_spec("colorsys").origin != str(tmp_path / "colorsys.py")
    assert not list(tmp_path.glob("shadow-imported-*"))


def test_a_suite_that_does_not_validate_imports_none_of_its_modules(write_suite, tmp_path):
    (tmp_path / "loud.py").write_text(SHADOW + "\nclass Problem:\n    pass\n")
    with pytest.raises(SuiteError, match="optimizers.sa.parms: unknown key"):
        load_suite(write_suite("""
            [suite]
            budget = 100
            [optimizers.sa]
            parms = { t0 = 1 }
            [problems.loud]
            problem = "loud:Problem"
            """))
    assert not list(tmp_path.glob("shadow-imported-*"))


HANG = """
import os
import pathlib
import time

import numpy as np

import stochsearch as ss


class Hang(ss.Problem):
    \"\"\"A sphere whose objective never returns after ``after`` calls (writes its pid to
    ``pidfile`` first, when given).\"\"\"

    def __init__(self, after=0, pidfile=""):
        self.after, self.calls, self.pidfile = after, 0, pidfile
        super().__init__(ss.Real(-1.0, 1.0, dim=2), fun=self.value, f_opt=0.0, name="hang")

    def value(self, x):
        self.calls += 1
        if self.calls > self.after:
            if self.pidfile:
                pathlib.Path(self.pidfile).write_text(str(os.getpid()))
            while True:
                time.sleep(0.05)
        return float(np.sum(x * x))


class Slowish(ss.Problem):
    \"\"\"A sphere that takes a millisecond per evaluation.\"\"\"

    def __init__(self):
        super().__init__(ss.Real(-1.0, 1.0, dim=2), fun=self.value, f_opt=0.0, name="slowish")

    def value(self, x):
        time.sleep(0.001)
        return float(np.sum(x * x))
"""


def test_a_task_over_its_time_limit_fails_with_its_reason(write_suite, tmp_path):
    (tmp_path / "hang.py").write_text(HANG)
    path = write_suite("""
        [suite]
        budget = 1000
        seeds = 1
        timeout = 0.5
        [optimizers.sa]
        [optimizers.rhc]
        timeout = 0.25
        [problems.hang]
        problem = "hang:Hang"
        params = { after = 10 }
        [problems.sphere]
        params = { dim = 2 }
        """)
    suite = load_suite(path)
    assert {t.optimizer: t.timeout for t in suite.tasks()} == {"sa": 0.5, "rhc": 0.25}
    summary = run_suite(suite, executor=InProcessExecutor())
    records = {(r["optimizer"], r["problem"]): r for r in summary.store.records()}
    for optimizer, seconds in (("sa", "0.5"), ("rhc", "0.25")):
        hung = records[optimizer, "hang"]
        assert hung["status"] == "failed"
        assert hung["error"].startswith(f"TaskTimeout: the task ran out of its time limit of "
                                        f"{seconds} s (timeout = {seconds} in the suite)")
        assert records[optimizer, "sphere"]["status"] == "ok"
    assert summary.failed == 2


def test_outside_the_main_thread_the_time_limit_stops_the_run_between_evaluations(
        write_suite, tmp_path):
    import threading

    (tmp_path / "hang.py").write_text(HANG)
    path = write_suite("""
        [suite]
        budget = 1_000_000
        seeds = 1
        timeout = 0.3
        [optimizers.sa]
        [problems.slowish]
        problem = "hang:Slowish"
        """)
    (task,) = load_suite(path).tasks()
    records = []
    worker = threading.Thread(target=lambda: records.append(run_task(task)))  # as on Dask
    worker.start()
    worker.join()
    (record,) = records
    assert record["status"] == "failed" and record["error"].startswith("TaskTimeout:")
    assert record["fun"] is not None and 0 < record["nfev"] < 1_000_000  # the partial result


def test_timeout_must_be_a_positive_number_of_seconds(write_suite):
    errors = errors_of_suite(write_suite, """
        [suite]
        budget = 10
        timeout = 0
        [optimizers.sa]
        timeout = "1h"
        [problems.sphere]
        """)
    assert any("suite.timeout: must be a positive number of seconds, got 0" in e
               for e in errors), errors
    assert any("optimizers.sa.timeout: must be a positive number of seconds, got '1h'" in e
               for e in errors), errors


def errors_of_suite(write_suite, text):
    with pytest.raises(SuiteError) as info:
        load_suite(write_suite(text))
    return info.value.errors


def test_a_suite_is_checked_once_however_it_is_run(tiny, monkeypatch):
    import stochsearch.suite.spec as spec
    from stochsearch.suite import load_suite, run_suite

    suite = load_suite(tiny)
    suite.check()                      # as the command line does before it runs
    checks = []
    real = spec.Checker

    def counting(*args, **kwargs):
        checks.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(spec, "Checker", counting)
    summary = run_suite(suite, executor=InProcessExecutor())
    assert summary.ran == summary.total and checks == []
