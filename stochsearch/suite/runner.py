"""``run_suite``: validate a suite, skip what the store already holds, run the rest.

The runner expands the suite into tasks, validates everything before anything runs, compiles
what the suite needs once in this process (the workers then load it from numba's on-disk
cache), and writes each result to the store the moment it arrives. Ctrl-C stops the run and
keeps every finished result; running the suite again completes only the missing tasks.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any

from .executors import Executor, ProcessExecutor
from .spec import Suite, load_suite
from .store import Store
from .progress import task_kind
from .tasks import failed_record, run_task

__all__ = ["RunSummary", "SuiteInterrupted", "run_suite"]


@dataclass
class RunSummary:
    """What a call of ``run_suite`` did.

    Attributes
    ----------
    suite : str
    total : int
        Tasks in the suite.
    skipped : int
        Tasks already in the store, not run again.
    ran : int
        Tasks run by this call (and stored).
    failed : int
        Of those, how many failed (their objective raised, or their worker kept dying).
    interrupted : bool
    seconds : float
        Wall-clock time of the call, validation and compilation included.
    store : Store
    """

    suite: str
    total: int
    skipped: int
    ran: int
    failed: int
    interrupted: bool
    seconds: float
    store: Store


class SuiteInterrupted(KeyboardInterrupt):
    """Ctrl-C during ``run_suite``; ``summary`` tells what was stored before it."""

    def __init__(self, summary: RunSummary):
        super().__init__(f"interrupted after {summary.ran} of "
                         f"{summary.total - summary.skipped} tasks")
        self.summary = summary


def run_suite(spec: Suite | str | os.PathLike, *, executor: Executor | None = None,
              store: Store | str | os.PathLike | None = None, fresh: bool = False,
              retry_failed: bool = False, progress: Any = None) -> RunSummary:
    """Run a benchmark suite.

    Parameters
    ----------
    spec : Suite or path of a TOML suite file
    executor : Executor, optional
        Where tasks run (``InProcessExecutor``, ``ProcessExecutor``, ``DaskExecutor``);
        default: one local process per core.
    store : Store or path, optional
        Where results go (SQLite); default: an in-memory store (``summary.store``).
    fresh : bool
        Forget the suite's stored results and run everything.
    retry_failed : bool
        Run the suite's failed tasks again.
    progress : optional
        An object with ``start(total, done)``, ``update(record)`` and ``close()``; if it
        has ``expect(kinds)``, it gets the kind of every pending task first (for its
        estimate of the time left), and if it has ``steps(title, total)``, it shows the
        compilation of the kernels too (see ``suite.progress``).

    Worker processes are started with ``spawn``: a script that runs a suite on local
    processes must do it under ``if __name__ == "__main__":``.

    Returns
    -------
    RunSummary

    Raises
    ------
    SuiteError
        The suite does not validate (nothing ran).
    StoreConflict
        The store holds results of another version of the suite.
    SuiteInterrupted
        Ctrl-C; every finished result is stored.
    """
    started = time.perf_counter()
    suite = spec if isinstance(spec, Suite) else load_suite(spec)
    tasks = suite.tasks()
    suite.check()
    store = store if isinstance(store, Store) else Store(store or ":memory:")
    done = store.begin(suite.to_dict(), tasks, fresh=fresh)
    if retry_failed:
        done -= store.delete_failed(suite.name)
    pending = [t for t in tasks if t.key not in done]
    summary = RunSummary(suite=suite.name, total=len(tasks), skipped=len(tasks) - len(pending),
                         ran=0, failed=0, interrupted=False, seconds=0.0, store=store)
    own, results = executor is None, None
    try:
        if pending:
            _warm(suite, progress)
            executor = executor or ProcessExecutor()
            executor.prepare(suite)
            if progress is not None:
                if hasattr(progress, "expect"):
                    progress.expect(task_kind(t) for t in pending)
                progress.start(len(tasks), summary.skipped)
            results = executor.map_unordered(run_task, pending, failed_record)
            for record in results:
                store.put(record)
                summary.ran += 1
                summary.failed += record["status"] != "ok"
                if progress is not None:
                    progress.update(record)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        if results is not None:
            results.close()  # stops the workers of an interrupted run
        if progress is not None:
            progress.close()
        if own and executor is not None:
            executor.close()
        summary.seconds = time.perf_counter() - started
    if summary.interrupted:
        raise SuiteInterrupted(summary)
    return summary


def _warm(suite: Suite, progress) -> None:
    """Compile the suite's kernels in this process, showing it when ``progress`` can."""
    if progress is None or not hasattr(progress, "steps"):
        suite.warm()
        return
    steps = progress.steps("compiling the kernels (a first run; later runs load them from "
                           "the cache)", len(suite.combinations()))
    try:
        suite.warm(lambda done, total, label: steps.advance(label))
    finally:
        steps.close()
