"""Seeded datasets for the network studies: XOR, two moons, circles, spirals, Gaussian blobs,
and scikit-learn's bundled real ones (digits, iris, wine, breast cancer).

Every function returns a ``Dataset`` split into training and test sets (stratified by class,
seeded by ``rng``) and, by default, standardized with the mean and standard deviation of the
training set (the test set never informs them). The synthetic ones are drawn from the
``numpy.random.Generator`` of ``rng``, so a seed gives the same data everywhere.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._rng import RNGLike, as_generator
from .._validation import check_choice, check_int, check_real

__all__ = ["DATASETS", "Dataset", "blobs", "breast_cancer", "circles", "digits", "iris",
           "load", "moons", "spirals", "split", "wine", "xor"]


@dataclass
class Dataset:
    """Training and test sets of a classification task (labels ``0 .. n_classes - 1``)."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    name: str
    n_classes: int

    @property
    def n_features(self) -> int:
        return self.X_train.shape[1]

    def __repr__(self):
        return (f"Dataset({self.name!r}, train={self.X_train.shape}, test={self.X_test.shape}, "
                f"n_classes={self.n_classes})")


def split(X: ArrayLike, y: ArrayLike, test_size: float,
          rng: RNGLike) -> tuple[np.ndarray, ...]:
    """``X_train, X_test, y_train, y_test``: a shuffled split keeping each class's share
    (``round(test_size * count)`` of each class in the test set)."""
    test_size = check_real("test_size", test_size, low=0.0, high=1.0, high_open=True)
    rng, _ = as_generator(rng)
    test = np.zeros(len(y), dtype=bool)
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        test[members[:int(round(test_size * members.size))]] = True
    train_idx, test_idx = rng.permutation(np.flatnonzero(~test)), np.flatnonzero(test)
    return X[train_idx], X[test_idx], y[train_idx], y[test_idx]


def _finish(name, X, y, test_size, standardize, rng, X_test=None, y_test=None) -> Dataset:
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=np.int64)
    if X_test is None:
        X, X_test, y, y_test = split(X, y, test_size, rng)
    if standardize:
        mean, std = X.mean(axis=0), X.std(axis=0)
        std[std == 0.0] = 1.0
        X, X_test = (X - mean) / std, (X_test - mean) / std
    return Dataset(np.ascontiguousarray(X), y, np.ascontiguousarray(X_test), y_test, name,
                   int(max(y.max(), y_test.max())) + 1)


def _noise(rng, shape, noise: float) -> np.ndarray:
    noise = check_real("noise", noise, low=0.0)
    return rng.normal(0.0, noise, shape) if noise else np.zeros(shape)


def xor(n_samples: int = 4, noise: float = 0.0, *, standardize: bool = True,
        rng: RNGLike = None) -> Dataset:
    """The four corners of the unit square, labelled by XOR: ``n_samples`` training points
    cycling through them (with Gaussian ``noise``); the test set is the four corners."""
    n = check_int("n_samples", n_samples, low=4)
    generator, _ = as_generator(rng)
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    labels = np.array([0, 1, 1, 0])
    X = corners[np.arange(n) % 4] + _noise(generator, (n, 2), noise)
    return _finish("xor", X, labels[np.arange(n) % 4], 0.0, standardize, generator,
                   corners, labels)


def moons(n_samples: int = 500, noise: float = 0.2, *, test_size: float = 0.25,
          standardize: bool = True, rng: RNGLike = None) -> Dataset:
    """Two interleaving half circles (scikit-learn's ``make_moons`` shapes)."""
    n = check_int("n_samples", n_samples, low=4)
    generator, _ = as_generator(rng)
    outer, inner = n // 2, n - n // 2
    t_out, t_in = np.linspace(0.0, np.pi, outer), np.linspace(0.0, np.pi, inner)
    X = np.concatenate([np.c_[np.cos(t_out), np.sin(t_out)],
                        np.c_[1.0 - np.cos(t_in), 0.5 - np.sin(t_in)]])
    y = np.r_[np.zeros(outer), np.ones(inner)]
    return _finish("moons", X + _noise(generator, X.shape, noise), y, test_size, standardize,
                   generator)


def circles(n_samples: int = 500, noise: float = 0.1, factor: float = 0.5, *,
            test_size: float = 0.25, standardize: bool = True, rng: RNGLike = None) -> Dataset:
    """A circle inside another, of ``factor`` times its radius."""
    n = check_int("n_samples", n_samples, low=4)
    factor = check_real("factor", factor, low=0.0, high=1.0, low_open=True, high_open=True)
    generator, _ = as_generator(rng)
    outer, inner = n // 2, n - n // 2
    t_out = np.linspace(0.0, 2 * np.pi, outer, endpoint=False)
    t_in = np.linspace(0.0, 2 * np.pi, inner, endpoint=False)
    X = np.concatenate([np.c_[np.cos(t_out), np.sin(t_out)],
                        factor * np.c_[np.cos(t_in), np.sin(t_in)]])
    y = np.r_[np.zeros(outer), np.ones(inner)]
    return _finish("circles", X + _noise(generator, X.shape, noise), y, test_size,
                   standardize, generator)


def spirals(n_samples: int = 500, noise: float = 0.1, turns: float = 1.5, *,
            test_size: float = 0.25, standardize: bool = True, rng: RNGLike = None) -> Dataset:
    """Two interleaved spirals of ``turns`` turns each (Lang and Witbrock 1988)."""
    n = check_int("n_samples", n_samples, low=4)
    turns = check_real("turns", turns, low=0.0, low_open=True)
    generator, _ = as_generator(rng)
    parts, labels = [], []
    for label, count in enumerate((n // 2, n - n // 2)):
        t = np.linspace(0.05, 1.0, count)
        angle = 2 * np.pi * turns * t + np.pi * label
        parts.append(np.c_[t * np.cos(angle), t * np.sin(angle)] * 3.0)
        labels.append(np.full(count, label))
    X = np.concatenate(parts)
    return _finish("spirals", X + _noise(generator, X.shape, noise), np.concatenate(labels),
                   test_size, standardize, generator)


def blobs(n_samples: int = 500, centers: int = 3, n_features: int = 2,
          cluster_std: float = 1.0, *, test_size: float = 0.25, standardize: bool = True,
          rng: RNGLike = None) -> Dataset:
    """Gaussian clusters around ``centers`` random centres in ``[-10, 10]^n_features``."""
    n = check_int("n_samples", n_samples, low=4)
    k = check_int("centers", centers, low=2)
    d = check_int("n_features", n_features, low=1)
    std = check_real("cluster_std", cluster_std, low=0.0)
    generator, _ = as_generator(rng)
    middle = generator.uniform(-10.0, 10.0, (k, d))
    y = np.arange(n) % k
    X = middle[y] + generator.normal(0.0, std, (n, d))
    return _finish("blobs", X, y, test_size, standardize, generator)


def _bundled(name: str, loader: str, test_size, standardize, rng) -> Dataset:
    from .._optional import require

    sk = require("sklearn", f"The {name} dataset (bundled with scikit-learn)").datasets
    X, y = getattr(sk, loader)(return_X_y=True)
    return _finish(name, X, y, test_size, standardize, as_generator(rng)[0])


def digits(*, test_size: float = 0.25, standardize: bool = True, rng: RNGLike = None) -> Dataset:
    """8x8 images of handwritten digits: 1,797 samples, 64 features, 10 classes."""
    return _bundled("digits", "load_digits", test_size, standardize, rng)


def iris(*, test_size: float = 0.25, standardize: bool = True, rng: RNGLike = None) -> Dataset:
    """Fisher's irises: 150 samples, 4 features, 3 classes."""
    return _bundled("iris", "load_iris", test_size, standardize, rng)


def wine(*, test_size: float = 0.25, standardize: bool = True, rng: RNGLike = None) -> Dataset:
    """Wines of three cultivars: 178 samples, 13 features, 3 classes."""
    return _bundled("wine", "load_wine", test_size, standardize, rng)


def breast_cancer(*, test_size: float = 0.25, standardize: bool = True, rng: RNGLike = None) -> Dataset:
    """Wisconsin diagnostic breast cancer: 569 samples, 30 features, 2 classes."""
    return _bundled("breast_cancer", "load_breast_cancer", test_size, standardize, rng)


DATASETS = {"xor": xor, "moons": moons, "circles": circles, "spirals": spirals,
            "blobs": blobs, "digits": digits, "iris": iris, "wine": wine,
            "breast_cancer": breast_cancer}


def load(name: str, **kwargs: Any) -> Dataset:
    """The dataset called ``name`` (a key of ``DATASETS``), with its function's arguments."""
    return DATASETS[check_choice("dataset", name, DATASETS)](**kwargs)
