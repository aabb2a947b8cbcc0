import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from numba import njit

import stochsearch as ss
from stochsearch._kernels import moves
from stochsearch._kernels.addresses import generator_from_handle
from stochsearch._rng import generator_handle
from stochsearch.operators import CauchyStep, GaussianStep, resolve_neighborhood
from tests.reference import local_search as ref


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
       st.floats(-100, 100), st.floats(1e-6, 100))
@settings(max_examples=300, deadline=None)
def test_reflection_lands_in_the_box_and_matches_the_reference(value, lower, width):
    upper = lower + width
    got = moves.reflect(value, lower, upper)
    assert lower <= got <= upper
    assert got == ref.reflect(value, lower, upper)
    if lower <= value <= upper:
        assert got == value


@njit
def _propose(propose_kernel, x, params, handle):
    y = x.copy()
    move = np.zeros(moves.MOVE_HEADER + x.size, np.int64)
    propose_kernel(x, y, move, params, generator_from_handle(handle))
    return y, move


@pytest.mark.parametrize("step", [GaussianStep(), GaussianStep(scale=0.5, coords=3),
                                  CauchyStep(coords=1), CauchyStep(scale=2.0)])
def test_real_steps_match_the_reference_and_record_their_moves(step):
    space = ss.Real(np.arange(6) - 3.0, np.arange(6) + 1.0)
    rng = np.random.default_rng(4)
    for _ in range(50):
        x = space.sample(rng, 1)[0]
        y, move = _propose(step.propose, x, step.pack(space),
                           generator_handle(np.random.default_rng(9)))
        expected, changed = ref.real_step(x, step.scale, step.coords, space.lower, space.width,
                                          np.random.default_rng(9),
                                          "gaussian" if isinstance(step, GaussianStep) else "cauchy")
        np.testing.assert_array_equal(y, expected)
        assert space.contains(y[None])[0]
        listed = list(range(6)) if move[moves.COUNT] == moves.RANGE else \
            sorted(move[moves.MOVE_HEADER:moves.MOVE_HEADER + move[moves.COUNT]])
        assert listed == changed
        unchanged = np.setdiff1d(np.arange(6), changed)
        np.testing.assert_array_equal(y[unchanged], x[unchanged])


def test_neighbourhoods_are_checked_against_the_space():
    with pytest.raises(ValueError, match="works on real spaces, not on Binary"):
        resolve_neighborhood("gaussian", ss.Binary(4))
    with pytest.raises(ValueError, match="unknown neighbourhood 'gauss'"):
        resolve_neighborhood("gauss", ss.Real(0, 1, dim=2))
    with pytest.raises(TypeError, match="move must be a neighbourhood name"):
        resolve_neighborhood(3, ss.Real(0, 1, dim=2))
    with pytest.raises(ValueError, match="scale must be a positive number"):
        GaussianStep(scale=0)
    with pytest.raises(ValueError, match="coords must be a positive integer"):
        CauchyStep(coords=0)
