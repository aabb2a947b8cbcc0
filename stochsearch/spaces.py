"""Search spaces: ``Real`` boxes, ``Integer`` boxes, ``Binary`` strings and
``Permutation``\\ s.

A space knows its dimension and element type, samples uniformly, and validates points. Every
point of a space is a contiguous 1-D array of its ``dtype`` (float64, int64, int8 or int64) and a
batch of points is a 2-D array with one point per row.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._kernels.sampling import binary_rows
from ._rng import handle_words
from ._validation import check_int, describe

__all__ = ["Space", "Real", "Integer", "Binary", "Permutation"]


class Space:
    """Base class of search spaces.

    Attributes
    ----------
    kind : str
        ``"real"``, ``"integer"``, ``"binary"`` or ``"permutation"``: selects the signatures of the functions
        that kernels call on points of this space.
    dim : int
        Number of coordinates of a point.
    dtype : numpy.dtype
        Element type of a point.
    """

    kind: str = ""
    dtype: np.dtype = np.dtype(np.float64)

    def __init__(self, dim: int):
        self.dim = check_int("dim", dim, low=1)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` points drawn uniformly from the space, as an ``(n, dim)`` array."""
        raise NotImplementedError

    def contains(self, X: ArrayLike) -> np.ndarray:
        """Boolean array telling which rows of ``X`` are valid points of the space."""
        raise NotImplementedError

    def as_points(self, X: ArrayLike, name: str = "X") -> np.ndarray:
        """``X`` as a contiguous ``(n, dim)`` array of ``dtype``, checked to lie in the space.

        A single point (1-D) becomes a batch of one row.
        """
        array = np.asarray(X)
        if array.ndim == 1:
            array = array[None, :]
        if array.ndim != 2 or array.shape[1] != self.dim:
            raise ValueError(f"{name} must be a point of length {self.dim} or an array of shape "
                             f"(n, {self.dim}), got {describe(array)}")
        if self.kind != "real" and array.dtype.kind == "f":
            if not np.all(np.isfinite(array)) or not np.all(array == np.round(array)):
                article = "an" if self.kind[0] in "aeiou" else "a"
                raise ValueError(f"{name} must hold integers for {article} {self.kind} space, "
                                 f"got non-integral values")
        if self.kind == "real" and array.dtype.kind not in "biuf":
            raise TypeError(f"{name} must be numeric, got {describe(array)}")
        points = np.ascontiguousarray(array, dtype=self.dtype)
        inside = self.contains(points)
        if not np.all(inside):
            row = int(np.flatnonzero(~inside)[0])
            raise ValueError(f"{name} must lie in {self!r}; row {row} does not: "
                             f"{describe(points[row])}")
        return points

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._key()))

    def _key(self):
        return (self.dim,)


class Real(Space):
    """A box ``lower <= x <= upper`` in R^dim.

    Parameters
    ----------
    lower, upper : float or array_like
        Bounds; scalars are broadcast to ``dim`` coordinates.
    dim : int, optional
        Needed when both bounds are scalars.

    Examples
    --------
    >>> Real(-5.12, 5.12, dim=3)
    Real(lower=[-5.12, -5.12, -5.12], upper=[5.12, 5.12, 5.12])
    >>> Real.from_bounds([(0, 1), (-2, 2)]).dim
    2
    """

    kind = "real"
    dtype = np.dtype(np.float64)

    def __init__(self, lower: ArrayLike, upper: ArrayLike, dim: int | None = None):
        lower, upper = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
        if lower.ndim > 1 or upper.ndim > 1:
            raise ValueError("lower and upper must be scalars or 1-D arrays, got shapes "
                             f"{lower.shape} and {upper.shape}")
        super().__init__(_box_dim(lower, upper, dim))
        self.lower = np.ascontiguousarray(np.broadcast_to(lower, (self.dim,)), dtype=float)
        self.upper = np.ascontiguousarray(np.broadcast_to(upper, (self.dim,)), dtype=float)
        if not (np.all(np.isfinite(self.lower)) and np.all(np.isfinite(self.upper))):
            raise ValueError("bounds must be finite; a search space needs a box to sample "
                             "starting points from")
        bad = np.flatnonzero(self.lower >= self.upper)
        if bad.size:
            i = int(bad[0])
            raise ValueError(f"bounds must have lower < upper in every coordinate; coordinate "
                             f"{i} has lower={self.lower[i]!r} and upper={self.upper[i]!r}")
        with np.errstate(over="ignore"):  # an overflow is refused just below
            self._width = self.upper - self.lower
        wide = np.flatnonzero(~np.isfinite(self._width))
        if wide.size:
            i = int(wide[0])
            raise ValueError(f"bounds must have a finite width upper - lower in every coordinate "
                             f"(below about 1.8e308); coordinate {i} has lower="
                             f"{self.lower[i]!r} and upper={self.upper[i]!r}, whose width "
                             "overflows to inf")
        for array in (self.lower, self.upper, self._width):
            array.flags.writeable = False

    @classmethod
    def from_bounds(cls, bounds: Any) -> "Real":
        """A box from scipy-style bounds: a sequence of ``(low, high)`` pairs, an array of shape
        ``(dim, 2)``, or a ``scipy.optimize.Bounds``."""
        if isinstance(bounds, Real):
            return bounds
        if hasattr(bounds, "lb") and hasattr(bounds, "ub"):
            return cls(bounds.lb, bounds.ub)
        try:
            pairs = np.asarray(bounds, dtype=float)
        except (TypeError, ValueError):
            raise ValueError("bounds must be a sequence of (low, high) pairs, got "
                             f"{describe(bounds)}") from None
        if pairs.ndim != 2 or pairs.shape[1] != 2 or pairs.shape[0] == 0:
            raise ValueError("bounds must be a sequence of (low, high) pairs, one per "
                             f"coordinate, got an array of shape {pairs.shape}")
        return cls(pairs[:, 0], pairs[:, 1])

    @property
    def width(self) -> np.ndarray:
        """``upper - lower`` per coordinate."""
        return self.upper - self.lower

    @property
    def center(self) -> np.ndarray:
        """The centre of the box."""
        return 0.5 * (self.lower + self.upper)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        # The arithmetic of rng.uniform(lower, upper, (n, dim)), draw for draw, without its
        # argument checks (a third of the cost of a restart of hill climbing).
        return self.lower + self._width * rng.random((n, self.dim))

    def contains(self, X: ArrayLike) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        return np.all((X >= self.lower) & (X <= self.upper), axis=-1)

    def clip(self, X: ArrayLike) -> np.ndarray:
        """``X`` projected onto the box."""
        return np.clip(X, self.lower, self.upper)

    def _key(self):
        return (self.dim, self.lower.tobytes(), self.upper.tobytes())

    def __repr__(self):
        def fmt(a):
            return np.array2string(a, separator=", ", threshold=6, edgeitems=2,
                                   formatter={"float_kind": lambda v: f"{v:g}"})
        return f"Real(lower={fmt(self.lower)}, upper={fmt(self.upper)})"

    def __getstate__(self):
        return {"dim": self.dim, "lower": np.array(self.lower), "upper": np.array(self.upper)}

    def __setstate__(self, state):
        self.__init__(state["lower"], state["upper"])


#: Largest magnitude of an Integer bound: widths and +-1 steps then never overflow int64.
INTEGER_BOUND = 2 ** 52


class Integer(Space):
    """Bounded integer vectors: ``lower <= x <= upper``, both bounds included, stored as int64.

    int64 is the element type of ``Permutation`` too, so the compiled kernels and the
    signatures of objectives are shared: an Integer objective is ``f(x, data)`` with ``x`` an
    int64 vector. A coordinate with ``lower == upper`` is fixed (moves leave it alone).

    Parameters
    ----------
    lower, upper : int or array_like of int
        Bounds, included; scalars are broadcast to ``dim`` coordinates. Integral floats
        (``3.0``) are accepted; other values, inf and NaN are refused, as are magnitudes
        above ``2**52``.
    dim : int, optional
        Needed when both bounds are scalars.

    Examples
    --------
    >>> Integer(-3, 3, dim=2)
    Integer(lower=[-3, -3], upper=[3, 3])
    >>> Integer([0, 0], [1, 9]).sample(np.random.default_rng(0), 2).dtype
    dtype('int64')
    """

    kind = "integer"
    dtype = np.dtype(np.int64)

    def __init__(self, lower: ArrayLike, upper: ArrayLike, dim: int | None = None):
        lower, upper = _integer_bound("lower", lower), _integer_bound("upper", upper)
        super().__init__(_box_dim(lower, upper, dim))
        self.lower = np.ascontiguousarray(np.broadcast_to(lower, (self.dim,)), dtype=np.int64)
        self.upper = np.ascontiguousarray(np.broadcast_to(upper, (self.dim,)), dtype=np.int64)
        bad = np.flatnonzero(self.lower > self.upper)
        if bad.size:
            i = int(bad[0])
            raise ValueError(f"bounds must have lower <= upper in every coordinate; coordinate "
                             f"{i} has lower={int(self.lower[i])} and upper={int(self.upper[i])}")
        for array in (self.lower, self.upper):
            array.flags.writeable = False

    @property
    def width(self) -> np.ndarray:
        """``upper - lower`` per coordinate (the number of values minus one)."""
        return self.upper - self.lower

    @property
    def center(self) -> np.ndarray:
        """The centre of the box, rounded down to integers."""
        return self.lower + (self.upper - self.lower) // 2

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        # Uniform on lower..upper inclusive, per coordinate.
        return rng.integers(self.lower, self.upper, size=(n, self.dim), dtype=np.int64,
                            endpoint=True)

    def contains(self, X: ArrayLike) -> np.ndarray:
        X = np.asarray(X)
        if X.dtype.kind == "f":
            integral = np.isfinite(X) & (X == np.round(X))
            return np.all(integral & (X >= self.lower) & (X <= self.upper), axis=-1)
        if X.dtype.kind not in "biu":
            return np.zeros(X.shape[:-1], dtype=bool)
        return np.all((X >= self.lower) & (X <= self.upper), axis=-1)

    def clip(self, X: ArrayLike) -> np.ndarray:
        """``X`` rounded to the nearest integers and projected onto the box, as int64."""
        X = np.asarray(X)
        if X.dtype.kind == "f":
            X = np.round(X)
        return np.clip(X, self.lower, self.upper).astype(np.int64)

    def _key(self):
        return (self.dim, self.lower.tobytes(), self.upper.tobytes())

    def __repr__(self):
        def fmt(a):
            return np.array2string(a, separator=", ", threshold=6, edgeitems=2)
        return f"Integer(lower={fmt(self.lower)}, upper={fmt(self.upper)})"

    def __getstate__(self):
        return {"dim": self.dim, "lower": np.array(self.lower), "upper": np.array(self.upper)}

    def __setstate__(self, state):
        self.__init__(state["lower"], state["upper"])


def _integer_bound(name: str, value) -> np.ndarray:
    """``value`` as an int64 scalar or 1-D array, refusing non-integers, inf, NaN and
    magnitudes above ``INTEGER_BOUND``."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        array = None
    if array is None or array.dtype.kind not in "biuf" or array.ndim > 1:
        raise ValueError(f"{name} must be an integer or a 1-D array of integers, got "
                         f"{describe(value)}")
    if array.dtype.kind == "f":
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{name} must be finite integers; an Integer space needs a box "
                             f"to sample from, got {describe(value)}")
        if not np.all(array == np.round(array)):
            raise ValueError(f"{name} must hold integers, got non-integral values "
                             f"{describe(value)}")
    if array.size and np.max(np.abs(array.astype(float))) > INTEGER_BOUND:
        raise ValueError(f"{name} must lie within +-2**52, got {describe(value)}")
    return array.astype(np.int64)


class Binary(Space):
    """Bitstrings of length ``n``, stored as int8 arrays of 0 and 1.

    Signed on purpose: an objective's natural ``-np.sum(x)`` then counts in int64, in numpy
    and in numba alike (on unsigned bytes it wrapped around to 1.8e19).

    Examples
    --------
    >>> Binary(8).sample(np.random.default_rng(0), 2).dtype
    dtype('int8')
    """

    kind = "binary"
    dtype = np.dtype(np.int8)

    def __init__(self, n: int):
        super().__init__(n)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        # rng.integers(0, 2, size=(n, dim), dtype=np.int8), draw for draw, in compiled code
        # (numpy's argument checks cost four times the draws of a start point).
        return binary_rows(handle_words(rng), int(n), int(self.dim))   # one signature

    def contains(self, X: ArrayLike) -> np.ndarray:
        X = np.asarray(X)
        return np.all((X == 0) | (X == 1), axis=-1)

    def __repr__(self):
        return f"Binary({self.dim})"


class Permutation(Space):
    """Permutations of ``0 .. n-1``, stored as int64 arrays.

    Examples
    --------
    >>> np.sort(Permutation(5).sample(np.random.default_rng(0), 1)[0]).tolist()
    [0, 1, 2, 3, 4]
    """

    kind = "permutation"
    dtype = np.dtype(np.int64)

    def __init__(self, n: int):
        super().__init__(n)
        if self.dim < 2:
            raise ValueError(f"a permutation space needs n >= 2, got {self.dim}")

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        if n == 1:  # one start (a run, a restart): the same draws and result as the general
            # form, a third cheaper (shuffle of one row is what permuted does per row)
            x = np.arange(self.dim, dtype=np.int64)
            rng.shuffle(x)
            return x.reshape(1, self.dim)
        return rng.permuted(np.tile(np.arange(self.dim, dtype=np.int64), (n, 1)), axis=1)

    def contains(self, X: ArrayLike) -> np.ndarray:
        X = np.asarray(X)
        if X.ndim == 1:
            X = X[None, :]
        if X.shape[-1] != self.dim:
            return np.zeros(X.shape[0], dtype=bool)
        expected = np.arange(self.dim)
        return np.all(np.sort(X, axis=-1) == expected, axis=-1)

    def __repr__(self):
        return f"Permutation({self.dim})"


def _box_dim(lower: np.ndarray, upper: np.ndarray, dim: int | None) -> int:
    """The dimension of a box given by scalar or 1-D bounds (and ``dim`` when both are
    scalars), checked."""
    sizes = {a.size for a in (lower, upper) if a.ndim == 1}
    if len(sizes) > 1:
        raise ValueError(f"lower and upper must have the same length, got {lower.size} "
                         f"and {upper.size}")
    if dim is None:
        if not sizes:
            raise ValueError("dim is needed when lower and upper are both scalars")
        return sizes.pop()
    if sizes and sizes != {dim}:
        raise ValueError(f"bounds of length {sizes.pop()} do not match dim={dim}")
    return dim
