"""Tests of the continuous landscapes (problems/landscapes.py), over every landscape in the
catalogue: optimum, agreement with the numpy references, gradients, shifts and rotations."""
from __future__ import annotations

import functools
import pickle

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from stochsearch import PROBLEMS
from stochsearch.problems import landscapes
from stochsearch.problems.landscapes import Landscape
from tests.reference.landscapes import REFERENCES, transform

LANDSCAPES = [obj for obj in (getattr(landscapes, name) for name in landscapes.__all__)
              if isinstance(obj, type) and issubclass(obj, Landscape) and obj is not Landscape]
TWO_D = [cls for cls in LANDSCAPES if cls.fixed_dim == 2]

#: How each instance is built: textbook, shifted, shifted and rotated, rotated in place.
VARIANTS = {
    "plain": {},
    "shifted": dict(shift=True, seed=1),
    "rotated": dict(shift=True, rotate=True, seed=2),
    "rotated-in-place": dict(rotate=True, seed=3),
}
CASES = [pytest.param(cls, variant, id=f"{cls.__name__}-{variant}")
         for cls in LANDSCAPES for variant in ("plain", "shifted", "rotated")]
EXAMPLES = settings(max_examples=50, deadline=None)
TOLERANCE = dict(rtol=1e-12, atol=1e-9)


def by_name(classes):
    return pytest.mark.parametrize("cls", classes, ids=lambda cls: cls.__name__)


@functools.lru_cache(maxsize=None)
def make(cls, variant="plain"):
    return cls(cls.fixed_dim or 4, **VARIANTS[variant])


def draw_point(data, problem):
    """A point of the problem's box, drawn by hypothesis (bounds and centre included)."""
    unit = data.draw(arrays(np.float64, problem.dim, elements=st.floats(0.0, 1.0)))
    return problem.space.lower + unit * problem.space.width


def kink_distance(key, z):
    """How far ``z`` is from where the landscape is not differentiable (or its derivatives blow
    up): finite differences are not to be trusted there."""
    if key == "ackley":
        return np.linalg.norm(z)
    if key == "schwefel":
        return min(np.abs(z).min(), np.abs(500.0 - np.abs(z)).min())
    if key == "michalewicz":
        return min(np.abs(z).min(), np.abs(z - np.pi).min())
    if key == "eggholder":
        u, v = np.clip(z, -512.0, 512.0)
        return min(abs(v + 47.0 + u / 2.0), abs(u - v - 47.0), np.abs(512.0 - np.abs(z)).min())
    return np.inf


def central_differences(problem, x):
    step = 1e-6 * problem.space.width
    fd = np.empty(x.size)
    for i in range(x.size):
        up, down = x.copy(), x.copy()
        up[i] += step[i]
        down[i] -= step[i]
        fd[i] = (problem.objective(up, problem.data) - problem.objective(down, problem.data)) \
            / (up[i] - down[i])
    return fd


# --- the catalogue ----------------------------------------------------------------------------
def test_every_landscape_is_registered_exported_and_has_a_reference():
    # The BBOB-style landscapes have their own tests (test_bbob_functions.py).
    registered = {cls for _, cls in PROBLEMS.items()
                  if isinstance(cls, type) and issubclass(cls, Landscape)
                  and cls.__module__ == landscapes.__name__}
    assert registered == set(LANDSCAPES)
    assert len(LANDSCAPES) >= 15
    for cls in LANDSCAPES:
        assert PROBLEMS.get(cls.key) is cls
        assert cls.key in REFERENCES, f"no numpy reference for {cls.__name__}"
        assert cls.__doc__ and "x_opt" in cls.__doc__ and "f_opt" in cls.__doc__


# --- the optimum ------------------------------------------------------------------------------
@by_name(LANDSCAPES)
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_value_at_x_opt_is_f_opt(cls, variant):
    problem = make(cls, variant)
    assert problem.space.contains(problem.x_opt)
    assert np.isclose(problem(problem.x_opt), problem.f_opt, **TOLERANCE)


@by_name(LANDSCAPES)
def test_textbook_optimum_is_stationary(cls):
    # Catches an optimum given to too few digits. Eggholder's lies on the edge of its box,
    # where only the coordinate along the edge has a zero derivative.
    problem = make(cls)
    out = np.empty(problem.dim)
    cls.gradient(problem.x_opt, problem.data, out)
    inside = (problem.x_opt > problem.space.lower) & (problem.x_opt < problem.space.upper)
    assert np.all(np.abs(out[inside]) < 1e-8 * (1.0 + abs(problem.f_opt)))
    assert inside.any()


@pytest.mark.parametrize("dim", [1, 10, 50])
def test_schwefel_optimum_is_zero_to_rounding(dim):
    problem = landscapes.Schwefel(dim)
    assert abs(problem(problem.x_opt)) < 1e-10


@pytest.mark.parametrize("dim, published", [(2, -1.8013034100985537), (5, -4.687658179087),
                                            (10, -9.66015171564134)])
def test_michalewicz_reproduces_the_published_optima(dim, published):
    assert np.isclose(landscapes.Michalewicz.f_opt_of(dim), published, rtol=1e-12, atol=0)


def test_michalewicz_optimum_of_dimension_two():
    assert np.allclose(landscapes.Michalewicz.z_opt(2), [2.20290552017, 1.57079632679],
                       rtol=0, atol=1e-11)


# --- agreement with the numpy references ------------------------------------------------------
@pytest.mark.parametrize("cls, variant", CASES)
@EXAMPLES
@given(data=st.data())
def test_objective_matches_reference(cls, variant, data):
    problem = make(cls, variant)
    x = draw_point(data, problem)
    expected = REFERENCES[cls.key](transform(x, problem.data))
    # Rotated: numpy's matrix product and the kernel's loop round z differently (~1e-13),
    # which functions with large cancelling terms (Eggholder: ~500) magnify.
    tolerance = 1e-9 if variant == "rotated" else 1e-12
    assert np.isclose(cls.objective(x, problem.data), expected, rtol=tolerance, atol=tolerance)


@pytest.mark.parametrize("cls, variant", CASES)
def test_no_point_of_the_box_beats_f_opt(cls, variant):
    # Also the check of the penalty outside the natural box of Schwefel, Michalewicz and
    # Eggholder: shifted and rotated, much of the search box lies outside it.
    problem = make(cls, variant)
    X = problem.space.sample(np.random.default_rng(7), 2000)
    f = problem.evaluate(X)
    assert np.allclose(f, REFERENCES[cls.key](transform(X, problem.data)), rtol=1e-12,
                       atol=1e-12)
    assert f.min() >= problem.f_opt - 1e-9


@pytest.mark.parametrize("cls, variant", CASES)
def test_problem_objective_is_the_class_objective_bit_for_bit(cls, variant):
    # An unrotated instance runs the kernel written for it (``unrotated``), which must give the
    # class objective's (and the gradient's) value exactly, not merely closely.
    problem = make(cls, variant)
    assert (problem.objective is cls.unrotated) == (variant != "rotated")
    X = problem.space.sample(np.random.default_rng(11), 200)
    X = np.vstack([X, 3.0 * X[:20]])  # points outside the box too (clipped landscapes)
    out = np.empty(problem.dim)
    for x in X:
        value = np.float64(problem.objective(x, problem.data))
        assert value.view(np.int64) == np.float64(cls.objective(x, problem.data)).view(np.int64)
        assert np.float64(cls.gradient(x, problem.data, out)).view(np.int64) == \
            value.view(np.int64)


# --- gradients --------------------------------------------------------------------------------
@pytest.mark.parametrize("cls, variant", CASES)
@EXAMPLES
@given(data=st.data())
def test_gradient_matches_central_differences(cls, variant, data):
    problem = make(cls, variant)
    x = draw_point(data, problem)
    assume(kink_distance(cls.key, transform(x, problem.data)) > 0.01 * problem.space.width.mean())
    out = np.empty(problem.dim)
    assert cls.gradient(x, problem.data, out) == cls.objective(x, problem.data)
    fd = central_differences(problem, x)
    np.testing.assert_allclose(out, fd, rtol=1e-5, atol=1e-5 * (np.abs(fd).max() + 1.0))


# --- shifts, rotations, seeds -----------------------------------------------------------------
@by_name(LANDSCAPES)
@pytest.mark.parametrize("rotate", [False, True])
@pytest.mark.parametrize("seed", [0, 1])
def test_shift_moves_the_optimum_into_the_box(cls, rotate, seed):
    textbook = make(cls)
    problem = cls(textbook.dim, shift=True, rotate=rotate, seed=seed)
    assert problem.space == textbook.space
    assert problem.space.contains(problem.x_opt)
    assert np.all(np.abs(problem.x_opt - textbook.x_opt) > 1e-3 * problem.space.width)
    assert problem(textbook.x_opt) > problem.f_opt + 1e-3 * (1.0 + abs(problem.f_opt))


@by_name(LANDSCAPES)
def test_explicit_shift_puts_the_optimum_there(cls):
    space = make(cls).space
    target = space.lower + np.linspace(0.3, 0.6, space.dim) * space.width
    problem = cls(space.dim, shift=target, rotate=True, seed=5)
    assert np.array_equal(problem.x_opt, target)
    assert np.isclose(problem(target), problem.f_opt, **TOLERANCE)


@by_name(LANDSCAPES)
def test_seed_fixes_the_instance(cls):
    dim = make(cls).dim
    first, again = (cls(dim, shift=True, rotate=True, seed=11) for _ in range(2))
    other = cls(dim, shift=True, rotate=True, seed=12)
    assert np.array_equal(first.data, again.data) and first.name == again.name
    assert np.all(first.data[1:1 + dim] != other.data[1:1 + dim])
    assert not np.array_equal(first.x_opt, other.x_opt)


@by_name(LANDSCAPES)
@pytest.mark.parametrize("variant", ["plain", "rotated"])
def test_pickle_round_trip(cls, variant):
    problem = make(cls, variant)
    copy = pickle.loads(pickle.dumps(problem))
    assert type(copy) is cls and copy.name == problem.name and copy.space == problem.space
    assert np.array_equal(copy.data, problem.data) and copy.f_opt == problem.f_opt
    X = problem.space.sample(np.random.default_rng(0), 20)
    assert np.array_equal(copy.evaluate(X), problem.evaluate(X))


# --- dimensions -------------------------------------------------------------------------------
@by_name(TWO_D)
@pytest.mark.parametrize("dim", [1, 3, 10])
def test_two_dimensional_landscapes_refuse_other_dimensions(cls, dim):
    with pytest.raises(ValueError, match=f"{cls.__name__} is 2-dimensional, got dim={dim}"):
        cls(dim)
    assert cls().dim == cls(2).dim == 2


def test_rosenbrock_needs_two_dimensions():
    with pytest.raises(ValueError, match="dim must be at least 2 for Rosenbrock, got 1"):
        landscapes.Rosenbrock(1)


@by_name([cls for cls in LANDSCAPES if cls.fixed_dim is None and cls.min_dim == 1])
def test_one_dimensional_instances(cls):
    problem = cls(1, shift=True, rotate=True)
    assert np.isclose(problem(problem.x_opt), problem.f_opt, **TOLERANCE)
    x = problem.space.sample(np.random.default_rng(3), 5)
    assert np.allclose(problem.evaluate(x), REFERENCES[cls.key](transform(x, problem.data)),
                       rtol=1e-12, atol=1e-12)
