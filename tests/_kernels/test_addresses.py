"""The two intrinsics of ``_kernels.addresses`` follow numba's data models: a Generator rebuilt
from a handle is the Python Generator (same stream, advancing it), a function loaded from an
address is the one compiled for its role, and an exception raised inside it propagates."""
from __future__ import annotations

import numpy as np
import pytest

import stochsearch as ss
from stochsearch._kernels.addresses import generator_from_handle, load_function
from stochsearch._kernels.signatures import function_address
from stochsearch._rng import generator_handle


@ss.jit
def _draws(handle, n):
    rng = generator_from_handle(handle)
    out = np.empty(4 * n)
    for i in range(n):
        out[4 * i] = rng.random()
        out[4 * i + 1] = rng.standard_normal()
        out[4 * i + 2] = rng.integers(0, 1000)
        out[4 * i + 3] = rng.exponential()
    return out


def _numpy_draws(rng, n):
    out = np.empty(4 * n)
    for i in range(n):
        out[4 * i:4 * i + 4] = (rng.random(), rng.standard_normal(), rng.integers(0, 1000),
                                rng.exponential())
    return out


@pytest.mark.parametrize("seed", [0, 1, 2**40 + 7])
def test_a_generator_from_a_handle_draws_numpys_stream_and_advances_it(seed):
    rng = np.random.default_rng(seed)
    inside = _draws(generator_handle(rng), 50)
    reference = np.random.default_rng(seed)
    np.testing.assert_array_equal(inside, _numpy_draws(reference, 50))
    # The Python Generator moved on by exactly those draws.
    assert rng.random() == reference.random()


@ss.jit
def _call_objective(address, x, data):
    return load_function(address, "objective", x.dtype)(x, data)


@ss.jit
def _square_sum(x, data):
    return float(np.sum((x - data) ** 2))


@ss.jit
def _abs_sum(x, data):
    return float(np.sum(np.abs(x - data)))


@ss.jit
def _count_ones(x, data):
    return float(np.sum(x.astype(np.int64)))


def test_a_function_loaded_from_its_address_is_the_one_compiled():
    x, data = np.array([1.0, -2.0, 3.0]), np.array([0.5, 0.5, 0.5])
    for func in (_square_sum, _abs_sum):
        address = function_address(func, "objective", "real")
        assert _call_objective(address, x, data) == func(x, data)
    bits = np.array([1, 0, 1, 1], dtype=np.int8)
    address = function_address(_count_ones, "objective", "binary")
    assert _call_objective(address, bits, np.zeros(0)) == 3.0
    # One address per (function, role, kind), stable across calls.
    assert function_address(_square_sum, "objective", "real") == \
        function_address(_square_sum, "objective", "real")
    assert function_address(_square_sum, "objective", "real") != \
        function_address(_abs_sum, "objective", "real")


@ss.jit
def _raises_past_one(x, data):
    if x[0] > 1.0:
        raise ValueError("x[0] is past one")
    return x[0]


def test_an_exception_raised_in_a_loaded_function_propagates():
    address = function_address(_raises_past_one, "objective", "real")
    assert _call_objective(address, np.array([0.5]), np.zeros(0)) == 0.5
    with pytest.raises(ValueError, match="x\\[0\\] is past one"):
        _call_objective(address, np.array([2.0]), np.zeros(0))


def test_an_exception_in_a_numba_objective_stops_a_fused_run_with_its_partial_result():
    problem = ss.Problem(ss.Real(-3.0, 3.0, dim=1), objective=_raises_past_one)
    with pytest.raises(ValueError, match="past one") as caught:
        ss.RandomSearch(batch_size=1).run(problem, 1000, rng=3)
    # What the run found before the point that raised is kept.
    partial = caught.value.partial_result
    assert partial.nfev < 1000
    assert partial.nfev == 0 or partial.fun <= 1.0


def test_a_function_of_the_wrong_signature_is_refused_with_the_signature():
    @ss.jit
    def vector_valued(x, data):
        return x * 2.0

    with pytest.raises(TypeError, match="returns an array where a scalar is needed"):
        function_address(vector_valued, "objective", "real")
    with pytest.raises(TypeError, match="must be a numba.njit function"):
        function_address(lambda x, data: 0.0, "objective", "real")
