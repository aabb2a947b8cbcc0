"""Integer operators: the neighbourhood moves (+-k steps, random resets) and the integer
mutation against their references (tests/reference/integer.py), their validity on every box
(hypothesis), and the operators and defaults each optimizer picks on Integer spaces."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stochsearch as ss
from stochsearch._kernels import moves
from stochsearch.operators import (IntegerMutation, IntegerStep, OnePoint, PlusMinusOne,
                                   RandomReset, ResetMutation, RoundedSBX, TwoPoint, Uniform,
                                   resolve_neighborhood)
from stochsearch.operators.crossover import resolve_crossover
from stochsearch.operators.mutation import resolve_mutation
from tests import kernel_calls
from tests.reference import integer as ref

SPACE = ss.Integer([-3, 0, 5, -10, 2, 0], [3, 1, 5, 10, 9, 100])   # coordinate 2 is fixed


def _changed(move, n):
    if move[moves.COUNT] == moves.RANGE:
        return list(range(move[moves.LO], move[moves.HI]))
    return sorted(move[moves.MOVE_HEADER:moves.MOVE_HEADER + move[moves.COUNT]])


@pytest.mark.parametrize("step", [IntegerStep(), PlusMinusOne(), RandomReset(),
                                  IntegerStep(reset=0.5, step=3, coords=2),
                                  IntegerStep(step=50, coords=6), RandomReset(coords=4)],
                         ids=repr)
def test_integer_steps_match_the_reference_and_record_their_moves(step):
    rng = np.random.default_rng(4)
    for seed in range(60):
        x = SPACE.sample(rng, 1)[0]
        y, move = kernel_calls.propose(step, SPACE, x, np.random.default_rng(seed))
        expected, changed = ref.integer_step(x, step.reset, step.step, step.coords,
                                             SPACE.lower, SPACE.upper,
                                             np.random.default_rng(seed))
        assert y.dtype == np.int64
        np.testing.assert_array_equal(y, expected)
        assert move[moves.KIND] == moves.INTEGER_STEP
        assert _changed(move, SPACE.dim) == changed
        unchanged = np.setdiff1d(np.arange(SPACE.dim), changed)
        np.testing.assert_array_equal(y[unchanged], x[unchanged])


def test_plus_minus_one_moves_one_coordinate_by_one_and_reflects_at_the_bounds():
    space = ss.Integer(0, 4, dim=3)
    rng = np.random.default_rng(0)
    seen = set()
    for corner in ([0, 0, 0], [4, 4, 4], [0, 4, 2]):
        x = np.array(corner, dtype=np.int64)
        for _ in range(200):
            y, _ = kernel_calls.propose(PlusMinusOne(), space, x, rng)
            diff = y - x
            assert np.count_nonzero(diff) == 1 and np.abs(diff).sum() == 1
            assert space.contains(y[None])[0]
            seen.add(tuple(y - x))
    assert len(seen) == 6          # +-1 on each of the three coordinates


def test_random_reset_draws_every_other_value_uniformly():
    from scipy import stats
    space = ss.Integer(0, 9, dim=1)
    x = np.array([3], dtype=np.int64)
    rng = np.random.default_rng(1)
    values = [int(kernel_calls.propose(RandomReset(), space, x, rng)[0][0])
              for _ in range(4000)]
    counts = np.bincount(values, minlength=10)
    assert counts[3] == 0
    assert stats.chisquare(np.delete(counts, 3)).pvalue > 1e-3


@given(st.integers(1, 8), st.integers(-50, 50), st.lists(st.integers(0, 30), min_size=1,
                                                         max_size=8),
       st.floats(0.0, 1.0), st.integers(1, 40), st.integers(1, 8), st.integers(0, 2**32 - 1))
@settings(max_examples=200, deadline=None)
def test_moves_stay_integral_and_in_the_box(dim, low, widths, reset, step, coords, seed):
    widths = (widths * dim)[:dim]
    space = ss.Integer(low, low + np.array(widths))
    x = space.sample(np.random.default_rng(seed), 1)[0]
    y, move = kernel_calls.propose(IntegerStep(reset, step, coords), space, x,
                                   np.random.default_rng(seed + 1))
    assert y.dtype == np.int64 and space.contains(y[None])[0]
    changed = _changed(move, dim)
    # Every listed coordinate that can move does move (reflection never stands still).
    for i in changed:
        assert (y[i] != x[i]) == (widths[i] > 0)


MUTATIONS = [IntegerMutation(), IntegerMutation(sigma=0.0, reset=0.0),
             IntegerMutation(sigma=2.0, reset=0.5), ResetMutation()]


@pytest.mark.parametrize("rate", [None, 0.0, 0.3, 1.0])
@pytest.mark.parametrize("operator", MUTATIONS, ids=repr)
def test_integer_mutation_matches_the_reference(operator, rate):
    rate = 1.0 / SPACE.dim if rate is None else rate
    mutate = ref.integer_mutation(rate, operator.sigma, operator.reset, SPACE.lower,
                                  SPACE.upper)
    rng = np.random.default_rng(0)
    for seed in range(40):
        x = SPACE.sample(rng, 1)[0]
        y = kernel_calls.mutate(operator, SPACE, x, np.random.default_rng(seed), rate)
        np.testing.assert_array_equal(y, mutate(x, np.random.default_rng(seed)))
        assert SPACE.contains(y[None])[0]
        if rate == 0.0:
            np.testing.assert_array_equal(y, x)


@given(st.integers(1, 12), st.integers(-1000, 1000), st.integers(0, 200),
       st.floats(0.0, 1.0), st.floats(0.0, 5.0), st.floats(0.0, 1.0), st.integers(0, 2**32 - 1))
@settings(max_examples=200, deadline=None)
def test_mutated_integer_points_stay_integral_and_in_the_box(dim, low, width, rate, sigma,
                                                              reset, seed):
    space = ss.Integer(low, low + width, dim=dim)
    x = space.sample(np.random.default_rng(seed), 1)[0]
    y = kernel_calls.mutate(IntegerMutation(sigma, reset), space, x,
                            np.random.default_rng(seed + 1), rate)
    assert y.dtype == np.int64 and space.contains(y[None])[0]
    if rate == 1.0 and width > 0:
        assert np.all(y != x)       # a mutating gene always changes (at least one step)


@pytest.mark.parametrize("operator", [OnePoint(), TwoPoint(), Uniform()], ids=repr)
def test_crossovers_exchange_integer_genes(operator):
    rng = np.random.default_rng(3)
    for seed in range(30):
        a, b = SPACE.sample(rng, 2)
        c, d = kernel_calls.crossover(operator, SPACE, a, b, np.random.default_rng(seed))
        assert c.dtype == np.int64
        # Each position of the children holds the parents' two genes, one each.
        np.testing.assert_array_equal(np.sort([c, d], axis=0), np.sort([a, b], axis=0))


@pytest.mark.parametrize("eta", [15.0, 2.0, 0.0])
def test_rounded_sbx_matches_the_reference(eta):
    operator = RoundedSBX(eta)
    reference = ref.rounded_sbx(eta, SPACE.lower, SPACE.upper)
    rng = np.random.default_rng(5)
    crossed = 0
    for seed in range(60):
        a, b = SPACE.sample(rng, 2)
        c, d = kernel_calls.crossover(operator, SPACE, a, b, np.random.default_rng(seed))
        rc, rd = reference(a, b, np.random.default_rng(seed))
        np.testing.assert_array_equal(c, rc)
        np.testing.assert_array_equal(d, rd)
        assert c.dtype == np.int64 and SPACE.contains(np.array([c, d])).all()
        crossed += int(np.any((c != a) & (c != b)))
    assert crossed > 10                      # children also take values between and beyond


@given(st.integers(1, 10), st.integers(-100, 100), st.integers(0, 50), st.floats(0.0, 30.0),
       st.integers(0, 2**32 - 1))
@settings(max_examples=150, deadline=None)
def test_rounded_sbx_children_are_integral_and_in_the_box(dim, low, width, eta, seed):
    space = ss.Integer(low, low + width, dim=dim)
    a, b = space.sample(np.random.default_rng(seed), 2)
    c, d = kernel_calls.crossover(RoundedSBX(eta), space, a, b, np.random.default_rng(seed + 1))
    assert space.contains(np.array([c, d])).all()
    same = a == b
    np.testing.assert_array_equal(c[same], a[same])   # equal parents give that gene


def test_defaults_and_refusals_on_integer_spaces():
    assert resolve_neighborhood(None, SPACE) == IntegerStep()
    assert resolve_crossover(None, SPACE) == Uniform()
    assert resolve_mutation(None, SPACE) == IntegerMutation()
    assert repr(PlusMinusOne()) == "PlusMinusOne(coords=1)"
    with pytest.raises(ValueError, match="works on integer spaces, not on Real"):
        resolve_neighborhood("plusminus", ss.Real(0, 1, dim=2))
    with pytest.raises(ValueError, match="works on real spaces, not on Integer"):
        resolve_neighborhood("gaussian", SPACE)
    with pytest.raises(ValueError, match="works on real spaces, not on Integer"):
        resolve_crossover("sbx", SPACE)
    assert resolve_crossover("integer_sbx", SPACE) == RoundedSBX()
    with pytest.raises(ValueError, match="works on integer spaces, not on Real"):
        resolve_crossover("integer_sbx", ss.Real(0, 1, dim=2))
    with pytest.raises(ValueError, match="works on integer spaces, not on Binary"):
        resolve_mutation("integer", ss.Binary(4))
    with pytest.raises(ValueError, match="reset must be"):
        IntegerStep(reset=1.5)
    with pytest.raises(ValueError, match="step must be"):
        IntegerStep(step=0)


def test_real_only_optimizers_refuse_integer_spaces_clearly():
    problem = ss.Problem(SPACE, fun=lambda x: float(np.sum(x ** 2)))
    for optimizer in (ss.CMAES(), ss.SGD()):
        with pytest.raises(ValueError, match="supports real spaces; an Integer space needs"):
            optimizer.run(problem, 100, rng=0)
