"""The landscape study runs in its quick form and computes its descriptors correctly."""
import numpy as np
import pytest

from stochsearch.studies.landscape import describe

from .conftest import assert_resumes_without_running, run_quick


@pytest.fixture(scope="module")
def section(tmp_path_factory):
    return run_quick("landscape", tmp_path_factory)


def test_quick_run_writes_its_section_figure_and_findings(section):
    result, out = section
    assert (out / "landscape.md").read_text().startswith("## Landscape")
    assert result.figures == ["figures/landscape.png"] and (out / result.figures[0]).is_file()
    assert len(result.findings) == 3 and all(f.text for f in result.findings)


def test_descriptors_match_what_is_known_of_the_landscapes(section):
    table = {row["problem"]: row for row in section[0].numbers["table"]}
    assert table["onemax"]["fdc"] > 0.99 and table["onemax"]["optima"] == 1
    assert table["trap"]["fdc"] < 0                      # deceptive
    assert table["sphere"]["optima"] == 1 and table["sphere"]["global"] == 1.0
    assert table["nk[k=4]"]["length"] < table["nk[k=0]"]["length"]


def test_resuming_a_study_runs_nothing_again(section, monkeypatch):
    assert_resumes_without_running("landscape", *section, monkeypatch)


def test_descriptor_of_a_single_basin():
    from stochsearch.problems import Sphere

    import stochsearch as ss

    class Task:
        seed, budget = 3, 4_000

    best, extra = describe(Sphere(3, shift=True), ss.RandomRestartHillClimbing(restarts=0),
                           "uniform", Task)
    assert extra["optima"] == 1 and extra["global"] == 1.0 and extra["fdc"] > 0.9
    assert np.isfinite(extra["length"]) and best.fun < 1e-6


def test_a_climb_stopped_short_in_a_narrow_valley_is_not_an_optimum_of_its_own():
    from stochsearch.problems import Ellipsoid, Rosenbrock

    import stochsearch as ss

    class Task:
        seed, budget = 5, 3_000

    # Isotropic steps stall in the ellipsoid's narrow valley (steps that learn its shape, the
    # default, get to the bottom): the stalled ends must not count as optima of their own.
    climb = ss.RandomRestartHillClimbing(restarts=0, move="gaussian")
    _, ellipsoid = describe(Ellipsoid(6, shift=True), climb, "uniform", Task)
    assert ellipsoid["optima"] == 1 and ellipsoid["global"] == 0.0   # no climb got there
    _, rosenbrock = describe(Rosenbrock(6, shift=True), climb, "uniform", Task)
    assert rosenbrock["optima"] <= 2          # the global and, for n >= 4, one local minimum


def test_the_walk_step_is_stated_in_each_landscapes_own_units(section):
    result, out = section
    text = (out / "landscape.md").read_text()
    assert "not tested here, so it is not claimed" in text
    rows = {r["problem"]: r for r in result.numbers["table"]}
    for row in rows.values():
        if row["kind"] == "real":
            # 1% of the box's mean width: Rastrigin's box is 10.24 wide (0.1 of its period)
            assert row["step"] > 0
    if "rastrigin" in rows:
        assert rows["rastrigin"]["step"] == pytest.approx(0.1024)
        assert "0.1 periods" in text
