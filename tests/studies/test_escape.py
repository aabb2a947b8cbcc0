"""The escape study runs in its quick form: random restarts beat a single fixed start on shifted
Rastrigin-10, the basin probability falls with the dimension, and the restarts it implies are
computed as the smallest k with 1 - (1 - p)^(k+1) >= 0.95."""
import itertools
import math

import numpy as np
import pytest

import stochsearch as ss
from stochsearch.studies._escape_basins import restarts_for
from stochsearch.studies.escape import fixed_start, measure, noisy_descent

from .conftest import assert_resumes_without_running, run_quick


@pytest.fixture(scope="module")
def section(tmp_path_factory):
    return run_quick("escape", tmp_path_factory)


def test_quick_run_writes_its_section_figures_and_findings(section):
    result, out = section
    text = (out / "escape.md").read_text()
    assert text.startswith("## Escape") and "| ackley | 10 |" in text
    families = ["ga", "rhc", "sa"] + (["sgd"] if "sgd" in ss.OPTIMIZERS else [])
    assert result.figures == sorted(["figures/escape-1-paths-rastrigin-2.png",
                                     "figures/escape-3-basins.png"]
                                    + [f"figures/escape-2-{f}.png" for f in families])
    for figure in result.figures:
        assert (out / figure).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert (out / figure).stat().st_size > 20_000      # drawn, not an empty canvas
    assert len(result.findings) >= 10
    assert all(f.text and "nan" not in f.text for f in result.findings)
    assert set(result.numbers["basins"]) == {"rastrigin", "ackley", "schwefel"}


def test_random_restarts_beat_a_single_fixed_start_on_rastrigin_10(section):
    headline = section[0].numbers["headline"]
    # 6 seeds each: the one-sided Mann-Whitney test can reach p = 1/924 (complete separation)
    # and stays below 0.05 as long as at least 80% of the (restarts, single) pairs are ordered
    # (U <= 7 of 36, A12 >= 0.8). The margin is wide: a single climb ends 45-85 above the
    # optimum, the best of 21 climbs 15-30, so the assertion does not hang on one lucky seed.
    assert headline["seeds"] == 6 and headline["restarts"] == 20
    assert headline["median_restarts"] < 0.6 * headline["median_single"]
    assert headline["ci_restarts"][1] < headline["ci_single"][0]
    assert headline["p"] < 0.05 and headline["a12"] >= 0.8
    first = section[0].findings[0]
    assert first.text.startswith("On shifted Rastrigin-10") and first.key == "headline"


def test_the_headline_is_taken_apart_at_equal_evaluations(section):
    e = section[0].numbers["equal_budget"]
    assert e["restarts"] == 20 and e["seeds"] == 6
    # restarts from the fixed start and from random starts spend about the same evaluations,
    # a single climb about 1/21 of that
    assert 0.8 < e["fixed"]["evaluations"] / e["random"]["evaluations"] < 1.25
    assert e["single"]["evaluations"] < 0.1 * e["random"]["evaluations"]
    share = e["share_compute"]
    expected = (np.log(e["single"]["median"] / e["fixed"]["median"])
                / np.log(e["single"]["median"] / e["random"]["median"]))
    assert share == pytest.approx(expected)
    first = section[0].findings[0]
    assert f"Mann-Whitney p = {e['p_starts']:.2g}" in first.text
    assert first.holds is (e["p_starts"] < 0.05
                           and e["random"]["median"] < e["fixed"]["median"])


def test_a_baseline_that_cannot_move_is_not_counted_as_a_win(section):
    numbers = section[0].numbers
    still = {tuple(pair) for pair in numbers["immobile"]}
    # the GA with mutation 0 from copies of one point never leaves it
    assert {("ga", p) for p in ("rastrigin-2", "rastrigin-10")} <= still
    rows = [r for r in numbers["contrasts"]["both"] if r["family"] == "ga"]
    assert all(r["verdict"] == "baseline cannot move" for r in rows
               if (r["family"], r["problem"]) in still)
    ga = next(f for f in section[0].findings if f.key == "dial-ga")
    assert "cannot move" in ga.text


def test_a_descent_stays_in_its_basin():
    from stochsearch.problems import Rastrigin
    from stochsearch.studies._escape_design import descend

    problem = Rastrigin(1, shift=True)
    near = problem.x_opt + 0.4                     # inside the optimum's basin (period 1)
    far = problem.x_opt + 0.6                      # just over the ridge, in the next basin
    f_near, n_near = descend(problem, near)
    f_far, _ = descend(problem, far)
    assert f_near - problem.f_opt < 1e-6 and n_near > 1
    assert 0.5 < f_far - problem.f_opt < 1.5       # the next minimum up (0.995), not a hop


def test_basin_probability_falls_as_the_dimension_grows(section):
    basins = section[0].numbers["basins"]                 # true local descents
    climbs = section[0].numbers["climbs"]                 # the climber's own chance per climb
    for landscape, rows in basins.items():
        dims = [row["dim"] for row in rows]
        p = [row["p"] for row in rows]
        assert dims == [1, 2, 4, 10] and all(row["climbs"] == 120 for row in rows)
        assert all(b <= a for a, b in itertools.pairwise(p)), landscape
        assert [c["dim"] for c in climbs[landscape]] == dims
        # Not only in the point estimates: 1-D and 10-D intervals are apart.
        climber = climbs[landscape]
        assert climber[-1]["high"] < climber[0]["low"], landscape
    rastrigin = {row["dim"]: row for row in basins["rastrigin"]}
    assert rastrigin[10]["hits"] == 0 and math.isinf(rastrigin[10]["restarts"])
    assert rastrigin[10]["restarts_low"] >= 90      # 0 of 120: p below 3.1% (Wilson)
    basin_findings = [f for f in section[0].findings if "true local descent" in f.text
                      and f.text.startswith("On shifted")]
    assert len(basin_findings) == 3 and all(f.holds for f in basin_findings)


def test_restarts_implied_by_each_measured_p(section):
    for rows in section[0].numbers["basins"].values():
        for row in rows:
            p = row["p"]
            if p == 0.0:
                assert math.isinf(row["restarts"])
                continue
            tries = math.log(1 - 0.95) / math.log(1 - p) if p < 1 else 1.0
            assert row["restarts"] == max(math.ceil(tries) - 1, 0)
            k = row["restarts"]
            assert 1 - (1 - p) ** (k + 1) >= 0.95
            assert k == 0 or 1 - (1 - p) ** k < 0.95
            # The interval's ends map the other way round: a larger p needs fewer restarts.
            assert row["restarts_low"] <= k <= row["restarts_high"]


def test_restarts_sweep_is_compared_with_the_prediction(section):
    sweep = {row["problem"]: row for row in section[0].numbers["sweep"]}
    assert set(sweep) == {"rastrigin-2", "rastrigin-10"}
    points = sweep["rastrigin-2"]["points"]
    assert [pt["restarts"] for pt in points] == [0, 3, 20]
    p = sweep["rastrigin-2"]["p"]
    assert all(pt["predicted"] == pytest.approx(1 - (1 - p) ** (pt["restarts"] + 1))
               for pt in points)


def test_resuming_a_study_runs_nothing_again(section, monkeypatch):
    assert_resumes_without_running("escape", *section, monkeypatch)


def test_restarts_for_a_95_percent_chance():
    assert restarts_for(1.0) == 0 and restarts_for(0.0) == math.inf
    assert restarts_for(0.5) == 4          # 1 - 0.5^5 = 0.97 >= 0.95 > 1 - 0.5^4
    assert restarts_for(0.05) == 58        # 59 climbs: log(0.05) / log(0.95) = 58.4


def test_fixed_start_is_one_point_for_every_run():
    from stochsearch.problems import NK, Rastrigin

    space = Rastrigin(3, shift=True).space
    assert np.array_equal(fixed_start(np.random.default_rng(1), space, 2),
                          np.tile(space.center, (2, 1)))
    bits = NK(12, 2).space
    first = fixed_start(np.random.default_rng(1), bits, 3)
    assert np.array_equal(first, fixed_start(np.random.default_rng(2), bits, 3))
    assert first.dtype == bits.dtype and 0 < first[0].sum() < 12


def test_basin_measure_counts_every_climb_on_a_single_basin():
    from stochsearch.problems import Sphere

    class Task:
        optimizer, seed, budget = "basin", 4, 10 * 20_000

    best, extra = measure(Sphere(3, shift=True), ss.RandomRestartHillClimbing(restarts=9),
                          "uniform", Task)
    assert extra["climbs"] == 10 and extra["hits"] == 10 and extra["unfinished"] == 0
    assert extra["descent_hits"] == 10                 # one basin: every descent finds it
    assert best.fun < 1e-6


@pytest.mark.skipif("sgd" not in ss.OPTIMIZERS, reason="SGD is not registered")
def test_gradient_descent_without_noise_from_the_fixed_start_is_deterministic():
    from stochsearch.problems import Rastrigin

    problem = Rastrigin(2, shift=True)
    runs = [noisy_descent(0.0).run(problem, 2_000, rng=seed, init=fixed_start)
            for seed in (1, 2)]
    assert np.array_equal(runs[0].x, runs[1].x)
    noisy = [noisy_descent(1.0).run(problem, 2_000, rng=seed, init=fixed_start)
             for seed in (1, 2)]
    assert not np.array_equal(noisy[0].x, noisy[1].x)
    with pytest.raises(ValueError):
        noisy_descent(-1.0)
