import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from numba import njit

import stochsearch as ss
from stochsearch._kernels import moves
from stochsearch._kernels.addresses import generator_from_handle
from stochsearch._rng import generator_handle
from stochsearch.operators import CauchyStep, GaussianStep, resolve_neighborhood
from tests import kernel_calls
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


# --- the covariance step ----------------------------------------------------------------------
def test_covariance_steps_stay_in_the_box_and_change_every_coordinate():
    from stochsearch.operators import CovarianceStep
    space = ss.Real(-1.0, 2.0, dim=4)
    rng = np.random.default_rng(3)
    for scale in (0.05, 5.0):                      # large steps are clipped, not reflected
        x = space.sample(rng, 1)[0]
        for _ in range(50):
            y, move = kernel_calls.propose(CovarianceStep(scale=scale), space, x, rng)
            assert np.all((y >= -1.0) & (y <= 2.0))
            assert move[1] == -1 and (move[2], move[3]) == (0, 4)   # RANGE over every coordinate
    assert np.any((y == -1.0) | (y == 2.0))


def test_the_rank_one_update_is_the_cholesky_factor_of_the_updated_covariance():
    from stochsearch._kernels.real_steps import _rank_one_update
    from tests.reference.local_search import CovarianceStepper
    rng = np.random.default_rng(0)
    n, c = 5, 0.1
    a = np.tril(rng.normal(size=(n, n))) + 3 * np.eye(n)
    z = rng.normal(size=n)
    az = a @ z
    updated = a.ravel().copy()
    _rank_one_update(updated, z, az, n, c)
    updated = updated.reshape(n, n)
    expected = (1 - c) * a @ a.T + c * np.outer(az, az)
    np.testing.assert_allclose(updated @ updated.T, expected, rtol=1e-12, atol=1e-12)
    assert CovarianceStepper(n).c == 2.0 / (n * n + 6.0)


def test_learned_steps_follow_a_rotated_valley_that_isotropic_steps_crawl_along():
    from stochsearch.problems import Ellipsoid
    problem = Ellipsoid(8, shift=True, rotate=True, seed=2)
    learned = ss.RandomRestartHillClimbing(move="cma").run(problem, 16_000, rng=1)
    isotropic = ss.RandomRestartHillClimbing(move="gaussian").run(problem, 16_000, rng=1)
    assert learned.fun - problem.f_opt < 1e-6 < isotropic.fun - problem.f_opt


def test_axis_moves_change_one_coordinate_and_leave_the_shape_alone():
    from stochsearch.operators import CovarianceStep
    space = ss.Real(-1.0, 1.0, dim=5)
    rng = np.random.default_rng(4)
    x = space.sample(rng, 1)[0]
    for _ in range(30):
        y, move = kernel_calls.propose(CovarianceStep(axis=1.0), space, x, rng)
        changed = np.flatnonzero(y != x)
        assert move[1] == 1 and set(changed) <= {move[4]}
    with pytest.raises(ValueError, match="axis must be"):
        CovarianceStep(axis=1.5)
