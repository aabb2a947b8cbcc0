"""Tests of the BBOB-style landscapes (problems/bbob_functions.py): the optimum and its value,
values above it elsewhere, shifts and rotations that move the optimum but keep its value,
seeded instances, and agreement with the plain numpy references of tests/reference/bbob.py."""
from __future__ import annotations

import pickle

import numpy as np
import pytest

from stochsearch import PROBLEMS
from stochsearch.problems import bbob_functions
from stochsearch.problems.bbob_functions import Gallagher, LinearSlope, LunacekBiRastrigin
from tests.reference import bbob as ref

CLASSES = [getattr(bbob_functions, name) for name in bbob_functions.__all__]
VARIANTS = {
    "plain": {},
    "shifted": dict(shift=True, seed=1),
    "rotated": dict(shift=True, rotate=True, seed=2),
}
CASES = [pytest.param(cls, variant, dim, id=f"{cls.__name__}-{variant}-{dim}")
         for cls in CLASSES for variant in VARIANTS for dim in (2, 5)
         if not (cls is LinearSlope and variant == "rotated")]


def random_points(problem, count=300, seed=0):
    rng = np.random.default_rng(seed)
    return problem.space.lower + rng.random((count, problem.dim)) * problem.space.width


@pytest.mark.parametrize("cls, variant, dim", CASES)
def test_optimum_value_and_lower_bound(cls, variant, dim):
    problem = cls(dim, **VARIANTS[variant])
    assert problem.f_opt == 0.0
    assert problem(problem.x_opt) == pytest.approx(0.0, abs=1e-12)
    assert np.all((problem.x_opt >= problem.space.lower) & (problem.x_opt <= problem.space.upper))
    assert np.all(problem.evaluate(random_points(problem)) >= problem.f_opt)


@pytest.mark.parametrize("cls", [c for c in CLASSES if c is not LinearSlope],
                         ids=lambda c: c.__name__)
def test_shift_and_rotation_move_the_optimum_not_its_value(cls):
    shifted = cls(5, shift=True, rotate=True, seed=7)
    other = cls(5, shift=True, rotate=True, seed=8)
    assert not np.allclose(shifted.x_opt, other.x_opt)
    assert shifted(shifted.x_opt) == pytest.approx(0.0, abs=1e-12)
    assert other(other.x_opt) == pytest.approx(0.0, abs=1e-12)
    assert shifted(other.x_opt) > 0.0


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_instances_are_determined_by_their_seed(cls):
    rotate = cls is not LinearSlope
    a, b = cls(5, shift=True, rotate=rotate, seed=3), cls(5, shift=True, rotate=rotate, seed=3)
    c = cls(5, shift=True, rotate=rotate, seed=4)
    assert np.array_equal(a.data, b.data) and a.name == b.name
    assert not np.array_equal(a.data, c.data)
    X = random_points(a, 20)
    assert np.array_equal(a.evaluate(X), pickle.loads(pickle.dumps(a)).evaluate(X))
    assert isinstance(PROBLEMS.get(cls.key)(5), cls)


def reference_value(problem, x):
    n = problem.dim
    s = problem.data[1:1 + n]
    rotated = problem.data[0] != 0.0
    R = problem.data[1 + n:1 + n + n * n].reshape(n, n) if rotated else None
    extra = problem.data[1 + n + (n * n if rotated else 0):]
    z = ref.z_of(x, s, R)
    if isinstance(problem, Gallagher):
        p = int(extra[0])
        heights, rest = extra[1:1 + p], extra[1 + p:]
        return ref.gallagher(z, heights, rest[:p * n].reshape(p, n), rest[p * n:].reshape(p, n))
    if isinstance(problem, LunacekBiRastrigin):
        return ref.lunacek(z, extra)
    if isinstance(problem, LinearSlope):
        return ref.linear_slope(np.asarray(x, float), problem.x_opt)
    return getattr(ref, problem.objective.__name__)(z)


@pytest.mark.parametrize("cls, variant, dim", CASES)
def test_values_agree_with_the_numpy_reference(cls, variant, dim):
    problem = cls(dim, **VARIANTS[variant])
    for x in random_points(problem, 8, seed=dim):
        assert problem(x) == pytest.approx(reference_value(problem, x), rel=1e-10, abs=1e-10)


def test_gallagher_peaks_and_lunacek_funnels():
    few = Gallagher(4, peaks=21)
    assert few.data[1 + 4] == 21 and few.data.size == 1 + 4 + 1 + 21 * (1 + 2 * 4)
    assert Gallagher(3, peaks=21, shift=True, seed=1).name.endswith("-p21")
    lunacek = LunacekBiRastrigin(10, shift=True, seed=5)
    assert np.allclose(np.abs(lunacek.x_opt), 2.5)
    with pytest.raises(ValueError, match="rotate"):
        LinearSlope(3, rotate=True)
    with pytest.raises(ValueError, match="peaks"):
        Gallagher(3, peaks=1)
