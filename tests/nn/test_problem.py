"""Network problems: one numba objective with the standard Real signature (so the genetic
algorithm, annealing and hill climbing run fused, with the same results as through ask/tell),
the gradients SGD needs, and the test set's loss and accuracy in the result."""
from __future__ import annotations

import pickle

import numpy as np
import pytest

import stochsearch as ss
from stochsearch.nn import MLP, NetworkProblem, datasets

DATA = datasets.moons(80, rng=0)
PROBLEM = NetworkProblem(MLP((2, 4, 1), output="sigmoid"), DATA.X_train, DATA.y_train,
                         X_test=DATA.X_test, y_test=DATA.y_test, bound=5.0)


def test_objective_and_gradients_are_the_networks():
    w = np.random.default_rng(0).normal(size=PROBLEM.dim)
    net, X, y = PROBLEM.network, DATA.X_train, DATA.y_train
    assert PROBLEM.path == "fused" and PROBLEM.n_samples == len(y)
    assert PROBLEM(w) == net.loss(w, X, y)
    g = np.empty(PROBLEM.dim)
    assert PROBLEM.gradient(w, PROBLEM.data, g) == net.gradient(w, X, y)[0]
    np.testing.assert_array_equal(g, net.gradient(w, X, y)[1])
    batch = np.array([4, 1, 9], np.int64)
    assert PROBLEM.batch_gradient(w, PROBLEM.data, batch, g) == \
        pytest.approx(net.loss(w, X[batch], y[batch]), rel=1e-15)


@pytest.mark.parametrize("optimizer", [ss.SimulatedAnnealing(), ss.RandomRestartHillClimbing(),
                                       ss.GeneticAlgorithm(pop_size=12)], ids=repr)
def test_gradient_free_search_runs_fused_and_equals_ask_tell(optimizer):
    fused = optimizer.run(PROBLEM, 400, rng=1, init="glorot_uniform")
    state = optimizer.init(PROBLEM.space, 400, rng=1, init="glorot_uniform")
    while not state.done:
        X = optimizer.ask(state)
        optimizer.tell(state, X, PROBLEM.evaluate(X))
    told = optimizer.result(state)
    assert fused.fun == told.fun and fused.nfev == told.nfev == 400
    np.testing.assert_array_equal(fused.x, told.x)
    assert fused.fun < PROBLEM(np.zeros(PROBLEM.dim))


def test_result_reports_train_and_test_loss_and_accuracy():
    result = ss.SimulatedAnnealing().run(PROBLEM, 3000, rng=0, init="glorot_uniform")
    info = result.info
    assert info["train_loss"] == result.fun
    assert info["test_loss"] == PROBLEM.network.loss(result.x, DATA.X_test, DATA.y_test)
    predicted = PROBLEM.predict(result.x, DATA.X_test)[:, 0] > 0.5
    assert info["test_accuracy"] == np.mean(predicted == DATA.y_test)
    assert 0.8 < info["train_accuracy"] <= 1.0


def test_pickles_and_accuracy_of_each_output():
    clone = pickle.loads(pickle.dumps(PROBLEM))
    w = np.random.default_rng(2).normal(size=PROBLEM.dim)
    assert clone(w) == PROBLEM(w) and clone.report(w) == PROBLEM.report(w)
    blobs = datasets.blobs(60, rng=0)
    softmax = NetworkProblem(MLP((2, 3, 3)), blobs.X_train, blobs.y_train)
    w = np.random.default_rng(3).normal(size=softmax.dim)
    expected = np.mean(np.argmax(softmax.predict(w), axis=1) == blobs.y_train)
    assert softmax.report(w) == {"train_loss": softmax(w), "train_accuracy": expected}
    regression = NetworkProblem(MLP((2, 2), output="linear"), blobs.X_train, blobs.X_train)
    assert np.isnan(regression.report(np.zeros(regression.dim))["train_accuracy"])


@pytest.mark.parametrize("make,message", [
    (lambda: NetworkProblem("mlp", DATA.X_train, DATA.y_train), "network must be an MLP"),
    (lambda: NetworkProblem(MLP((2, 1), output="sigmoid"), DATA.X_train, DATA.y_train,
                            X_test=DATA.X_test), "give both X_test and y_test, or neither"),
    (lambda: NetworkProblem(MLP((3, 1), output="sigmoid"), DATA.X_train, DATA.y_train),
     "X must have shape (n, 3) to match the input layer of 3 units"),
    (lambda: NetworkProblem(MLP((2, 1), output="sigmoid"), DATA.X_train, DATA.y_train,
                            bound=0.0), "bound must be a positive number, got 0.0"),
])
def test_errors(make, message):
    with pytest.raises((ValueError, TypeError)) as info:
        make()
    assert message in str(info.value)
