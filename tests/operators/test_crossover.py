"""Crossover kernels against the references of tests/reference/genetic.py, the validity of
their children (hypothesis: permutations stay permutations, bits stay bits, Real children stay
in the box), and the refusal of a crossover that does not fit the space."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stochsearch as ss
from stochsearch.operators import (Blend, OnePoint, Order, PartiallyMapped, SimulatedBinary,
                                   TwoPoint, Uniform)
from stochsearch.operators.crossover import resolve_crossover
from tests import kernel_calls
from tests.reference import genetic as ref

REAL = ss.Real(np.arange(7) - 3.0, np.arange(7) * 2.0 + 1.0)
BINARY, PERMUTATION = ss.Binary(70), ss.Permutation(9)
CASES = [
    (OnePoint(), ref.one_point, [REAL, BINARY]),
    (TwoPoint(), ref.two_point, [REAL, BINARY]),
    (Uniform(), ref.uniform, [REAL, BINARY]),
    (Blend(), ref.blend(0.5, REAL.lower, REAL.upper), [REAL]),
    (Blend(alpha=0.0), ref.blend(0.0, REAL.lower, REAL.upper), [REAL]),
    (SimulatedBinary(), ref.simulated_binary(15.0, REAL.lower, REAL.upper), [REAL]),
    (SimulatedBinary(eta=2.0), ref.simulated_binary(2.0, REAL.lower, REAL.upper), [REAL]),
    (Order(), ref.order, [PERMUTATION]),
    (PartiallyMapped(), ref.partially_mapped, [PERMUTATION]),
]
PARAMS = [pytest.param(op, reference, space, id=f"{op!r}-{space!r}")
          for op, reference, spaces in CASES for space in spaces]


@pytest.mark.parametrize("operator,reference,space", PARAMS)
def test_crossover_matches_the_reference(operator, reference, space):
    rng = np.random.default_rng(0)
    for seed in range(30):
        a, b = space.sample(rng, 2)
        if seed == 0:
            b = a.copy()  # identical parents: the children are copies
        c, d = kernel_calls.crossover(operator, space, a, b, np.random.default_rng(seed))
        expected_c, expected_d = reference(a, b, np.random.default_rng(seed))
        np.testing.assert_array_equal(c, expected_c)
        np.testing.assert_array_equal(d, expected_d)
        assert np.all(space.contains(np.stack([c, d])))
        if seed == 0:
            np.testing.assert_array_equal(c, a)
            np.testing.assert_array_equal(d, a)


@pytest.mark.parametrize("n", [1, 2, 7, 8, 9, 16, 52, 53, 54, 63, 64, 65, 100, 106, 107, 1000])
@pytest.mark.parametrize("operator, reference", [(Uniform(), ref.uniform),
                                                 (OnePoint(), ref.one_point),
                                                 (TwoPoint(), ref.two_point)], ids=repr)
def test_crossover_of_bitstrings_word_by_word_matches_the_reference(n, operator, reference):
    # Bitstrings go 8 genes a word: the same genes from the same parents as gene by gene,
    # across the 53-bit boundaries of uniform's draws, segments ending inside a word, and the
    # genes after the last full word.
    space = ss.Binary(n)
    for seed in range(20):
        a, b = space.sample(np.random.default_rng(100 + seed), 2)
        c, d = kernel_calls.crossover(operator, space, a, b, np.random.default_rng(seed))
        expected_c, expected_d = reference(a, b, np.random.default_rng(seed))
        np.testing.assert_array_equal(c, expected_c)
        np.testing.assert_array_equal(d, expected_d)


def test_uniform_crossover_takes_each_gene_from_either_parent_with_probability_half():
    n, trials = 100, 2000
    space = ss.Binary(n)
    a, b = np.zeros(n, np.int8), np.ones(n, np.int8)
    rng = np.random.default_rng(9)
    from_b = np.array([kernel_calls.crossover(Uniform(), space, a, b, rng)[0]
                       for _ in range(trials)])
    # c takes b's gene where d takes a's: complementary children
    assert from_b.mean() == pytest.approx(0.5, abs=4 * np.sqrt(0.25 / from_b.size))
    assert abs(from_b.mean(axis=0) - 0.5).max() < 5 * np.sqrt(0.25 / trials)
    genes = from_b.reshape(trials, n).astype(float)
    assert abs(np.corrcoef(genes[:, :-1].ravel(), genes[:, 1:].ravel())[0, 1]) < \
        5 / np.sqrt(genes.size)


@pytest.mark.parametrize("n", [2, 3, 30, 1000])
@pytest.mark.parametrize("eta", [15.0, 3.0, 0.0, 20.0])
def test_sbx_matches_the_reference_in_every_pass_layout(n, eta):
    # eta + 1 a power of two: the vectorized pass, or gene by gene when more than 2/3 of the
    # genes cross (no room in work); other eta: pow, gene by gene. Always the same values.
    space = ss.Real(np.linspace(-5.0, -1.0, n), np.linspace(1.0, 9.0, n))
    for seed in range(10):
        a, b = space.sample(np.random.default_rng(50 + seed), 2)
        c, d = kernel_calls.crossover(SimulatedBinary(eta=eta), space, a, b,
                                      np.random.default_rng(seed))
        # the kernels read the box as lower and width: upper is lower + width to them
        expected_c, expected_d = ref.simulated_binary(
            eta, space.lower, space.lower + space.width)(a, b, np.random.default_rng(seed))
        np.testing.assert_array_equal(c, expected_c)
        np.testing.assert_array_equal(d, expected_d)


def test_sbx_crosses_half_the_genes_and_exchanges_half_of_those():
    n, trials = 1000, 200
    space = ss.Real(-5.0, 5.0, dim=n)
    a, b = np.full(n, -1.0), np.full(n, 1.0)
    rng = np.random.default_rng(3)
    children = [kernel_calls.crossover(SimulatedBinary(), space, a, b, rng)
                for _ in range(trials)]
    c = np.array([child for child, _ in children])
    d = np.array([child for _, child in children])
    crossed = (c != a) | (d != b)
    assert crossed.mean() == pytest.approx(0.5, abs=4 * np.sqrt(0.25 / crossed.size))
    # Symmetric parents: a crossed gene is the lower value in c as often as in d.
    lower_in_c = (c < d)[crossed]
    assert lower_in_c.mean() == pytest.approx(0.5, abs=4 * np.sqrt(0.25 / lower_in_c.size))
    np.testing.assert_allclose((c + d)[crossed], 0.0, atol=1e-12)  # the mean is kept


@pytest.mark.parametrize("operator", [OnePoint(), TwoPoint(), Uniform()], ids=repr)
def test_gene_exchanging_crossovers_keep_every_gene(operator):
    a, b = BINARY.sample(np.random.default_rng(3), 2)
    c, d = kernel_calls.crossover(operator, BINARY, a, b, np.random.default_rng(4))
    np.testing.assert_array_equal(np.sort(np.stack([c, d]), axis=0),
                                  np.sort(np.stack([a, b]), axis=0))


FAMILIES = {"permutation": (ss.Permutation, [Order(), PartiallyMapped()]),
            "binary": (ss.Binary, [OnePoint(), TwoPoint(), Uniform()])}


@given(st.integers(2, 130), st.integers(0, 2**32 - 1), st.sampled_from(sorted(FAMILIES)),
       st.data())
@settings(max_examples=300, deadline=None)
def test_children_are_points_of_the_space(n, seed, family, data):
    """Children of permutations are permutations; children of bitstrings are bitstrings."""
    build, operators = FAMILIES[family]
    space, operator = build(n), data.draw(st.sampled_from(operators))
    a, b = space.sample(np.random.default_rng(seed), 2)
    c, d = kernel_calls.crossover(operator, space, a, b, np.random.default_rng(seed + 1))
    assert np.all(space.contains(np.stack([c, d])))


@given(st.integers(0, 2**32 - 1), st.sampled_from([Blend(alpha=2.0), SimulatedBinary(eta=0.5)]))
@settings(max_examples=100, deadline=None)
def test_real_children_stay_in_the_box(seed, operator):
    a, b = REAL.sample(np.random.default_rng(seed), 2)
    c, d = kernel_calls.crossover(operator, REAL, a, b, np.random.default_rng(seed + 1))
    assert np.all(REAL.contains(np.stack([c, d])))


def test_a_crossover_that_does_not_fit_the_space_is_refused():
    with pytest.raises(ValueError, match=r"the crossover Order\(\) works on permutation spaces, "
                                         r"not on Binary\(70\)"):
        resolve_crossover("ox", BINARY)
    with pytest.raises(ValueError, match=r"the crossover Uniform\(\) works on real, binary and "
                                         r"integer spaces, not on Permutation\(9\)"):
        resolve_crossover(Uniform(), PERMUTATION)
    with pytest.raises(ValueError, match="crossover must be one of 'one_point'.*got 'ox2'"):
        resolve_crossover("ox2", PERMUTATION)
    with pytest.raises(ValueError, match="alpha must be a non-negative number, got -1.0"):
        Blend(alpha=-1)


def test_defaults_by_space():
    assert isinstance(resolve_crossover(None, REAL), SimulatedBinary)
    assert isinstance(resolve_crossover(None, BINARY), TwoPoint)
    assert isinstance(resolve_crossover(None, PERMUTATION), Order)
