"""Shared fixtures: small problems on every space kind, in a numba and a Python form whose
values agree exactly (so both paths can be compared bit for bit)."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import settings

import stochsearch as ss

# Property tests explore the same examples on every run (CI must not be flaky); run with
# --hypothesis-profile=explore to search afresh.
settings.register_profile("repeatable", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", deadline=None)
settings.load_profile("repeatable")

# --- objectives written once, compiled by numba and run as Python --------------------------


def _rastrigin(x, data):
    total = 10.0 * x.size
    for i in range(x.size):
        z = x[i] - data[i]
        total += z * z - 10.0 * math.cos(2.0 * math.pi * z)
    return total


def _rastrigin_gradient(x, data, out):
    """The gradient of ``_rastrigin`` into ``out``; returns the same value, bit for bit."""
    total = 10.0 * x.size
    for i in range(x.size):
        z = x[i] - data[i]
        total += z * z - 10.0 * math.cos(2.0 * math.pi * z)
        out[i] = 2.0 * z + 20.0 * math.pi * math.sin(2.0 * math.pi * z)
    return total


def _weighted_ones(x, data):
    total = 0.0
    for i in range(x.size):
        total += data[i] * (1.0 - x[i])
    return total


def _displacement(x, data):
    total = 0.0
    for i in range(x.size):
        total += data[i] * abs(x[i] - i)
    return total


def _integer_bumps(x, data):
    """A weighted sphere around an integer centre with bumps of period 4 (local minima of the
    +-1 moves every other step): data is the centre, then the weights."""
    total = 0.0
    n = x.size
    for i in range(n):
        z = x[i] - data[i]
        total += data[n + i] * z * z + 4.0 * (1.0 - math.cos(0.5 * math.pi * z))
    return total


rastrigin_numba = ss.jit(_rastrigin)
rastrigin_gradient_numba = ss.jit(_rastrigin_gradient)
weighted_ones_numba = ss.jit(_weighted_ones)
displacement_numba = ss.jit(_displacement)
integer_bumps_numba = ss.jit(_integer_bumps)

_KINDS = {
    "real": (lambda dim: ss.Real(-5.12, 5.12, dim=dim), _rastrigin, rastrigin_numba),
    "binary": (ss.Binary, _weighted_ones, weighted_ones_numba),
    "permutation": (ss.Permutation, _displacement, displacement_numba),
    "integer": (lambda dim: ss.Integer(-10, 10, dim=dim), _integer_bumps, integer_bumps_numba),
}


def make_problem(kind: str, dim: int = 6, python: bool = False, seed: int = 0) -> ss.Problem:
    """A small problem of ``kind``: a shifted Rastrigin on Real spaces, a weighted OneMax on
    bitstrings, a weighted displacement on permutations, a bumpy weighted sphere around an
    integer centre in ``-10 .. 10``; the Python form evaluates the very
    same arithmetic as the numba form. On Real spaces both forms have the (numba) gradient,
    whose value is the objective's, bit for bit."""
    build_space, py_fun, nb_fun = _KINDS[kind]
    rng = np.random.default_rng(seed)
    if kind == "integer":
        data = np.r_[rng.integers(-6, 7, dim), rng.uniform(0.5, 2.0, dim)].astype(float)
    else:
        data = rng.uniform(-2.0, 2.0, dim) if kind == "real" else rng.uniform(0.5, 2.0, dim)
    space = build_space(dim)
    gradient = rastrigin_gradient_numba if kind == "real" else None
    if python:
        return ss.Problem(space, fun=lambda x: py_fun(np.asarray(x), data), data=data,
                          gradient=gradient, name=f"{kind}-py")
    return ss.Problem(space, objective=nb_fun, data=data, gradient=gradient,
                      name=f"{kind}-nb")


def evaluate_with_gradient(problem: ss.Problem, X):
    """``(f, G)``: the values of the rows of ``X`` and, when the problem has a gradient, the
    gradients (else None), as ``tell(state, X, f, grad=G)`` takes them."""
    f = problem.evaluate(X)
    if problem.gradient is None:
        return f, None
    G = np.empty((len(X), problem.dim))
    for row, x in enumerate(np.asarray(X, dtype=float)):
        problem.gradient(x, problem.data, G[row])
    return f, G


@pytest.fixture(params=sorted(_KINDS))
def kind(request):
    return request.param
