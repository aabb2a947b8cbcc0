"""Mutation for the genetic algorithm, each owning its numba kernel (role "mutate",
``_kernels.mutation``), which changes a child in place.

The rate is the genetic algorithm's ``mutation_rate``, per gene on every space: a bit flips, a
Real gene is perturbed, a permutation's position starts a move (to another random position) with
that probability. It defaults to ``1 / n`` (one change per child on average). ``params[0]`` of
every mutation is that rate; a user's own mutation keeps the same convention.
"""
from __future__ import annotations

import numpy as np

from .._kernels import integer_steps
from .._kernels import mutation as kernels
from .._validation import check_real
from ..spaces import Space
from ._operator import Operator, box, resolve

__all__ = ["BitFlip", "GaussianMutation", "InsertMutation", "IntegerMutation",
           "InversionMutation", "MUTATIONS", "Mutation", "PolynomialMutation", "ResetMutation",
           "SwapMutation", "resolve_mutation"]


class Mutation(Operator):
    """Base class: ``mutate(x, params, rng)`` is the kernel, ``pack()`` its parameters, with
    the default rate ``1 / n`` in ``params[0]`` (and two slots the built-in kernels use as a
    cache)."""

    role = "mutation"
    mutate = None
    #: True when the kernel changes each gene independently, with the same chance and the same
    #: change at every position and nothing per position in its parameters: the genetic
    #: algorithm then mutates a whole batch of children in one call, as one string
    independent_genes = False

    def pack(self, space: Space) -> np.ndarray:
        return np.array([1.0 / space.dim, np.nan, 0.0])


class BitFlip(Mutation):
    """Flip each bit with probability ``rate``."""

    kinds = ("binary",)
    mutate = staticmethod(kernels.bit_flip)
    independent_genes = True


class GaussianMutation(Mutation):
    """Add ``N(0, (sigma * width)^2)`` to each gene with probability ``rate`` (reflected into
    the box)."""

    kinds = ("real",)
    mutate = staticmethod(kernels.gaussian)

    def __init__(self, sigma: float = 0.1):
        self.sigma = check_real("sigma", sigma, low=0.0, low_open=True)

    def pack(self, space: Space) -> np.ndarray:
        return np.r_[super().pack(space), self.sigma, box(space)]


class PolynomialMutation(Mutation):
    """Deb's polynomial mutation of each gene with probability ``rate``: bounded by the box,
    closer to the parent for a larger distribution index ``eta``."""

    kinds = ("real",)
    mutate = staticmethod(kernels.polynomial)

    def __init__(self, eta: float = 20.0):
        self.eta = check_real("eta", eta, low=0.0)

    def pack(self, space: Space) -> np.ndarray:
        return np.r_[super().pack(space), self.eta, box(space)]


class SwapMutation(Mutation):
    """Exchange each element, with probability ``rate``, with another random one."""

    kinds = ("permutation",)
    mutate = staticmethod(kernels.swap)


class InsertMutation(Mutation):
    """Move each element, with probability ``rate``, to another random position."""

    kinds = ("permutation",)
    mutate = staticmethod(kernels.insert)


class InversionMutation(Mutation):
    """Reverse, from each position with probability ``rate``, the segment to another random
    position (the 2-opt move on a tour)."""

    kinds = ("permutation",)
    mutate = staticmethod(kernels.inversion)


class IntegerMutation(Mutation):
    """Mutate each gene of an Integer point with probability ``rate``: with probability
    ``reset`` it is reset to another value of its range (uniformly), else it creeps by
    ``round(sigma * width * N(0, 1))``, at least one step, reflected at the bounds.

    Parameters
    ----------
    sigma : float
        Creep size relative to each coordinate's width ``upper - lower`` (0.1: a
        standard deviation of 2 on a range of 20 values; on small ranges mostly +-1).
    reset : float
        Probability that a mutating gene is reset at random rather than crept. Default 0.5:
        with uniform crossover (the GA's default on Integer spaces), 20 seeds at 20,000
        evaluations, it solved a 30-item bounded knapsack 14 times against 10 with 0.2 and
        9 with 0 (creep alone), and every integer sphere, ellipsoid and grid Rastrigin
        tried, as 0 and 0.2 do.
    """

    kinds = ("integer",)
    mutate = staticmethod(integer_steps.integer_mutation)

    def __init__(self, sigma: float = 0.1, reset: float = 0.5):
        self.sigma = check_real("sigma", sigma, low=0.0)
        self.reset = check_real("reset", reset, low=0.0, high=1.0)

    def pack(self, space: Space) -> np.ndarray:
        return np.r_[super().pack(space), self.sigma, space.lower, space.width,
                     self.reset].astype(np.float64)


class ResetMutation(IntegerMutation):
    """Reset each gene of an Integer point, with probability ``rate``, to another value of its
    range drawn uniformly (``IntegerMutation(reset=1)``)."""

    def __init__(self):
        super().__init__(sigma=0.0, reset=1.0)

    def __repr__(self):
        return "ResetMutation()"


MUTATIONS = {"bitflip": BitFlip, "gaussian": GaussianMutation, "polynomial": PolynomialMutation,
             "swap": SwapMutation, "insert": InsertMutation, "inversion": InversionMutation,
             "integer": IntegerMutation, "reset": ResetMutation}

#: space kind -> name of the default mutation
DEFAULTS = {"real": "polynomial", "binary": "bitflip", "permutation": "inversion",
            "integer": "integer"}


def resolve_mutation(spec, space) -> Mutation:
    """Turn a ``mutation=`` value (None, a name or a Mutation) into a Mutation that fits
    ``space``."""
    return resolve(spec, Mutation, MUTATIONS, "mutation", space, DEFAULTS)
