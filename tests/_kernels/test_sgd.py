"""The SGD kernel and the update rules against the plain-Python reference of
tests/reference/sgd.py: same draws, same arithmetic, identical trajectories, on a landscape
(one evaluation per gradient) and on a network problem (minibatches, epochs, shuffling)."""
from __future__ import annotations

import numpy as np
import pytest

import stochsearch as ss
from stochsearch._kernels import mlp as mlp_kernels
from stochsearch.nn import MLP, NetworkProblem
from stochsearch.operators import (AddNoise, Adam, ClipByNorm, ClipByValue, CosineDecay,
                                   InverseScaling, Momentum, chain)
from stochsearch.optimizers import SGD
from tests.conftest import make_problem
from tests.reference import sgd as ref

LANDSCAPE = make_problem("real", dim=5)
X0 = np.linspace(-2.0, 2.0, 5)


def _landscape_gradient(x, batch):
    g = np.empty(LANDSCAPE.dim)
    return LANDSCAPE.gradient(np.array(x), LANDSCAPE.data, g), g


def _check(result, reference):
    best, best_x, trace, info = reference
    assert result.fun == best
    np.testing.assert_array_equal(result.x, best_x)
    assert np.array_equal(result.history.nfev, np.arange(1, result.nfev + 1))
    np.testing.assert_array_equal(result.history.fun, trace)
    if info == "diverged":
        assert result.status.name == "DIVERGED"
    else:
        assert result.info["steps"] == info["steps"]
        assert result.info["objective_evaluations"] == info["objective_evaluations"]


CASES = {
    "plain": (dict(learning_rate=0.002), lambda d: [], ref.constant(0.002)),
    "momentum": (dict(learning_rate=0.001, update=Momentum(0.8)),
                 lambda d: [ref.momentum(d, 0.8)], ref.constant(0.001)),
    "nesterov": (dict(learning_rate=0.001, update="nesterov"),
                 lambda d: [ref.momentum(d, 0.9, True)], ref.constant(0.001)),
    "adam": (dict(learning_rate=0.05, update="adam"), lambda d: [ref.adam(d)],
             ref.constant(0.05)),
    "clip+noise+adam": (
        dict(learning_rate=CosineDecay(0.1, floor=0.1),
             update=chain(ClipByNorm(2.0), AddNoise(0.5, 0.6), Adam(0.8, 0.99, 1e-6))),
        lambda d: [ref.clip_by_norm(2.0), ref.add_noise(0.5, 0.6), ref.adam(d, 0.8, 0.99, 1e-6)],
        ref.cosine(0.1, 0.1)),
    "clip-value": (dict(learning_rate=InverseScaling(0.01, 0.7), update=ClipByValue(3.0)),
                   lambda d: [ref.clip_by_value(3.0)], ref.inverse_scaling(0.01, 0.7)),
}


@pytest.mark.parametrize("budget", [1, 7, 300])
@pytest.mark.parametrize("case", sorted(CASES))
def test_landscape_matches_reference(case, budget):
    params, rules, rate = CASES[case]
    result = SGD(**params).run(LANDSCAPE, budget, rng=4, init=X0, history=budget)
    reference = ref.sgd(X0, LANDSCAPE.space.lower, LANDSCAPE.space.upper, budget,
                        np.random.default_rng(4), grad=_landscape_gradient, rate=rate,
                        rules=rules(LANDSCAPE.dim))
    _check(result, reference)
    assert result.info["epochs"] == result.nfev


def _network_problem():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(float)
    return NetworkProblem(MLP((2, 3, 1), activation="tanh", output="sigmoid"), X, y, bound=3.0)


NETWORK = _network_problem()
W0 = np.random.default_rng(1).uniform(-1.0, 1.0, NETWORK.dim)


def _network_gradient(x, batch):
    g = np.empty(NETWORK.dim)
    f = mlp_kernels.batch_gradient(np.array(x), NETWORK.data, np.array(batch, np.int64), g)
    return f, g


def _network_value(x):
    return mlp_kernels.loss(np.array(x), NETWORK.data)


@pytest.mark.parametrize("budget", [1, 13, 137])
@pytest.mark.parametrize("batch_size,shuffle", [(6, "epoch"), (6, "once"), (7, "none"),
                                                (None, "epoch"), (20, "none"), (50, "epoch")])
def test_minibatches_match_reference(batch_size, shuffle, budget):
    optimizer = SGD(learning_rate=0.5, update=Momentum(0.5), batch_size=batch_size,
                    shuffle=shuffle)
    result = optimizer.run(NETWORK, budget, rng=9, init=W0, history=budget)
    reference = ref.sgd(W0, NETWORK.space.lower, NETWORK.space.upper, budget,
                        np.random.default_rng(9), grad=_network_gradient,
                        value=_network_value, n_samples=20, batch_size=batch_size,
                        shuffle=shuffle, rate=ref.constant(0.5),
                        rules=[ref.momentum(NETWORK.dim, 0.5)])
    _check(result, reference)
    assert result.nfev == budget
    assert result.info["epochs"] == budget / 20


def test_divergence_matches_reference():
    problem = make_problem("real", dim=3)
    wide = ss.Real(-1e300, 1e300, dim=3)
    huge = ss.Problem(wide, objective=problem.objective, gradient=problem.gradient,
                      data=problem.data)
    result = SGD(learning_rate=1e3).run(huge, 500, rng=0, init=[1.0, 2.0, 3.0], history=500)

    def gradient(x, batch):
        g = np.empty(3)
        return huge.gradient(np.array(x), huge.data, g), g

    reference = ref.sgd([1.0, 2.0, 3.0], wide.lower, wide.upper, 500, np.random.default_rng(0),
                        grad=gradient, rate=ref.constant(1e3))
    _check(result, reference)
    assert result.status == ss.Status.DIVERGED and not result.success
    assert np.isfinite(result.fun) and np.all(np.isfinite(result.x))
