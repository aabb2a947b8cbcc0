"""The discrete neighbourhoods (bit flips; swap, insertion, 2-opt) against the references of
tests/reference/discrete.py, and their move records: exactly the positions that changed."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stochsearch as ss
from stochsearch._kernels import moves
from stochsearch.operators import Flip, Insert, Swap, TwoOpt, resolve_neighborhood
from tests import kernel_calls
from tests.reference import discrete as ref

STEPS = [
    (Swap(), ref.swap_step, moves.SWAP),
    (Insert(), ref.insert_step, moves.INSERT),
    (TwoOpt(), ref.two_opt_step, moves.REVERSE),
]


def listed(move, n):
    if move[moves.COUNT] == moves.RANGE:
        return list(range(move[moves.LO], move[moves.HI]))
    return sorted(move[moves.MOVE_HEADER:moves.MOVE_HEADER + move[moves.COUNT]])


def check_record(x, y, move):
    """The record lists every changed position (and a range move, only positions in it)."""
    changed = set(np.flatnonzero(x != y))
    assert changed <= set(listed(move, len(x)))
    restored = x.copy()
    moves.apply_move(y, restored, move)
    np.testing.assert_array_equal(restored, y)   # accept: copy the listed positions
    moves.apply_move(x, restored, move)
    np.testing.assert_array_equal(restored, x)   # reject: copy them back


@pytest.mark.parametrize("k", [1, 2, 5, 9, 40])
def test_flips_match_the_reference(k):
    space = ss.Binary(9)
    rng = np.random.default_rng(k)
    for seed in range(40):
        x = space.sample(rng, 1)[0]
        y, move = kernel_calls.propose(Flip(k), space, x, np.random.default_rng(seed))
        expected, changed = ref.flip(x, k, np.random.default_rng(seed))
        np.testing.assert_array_equal(y, expected)
        assert listed(move, 9) == changed and move[moves.KIND] == moves.FLIP
        check_record(x, y, move)


@pytest.mark.parametrize("step,reference,kind", STEPS, ids=lambda v: type(v).__name__)
def test_permutation_steps_match_the_reference(step, reference, kind):
    space = ss.Permutation(7)
    rng = np.random.default_rng(1)
    for seed in range(60):
        x = space.sample(rng, 1)[0]
        y, move = kernel_calls.propose(step, space, x, np.random.default_rng(seed))
        expected, changed = reference(x, np.random.default_rng(seed))
        np.testing.assert_array_equal(y, expected)
        assert listed(move, 7) == changed and move[moves.KIND] == kind
        check_record(x, y, move)


def test_records_name_the_ends_of_their_moves():
    x = np.arange(10)
    y, move = kernel_calls.propose(Insert(), ss.Permutation(10), x, np.random.default_rng(3))
    i, j = move[moves.MOVE_HEADER], move[moves.MOVE_HEADER + 1]  # from, to
    assert y[j] == x[i] and (move[moves.LO], move[moves.HI]) == (min(i, j), max(i, j) + 1)
    y, move = kernel_calls.propose(Swap(), ss.Permutation(10), x, np.random.default_rng(3))
    assert move[moves.LO] < move[moves.HI] and y[move[moves.LO]] == x[move[moves.HI]]


@given(st.integers(2, 30), st.integers(0, 2**32 - 1), st.sampled_from(STEPS))
@settings(max_examples=150, deadline=None)
def test_every_neighbour_of_a_permutation_is_a_permutation(n, seed, case):
    step = case[0]
    space = ss.Permutation(n)
    x = space.sample(np.random.default_rng(seed), 1)[0]
    y, move = kernel_calls.propose(step, space, x, np.random.default_rng(seed + 1))
    assert space.contains(y[None])[0] and not np.array_equal(x, y)
    check_record(x, y, move)


@given(st.integers(1, 40), st.integers(1, 50), st.integers(0, 2**32 - 1))
@settings(max_examples=100, deadline=None)
def test_flipped_bitstrings_stay_zero_one(n, k, seed):
    space = ss.Binary(n)
    x = space.sample(np.random.default_rng(seed), 1)[0]
    y, move = kernel_calls.propose(Flip(k), space, x, np.random.default_rng(seed + 1))
    assert set(np.unique(y)) <= {0, 1} and np.sum(x != y) == min(k, n)
    check_record(x, y, move)


def test_discrete_neighbourhoods_are_registered_and_checked():
    assert {"flip", "swap", "insert", "2opt"} <= set(ss.NEIGHBORHOODS.names())
    assert isinstance(resolve_neighborhood(None, ss.Binary(5)), Flip)
    assert isinstance(resolve_neighborhood(None, ss.Permutation(5)), Swap)
    with pytest.raises(ValueError, match=r"works on permutation spaces, not on Binary\(5\)"):
        resolve_neighborhood("2opt", ss.Binary(5))
    with pytest.raises(ValueError, match="k must be a positive integer, got 0"):
        Flip(k=0)
