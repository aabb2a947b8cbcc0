"""Neighbourhoods: how hill climbing and annealing step from a point to a nearby one.

A neighbourhood fits one kind of space and owns a numba ``propose(x, y, move, params, rng)``
compiled for that kind's signature (``stochsearch._kernels.signatures``), so optimizers work on any space
for which a neighbourhood exists. Built-ins register by name; ``DEFAULTS`` names the one used
when an optimizer is given none.
"""
from __future__ import annotations

import math

import numpy as np

from .._kernels import discrete_steps, moves, real_steps
from .._validation import check_int, check_real, describe
from ..registry import NEIGHBORHOODS
from ..spaces import Space
from ._operator import Operator

__all__ = ["CauchyStep", "CovarianceStep", "DEFAULTS", "Flip", "GaussianStep", "Insert",
           "Neighborhood", "RealStep", "Swap", "TwoOpt", "resolve_neighborhood"]
__all__ += ["BitMutation", "FastBitMutation"]

# The layout of move records, which ``delta`` functions read, is public in ``stochsearch.moves``.

#: space kind -> name of the default neighbourhood
DEFAULTS: dict[str, str] = {"real": "gaussian", "binary": "flip", "permutation": "swap"}


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


def resolve_neighborhood(spec: str | Neighborhood | None, space: Space,
                         defaults: dict | None = None) -> Neighborhood:
    """Turn a ``move=`` value (None, a name or a Neighborhood) into a Neighborhood for
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
        raise TypeError(f"move must be a neighbourhood name or a Neighborhood, got "
                        f"{describe(spec)}")
    spec.check(space)
    return spec
