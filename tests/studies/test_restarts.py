"""The restarts study runs in its quick form, and its best-of-k and wrong-ranking helpers
compute what they say."""
import itertools
import math

import numpy as np
import pytest

from stochsearch.studies.restarts import (best_of_k, seeds_needed, seeds_needed_interval,
                                          wrong_ranking)

from .conftest import run_quick


@pytest.fixture(scope="module")
def section(tmp_path_factory):
    return run_quick("restarts", tmp_path_factory)


def test_quick_run_writes_its_section_figures_and_findings(section):
    result, out = section
    assert (out / "restarts.md").read_text().startswith("## Restarts")
    assert result.figures == ["figures/restarts-1-spread.png", "figures/restarts-2-ranking.png"]
    assert all((out / figure).stat().st_size > 10_000 for figure in result.figures)
    assert len(result.findings) == 3 and all(f.text for f in result.findings)
    assert f"{result.numbers['seeds']} seeds of the same" in result.findings[0].text


def test_the_seed_alone_spreads_test_accuracy(section):
    numbers = section[0].numbers
    assert numbers["seeds"] == 16
    for s in numbers["spread"].values():
        assert s["seeds"] == 16
        assert s["min"] <= s["ci"][0] <= s["mean"] <= s["ci"][1] <= s["max"]
        assert s["std"] > 0.02                            # one seed is one sample
    first = numbers["spread"]["lr-0.3"]
    assert first["max"] - first["min"] > 2 * (first["ci"][1] - first["ci"][0])
    assert section[0].findings[0].holds


def test_best_of_k_rises_from_the_mean_to_the_best_run(section):
    numbers = section[0].numbers
    for entry, curves in numbers["best_of_k"].items():
        by_loss, oracle = np.array(curves["by_loss"]), np.array(curves["oracle"])
        spread = numbers["spread"][entry]
        assert by_loss[0] == pytest.approx(spread["mean"]) == oracle[0]
        assert oracle[-1] == pytest.approx(spread["max"])
        assert np.all(np.diff(oracle) >= -1e-12) and np.all(oracle >= by_loss - 1e-12)
    curve = numbers["best_of_k"]["lr-0.3"]["by_loss"]
    assert curve[2] > curve[0] + 0.02 and section[0].findings[1].holds


def test_few_seeds_rank_two_configurations_wrongly_more_often(section):
    ranking = section[0].numbers["ranking"]
    wrong = ranking["wrong"]
    assert ranking["seeds"] == list(range(1, 17)) and len(wrong) == 16
    assert {ranking["better"], ranking["worse"]} == {"lr-0.3", "lr-0.5"} and ranking["gap"] > 0
    assert 0.05 < wrong[0] < 0.5 and wrong[-1] < 0.01
    assert all(b <= a + 0.01 for a, b in itertools.pairwise(wrong))   # resampling noise
    assert ranking["enough"] is not None and wrong[ranking["enough"] - 1] <= 0.05
    assert section[0].findings[2].holds


def test_best_of_k_against_a_hand_computed_case():
    values, keys = [0.9, 0.6, 0.3], [1.0, 2.0, 3.0]
    assert best_of_k(values, keys, 1) == pytest.approx(0.6)            # the mean
    # pairs {0,1} {0,2} keep run 0, {1,2} keeps run 1: (0.9 + 0.9 + 0.6) / 3
    assert best_of_k(values, keys, 2) == pytest.approx(0.8)
    assert best_of_k(values, keys, 3) == pytest.approx(0.9)
    with pytest.raises(ValueError, match="k must be"):
        best_of_k(values, keys, 4)


def test_best_of_k_is_the_average_over_every_subset():
    rng = np.random.default_rng(1)
    values, keys = rng.random(7), rng.random(7)
    for k in range(1, 8):
        kept = [values[min(subset, key=lambda i: keys[i])]
                for subset in itertools.combinations(range(7), k)]
        assert len(kept) == math.comb(7, k)
        assert best_of_k(values, keys, k) == pytest.approx(np.mean(kept))


def test_wrong_ranking_against_hand_computed_cases():
    assert wrong_ranking([1.0, 1.0], [0.0, 0.0], 1) == 0.0
    assert wrong_ranking([0.5], [0.5], 3) == 0.5                       # a tie counts half
    # one seed each: worse beats better only in the pair (1, 2) of the four
    assert wrong_ranking([1.0, 3.0], [0.0, 2.0], 1) == pytest.approx(0.25, abs=0.01)
    # two seeds each, enumerated exactly
    better, worse = [1.0, 3.0], [0.0, 2.0]
    means = [(np.mean(a), np.mean(b)) for a in itertools.product(better, repeat=2)
             for b in itertools.product(worse, repeat=2)]
    exact = np.mean([(b > a) + 0.5 * (b == a) for a, b in means])
    assert exact == pytest.approx(3 / 16)        # P(b > a) 1/16 + ties 1/4 / 2
    assert wrong_ranking(better, worse, 2) == pytest.approx(exact, abs=0.01)


def test_seeds_needed_follows_the_normal_approximation():
    # gap 0.1, scale 0.2: (1.645 * 2)^2 = 10.8 -> 11 seeds; no gap: no number of seeds
    assert seeds_needed(0.1, 0.2) == 11
    assert seeds_needed(1.0, 0.01) == 1
    assert seeds_needed(0.0, 0.2) == math.inf and seeds_needed(-0.1, 0.2) == math.inf


def test_the_seeds_needed_come_with_the_gaps_uncertainty():
    rng = np.random.default_rng(1)
    clear = seeds_needed_interval(rng.normal(1.0, 0.1, 30), rng.normal(0.0, 0.1, 30))
    assert clear == (1.0, 1.0)                    # a gap of 10 std: one seed always suffices
    a, b = rng.normal(0.10, 0.1, 30), rng.normal(0.0, 0.1, 30)
    low, high = seeds_needed_interval(a, b)
    point = seeds_needed(a.mean() - b.mean(), math.sqrt(a.var(ddof=1) + b.var(ddof=1)))
    assert low < point < high                     # the interval is not the point
    tiny = seeds_needed_interval(rng.normal(0.01, 0.1, 30), rng.normal(0.0, 0.1, 30))
    assert tiny[1] == math.inf                    # the gap's interval reaches 0


def test_the_ranking_finding_gives_the_interval_of_seeds_needed(section):
    ranking = section[0].numbers["ranking"]
    low, high = ranking["needed_ci"]
    assert low <= ranking["needed"] <= high
    assert ranking["gap_ci"][0] <= ranking["gap"] <= ranking["gap_ci"][1]
    assert "95% interval of" in section[0].findings[2].text
