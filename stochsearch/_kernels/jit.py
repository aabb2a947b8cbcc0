"""The one place that sets numba options for the project's compiled code.

Two decorators:

- ``jit`` for functions that may allocate (objectives, references, anything a user writes);
- ``kernel`` for the library's kernels, which never allocate: they are compiled without
  reference counting. A step of a kernel passes views of its state arrays down several calls,
  and numba's atomic reference counts on them cost more than the step itself on a cheap
  objective (measured: 256 ns of overhead per annealing step with them; see
  bench/perf_core.py).

Both use ``cache=True`` so compiled code persists across processes; ``error_model="numpy"`` so a
division by zero gives inf or NaN (NaN objective values are data here, DESIGN.md section 5);
``nogil=True`` so threaded executors can run them side by side. No fastmath: it would assume
that NaN and inf never occur.
"""
from __future__ import annotations

import numba

__all__ = ["jit", "kernel"]

_FLAGS = dict(cache=True, nogil=True, error_model="numpy")


def jit(func=None, **overrides):
    """Compile ``func`` with the house flags (``@jit`` or ``@jit(inline="always")``).

    Functions that do not come from an importable Python file (typed at a prompt, or run with
    ``exec`` from a document) and closures are not cached: numba cannot load them back in a new
    process.
    """
    if func is None:
        return lambda f: jit(f, **overrides)
    options = {**_FLAGS, **overrides}
    if not _cacheable(func):
        options["cache"] = False
    return numba.njit(**options)(func)


def _cacheable(func) -> bool:
    filename = getattr(getattr(func, "__code__", None), "co_filename", "")
    # A closure (e.g. a wrapper around a user's function) holds values numba cannot save.
    closure = getattr(func, "__closure__", None)
    return bool(getattr(func, "__module__", None)) and filename.endswith(".py") \
        and closure is None


def kernel(func=None, *, inline: bool = False):
    """Compile a library kernel: the house flags, without reference counting (no allocation
    is possible inside). ``inline=True`` inlines it into its callers at numba's level: numba
    does not inline calls across functions otherwise, and a call passes each array as seven
    words, which costs more than a small helper's body."""
    options = dict(_nrt=False, **_FLAGS)
    if inline:
        options["inline"] = "always"
    if func is None:
        return lambda f: numba.njit(**options)(f)
    return numba.njit(**options)(func)
