"""The annealing, hill-climbing and random-search kernels against the plain-Python references
of tests/reference/local_search.py: same draws, same arithmetic, identical trajectories."""
from __future__ import annotations

import numpy as np
import pytest

import stochsearch as ss
from stochsearch.operators import Adaptive, CauchyStep, CovarianceStep, Exponential, \
    GaussianStep, Linear, \
    Logarithmic
from tests.conftest import _rastrigin
from tests.reference import local_search as ref

DIM = 5
LOWER, UPPER = np.full(DIM, -5.12), np.full(DIM, 5.12)
DATA = np.random.default_rng(0).uniform(-2, 2, DIM)


def fun(x):
    return _rastrigin(np.asarray(x), DATA)


PROBLEM = ss.Problem(ss.Real(LOWER, UPPER), fun=fun)


def _distribution(move):
    if isinstance(move, CovarianceStep):
        return "cma"
    return "cauchy" if isinstance(move, CauchyStep) else "gaussian"


def _trace(result):
    assert np.array_equal(result.history.nfev, np.arange(1, result.nfev + 1))
    return result.history.fun


@pytest.mark.parametrize("budget", [1, 5, 120, 2000])
@pytest.mark.parametrize("case", [
    dict(),
    dict(track_scale=False, cycle=None),
    dict(move=CauchyStep(coords=1), p0=0.8, cycle=0.2),
    dict(cycle=0.001, reheat=30),
    dict(t0=0.0),
    dict(t0=3.0, schedule=Linear()),
    dict(schedule=Logarithmic(), move=GaussianStep(scale=0.2)),
    dict(schedule=Adaptive(start=0.6, end=1e-3, gain=0.1), move=CauchyStep(coords=2)),
    dict(schedule=Exponential(ratio=1e-3), reheat=40, reheat_factor=0.3),
    dict(adapt_step=False, p0=0.5, calibration=30, target_acceptance=0.4),
], ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()) or "defaults")
def test_annealing_matches_reference(case, budget):
    # The reference is annealing alone: the polish that ends each cycle has its own reference
    # test (tests/_kernels/test_polish.py).
    result = ss.SimulatedAnnealing(polish=None, **case).run(PROBLEM, budget, rng=7,
                                                            history=budget)
    move = case.get("move", CovarianceStep())
    schedule = case.get("schedule", Exponential())
    temperature = {
        Exponential: lambda s: ref.exponential(s.ratio or 1e-10),
        Linear: lambda s: ref.linear,
        Logarithmic: lambda s: ref.logarithmic,
        Adaptive: lambda s: ref.adaptive(s.start, s.end, s.gain),
    }[type(schedule)](schedule)
    best, x, trace = ref.simulated_annealing(
        fun, LOWER, UPPER, budget, np.random.default_rng(7),
        distribution=_distribution(move), scale=move.scale, coords=move.coords,
        temperature=temperature, t0=case.get("t0"), p0=case.get("p0", 0.8),
        calibration=case.get("calibration", 100), adapt=case.get("adapt_step", True),
        target=case.get("target_acceptance", 0.2), reheat=case.get("reheat"),
        reheat_factor=case.get("reheat_factor", 0.5), track=case.get("track_scale", True),
        cycle=case.get("cycle", 0.01))
    assert result.fun == best
    np.testing.assert_array_equal(result.x, x)
    np.testing.assert_array_equal(_trace(result), trace)


@pytest.mark.parametrize("budget", [1, 3, 150, 3000])
@pytest.mark.parametrize("case", [
    dict(),
    dict(move=GaussianStep(), accept_equal=False),
    dict(strategy="steepest", n_neighbors=4),
    dict(restarts=0, patience=15),
    dict(restarts=2, patience=25, move=CauchyStep(scale=0.3, coords=2)),
    dict(adapt_step=False, patience=40),
    dict(min_step=1e-2),
], ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()) or "defaults")
def test_hill_climbing_matches_reference(case, budget):
    result = ss.RandomRestartHillClimbing(**case).run(PROBLEM, budget, rng=3, history=budget)
    move = case.get("move", CovarianceStep())
    best, x, trace, restarts = ref.hill_climbing(
        fun, LOWER, UPPER, budget, np.random.default_rng(3), scale=move.scale,
        coords=move.coords, steepest=case.get("strategy") == "steepest",
        n_neighbors=case.get("n_neighbors", 10), patience=case.get("patience"),
        restarts=case.get("restarts"), adapt=case.get("adapt_step", True),
        min_step=case.get("min_step", 1e-9), distribution=_distribution(move),
        accept_equal=case.get("accept_equal", True))
    assert result.fun == best
    np.testing.assert_array_equal(result.x, x)
    np.testing.assert_array_equal(_trace(result), trace)
    assert result.info["restarts"] == restarts
    if result.nfev < budget:
        assert result.status == ss.Status.CONVERGED


@pytest.mark.parametrize("budget,batch", [(1, 10), (95, 10), (2500, 1000)])
def test_random_search_matches_reference(budget, batch):
    result = ss.RandomSearch(batch_size=batch).run(PROBLEM, budget, rng=1, history=budget)
    best, x, trace = ref.random_search(fun, LOWER, UPPER, budget, np.random.default_rng(1),
                                       batch_size=batch)
    assert result.fun == best
    np.testing.assert_array_equal(result.x, x)
    np.testing.assert_array_equal(_trace(result), trace)
