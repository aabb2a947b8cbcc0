"""Speculative batches (``run(batch=k)``, ``ask(state, n)``): a chain asked k points ahead, as
if the previous were rejected, and told back in order ends bit-identical to the serial run."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stochsearch as ss
from tests.conftest import make_problem

CHAINS = [("sa", {}), ("sa", {"t0": 0.0}), ("sa", {"schedule": "adaptive", "reheat": 30}),
          ("rhc", {}), ("rhc", {"restarts": 0, "patience": 25}), ("random", {"batch_size": 1})]


def same(a: ss.OptimizeResult, b: ss.OptimizeResult) -> None:
    """Bit-identical results (the speculative one adds only ``discarded_evaluations``)."""
    assert a.fun == b.fun or (np.isnan(a.fun) and np.isnan(b.fun))
    assert a.x.tobytes() == b.x.tobytes()
    assert (a.nfev, a.nit, a.status, a.nnan) == (b.nfev, b.nit, b.status, b.nnan)
    assert a.history.nfev.tobytes() == b.history.nfev.tobytes()
    assert a.history.fun.tobytes() == b.history.fun.tobytes()
    info = {k: v for k, v in b.info.items() if k != "discarded_evaluations"}
    assert info == a.info


@settings(max_examples=30)
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(1, 6),
       chain=st.sampled_from(CHAINS), kind=st.sampled_from(["real", "binary", "permutation"]))
def test_speculative_chain_equals_the_serial_chain(seed, k, chain, kind):
    name, params = chain
    optimizer = ss.OPTIMIZERS.get(name)(**params)
    problem = make_problem(kind, dim=5, python=True)
    serial = optimizer.run(problem, 400, rng=seed)
    batched = optimizer.run(problem, 400, rng=seed, batch=k)
    same(serial, batched)
    if k == 1:                  # a batch of one is the serial run itself
        assert "discarded_evaluations" not in batched.info
    else:
        assert batched.info["discarded_evaluations"] >= 0


@settings(max_examples=20)
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(2, 5), chain=st.sampled_from(CHAINS[:4]))
def test_every_evaluation_is_counted_once(seed, k, chain):
    """The objective is called nfev + discarded times: nothing is evaluated twice, and the
    discarded evaluations stay out of nfev and the budget."""
    name, params = chain
    base = make_problem("real", dim=4, python=True)
    calls = []

    def counted(x):
        calls.append(x.copy())
        return base.fun(x)

    optimizer = ss.OPTIMIZERS.get(name)(**params)
    result = optimizer.run(ss.Problem(base.space, fun=counted), 300, rng=seed, batch=k)
    assert result.nfev == 300
    assert len(calls) == result.nfev + result.info["discarded_evaluations"]
    # Each round of k points tells at least its first batch (one step of the chain).
    assert result.info["discarded_evaluations"] <= (k - 1) * result.nit


def test_ask_n_tell_loop_equals_serial_ask_tell():
    problem = make_problem("binary", dim=12, python=True)
    optimizer = ss.SimulatedAnnealing()
    serial = optimizer.run(problem, 500, rng=4)
    state = optimizer.init(problem.space, 500, rng=4)
    evaluated = 0
    while not state.done:
        X = optimizer.ask(state, 4)
        assert 1 <= len(X) <= 4
        evaluated += len(X)
        optimizer.tell(state, X, problem.evaluate(X))
    result = optimizer.result(state)
    same(serial, result)
    assert evaluated == result.nfev + result.info["discarded_evaluations"]


def test_speculation_leaves_the_state_and_generator_untouched():
    problem = make_problem("real", dim=3, python=True)
    optimizer = ss.SimulatedAnnealing()
    state = optimizer.init(problem.space, 200, rng=0)
    for _ in range(20):                             # past the start, into calibration
        X = optimizer.ask(state)
        optimizer.tell(state, X, problem.evaluate(X))
    before = (state.words.copy(), state.ints.copy(), state.floats.copy(), state.points.copy(),
              state.rng.bit_generator.state)
    X = optimizer.ask(state, 5)
    assert len(X) == 5
    after = (state.words, state.ints, state.floats, state.points, state.rng.bit_generator.state)
    for a, b in zip(before[:4], after[:4]):
        assert a.tobytes() == b.tobytes()
    assert before[4] == after[4]
    # Every speculated point is a neighbour of the same current point.
    assert len({row.tobytes() for row in X}) == 5


def test_ask_n_never_splits_a_population():
    problem = make_problem("real", dim=4, python=True)
    optimizer = ss.GeneticAlgorithm(pop_size=10)
    state = optimizer.init(problem, 1000, rng=0)
    assert len(optimizer.ask(state, 3)) == 10       # the whole batch, even beyond n
    X = optimizer.ask(state, 25)
    assert len(X) == 20                             # whole batches only
    optimizer.tell(state, X, problem.evaluate(X))
    # The second generation was speculated from +inf values: it is not the one asked now.
    assert state.nfev == 10
    assert optimizer.result(state).info["discarded_evaluations"] == 10


def test_speculation_never_asks_beyond_the_budget():
    problem = make_problem("real", dim=3, python=True)
    optimizer = ss.RandomRestartHillClimbing()
    state = optimizer.init(problem.space, 6, rng=0)
    assert len(optimizer.ask(state, 100)) == 6
    result = optimizer.run(problem, 6, rng=0, batch=100)
    assert result.nfev == 6


def test_tell_checks_the_speculative_points():
    problem = make_problem("real", dim=3, python=True)
    optimizer = ss.SimulatedAnnealing()
    state = optimizer.init(problem.space, 100, rng=0)
    X = optimizer.ask(state, 3)
    with pytest.raises(ValueError, match="differ from the last ask"):
        optimizer.tell(state, X[:2], problem.evaluate(X[:2]))
    with pytest.raises(ValueError, match="one objective value per asked point"):
        optimizer.tell(state, X, [1.0])
    optimizer.tell(state, X, problem.evaluate(X))
    assert state.nfev >= 1


def test_bad_n_and_gradient_methods_are_refused():
    problem = make_problem("real", dim=3, python=True)
    annealing = ss.SimulatedAnnealing()
    state = annealing.init(problem.space, 100, rng=0)
    with pytest.raises(ValueError, match="n must be"):
        annealing.ask(state, 0)
    sgd = ss.SGD()
    state = sgd.init(make_problem("real", dim=3), 100, rng=0)
    with pytest.raises(ValueError, match="ask\\(\\) cannot speculate"):
        sgd.ask(state, 4)
    with pytest.raises(ValueError, match="workers and batch are for derivative-free"):
        sgd.run(make_problem("real", dim=3), 100, rng=0, batch=2)
    with pytest.raises(ValueError, match="batch must be"):
        ss.SimulatedAnnealing().run(problem, 100, rng=0, batch=0)


def test_callback_stops_a_speculative_run_where_the_serial_run_stops():
    def stop_after_100(intermediate):
        return intermediate.nfev >= 100

    problem = make_problem("permutation", dim=8, python=True)
    optimizer = ss.SimulatedAnnealing()
    serial = optimizer.run(problem, 5000, rng=9, callback=stop_after_100)
    batched = optimizer.run(problem, 5000, rng=9, callback=stop_after_100, batch=4)
    assert serial.status == ss.Status.CALLBACK
    same(serial, batched)


def test_target_stops_a_speculative_run_where_the_serial_run_stops():
    problem = make_problem("binary", dim=10, python=True)
    optimizer = ss.RandomRestartHillClimbing()
    rule = ss.TargetValue(2.0)
    serial = optimizer.run(problem, 5000, rng=2, termination=rule)
    batched = optimizer.run(problem, 5000, rng=2, termination=rule, batch=3)
    assert serial.status == ss.Status.TARGET
    same(serial, batched)


def test_batch_passes_speculative_proposals_to_one_vectorized_call():
    sizes = []

    def sphere(X):
        sizes.append(len(X))
        return np.sum(X * X, axis=1)

    bounds = [(-1.0, 1.0)] * 3
    serial = ss.minimize(sphere, bounds, method="sa", budget=300, rng=0, vectorized=True)
    assert len(sizes) == 300
    sizes.clear()
    batched = ss.minimize(sphere, bounds, method="sa", budget=300, rng=0, vectorized=True,
                          batch=8)
    same(serial, batched)
    assert max(sizes) == 8 and len(sizes) < 150
    assert sum(sizes) == batched.nfev + batched.info["discarded_evaluations"]


def test_a_speculative_run_pickled_between_ask_and_tell_resumes_identically():
    import pickle

    problem = make_problem("permutation", dim=7, python=True)
    optimizer = ss.SimulatedAnnealing()
    serial = optimizer.run(problem, 300, rng=8)
    state = optimizer.init(problem.space, 300, rng=8)
    while not state.done:
        X = optimizer.ask(state, 3)
        optimizer, state = pickle.loads(pickle.dumps((optimizer, state)))
        optimizer.tell(state, X, problem.evaluate(X))
    same(serial, optimizer.result(state))
