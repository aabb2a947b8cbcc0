"""The MLP class: its flat parameter layout, the data it packs for the kernels, and its
errors (one clear sentence each)."""
from __future__ import annotations

import pickle

import numpy as np
import pytest

from stochsearch._kernels import mlp as kernels
from stochsearch.nn import MLP


def test_layout_is_keras_kernels_then_biases():
    net = MLP((3, 4, 2), activation="relu", output="softmax")
    assert net.n_params == 3 * 4 + 4 + 4 * 2 + 2 == 26
    assert net.layers == [((3, 4), 0), ((4, 2), 16)]
    w = np.arange(26.0)
    (W0, b0), (W1, b1) = net.unpack(w)
    np.testing.assert_array_equal(W0, np.arange(12.0).reshape(3, 4))
    np.testing.assert_array_equal(b1, [24.0, 25.0])
    np.testing.assert_array_equal(net.pack(net.unpack(w)), w)
    W0[0, 0] = -1.0                      # views of the vector
    assert w[0] == -1.0


def test_data_holds_layout_inputs_and_one_hot_targets():
    net = MLP((2, 3, 3), l2=0.5)
    X, y = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([2, 0])
    data = net.data(X, y)
    assert data[kernels.N_SAMPLES] == 2 and data[kernels.L2] == 0.5
    start = int(data[kernels.OFF_X])
    np.testing.assert_array_equal(data[start:start + 4], [1, 2, 3, 4])
    np.testing.assert_array_equal(data[int(data[kernels.OFF_Y]):], [0, 0, 1, 1, 0, 0])


def test_predictions_are_probabilities():
    net = MLP((2, 5, 4), activation="softsign")
    w = np.random.default_rng(0).normal(size=net.n_params)
    P = net.predict(w, np.random.default_rng(1).normal(size=(9, 2)))
    assert P.shape == (9, 4) and np.allclose(P.sum(axis=1), 1.0) and np.all(P > 0)
    assert MLP((2, 1), output="sigmoid").predict(np.zeros(3), np.ones((1, 2)))[0, 0] == 0.5


def test_equality_repr_and_pickle():
    net = MLP((2, 3, 1), activation="elu", output="sigmoid", l2=0.1)
    assert net == pickle.loads(pickle.dumps(net)) and net != MLP((2, 3, 1))
    assert repr(net) == "MLP((2, 3, 1), activation='elu', output='sigmoid', l2=0.1)"


@pytest.mark.parametrize("make,message", [
    (lambda: MLP((3,)), "sizes must list at least two positive layer sizes"),
    (lambda: MLP((3, 0, 1)), "sizes must list at least two positive layer sizes"),
    (lambda: MLP((3, 1), activation="swish"), "activation must be one of 'tanh', 'relu'"),
    (lambda: MLP((3, 1), output="softplus"), "output must be one of 'softmax', 'sigmoid', "
                                              "'linear', got 'softplus'"),
    (lambda: MLP((3, 1), l2=-1), "l2 must be a non-negative number, got -1.0"),
    (lambda: MLP((3, 2)).data(np.ones((4, 2)), [0, 1, 0, 1]),
     "X must have shape (n, 3) to match the input layer of 3 units, got shape (4, 2)"),
    (lambda: MLP((2, 3)).data(np.ones((4, 2)), [0, 1, 3, 1]),
     "a softmax output of 3 units needs class labels, integers 0 to 2 in a 1-D array, got "
     "values {0, 1, 3}"),
    (lambda: MLP((2, 1), output="sigmoid").data(np.ones((2, 2)), [0.5, 1]),
     "a sigmoid output needs 0/1 labels, got values {0.5, 1}"),
    (lambda: MLP((2, 2), output="linear").data(np.ones((2, 2)), [0.5, 1]),
     "a linear output of 2 units needs targets of shape (n, 2), got shape (2,)"),
    (lambda: MLP((2, 1), output="sigmoid").data(np.ones((2, 2)), [0, 1, 1]),
     "X and y must have as many rows, got 2 and 3"),
    (lambda: MLP((2, 1), output="sigmoid").data([[0.0, np.nan], [1.0, 1.0]], [0, 1]),
     "X must not contain NaN or infinity, found nan at index (0, 1)"),
    (lambda: MLP((2, 1), output="linear").data(np.ones((2, 2)), [0.0, np.inf]),
     "y must not contain NaN or infinity, found inf at index (1,)"),
    (lambda: MLP((2, 1)).predict(np.zeros(4), np.ones((1, 2))),
     "the parameter vector must have shape (3,)"),
])
def test_errors_are_one_clear_sentence(make, message):
    with pytest.raises(ValueError) as info:
        make()
    assert message in str(info.value)
