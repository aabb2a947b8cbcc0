"""Cooling schedules for simulated annealing, each owning its numba kernel."""
from __future__ import annotations

import numpy as np

from .._kernels import cooling as kernels
from .._validation import check_choice, check_real, describe
from ..spaces import Space
from ._operator import Operator

__all__ = ["Adaptive", "Cooling", "Exponential", "Linear", "Logarithmic", "SCHEDULES",
           "resolve_cooling"]


class Cooling(Operator):
    """Base class: ``temperature`` is the kernel, ``pack(space)`` its parameters."""

    role = "cooling schedule"
    temperature = None


class Exponential(Cooling):
    """Geometric cooling from ``t0`` down to ``ratio * t0`` over the run.

    Parameters
    ----------
    ratio : float or None
        Final over initial temperature. None chooses by space: ``1e-10`` on Real spaces, where
        the end of a run should be a greedy refinement with ever smaller steps (whatever the
        scale of the objective), and ``1e-3`` on discrete spaces, whose smallest uphill moves
        are of the order of ``t0``.
    """

    temperature = staticmethod(kernels.exponential)

    def __init__(self, ratio: float | None = None):
        self.ratio = check_real("ratio", ratio, low=0.0, high=1.0, low_open=True,
                                high_open=True, allow_none=True)

    def pack(self, space: Space) -> np.ndarray:
        ratio = self.ratio
        if ratio is None:
            ratio = 1e-10 if space.kind == "real" else 1e-3
        return np.array([ratio, -1.0, 1.0])


class Linear(Cooling):
    """Linear cooling from ``t0`` down to 0 at the end of the run."""

    temperature = staticmethod(kernels.linear)


class Logarithmic(Cooling):
    """``t0 * ln 2 / ln(k + 2)``: the slow schedule of the convergence theorems."""

    temperature = staticmethod(kernels.logarithmic)


class Adaptive(Cooling):
    """Temperature steered so the acceptance of uphill moves follows a decaying target.

    Parameters
    ----------
    start, end : float
        Target acceptance of uphill moves at the start and at the end of the run.
    gain : float
        How strongly the temperature reacts to a gap between target and observed acceptance.
    """

    temperature = staticmethod(kernels.adaptive)

    def __init__(self, start: float = 0.5, end: float = 1e-4, gain: float = 0.05):
        self.start = check_real("start", start, low=0.0, high=1.0, low_open=True)
        self.end = check_real("end", end, low=0.0, high=1.0, low_open=True)
        self.gain = check_real("gain", gain, low=0.0, low_open=True)

    def pack(self, space: Space) -> np.ndarray:
        return np.array([self.start, self.end, self.gain])


SCHEDULES = {"exponential": Exponential, "linear": Linear, "logarithmic": Logarithmic,
             "adaptive": Adaptive}


def resolve_cooling(spec: str | Cooling | None) -> Cooling:
    """Turn a ``schedule=`` value (a name or a Cooling) into a Cooling."""
    if isinstance(spec, Cooling):
        return spec
    if isinstance(spec, str):
        return SCHEDULES[check_choice("schedule", spec, SCHEDULES)]()
    raise TypeError(f"schedule must be one of {', '.join(map(repr, SCHEDULES))} or a Cooling, "
                    f"got {describe(spec)}")
