"""The integer problems of the catalogue: values at their known optima, exact knapsack optima
(against brute force), registration, pickling, and every gradient-free optimizer reaching the
optimum of an easy one, bit-identically for a seed."""
from __future__ import annotations

import itertools
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stochsearch as ss
from stochsearch.problems import (BoundedKnapsack, IntegerEllipsoid, IntegerRastrigin,
                                  IntegerSphere)
from stochsearch.problems.integers import bounded_knapsack_optimum

PROBLEMS = [IntegerSphere(4), IntegerSphere(6, shift=True, seed=2),
            IntegerEllipsoid(5, shift=True, seed=1), IntegerRastrigin(3),
            IntegerRastrigin(4, shift=True, seed=5), BoundedKnapsack(8, copies=3, seed=1)]


@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.name)
def test_value_at_the_optimum_and_nowhere_lower(problem):
    space = problem.space
    assert space.kind == "integer" and space.contains(problem.x_opt[None])[0]
    assert problem(problem.x_opt) == problem.f_opt
    X = space.sample(np.random.default_rng(0), 2000)
    assert np.all(problem.evaluate(X) >= problem.f_opt)
    clone = pickle.loads(pickle.dumps(problem))
    assert clone.name == problem.name and clone(problem.x_opt) == problem.f_opt


def test_shifted_optima_are_integer_points_away_from_the_centre():
    for seed in range(10):
        problem = IntegerSphere(8, shift=True, seed=seed)
        assert np.all(problem.x_opt != problem.space.center)
        assert np.all(np.abs(problem.x_opt) <= 16)
    assert IntegerSphere(3).x_opt.tolist() == [0, 0, 0]
    with pytest.raises(ValueError, match="high must be at least low \\+ 2"):
        IntegerSphere(3, low=0, high=1)


def test_integer_rastrigin_has_local_minima_out_of_reach_of_unit_steps():
    problem = IntegerRastrigin(1)
    x = np.array([10])                      # z = 1: a local minimum of Rastrigin
    assert problem(x) < min(problem(x - 1), problem(x + 1))
    assert problem(x) > problem.f_opt


@given(st.integers(1, 4), st.integers(1, 3), st.integers(0, 1000))
@settings(max_examples=30, deadline=None)
def test_knapsack_optimum_is_the_best_of_all_choices(n, copies, seed):
    rng = np.random.default_rng(seed)
    weights = rng.integers(1, 20, n).astype(float)
    values = rng.integers(1, 20, n).astype(float)
    capacity = int(rng.integers(0, int(weights.sum() * copies) + 1))
    best, x = bounded_knapsack_optimum(weights, values, copies, capacity)
    brute = max(float(np.dot(c, values)) for c in itertools.product(range(copies + 1),
                                                                     repeat=n)
                if np.dot(c, weights) <= capacity)
    assert best == brute
    assert np.dot(x, weights) <= capacity and np.dot(x, values) == best


def test_knapsack_penalty_makes_every_overweight_choice_worse_than_every_feasible_one():
    problem = BoundedKnapsack(6, copies=4, seed=3)
    X = problem.space.sample(np.random.default_rng(0), 3000)
    f = problem.evaluate(X)
    overweight = X @ problem.weights > problem.capacity
    assert overweight.any() and (~overweight).any()
    assert f[overweight].min() > 0.0 >= f[~overweight].max()
    np.testing.assert_array_equal(f[~overweight], -(X[~overweight] @ problem.values))


def test_integer_problems_are_registered():
    names = ss.PROBLEMS.names()
    for key in ("integer-sphere", "integer-ellipsoid", "integer-rastrigin", "bounded-knapsack"):
        assert key in names
    assert ss.PROBLEMS.get("integer-sphere")(dim=3).space == ss.Integer(-20, 20, dim=3)


@pytest.mark.parametrize("method", ["random", "rhc", "sa", "ga"])
def test_every_optimizer_finds_the_optimum_of_an_easy_integer_problem(method):
    problem = IntegerSphere(4, low=-5, high=5, shift=True, seed=1)
    budget = 20_000 if method == "random" else 5_000
    optimizer = ss.OPTIMIZERS.get(method)()
    result = optimizer.run(problem, budget, rng=0, termination=ss.TargetValue(0.0))
    assert result.fun == 0.0 and result.status == ss.Status.TARGET
    np.testing.assert_array_equal(result.x, problem.x_opt)
    assert result.x.dtype == np.int64
    again = optimizer.run(problem, budget, rng=0, termination=ss.TargetValue(0.0))
    assert (again.fun, again.nfev) == (result.fun, result.nfev)
    np.testing.assert_array_equal(again.history.fun, result.history.fun)


def test_the_genetic_algorithm_solves_a_small_knapsack():
    problem = BoundedKnapsack(8, copies=3, seed=4)
    results = [ss.GeneticAlgorithm().run(problem, 20_000, rng=seed) for seed in range(5)]
    assert all(r.fun >= problem.f_opt for r in results)
    assert sum(r.fun == problem.f_opt for r in results) >= 4
    best = min(results, key=lambda r: r.fun).x
    assert best @ problem.weights <= problem.capacity


def test_minimize_and_ask_tell_on_an_integer_space():
    space = ss.Integer(-10, 10, dim=3)
    target = np.array([3, -4, 7])

    def distance(x):
        return float(np.abs(x - target).sum())

    result = ss.minimize(distance, space=space, method="sa", budget=3000, rng=0)
    assert result.fun == 0.0 and result.x.tolist() == target.tolist()
    optimizer = ss.GeneticAlgorithm()
    state = optimizer.init(space, budget=3000, rng=0)
    while not state.done:
        X = optimizer.ask(state)
        assert X.dtype == np.int64 and space.contains(X).all()
        optimizer.tell(state, X, [distance(x) for x in X])
    assert optimizer.result(state).fun == 0.0
