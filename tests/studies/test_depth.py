"""The depth study runs in its quick form: 2 and 30 hidden layers, tanh and ReLU, every
initializer family; its figures, table and findings come from the stored runs."""
import numpy as np
import pytest

from stochsearch.studies.depth import _BROKEN, _INITS, _PRESERVING, _findings, learned_interval

from .conftest import assert_resumes_without_running, run_quick


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    return run_quick("depth", tmp_path_factory)


def test_quick_run_writes_its_section_figures_and_findings(quick):
    section, out = quick
    text = (out / "depth.md").read_text()
    assert text.startswith("## Depth")
    assert section.figures == ["figures/depth-1-accuracy.png", "figures/depth-2-training.png"]
    assert all((out / f).stat().st_size > 10_000 for f in section.figures)
    assert len(section.findings) == 6 and all(f.text in text for f in section.findings)


def test_every_activation_depth_and_initializer_has_its_seeds(quick):
    numbers = quick[0].numbers
    assert set(numbers) == {f"{a}|{d}|{i}" for a in ("tanh", "relu") for d in (2, 30)
                            for i in _INITS}
    for row in numbers.values():
        assert row["seeds"] == 3 and 0 <= row["learned"] <= 3
        assert row["learned_low"] <= row["learned"] / 3 <= row["learned_high"]
        assert 0.0 <= row["accuracy_min"] <= row["accuracy"] <= row["accuracy_max"] <= 1.0


def test_initialization_decides_whether_thirty_layers_learn(quick):
    numbers = quick[0].numbers
    # The data, not the flags: variance-keeping starts learn, the broken ones stay near chance.
    for act in ("tanh", "relu"):
        assert all(numbers[f"{act}|30|{i}"]["learned"] >= 2 for i in _PRESERVING[act])
        assert all(numbers[f"{act}|30|{i}"]["accuracy"] < 0.75 for i in _BROKEN[act])
    assert numbers["relu|30|he"]["accuracy"] > 0.9 > numbers["relu|30|glorot"]["accuracy"]
    # Every expectation holds; LSUV at 16 units a layer is reported without one.
    assert [f.holds for f in quick[0].findings] == [True, True, True, True, None, True]


def test_findings_turn_against_data_that_contradict_them(quick):
    numbers = {k: dict(v) for k, v in quick[0].numbers.items()}
    numbers["relu|30|glorot"].update(learned=3, accuracy=0.99)       # 1/n ReLU learning
    numbers["tanh|2|orthogonal"].update(learned=0, accuracy=0.5)
    flags = [f.holds for f in _findings(numbers)]
    assert flags == [False, True, True, False, None, False]


def test_learned_interval_is_exact():
    assert learned_interval(0, 10)[0] == 0.0 and learned_interval(10, 10)[1] == 1.0
    low, high = learned_interval(5, 10)
    assert low == pytest.approx(0.187086, abs=1e-5) and high == pytest.approx(0.812914, abs=1e-5)


def test_diverged_runs_count_as_not_learned():
    from stochsearch.studies.depth import _numbers

    runs = {("relu", 30, "normal-1"): {
        "epoch": np.arange(3.0),
        "train_loss": np.array([[0.7, np.nan, np.nan], [0.7, 0.6, 0.5]]),
        "test_accuracy": np.array([[0.5, 0.5, 0.5], [0.5, 0.8, 0.95]])}}
    row = _numbers(runs)["relu|30|normal-1"]
    assert row["diverged"] == 1 and row["learned"] == 1 and row["loss_end"] == np.inf


def test_resuming_runs_nothing(quick, monkeypatch):
    assert_resumes_without_running("depth", *quick, monkeypatch)
