"""Call an operator's kernel from a test, as the optimizers do: by address, for its role, with
a Generator rebuilt from a handle (so its draws can be compared with a reference's)."""
from __future__ import annotations

import numpy as np

import stochsearch as ss
from stochsearch._kernels import moves
from stochsearch._kernels.addresses import generator_from_handle, load_function
from stochsearch._rng import generator_handle
from stochsearch._kernels.signatures import function_address


@ss.jit
def _propose(address, x, params, handle):
    y = x.copy()
    move = np.zeros(moves.MOVE_HEADER + x.size, np.int64)
    load_function(address, "propose", x.dtype)(x, y, move, params,
                                               generator_from_handle(handle))
    return y, move


@ss.jit
def _select(address, f, count, params, handle, dtype_of):
    out = np.zeros(count, np.int64)
    load_function(address, "select", dtype_of.dtype)(
        f, out, np.zeros(2 * f.size, np.int64), np.zeros(f.size), params,
        generator_from_handle(handle))
    return out


@ss.jit
def _crossover(address, a, b, params, handle):
    c, d = np.empty_like(a), np.empty_like(b)
    load_function(address, "crossover", a.dtype)(a, b, c, d, params,
                                                 np.zeros(2 * a.size, np.int64),
                                                 generator_from_handle(handle))
    return c, d


@ss.jit
def _mutate(address, x, params, handle):
    y = x.copy()
    load_function(address, "mutate", x.dtype)(y, params, generator_from_handle(handle))
    return y


def propose(neighborhood, space, x, rng):
    """``(y, move)``: a neighbour of ``x`` and its move record."""
    return _propose(function_address(neighborhood.propose, "propose", space.kind), x,
                    neighborhood.pack(space), generator_handle(rng))


def select(selection, space, f, count, rng):
    """``count`` indices chosen among the values ``f``."""
    return _select(function_address(selection.select, "select", space.kind),
                   np.asarray(f, dtype=float), count, selection.pack(space),
                   generator_handle(rng), np.zeros(1, space.dtype))


def crossover(operator, space, a, b, rng):
    """The two children of ``a`` and ``b``."""
    return _crossover(function_address(operator.crossover, "crossover", space.kind), a, b,
                      operator.pack(space), generator_handle(rng))


def mutate(operator, space, x, rng, rate=None):
    """A mutated copy of ``x`` (at the operator's default rate unless ``rate`` is given)."""
    params = operator.pack(space)
    if rate is not None:
        params[0] = rate
    return _mutate(function_address(operator.mutate, "mutate", space.kind), x, params,
                   generator_handle(rng))
