"""The MLP kernels against the numpy reference of tests/reference/mlp.py (to rounding: the
reference uses matrix products), and their gradients against finite differences for every
activation and loss."""
from __future__ import annotations

import numpy as np
import pytest

from stochsearch._kernels import mlp as kernels
from stochsearch.nn import MLP
from tests.reference import mlp as ref

ACTIVATIONS = kernels.ACTIVATIONS
OUTPUTS = kernels.OUTPUTS


def _task(output, k, n=70, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    if output == "softmax":
        y = rng.integers(0, k, n)
    elif output == "sigmoid":
        y = (rng.random((n, k)) < 0.5).astype(float)
    else:
        y = rng.normal(size=(n, k))
    return X, y


@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_kernels_agree_with_numpy_reference(activation, output):
    # 70 samples: a full block of 64 and a partial one.
    net = MLP((3, 6, 4, 3), activation=activation, output=output, l2=0.05)
    X, y = _task(output, 3)
    w = np.random.default_rng(1).normal(size=net.n_params)
    Y = net.targets(y)
    loss, grad = net.gradient(w, X, y)
    ref_loss, ref_grad = ref.gradient(net.sizes, activation, output, 0.05, w, X, Y)
    assert loss == pytest.approx(ref_loss, rel=1e-13)
    np.testing.assert_allclose(grad, ref_grad, rtol=1e-11, atol=1e-14)
    np.testing.assert_allclose(net.predict(w, X), ref.outputs(net.sizes, activation, output, w, X),
                               rtol=1e-12, atol=1e-15)
    Z, A = net.forward(w, X)
    ref_Z, ref_A = ref.forward(net.sizes, activation, w, X)
    np.testing.assert_allclose(Z[:, 3:9], ref_Z[1], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(A[:, 9:13], ref_A[2], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradient_matches_finite_differences(activation, output):
    net = MLP((3, 5, 2), activation=activation, output=output, l2=0.1)
    X, y = _task(output, 2, n=9, seed=2)
    data = net.data(X, y)
    w = np.random.default_rng(3).normal(scale=0.7, size=net.n_params)
    grad = np.empty(net.n_params)
    kernels.loss_gradient(w, data, grad)
    h = 1e-6
    numeric = np.empty(net.n_params)
    for i in range(net.n_params):
        step = np.zeros(net.n_params)
        step[i] = h
        numeric[i] = (kernels.loss(w + step, data) - kernels.loss(w - step, data)) / (2 * h)
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)


def test_batch_gradient_is_the_gradient_on_the_batch():
    net = MLP((3, 4, 3), activation="elu", output="softmax", l2=0.2)
    X, y = _task("softmax", 3, n=150)
    data = net.data(X, y)
    w = np.random.default_rng(5).normal(size=net.n_params)
    batch = np.array([149, 3, 77, 3, 0, 64, 65], np.int64)   # any order, repeats allowed
    out = np.empty(net.n_params)
    value = kernels.batch_gradient(w, data, batch, out)
    expected_value, expected = net.gradient(w, X[batch], y[batch])
    assert value == pytest.approx(expected_value, rel=1e-14)
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("n", [1, 63, 64, 65, 200])
def test_full_batch_gradient_returns_the_objective_exactly(n):
    net = MLP((3, 7, 1), activation="tanh", output="sigmoid", l2=0.01)
    X, y = _task("sigmoid", 1, n=n)
    data = net.data(X, y)
    w = np.random.default_rng(6).normal(size=net.n_params)
    out = np.empty(net.n_params)
    assert kernels.batch_gradient(w, data, np.arange(n, dtype=np.int64), out) == \
        kernels.loss(w, data) == kernels.loss_gradient(w, data, out)


def test_deltas_are_the_back_propagated_gradients():
    net = MLP((3, 4, 2), activation="sigmoid", output="linear")
    X, y = _task("linear", 2, n=10)
    w = np.random.default_rng(8).normal(size=net.n_params)
    D = np.zeros((10, sum(net.sizes)))
    grad = np.zeros(net.n_params)
    kernels.delta_rows(w, net.data(X, y), np.arange(10, dtype=np.int64), D, grad)
    Z, A = ref.forward(net.sizes, "sigmoid", w, X)
    output_delta = A[2] - y
    W1 = ref.unpack(net.sizes, w)[1][0]
    np.testing.assert_allclose(D[:, 7:9], output_delta, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(D[:, 3:7], (output_delta @ W1.T) * A[1] * (1 - A[1]),
                               rtol=1e-11, atol=1e-14)
    np.testing.assert_allclose(grad / 10, ref.gradient(net.sizes, "sigmoid", "linear", 0.0, w,
                                                       X, y)[1], rtol=1e-11, atol=1e-14)
