"""The symmetry study runs in its quick form and shows what is known of symmetric starts: zeros
and a constant keep every hidden unit identical, a little noise or a random start learns."""
import math

import numpy as np
import pytest

from stochsearch.studies.symmetry import ConstantPlusNoise

from .conftest import assert_resumes_without_running, run_quick


@pytest.fixture(scope="module")
def section(tmp_path_factory):
    return run_quick("symmetry", tmp_path_factory)


def test_quick_run_writes_its_section_figure_and_findings(section):
    result, out = section
    text = (out / "symmetry.md").read_text()
    assert text.startswith("## Symmetry") and "![symmetry](figures/symmetry-1-training.png)" in text
    assert result.figures == ["figures/symmetry-1-training.png"]
    assert (out / result.figures[0]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(result.findings) == 4 and all(f.text for f in result.findings)
    starts = {"zeros", "constant", "constant-noise", "small-uniform", "glorot"}
    assert set(result.numbers) == starts | {"chance"}
    assert all(result.numbers[s]["seeds"] == 3 for s in starts)


def test_zero_initialized_units_stay_identical_at_ln2_and_chance(section):
    numbers = section[0].numbers
    zeros = numbers["zeros"]
    assert zeros["spread"] <= 1e-12 and zeros["distinct_max"] == 1
    assert zeros["hidden_gradient_max"] == 0.0          # nothing flows into the hidden layer
    assert zeros["loss_gap"] < 0.01                     # the loss never leaves ln 2
    assert abs(zeros["loss"] - math.log(2.0)) < 0.01
    assert abs(zeros["accuracy"] - numbers["chance"]) <= 0.05
    assert section[0].findings[0].holds


def test_constant_initialized_network_keeps_rank_one(section):
    constant = section[0].numbers["constant"]
    assert constant["rank_min"] == constant["rank_max"] == 1
    assert constant["spread"] <= 1e-12 and constant["distinct_max"] == 1
    assert constant["hidden_gradient_max"] > 0          # the units move, all alike
    assert constant["exited"] == 0                      # it never leaves the plateau
    assert section[0].findings[1].holds


def test_tiny_noise_breaks_the_symmetry_and_learns(section):
    numbers = section[0].numbers
    noisy, constant = numbers["constant-noise"], numbers["constant"]
    assert noisy["distinct_end"] == 16 and noisy["rank_max"] == 3
    assert noisy["spread_end"] > 100 * noisy["spread_start"]
    assert noisy["exited"] == noisy["seeds"]
    assert noisy["accuracy"] > constant["accuracy"] + 0.2


def test_random_initialization_beats_zero_initialization_on_accuracy(section):
    numbers = section[0].numbers
    glorot, zeros = numbers["glorot"], numbers["zeros"]
    assert glorot["accuracy_min"] > zeros["accuracy_max"] + 0.2   # every run against every run
    assert numbers["small-uniform"]["accuracy"] > zeros["accuracy"]
    assert section[0].findings[3].holds


def test_resuming_the_study_runs_nothing_again(section, monkeypatch):
    assert_resumes_without_running("symmetry", *section, monkeypatch)


def test_constant_plus_noise_draws_the_constant_with_a_little_noise():
    from stochsearch.nn import MLP, NetworkProblem

    problem = NetworkProblem(MLP((2, 16, 1), output="sigmoid"), np.zeros((4, 2)),
                             np.array([0, 1, 0, 1]))
    X = ConstantPlusNoise(0.5, 1e-3)(np.random.default_rng(0), problem.space, 3)
    assert X.shape == (3, problem.dim)
    assert abs(X.mean() - 0.5) < 1e-3 and 0.8e-3 < X.std() < 1.2e-3
