"""Random search: the baseline every comparison needs."""
from __future__ import annotations

from dataclasses import dataclass

from .._kernels import random_search as kernel
from .._kernels import run_state
from .._validation import check_int
from ..registry import OPTIMIZERS
from .base import Optimizer, Settings

__all__ = ["RandomSearch"]


@dataclass(frozen=True)
class RandomSearchSettings(Settings):
    batch_size: int


@OPTIMIZERS.register("random")
class RandomSearch(Optimizer):
    """Evaluate independent points drawn from the initializer; keep the best.

    With the default ``init="uniform"`` this is pure random search over the space. With
    another initializer it samples that distribution (and with a fixed start it evaluates the
    same point over and over: the randomness dial at zero).

    Parameters
    ----------
    batch_size : int
        Points drawn and evaluated per batch (per ``ask``).

    Examples
    --------
    >>> from stochsearch.problems import Sphere
    >>> RandomSearch().run(Sphere(2), budget=1000, rng=0).nfev
    1000
    """

    name = "random"
    state = kernel.STATE
    _advance = kernel.advance
    _fused = kernel.fused

    def __init__(self, batch_size: int = 1000):
        self.batch_size = batch_size

    def _settings(self, space):
        return RandomSearchSettings(batch_size=check_int("batch_size", self.batch_size, low=1))

    def _batch_rows(self, settings, space):
        return settings.batch_size

    def _start(self, state):
        return dict(batch=state.settings.batch_size, m=state.batch_rows,
                    request=run_state.REQUEST_SAMPLE)
