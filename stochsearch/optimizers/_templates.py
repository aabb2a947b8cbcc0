"""Run templates: the state a run starts from, kept on its optimizer (``Optimizer._template``),
and the check that what it was built from is unchanged (``_Snapshot.valid``).

A template is reused while the optimizer's attributes are the same objects (and mutable ones
hold the same contents: ``_frozen``), and the problem or space is the same object with the same
attribute objects (its natural neighbourhood with the same contents). The check runs before
every run, so it is built to cost about a microsecond.
"""
from __future__ import annotations

import operator
import types

import numpy as np

from ..spaces import Space

__all__: list[str] = []


#: where an optimizer keeps its run templates (``Optimizer._template``), and how many
_CACHE = "_run_templates"
_CACHE_ENTRIES = 8
#: templates larger than this are not kept: copying them costs more than building them saves
_CACHE_BYTES = 1 << 20


class _Snapshot:
    """A run template and what it was built from: the optimizer's attributes (its parameters:
    the same objects, and for mutable ones the same contents) and the problem or space (the
    same object, with the same attribute objects, its space's too, and the same contents of
    its natural neighbourhood)."""

    __slots__ = ("bare", "mutable", "names", "neighborhood", "space", "space_values",
                 "subject", "subject_values", "template", "values")

    @classmethod
    def take(cls, attributes: dict, subject, template):
        if sum(a.nbytes for a in (template.words, template.ints, template.floats,
                                  template.points)) > _CACHE_BYTES:
            return None
        self = cls()
        self.names = tuple(attributes)
        self.values = tuple(attributes.values())
        self.mutable = []
        for k, (name, value) in enumerate(attributes.items()):
            if type(value) not in _ATOMS and name != _CACHE:
                frozen = _frozen(value)
                if frozen is None:
                    return None
                self.mutable.append((k, frozen))
        self.subject = subject
        self.subject_values = tuple(vars(subject).values())
        space = getattr(subject, "space", None)
        self.space = space if isinstance(space, Space) else None
        self.space_values = tuple(vars(space).values()) if self.space is not None else ()
        neighborhood = getattr(subject, "neighborhood", None)
        self.neighborhood = None if neighborhood is None else _frozen(neighborhood)
        if neighborhood is not None and self.neighborhood is None:
            return None
        # A neighbourhood without attributes (2-opt, swap...) is unchanged while it has none.
        self.bare = neighborhood if self.neighborhood == (type(neighborhood), ()) else None
        template.optimizer = None
        self.template = template
        return self

    def valid(self, attributes: dict, subject) -> bool:
        values, mine = self.values, vars(subject)
        if (subject is not self.subject or len(attributes) != len(values)
                or not all(map(operator.is_, attributes.values(), values))
                or tuple(attributes) != self.names
                or len(mine) != len(self.subject_values)
                or not all(map(operator.is_, mine.values(), self.subject_values))):
            return False
        if self.mutable:
            values = tuple(attributes.values())
            if not all(_frozen(values[k]) == frozen for k, frozen in self.mutable):
                return False
        space = self.space
        if space is not None and not (
                len(vars(space)) == len(self.space_values)
                and all(map(operator.is_, vars(space).values(), self.space_values))):
            return False
        if self.neighborhood is None:
            return True
        neighborhood = getattr(subject, "neighborhood", None)
        if neighborhood is self.bare and not vars(neighborhood):
            return True
        return _frozen(neighborhood) == self.neighborhood


#: parameter types whose values cannot change in place (compared by identity)
_ATOMS = frozenset({type(None), bool, int, float, complex, str, bytes})


def _frozen(value, depth: int = 0):
    """A comparable copy of what ``value`` holds, to tell whether a parameter was changed in
    place (an operator's attribute, an array's contents); None when that cannot be told."""
    kind = type(value)
    if kind in _ATOMS:
        return (kind, value.hex() if kind is float else value)
    if depth > 8:
        return None
    how = _HOW.get(kind)
    if how is None:
        how = _how_to_freeze(value)
    if how == _OBJECT:
        attributes = vars(value)
        if "py_func" in attributes:     # a compiled function of a class seen before without
            return (kind, _Same(value))
        items = tuple((k, _frozen(v, depth + 1)) for k, v in attributes.items())
        return None if any(v is None for _, v in items) else (kind, items)
    if how == _ARRAY:
        return (kind, value.dtype.str, value.shape, value.tobytes())
    if how == _GENERIC:
        return (kind, value.tobytes())
    if how == _SEQUENCE:
        items = tuple(_frozen(v, depth + 1) for v in
                      (value if kind in (tuple, list) else sorted(value, key=repr)))
        return None if None in items else (kind, items)
    if how == _DICT:
        items = tuple((k, _frozen(v, depth + 1)) for k, v in value.items())
        return None if any(v is None for _, v in items) else (kind, items)
    if how == _CODE:
        return (kind, _Same(value))     # code: compared by identity
    return None


#: how ``_frozen`` reads a value, by its type (decided once per type by ``_how_to_freeze``)
_ARRAY, _GENERIC, _SEQUENCE, _DICT, _CODE, _OBJECT, _UNKNOWN = range(7)
_HOW: dict = {}


def _how_to_freeze(value) -> int:
    """How ``_frozen`` reads ``value``, kept for its type when the type alone decides it."""
    kind = type(value)
    how = _how_by_type(value)
    if how != _CODE or not hasattr(value, "py_func") or hasattr(kind, "py_func"):
        _HOW[kind] = how
    return how


def _how_by_type(value) -> int:
    kind = type(value)
    if isinstance(value, np.ndarray):
        return _ARRAY
    if isinstance(value, np.generic):
        return _GENERIC
    if kind in (tuple, list, frozenset, set):
        return _SEQUENCE
    if kind is dict:
        return _DICT
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, types.MethodType,
                          type, types.ModuleType)) or hasattr(value, "py_func"):
        return _CODE
    if hasattr(value, "__dict__") and not hasattr(kind, "__slots__"):
        return _OBJECT
    return _UNKNOWN


class _Same:
    """Equal to the same object only."""

    __slots__ = ("obj",)

    def __init__(self, obj):
        self.obj = obj

    def __eq__(self, other):
        return type(other) is _Same and other.obj is self.obj

    __hash__ = object.__hash__
