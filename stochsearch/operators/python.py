"""Neighbourhoods, mutations and crossovers written as plain Python functions.

``move=``, ``mutation=`` and ``crossover=`` accept a Python callable; it is wrapped here in an
operator whose compiled function (``_kernels.python_bridge``) calls it from the algorithm's own
kernel, so a run makes the same steps, in the same order, with the same Generator as with a
compiled operator. The function receives the run's ``numpy.random.Generator`` (a seed gives the
same run every time) and returns new points, which are checked (shape, values, bounds) before
the kernel sees them. Each call leaves compiled code, so it is slower: see
``docs/guide/operators.md`` for a measurement and for the compiled signatures.
"""
from __future__ import annotations

import collections
import os
import sys
import warnings
import weakref
from collections.abc import Callable

import numpy as np

from .._kernels import moves
from .._kernels import python_bridge as bridge
from .._validation import describe
from ..spaces import Space
from .crossover import Crossover
from .mutation import Mutation
from .neighborhoods import Neighborhood

__all__ = ["PythonCrossover", "PythonMutation", "PythonNeighborhood",
           "PythonOperatorWarning", "register_generator", "uses_python"]


class PythonOperatorWarning(UserWarning):
    """An operator is a Python function: correct, but slower than a compiled one."""


class _PythonOperator:
    """What the three wrappers share: the function, its key and the slowness note."""

    kinds = ("real", "binary", "integer", "permutation")

    def _setup(self, function, what: str) -> None:
        if not callable(function):
            raise TypeError(f"a Python {what} must be callable, got {describe(function)}")
        self.function = function
        self.key = _new_key()
        _LIVE[self.key] = self
        _warn_once(function, what)

    def _params(self, space: Space, head) -> np.ndarray:
        box = [*space.lower, *space.upper] if space.kind in ("real", "integer") else []
        return np.array([*head, float(self.key), *box], dtype=float)

    @property
    def name(self) -> str:
        return getattr(self.function, "__qualname__", repr(self.function))

    def __repr__(self):
        return f"{type(self).__name__}({self.name})"

    def __eq__(self, other):
        return type(self) is type(other) and self.function is other.function and \
            self.kinds == other.kinds

    __hash__ = object.__hash__

    def __setstate__(self, state):
        # The same key in the new process: packed parameters (in a pickled run) still name it.
        self.__dict__.update(state)
        _LIVE[self.key] = self


class PythonNeighborhood(_PythonOperator, Neighborhood):
    """A neighbourhood ``step(x, rng) -> y``: a neighbour of ``x`` (which it must not change),
    for hill climbing and annealing. Not adaptive; a problem's incremental ``delta`` is not
    used with it (full evaluations)."""

    propose = staticmethod(bridge.propose)

    def __init__(self, step: Callable, kind: str) -> None:
        self.kind = kind
        self.kinds = (kind,)
        self._setup(step, "neighbourhood")

    def pack(self, space: Space) -> np.ndarray:
        return self._params(space, ())


class PythonMutation(_PythonOperator, Mutation):
    """A mutation ``mutate(x, rate, rng) -> child`` for the genetic algorithm; ``rate`` is
    its ``mutation_rate`` (``1 / n`` by default). Never adapted."""

    mutate = staticmethod(bridge.mutate)

    def __init__(self, mutate: Callable) -> None:
        self._setup(mutate, "mutation")

    def pack(self, space: Space) -> np.ndarray:
        return self._params(space, Mutation.pack(self, space))


class PythonCrossover(_PythonOperator, Crossover):
    """A crossover ``crossover(a, b, rng) -> (c, d)``: two children of the parents ``a`` and
    ``b`` (which it must not change), for the genetic algorithm."""

    crossover = staticmethod(bridge.crossover)

    def __init__(self, crossover: Callable) -> None:
        self._setup(crossover, "crossover")

    def pack(self, space: Space) -> np.ndarray:
        return self._params(space, ())


def wrap(spec, role: str, space: Space):
    """The operator for a plain callable given as ``move=``, ``mutation=`` or ``crossover=``
    (None if ``spec`` is not one)."""
    if role not in ("neighbourhood", "mutation", "crossover") or not callable(spec) \
            or isinstance(spec, type):
        return None
    if hasattr(spec, "py_func"):            # a numba function: its signature is the kernels'
        base, attribute = {"neighbourhood": ("Neighborhood", "propose"),
                           "mutation": ("Mutation", "mutate"),
                           "crossover": ("Crossover", "crossover")}[role]
        raise TypeError(f"a numba function as the {role} goes in a subclass of {base} "
                        f"({attribute} = staticmethod({spec.__name__}); see "
                        "docs/guide/operators.md), or give the plain Python function")
    if role == "neighbourhood":
        return PythonNeighborhood(spec, space.kind)
    return {"mutation": PythonMutation, "crossover": PythonCrossover}[role](spec)


def uses_python(functions) -> bool:
    """Whether ``Settings.functions()`` values include an operator written in Python."""
    return any(func in _BRIDGES for func, _ in functions)


# --- the Generator of each run, found by the address of its bit generator --------------------
_GENERATORS: collections.OrderedDict = collections.OrderedDict()
#: runs with Python operators whose Generators are kept at once (most recent first out last)
_KEEP = 256


def register_generator(rng: np.random.Generator) -> None:
    """Let Python operators of a run drawing from ``rng`` find it."""
    address = int(_bit_generator_address(rng))
    _GENERATORS[address] = rng
    _GENERATORS.move_to_end(address)
    while len(_GENERATORS) > _KEEP:
        _GENERATORS.popitem(last=False)


def _bit_generator_address(rng) -> int:
    from .._rng import handle_words
    return int(handle_words(rng)[4])


def _find(key, address):
    operator = _LIVE.get(int(key))
    if operator is None:
        raise RuntimeError("the Python operator of this run no longer exists")
    rng = _GENERATORS.get(int(address))
    if rng is None:
        raise RuntimeError("the Generator of this run is no longer known to its Python "
                           "operators (more than 256 such runs at once)")
    return operator, rng


# --- checks of what a user's function returns --------------------------------------------------
def _point(value, like: np.ndarray, params: np.ndarray, start: int, who: str) -> np.ndarray:
    """``value`` as a valid point of the space of ``like`` (a point of the run), else raise."""
    n = like.shape[0]
    try:
        point = np.asarray(value)
    except Exception:  # noqa: BLE001 - anything a user returns
        point = np.asarray(None, dtype=object)
    if point.shape != (n,) or point.dtype.kind not in "biuf":
        raise ValueError(f"{who} must return a numeric array of shape ({n},), got "
                         f"{describe(value)}")
    kind = {np.dtype(np.float64): "real", np.dtype(np.int8): "binary"}.get(like.dtype)
    if kind is None:         # int64 points: an Integer space's carry its box, a permutation's not
        kind = "integer" if params.size >= start + 2 * n else "permutation"
    if kind == "integer" and point.dtype.kind == "f" and not np.all(point == np.round(point)):
        raise ValueError(f"{who} must return integers on an integer space, got "
                         f"{describe(value)}")
    if kind in ("real", "integer"):
        lower, upper = params[start:start + n], params[start + n:start + 2 * n]
        bad = ~((point >= lower) & (point <= upper))       # NaN is outside too
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(f"{who} returned a point outside the space's bounds: x[{i}] = "
                             f"{float(point[i])!r} is not in [{float(lower[i])!r}, {float(upper[i])!r}] "
                             f"(clip it, "
                             f"e.g. np.clip(y, lower, upper))")
        return point.astype(like.dtype, copy=False)
    if point.dtype.kind == "f" and not np.all(point == np.round(point)):
        raise ValueError(f"{who} must return integers on a {kind} space, got {describe(value)}")
    if kind == "binary" and not np.all((point == 0) | (point == 1)):
        raise ValueError(f"{who} must return 0/1 values on a Binary space, got "
                         f"{describe(value)}")
    if kind == "permutation" and not np.array_equal(np.sort(point), np.arange(n)):
        raise ValueError(f"{who} must return a permutation of 0..{n - 1}, got "
                         f"{describe(value)}")
    return point.astype(like.dtype)


def _read_only(x: np.ndarray) -> np.ndarray:
    view = x.view()
    view.flags.writeable = False
    return view


def _propose(key, address, params, x, y, move) -> None:
    operator, rng = _find(key, address)
    who = f"the Python neighbourhood {operator.name}"
    new = _point(operator.function(_read_only(x), rng), x, params, bridge.NEIGHBORHOOD_KEY + 1,
                 who)
    changed = np.flatnonzero(new != x)
    y[:] = new
    move[moves.KIND] = moves.CUSTOM
    move[moves.COUNT] = changed.size
    move[moves.LO], move[moves.HI] = 0, x.shape[0]
    move[moves.MOVE_HEADER:moves.MOVE_HEADER + changed.size] = changed


def _mutate(key, address, params, x) -> None:
    operator, rng = _find(key, address)
    who = f"the Python mutation {operator.name}"
    x[:] = _point(operator.function(x.copy(), float(params[0]), rng), x, params,
                  bridge.MUTATION_KEY + 1, who)


def _crossover(key, address, params, a, b, c, d) -> None:
    operator, rng = _find(key, address)
    who = f"the Python crossover {operator.name}"
    children = operator.function(_read_only(a), _read_only(b), rng)
    if not isinstance(children, (tuple, list)) or len(children) != 2:
        raise ValueError(f"{who} must return two children (c, d), got {describe(children)}")
    start = bridge.CROSSOVER_KEY + 1
    c[:] = _point(children[0], a, params, start, who)
    d[:] = _point(children[1], a, params, start, who)


bridge.HANDLERS.update(propose=_propose, mutate=_mutate, crossover=_crossover)
_BRIDGES = (bridge.propose, bridge.mutate, bridge.crossover)

#: key -> live operator
_LIVE: "weakref.WeakValueDictionary" = weakref.WeakValueDictionary()


def _new_key() -> int:
    # 48 random bits, exact in a float64: unique across processes, so a pickled run's packed
    # key still names its operator after unpickling.
    return int.from_bytes(os.urandom(6), "little")


_WARNED: "weakref.WeakSet" = weakref.WeakSet()
_WARNED_IDS: set = set()


def _warn_once(function, what: str) -> None:
    try:
        if function in _WARNED:
            return
        _WARNED.add(function)
    except TypeError:               # not weakly referenceable: remember its id
        if id(function) in _WARNED_IDS:
            return
        _WARNED_IDS.add(id(function))
    name = getattr(function, "__qualname__", repr(function))
    warnings.warn(f"the {what} {name} is a Python function: it runs correctly but each call "
                  "leaves compiled code (several microseconds; see docs/guide/operators.md for "
                  "a measurement and for writing it with @stochsearch.jit instead)",
                  PythonOperatorWarning, stacklevel=_outside_the_package())


def _outside_the_package() -> int:
    """The stack level of the first caller outside stochsearch (for warnings)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    frame, level = sys._getframe(1), 1
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package):
        frame, level = frame.f_back, level + 1
    return level
