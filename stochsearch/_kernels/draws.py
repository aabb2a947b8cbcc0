"""Cheap draws from the run's Generator for the genetic algorithm's hot loops.

numba's ``rng.random()`` calls the bit generator's ``next_double`` and costs 4.2 ns; a raw
64-bit word (``next_uint64``, the same call numpy's own ``random_raw`` makes) costs 1.9 ns
(measured with numba 0.68 on PCG64). Both consume one word of the stream.

- ``uniform01(rng)`` is ``(word >> 11) * 2**-53``: exactly ``rng.random()`` for every bit
  generator whose ``next_double`` is built that way (PCG64, the default, PCG64DXSM, Philox,
  SFC64), and a uniform double on the same 2**53 grid for the others (MT19937 builds its double
  from two 32-bit outputs).
- ``next_index(n, reject_below, word, left, rng)`` draws an index uniform in ``0 .. n-1`` from
  the next 21-bit chunk of a word, three chunks a word (lowest bits first), by Lemire's
  multiply-shift: ``chunk * n`` split into the index (its bits above 21) and a remainder (its
  low 21 bits); a remainder below ``2**21 mod n`` (``index_threshold(n)``) is rejected and the
  next chunk taken, which makes every index exactly equally likely (rejection probability below
  ``n / 2**21``: 5e-5 for a population of 100). ``n`` must be at most ``MAX_INDEXED`` (2**21).
"""
from __future__ import annotations

import numpy as np
from numba.np.random.generator_core import next_uint64

from .jit import kernel

INDEX_BITS = 21
INDICES_PER_WORD = 3
MAX_INDEXED = 1 << INDEX_BITS
_MASK = np.uint64(MAX_INDEXED - 1)
_SHIFT = np.uint64(INDEX_BITS)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53


@kernel(inline=True)
def word(rng):
    """The next 64-bit word of the Generator's bit generator (``random_raw`` in numpy)."""
    return next_uint64(rng.bit_generator)


@kernel(inline=True)
def bits53(rng):
    """53 random bits: ``int(rng.random() * 2**53)`` for PCG64 (see the module docstring)."""
    return word(rng) >> np.uint64(11)


@kernel(inline=True)
def uniform01(rng):
    """A uniform double in [0, 1): ``rng.random()`` for PCG64 (see the module docstring)."""
    return float(word(rng) >> np.uint64(11)) * _TO_UNIT


@kernel(inline=True)
def index_threshold(n):
    """``2**21 mod n``: the remainders below it are rejected by ``next_index``."""
    return np.uint64(MAX_INDEXED % n)


@kernel(inline=True)
def next_index(n, reject_below, bits, left, rng):
    """An index uniform in ``0 .. n-1`` from the chunks of ``bits`` (``left`` of them unused;
    a new word when none is left). Returns ``(index, bits, left)``."""
    span = np.uint64(n)
    while True:
        if left == 0:
            bits = word(rng)
            left = INDICES_PER_WORD
        product = (bits & _MASK) * span
        bits >>= _SHIFT
        left -= 1
        if (product & _MASK) >= reject_below:
            return np.int64(product >> _SHIFT), bits, left


@kernel(inline=True)
def three_indices(n, reject_below, bits):
    """The three indices of the chunks of the word ``bits`` and whether none was rejected
    (else the indices are meaningless): ``next_index`` three times on a fresh word, when it
    takes no fourth chunk."""
    span = np.uint64(n)
    p0 = (bits & _MASK) * span
    p1 = ((bits >> _SHIFT) & _MASK) * span
    p2 = ((bits >> np.uint64(2 * INDEX_BITS)) & _MASK) * span
    accepted = (p0 & _MASK) >= reject_below and (p1 & _MASK) >= reject_below and \
        (p2 & _MASK) >= reject_below
    return np.int64(p0 >> _SHIFT), np.int64(p1 >> _SHIFT), np.int64(p2 >> _SHIFT), accepted
