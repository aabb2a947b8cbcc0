"""Mutation for the genetic algorithm, each owning its numba kernel (role "mutate",
``_kernels.mutation``), which changes a child in place.

The rate is the genetic algorithm's ``mutation_rate``, per gene on every space: a bit flips, a
Real gene is perturbed, a permutation's position starts a move (to another random position) with
that probability. It defaults to ``1 / n`` (one change per child on average). ``params[0]`` of
every mutation is that rate; a user's own mutation keeps the same convention.
"""
from __future__ import annotations

import numpy as np

from .._kernels import mutation as kernels
from .._validation import check_real
from ..spaces import Space
from ._operator import Operator, box, resolve

__all__ = ["BitFlip", "GaussianMutation", "InsertMutation", "InversionMutation", "MUTATIONS",
           "Mutation", "PolynomialMutation", "SwapMutation", "resolve_mutation"]


class Mutation(Operator):
    """Base class: ``mutate(x, params, rng)`` is the kernel, ``pack()`` its parameters, with
    the default rate ``1 / n`` in ``params[0]`` (and two slots the built-in kernels use as a
    cache)."""

    role = "mutation"
    mutate = None

    def pack(self, space: Space) -> np.ndarray:
        return np.array([1.0 / space.dim, np.nan, 0.0])


class BitFlip(Mutation):
    """Flip each bit with probability ``rate``."""

    kinds = ("binary",)
    mutate = staticmethod(kernels.bit_flip)


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


MUTATIONS = {"bitflip": BitFlip, "gaussian": GaussianMutation, "polynomial": PolynomialMutation,
             "swap": SwapMutation, "insert": InsertMutation, "inversion": InversionMutation}

#: space kind -> name of the default mutation
DEFAULTS = {"real": "polynomial", "binary": "bitflip", "permutation": "inversion"}


def resolve_mutation(spec, space) -> Mutation:
    """Turn a ``mutation=`` value (None, a name or a Mutation) into a Mutation that fits
    ``space``."""
    return resolve(spec, Mutation, MUTATIONS, "mutation", space, DEFAULTS)
