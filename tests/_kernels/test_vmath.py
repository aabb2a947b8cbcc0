"""The vectorized exponentials of the MLP kernels against numpy, within a few units in the
last place, on ordinary, tiny and extreme arguments."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit

from stochsearch._kernels import _vmath

_ROWS = [lambda *a: _vmath.exp_rows(*a, 0.0), lambda *a: _vmath.exp_rows(*a, 1.0),
         _vmath.tanh_rows, _vmath.sigmoid_rows, _vmath.log1p_exp_rows]


@pytest.mark.parametrize("function,expected", [
    (0, np.exp), (1, np.expm1), (2, np.tanh), (3, expit),
    (4, lambda x: np.log1p(np.exp(-np.abs(x))))], ids=["exp", "expm1", "tanh", "sigmoid",
                                                        "softplus-tail"])
def test_vectorized_exponentials_are_accurate(function, expected):
    rng = np.random.default_rng(0)
    values = np.concatenate([rng.normal(0, 3, 900), rng.uniform(-700, 700, 90),
                             [0.0, -0.0, 1e-300, -1e-12, 5e-9, 30.0, -30.0, 700.0, -700.0,
                              0.34657359, -0.34657359]])
    values = values[:1000].reshape(10, 100).copy()
    if function == 0:
        values = np.clip(values, -700, 700)
    out = np.empty_like(values)
    bits = np.empty(100, np.int64)
    _ROWS[function](values, out, 0, 10, 100, bits, bits.view(np.float64))
    truth = expected(values)
    np.testing.assert_allclose(out, truth, rtol=4e-16 * 8, atol=0)   # a few units in the last place
