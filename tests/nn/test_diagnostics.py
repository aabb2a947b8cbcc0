"""Symmetry and signal diagnostics."""
from __future__ import annotations

import numpy as np
import pytest

from stochsearch.nn import MLP, distinct_units, layer_statistics
from tests.reference import mlp as ref

NET = MLP((3, 6, 4, 2), activation="tanh", output="softmax")


def test_distinct_units_counts_coinciding_units():
    w = np.random.default_rng(0).normal(size=NET.n_params)
    assert distinct_units(NET, w, layer=0) == 6 and distinct_units(NET, w, layer=1) == 4
    (W0, b0), (W1, b1), _ = NET.unpack(w)
    W0[:, 1], b0[1], W1[1] = W0[:, 0], b0[0], W1[0]          # unit 1 copies unit 0
    W0[:, 5], b0[5], W1[5] = W0[:, 0] + 1e-10, b0[0], W1[0]  # unit 5 nearly
    assert distinct_units(NET, w) == 4
    assert distinct_units(NET, w, tol=0.0) == 5
    W1[5, 0] += 1.0                                           # differs in its outgoing weights
    assert distinct_units(NET, w) == 5
    assert distinct_units(NET, np.zeros(NET.n_params), layer=1) == 1


def test_layer_statistics():
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(50, 3)), rng.integers(0, 2, 50)
    w = rng.normal(size=NET.n_params)
    stats = layer_statistics(NET, w, X, y)
    Z, A = ref.forward(NET.sizes, "tanh", w, X)
    assert [s["units"] for s in stats] == [6, 4, 2]
    assert stats[0]["activation_std"] == pytest.approx(A[1].std(), rel=1e-10)
    assert stats[1]["saturated"] == pytest.approx(np.mean(1 - A[2] ** 2 < 0.05))
    grad = ref.gradient(NET.sizes, "tanh", "softmax", 0.0, w, X, np.eye(2)[y])[1]
    assert stats[0]["weight_gradient_norm"] == pytest.approx(np.linalg.norm(grad[:18]),
                                                             rel=1e-10)
    assert all(s["delta_mean_abs"] > 0 for s in stats)
    P = ref.outputs(NET.sizes, "tanh", "softmax", w, X)            # output deltas: P - Y
    assert stats[2]["delta_variance"] == pytest.approx((P - np.eye(2)[y]).var(), rel=1e-10)
    assert "delta_mean_abs" not in layer_statistics(NET, w, X)[0]


def test_errors():
    with pytest.raises(ValueError, match="layer must be an integer in \\[0, 1\\], got 2"):
        distinct_units(NET, np.zeros(NET.n_params), layer=2)
    with pytest.raises(ValueError, match="has no hidden layer"):
        distinct_units(MLP((2, 1)), np.zeros(3))
