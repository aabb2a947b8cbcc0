"""Statistics against hand-computed values and scipy.stats."""
import numpy as np
import pytest
from scipy import stats as sps

from stochsearch.suite import stats


def test_median_and_iqr_by_hand():
    assert stats.median_iqr([1, 2, 3, 4, 100]) == (3.0, 2.0, 4.0)
    # numpy's linear interpolation: 25th percentile of 1..4 is 1 + 0.75.
    assert stats.median_iqr([4, 1, 3, 2]) == (2.5, 1.75, 3.25)


def test_bootstrap_ci_is_scipys_percentile_bootstrap_seeded():
    values = np.array([3.1, 0.2, 5.5, 2.2, 9.0, 1.4, 4.4, 0.9, 7.3, 2.8])
    low, high = stats.bootstrap_ci(values, seed=7)
    expected = sps.bootstrap((values,), np.median, n_resamples=2000, method="percentile",
                             confidence_level=0.95, rng=np.random.default_rng(7))
    assert (low, high) == (expected.confidence_interval.low, expected.confidence_interval.high)
    assert low < np.median(values) < high
    assert stats.bootstrap_ci(values, seed=7) == (low, high)  # seeded: reproducible
    assert stats.bootstrap_ci([2.0] * 5) == (2.0, 2.0)  # constant data: zero width
    assert stats.bootstrap_ci([1.5]) == (1.5, 1.5)
    assert all(np.isnan(stats.bootstrap_ci([])))


def test_success_rate_and_ert_by_hand():
    assert stats.success_rate([0.0, 1e-9, 0.5, 2.0], 1e-8) == 0.5
    # Two successes after 100 and 300 evaluations; two failures that spent 1000 and 400:
    # (100 + 300 + 1000 + 400) / 2 = 900.
    assert stats.ert([100, np.inf, 300, np.inf], [1000, 1000, 1000, 400]) == 900.0
    assert stats.ert([np.inf, np.inf], [10, 10]) == np.inf
    assert stats.ert([50], [200]) == 50.0


def test_runtime_ecdf_by_hand():
    x, y = stats.runtime_ecdf([10, np.inf, 5, 20])
    assert x.tolist() == [5, 10, 20] and y.tolist() == [0.25, 0.5, 0.75]
    x, y = stats.runtime_ecdf([3.0], n=4)
    assert y.tolist() == [0.25]


def test_a12_by_hand_and_against_mann_whitney():
    assert stats.a12([1, 2, 3], [1, 2, 3]) == 0.5
    assert stats.a12([4, 5], [1, 2]) == 1.0 and stats.a12([1, 2], [4, 5]) == 0.0
    # pairs with x > y: (2,1) (3,1) (3,2) -> 3; ties (1,1) (2,2) count half; of 9 pairs.
    assert stats.a12([1, 2, 3], [1, 2, 4]) == pytest.approx((3 + 0.5 * 2) / 9)
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=13), rng.normal(0.5, size=9)
    u = sps.mannwhitneyu(x, y).statistic
    assert stats.a12(x, y) == pytest.approx(u / (13 * 9))
    assert stats.mann_whitney(x, y) == pytest.approx(
        (u, sps.mannwhitneyu(x, y, alternative="two-sided").pvalue))
    assert stats.mann_whitney([1.0] * 4, [1.0] * 5) == (10.0, 1.0)


def test_holm_by_hand():
    # sorted: 0.005 * 4 = 0.02, 0.01 * 3 = 0.03, 0.03 * 2 = 0.06, 0.04 * 1 -> max(0.06, 0.04)
    adjusted = stats.holm([0.01, 0.04, 0.03, 0.005])
    assert adjusted == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert stats.holm([0.5, 0.9]).tolist() == [1.0, 1.0]
    assert stats.holm([]).size == 0


def test_average_ranks_by_hand_and_the_friedman_test():
    table = {"p1": {"a": 1.0, "b": 2.0, "c": 3.0},
             "p2": {"a": 5.0, "b": 5.0, "c": 1.0},
             "p3": {"a": 0.1, "b": 0.3, "c": 0.2}}
    ranks, p = stats.average_ranks(table)
    # a: 1, 2.5, 1; b: 2, 2.5, 3; c: 3, 1, 2
    assert ranks == pytest.approx({"a": 4.5 / 3, "b": 7.5 / 3, "c": 2.0})
    columns = [[table[q][c] for q in table] for c in "abc"]
    assert p == pytest.approx(sps.friedmanchisquare(*columns).pvalue)
    ranks, p = stats.average_ranks({"p1": {"a": 1.0, "b": 2.0}})
    assert ranks == {"a": 1.0, "b": 2.0} and p is None


def _record(problem, optimizer, init, replicate, history, status="ok", f_opt=0.0, dim=2):
    return {"problem": problem, "optimizer": optimizer, "init": init, "replicate": replicate,
            "status": status, "f_opt": f_opt, "dim": dim, "fun": history[-1][1],
            "nfev": history[-1][0],
            "history": {"nfev": [h[0] for h in history], "fun": [h[1] for h in history],
                        "x": None}}


def test_runs_measure_gaps_from_the_optimum_or_the_best_value_found():
    records = [
        _record("known", "sa", "uniform", 0, [(1, 5.0), (10, 1.5), (100, 1.0)], f_opt=1.0),
        _record("unknown", "sa", "uniform", 0, [(1, -2.0), (50, -3.0)], f_opt=None),
        _record("unknown", "sa", "uniform", 1, [(1, -1.0), (50, -4.0)], f_opt=None),
        _record("unknown", "sa", "uniform", 2, [(1, -9.0)], status="failed", f_opt=None),
    ]
    runs = stats.runs(records)
    assert len(runs) == 3 and runs[0].config == "sa"  # failed tasks are left out
    assert runs[0].gap == 0.0 and runs[0].history_gap.tolist() == [4.0, 0.5, 0.0]
    assert [r.gap for r in runs[1:]] == [1.0, 0.0]  # f_ref = -4, the best value found
    assert runs[0].hit(0.5) == 10 and runs[0].hit(0.0) == 100 and runs[1].hit(0.5) == np.inf


def test_summary_pairwise_and_contrasts_on_hand_made_runs():
    records = []
    for k in range(6):
        # "sa" always reaches the optimum at 100 evaluations; "greedy" stalls at 1 + k.
        records.append(_record("p", "sa", "uniform", k, [(1, 9.0), (100, 0.0)]))
        records.append(_record("p", "greedy", "uniform", k, [(1, 9.0), (100, 1.0 + k)]))
    runs = stats.runs(records)
    rows = {r["config"]: r for r in stats.summary(runs, targets=[0.5], seed=1)}
    assert rows["sa"]["median"] == 0.0 and rows["sa"]["iqr"] == 0.0
    assert rows["greedy"]["median"] == 3.5 and rows["greedy"]["q75"] == 4.75
    assert rows["sa"]["targets"][0.5] == {"success": 1.0, "ert": 100.0}
    assert rows["greedy"]["targets"][0.5] == {"success": 0.0, "ert": np.inf}
    (pair,) = stats.pairwise(runs)
    assert (pair["a"], pair["b"]) == ("sa", "greedy") and pair["a12"] == 1.0
    expected = sps.mannwhitneyu([0.0] * 6, [1.0 + k for k in range(6)]).pvalue
    assert pair["p"] == pytest.approx(expected) and pair["p_holm"] == pair["p"]
    assert pair["significant"]
    dials = {("optimizers", "greedy"): ("zero", "sa"), ("optimizers", "sa"): ("up", "sa")}
    (contrast,) = stats.contrasts(runs, dials)
    assert (contrast["zero"], contrast["up"], contrast["dial"]) == ("greedy", "sa",
                                                                    "sa: algorithm")
    assert contrast["a12"] == 1.0 and contrast["verdict"] == "helped"


def test_gaps_below_the_precision_count_as_solved_in_the_tests():
    records = []
    for k in range(6):
        # Both solve the problem; "b" ends a little lower, in floating-point noise.
        records.append(_record("p", "a", "uniform", k, [(1, 9.0), (100, 1e-12)]))
        records.append(_record("p", "b", "uniform", k, [(1, 9.0), (100, 1e-15)]))
    runs = stats.runs(records)
    assert stats.pairwise(runs)[0]["significant"]
    (pair,) = stats.pairwise(runs, precision=1e-8)
    assert pair["a12"] == 0.5 and pair["p"] == 1.0 and not pair["significant"]


def test_percentiles_between_infinite_values_are_infinite():
    assert stats.median_iqr([np.inf, np.inf, 1.0]) == (np.inf, np.inf, np.inf)
    assert stats.percentiles([[np.inf, 1.0], [np.inf, 3.0]], 50, axis=0).tolist() == \
        [np.inf, 2.0]
    assert np.isnan(stats.percentiles([np.nan, 1.0], 50))
