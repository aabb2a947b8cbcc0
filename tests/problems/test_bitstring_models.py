"""Tests of the bitstring models (problems/bitstring_models.py): known optima, values at random
points, seeded masks, and agreement with the plain references of
tests/reference/bitstring_models.py."""
from __future__ import annotations

import itertools
import pickle

import numpy as np
import pytest

from stochsearch import PROBLEMS
from stochsearch.problems.bitstring_models import LABS, IsingRing, IsingTorus, WModel
from tests.reference import bitstring_models as ref

W_CASES = [dict(base=base, mu=mu, nu=nu, gamma=gamma)
           for base in ("onemax", "leadingones")
           for mu, nu, gamma in [(1, 1, 1), (2, 1, 1), (1, 4, 1), (1, 6, 1), (1, 1, 3), (2, 4, 2)]]


def points(n, count=200, seed=0):
    return np.random.default_rng(seed).integers(0, 2, (count, n)).astype(np.int8)


@pytest.mark.parametrize("params", W_CASES, ids=lambda p: "-".join(map(str, p.values())))
@pytest.mark.parametrize("shift", [False, True])
def test_w_model_agrees_with_reference_and_optimum(params, shift):
    problem = WModel(18, **params, shift=shift, seed=2)
    mask = problem.data[4:4 + 18]
    assert problem(problem.x_opt) == problem.f_opt == -(18 // params["mu"])
    X = points(18)
    f = problem.evaluate(X)
    assert np.all(f >= problem.f_opt)
    for x, value in zip(X[:40], f[:40]):
        assert value == ref.w_model(x, mask, **params)


def test_w_model_layers_are_bijective_and_rugged():
    # Epistasis alone is a bijection: OneMax through it takes every level n choose k times.
    problem = WModel(8, nu=4)
    values = problem.evaluate(np.array(list(itertools.product([0, 1], repeat=8)), np.int8))
    assert np.array_equal(np.bincount(-values.astype(int)), [1, 8, 28, 56, 70, 56, 28, 8, 1])
    rugged = WModel(6, gamma=2)
    assert [rugged(np.r_[np.ones(k), np.zeros(6 - k)]) for k in range(7)] == \
        [-1, 0, -3, -2, -5, -4, -6]
    with pytest.raises(ValueError, match="multiple"):
        WModel(9, mu=2)


@pytest.mark.parametrize("n", [5, 12])
def test_labs_energy_and_optimum(n):
    problem = LABS(n, shift=True, seed=1)
    for x in points(n, 30):
        assert problem(x) == ref.labs(x, problem.data)
    everything = np.array(list(itertools.product([0, 1], repeat=n)), np.int8)
    assert problem.f_opt == problem.evaluate(everything).min()
    assert LABS(16).f_opt == 24.0 and LABS(21).f_opt is None


@pytest.mark.parametrize("cls, reference, n", [(IsingRing, ref.ising_ring, 10),
                                               (IsingTorus, ref.ising_torus, 16),
                                               (IsingTorus, ref.ising_torus, 25)])
def test_ising_agrees_with_reference_and_optimum(cls, reference, n):
    problem = cls(n, shift=True, seed=3)
    mask = problem.data[2:]
    for x in points(n, 50):
        assert problem(x) == reference(x, mask)
    assert problem(problem.x_opt) == problem(1 - problem.x_opt) == problem.f_opt
    assert np.all(problem.evaluate(points(n)) > problem.f_opt)


@pytest.mark.parametrize("make", [lambda s: WModel(16, mu=2, nu=4, shift=True, seed=s),
                                  lambda s: LABS(16, shift=True, seed=s),
                                  lambda s: IsingRing(16, shift=True, seed=s),
                                  lambda s: IsingTorus(16, shift=True, seed=s)])
def test_instances_are_seeded_and_pickle(make):
    a, b, c = make(1), make(1), make(2)
    assert np.array_equal(a.data, b.data) and not np.array_equal(a.data, c.data)
    X = points(16, 20)
    assert np.array_equal(pickle.loads(pickle.dumps(a)).evaluate(X), a.evaluate(X))
    assert isinstance(PROBLEMS.get(a.key)(16), type(a))


def test_torus_needs_a_square():
    with pytest.raises(ValueError, match="square"):
        IsingTorus(20)
