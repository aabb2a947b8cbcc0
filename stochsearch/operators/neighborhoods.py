"""Neighbourhoods: how hill climbing and annealing step from a point to a nearby one.

A neighbourhood fits one kind of space and owns a numba ``propose(x, y, move, params, rng)``
compiled for that kind's signature (``stochsearch._kernels.signatures``), so optimizers work on any space
for which a neighbourhood exists. Built-ins register by name; ``DEFAULTS`` names the one used
when an optimizer is given none.
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

from .._kernels import discrete_steps, integer_steps, moves, real_steps
from .._validation import check_int, check_real, describe
from ..registry import NEIGHBORHOODS
from ..spaces import Space
from ._operator import Operator

__all__ = ["CauchyStep", "CovarianceStep", "DEFAULTS", "Flip", "GaussianStep", "Insert",
           "Neighborhood", "RealStep", "Swap", "TwoOpt", "resolve_neighborhood"]
__all__ += ["BitMutation", "FastBitMutation", "IntegerStep", "PlusMinusOne", "RandomReset"]

# The layout of move records, which ``delta`` functions read, is public in ``stochsearch.moves``.

#: space kind -> name of the default neighbourhood
DEFAULTS: dict[str, str] = {"real": "gaussian", "binary": "flip", "permutation": "swap",
                            "integer": "integer"}


class Neighborhood(Operator):
    """Base class.

    Attributes
    ----------
    kind : str
        The space kind it works on.
    propose : numba function
        ``propose(x, y, move, params, rng)``.
    adaptive : bool
        True if ``params[0]`` is a step size that optimizers may adapt.
    """

    kind: str = ""
    role = "neighbourhood"
    propose = None
    adaptive: bool = False

    @property
    def kinds(self) -> tuple[str, ...]:
        return (self.kind,)


class RealStep(Neighborhood):
    """A random step on some coordinates of a point of a Real box, reflected at the bounds.

    Parameters
    ----------
    scale : float
        Initial step size relative to each coordinate's width (optimizers adapt it).
    coords : int or None
        How many random coordinates one move changes; None changes all of them.
    """

    kind = "real"
    adaptive = True

    def __init__(self, scale: float = 0.1, coords: int | None = None):
        self.scale = check_real("scale", scale, low=0.0, low_open=True)
        self.coords = check_int("coords", coords, low=1, allow_none=True)

    def pack(self, space: Space) -> np.ndarray:
        coords = space.dim if self.coords is None else min(self.coords, space.dim)
        return np.concatenate([[self.scale, coords], space.lower, space.width])


@NEIGHBORHOODS.register("gaussian")
class GaussianStep(RealStep):
    """Gaussian steps ``N(0, (scale * width)^2)``."""

    propose = staticmethod(real_steps.gaussian_step)


@NEIGHBORHOODS.register("cauchy")
class CauchyStep(RealStep):
    """Cauchy steps of scale ``scale * width``: mostly local, sometimes long jumps."""

    propose = staticmethod(real_steps.cauchy_step)


@NEIGHBORHOODS.register("cma")
class CovarianceStep(RealStep):
    """Gaussian steps on all coordinates whose covariance learns the shape of the landscape
    from the moves that were taken (accepted), clipped into the box.

    Each accepted step ``A z`` updates the Cholesky factor ``A`` of the step covariance by the
    rank-one update of the (1+1)-CMA-ES (Igel, Suttorp & Hansen 2006): ``C <- (1 - c) C +
    c (A z)(A z)^T``, in O(dim^2) per step. On rotated, ill-conditioned landscapes the steps
    come to follow the valleys; the step size (``scale``, relative to each coordinate's width)
    is adapted by the optimizer as for the other Real steps. Proposals outside the box are
    clipped to it (a reflected step would fold the learned direction back).

    Parameters
    ----------
    scale : float
        Initial step size relative to each coordinate's width.
    learning_rate : float, optional
        ``c``; default ``2 / (dim^2 + 6)`` (the (1+1)-CMA-ES's rate for the covariance).
    axis : float
        Probability that a move is instead a Cauchy jump along one random coordinate (scale
        ``step * width``): heavy-tailed moves that exploit separable structure, as the former
        annealing default did. 0: every move uses the learned shape.
    """

    propose = staticmethod(real_steps.covariance_step)

    def __init__(self, scale: float = 0.1, learning_rate: float | None = None,
                 axis: float = 0.0):
        super().__init__(scale=scale)
        self.learning_rate = check_real("learning_rate", learning_rate, low=0.0, high=1.0,
                                        low_open=True, high_open=True, allow_none=True)
        self.axis = check_real("axis", axis, low=0.0, high=1.0)

    def pack(self, space: Space) -> np.ndarray:
        n = space.dim
        c = 2.0 / (n * n + 6.0) if self.learning_rate is None else self.learning_rate
        return np.concatenate([super().pack(space), np.eye(n).ravel(), np.zeros(3 * n),
                               [0.0, c, self.axis]])


@NEIGHBORHOODS.register("flip")
class Flip(Neighborhood):
    """Flip ``k`` distinct random bits of a bitstring (all of them if ``k >= n``)."""

    kind = "binary"
    propose = staticmethod(discrete_steps.flip_bits)

    def __init__(self, k: int = 1):
        self.k = check_int("k", k, low=1)

    def pack(self, space: Space) -> np.ndarray:
        return np.array([0.0, min(self.k, space.dim)])


@NEIGHBORHOODS.register("bitmutation")
class BitMutation(Neighborhood):
    """Standard bit mutation with at least one flip: every bit flips independently with
    probability ``rate``, conditioned on at least one flip (the (1+1) EA's move; Doerr et al.
    call it the shifted form, "standard bit mutation with at least one flip").

    Parameters
    ----------
    rate : float or None
        Probability that a bit flips, in (0, 1]; None means ``1 / n``: one flip on average
        (1.58 given at least one), sometimes two or more, so that a search can jump out of
        traps a single flip cannot leave.

    Notes
    -----
    The number of flipped bits is drawn from ``Bin(n, rate)`` conditioned on at least one, then
    that many distinct positions uniformly: the same distribution as flipping each bit and
    starting again when none flipped, in ``O(flips)`` random draws rather than ``O(n)``. The
    move record is a ``FLIP`` listing the flipped positions, so incremental ``delta`` functions
    written for ``Flip`` apply unchanged.

    Examples
    --------
    >>> import stochsearch as ss
    >>> from stochsearch.problems import OneMax
    >>> result = ss.SimulatedAnnealing(move=BitMutation()).run(OneMax(32), 3000, rng=1)
    >>> result.fun
    -32.0
    """

    kind = "binary"
    propose = staticmethod(discrete_steps.bit_mutation)

    def __init__(self, rate: float | None = None):
        self.rate = check_real("rate", rate, low=0.0, high=1.0, low_open=True,
                               allow_none=True)

    def pack(self, space: Space) -> np.ndarray:
        rate = 1.0 / space.dim if self.rate is None else self.rate
        return np.array([0.0, rate, _first_of_conditioned_binomial(space.dim, rate)])


@NEIGHBORHOODS.register("fastbitmutation")
class FastBitMutation(Neighborhood):
    """Heavy-tailed standard bit mutation, the move of the fast (1+1) EA (Doerr, Le,
    Makhmara & Nguyen 2017): ``alpha`` is drawn from the power law
    ``P(alpha) ~ alpha^-beta`` on ``1 .. max(1, n // 2)``, then every bit flips with probability
    ``alpha / n``, conditioned on at least one flip. Mostly one or two flips, but jumps of
    ``m`` bits have probability of order ``m^-beta`` rather than ``m^-m``.

    Parameters
    ----------
    beta : float
        Exponent of the power law, greater than 1 (1.5 as in the paper).
    """

    kind = "binary"
    propose = staticmethod(discrete_steps.fast_bit_mutation)

    def __init__(self, beta: float = 1.5):
        self.beta = check_real("beta", beta, low=1.0, low_open=True)

    def pack(self, space: Space) -> np.ndarray:
        n = space.dim
        half = max(1, n // 2)
        cdf = np.cumsum(np.arange(1, half + 1, dtype=float) ** -self.beta)
        cdf /= cdf[-1]
        inverted = range(1, min(half, int(discrete_steps.INVERSION_MEAN)) + 1)
        first = [_first_of_conditioned_binomial(n, min(a / n, 1.0)) for a in inverted]
        return np.concatenate([[0.0, self.beta, half], cdf, first])


def _first_of_conditioned_binomial(n: int, rate: float) -> float:
    """``P(k = 1 | k >= 1)`` for ``k ~ Bin(n, rate)``: where the kernel's inversion starts."""
    if rate >= 1.0:
        return 1.0 if n == 1 else 0.0
    log_q = math.log1p(-rate)
    return n * rate * math.exp((n - 1) * log_q) / -math.expm1(n * log_q)


@NEIGHBORHOODS.register("swap")
class Swap(Neighborhood):
    """Exchange two random elements of a permutation (the move that changes fewest
    positions, so the default)."""

    kind = "permutation"
    propose = staticmethod(discrete_steps.swap_step)


@NEIGHBORHOODS.register("insert")
class Insert(Neighborhood):
    """Move one random element of a permutation to another random position."""

    kind = "permutation"
    propose = staticmethod(discrete_steps.insert_step)


@NEIGHBORHOODS.register("2opt")
class TwoOpt(Neighborhood):
    """Reverse a random segment of a permutation: on a tour, the 2-opt move (two edges
    replaced by two others), the classic neighbourhood of the TSP."""

    kind = "permutation"
    propose = staticmethod(discrete_steps.two_opt_step)


@NEIGHBORHOODS.register("integer")
class IntegerStep(Neighborhood):
    """A move on an Integer space: ``coords`` random coordinates each step by ``+-1`` (or
    ``+-1 .. +-step``), reflected at the bounds, or, with probability ``reset``, jump to
    another value of their range drawn uniformly.

    Parameters
    ----------
    reset : float
        Probability that a changed coordinate is reset at random rather than stepped: 0 gives
        pure ``+-1`` moves (a local search that stops in the first local minimum), 1 pure
        random resets. Default 0.3: measured with annealing and hill climbing (20 seeds,
        20,000 evaluations) on shifted integer sphere, ellipsoid and grid Rastrigin and on
        bounded knapsacks, 0.3 to 0.5 solve the grid Rastrigins most often (annealing: 15-20
        of 20 against 0 with ``+-1`` alone and 8-13 with 0.1), while spheres are solved
        whatever the value. Held out (``bench/integer_defaults.py``): on wide ranges (a
        20-D ellipsoid over ``-500 .. 500``) 0.1 solves where 0.3 ends 40 above the optimum
        with annealing, and 0.5 worse; on grid Rastrigins 0.3 to 0.5 win again. ``+-1``
        moves alone never cross a wide range in 20,000 evaluations.
    step : int
        Largest step: each step is ``+-d`` with ``d`` uniform in ``1 .. step``.
    coords : int
        How many random coordinates one move changes (all of them if ``coords >= dim``).

    Notes
    -----
    At the bounds a step goes the other way (for ``+-1`` this is mirror reflection: from
    ``upper``, ``+1`` gives ``upper - 1``; a longer step that leaves the box both ways stops at
    the bound it was heading for), so every move changes each coordinate it lists, where
    clipping would waste it; ``d`` is at most the coordinate's width. Coordinates with
    ``lower == upper`` never change. The move record is an
    ``INTEGER_STEP`` listing the changed coordinates.
    """

    kind = "integer"
    propose = staticmethod(integer_steps.integer_step)

    def __init__(self, reset: float = 0.3, step: int = 1, coords: int = 1):
        self.reset = check_real("reset", reset, low=0.0, high=1.0)
        self.step = check_int("step", step, low=1)
        self.coords = check_int("coords", coords, low=1)

    def pack(self, space: Space) -> np.ndarray:
        return np.concatenate([[0.0, min(self.coords, space.dim), self.reset, self.step],
                               space.lower, space.width]).astype(np.float64)


@NEIGHBORHOODS.register("plusminus")
class PlusMinusOne(IntegerStep):
    """``+-1`` on ``coords`` random coordinates of an Integer point, reflected at the bounds
    (``IntegerStep(reset=0)``): the smallest move, and a local search with it stops in the
    first point none of whose ``2 dim`` neighbours is better."""

    def __init__(self, coords: int = 1):
        super().__init__(reset=0.0, step=1, coords=coords)

    def __repr__(self):
        return f"{type(self).__name__}(coords={self.coords!r})"


@NEIGHBORHOODS.register("reset")
class RandomReset(IntegerStep):
    """Reset ``coords`` random coordinates of an Integer point to other values of their
    ranges, drawn uniformly (``IntegerStep(reset=1)``)."""

    def __init__(self, coords: int = 1):
        super().__init__(reset=1.0, step=1, coords=coords)

    def __repr__(self):
        return f"{type(self).__name__}(coords={self.coords!r})"


def resolve_neighborhood(spec: str | Neighborhood | Callable | None, space: Space,
                         defaults: dict | None = None) -> Neighborhood:
    """Turn a ``move=`` value (None, a name, a Neighborhood or a Python function
    ``step(x, rng) -> y``: ``operators.python``) into a Neighborhood for
    ``space``. ``defaults`` (space kind -> Neighborhood) lets an optimizer choose its own
    default before the global ``DEFAULTS``."""
    if spec is None:
        if defaults and space.kind in defaults:
            spec = defaults[space.kind]
        elif space.kind in DEFAULTS:
            spec = DEFAULTS[space.kind]
        else:
            raise ValueError(f"no neighbourhood is available for {space!r} yet")
    if isinstance(spec, str):
        spec = NEIGHBORHOODS.get(spec)()
    if not isinstance(spec, Neighborhood):
        from .python import wrap
        spec = wrap(spec, "neighbourhood", space) or spec
    if not isinstance(spec, Neighborhood):
        raise TypeError(f"move must be a neighbourhood name, a Neighborhood or a Python "
                        f"function step(x, rng) -> y, got {describe(spec)}")
    spec.check(space)
    return spec
