"""Operators written as plain Python functions: the same runs as the compiled operators they
reimplement, reproducible from a seed, with clear errors for wrong returns."""
from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest

import stochsearch as ss
from stochsearch.operators.python import PythonOperatorWarning
from tests.conftest import make_problem

pytestmark = pytest.mark.filterwarnings("ignore::stochsearch.operators.python."
                                        "PythonOperatorWarning")


def swap_step(x, rng):
    """The built-in "swap" neighbourhood, draw for draw."""
    n = x.size
    i = int(rng.random() * n)
    j = int(rng.random() * (n - 1))
    if j >= i:
        j += 1
    y = x.copy()
    y[i], y[j] = y[j], y[i]
    return y


def one_point(a, b, rng):
    """The built-in "one_point" crossover, draw for draw."""
    cut = 1 + int(rng.random() * (a.size - 1))
    return np.r_[a[:cut], b[cut:]], np.r_[b[:cut], a[cut:]]


def same(r1, r2) -> bool:
    return r1.fun == r2.fun and r1.nfev == r2.nfev and np.array_equal(r1.x, r2.x) and \
        np.array_equal(r1.history.fun, r2.history.fun)


@pytest.mark.parametrize("optimizer", [ss.SimulatedAnnealing, ss.RandomRestartHillClimbing])
@pytest.mark.parametrize("python_objective", [False, True])
def test_a_python_neighbourhood_runs_as_the_compiled_one(optimizer, python_objective):
    problem = make_problem("permutation", dim=12, python=python_objective)
    compiled = optimizer(move="swap").run(problem, 3000, rng=3)
    python = optimizer(move=swap_step).run(problem, 3000, rng=3)
    assert same(compiled, python)
    assert not same(python, optimizer(move=swap_step).run(problem, 3000, rng=4))


def test_a_python_crossover_runs_as_the_compiled_one():
    problem = make_problem("binary", dim=20)
    compiled = ss.GeneticAlgorithm(crossover="one_point").run(problem, 2000, rng=5)
    python = ss.GeneticAlgorithm(crossover=one_point).run(problem, 2000, rng=5)
    assert same(compiled, python)


def test_a_python_mutation_gets_the_rate_and_the_run_generator():
    seen = []

    def mutate(x, rate, rng):
        seen.append((rate, type(rng)))
        y = x.copy()
        i = rng.integers(x.size)
        y[i] = 1 - y[i]
        return y

    problem = make_problem("binary", dim=16)
    ga = ss.GeneticAlgorithm(mutation=mutate, mutation_rate=0.25)
    first = ga.run(problem, 1500, rng=0)
    assert same(first, ga.run(problem, 1500, rng=0))
    assert {s for s in seen} == {(0.25, np.random.Generator)}
    assert first.fun == pytest.approx(problem(first.x))


def test_real_space_operators_and_ask_tell():
    problem = make_problem("real", dim=5)
    lower, upper = problem.space.lower, problem.space.upper

    def step(x, rng):
        return np.clip(x + 0.2 * rng.normal(size=x.size), lower, upper)

    sa = ss.SimulatedAnnealing(move=step)
    fused = sa.run(problem, 2000, rng=1)
    state = sa.init(problem.space, 2000, rng=1)     # the same run, evaluated outside
    while not state.done:
        X = sa.ask(state)
        sa.tell(state, X, problem.evaluate(X))
    assert same(fused, sa.result(state))
    assert np.all((fused.x >= lower) & (fused.x <= upper))


def test_integer_space_operators_are_checked_against_its_box():
    space = ss.Integer(-3, 3, dim=4)
    problem = ss.as_problem(lambda x: float(np.sum((x - 1) ** 2)), space=space)

    def plus_minus(x, rng):
        y = x.copy()
        i = rng.integers(x.size)
        y[i] = min(max(y[i] + rng.choice([-1, 1]), -3), 3)
        return y

    result = ss.SimulatedAnnealing(move=plus_minus).run(problem, 1000, rng=2)
    assert result.x.dtype == np.int64 and result.fun == 0.0

    def too_far(x, rng):
        return x + 10

    with pytest.raises(ValueError, match="outside the space's bounds"):
        ss.RandomRestartHillClimbing(move=too_far).run(problem, 100, rng=0)

    def halves(x, rng):
        return x + 0.5

    with pytest.raises(ValueError, match="integers on an integer space"):
        ss.RandomRestartHillClimbing(move=halves).run(problem, 100, rng=0)


def test_a_delta_is_not_used_with_a_python_move():
    base = make_problem("permutation", dim=8)

    @ss.jit
    def wrong_delta(x_old, x_new, move, data, f_old):
        return -1e9                   # a delta that would mislead the search

    problem = ss.Problem(base.space, objective=base.objective, data=base.data,
                         delta=wrong_delta)
    result = ss.RandomRestartHillClimbing(move=swap_step).run(problem, 500, rng=0)
    assert result.fun == problem(result.x) > -1e9


def bad_shape(x, rng):
    return x[:-1]


def out_of_bounds(x, rng):
    return x + 100.0


def not_binary(x, rng):
    return np.full(x.size, 2)


def not_a_permutation(x, rng):
    return np.zeros(x.size, dtype=np.int64)


def one_child(a, b, rng):
    return a.copy()


def raises(x, rng):
    raise KeyError("from the user's function")


@pytest.mark.parametrize("kind,options,error,message", [
    ("real", dict(move=bad_shape), ValueError,
     "neighbourhood bad_shape must return a numeric array of shape (5,), got an array of "
     "shape (4,)"),
    ("real", dict(move=out_of_bounds), ValueError,
     "returned a point outside the space's bounds: x[0]"),
    ("binary", dict(move=not_binary), ValueError, "must return 0/1 values on a Binary space"),
    ("permutation", dict(move=not_a_permutation), ValueError,
     "must return a permutation of 0..4"),
    ("real", dict(move=raises), KeyError, "from the user's function"),
])
def test_clear_errors(kind, options, error, message):
    problem = make_problem(kind, dim=5)
    with pytest.raises(error) as info:
        ss.SimulatedAnnealing(**options).run(problem, 50, rng=0)
    assert message in str(info.value)
    assert info.value.partial_result.nfev >= 1      # what was computed is kept


def test_crossover_errors_and_wrong_types():
    problem = make_problem("binary", dim=6)
    with pytest.raises(ValueError, match=r"crossover one_child must return two children"):
        ss.GeneticAlgorithm(crossover=one_child).run(problem, 200, rng=0)
    with pytest.raises(TypeError, match="selection must be one of .* or a Selection, got"):
        ss.GeneticAlgorithm(selection=swap_step).run(problem, 200, rng=0)
    with pytest.raises(TypeError, match="move must be a neighbourhood name, a Neighborhood or "
                                        "a Python function"):
        ss.SimulatedAnnealing(move=3).run(problem, 200, rng=0)
    compiled = ss.jit(lambda x, params, rng: None)
    with pytest.raises(TypeError, match=r"a numba function as the mutation goes in a subclass "
                                        r"of Mutation \(mutate = staticmethod"):
        ss.GeneticAlgorithm(mutation=compiled).run(problem, 200, rng=0)


def test_one_warning_per_function_that_it_is_slower():
    def step(x, rng):
        return swap_step(x, rng)

    problem = make_problem("permutation", dim=6)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ss.SimulatedAnnealing(move=step).run(problem, 20, rng=0)
        ss.SimulatedAnnealing(move=step).run(problem, 20, rng=1)
    slow = [w for w in caught if issubclass(w.category, PythonOperatorWarning)]
    assert len(slow) == 1 and "step is a Python function" in str(slow[0].message)
    assert slow[0].filename == __file__


def test_a_run_with_a_python_operator_pickles():
    problem = make_problem("permutation", dim=10)
    sa = ss.SimulatedAnnealing(move=swap_step)
    state = sa.init(problem, 400, rng=2)
    for _ in range(100):
        sa.tell(state, X := sa.ask(state), problem.evaluate(X))
    copy = pickle.loads(pickle.dumps(state))
    for run in (state, copy):
        optimizer = run.optimizer
        while not run.done:
            optimizer.tell(run, X := optimizer.ask(run), problem.evaluate(X))
    assert same(sa.result(state), copy.optimizer.result(copy))
