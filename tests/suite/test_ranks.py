"""Average ranks, Friedman's test, Nemenyi's critical difference and the cliques of the
critical-difference diagram, checked against Demšar (2006), and the smallest p-values a
number of seeds allows."""
import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as sps

from stochsearch.suite import ranks

# Demšar (2006), Table 6: AUC of C4.5 with and without m-tuning and cf-tuning on 14 data
# sets (higher is better).
DEMSAR = {
    "adult (sample)": (0.763, 0.768, 0.771, 0.798),
    "breast cancer": (0.599, 0.591, 0.590, 0.569),
    "breast cancer wisconsin": (0.954, 0.971, 0.968, 0.967),
    "cmc": (0.628, 0.661, 0.654, 0.657),
    "ionosphere": (0.882, 0.888, 0.886, 0.898),
    "iris": (0.936, 0.931, 0.916, 0.931),
    "liver disorders": (0.661, 0.668, 0.609, 0.685),
    "lung cancer": (0.583, 0.583, 0.563, 0.625),
    "lymphography": (0.775, 0.838, 0.866, 0.875),
    "mushroom": (1.000, 1.000, 1.000, 1.000),
    "primary tumor": (0.940, 0.962, 0.965, 0.962),
    "rheum": (0.619, 0.666, 0.614, 0.669),
    # Printed as 0.975 and 0.975; the paper's ranks (2.893 and 1.964) break this tie in
    # favour of C4.5+cf, so its unrounded AUC was higher.
    "voting": (0.972, 0.981, 0.97501, 0.975),
    "wine": (0.957, 0.978, 0.946, 0.970),
}
NAMES = ("C4.5", "C4.5+m", "C4.5+cf", "C4.5+m+cf")


def demsar_table():
    # Ranks count lower values as better: negate the AUCs.
    return {d: {c: -v for c, v in zip(NAMES, values)} for d, values in DEMSAR.items()}


def test_demsar_average_ranks_friedman_and_iman_davenport():
    result = ranks.friedman(demsar_table())
    assert result.n == 14 and result.configs == list(NAMES)
    assert [round(result.ranks[c], 3) for c in NAMES] == [3.143, 2.000, 2.893, 1.964]
    assert result.chi2 == pytest.approx(9.28, abs=0.01)
    assert result.f == pytest.approx(3.69, abs=0.01)
    # "F(3, 39) ... its critical value for alpha = 0.05 is 2.85, so we reject the null."
    assert sps.f.ppf(0.95, 3, 39) == pytest.approx(2.85, abs=0.01) and result.p_f < 0.05


def test_demsar_critical_difference_and_cliques():
    cd = ranks.nemenyi_cd(4, 14, alpha=0.05)
    assert cd == pytest.approx(1.25, abs=0.005)  # "CD = 2.569 sqrt(4 * 5 / (6 * 14)) = 1.25"
    assert cd / math.sqrt(4 * 5 / (6 * 14)) == pytest.approx(2.569, abs=0.001)
    assert ranks.nemenyi_cd(4, 14, alpha=0.10) / math.sqrt(20 / 84) == \
        pytest.approx(2.291, abs=0.001)
    result = ranks.friedman(demsar_table())
    # C4.5+m+cf (1.964) and C4.5 (3.143) differ by 1.179 < 1.25: one clique, as in the paper's
    # Nemenyi analysis, which cannot tell any pair apart at 0.05.
    assert ranks.cliques(result.ranks, cd) == [["C4.5+m+cf", "C4.5+m", "C4.5+cf", "C4.5"]]
    # At a smaller critical difference the best two and the worst two separate.
    assert ranks.cliques(result.ranks, 0.95) == [["C4.5+m+cf", "C4.5+m", "C4.5+cf"],
                                                 ["C4.5+cf", "C4.5"]]


def test_friedman_agrees_with_scipy_without_ties():
    rng = np.random.default_rng(0)
    values = rng.random((9, 5))
    table = {f"p{i}": {f"c{j}": values[i, j] for j in range(5)} for i in range(9)}
    result = ranks.friedman(table)
    assert result.p == pytest.approx(sps.friedmanchisquare(*values.T).pvalue)


def test_friedman_refuses_incomplete_blocks():
    with pytest.raises(ValueError, match="'b' is missing on 'q'"):
        ranks.friedman({"p": {"a": 1, "b": 2}, "q": {"a": 1}})
    with pytest.raises(ValueError, match="at least 2 configurations on at least 2 problems"):
        ranks.friedman({"p": {"a": 1, "b": 2}})


@given(st.dictionaries(st.sampled_from("abcdefg"), st.floats(1, 7), min_size=2),
       st.floats(0.1, 4))
def test_cliques_hold_only_configurations_within_the_critical_difference(mean_ranks, cd):
    groups = ranks.cliques(mean_ranks, cd)
    for group in groups:
        assert len(group) > 1
        assert max(mean_ranks[c] for c in group) - min(mean_ranks[c] for c in group) < cd
    # Every pair closer than cd shares a group; no group is inside another.
    for a, b in itertools.combinations(mean_ranks, 2):
        if abs(mean_ranks[a] - mean_ranks[b]) < cd:
            assert any(a in g and b in g for g in groups)
    for g, h in itertools.permutations(groups, 2):
        assert not set(g) <= set(h)


def test_smallest_p_values_are_those_of_non_overlapping_samples():
    for n in (2, 3, 5, 10):
        x, y = np.arange(n), np.arange(n) + n
        exact = sps.mannwhitneyu(x, y, method="exact").pvalue
        assert ranks.smallest_p_mann_whitney(n) == pytest.approx(exact)
    assert ranks.smallest_p_mann_whitney(3) == 0.1   # 2 / C(6, 3): never below 0.05
    assert ranks.smallest_p_mann_whitney(2, 1) == pytest.approx(
        sps.mannwhitneyu([0, 1], [2], method="exact").pvalue)  # 2 / C(3, 1)
    assert ranks.smallest_p_mann_whitney(1) == 1.0
    table = {f"p{i}": {"a": 1.0, "b": 2.0, "c": 3.0} for i in range(4)}
    assert ranks.smallest_p_friedman(3, 4) == pytest.approx(ranks.friedman(table).p)


def test_seeds_needed_after_holm():
    assert ranks.seeds_needed(1) == 4      # 2 / C(8, 4) = 0.029; 3 seeds give 0.1
    assert ranks.seeds_needed(10) == 6     # 10 * 2 / C(12, 6) = 0.022; 5: 0.079
    for comparisons in (1, 7, 91, 1000):
        n = ranks.seeds_needed(comparisons)
        assert comparisons * ranks.smallest_p_mann_whitney(n) < 0.05
        assert comparisons * ranks.smallest_p_mann_whitney(n - 1) >= 0.05
