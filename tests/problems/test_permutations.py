"""Tests of the permutation problems (problems/permutations.py): the shipped TSPLIB instances
and their optima, random instances, incremental evaluation of every move equal to a full
evaluation, N-Queens, and errors."""
from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stochsearch as ss
from stochsearch import PROBLEMS
from stochsearch.operators import Insert, Swap, TwoOpt
from stochsearch.problems import permutations
from stochsearch.problems.permutations import CLASSIC_TSP, TSP, NQueens
from tests import kernel_calls
from tests.reference import discrete as ref


def test_the_optimal_berlin52_tour_has_length_7542():
    berlin = TSP(instance="berlin52")
    assert berlin.f_opt == 7542 and berlin(berlin.x_opt) == 7542
    assert ref.tour_length(berlin.x_opt, berlin.distances) == 7542


@pytest.mark.parametrize("name", CLASSIC_TSP)
def test_classic_instances_are_shipped_with_their_optima(name):
    problem = TSP(instance=name)
    assert problem.dim == {"eil51": 51, "berlin52": 52, "st70": 70, "kroA100": 100}[name]
    assert problem.f_opt == CLASSIC_TSP[name] and problem.name == f"tsp-{name}"
    X = problem.space.sample(np.random.default_rng(0), 50)
    values = problem.evaluate(X)
    assert values.min() > problem.f_opt
    np.testing.assert_array_equal(values, [ref.tour_length(x, problem.distances) for x in X])


def test_random_instances_are_seeded_and_integer():
    a, b, c = TSP(30, seed=1), TSP(30, seed=1), TSP(30, seed=2)
    np.testing.assert_array_equal(a.data, b.data)
    assert not np.array_equal(a.data, c.data)
    assert np.array_equal(a.distances, np.round(a.distances)) and a.f_opt is None
    assert TSP().dim == 50


@pytest.mark.parametrize("problem", [TSP(instance="eil51"), TSP(12, seed=3),
                                     TSP(distances=[[0, 2, 9], [2, 0, 4], [9, 4, 0]])],
                         ids=lambda p: p.name)
@given(seed=st.integers(0, 2**32 - 1), move=st.sampled_from([Swap(), Insert(), TwoOpt()]))
@settings(max_examples=60, deadline=None)
def test_incremental_evaluation_equals_full_evaluation(problem, seed, move):
    rng = np.random.default_rng(seed)
    x = problem.space.sample(rng, 1)[0]
    for _ in range(30):
        y, record = kernel_calls.propose(move, problem.space, x, rng)
        assert problem.delta(x, y, record, problem.data, problem(x)) == problem(y)
        x = y


@pytest.mark.parametrize("move", ["swap", "insert", "2opt"])
def test_runs_with_incremental_evaluation_equal_runs_without(move):
    problem = TSP(instance="st70")
    plain = ss.Problem(problem.space, objective=problem.objective, data=problem.data)
    sa = ss.SimulatedAnnealing(move=move)
    a, b = sa.run(problem, 20_000, rng=3), sa.run(plain, 20_000, rng=3)
    assert a.fun == b.fun and a.nfev == b.nfev
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.history.fun, b.history.fun)


def test_annealing_with_two_opt_comes_within_three_percent_on_berlin52():
    berlin = TSP(instance="berlin52")
    result = ss.SimulatedAnnealing(move="2opt").run(berlin, 500_000, rng=0)
    assert result.fun <= 1.03 * berlin.f_opt


def test_n_queens():
    problem = NQueens(8)
    X = problem.space.sample(np.random.default_rng(0), 300)
    np.testing.assert_array_equal(problem.evaluate(X), [ref.n_queens(x) for x in X])
    solution = np.array([0, 4, 7, 5, 2, 6, 1, 3])
    assert problem.f_opt == problem(solution) == 0
    assert ss.SimulatedAnnealing().run(problem, 20_000, rng=0).fun == 0
    assert NQueens(3).f_opt is None


def test_instances_pickle_and_are_registered():
    for problem in (TSP(instance="berlin52"), TSP(20, seed=4),
                    TSP(coords=np.random.default_rng(0).uniform(0, 10, (6, 2))), NQueens(6)):
        clone = pickle.loads(pickle.dumps(problem))
        assert clone.name == problem.name and np.array_equal(clone.data, problem.data)
        assert clone.f_opt == problem.f_opt
    assert PROBLEMS.get("tsp") is TSP and PROBLEMS.get("nqueens") is NQueens
    assert set(permutations.__all__) <= set(ss.problems.__all__)


@pytest.mark.parametrize("kwargs,message", [
    (dict(n=10, instance="berlin52"), "give one of n, instance, coords or distances, got n "
                                      "and instance"),
    (dict(instance="berlin51"), "instance must be one of 'eil51', 'berlin52'"),
    (dict(n=1), "n must be an integer >= 2, got 1"),
    (dict(coords=np.zeros((4, 3))), r"coords must be an \(n, 2\) array"),
    (dict(distances=[[0, 1], [2, 0]]), r"distances must be a symmetric \(n, n\) matrix"),
    (dict(distances=[[0, 1.5], [1.5, 0]]), "distances must be a symmetric .* of integers"),
])
def test_bad_instances_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TSP(**kwargs)
