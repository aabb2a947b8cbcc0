"""The minima study: permuting hidden units leaves a network's function unchanged, the matching
recovers a known permutation exactly, and the quick run measures barriers before and after it."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stochsearch.nn import MLP, NetworkProblem
from stochsearch.studies._permutation import (barrier, filter_normalized, interpolate,
                                              match_units, permute_units, plane)

from .conftest import assert_resumes_without_running, run_quick


def _network(activation="tanh", seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((64, 3))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    problem = NetworkProblem(MLP((3, 6, 5, 1), activation=activation, output="sigmoid"), X, y)
    return problem, rng.standard_normal(problem.dim)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), activation=st.sampled_from(["tanh", "relu"]))
def test_permuted_copy_computes_the_same_function_and_the_matching_recovers_it(seed, activation):
    problem, w = _network(activation, seed)
    rng = np.random.default_rng(seed)
    shuffles = [rng.permutation(n) for n in problem.network.sizes[1:-1]]
    copy = permute_units(problem.network, w, shuffles)
    assert np.allclose(problem.predict(copy), problem.predict(w), rtol=1e-12, atol=1e-12)
    perms = match_units(problem.network, w, copy, problem.X)
    # Live units are told apart by their activations, dead ReLUs by their weights: exact.
    assert all(np.array_equal(p, np.argsort(s)) for p, s in zip(perms, shuffles))
    matched = permute_units(problem.network, copy, perms)
    assert np.array_equal(matched, w)
    alphas = np.linspace(0, 1, 11)
    assert barrier(alphas, interpolate(problem, w, matched, alphas)) < 1e-12


def test_permute_units_moves_kernel_columns_biases_and_next_rows():
    net = MLP((2, 3, 1), activation="tanh", output="linear")
    w = np.arange(net.n_params, dtype=float)
    (W, b), (V, c) = net.unpack(permute_units(net, w, [np.array([2, 0, 1])]))
    (W0, b0), (V0, c0) = net.unpack(w)
    assert np.array_equal(W, W0[:, [2, 0, 1]]) and np.array_equal(b, b0[[2, 0, 1]])
    assert np.array_equal(V, V0[[2, 0, 1], :]) and np.array_equal(c, c0)
    with pytest.raises(ValueError, match="perms\\[0\\] must be a permutation of 0..2"):
        permute_units(net, w, [np.array([0, 0, 1])])
    with pytest.raises(ValueError, match="one permutation per hidden layer"):
        permute_units(net, w, [])


def test_barrier_is_the_largest_excess_over_the_chord():
    alphas = np.linspace(0, 1, 5)
    assert barrier(alphas, [1.0, 1.5, 3.0, 2.5, 2.0]) == pytest.approx(3.0 - 1.5)
    assert barrier(alphas, [2.0, 1.0, 0.5, 0.2, 0.1]) == 0.0


def test_plane_passes_through_its_three_points():
    problem, w = _network()
    rng = np.random.default_rng(1)
    w1, w2 = w + rng.standard_normal(w.size), w + rng.standard_normal(w.size)
    u, v, loss, points = plane(problem, w, w1, w2, steps=9)
    assert loss.shape == (9, 9) and points[0].tolist() == [0.0, 0.0] and points[1, 1] == 0.0
    assert points[1, 0] == pytest.approx(np.linalg.norm(w1 - w))
    assert np.hypot(*points[2]) == pytest.approx(np.linalg.norm(w2 - w))
    assert u[0] < 0 < points[1, 0] < u[-1] and v[0] < 0 < points[2, 1] < v[-1]


def test_filter_normalized_direction_has_each_units_norm_and_no_bias():
    problem, w = _network()
    d = filter_normalized(problem.network, w, 3)
    for (D, db), (W, _) in zip(problem.network.unpack(d), problem.network.unpack(w)):
        assert np.allclose(np.linalg.norm(D, axis=0), np.linalg.norm(W, axis=0))
        assert not db.any()


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    return run_quick("minima", tmp_path_factory)


def test_quick_run_writes_its_section_figures_and_findings(quick):
    section, out = quick
    text = (out / "minima.md").read_text()
    assert text.startswith("## Minima")
    assert section.figures == ["figures/minima-1-interpolation.png", "figures/minima-2-plane.png",
                               "figures/minima-3-random-slice.png"]
    assert all((out / f).stat().st_size > 10_000 for f in section.figures)
    assert len(section.findings) == 5 and all(f.text in text for f in section.findings)


def test_matching_lowers_the_barrier_between_seeds(quick):
    n = quick[0].numbers
    assert n["seeds"] == 4 and n["pairs"] == 6
    assert n["barrier_before_band"][0] <= n["barrier_before"] <= n["barrier_before_band"][1]
    assert n["barrier_before"] > 0.05 and n["barrier_after"] < n["barrier_before"]
    assert n["distance_after"] < n["distance_before"]
    assert n["check"]["recovered"] and n["check"]["identical"]
    assert n["check"]["barrier_before"] > 0.05 and n["check"]["barrier_after"] < 1e-12
    assert all(f.holds in (True, None) for f in quick[0].findings)


def test_findings_turn_against_data_that_contradict_them(quick):
    from stochsearch.studies.minima import _findings

    n = dict(quick[0].numbers)
    n.update(drop_band=[-0.1, 0.2], lower=2, check={**n["check"], "recovered": False},
             centroid={"as trained": 0.1, "units matched to solution 1": 0.3})
    assert [f.holds for f in _findings(n)] == [None, True, False, False, False]


def test_resuming_runs_nothing(quick, monkeypatch):
    assert_resumes_without_running("minima", *quick, monkeypatch)
