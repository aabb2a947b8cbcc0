"""Where a search starts: initializers, the ``init=`` of every optimizer.

An initializer is any callable ``init(rng, space, n) -> X`` returning ``n`` points as an
``(n, dim)`` array. Strings name the built-in ones (``"uniform"``, ``"zeros"``, ``"center"``,
``"normal"``, and with a value, ``"constant"``); an array is an explicit start ``x0`` (or several
rows, used in turn); a dict ``{"name": "normal", "std": 0.5}`` names one with its parameters (the
form benchmark suites use). The neural-network initializers (``stochsearch.nn.initializers``)
plug into the same slot.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validation import check_real, describe
from .registry import INITIALIZERS
from .spaces import Integer, Real, Space

__all__ = ["Center", "Constant", "Initializer", "Normal", "Points", "Uniform", "Zeros",
           "draw", "resolve_initializer"]


class Initializer:
    """Base class: ``__call__(rng, space, n)`` returns ``n`` starting points.

    ``always_valid`` marks initializers whose points are points of the space by construction,
    so ``draw`` need not check them (it checks everything else).
    """

    always_valid: bool = False

    def __call__(self, rng: np.random.Generator, space: Space, n: int) -> np.ndarray:
        raise NotImplementedError

    def __repr__(self):
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({params})"

    def __eq__(self, other):
        return type(self) is type(other) and _same(vars(self), vars(other))


def _same(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


def _real_only(init, space):
    if not isinstance(space, (Real, Integer)):
        raise ValueError(f"init={type(init).__name__.lower()!r} only makes sense on Real "
                         f"and Integer spaces, got {space!r}")


@INITIALIZERS.register("uniform")
class Uniform(Initializer):
    """Uniform over the space: in the box for Real, fair bits, uniform permutations."""

    always_valid = True

    def __call__(self, rng: np.random.Generator, space: Space, n: int) -> np.ndarray:
        return space.sample(rng, n)


@INITIALIZERS.register("zeros")
class Zeros(Initializer):
    """All coordinates zero (Real: must lie in the box; Binary: the all-zeros string)."""

    def __call__(self, rng: np.random.Generator, space: Space, n: int) -> np.ndarray:
        if space.kind == "permutation":
            raise ValueError(f"init='zeros' is not a permutation; use init='uniform' or an "
                             f"explicit permutation on {space!r}")
        return np.zeros((n, space.dim), dtype=space.dtype)


@INITIALIZERS.register("constant")
class Constant(Initializer):
    """Every coordinate equal to ``value``."""

    def __init__(self, value: float | None = None) -> None:
        if value is None:
            raise ValueError("init='constant' needs a value, e.g. Constant(0.5) or "
                             "{'name': 'constant', 'value': 0.5}")
        self.value = check_real("value", value)

    def __call__(self, rng: np.random.Generator, space: Space, n: int) -> np.ndarray:
        if space.kind == "permutation":
            raise ValueError(f"a constant point is not a permutation ({space!r})")
        # float64, so that a non-integral value on an Integer or Binary space is refused
        # (space.as_points) rather than truncated.
        return np.full((n, space.dim), self.value)


@INITIALIZERS.register("center")
class Center(Initializer):
    """The centre of the box (on Integer spaces rounded down)."""

    always_valid = True

    def __call__(self, rng: np.random.Generator, space: Space, n: int) -> np.ndarray:
        _real_only(self, space)
        return np.tile(space.center, (n, 1))


@INITIALIZERS.register("normal")
class Normal(Initializer):
    """Each coordinate drawn from ``N(mean, std^2)``, clipped into the box (on Integer spaces
    rounded to the nearest integer first)."""

    always_valid = True

    def __init__(self, mean: float = 0.0, std: float = 1.0):
        self.mean = check_real("mean", mean)
        self.std = check_real("std", std, low=0.0)

    def __call__(self, rng: np.random.Generator, space: Space, n: int) -> np.ndarray:
        _real_only(self, space)
        return space.clip(rng.normal(self.mean, self.std, size=(n, space.dim)))


class Points(Initializer):
    """Explicit starting points: ``x0`` (one point) or rows of ``X0`` used in turn."""

    def __init__(self, X0: ArrayLike) -> None:
        array = np.asarray(X0)
        self.X0 = array[None, :] if array.ndim == 1 else array

    def __call__(self, rng: np.random.Generator, space: Space, n: int) -> np.ndarray:
        X0 = space.as_points(self.X0, name="x0")
        return X0[np.arange(n) % X0.shape[0]]

    def __repr__(self):
        return f"Points({self.X0.tolist() if self.X0.size <= 8 else describe(self.X0)})"


class _Callable(Initializer):
    def __init__(self, func: Callable[[np.random.Generator, Space, int], ArrayLike]) -> None:
        self.func = func

    def __call__(self, rng: np.random.Generator, space: Space, n: int) -> np.ndarray:
        return self.func(rng, space, n)

    def __repr__(self):
        return getattr(self.func, "__name__", repr(self.func))


def resolve_initializer(spec: Any) -> Initializer:
    """Turn an ``init=`` value into an Initializer.

    Accepts an Initializer, a registered name, ``{"name": ..., **params}``, an array of starting
    points, or a callable ``(rng, space, n) -> X``.
    """
    if isinstance(spec, Initializer):
        return spec
    if isinstance(spec, str):
        return INITIALIZERS.get(spec)()
    if isinstance(spec, dict):
        params = dict(spec)
        name = params.pop("name", None)
        if name is None:
            raise ValueError(f"an init given as a dict needs a 'name', got {describe(spec)}")
        return INITIALIZERS.get(name)(**params)
    if isinstance(spec, (np.ndarray, list, tuple)):
        return Points(spec)
    if callable(spec):
        return _Callable(spec)
    raise TypeError("init must be a name ('uniform', 'zeros', 'center', 'normal', 'constant'), "
                    "an Initializer, an array of starting points or a callable "
                    f"(rng, space, n) -> X, got {describe(spec)}")


def draw(initializer: Initializer, rng: np.random.Generator, space: Space,
         n: int) -> np.ndarray:
    """``n`` starting points from ``initializer``, checked to be points of ``space``."""
    X = initializer(rng, space, n)
    if initializer.always_valid and type(X) is np.ndarray and X.dtype == space.dtype \
            and X.shape == (n, space.dim):
        return X
    X = space.as_points(X, name=f"the points of init={initializer!r}")
    if X.shape[0] != n:
        raise ValueError(f"init={initializer!r} must return {n} points, got {X.shape[0]}")
    return X
