"""Benchmark suites: TOML files of optimizers, problems and initializers, run on an executor
into a SQLite store, summarized with statistics and a report.

>>> from stochsearch.suite import parse_suite, run_suite, InProcessExecutor
>>> suite = parse_suite({"suite": {"name": "tiny", "budget": 200, "seeds": 2},
...                      "optimizers": {"sa": {}, "rhc": {}},
...                      "problems": {"sphere": {"params": {"dim": 3}}}})
>>> summary = run_suite(suite, executor=InProcessExecutor())
>>> summary.ran, summary.failed
(4, 0)
"""
from .executors import DaskExecutor, Executor, InProcessExecutor, ProcessExecutor, make_executor
from .runner import RunSummary, SuiteInterrupted, run_suite
from .spec import Suite, SuiteError, load_suite, parse_suite
from .store import Store, StoreConflict, export, load_results

__all__ = ["DaskExecutor", "Executor", "InProcessExecutor", "ProcessExecutor", "RunSummary",
           "Store", "StoreConflict", "Suite", "SuiteError", "SuiteInterrupted", "export",
           "load_results", "load_suite", "make_executor", "parse_suite", "run_suite"]
