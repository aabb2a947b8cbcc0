"""SGD: it trains networks (XOR, moons, digits against scikit-learn), counts sample-gradients,
keeps the optimizer contract with minibatches, never breaks the symmetry of a constant start, and
stops a diverging run with status DIVERGED."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import stochsearch as ss
from stochsearch.nn import MLP, NetworkProblem, datasets, distinct_units, initializers
from stochsearch.operators import AddNoise, Momentum, chain
from stochsearch.optimizers import SGD
from tests.conftest import make_problem


def _network(dataset, hidden, activation="tanh", **kwargs):
    k = dataset.n_classes
    net = MLP((dataset.n_features, *hidden, 1 if k == 2 else k), activation=activation,
              output="sigmoid" if k == 2 else "softmax")
    return NetworkProblem(net, dataset.X_train, dataset.y_train, X_test=dataset.X_test,
                          y_test=dataset.y_test, **kwargs)


def test_solves_xor():
    problem = _network(datasets.xor(), (4,))
    result = SGD(learning_rate=0.5, batch_size=None).run(problem, 4 * 1000, rng=0,
                                                         init="glorot_uniform")
    assert result.info["test_accuracy"] == 1.0 and result.fun < 0.05


def test_two_moons_test_accuracy():
    problem = _network(datasets.moons(500, noise=0.2, rng=0), (10,))
    result = SGD(learning_rate=0.1, batch_size=32).run(problem, 200 * problem.n_samples,
                                                       rng=0, init="glorot_uniform")
    assert result.info["test_accuracy"] >= 0.95
    assert result.info["epochs"] == 200 and result.nfev == 200 * problem.n_samples


def test_digits_within_two_points_of_scikit_learn():
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    data = datasets.digits(rng=0)
    epochs, lr = 20, 0.05
    problem = _network(data, (32,))
    ours = SGD(learning_rate=lr, update=Momentum(0.9, nesterov=True), batch_size=32).run(
        problem, epochs * problem.n_samples, rng=0, init="glorot_uniform")
    theirs = MLPClassifier((32,), activation="tanh", solver="sgd", learning_rate_init=lr,
                           momentum=0.9, nesterovs_momentum=True, batch_size=32,
                           max_iter=epochs, alpha=0.0, tol=0.0, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        theirs.fit(data.X_train, data.y_train)
    assert abs(ours.info["test_accuracy"] - theirs.score(data.X_test, data.y_test)) <= 0.02


NETWORK = _network(datasets.moons(40, rng=1), (3,), bound=4.0)


def test_budget_counts_sample_gradients_and_reports_epochs():
    result = SGD(batch_size=6).run(NETWORK, 137, rng=0)
    n = NETWORK.n_samples
    assert n == 30 and result.nfev == 137 and result.info["epochs"] == 137 / 30
    assert result.nit == 4 * 5 + 3          # 4 epochs of 5 minibatches (6 * 5), then 17 = 3
    assert result.info["objective_evaluations"] == 1 + 4 + 1
    assert result.fun == NETWORK(result.x) and result.status == ss.Status.MAX_EVALS
    assert SGD(batch_size=None).run(NETWORK, 90, rng=0).nit == 3


def _ask_tell(optimizer, problem, state):
    while not state.done:
        X = optimizer.ask(state)
        assert np.all(problem.space.contains(X))
        batch = optimizer.minibatch(state)
        if optimizer.wants_gradient(state):
            g = np.empty(problem.dim)
            f = problem.batch_gradient(X[0], problem.data, batch, g)
            optimizer.tell(state, X, f, grad=g)
        else:
            assert batch is None
            optimizer.tell(state, X, problem.evaluate(X))
    return optimizer.result(state)


@pytest.mark.parametrize("params", [dict(batch_size=7), dict(batch_size=7, shuffle="once"),
                                    dict(batch_size=None, update="adam")])
def test_minibatch_ask_tell_equals_the_fused_path(params):
    optimizer = SGD(learning_rate=0.3, **params)
    fused = optimizer.run(NETWORK, 500, rng=5, init="he_uniform")
    told = _ask_tell(optimizer, NETWORK, optimizer.init(NETWORK, 500, rng=5, init="he_uniform"))
    assert fused.fun == told.fun and fused.nfev == told.nfev and fused.nit == told.nit
    np.testing.assert_array_equal(fused.x, told.x)
    np.testing.assert_array_equal(fused.history.fun, told.history.fun)


def test_full_batch_without_shuffling_is_deterministic():
    """The randomness dial at zero: a fixed start, the dataset's order, the full batch."""
    runs = [SGD(batch_size=None, shuffle="none").run(NETWORK, 300, rng=seed,
                                                     init=np.full(NETWORK.dim, 0.1))
            for seed in (0, 1)]
    assert runs[0].fun == runs[1].fun
    noisy = [SGD(update=AddNoise(0.1)).run(make_problem("real"), 300, rng=seed, init=np.zeros(6))
             for seed in (0, 1)]
    assert noisy[0].fun != noisy[1].fun


def test_constant_start_never_breaks_the_symmetry():
    balanced = datasets.moons(60, rng=2, test_size=0.5)
    problem = _network(balanced, (5,))
    assert np.mean(problem.y) == 0.5
    full = SGD(learning_rate=0.5, batch_size=None).run(problem, 100 * problem.n_samples,
                                                       rng=0, init="zeros")
    known = full.history.fun[np.isfinite(full.history.fun)]   # after the first full batch
    assert known.size > 10
    np.testing.assert_allclose(known, math.log(2.0), rtol=1e-15)
    assert full.fun == pytest.approx(math.log(2.0), rel=1e-15)
    for init in ("zeros", initializers.Constant(0.3)):
        result = SGD(learning_rate=0.5, batch_size=8).run(problem, 30 * problem.n_samples,
                                                          rng=0, init=init)
        assert distinct_units(problem.network, result.x, tol=0.0) == 1
    assert distinct_units(problem.network, full.x) == 1


def test_a_diverging_run_stops_with_status_diverged():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 2))
    net = MLP((2, 4, 1), activation="linear", output="linear")
    problem = NetworkProblem(net, X, 1e3 * X.sum(axis=1), bound=1e300)
    result = SGD(learning_rate=10.0, batch_size=10).run(problem, 10**5, rng=0,
                                                        init="glorot_uniform")
    assert result.status == ss.Status.DIVERGED and not result.success
    assert np.isfinite(result.fun) and np.all(np.isfinite(result.x))
    assert result.nfev < 10**5 and "diverged" in result.message


@pytest.mark.parametrize("make,error,message", [
    (lambda: SGD(learning_rate=0.0).run(NETWORK, 10), ValueError,
     "learning_rate must be a positive number, got 0.0"),
    (lambda: SGD(learning_rate=-0.1).init(NETWORK.space, 10), ValueError,
     "learning_rate must be a positive number, got -0.1"),
    (lambda: SGD(batch_size=0).run(NETWORK, 10), ValueError,
     "batch_size must be a positive integer, got 0"),
    (lambda: SGD(shuffle="always").run(NETWORK, 10), ValueError,
     "shuffle must be one of 'none', 'once', 'epoch', got 'always'"),
    (lambda: SGD().run(ss.Problem(ss.Real(-1, 1, dim=2), fun=lambda x: 0.0), 10), ValueError,
     "SGD needs the gradient of"),
    (lambda: SGD().run(ss.problems.OneMax(5), 10), ValueError,
     "SGD does not work on Binary(5); it supports real spaces"),
])
def test_errors_are_one_clear_sentence(make, error, message):
    with pytest.raises(error) as info:
        make()
    assert message in str(info.value)


def test_tell_needs_the_gradient():
    optimizer = SGD()
    state = optimizer.init(make_problem("real").space, 10, rng=0)
    X = optimizer.ask(state)
    with pytest.raises(ValueError, match="SGD needs the gradient at the asked point"):
        optimizer.tell(state, X, [1.0])
    with pytest.raises(ValueError, match=r"grad must have shape \(1, 6\) or \(6,\)"):
        optimizer.tell(state, X, [1.0], grad=np.zeros(5))
    optimizer.tell(state, X, [1.0], grad=np.zeros((1, 6)))
    assert state.nfev == 1


def test_runs_on_landscapes_with_clipping_and_noise():
    sphere = ss.problems.Sphere(4)
    rule = chain(AddNoise(1e-4), Momentum(0.5))
    result = SGD(learning_rate=0.05, update=rule).run(sphere, 2000, rng=0)
    assert result.fun < 1e-4 and result.info["epochs"] == 2000
