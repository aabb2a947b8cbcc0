"""Operators written in Python, called from kernels through numba's object mode.

Each role a user may write in Python (a neighbourhood's ``propose``, the genetic algorithm's
``mutate`` and ``crossover``) has one compiled function here with that role's signature, so
kernels call it by address like any built-in operator. It hands its arrays, the operator's key
(in its parameters) and the address of the run's bit generator to ``HANDLERS[role]``, set by
``stochsearch.operators.python``, which calls the user's function with the run's own
``numpy.random.Generator`` and checks what it returns. An exception raised there propagates
out of the kernel. Each call leaves compiled code and takes the GIL, hence slower than a
compiled operator (measured in ``docs/guide/operators.md``).
"""
from __future__ import annotations

import numba
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

from .addresses import _BIT_GENERATOR, _GENERATOR
from .jit import calls_python

__all__ = ["CROSSOVER_KEY", "HANDLERS", "MUTATION_KEY", "NEIGHBORHOOD_KEY", "crossover",
           "generator_address", "mutate", "propose"]

#: where each role's parameter array holds the operator's key (a mutation's starts with its
#: rate and two cache slots, stochsearch.operators.mutation); the space's box follows the key
NEIGHBORHOOD_KEY = 0
MUTATION_KEY = 3
CROSSOVER_KEY = 0

#: role -> Python function(key, generator_address, params, *arrays), set by the operators
HANDLERS: dict = {}


@intrinsic
def generator_address(typingctx, rng):
    """The address of ``rng``'s bit generator struct (``_rng.handle_words(...)[4]``), which
    names the Python Generator the run draws from."""
    if not isinstance(rng, types.NumPyRandomGeneratorType):
        return None

    def codegen(context, builder, signature, args):
        generator = cgutils.create_struct_proxy(_GENERATOR)(context, builder, value=args[0])
        bit_generator = cgutils.create_struct_proxy(_BIT_GENERATOR)(
            context, builder, value=generator.bit_generator)
        value = bit_generator.bit_generator
        target = context.get_value_type(types.uint64)
        if value.type != target:
            value = builder.ptrtoint(value, target)
        return value

    return types.uint64(rng), codegen


def _propose(key, address, params, x, y, move):
    HANDLERS["propose"](key, address, params, x, y, move)


def _mutate(key, address, params, x):
    HANDLERS["mutate"](key, address, params, x)


def _crossover(key, address, params, a, b, c, d):
    HANDLERS["crossover"](key, address, params, a, b, c, d)


@calls_python
def propose(x, y, move, params, rng):
    """Role ``propose``: the user's ``step(x, rng) -> y``."""
    key = params[NEIGHBORHOOD_KEY]
    address = generator_address(rng)
    with numba.objmode():
        _propose(key, address, params, x, y, move)


@calls_python
def mutate(x, params, rng):
    """Role ``mutate``: the user's ``mutate(x, rate, rng) -> child``."""
    key = params[MUTATION_KEY]
    address = generator_address(rng)
    with numba.objmode():
        _mutate(key, address, params, x)


@calls_python
def crossover(a, b, c, d, params, work, rng):
    """Role ``crossover``: the user's ``crossover(a, b, rng) -> (c, d)``."""
    key = params[CROSSOVER_KEY]
    address = generator_address(rng)
    with numba.objmode():
        _crossover(key, address, params, a, b, c, d)
