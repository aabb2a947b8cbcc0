"""Names to objects: optimizers, problems, initializers and neighbourhoods.

One ``Registry`` per kind of object. Registering a name twice raises (so a plug-in cannot
silently replace a built-in), and looking up an unknown name suggests the closest known one. The
problem registry imports the catalogue (``stochsearch.problems``) the first time it is used, so
the core never imports the catalogue otherwise.
"""
from __future__ import annotations

import difflib
import importlib

from ._validation import suggest

__all__ = ["INITIALIZERS", "NEIGHBORHOODS", "OPTIMIZERS", "PROBLEMS", "Registry"]


class Registry:
    """A mapping from names to objects of one kind.

    Parameters
    ----------
    kind : str
        What the entries are, for error messages ("optimizer", "problem", ...).
    loaders : tuple of str
        Modules imported before the first lookup (they register their entries on import).
    """

    def __init__(self, kind: str, loaders: tuple[str, ...] = ()):
        self.kind = kind
        self._entries: dict[str, object] = {}
        self._loaders = list(loaders)

    def register(self, name: str, obj=None):
        """Register ``obj`` under ``name``; usable as a decorator when ``obj`` is omitted."""
        if obj is None:
            return lambda o: self.register(name, o)
        if not isinstance(name, str) or not name:
            raise ValueError(f"a {self.kind} name must be a non-empty string, got {name!r}")
        if name in self._entries and self._entries[name] is not obj:
            raise ValueError(f"the {self.kind} name {name!r} is already registered to "
                             f"{self._entries[name]!r}")
        self._entries[name] = obj
        return obj

    def add_loader(self, module: str) -> None:
        """Import ``module`` before the next lookup (for plug-ins that register on import)."""
        self._loaders.append(module)

    def _load(self) -> None:
        while self._loaders:
            importlib.import_module(self._loaders.pop(0))

    def get(self, name: str):
        """The object registered under ``name``.

        A name is also found regardless of case, and by the registered object's own name in
        any spelling (``"SA"``, ``"simulated_annealing"`` and ``"SimulatedAnnealing"`` all
        find ``"sa"``), when exactly one entry matches.
        """
        self._load()
        try:
            return self._entries[name]
        except (KeyError, TypeError):
            pass
        matches = {key for key, obj in self._entries.items() if isinstance(name, str)
                   and _normal(name) in (_normal(key), _normal(getattr(obj, "__name__", "")))}
        if len(matches) == 1:
            return self._entries[matches.pop()]
        known = ", ".join(repr(n) for n in sorted(self._entries))
        hint = suggest(name, self._entries) or self._suggest_by_object_name(name) or "."
        raise ValueError(f"unknown {self.kind} {name!r}{hint} Known: {known}.")

    def _suggest_by_object_name(self, name) -> str:
        """``"; did you mean 'sa' (SimulatedAnnealing)?"`` for ``"simulated_anealing"``."""
        if not isinstance(name, str):
            return ""
        by_object = {}
        for key, obj in self._entries.items():
            by_object.setdefault(_normal(getattr(obj, "__name__", "")), []).append(key)
        close = difflib.get_close_matches(_normal(name), [n for n in by_object if n], n=1,
                                          cutoff=0.8)
        if not close or len(by_object[close[0]]) != 1:
            return ""
        key = by_object[close[0]][0]
        return f"; did you mean {key!r} ({self._entries[key].__name__})?"

    def names(self) -> list[str]:
        """All registered names, sorted."""
        self._load()
        return sorted(self._entries)

    def items(self):
        self._load()
        return sorted(self._entries.items())

    def __contains__(self, name) -> bool:
        self._load()
        return name in self._entries


def _normal(name: str) -> str:
    """A name without case, underscores, hyphens or spaces."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


OPTIMIZERS = Registry("optimizer", loaders=("stochsearch.optimizers",))
PROBLEMS = Registry("problem", loaders=("stochsearch.problems",))
INITIALIZERS = Registry("initializer", loaders=("stochsearch.initialization",
                                                  "stochsearch.nn.initializers"))
NEIGHBORHOODS = Registry("neighbourhood", loaders=("stochsearch.operators.neighborhoods",))
