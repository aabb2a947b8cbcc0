"""What the discrete problems of the catalogue share: registration under their key, and
pickling by their constructor's arguments (the numba functions are looked up again, never
pickled) and their neighbourhood (which may have been set after construction)."""
from __future__ import annotations

from stochsearch import PROBLEMS, Problem


class Catalogued(Problem):
    """A catalogue problem that remembers how it was built (``_built_with``)."""

    key: str = ""
    _built_with: tuple = ((), {})

    def __reduce__(self):
        args, kwargs = self._built_with
        return (_rebuild, (type(self), args, kwargs, self.neighborhood))


_UNSET = object()


def _rebuild(cls, args, kwargs, neighborhood=_UNSET):
    problem = cls(*args, **kwargs)
    if neighborhood is not _UNSET:  # pickles made before neighbourhoods were kept lack it
        problem.neighborhood = neighborhood
    return problem


def register(cls):
    """Register a catalogue class under its ``key`` (a class decorator)."""
    PROBLEMS.register(cls.key, cls)
    return cls
