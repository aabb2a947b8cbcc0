"""Seeded datasets: the same seed gives the same data, splits keep the class shares, and
standardization uses the training set only."""
from __future__ import annotations

import numpy as np
import pytest

from stochsearch.nn import datasets


@pytest.mark.parametrize("name", sorted(datasets.DATASETS))
def test_seeded_split_and_standardized(name):
    a, b = datasets.load(name, rng=3), datasets.load(name, rng=3)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    assert a.X_train.shape[1] == a.n_features == a.X_test.shape[1]
    assert set(np.unique(a.y_train)) == set(range(a.n_classes))
    np.testing.assert_allclose(a.X_train.mean(axis=0), 0.0, atol=1e-12)
    std = a.X_train.std(axis=0)
    assert np.all((np.abs(std - 1.0) < 1e-12) | (std == 0.0))


def test_split_keeps_class_shares_and_seeds_differ():
    data = datasets.moons(400, rng=0, test_size=0.25)
    assert len(data.y_test) == 100 and np.mean(data.y_test) == 0.5
    other = datasets.moons(400, rng=1)
    assert not np.array_equal(data.X_train, other.X_train)
    raw = datasets.blobs(90, centers=3, standardize=False, rng=0)
    assert np.bincount(raw.y_test).tolist() == [8, 8, 8]     # round(0.25 * 30) per class


def test_xor_tests_on_the_four_corners():
    data = datasets.xor(n_samples=40, noise=0.1, rng=0, standardize=False)
    np.testing.assert_array_equal(data.X_test, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(data.y_test, [0, 1, 1, 0])
    assert data.X_train.shape == (40, 2) and data.n_classes == 2


def test_real_datasets_have_their_sizes():
    digits = datasets.digits(rng=0)
    assert digits.n_features == 64 and digits.n_classes == 10
    assert len(digits.y_train) + len(digits.y_test) == 1797
    assert datasets.iris().n_classes == 3 and datasets.breast_cancer().n_features == 30


@pytest.mark.parametrize("make,message", [
    (lambda: datasets.load("mnist"), "dataset must be one of"),
    (lambda: datasets.moons(3), "n_samples must be an integer >= 4, got 3"),
    (lambda: datasets.moons(noise=-1.0), "noise must be a non-negative number, got -1.0"),
    (lambda: datasets.moons(test_size=1.0), "test_size must be a finite number >= 0.0 and < "
                                            "1.0, got 1.0"),
])
def test_errors(make, message):
    with pytest.raises(ValueError) as info:
        make()
    assert message in str(info.value)
