"""Integer problems: bounded integer vectors (``stochsearch.Integer``) with known optima.

Each is written with the public API only, as a user would write one: an ``Integer`` space, a
numba objective ``f(x, data)`` on int64 points, and ``f_opt``/``x_opt``. ``shift=True`` (seeded)
moves the optimum to a random integer point away from the centre of the box, so that a start
at the centre (``init="center"``) or at zero does not land on it by accident.

``BoundedKnapsack`` shows how a constraint is handled today: as a penalty in the objective.
"""
from __future__ import annotations

import math

import numpy as np

from stochsearch import Integer
from stochsearch._validation import check_int, check_real

from . import _integer_kernels as kernels
from ._catalogue import Catalogued, register

__all__ = ["BoundedKnapsack", "IntegerEllipsoid", "IntegerRastrigin", "IntegerSphere"]


def _centre(dim: int, low: int, high: int, shift: bool, seed: int) -> np.ndarray:
    """The optimum: the origin (clipped into the box), or with ``shift`` a seeded random
    integer point in the middle 80% of the box, away from its centre."""
    if not shift:
        return np.clip(np.zeros(dim), low, high)
    rng = np.random.default_rng(seed)
    span = high - low
    lo, hi = low + math.ceil(0.1 * span), high - math.ceil(0.1 * span)
    middle = low + span // 2
    centre = rng.integers(lo, hi, size=dim, endpoint=True)
    if span >= 4:     # not the centre of the box in any coordinate
        centre = np.where(centre == middle, centre + 1, centre)
    return centre.astype(float)


def _check_box(low, high):
    low = check_int("low", low)
    high = check_int("high", high)
    if high - low < 2:
        raise ValueError(f"high must be at least low + 2, got low={low} and high={high}")
    return low, high


@register
class IntegerEllipsoid(Catalogued):
    """``sum_i 10^(6 i / (n - 1)) (x_i - c_i)^2`` on ``Integer(low, high, dim)``: separable,
    unimodal for +-1 moves, conditioned 10^6. ``f_opt = 0`` at the centre ``c`` (the origin,
    or a seeded random integer point with ``shift=True``).

    Parameters
    ----------
    dim : int
    low, high : int
        Bounds of every coordinate (included).
    shift : bool
        Move the optimum to a seeded random integer point.
    seed : int
    """

    space_kind = Integer.kind  # read by `stochsearch list`

    key = "integer-ellipsoid"
    condition = 1e6

    def __init__(self, dim: int = 10, low: int = -20, high: int = 20, shift: bool = False,
                 seed: int = 0):
        dim = check_int("dim", dim, low=1)
        low, high = _check_box(low, high)
        self._built_with = ((dim,), dict(low=low, high=high, shift=bool(shift), seed=seed))
        centre = _centre(dim, low, high, bool(shift), seed)
        exponents = np.arange(dim) / max(dim - 1, 1)
        weights = self.condition ** exponents if self.condition != 1.0 else np.ones(dim)
        super().__init__(Integer(low, high, dim=dim), objective=kernels.integer_ellipsoid,
                         data=np.r_[centre, weights], f_opt=0.0, x_opt=centre.astype(np.int64),
                         name=f"{self.key}-{dim}" + ("-shifted" if shift else ""))


@register
class IntegerSphere(IntegerEllipsoid):
    """``sum_i (x_i - c_i)^2`` on ``Integer(low, high, dim)``; ``f_opt = 0`` at ``c`` (the
    origin, or a seeded random integer point with ``shift=True``)."""

    key = "integer-sphere"
    condition = 1.0


@register
class IntegerRastrigin(Catalogued):
    """Rastrigin sampled on a grid: ``10 n + sum_i z_i^2 - 10 cos(2 pi z_i)`` with
    ``z = resolution (x - c)`` on ``Integer(low, high, dim)``.

    With the default ``resolution=0.1`` (the grid of Rastrigin's usual box [-5.12, 5.12] at
    step 0.1 for ``low, high = -51, 51``) a local minimum lies every 10 integer steps, beyond
    the reach of +-1 moves: random resets, restarts or a temperature are needed.
    ``f_opt = 0`` at ``c``.

    Parameters
    ----------
    dim : int
    low, high : int
    resolution : float
        Distance in Rastrigin's coordinates between neighbouring integers.
    shift : bool
        Move the optimum to a seeded random integer point.
    seed : int
    """

    space_kind = Integer.kind  # read by `stochsearch list`

    key = "integer-rastrigin"

    def __init__(self, dim: int = 10, low: int = -51, high: int = 51,
                 resolution: float = 0.1, shift: bool = False, seed: int = 0):
        dim = check_int("dim", dim, low=1)
        low, high = _check_box(low, high)
        resolution = check_real("resolution", resolution, low=0.0, low_open=True)
        self._built_with = ((dim,), dict(low=low, high=high, resolution=resolution,
                                         shift=bool(shift), seed=seed))
        centre = _centre(dim, low, high, bool(shift), seed)
        super().__init__(Integer(low, high, dim=dim), objective=kernels.integer_rastrigin,
                         data=np.r_[resolution, centre], f_opt=0.0,
                         x_opt=centre.astype(np.int64),
                         name=f"{self.key}-{dim}" + ("-shifted" if shift else ""))


@register
class BoundedKnapsack(Catalogued):
    """Bounded knapsack on a seeded random instance: take ``x_i`` in ``0 .. copies`` copies
    of item ``i`` to maximize the total value within the capacity (minimized as the negative
    value).

    The capacity constraint is a penalty in the objective: an overweight choice scores
    ``(weight - capacity) * penalty - value`` with ``penalty`` the total value of all copies
    plus one: with integer weights every overweight choice scores above 0, worse than every
    feasible one, so the penalized problem has the constrained problem's optimum. ``f_opt`` is exact (dynamic
    programming over the integer capacity), with its ``x_opt``.

    Parameters
    ----------
    n : int
        Items; weights and values are random integers in [1, 100] (uncorrelated instances).
    copies : int
        Largest number of copies of an item.
    capacity : float
        Fraction of the total weight of all copies that fits.
    seed : int
    """

    space_kind = Integer.kind  # read by `stochsearch list`

    key = "bounded-knapsack"

    def __init__(self, n: int = 20, copies: int = 5, capacity: float = 0.3, seed: int = 0):
        n = check_int("n", n, low=1)
        copies = check_int("copies", copies, low=1)
        capacity = check_real("capacity", capacity, low=0.0, high=1.0, low_open=True)
        self._built_with = ((n,), dict(copies=copies, capacity=capacity, seed=seed))
        rng = np.random.default_rng(seed)
        weights = rng.integers(1, 101, n).astype(float)
        values = rng.integers(1, 101, n).astype(float)
        limit = math.floor(capacity * copies * weights.sum())
        best, x_opt = bounded_knapsack_optimum(weights, values, copies, limit)
        penalty = copies * float(values.sum()) + 1.0
        super().__init__(Integer(0, copies, dim=n), objective=kernels.bounded_knapsack,
                         data=np.r_[n, limit, penalty, weights, values], f_opt=-best,
                         x_opt=x_opt, name=f"{self.key}-{n}-seed{seed}")
        self.weights, self.values, self.capacity = weights, values, limit


def bounded_knapsack_optimum(weights, values, copies: int, capacity: int):
    """The best total value of at most ``copies`` copies of each item within ``capacity``
    (integer weights), and counts reaching it: dynamic programming over the capacity."""
    n = len(weights)
    best = np.zeros(capacity + 1)
    count = np.zeros((n, capacity + 1), dtype=np.int64)
    for i in range(n):
        w, v = int(weights[i]), values[i]
        new = best.copy()
        for k in range(1, copies + 1):
            if k * w > capacity:
                break
            candidate = best[:capacity + 1 - k * w] + k * v
            better = candidate > new[k * w:]
            new[k * w:] = np.where(better, candidate, new[k * w:])
            count[i, k * w:][better] = k
        best = new
    x = np.zeros(n, dtype=np.int64)
    room = capacity
    for i in range(n - 1, -1, -1):
        x[i] = count[i, room]
        room -= int(x[i] * weights[i])
    return float(best[capacity]), x
