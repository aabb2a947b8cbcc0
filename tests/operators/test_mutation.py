"""Mutation kernels against the references of tests/reference/genetic.py, the per-gene rate,
and the validity of mutated points (hypothesis)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stochsearch as ss
from stochsearch.operators import (BitFlip, GaussianMutation, InsertMutation, InversionMutation,
                                   PolynomialMutation, SwapMutation)
from stochsearch.operators.mutation import resolve_mutation
from tests import kernel_calls
from tests.reference import genetic as ref

REAL = ss.Real(np.arange(6) - 3.0, np.arange(6) + 1.0)
BINARY, PERMUTATION = ss.Binary(40), ss.Permutation(12)
CASES = [
    (BitFlip(), BINARY, lambda rate: ref.bit_flip(rate)),
    (GaussianMutation(), REAL, lambda rate: ref.gaussian(rate, 0.1, REAL.lower, REAL.upper)),
    (GaussianMutation(sigma=3.0), REAL,
     lambda rate: ref.gaussian(rate, 3.0, REAL.lower, REAL.upper)),
    (PolynomialMutation(), REAL, lambda rate: ref.polynomial(rate, 20.0, REAL.lower,
                                                             REAL.upper)),
    (PolynomialMutation(eta=1.0), REAL, lambda rate: ref.polynomial(rate, 1.0, REAL.lower,
                                                                    REAL.upper)),
    (SwapMutation(), PERMUTATION, ref.swap_mutation),
    (InsertMutation(), PERMUTATION, ref.insert_mutation),
    (InversionMutation(), PERMUTATION, ref.inversion_mutation),
]


@pytest.mark.parametrize("rate", [None, 0.0, 0.3, 1.0])
@pytest.mark.parametrize("operator,space,reference", CASES, ids=lambda v: repr(v))
def test_mutation_matches_the_reference(operator, space, reference, rate):
    mutate = reference(1.0 / space.dim if rate is None else rate)
    rng = np.random.default_rng(0)
    for seed in range(30):
        x = space.sample(rng, 1)[0]
        y = kernel_calls.mutate(operator, space, x, np.random.default_rng(seed), rate)
        np.testing.assert_array_equal(y, mutate(x, np.random.default_rng(seed)))
        assert space.contains(y[None])[0]
        if rate == 0.0:
            np.testing.assert_array_equal(y, x)


@pytest.mark.parametrize("n, rate", [(100, 0.01), (100, 0.05), (30, 0.2), (7, 0.5)])
def test_bit_flips_per_child_are_binomial(n, rate):
    """Geometric gaps between flipped bits: the flips of a child are Binomial(n, rate)
    (chi-square at a fixed seed) and every position is as likely to flip."""
    from scipy import stats
    children = 5000
    rng = np.random.default_rng(5)
    flips = np.array([kernel_calls.mutate(BitFlip(), ss.Binary(n), np.zeros(n, np.int8), rng,
                                          rate) for _ in range(children)], dtype=float)
    counts = flips.sum(axis=1)
    expected = stats.binom(n, rate)
    top = int(expected.ppf(0.999))
    observed = np.bincount(np.minimum(counts, top).astype(int), minlength=top + 1)
    probabilities = np.append(expected.pmf(np.arange(top)), expected.sf(top - 1))
    assert stats.chisquare(observed, probabilities * children).pvalue > 1e-3
    assert abs(flips.mean(axis=0) - rate).max() < 5 * np.sqrt(rate * (1 - rate) / children)


@pytest.mark.parametrize("rate", [0.001, 0.05, 0.5, 0.97])
def test_bit_flips_follow_the_rate(rate):
    """Each bit flips independently with probability ``rate`` (geometric gaps)."""
    space = ss.Binary(200)
    x = np.zeros(200, np.int8)
    flips = np.array([kernel_calls.mutate(BitFlip(), space, x, np.random.default_rng(s), rate)
                      for s in range(400)])
    assert abs(flips.mean() - rate) < 4 * np.sqrt(rate * (1 - rate) / flips.size)
    assert abs(flips.mean(axis=0) - rate).max() < 6 * np.sqrt(rate * (1 - rate) / 400) + 0.01


@given(st.integers(2, 40), st.integers(0, 2**32 - 1), st.floats(0.0, 1.0),
       st.sampled_from([SwapMutation(), InsertMutation(), InversionMutation()]))
@settings(max_examples=200, deadline=None)
def test_mutated_permutations_are_permutations(n, seed, rate, operator):
    space = ss.Permutation(n)
    x = space.sample(np.random.default_rng(seed), 1)[0]
    y = kernel_calls.mutate(operator, space, x, np.random.default_rng(seed + 1), rate)
    assert space.contains(y[None])[0]


@given(st.integers(1, 90), st.integers(0, 2**32 - 1), st.floats(0.0, 1.0))
@settings(max_examples=150, deadline=None)
def test_mutated_bitstrings_stay_zero_one(n, seed, rate):
    space = ss.Binary(n)
    x = space.sample(np.random.default_rng(seed), 1)[0]
    y = kernel_calls.mutate(BitFlip(), space, x, np.random.default_rng(seed + 1), rate)
    assert space.contains(y[None])[0]


@given(st.integers(0, 2**32 - 1), st.floats(0.0, 1.0),
       st.sampled_from([GaussianMutation(sigma=5.0), PolynomialMutation(eta=0.0)]))
@settings(max_examples=100, deadline=None)
def test_mutated_real_points_stay_in_the_box(seed, rate, operator):
    x = REAL.sample(np.random.default_rng(seed), 1)[0]
    y = kernel_calls.mutate(operator, REAL, x, np.random.default_rng(seed + 1), rate)
    assert REAL.contains(y[None])[0]


def test_mutations_are_checked_against_the_space():
    with pytest.raises(ValueError, match=r"the mutation BitFlip\(\) works on binary spaces, "
                                         r"not on Permutation\(12\)"):
        resolve_mutation("bitflip", PERMUTATION)
    with pytest.raises(ValueError, match="sigma must be a positive number, got 0.0"):
        GaussianMutation(sigma=0)
    assert isinstance(resolve_mutation(None, PERMUTATION), InversionMutation)
