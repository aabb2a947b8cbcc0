"""Parent selection for the genetic algorithm, each owning its numba kernel (role "select",
``_kernels.selection``). Selection sees only objective values (lower is better), so every
selection works on every space."""
from __future__ import annotations

import numpy as np

from .._kernels import selection as kernels
from .._validation import check_int, check_real
from ..spaces import Space
from ._operator import Operator, resolve

__all__ = ["Proportional", "Rank", "SELECTIONS", "Selection", "Tournament", "Truncation",
           "resolve_selection"]


class Selection(Operator):
    """Base class: ``select(f, out, iwork, fwork, params, rng)`` is the kernel, ``pack()`` its
    parameters."""

    role = "selection"
    select = None

    def check_population(self, pop_size: int) -> None:
        """Raise if the selection cannot work on a population of ``pop_size``."""


class Tournament(Selection):
    """The best of ``k`` members drawn at random (with replacement). ``k = 1`` is uniform
    selection; larger ``k`` selects harder."""

    select = staticmethod(kernels.tournament_select)

    def __init__(self, k: int = 3):
        self.k = check_int("k", k, low=1)

    def pack(self, space: Space) -> np.ndarray:
        return np.array([float(self.k)])

    def check_population(self, pop_size: int) -> None:
        if self.k > pop_size:
            raise ValueError(f"the tournament size k must be at most pop_size ({pop_size}), "
                             f"got {self.k}")


class Rank(Selection):
    """Linear ranking (Baker 1985): the best member is chosen ``pressure`` times as often as
    the median one, the worst ``2 - pressure`` times; values matter only through their order."""

    select = staticmethod(kernels.rank_select)

    def __init__(self, pressure: float = 1.5):
        self.pressure = check_real("pressure", pressure, low=1.0, high=2.0)

    def pack(self, space: Space) -> np.ndarray:
        return np.array([self.pressure])


class Proportional(Selection):
    """Fitness-proportional (roulette wheel) on shifted values: a member's weight is how much
    better it is than the worst member (``f_worst - f``), so the worst is never chosen and
    the scale of the objective does not matter, only its differences."""

    select = staticmethod(kernels.proportional_select)


class Truncation(Selection):
    """Uniformly among the best ``fraction`` of the population."""

    select = staticmethod(kernels.truncation_select)

    def __init__(self, fraction: float = 0.5):
        self.fraction = check_real("fraction", fraction, low=0.0, high=1.0, low_open=True)

    def pack(self, space: Space) -> np.ndarray:
        return np.array([self.fraction])


SELECTIONS = {"tournament": Tournament, "rank": Rank, "proportional": Proportional,
              "truncation": Truncation}


def resolve_selection(spec, space) -> Selection:
    """Turn a ``selection=`` value (a name or a Selection) into a Selection."""
    return resolve(spec, Selection, SELECTIONS, "selection", space)
