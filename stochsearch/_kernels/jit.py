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

numba caches beside the source, in ``__pycache__``. For an installed copy of the package (under
``site-packages``) that would leave files pip did not install and does not remove: after
``pip uninstall`` (or the ``pip install -e .`` that replaces it), the leftover
``site-packages/stochsearch`` folder is a namespace package that shadows the next install
(``cannot import name '__version__'``). So the code of an installed copy is cached in numba's
per-user cache folder instead (``NUMBA_CACHE_DIR`` still wins); a source checkout keeps its
cache in its ``__pycache__``.
"""
from __future__ import annotations

import os
import pathlib
from collections.abc import Callable
from typing import Any

import numba
from numba.core import caching

__all__ = ["jit", "kernel"]

_FLAGS = dict(cache=True, nogil=True, error_model="numpy")

#: The folder of the ``stochsearch`` package, and whether it is an installed copy.
_PACKAGE = pathlib.Path(__file__).resolve().parents[1]
_INSTALLED = any(p.name in ("site-packages", "dist-packages") for p in _PACKAGE.parents)


def _in_installed_package(py_file) -> bool:
    if not _INSTALLED:
        return False
    try:
        return pathlib.Path(py_file).resolve().is_relative_to(_PACKAGE)
    except (OSError, ValueError):
        return False


# numba 0.60 names these with a leading underscore, later versions without.
_Impl = getattr(caching, "CacheImpl", None) or getattr(caching, "_CacheImpl")
_UserWide = getattr(caching, "UserWideCacheLocator", None) or \
    getattr(caching, "_UserWideCacheLocator")
_UserProvided = getattr(caching, "UserProvidedCacheLocator", None) or \
    getattr(caching, "_UserProvidedCacheLocator")


class _InstalledPackageLocator(_UserWide):
    """Caches the code of an installed copy of the package in numba's per-user cache folder
    (a subfolder per source folder), never inside site-packages."""

    @classmethod
    def from_function(cls, py_func, py_file):
        if not _in_installed_package(py_file):
            return None
        return super().from_function(py_func, py_file)


if not any(k.__name__ == _InstalledPackageLocator.__name__ for k in _Impl._locator_classes):
    # After NUMBA_CACHE_DIR's locator (an explicit choice wins), before the in-tree one.
    _at = next((i + 1 for i, k in enumerate(_Impl._locator_classes) if k is _UserProvided), 0)
    _Impl._locator_classes.insert(_at, _InstalledPackageLocator)


def jit(func: Callable[..., Any] | None = None, **overrides: Any) -> Any:
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


def calls_python(func):
    """``@jit`` for a function that calls Python in an object-mode block (an operator written
    in Python): it holds the GIL there anyway, so it is compiled without ``nogil`` (which numba
    would otherwise warn about at every compilation)."""
    return jit(func, nogil=False)


def _cacheable(func) -> bool:
    """Whether numba can cache ``func``: code compiled from a Python file that exists (not
    ``exec`` of a string under a made-up ``.py`` name, which numba cannot locate)."""
    filename = getattr(getattr(func, "__code__", None), "co_filename", "")
    # A closure (e.g. a wrapper around a user's function) holds values numba cannot save.
    closure = getattr(func, "__closure__", None)
    return bool(getattr(func, "__module__", None)) and filename.endswith(".py") and \
        os.path.isfile(filename) and closure is None


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
