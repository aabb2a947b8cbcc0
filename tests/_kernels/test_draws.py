"""The cheap draws of ``_kernels.draws``: ``uniform01`` and ``bits53`` are numpy's
``rng.random()`` stream for the bit generators that build doubles from the top 53 bits of a
word, and ``next_index`` gives every index of ``0 .. n-1`` with the same probability, in range,
as the reference ``IndexStream`` draws them."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import stochsearch as ss
from stochsearch._kernels import draws
from stochsearch._kernels.addresses import generator_from_handle
from stochsearch._rng import generator_handle
from tests.reference.genetic import IndexStream

BIT_GENERATORS = [np.random.PCG64, np.random.PCG64DXSM, np.random.Philox, np.random.SFC64]


@ss.jit
def _uniforms(handle, count):
    rng = generator_from_handle(handle)
    out = np.empty(count)
    bits = np.empty(count, np.uint64)
    for i in range(count):
        out[i] = draws.uniform01(rng)
        bits[i] = draws.bits53(rng)
    return out, bits


@ss.jit
def _indices(handle, n, count):
    rng = generator_from_handle(handle)
    out = np.empty(count, np.int64)
    reject_below = draws.index_threshold(n)
    bits = np.uint64(0)
    left = 0
    for i in range(count):
        out[i], bits, left = draws.next_index(n, reject_below, bits, left, rng)
    return out


@pytest.mark.parametrize("bit_generator", BIT_GENERATORS, ids=lambda b: b.__name__)
def test_uniform01_and_bits53_are_numpys_random_stream(bit_generator):
    rng = np.random.Generator(bit_generator(5))
    got, bits = _uniforms(generator_handle(rng), 500)
    reference = np.random.Generator(bit_generator(5))
    expected = np.array([(reference.random(), reference.random()) for _ in range(500)])
    np.testing.assert_array_equal(got, expected[:, 0])
    np.testing.assert_array_equal(bits, (expected[:, 1] * 2.0**53).astype(np.uint64))
    # the Generator advanced by the words drawn inside
    assert rng.random() == reference.random()


@pytest.mark.parametrize("n", [1, 2, 3, 7, 100, 2**20 + 1, 2**21])
def test_next_index_matches_the_reference_and_stays_in_range(n):
    got = _indices(generator_handle(np.random.default_rng(n)), n, 3001)
    draw = IndexStream(n, np.random.default_rng(n))
    assert got.tolist() == [draw() for _ in range(3001)]
    assert got.min() >= 0 and got.max() < n


def test_next_index_takes_three_indices_a_word():
    rng = np.random.default_rng(3)
    _indices(generator_handle(rng), 100, 300)  # no rejection in 300 chunks here
    reference = np.random.default_rng(3)
    reference.bit_generator.advance(100)
    assert rng.bit_generator.random_raw() == reference.bit_generator.random_raw()


@pytest.mark.parametrize("n", [3, 7, 100, 2**20 + 1])
def test_next_index_is_uniform(n):
    """Chi-square over 200,000 draws (and over 64 bins of the index for large ``n``); with
    n = 2**20 + 1 half of the chunks are rejected, so the rejection is what keeps it uniform."""
    got = _indices(generator_handle(np.random.default_rng(11)), n, 200_000)
    bins = min(n, 64)
    counts = np.bincount(got * bins // n, minlength=bins)
    expected = np.array([len(range(-(-b * n // bins), -(-(b + 1) * n // bins)))
                         for b in range(bins)]) * 200_000 / n
    assert counts.sum() == 200_000
    assert stats.chisquare(counts, expected).pvalue > 1e-3


def test_next_index_without_rejection_would_be_biased():
    """n = 2**20 + 1 spreads the 2**21 chunks over n indices, most indices getting two chunks
    and one getting one: after the rejection of remainders below ``2**21 mod n`` every index
    keeps exactly one."""
    n = 2**20 + 1
    assert int(draws.index_threshold(n)) == 2**21 % n == 2**20 - 1
    chunks = np.arange(2**21, dtype=np.uint64)
    product = chunks * np.uint64(n)
    kept = product[(product & np.uint64(2**21 - 1)) >= np.uint64(2**21 % n)] >> np.uint64(21)
    assert np.all(np.bincount(kept.astype(np.int64), minlength=n) == 1)
