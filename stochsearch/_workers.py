"""Where the points of a batch are evaluated: ``workers=`` of ``run`` and ``minimize``.

``workers`` is None or 1 (serial, in this process), an int (a process pool of that many
workers, made for the run and shut down after it), a ``concurrent.futures.Executor``, a
``dask.distributed.Client`` or ``"dask"`` (the current client). A batch is split into one
contiguous chunk per worker and the values come back in the order of the rows, so a run gives
the same result whatever evaluates it. Dask is an optional extra (``pip install
'stochsearch[dask]'``), imported only for ``"dask"``: a client is recognised by its type.
"""
from __future__ import annotations

import pickle
from concurrent.futures import Executor, ProcessPoolExecutor

import numpy as np

from ._validation import describe
from .problem import scalar_value

__all__ = ["Workers", "resolve_workers"]


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
    """Evaluates batches on an executor (``submit``/``result``) or a Dask client
    (``submit``/``gather``), ``n`` of them at a time; ``close`` shuts down a pool it owns."""

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
        chunks = np.array_split(X, min(self.n, len(X)))
        if self.dask:
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
            self.backend.shutdown(wait=True)


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
        return Workers(ProcessPoolExecutor(max_workers=int(workers)), int(workers),
                       owned=True, dask=False, processes=True)
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


def _is_dask_client(obj) -> bool:
    cls = type(obj)
    return cls.__module__.split(".")[0] == "distributed" and cls.__name__ == "Client"
