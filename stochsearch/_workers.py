"""Where the points of a batch are evaluated: ``workers=`` of ``run`` and ``minimize``.

``workers`` is None or 1 (serial, in this process), an int (a process pool of that many
workers, made for the run and shut down after it), a ``concurrent.futures.Executor``, a
``dask.distributed.Client`` or ``"dask"`` (the current client). A batch is split into one
contiguous chunk per worker and the values come back in the order of the rows, so a run gives
the same result whatever evaluates it. Dask is an optional extra (``pip install
'stochsearch[dask]'``), imported only for ``"dask"``: a client is recognised by its type.
"""
from __future__ import annotations

import multiprocessing
import pickle
import traceback
from concurrent.futures import Executor, ProcessPoolExecutor

import numpy as np

from ._validation import describe
from .problem import scalar_value

__all__ = ["PipePool", "Workers", "in_process", "resolve_workers"]


def evaluate_chunk(fun, vectorized: bool, X: np.ndarray) -> np.ndarray:
    """The values of the rows of ``X``, as the serial loop computes them (run in a worker)."""
    if vectorized:
        f = np.asarray(fun(X), dtype=float)
        if f.shape != (X.shape[0],):
            raise ValueError("the vectorized objective must return one value per row, "
                             f"shape ({X.shape[0]},), got {describe(f)}")
        return f
    out = np.empty(X.shape[0])
    for i in range(X.shape[0]):
        value = fun(X[i].copy())
        out[i] = value if type(value) is float else scalar_value(value)
    return out


def _evaluate_problem(problem, X: np.ndarray) -> np.ndarray:
    return problem.evaluate(X)


class Workers:
    """Evaluates batches on an executor (``submit``/``result``), a ``PipePool``, a Dask client
    (``submit``/``gather``), ``n`` chunks at a time, or in this process (``backend`` None);
    ``close`` shuts down a pool it owns."""

    def __init__(self, backend, n: int, *, owned: bool, dask: bool, processes: bool):
        self.backend = backend
        self.n = max(1, int(n))
        self.owned = owned
        self.dask = dask
        self.processes = processes

    def task(self, problem):
        """A picklable function of a batch and its arguments: the problem's Python objective
        (by itself, so a module-level function travels by reference) or else the problem."""
        if problem.fun is not None:
            args = (problem.fun, problem.vectorized)
            call = evaluate_chunk
        else:
            args = (problem,)
            call = _evaluate_problem
        if self.processes:
            try:
                pickle.dumps(args[0])
            except Exception as error:  # noqa: BLE001 - pickle raises many types
                name = getattr(args[0], "__qualname__", None) or describe(args[0])
                raise TypeError(
                    f"workers={self.describe()} evaluates the objective in other processes, so "
                    f"it must be picklable, but {name} is not ({type(error).__name__}: "
                    f"{error}); define it at module level (not a lambda or a local function), "
                    f"or pass a concurrent.futures.ThreadPoolExecutor as workers") from None
        return call, args

    def evaluate(self, task, X: np.ndarray) -> np.ndarray:
        """The values of the rows of ``X``, in order, computed ``n`` chunks at a time."""
        call, args = task
        if self.backend is None:
            return call(*args, X)
        chunks = np.array_split(X, min(self.n, len(X)))
        if isinstance(self.backend, PipePool):
            parts = self.backend.map(task, chunks)
        elif self.dask:
            futures = [self.backend.submit(call, *args, chunk, pure=False)
                       for chunk in chunks]
            parts = self.backend.gather(futures)
        else:
            futures = [self.backend.submit(call, *args, chunk) for chunk in chunks]
            parts = [future.result() for future in futures]
        return np.concatenate(parts) if len(parts) > 1 else np.asarray(parts[0], dtype=float)

    def describe(self) -> str:
        return str(self.n) if self.owned else type(self.backend).__name__

    def close(self) -> None:
        if self.owned:
            self.backend.shutdown()


def in_process() -> Workers:
    """Batches evaluated here, in one call (``batch=`` without ``workers``)."""
    return Workers(None, 1, owned=False, dask=False, processes=False)


def resolve_workers(workers) -> Workers | None:
    """``workers`` as a ``Workers``, or None for a serial run (None or 1)."""
    if workers is None or (type(workers) is int and workers == 1):
        return None
    if isinstance(workers, str):
        if workers != "dask":
            raise ValueError(f"workers given as a string must be 'dask' (the current Dask "
                             f"client), got {workers!r}")
        try:
            from distributed import get_client
        except ImportError:
            raise ImportError("workers='dask' needs dask.distributed: pip install "
                              "'stochsearch[dask]'") from None
        try:
            workers = get_client()
        except ValueError as error:
            raise ValueError(f"workers='dask' needs a running Dask client (create one with "
                             f"distributed.Client()): {error}") from None
    if isinstance(workers, bool) or not (isinstance(workers, (int, np.integer, Executor))
                                         or _is_dask_client(workers)):
        raise TypeError("workers must be None, a positive int (a process pool), a "
                        "concurrent.futures.Executor or a dask.distributed.Client, got "
                        f"{describe(workers)}")
    if isinstance(workers, (int, np.integer)):
        if workers < 1:
            raise ValueError(f"workers must be a positive int, got {workers}")
        if workers == 1:
            return None
        return Workers(PipePool(int(workers)), int(workers), owned=True, dask=False,
                       processes=True)
    if isinstance(workers, Executor):
        n = getattr(workers, "_max_workers", None) or 1
        return Workers(workers, n, owned=False, dask=False,
                       processes=isinstance(workers, ProcessPoolExecutor))
    try:
        n = sum(workers.nthreads().values())
    except Exception as error:  # noqa: BLE001 - a client without a live cluster
        raise ValueError(f"workers is a Dask client that cannot list its workers "
                         f"({type(error).__name__}: {error})") from None
    # Dask serializes with cloudpickle (lambdas travel): no pickle check of its own here.
    return Workers(workers, n, owned=False, dask=True, processes=False)


class PipePool:
    """``n`` workers: this process and ``n - 1`` worker processes, each fed through its own
    pipe. The first chunk of a batch is evaluated here while the others are away, so a batch
    costs one round trip per other chunk and no thread in between (a ``ProcessPoolExecutor``
    passes each task through a queue, a feeder thread and a management thread: a batch of two
    10 ms evaluations took 12.7 ms on it and 11.2 ms here, medians of 10 x 40 batches on the
    2-core machine at load 10-12, one evaluation 10.8 ms). The objective is sent once per
    run, then only the chunks."""

    def __init__(self, n: int):
        context = multiprocessing.get_context()
        self.connections, self.processes, self.sent = [], [], [None] * (n - 1)
        for _ in range(n - 1):
            mine, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(theirs,), daemon=True,
                                      name="stochsearch-worker")
            process.start()
            theirs.close()
            self.connections.append(mine)
            self.processes.append(process)

    def map(self, task, chunks) -> list:
        """``call(*args, chunk)`` for each chunk, one per worker, in order (``task`` is
        ``(call, args)``, sent again only when it is another object)."""
        for k, chunk in enumerate(chunks[1:]):
            connection = self.connections[k]
            if self.sent[k] is not task:
                connection.send(("task", *task))
                self.sent[k] = task
            connection.send(("chunk", chunk))
        parts, error = [], None
        try:
            call, args = task
            parts.append(call(*args, chunks[0]))
        except Exception as local:  # noqa: BLE001 - raised once the workers have answered
            error = local
        for k in range(len(chunks) - 1):        # every answer, to keep the pipes in step
            try:
                ok, value = self.connections[k].recv()
            except EOFError:
                self.sent[k] = None
                ok, value = False, RuntimeError(
                    f"worker process {self.processes[k].pid} died while evaluating the "
                    f"objective (exit code {self.processes[k].exitcode})")
            if ok:
                parts.append(value)
            elif error is None:
                error = value
        if error is not None:
            raise error
        return parts

    def shutdown(self) -> None:
        for connection in self.connections:
            try:
                connection.send(None)
            except OSError:
                pass
        for process in self.processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()
        for connection in self.connections:
            connection.close()


def _serve(connection) -> None:
    """A worker: evaluate the chunks it is sent with the last task it was sent."""
    call = args = None
    while True:
        try:
            message = connection.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if message is None:
            return
        if message[0] == "task":
            _, call, args = message
            continue
        try:
            connection.send((True, call(*args, message[1])))
        except BaseException as error:  # noqa: BLE001 - every error goes back to the caller
            try:
                connection.send((False, error))
            except Exception:  # noqa: BLE001 - an exception that cannot be pickled
                connection.send((False, RuntimeError(traceback.format_exc())))


def _is_dask_client(obj) -> bool:
    cls = type(obj)
    return cls.__module__.split(".")[0] == "distributed" and cls.__name__ == "Client"
