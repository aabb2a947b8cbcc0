"""``workers=``: batches evaluated on a process pool, an executor or a Dask client give the
same results as the serial run, bit for bit, and bad ``workers`` fail with one clear sentence."""
from __future__ import annotations

import functools
import os
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest

import stochsearch as ss
from stochsearch._workers import resolve_workers
from tests.conftest import _displacement, _rastrigin, _weighted_ones, make_problem

METHODS = ["sa", "rhc", "random", "ga", "cmaes"]
FUNS = {"real": _rastrigin, "binary": _weighted_ones, "permutation": _displacement}


def picklable_problem(kind: str, dim: int = 5) -> ss.Problem:
    """``make_problem``'s Python form with a module-level (picklable) objective."""
    base = make_problem(kind, dim=dim, python=True)
    return ss.Problem(base.space, fun=functools.partial(FUNS[kind], data=base.data),
                      name=f"{kind}-picklable")


def same(a: ss.OptimizeResult, b: ss.OptimizeResult) -> None:
    assert a.fun == b.fun and a.x.tobytes() == b.x.tobytes()
    assert (a.nfev, a.nit, a.status) == (b.nfev, b.nit, b.status)
    assert a.history.fun.tobytes() == b.history.fun.tobytes()
    assert a.history.nfev.tobytes() == b.history.nfev.tobytes()


def _kinds(method):
    return [k for k in ("real", "binary", "permutation")
            if k in ss.OPTIMIZERS.get(method).spaces]


@pytest.mark.parametrize("method", METHODS)
def test_thread_pool_equals_serial(method):
    with ThreadPoolExecutor(3) as pool:
        for kind in _kinds(method):
            problem = make_problem(kind, python=True)
            serial = ss.OPTIMIZERS.get(method)().run(problem, 600, rng=7)
            threaded = ss.OPTIMIZERS.get(method)().run(problem, 600, rng=7, workers=pool)
            same(serial, threaded)


def test_process_pool_equals_serial_for_every_method():
    problem = picklable_problem("real")
    with ProcessPoolExecutor(2) as pool:
        for method in METHODS:
            optimizer = ss.OPTIMIZERS.get(method)()
            serial = optimizer.run(problem, 400, rng=3)
            same(serial, optimizer.run(problem, 400, rng=3, workers=pool))
            same(serial, optimizer.run(problem, 400, rng=3, workers=pool, batch=5))


def test_int_workers_start_and_stop_a_process_pool():
    problem = picklable_problem("binary")
    serial = ss.minimize(problem, method="sa", budget=300, rng=1)
    before = threading.active_count()
    parallel = ss.minimize(problem, method="sa", budget=300, rng=1, workers=2)
    same(serial, parallel)
    assert "discarded_evaluations" in parallel.info
    assert threading.active_count() == before         # the pool's threads are gone


def test_dask_local_cluster_equals_serial():
    distributed = pytest.importorskip("distributed")
    problem = make_problem("permutation", python=True)     # a lambda: Dask uses cloudpickle
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        for method in ("sa", "ga"):
            optimizer = ss.OPTIMIZERS.get(method)()
            serial = optimizer.run(problem, 300, rng=5)
            same(serial, optimizer.run(problem, 300, rng=5, workers=client))
            same(serial, optimizer.run(problem, 300, rng=5, workers="dask"))


def test_numba_objective_with_workers_equals_the_fused_run():
    problem = make_problem("real")
    with ThreadPoolExecutor(2) as pool:
        for method in ("sa", "ga"):
            optimizer = ss.OPTIMIZERS.get(method)()
            same(optimizer.run(problem, 500, rng=2), optimizer.run(problem, 500, rng=2,
                                                                     workers=pool))
    # A catalogue problem with an incremental delta on the fused path, pickled to a process.
    from stochsearch.problems import TSP
    tsp = TSP(12, seed=0)
    annealing = ss.SimulatedAnnealing()
    same(annealing.run(tsp, 500, rng=1), annealing.run(tsp, 500, rng=1, workers=2))


def test_vectorized_objective_is_split_into_chunks():
    sizes = []

    def sphere(X):
        sizes.append(len(X))
        return np.sum(X * X, axis=1)

    bounds = [(-1.0, 1.0)] * 3
    serial = ss.minimize(sphere, bounds, method="ga", budget=200, rng=0, vectorized=True,
                         options={"pop_size": 20})
    sizes.clear()
    with ThreadPoolExecutor(2) as pool:
        parallel = ss.minimize(sphere, bounds, method="ga", budget=200, rng=0,
                               vectorized=True, options={"pop_size": 20}, workers=pool)
    same(serial, parallel)
    assert set(sizes) == {10}


def test_an_error_in_a_worker_reaches_the_caller_with_the_partial_result():
    def failing(x):
        if failing.calls == 50:
            raise RuntimeError("simulator crashed")
        failing.calls += 1
        return float(np.sum(x * x))

    failing.calls = 0
    with ThreadPoolExecutor(1) as pool, pytest.raises(RuntimeError, match="crashed") as info:
        ss.minimize(failing, [(-1.0, 1.0)] * 2, method="sa", budget=200, rng=0,
                    workers=pool, batch=2)
    # 50 calls in rounds of 2: each round gives the chain one or two of its evaluations
    assert 25 <= info.value.partial_result.nfev <= 50


@pytest.mark.parametrize("workers, error, match", [
    (0, ValueError, "workers must be a positive int, got 0"),
    (-3, ValueError, "workers must be a positive int, got -3"),
    (True, TypeError, "workers must be None, a positive int"),
    (2.5, TypeError, "workers must be None, a positive int"),
    ("threads", ValueError, "must be 'dask'"),
])
def test_bad_workers_are_refused(workers, error, match):
    with pytest.raises(error, match=match):
        resolve_workers(workers)


def test_an_unpicklable_objective_is_named():
    with pytest.raises(TypeError, match="must be picklable, but .*<lambda> is not"):
        ss.minimize(lambda x: float(x[0]), [(-1.0, 1.0)], method="sa", budget=20, rng=0,
                    workers=2)


def test_serial_workers_are_the_plain_run():
    assert resolve_workers(None) is None and resolve_workers(1) is None
    problem = make_problem("real", python=True)
    a = ss.SimulatedAnnealing().run(problem, 200, rng=0, workers=1)
    assert "discarded_evaluations" not in a.info
    same(a, ss.SimulatedAnnealing().run(problem, 200, rng=0))


class InChild:
    """Picklable objective that fails (raises, or kills its process) in a worker process."""

    def __init__(self, how: str):
        self.parent, self.how = os.getpid(), how

    def __call__(self, x) -> float:
        if os.getpid() != self.parent:
            if self.how == "exit":
                os._exit(3)
            raise KeyError("only in a worker")
        return float(np.sum(x * x))


def test_int_workers_evaluate_here_and_in_worker_processes():
    problem = ss.Problem(ss.Real(-1.0, 1.0, dim=2), fun=InChild("raise"))
    with pytest.raises(KeyError, match="only in a worker") as info:
        ss.GeneticAlgorithm(pop_size=10).run(problem, 100, rng=0, workers=2)
    assert info.value.partial_result.nfev == 0


def test_a_dead_worker_process_is_reported():
    problem = ss.Problem(ss.Real(-1.0, 1.0, dim=2), fun=InChild("exit"))
    with pytest.raises(RuntimeError, match="died while evaluating the objective"):
        ss.SimulatedAnnealing().run(problem, 100, rng=0, workers=2)


def test_dask_workers_without_dask_or_a_client_say_what_is_missing(monkeypatch):
    pytest.importorskip("distributed")
    with pytest.raises(ValueError, match="needs a running Dask client"):
        resolve_workers("dask")
    monkeypatch.setitem(__import__("sys").modules, "distributed", None)
    with pytest.raises(ImportError, match=r"pip install 'stochsearch\[dask\]'"):
        resolve_workers("dask")
