"""The discrete neighbourhoods (bit flips; swap, insertion, 2-opt) against the references of
tests/reference/discrete.py, and their move records: exactly the positions that changed."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stochsearch as ss
from stochsearch._kernels import moves
from stochsearch.operators import (BitMutation, FastBitMutation, Flip, Insert, Swap,
                                   TwoOpt, resolve_neighborhood)
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


# --- standard bit mutation and its heavy-tailed variant ----------------------------------------
MUTATIONS = [BitMutation(), BitMutation(rate=0.01), BitMutation(rate=0.3), BitMutation(rate=0.8),
             BitMutation(rate=1.0), FastBitMutation(), FastBitMutation(beta=3.0)]


def _reference_mutation(step, x, rng):
    params = step.pack(ss.Binary(len(x)))
    if isinstance(step, BitMutation):
        return ref.bit_mutation(x, params, rng)
    return ref.fast_bit_mutation(x, params, rng)


@pytest.mark.parametrize("n", [1, 2, 9, 40])
@pytest.mark.parametrize("step", MUTATIONS, ids=repr)
def test_bit_mutations_match_the_reference(step, n):
    space = ss.Binary(n)
    x = space.sample(np.random.default_rng(n), 1)[0]
    mine, theirs = np.random.default_rng(7), np.random.default_rng(7)
    for _ in range(60):   # one Generator each, so the draws of successive moves stay in step
        y, move = kernel_calls.propose(step, space, x, mine)
        expected, chosen = _reference_mutation(step, x, theirs)
        np.testing.assert_array_equal(y, expected)
        assert move[moves.KIND] == moves.FLIP and move[moves.COUNT] == len(chosen) >= 1
        assert list(move[moves.MOVE_HEADER:moves.MOVE_HEADER + len(chosen)]) == chosen
        assert sorted(chosen) == list(np.flatnonzero(x != y))    # exactly the flipped bits
        check_record(x, y, move)
        x = y


def _flip_counts(step, n, draws, seed):
    space = ss.Binary(n)
    x = np.zeros(n, np.int8)
    rng = np.random.default_rng(seed)
    return np.array([kernel_calls.propose(step, space, x, rng)[1][moves.COUNT]
                     for _ in range(draws)])


def _conditioned_binomial_pmf(n, rate):
    pmf = np.array([math.comb(n, k) * rate ** k * (1 - rate) ** (n - k)
                    for k in range(n + 1)])
    pmf[0] = 0.0
    return pmf / pmf.sum()


def _total_variation(counts, pmf):
    observed = np.bincount(counts, minlength=pmf.size) / counts.size
    return 0.5 * np.abs(observed - pmf).sum()


@pytest.mark.parametrize("n,rate", [(50, None), (50, 0.004), (30, 0.1), (12, 0.7), (100, 0.2)])
def test_the_number_of_flips_follows_the_conditioned_binomial(n, rate):
    """20,000 moves at a fixed seed: the total variation distance to Bin(n, rate) given at
    least one flip is within sampling noise (about 0.01 here; a missing conditioning or a
    rate off by 20% gives 0.05 or more)."""
    pmf = _conditioned_binomial_pmf(n, 1 / n if rate is None else rate)
    counts = _flip_counts(BitMutation(rate), n, 20_000, 3)
    assert counts.min() >= 1 and _total_variation(counts, pmf) < 0.02
    assert abs(counts.mean() - pmf @ np.arange(n + 1)) < 4 * np.sqrt(
        (pmf @ np.arange(n + 1) ** 2 - (pmf @ np.arange(n + 1)) ** 2) / counts.size)


@pytest.mark.parametrize("n,beta", [(100, 1.5), (40, 3.0)])
def test_the_fast_mutation_draws_its_rate_from_the_power_law(n, beta):
    """The count is the mixture over alpha ~ alpha^-beta (1 .. n/2) of Bin(n, alpha/n) given
    at least one flip; heavy tails: jumps of 10 bits or more are far more frequent than under
    standard bit mutation (where they have probability ~1e-7)."""
    half = n // 2
    weights = np.arange(1, half + 1, dtype=float) ** -beta
    weights /= weights.sum()
    pmf = sum(w * _conditioned_binomial_pmf(n, a / n) for a, w in zip(range(1, half + 1),
                                                                       weights))
    counts = _flip_counts(FastBitMutation(beta), n, 20_000, 5)
    assert counts.min() >= 1 and _total_variation(counts, pmf) < 0.02
    tail = pmf[10:].sum()
    assert abs(np.mean(counts >= 10) - tail) < 4 * np.sqrt(tail * (1 - tail) / counts.size)


@pytest.mark.parametrize("n,rate", [(1, 0.5), (1, 1.0), (7, 1.0), (10, 0.99), (50, 0.02),
                                    (1000, 0.01), (40, 0.3)])
def test_packed_parameters_are_the_exact_probabilities(n, rate):
    """P(k = 1 | k >= 1), where the inversion starts, and the power law's distribution."""
    first = BitMutation(rate).pack(ss.Binary(n))[2]
    exact = n * rate * (1 - rate) ** (n - 1) / (1 - (1 - rate) ** n)
    assert first == pytest.approx(exact, rel=1e-12, abs=1e-300)
    params = FastBitMutation(2.0).pack(ss.Binary(n))
    half = max(1, n // 2)
    weights = np.arange(1, half + 1, dtype=float) ** -2.0
    np.testing.assert_allclose(params[3:3 + half], np.cumsum(weights) / weights.sum(),
                               rtol=1e-14)
    assert params[3 + half - 1] == 1.0 and params.size == 3 + half + min(half, 10)


def test_bit_mutations_are_registered_and_checked():
    assert isinstance(resolve_neighborhood("bitmutation", ss.Binary(5)), BitMutation)
    assert isinstance(resolve_neighborhood("fastbitmutation", ss.Binary(5)), FastBitMutation)
    with pytest.raises(ValueError, match=r"works on binary spaces, not on Permutation\(5\)"):
        resolve_neighborhood("bitmutation", ss.Permutation(5))
    with pytest.raises(ValueError, match=r"rate must be a finite number > 0.0 and <= 1.0, got 0.0"):
        BitMutation(rate=0)
    with pytest.raises(ValueError, match=r"beta must be a finite number > 1.0, got 1"):
        FastBitMutation(beta=1)
    np.testing.assert_array_equal(BitMutation().pack(ss.Binary(8))[:2], [0.0, 0.125])
