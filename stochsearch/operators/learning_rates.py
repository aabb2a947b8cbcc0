"""Learning rates of SGD and their schedules, each owning its numba kernel (role
"learning_rate", ``stochsearch._kernels.updates``): ``rate(step, epoch, progress, params)``."""
from __future__ import annotations

import numpy as np

from .._kernels import updates as kernels
from .._validation import check_int, check_real, describe
from ..spaces import Space
from ._operator import Operator

__all__ = ["ConstantRate", "CosineDecay", "ExponentialDecay", "InverseScaling",
           "LearningRate", "StepDecay", "resolve_learning_rate"]


class LearningRate(Operator):
    """Base class: ``rate`` is the kernel, ``pack(space)`` its parameters (the initial rate
    first)."""

    kinds = ("real",)
    role = "learning rate"
    rate = None

    def __init__(self, learning_rate: float = 0.01):
        self.learning_rate = _check_rate(learning_rate)

    def pack(self, space: Space | None = None) -> np.ndarray:
        return np.array([self.learning_rate])


class ConstantRate(LearningRate):
    """The same rate at every step."""

    rate = staticmethod(kernels.constant_rate)


class InverseScaling(LearningRate):
    """``learning_rate / (t + 1)^power`` at step ``t`` (scikit-learn's "invscaling"; the
    Robbins-Monro condition holds for 0.5 < power <= 1)."""

    rate = staticmethod(kernels.inverse_scaling)

    def __init__(self, learning_rate: float = 0.01, power: float = 0.5):
        super().__init__(learning_rate)
        self.power = check_real("power", power, low=0.0)

    def pack(self, space: Space | None = None) -> np.ndarray:
        return np.array([self.learning_rate, self.power])


class ExponentialDecay(LearningRate):
    """``learning_rate * factor^epoch``."""

    rate = staticmethod(kernels.exponential_decay)

    def __init__(self, learning_rate: float = 0.01, factor: float = 0.95):
        super().__init__(learning_rate)
        self.factor = check_real("factor", factor, low=0.0, high=1.0, low_open=True)

    def pack(self, space: Space | None = None) -> np.ndarray:
        return np.array([self.learning_rate, self.factor])


class StepDecay(LearningRate):
    """``learning_rate`` multiplied by ``factor`` every ``every`` epochs."""

    rate = staticmethod(kernels.step_decay)

    def __init__(self, learning_rate: float = 0.01, factor: float = 0.1, every: int = 30):
        super().__init__(learning_rate)
        self.factor = check_real("factor", factor, low=0.0, high=1.0, low_open=True)
        self.every = check_int("every", every, low=1)

    def pack(self, space: Space | None = None) -> np.ndarray:
        return np.array([self.learning_rate, self.factor, float(self.every)])


class CosineDecay(LearningRate):
    """From ``learning_rate`` down to ``floor * learning_rate`` along half a cosine over the
    budget (Loshchilov and Hutter 2017, without restarts)."""

    rate = staticmethod(kernels.cosine_decay)

    def __init__(self, learning_rate: float = 0.01, floor: float = 0.0):
        super().__init__(learning_rate)
        self.floor = check_real("floor", floor, low=0.0, high=1.0)

    def pack(self, space: Space | None = None) -> np.ndarray:
        return np.array([self.learning_rate, self.floor])


def _check_rate(value) -> float:
    return check_real("learning_rate", value, low=0.0, low_open=True)


def resolve_learning_rate(spec) -> LearningRate:
    """Turn a ``learning_rate=`` value (a positive number or a schedule) into a schedule."""
    if isinstance(spec, LearningRate):
        return spec
    if isinstance(spec, (int, float, np.integer, np.floating)) and not isinstance(spec, bool):
        return ConstantRate(spec)
    raise TypeError("learning_rate must be a positive number or a schedule such as "
                    f"InverseScaling(0.1), got {describe(spec)}")
