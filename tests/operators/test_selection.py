"""Selection kernels against the references of tests/reference/genetic.py (same draws, same
choices), their statistics, and their parameter checks."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import stochsearch as ss
from stochsearch._kernels.selection import argsort_into
from stochsearch.operators import Proportional, Rank, Tournament, Truncation
from stochsearch.operators.selection import resolve_selection
from tests import kernel_calls
from tests.reference import genetic as ref

SPACE = ss.Binary(4)  # selection sees only values; any space will do
CASES = [
    (Tournament(), ref.tournament(3)),
    (Tournament(k=1), ref.tournament(1)),
    (Tournament(k=7), ref.tournament(7)),
    (Rank(), ref.rank(1.5)),
    (Rank(pressure=2.0), ref.rank(2.0)),
    (Proportional(), ref.proportional),
    (Truncation(), ref.truncation(0.5)),
    (Truncation(fraction=0.1), ref.truncation(0.1)),
]
VALUES = {
    "distinct": np.random.default_rng(0).normal(size=13),
    "ties": np.array([3.0, 1.0, 1.0, 2.0, 3.0, 1.0, 0.5, 0.5, 9.0]),
    "infinite": np.array([2.0, np.inf, 1.0, np.inf, 5.0, -3.0, 0.0]),
    "all equal": np.full(8, 4.0),
    "all infinite": np.full(5, np.inf),
}


@pytest.mark.parametrize("values", VALUES.values(), ids=VALUES.keys())
@pytest.mark.parametrize("selection,reference", CASES, ids=lambda v: repr(v))
def test_selection_matches_the_reference(selection, reference, values):
    for seed in range(10):
        got = kernel_calls.select(selection, SPACE, values, 11, np.random.default_rng(seed))
        expected = reference(list(values), 11, np.random.default_rng(seed))
        assert got.tolist() == expected


def test_argsort_is_stable_and_complete():
    rng = np.random.default_rng(1)
    for n in (1, 2, 3, 8, 17, 64, 100):
        f = rng.integers(0, 5, n).astype(float)
        order, tmp = np.zeros(n, np.int64), np.zeros(n, np.int64)
        argsort_into(f, order, tmp)
        np.testing.assert_array_equal(order, np.argsort(f, kind="stable"))


def test_selection_pressure_orders_the_operators():
    """Better members are chosen more often, and harder selections prefer them more."""
    f = np.arange(20.0)
    share_of_best_quarter = {}
    for selection in (Tournament(k=1), Rank(), Proportional(), Tournament(k=5),
                      Truncation(fraction=0.25)):
        chosen = kernel_calls.select(selection, SPACE, f, 20_000, np.random.default_rng(0))
        share_of_best_quarter[repr(selection)] = np.mean(chosen < 5)
    shares = list(share_of_best_quarter.values())
    assert shares == sorted(shares) and abs(shares[0] - 0.25) < 0.02 and shares[-1] == 1.0


def test_proportional_never_picks_the_worst_or_an_infinite_value():
    f = np.array([1.0, 4.0, np.inf, 2.0])
    chosen = kernel_calls.select(Proportional(), SPACE, f, 5000, np.random.default_rng(0))
    assert set(chosen) == {0, 3}
    # weights 3 and 2: member 0 is chosen 60% of the time
    assert abs(np.mean(chosen == 0) - 0.6) < 0.03


def test_parameters_are_checked():
    with pytest.raises(ValueError, match="k must be a positive integer, got 0"):
        Tournament(k=0)
    with pytest.raises(ValueError, match="pressure must be a finite number >= 1.0 and <= 2.0"):
        Rank(pressure=2.5)
    with pytest.raises(ValueError, match="fraction must be"):
        Truncation(fraction=0.0)
    with pytest.raises(ValueError, match="the tournament size k must be at most pop_size"):
        Tournament(k=11).check_population(10)
    with pytest.raises(ValueError, match="selection must be one of 'tournament', 'rank'"):
        resolve_selection("roulette", SPACE)
    with pytest.raises(TypeError, match="selection must be one of"):
        resolve_selection(3, SPACE)


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_tournament_picks_each_rank_with_its_exact_probability(k):
    """With distinct values, the member of rank ``r`` (0 = best) of ``n`` wins a tournament of
    ``k`` drawn with replacement with probability ``((n - r)**k - (n - r - 1)**k) / n**k``:
    chi-square over 200,000 choices (the members are drawn three to a 64-bit word)."""
    n, count = 13, 200_000
    f = np.random.default_rng(k).permutation(n).astype(float)  # f[i] is member i's rank
    chosen = kernel_calls.select(Tournament(k=k), SPACE, f, count, np.random.default_rng(7))
    observed = np.bincount(f[chosen].astype(int), minlength=n)
    r = np.arange(n)
    expected = count * ((n - r) ** k - (n - r - 1.0) ** k) / n ** k
    assert chosen.min() >= 0 and chosen.max() < n
    assert stats.chisquare(observed, expected).pvalue > 1e-3


@pytest.mark.parametrize("k", [2, 3])
def test_tournament_matches_the_reference_when_members_are_rejected(k):
    """A population of 2**20 + 1 rejects about half the 21-bit chunks: the draws after a
    rejection (the rest of the word, then the next) are the reference's too."""
    values = np.random.default_rng(4).normal(size=2**20 + 1)
    got = kernel_calls.select(Tournament(k=k), SPACE, values, 400, np.random.default_rng(k))
    expected = ref.tournament(k)(values, 400, np.random.default_rng(k))
    assert got.tolist() == expected
