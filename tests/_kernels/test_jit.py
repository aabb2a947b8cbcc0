"""The numba cache of the package's kernels is stamped with the whole package, so that an edit
to a helper another file inlines recompiles its callers (numba alone checks only the caller's
own file)."""
from __future__ import annotations

import os
import pathlib

import numpy as np

from stochsearch._kernels import jit


def _tree(root: pathlib.Path) -> pathlib.Path:
    (root / "sub" / "__pycache__").mkdir(parents=True)
    (root / "a.py").write_text("x = 1\n")
    (root / "sub" / "b.py").write_text("y = 2\n")
    (root / "sub" / "__pycache__" / "b.nbi").write_bytes(b"\0")
    return root


def test_the_stamp_changes_with_any_source_file_and_only_with_source_files(tmp_path):
    root = _tree(tmp_path / "pkg")
    first = jit.package_stamp((root,))
    assert jit.package_stamp((root,)) == first
    (root / "sub" / "__pycache__" / "b.nbi").write_bytes(b"\0\1")   # a cache file: no change
    (root / "notes.txt").write_text("not code")
    assert jit.package_stamp((root,)) == first
    os.utime(root / "sub" / "b.py", ns=(1, 1))                       # touched: changed
    touched = jit.package_stamp((root,))
    assert touched != first
    (root / "sub" / "b.py").write_text("y = 30\n")                   # rewritten: changed
    os.utime(root / "sub" / "b.py", ns=(1, 1))
    assert jit.package_stamp((root,)) not in (first, touched)
    (root / "c.py").write_text("")                                   # a new file: changed
    assert len({first, touched, jit.package_stamp((root,))}) == 3


def test_the_package_kernels_and_functions_compiled_with_its_jit_carry_the_package_stamp(
        tmp_path):
    from stochsearch.problems._bitstring_kernels import one_max

    one_max(np.ones(3, dtype=np.uint8), np.zeros(1))
    locator = one_max._cache._impl.locator
    assert type(locator).__name__ in ("_CheckoutLocator", "_InstalledPackageLocator",
                                      "_ProvidedLocator")
    own, package = locator.get_source_stamp()
    assert package == jit.package_stamp()
    # A user's function may inline the package's helpers: with the package's jit it carries
    # the stamp (in numba's usual folder, beside its file); with numba's own njit it does not.
    user = tmp_path / "user.py"
    user.write_text("def f(x):\n    return x\n\ndef g(x):\n    return x\n")
    namespace = {}
    exec(compile(user.read_text(), str(user), "exec"), namespace)    # noqa: S102
    compiled = jit.jit(namespace["f"])
    assert compiled.py_func is namespace["f"]
    locator = jit._CheckoutLocator.from_function(namespace["f"], str(user))
    assert locator is not None and locator.get_source_stamp()[1] == jit.package_stamp()
    assert pathlib.Path(locator.get_cache_path()).parent == tmp_path
    for locator_class in (jit._CheckoutLocator, jit._ProvidedLocator, jit._StampedUserWide,
                          jit._InstalledPackageLocator):
        assert locator_class.from_function(namespace["g"], str(user)) is None


def test_the_roots_are_the_package_and_its_catalogue():
    import stochsearch
    import stochsearch.problems

    roots = [str(root) for root in jit._ROOTS]
    assert str(pathlib.Path(stochsearch.__file__).resolve().parent) in roots
    catalogue = pathlib.Path(stochsearch.problems.__file__).resolve().parent
    assert any(catalogue.is_relative_to(root) for root in jit._ROOTS)
