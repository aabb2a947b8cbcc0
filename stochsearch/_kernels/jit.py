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

numba invalidates a cached function when its own source file changes, not when a function it
calls or inlines from another file does: after an edit to a helper (a draw, an operator, an
objective), its callers in other files went on loading the old machine code (seen: a GA run
twice as slow as its source, from a kernel cached before an inlined helper changed). So every
function of the package is stamped with its file *and* a fingerprint of every source file of
the package and its problem catalogue (path, modification time and size, ``package_stamp``):
any edit recompiles the package's kernels, and an upgraded installed copy never runs code
cached from the previous one. Functions compiled elsewhere with ``jit`` or ``kernel`` (a
user's objective, a benchmark's reference) may inline the package's helpers too, so they carry
the same stamp, in numba's usual cache folders.
"""
from __future__ import annotations

import hashlib
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


#: Source folders whose code the package compiles: the package and, in a source checkout, the
#: problem catalogue beside it (installed, it is ``stochsearch/problems``, inside the package).
_ROOTS = tuple(root for root in (_PACKAGE, _PACKAGE.parent / "problems")
               if root == _PACKAGE or (root / "_catalogue.py").is_file())


def _within(py_file, roots) -> bool:
    try:
        path = pathlib.Path(py_file).resolve()
    except (OSError, ValueError):
        return False
    return any(path.is_relative_to(root) for root in roots)


def _in_installed_package(py_file) -> bool:
    return _INSTALLED and _within(py_file, (_PACKAGE,))


#: Attribute that ``jit`` and ``kernel`` set on the functions they compile.
_MARK = "_stochsearch_compiled"


def _stamped(py_func, py_file) -> bool:
    """Whether a function's cache is stamped with the package: the package's own functions,
    and any function compiled with ``jit`` or ``kernel``."""
    return getattr(py_func, _MARK, False) or _within(py_file, _ROOTS)


#: The package's own fingerprint, computed once per process (``package_stamp()``).
_STAMP: list[str] = []


def package_stamp(roots=None) -> str:
    """A fingerprint of every ``.py`` file under ``roots`` (default: the package's, computed
    once per process): its path, modification time and size (stat only, no reading: about a
    millisecond for the package)."""
    if roots is None:
        if not _STAMP:
            _STAMP.append(package_stamp(_ROOTS))
        return _STAMP[0]
    entries = []
    for root in roots:
        for folder, subfolders, files in os.walk(root):
            subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(".py"):
                    path = os.path.join(folder, name)
                    st = os.stat(path)
                    entries.append(f"{os.path.relpath(path, root)}:{st.st_mtime_ns}:{st.st_size}")
    return hashlib.sha256("\n".join(entries).encode()).hexdigest()[:16]


class _PackageStamp:
    """Mixin for a locator of the package's functions: the stamp that decides whether numba's
    cache is fresh also covers every other source file of the package."""

    def get_source_stamp(self):
        return (super().get_source_stamp(), package_stamp())


# numba 0.60 names these with a leading underscore, later versions without.
_Impl = getattr(caching, "CacheImpl", None) or getattr(caching, "_CacheImpl")
_UserWide = getattr(caching, "UserWideCacheLocator", None) or \
    getattr(caching, "_UserWideCacheLocator")
_UserProvided = getattr(caching, "UserProvidedCacheLocator", None) or \
    getattr(caching, "_UserProvidedCacheLocator")


_InTree = getattr(caching, "InTreeCacheLocator", None) or getattr(caching, "_InTreeCacheLocator")


class _InstalledPackageLocator(_PackageStamp, _UserWide):
    """Caches the code of an installed copy of the package in numba's per-user cache folder
    (a subfolder per source folder), never inside site-packages."""

    @classmethod
    def from_function(cls, py_func, py_file):
        if not _in_installed_package(py_file):
            return None
        return super().from_function(py_func, py_file)


class _CheckoutLocator(_PackageStamp, _InTree):
    """Caches beside the source, in its ``__pycache__``, as numba does (a source checkout of
    the package, a user's file), stamped with the whole package."""

    @classmethod
    def from_function(cls, py_func, py_file):
        if not _stamped(py_func, py_file) or _in_installed_package(py_file):
            return None
        return super().from_function(py_func, py_file)


class _StampedUserWide(_PackageStamp, _UserWide):
    """numba's per-user cache folder, where the source's folder is not writable, stamped with
    the whole package."""

    @classmethod
    def from_function(cls, py_func, py_file):
        if not _stamped(py_func, py_file):
            return None
        return super().from_function(py_func, py_file)


class _ProvidedLocator(_PackageStamp, _UserProvided):
    """``NUMBA_CACHE_DIR``'s folder, stamped with the whole package."""

    @classmethod
    def from_function(cls, py_func, py_file):
        if not _stamped(py_func, py_file):
            return None
        return super().from_function(py_func, py_file)


if not any(k.__name__ == _InstalledPackageLocator.__name__ for k in _Impl._locator_classes):
    # NUMBA_CACHE_DIR first (an explicit choice wins), then ours, then numba's for the rest
    # (functions compiled with numba's own decorators keep numba's own stamps).
    _at = next((i for i, k in enumerate(_Impl._locator_classes) if k is _UserProvided), 0)
    _Impl._locator_classes[_at:_at] = [_ProvidedLocator, _InstalledPackageLocator,
                                       _CheckoutLocator, _StampedUserWide]


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
    return numba.njit(**options)(_marked(func))


def _marked(func):
    """``func``, marked for the package-wide cache stamp (a function that refuses attributes
    keeps numba's own stamp)."""
    try:
        setattr(func, _MARK, True)
    except (AttributeError, TypeError):
        pass
    return func


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
        return lambda f: numba.njit(**options)(_marked(f))
    return numba.njit(**options)(_marked(func))
