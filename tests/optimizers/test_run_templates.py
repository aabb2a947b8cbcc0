"""Runs start from a cached template (``Optimizer._template``): a run of a cached optimizer on a
cached problem must equal the same run of a fresh optimizer, whatever changed in between (the
parameters, an operator changed in place, the problem's neighbourhood, the run's arguments),
and no two runs may share an array."""
from __future__ import annotations

import pickle

import numpy as np
import pytest

import stochsearch as ss
from stochsearch.operators import GaussianStep
from tests.conftest import make_problem


def _same(a: ss.OptimizeResult, b: ss.OptimizeResult) -> None:
    assert np.array_equal(a.x, b.x) and a.fun == b.fun and a.nfev == b.nfev and a.nit == b.nit
    assert np.array_equal(a.history.nfev, b.history.nfev)
    assert np.array_equal(a.history.fun, b.history.fun)
    assert (a.history.x is None) == (b.history.x is None)
    if a.history.x is not None:
        assert np.array_equal(a.history.x, b.history.x)
    assert a.info.keys() == b.info.keys()


def _fresh(optimizer):
    return type(optimizer)(**optimizer.get_params())


@pytest.mark.parametrize("name", ["random", "rhc", "sa", "ga", "sgd", "cmaes"])
@pytest.mark.parametrize("kind", ["real", "binary", "permutation", "integer"])
def test_cached_runs_equal_fresh_runs(name, kind):
    optimizer = ss.OPTIMIZERS.get(name)()
    problem = make_problem(kind)
    if kind not in optimizer.spaces:
        pytest.skip("space kind not supported")
    for budget, history, record_x, seed in [(300, 100, False, 0), (300, 100, False, 1),
                                            (200, 7, True, 2), (300, 100, False, 3),
                                            (200, 7, True, 4)]:
        kwargs = {"rng": seed, "history": history, "record_x": record_x}
        _same(optimizer.run(problem, budget, **kwargs),
              _fresh(optimizer).run(problem, budget, **kwargs))


def test_set_params_and_in_place_changes_are_seen():
    problem = make_problem("real")
    move = GaussianStep(scale=0.1)
    optimizer = ss.SimulatedAnnealing(move=move)
    optimizer.run(problem, 200, rng=0)
    move.scale = 0.3                       # an operator changed in place
    _same(optimizer.run(problem, 200, rng=0),
          ss.SimulatedAnnealing(move=GaussianStep(scale=0.3)).run(problem, 200, rng=0))
    optimizer.set_params(t0=0.5)
    _same(optimizer.run(problem, 200, rng=0),
          ss.SimulatedAnnealing(move=GaussianStep(scale=0.3), t0=0.5).run(problem, 200, rng=0))
    optimizer.calibration = 20             # an attribute set directly
    _same(optimizer.run(problem, 200, rng=0),
          ss.SimulatedAnnealing(move=GaussianStep(scale=0.3), t0=0.5,
                                calibration=20).run(problem, 200, rng=0))


def test_problem_changes_are_seen():
    problem = make_problem("permutation")
    optimizer = ss.SimulatedAnnealing()
    optimizer.run(problem, 200, rng=0)
    problem.neighborhood = "2opt"
    _same(optimizer.run(problem, 200, rng=0),
          ss.SimulatedAnnealing(move="2opt").run(problem, 200, rng=0))


def test_termination_and_budget_are_part_of_the_template():
    problem = make_problem("real")
    optimizer = ss.RandomRestartHillClimbing()
    for termination in (None, ss.Stagnation(50), ss.TargetValue(5.0), None):
        for budget in (100, 400):
            _same(optimizer.run(problem, budget, rng=1, termination=termination),
                  _fresh(optimizer).run(problem, budget, rng=1, termination=termination))


def test_states_share_no_arrays_and_caches_do_not_pickle():
    problem = make_problem("real")
    optimizer = ss.GeneticAlgorithm(pop_size=10)
    a = optimizer.init(problem, 100, rng=0)
    b = optimizer.init(problem, 100, rng=1)
    for name in ("words", "ints", "floats", "points"):
        assert not np.shares_memory(getattr(a, name), getattr(b, name))
    assert not np.shares_memory(a.record, b.record)
    # Running one state leaves the other as it was.
    before = b.words.copy(), b.floats.copy()
    while not a.done:
        X = optimizer.ask(a)
        optimizer.tell(a, X, problem.evaluate(X))
    assert before[0].tobytes() == b.words.tobytes() and before[1].tobytes() == b.floats.tobytes()
    copy = pickle.loads(pickle.dumps(optimizer))
    assert copy == optimizer and "_run_templates" not in vars(copy)
    assert "_run_templates" not in vars(pickle.loads(pickle.dumps(b)).optimizer)


def test_frozen_copies_decide_by_type_but_read_each_object():
    # _frozen remembers how to read each type; what it reads is still each object's own.
    from stochsearch.optimizers._templates import _frozen

    class Holder:
        def __init__(self, **attributes):
            self.__dict__.update(attributes)

    plain, other = Holder(a=np.arange(3.0)), Holder(a=np.arange(3.0))
    assert _frozen(plain) == _frozen(other)
    other.a[1] = 7.0                       # contents changed in place
    assert _frozen(plain) != _frozen(other)
    compiled = Holder(py_func=len)         # a compiled function: compared by identity
    assert _frozen(compiled) == _frozen(compiled)
    assert _frozen(compiled) != _frozen(Holder(py_func=len))
    assert _frozen(Holder(a=[1, 2.5])) == _frozen(Holder(a=[1, 2.5]))
    assert _frozen(Holder(a=[1, 2.5])) != _frozen(Holder(a=[1, 2.25]))


def test_a_neighbourhood_without_attributes_is_checked_in_place_too():
    # The TSP's natural 2-opt has no attributes: its template is reused while it has none,
    # and rebuilt once one is set on it in place.
    from stochsearch.problems import TSP

    problem, optimizer = TSP(12, seed=0), ss.SimulatedAnnealing()
    first = optimizer.run(problem, 50, rng=0)
    (snapshot,) = optimizer._run_templates.values()
    assert snapshot.bare is problem.neighborhood
    assert snapshot.valid(optimizer.__dict__, problem)
    problem.neighborhood.marker = 1
    assert not snapshot.valid(optimizer.__dict__, problem)
    _same(optimizer.run(problem, 50, rng=0), first)
    del problem.neighborhood.marker
