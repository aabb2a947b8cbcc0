"""The conformance suite: every registered optimizer, on every space it supports, keeps the
contract of DESIGN.md section 3. New optimizers and neighbourhoods join it by registering."""
from __future__ import annotations

import pickle

import numpy as np
import pytest

import stochsearch as ss
from stochsearch import OPTIMIZERS
from stochsearch.operators import AddNoise, ClipByNorm, InverseScaling, Momentum, chain
from tests.conftest import evaluate_with_gradient, make_problem

BUDGET = 600


REAL = ("real",)


def _variants():
    """Each registered optimizer with its defaults, plus the dial-at-zero and other settings
    whose code paths differ, with the space kinds they are meant for (None: all)."""
    extra = {
        "sa": [(dict(t0=0.0), None), (dict(schedule="adaptive", reheat=50), None),
               (dict(schedule="linear"), None),
               (dict(schedule="logarithmic", move="gaussian"), REAL)],
        "rhc": [(dict(strategy="steepest", n_neighbors=4), None),
                (dict(restarts=0, patience=20), None), (dict(move="cauchy", patience=30), REAL)],
        "random": [(dict(batch_size=7), None)],
        "ga": [(dict(mutation_rate=0.0), None),
               (dict(pop_size=9, replacement="steady-state"), None),
               (dict(pop_size=15, selection="rank", elitism=0, crossover_rate=0.5), None),
               (dict(pop_size=10, selection="proportional", elitism=3), None),
               (dict(pop_size=12, selection="truncation", crossover_rate=1.0), None)],
    }
    extra["cmaes"] = [(dict(adapt_covariance=False), None), (dict(restarts=0), None),
                      (dict(pop_size=5, tol_x=1e-3, pop_factor=1.5, restarts=3), None)]
    extra["sgd"] = [(dict(update="adam", batch_size=None), REAL),
                    (dict(learning_rate=InverseScaling(0.02), update=chain(
                        ClipByNorm(5.0), AddNoise(0.1), Momentum(0.9, nesterov=True))), REAL)]
    for name in OPTIMIZERS.names():
        for params, kinds in [({}, None)] + extra.get(name, []):
            yield name, params, kinds


def _supports(optimizer: ss.Optimizer, kind: str) -> bool:
    """Whether ``optimizer`` runs on ``kind`` spaces (a capability, not a name list)."""
    if kind not in optimizer.spaces:
        return False
    if optimizer.uses_gradient and make_problem(kind).gradient is None:
        return False
    try:
        optimizer.init(make_problem(kind), 10, rng=0)
    except ValueError as error:
        if "no neighbourhood is available" in str(error):
            return False
        raise
    return True


def _cases(gradient_free: bool = False):
    """The (optimizer variant, space kind) pairs that apply, and only those: a variant meant
    for some kinds, on the kinds it supports. ``gradient_free``: only optimizers that need no
    gradient (for tests whose Python objectives have none)."""
    cases = []
    for name, params, kinds in _variants():
        for kind in ("binary", "integer", "permutation", "real"):
            optimizer = OPTIMIZERS.get(name)(**params)
            if kinds is not None and kind not in kinds or not _supports(optimizer, kind):
                continue
            if gradient_free and optimizer.uses_gradient:
                continue
            label = f"{name}-{params}" if params else name
            cases.append(pytest.param((name, params, kind), id=f"{label}-{kind}"))
    return cases


def _optimizer(case):
    name, params, kind = case
    return OPTIMIZERS.get(name)(**params)


@pytest.fixture(params=_cases())
def case(request):
    return request.param


@pytest.fixture
def supported(case):
    return _optimizer(case)


@pytest.fixture
def kind(case):
    return case[2]


@pytest.fixture(params=_cases(gradient_free=True))
def gradient_free_case(request):
    return _optimizer(request.param), request.param[2]


def _same(a: ss.OptimizeResult, b: ss.OptimizeResult):
    assert a.fun == b.fun
    np.testing.assert_array_equal(a.x, b.x)
    assert (a.nfev, a.nit, a.status, a.nnan) == (b.nfev, b.nit, b.status, b.nnan)
    np.testing.assert_array_equal(a.history.nfev, b.history.nfev)
    np.testing.assert_array_equal(a.history.fun, b.history.fun)


def test_same_seed_gives_identical_results(supported, kind):
    problem = make_problem(kind)
    _same(supported.run(problem, BUDGET, rng=3), supported.run(problem, BUDGET, rng=3))


def test_different_seeds_explore_differently(supported, kind):
    problem = make_problem(kind, dim=8)
    results = [supported.run(problem, BUDGET, rng=seed) for seed in range(4)]
    assert len({(r.x.tobytes(), r.history.fun.tobytes()) for r in results}) > 1


def test_fused_path_equals_ask_tell(supported, kind):
    problem = make_problem(kind)
    fused = supported.run(problem, BUDGET, rng=11)
    state = supported.init(problem.space, BUDGET, rng=11)
    while not state.done:
        X = supported.ask(state)
        f, G = evaluate_with_gradient(problem, X)
        supported.tell(state, X, f, grad=G)
    _same(fused, supported.result(state))


def test_python_objective_equals_numba_objective(supported, kind):
    numba_result = supported.run(make_problem(kind), BUDGET, rng=5)
    python_result = supported.run(make_problem(kind, python=True), BUDGET, rng=5)
    _same(numba_result, python_result)


def test_budget_is_respected_and_spent(supported, kind):
    for budget in (1, 2, 37, BUDGET):
        result = supported.run(make_problem(kind), budget, rng=0)
        assert result.nfev <= budget
        if result.status == ss.Status.MAX_EVALS:
            assert result.nfev == budget
        else:
            assert result.status == ss.Status.CONVERGED


# The Python objectives of the next two tests have no gradient, so gradient methods are not
# among their cases (test_sgd.py checks SGD's points and its NaN policy, a stop with status
# DIVERGED).
def test_every_evaluated_point_is_valid(gradient_free_case):
    supported, kind = gradient_free_case
    base = make_problem(kind, python=True)
    seen = []

    def recording(x):
        seen.append(np.array(x))
        return base.fun(x)

    problem = ss.Problem(base.space, fun=recording)
    result = supported.run(problem, BUDGET, rng=2)
    assert len(seen) == result.nfev
    assert np.all(base.space.contains(np.array(seen)))
    assert base.space.contains(result.x[None, :])[0]


def test_history_is_monotone_and_ends_at_the_result(supported, kind):
    result = supported.run(make_problem(kind), BUDGET, rng=4, history=30, record_x=True)
    h = result.history
    assert np.all(np.diff(h.nfev) > 0) and h.nfev[0] >= 1
    assert np.all(np.diff(h.fun) <= 0)
    assert h.nfev[-1] == result.nfev and h.fun[-1] == result.fun
    np.testing.assert_array_equal(h.x[-1], result.x)
    assert h.x.shape == (len(h), make_problem(kind).dim)


def test_result_value_is_the_objective_at_x(supported, kind):
    problem = make_problem(kind)
    result = supported.run(problem, BUDGET, rng=6)
    assert result.fun == problem(result.x)


def test_run_leaves_parameters_unchanged(supported, kind):
    before = supported.get_params()
    supported.run(make_problem(kind), BUDGET, rng=0)
    after = supported.get_params()
    assert before.keys() == after.keys()
    assert all(before[k] is after[k] or before[k] == after[k] for k in before)


def test_optimizer_result_and_state_pickle(supported, kind):
    problem = make_problem(kind)
    clone = pickle.loads(pickle.dumps(supported))
    assert clone == supported
    result = supported.run(problem, BUDGET, rng=8)
    _same(result, pickle.loads(pickle.dumps(result)))
    # A run paused halfway, pickled and resumed in the copy, ends where the original ends.
    state = supported.init(problem, BUDGET, rng=8)
    while not state.done and state.nfev < BUDGET // 2:
        X = supported.ask(state)
        f, G = evaluate_with_gradient(problem, X)
        supported.tell(state, X, f, grad=G)
    resumed = pickle.loads(pickle.dumps(state))
    for run_state in (state, resumed):
        opt = run_state.optimizer
        while not run_state.done:
            X = opt.ask(run_state)
            f, G = evaluate_with_gradient(problem, X)
            opt.tell(run_state, X, f, grad=G)
    _same(result, supported.result(state))
    _same(result, resumed.optimizer.result(resumed))


def test_target_and_stagnation_stop_the_run(supported, kind):
    problem = make_problem(kind)
    free = supported.run(problem, BUDGET, rng=1, history=BUDGET)  # a checkpoint per evaluation
    target = free.history.fun[len(free.history) // 2]
    stopped = supported.run(problem, BUDGET, rng=1, termination=ss.TargetValue(target))
    assert stopped.status == ss.Status.TARGET and stopped.fun <= target
    assert free.history.first_hit(target) <= stopped.nfev
    # Up to the stop, the stopped run is the free run.
    for nfev, fun in zip(stopped.history.nfev, stopped.history.fun, strict=True):
        assert free.history.value_at(nfev) == fun
    stagnated = supported.run(problem, 10**6, rng=1, termination=ss.Stagnation(50))
    assert stagnated.status in (ss.Status.STAGNATION, ss.Status.CONVERGED)


def test_callback_stops_at_the_same_point_on_both_paths(supported, kind):
    def stop_after_100(intermediate):
        return intermediate.nfev >= 100

    budget = 5000  # beyond the first batch of every optimizer: callbacks run between batches
    a = supported.run(make_problem(kind), budget, rng=9, callback=stop_after_100)
    b = supported.run(make_problem(kind, python=True), budget, rng=9, callback=stop_after_100)
    assert a.status in (ss.Status.CALLBACK, ss.Status.CONVERGED)
    assert a.status == ss.Status.CONVERGED or 100 <= a.nfev < budget
    _same(a, b)


def test_nan_counts_as_infinity(gradient_free_case):
    supported, kind = gradient_free_case
    base = make_problem(kind, python=True)
    calls = [0]

    def sometimes_nan(x):
        calls[0] += 1
        return float("nan") if calls[0] % 3 == 0 else base.fun(x)

    result = supported.run(ss.Problem(base.space, fun=sometimes_nan), BUDGET, rng=0)
    assert result.nnan == result.nfev // 3
    assert np.isfinite(result.fun)
    assert np.all(np.diff(result.history.fun) <= 0)


def test_batches_on_workers_give_the_serial_result(gradient_free_case):
    """``workers=`` and ``batch=`` (speculative for chains, shared batches for populations)
    never change a result (DESIGN.md section 4)."""
    from concurrent.futures import ThreadPoolExecutor

    supported, kind = gradient_free_case
    problem = make_problem(kind, python=True)
    serial = supported.run(problem, BUDGET, rng=13)
    with ThreadPoolExecutor(2) as pool:
        parallel = supported.run(problem, BUDGET, rng=13, workers=pool, batch=3)
    _same(serial, parallel)
    assert parallel.info["discarded_evaluations"] >= 0
