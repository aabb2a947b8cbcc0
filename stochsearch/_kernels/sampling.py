"""Uniform points of a space drawn in compiled code, draw for draw as numpy draws them.

``numpy.random.Generator.integers`` spends about 4 microseconds checking its arguments before
drawing (a tenth of a short run on a bitstring problem, and of each restart); numba's
``integers`` is the same algorithm on the same bit generator (numpy's buffered bounded draws),
reached through the Generator's handle (``_rng.handle_words``).
"""
from __future__ import annotations

import numpy as np

from .addresses import generator_from_handle
from .jit import jit

__all__ = ["binary_rows"]


@jit
def binary_rows(handle, n, dim):
    """``rng.integers(0, 2, size=(n, dim), dtype=np.int8)`` of the Generator of ``handle``."""
    rng = generator_from_handle(handle)
    return rng.integers(0, 2, (n, dim), np.int8)
