"""What hill climbing and annealing share on the Python side: both step through one
neighbourhood (``move``), and without one they take the problem's own."""
from __future__ import annotations

import dataclasses

from .base import Optimizer

__all__ = ["NeighborhoodSearch"]


class NeighborhoodSearch(Optimizer):
    """Base of the optimizers that move through one neighbourhood. With no ``move`` given, a
    problem's natural neighbourhood (``Problem.neighborhood``: a TSP's 2-opt) replaces the
    optimizer's default for its space kind. Subclasses have ``move`` and ``adapt_step``
    parameters, and settings with ``move`` and ``adapt`` fields."""

    def _problem_settings(self, settings, problem):
        natural = None if problem is None or self.move is not None else problem.neighborhood
        if natural is None:
            return settings
        return dataclasses.replace(settings, move=natural,
                                   adapt=bool(self.adapt_step) and natural.adaptive)
