"""The isometry study: the Jacobian of a chain is computed exactly (checked against finite
differences), orthogonal linear chains are isometries, and the quick run measures spectra and
training speed."""
import numpy as np
import pytest

from stochsearch.nn.initializers import Orthogonal, RandomNormal
from stochsearch.studies.isometry import DeepChain, epochs_to, jacobian_singular_values

from .conftest import assert_resumes_without_running, run_quick


def _weights(problem, init, seed=0):
    rng = np.random.default_rng(seed)
    w = np.zeros(problem.dim)
    layers = []
    for (n_in, n_out), _ in problem.network.layers:
        layers.append((init.sample(rng, (n_in, n_out)), rng.normal(0, 0.1, n_out)))
    w[:] = problem.network.pack(layers)
    return w


@pytest.mark.parametrize("activation", ["linear", "tanh", "relu"])
def test_jacobian_matches_finite_differences(activation):
    problem = DeepChain(depth=3, width=5, activation=activation, samples=4)
    w = _weights(problem, RandomNormal(stddev=0.6))
    x = problem.X[0]
    net = problem.network
    width = 5

    def last_hidden(x):
        _, A = net.forward(w, x[None, :])
        return A[0, -width - net.sizes[-1]:-net.sizes[-1]]

    eps = 1e-6
    J = np.array([(last_hidden(x + eps * e) - last_hidden(x - eps * e)) / (2 * eps)
                  for e in np.eye(width)])
    expected = np.linalg.svd(J, compute_uv=False)
    assert np.allclose(jacobian_singular_values(net, w, x), expected, rtol=1e-5, atol=1e-8)


def test_orthogonal_linear_chain_is_an_isometry_at_any_depth():
    for depth in (1, 7, 40):
        problem = DeepChain(depth=depth, width=12, samples=2)
        w = _weights(problem, Orthogonal(), seed=depth)
        s = jacobian_singular_values(problem.network, w, problem.X[0])
        assert np.allclose(s, 1.0, atol=1e-10)


def test_other_activations_are_refused_with_a_sentence():
    problem = DeepChain(depth=2, width=4, activation="sigmoid", samples=2)
    with pytest.raises(ValueError, match="got 'sigmoid'"):
        jacobian_singular_values(problem.network, np.zeros(problem.dim), problem.X[0])


def test_epochs_to_reads_the_first_epoch_at_the_target():
    assert epochs_to([0, 1, 2, 3], [1.0, 0.5, 0.09, 0.2]) == 2
    assert epochs_to([0, 1, 2], [1.0, None, 0.5]) == float("inf")


def test_deep_chain_pickles_and_knows_its_zero_loss():
    import pickle

    problem = DeepChain(depth=2, width=4, samples=8, seed=3)
    again = pickle.loads(pickle.dumps(problem))
    assert np.array_equal(again.X, problem.X) and again.network == problem.network
    assert problem.zero_loss == pytest.approx(problem(np.zeros(problem.dim)))


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    return run_quick("isometry", tmp_path_factory)


def test_quick_run_writes_its_section_figures_and_findings(quick):
    section, out = quick
    text = (out / "isometry.md").read_text()
    assert text.startswith("## Isometry")
    assert section.figures == ["figures/isometry-1-spectrum.png",
                               "figures/isometry-2-training.png"]
    assert all((out / f).stat().st_size > 10_000 for f in section.figures)
    assert len(section.findings) == 6 and all(f.text in text for f in section.findings)


def test_spectra_follow_the_theory(quick):
    spec = quick[0].numbers["spectrum"]
    assert all(spec[f"linear|{d}|orthogonal"]["largest_deviation_from_1"] < 1e-8
               for d in (1, 4, 16, 64))
    gauss = [spec[f"linear|{d}|gaussian"]["spread"] for d in (1, 4, 16, 64)]
    assert gauss == sorted(gauss) and gauss[-1] > 1e3 * gauss[0]
    assert spec["tanh|64|orthogonal"]["spread"] < 1e-3 * spec["tanh|64|gaussian"]["spread"]


def test_orthogonal_chains_train_faster(quick):
    train = quick[0].numbers["training"]
    for act in ("linear", "tanh"):
        assert train[f"{act}|16|orthogonal"]["epochs_to"] < train[f"{act}|16|gaussian"]["epochs_to"]
    assert all(f.holds for f in quick[0].findings)


def test_resuming_runs_nothing(quick, monkeypatch):
    assert_resumes_without_running("isometry", *quick, monkeypatch)
