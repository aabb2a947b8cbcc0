"""The one place that sets numba options for the project's kernels.

``cache=True`` so compiled kernels persist across processes; ``error_model="numpy"`` so a
division by zero gives inf or NaN (NaN objective values are data here, DESIGN.md section 5);
``nogil=True`` so threaded executors can run kernels side by side. No fastmath: it would assume
that NaN and inf never occur.
"""
from __future__ import annotations

import numba

__all__ = ["jit"]

_FLAGS = dict(cache=True, nogil=True, error_model="numpy")


def jit(func=None, **overrides):
    """Compile ``func`` with the house flags (usable as ``@jit`` or ``@jit(inline="always")``)."""
    options = {**_FLAGS, **overrides}
    if func is None:
        return lambda f: numba.njit(**options)(f)
    return numba.njit(**options)(func)
