"""The catalogue's network problems: registered, seeded, picklable, and searchable by every
optimizer."""
from __future__ import annotations

import pickle

import numpy as np
import pytest

import stochsearch as ss
from stochsearch.problems import networks

CLASSES = [getattr(networks, name) for name in networks.__all__ if name != "NetworkTask"]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.key)
def test_registered_seeded_and_picklable(cls):
    assert ss.PROBLEMS.get(cls.key) is cls
    problem = cls()
    assert problem.name.startswith(cls.key) and problem.space.dim == problem.network.n_params
    w = np.random.default_rng(0).normal(scale=0.3, size=problem.dim)
    clone = pickle.loads(pickle.dumps(problem))
    assert type(clone) is cls and clone(w) == problem(w)
    assert cls(seed=1)(w) != problem(w) or cls.dataset in ("xor", "iris", "wine", "digits",
                                                           "breast_cancer")
    assert set(problem.report(w)) == {"train_loss", "train_accuracy", "test_loss",
                                      "test_accuracy"}


def test_sizes_activation_and_dataset_arguments():
    problem = networks.MoonsNetwork((5, 3), "relu", n_samples=100, noise=0.05, bound=2.0)
    assert problem.network.sizes == (2, 5, 3, 1) and problem.network.activation == "relu"
    assert problem.n_samples == 76 and np.all(problem.space.upper == 2.0)
    assert pickle.loads(pickle.dumps(problem)).network == problem.network
    assert networks.BlobsNetwork().network.output == "softmax"


@pytest.mark.parametrize("optimizer", ["sa", "rhc", "ga", "sgd"])
def test_every_optimizer_trains_xor(optimizer):
    problem = networks.XORNetwork()
    result = ss.OPTIMIZERS.get(optimizer)().run(problem, 4000, rng=0, init="glorot_uniform")
    assert result.fun < problem(np.zeros(problem.dim)) == pytest.approx(np.log(2.0))
