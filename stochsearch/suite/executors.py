"""Where tasks run: in this process, in local worker processes, or on a Dask cluster.

The three executors share one interface, ``map_unordered(fn, tasks, lost)``, which yields one
record per task as each finishes. A task's result depends only on the task (its seed comes
from the suite seed and its key), never on the executor or the worker that ran it. A worker
process that dies has its tasks run again: first each alone, so that the task that kills its
worker is found and, after ``max_attempts`` deaths, recorded as failed by ``lost(task,
message)`` while the others complete.
"""
from __future__ import annotations

import collections
import itertools
import multiprocessing
import os
import signal
import threading
import time
import traceback
import uuid
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .spec import Suite
    from .tasks import Task

__all__ = ["DaskExecutor", "Executor", "InProcessExecutor", "ProcessExecutor", "cpu_count",
           "make_executor"]


def cpu_count() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


class Executor:
    """Runs tasks; use as a context manager (``close`` stops its workers)."""

    name = "executor"
    workers = 1

    def prepare(self, suite: Suite) -> None:
        """Make the suite's own files reachable by the workers (nothing to do locally)."""

    def map_unordered(self, fn: Callable[[Task], dict], tasks: Iterable[Task],
                      lost: Callable[[Task, str], dict]) -> Iterator[dict]:
        """Yield ``fn(task)`` for every task, in the order they finish."""
        raise NotImplementedError

    def close(self) -> None:
        """Stop the workers (tasks still running are abandoned)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return f"{type(self).__name__}(workers={self.workers})"


class InProcessExecutor(Executor):
    """Run the tasks one after the other in this process."""

    name = "in-process"

    def map_unordered(self, fn: Callable[[Task], dict], tasks: Iterable[Task],
                      lost: Callable[[Task, str], dict]) -> Iterator[dict]:
        for task in tasks:
            yield fn(task)


def _worker_init(blas_threads: int, driver: int | None = None) -> None:
    # Ctrl-C is the driver's business: it stops the pool and keeps what finished.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if driver is not None:
        # A driver killed outright (SIGTERM, SIGKILL) cannot stop its workers: they notice
        # that their parent is gone and exit, instead of finishing their tasks as orphans.
        threading.Thread(target=_exit_with, args=(driver,), daemon=True,
                         name="stochsearch-driver-watch").start()
    # Workers share the cores: each BLAS with as many threads as cores would oversubscribe
    # them (a QR on a busy 2-core machine took 40 times as long). Dask's nannies do the same.
    from threadpoolctl import threadpool_limits
    threadpool_limits(blas_threads)


def _exit_with(driver: int, interval: float = 0.25) -> None:
    while os.getppid() == driver:
        time.sleep(interval)
    os._exit(1)


class ProcessExecutor(Executor):
    """Run the tasks in ``jobs`` local worker processes (started with ``spawn``).

    Workers load compiled kernels from numba's on-disk cache, which the driver warms first
    (``Suite.check``), so no worker compiles.
    """

    name = "processes"

    def __init__(self, jobs: int | None = None, max_attempts: int = 3):
        self.workers = jobs or cpu_count()
        self.max_attempts = max_attempts
        self._pool = None

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers, initializer=_worker_init,
                                   initargs=(max(1, cpu_count() // self.workers),
                                             os.getpid()),
                                   mp_context=multiprocessing.get_context("spawn"))

    def map_unordered(self, fn: Callable[[Task], dict], tasks: Iterable[Task],
                      lost: Callable[[Task, str], dict]) -> Iterator[dict]:
        queue = collections.deque(tasks)
        suspects = collections.deque()  # lost with a dead worker: rerun one at a time
        deaths = collections.Counter()
        inflight = {}
        try:
            while queue or suspects or inflight:
                if self._pool is None:
                    self._pool = self._start()
                source, window = (suspects, 1) if suspects else (queue, 2 * self.workers)
                while source and len(inflight) < window:
                    task = source.popleft()
                    inflight[self._pool.submit(fn, task)] = task
                done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                broken = []
                for future in done:
                    task = inflight.pop(future)
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        broken.append(task)
                    except Exception:  # noqa: BLE001 - e.g. a task that does not pickle
                        yield lost(task, traceback.format_exc())
                if not broken:
                    continue
                # The pool is gone: everything still in flight went with it.
                for future, task in inflight.items():
                    if future.done() and future.exception() is None:
                        yield future.result()
                    else:
                        broken.append(task)
                inflight.clear()
                self._discard_pool()
                if len(broken) == 1 and window == 1:
                    task = broken[0]
                    deaths[task.key] += 1
                    if deaths[task.key] >= self.max_attempts:
                        yield lost(task, f"the worker process died while running this task, "
                                         f"{deaths[task.key]} times")
                        continue
                suspects.extendleft(reversed(broken))
        finally:
            if inflight:  # interrupted (Ctrl-C) or abandoned by the caller
                self._discard_pool()

    def _discard_pool(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskExecutor(Executor):
    """Run the tasks on a Dask cluster: ``scheduler="tcp://host:port"``, or ``"local"`` to
    start a ``LocalCluster`` of ``workers`` single-threaded processes on this machine.

    Dask reruns the tasks of a worker that dies (up to its ``allowed-failures``); a task that
    keeps killing workers is recorded as failed.
    """

    name = "dask"

    def __init__(self, scheduler: str = "local", workers: int | None = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ImportError("the Dask executor needs dask.distributed: "
                              "pip install 'stochsearch[dask]'") from None
        import logging

        import dask

        self._cluster = None
        if scheduler in ("local", "dask-local"):
            # No statistical profiler in the workers: it samples their stacks every 10 ms,
            # for a dashboard nobody looks at here. Everything, the dashboard included (when
            # bokeh is installed), listens on loopback only: ":0" bound it to every interface.
            with dask.config.set({"distributed.worker.profile.enabled": False}):
                self._cluster = LocalCluster(
                    n_workers=workers or cpu_count(), threads_per_worker=1, processes=True,
                    host="127.0.0.1", dashboard_address="127.0.0.1:0",
                    silence_logs=logging.ERROR)
            self.client = Client(self._cluster)
        else:
            self.client = Client(scheduler, timeout=10)
        self.workers = len(self.client.scheduler_info()["workers"])
        self.scheduler = scheduler

    def prepare(self, suite: Suite) -> None:
        """Send the Python files beside the suite that it names to every worker."""
        if self._cluster is not None:
            return  # local workers import them from the suite's folder
        for path in suite.local_modules():
            self.client.upload_file(str(path))

    def map_unordered(self, fn: Callable[[Task], dict], tasks: Iterable[Task],
                      lost: Callable[[Task, str], dict]) -> Iterator[dict]:
        from distributed import as_completed

        tasks = list(tasks)
        # Dask costs a few milliseconds of scheduling per task: tasks go in chunks (of up to
        # 16, a fraction of a second of work), whose records are stored as each completes.
        size = max(1, min(16, len(tasks) // (10 * max(self.workers, 1))))
        names = (f"stochsearch-{uuid.uuid4().hex[:8]}-{i}" for i in itertools.count())
        chunks = {}
        finished = as_completed(with_results=True, raise_errors=False)

        def submit(chunk):
            future = self.client.submit(_run_chunk, fn, chunk, key=next(names), pure=False)
            chunks[future] = chunk
            finished.add(future)

        for start in range(0, len(tasks), size):
            submit(tasks[start:start + size])
        try:
            # Results are fetched in the background as chunks finish, not one request each.
            for future, result in finished:
                chunk = chunks.pop(future)
                if future.status != "error":
                    yield from result
                elif len(chunk) > 1:
                    # A worker died under this chunk (Dask's retries included): run its tasks
                    # one by one, so that only the task that kills its worker fails.
                    for task in chunk:
                        submit([task])
                else:  # KilledWorker, a lost connection...
                    kind, error, trace = result
                    yield lost(chunk[0], "".join(traceback.format_exception(kind, error,
                                                                            trace)))
                future.release()
        finally:
            if chunks:
                self.client.cancel(list(chunks))

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __repr__(self):
        return f"DaskExecutor(scheduler={self.scheduler!r}, workers={self.workers})"


def _run_chunk(fn, tasks) -> list:
    return [fn(task) for task in tasks]


def make_executor(jobs: int | None = None, scheduler: str | None = None) -> Executor:
    """The executor for ``--jobs``/``--scheduler``: Dask when a scheduler is given, this
    process when ``jobs == 0``, else ``jobs`` local processes (default: every core)."""
    if scheduler:
        return DaskExecutor(scheduler, workers=jobs or None)
    if jobs == 0:
        return InProcessExecutor()
    return ProcessExecutor(jobs)
