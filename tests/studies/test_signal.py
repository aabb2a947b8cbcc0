"""The signal study runs in its quick form and finds what Glorot and Bengio (2010) and He et
al. (2015) found at initialization; its images and networks are what it says they are."""
import math
import pickle

import numpy as np
import pytest

from stochsearch.studies.signal import DeepNetwork, measure, shapeset

from .conftest import run_quick


@pytest.fixture(scope="module")
def section(tmp_path_factory):
    return run_quick("signal", tmp_path_factory)


def test_quick_run_writes_its_section_figures_and_findings(section):
    result, out = section
    assert (out / "signal.md").read_text().startswith("## Signal")
    assert result.figures == ["figures/signal-1-glorot.png", "figures/signal-2-tanh.png",
                              "figures/signal-3-relu.png"]
    assert all((out / f).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for f in result.figures)
    assert len(result.findings) >= 7 and all(f.text for f in result.findings)
    layers = {key.split("|")[0]: row["layers"] for key, row in result.numbers.items()}
    assert layers == {"glorot": 5, "tanh-10": 10, "relu-30": 30}
    assert all(row["seeds"] == 3 for row in result.numbers.values())


def test_glorot_setting_standard_vanishes_and_normalized_keeps_the_gradient(section):
    numbers = section[0].numbers
    standard = numbers["glorot|standard"]["gradient_ratio"]
    normalized = numbers["glorot|normalized"]["gradient_ratio"]
    assert standard < 0.1 < normalized
    # measured: about 0.01 and 0.2-0.3 through tanh's slopes at standardized inputs
    assert 0.01 / 4 < standard < 0.01 * 4 and 0.3 / 3 < normalized < 0.3 * 3
    # the expectation is the paper's: (1/3)^4 and 1; 0.2-0.3 is flagged, not expected
    text = section[0].findings[0].text
    assert "(1/3)^4 = 0.012" in text and "their theory: 1," in text
    assert section[0].findings[0].holds is (0.5 <= normalized <= 2)


def test_he_keeps_the_relu_signal_and_one_over_n_halves_its_variance_per_layer(section):
    numbers = section[0].numbers
    he, lecun = numbers["relu-30|he"], numbers["relu-30|lecun"]
    assert 0.5 <= he["std_low"] and he["std_high"] <= 2          # every layer, within 2x of 1
    assert 0.5 <= he["std_ratio"] <= 2
    assert abs(math.log2(lecun["std_ratio"]) + 14.5) <= 2         # 2^-14.5 over 29 layers
    orthogonal = numbers["relu-30|orthogonal"]
    assert abs(math.log2(orthogonal["std_ratio"] / lecun["std_ratio"])) < 2


def test_ten_tanh_layers_fade_saturate_or_keep_the_signal_by_scale(section):
    numbers = {key.split("|")[1]: row for key, row in section[0].numbers.items()
               if key.startswith("tanh-10|")}
    assert numbers["normal-0.01"]["std_ratio"] < 1e-6                   # 0.16 per layer
    assert numbers["normal-1"]["saturated_mean"] > 0.5
    assert numbers["normal-1"]["gradient_ratio"] > 1e4                  # explodes to the input
    assert numbers["pytorch"]["gradient_ratio"] < 1e-3                  # about (1/3)^9
    for init in ("normalized", "lecun", "orthogonal", "lsuv"):
        assert numbers[init]["std_ratio"] > 0.1
        assert 0.01 < numbers[init]["gradient_ratio"] < 100


def test_measure_reports_every_hidden_layer_without_training():
    problem = DeepNetwork(depth=3, width=16, activation="relu", samples=8)

    class Task:
        seed, budget = 5, 1

    result, extra = measure(problem, None, "he_normal", Task)
    assert result is None
    hidden = [layer for layer in extra["layers"] if layer["hidden"]]
    assert len(hidden) == 3 and len(extra["layers"]) == 4
    assert all(layer["delta_variance"] > 0 and layer["weight_gradient_mean_square"] > 0
               for layer in hidden)
    assert measure(problem, None, "he_normal", Task)[1] == extra      # seeded


def test_shapeset_images_and_the_network_that_reads_them():
    X, y = shapeset(40, 3)
    assert X.shape == (40, 1024) and X.min() == 0.0 and X.max() <= 1.0
    assert set(np.unique(y)) <= set(range(9)) and (X > 0).any(axis=1).all()
    assert np.array_equal(shapeset(40, 3)[0], X)
    network = DeepNetwork(depth=2, width=8, inputs="standardized", samples=40, seed=3)
    assert network.network.sizes == (1024, 8, 8, 9)
    assert abs(network.X.mean()) < 1e-12 and abs(network.X.std() - 1.0) < 1e-12
    copy = pickle.loads(pickle.dumps(network))
    assert np.array_equal(copy.X, network.X) and copy.name == network.name
    with pytest.raises(ValueError, match="inputs"):
        DeepNetwork(depth=1, width=4, inputs="whitened", samples=4)
