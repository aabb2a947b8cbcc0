"""Random-restart hill climbing: accept only improvements, restart when stuck."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._kernels import hill_climbing as kernel
from .._kernels import run_state
from .._kernels.moves import move_length
from .._validation import check_bool, check_choice, check_int, check_real
from ..operators.neighborhoods import (BitMutation, CovarianceStep, Neighborhood,
                                       resolve_neighborhood)
from ..registry import OPTIMIZERS
from ._neighborhood_search import NeighborhoodSearch
from .base import Settings

__all__ = ["RandomRestartHillClimbing"]

# Steps whose covariance learns from the accepted ones: on the quality benchmark's tuning
# instances (bench/tune_quality.py, instances 1-5, D = 2-20, 1000 D evaluations) they hit 0.577
# of the targets where isotropic Gaussian steps hit 0.386 (ill-conditioned 0.774 vs 0.415,
# separable 0.689 vs 0.390, multimodal 0.416/0.377 vs 0.388/0.337).
# On bitstrings, standard bit mutation (flip each bit with probability 1/n, at least one): on
# the quality benchmark's bitstrings (instances 1-5, n = 16, 64, 100) hill climbing hits 0.831
# of the targets with it and 0.761 with one-bit flips (the (1+1) EA: 0.813): two-bit jumps get
# out of rugged OneMax, MAX-3-SAT and NK traps that single flips cannot leave.
_DEFAULT_MOVES = {"real": CovarianceStep(), "binary": BitMutation()}


@dataclass(frozen=True)
class ClimbSettings(Settings):
    move: Neighborhood
    steepest: bool
    n_neighbors: int
    patience: int
    restarts: int | None
    adapt: bool
    min_step: float
    accept_equal: bool

    def functions(self):
        return {"propose": (self.move.propose, "propose")}


@OPTIMIZERS.register("rhc")
class RandomRestartHillClimbing(NeighborhoodSearch):
    """Hill climbing (descent) with restarts from fresh starting points.

    From the current point, sample neighbours and move to a better one (or an equally good one,
    walking across plateaus). On Real spaces the default steps learn the shape of the landscape
    (``CovarianceStep``: the (1+1)-CMA-ES's covariance update) and their size follows the 1/5th
    success rule (it grows after an improvement and shrinks after a failure, so that about one
    step in five succeeds). After ``patience`` evaluations without
    improvement, or when the adaptive step has shrunk below ``min_step``, the climb restarts
    from a new point drawn by the initializer (``init=`` of ``run``).

    Parameters
    ----------
    move : str or Neighborhood, optional
        The neighbourhood. Default: the problem's natural one if it names one (a TSP: 2-opt),
        else on Real spaces ``CovarianceStep()`` (``"cma"``; isotropic ``"gaussian"``,
        ``"cauchy"`` or e.g. ``GaussianStep(scale=0.05)`` turn the shape adaptation off), on
        bitstrings standard bit mutation (``BitMutation()``: each bit flips with probability
        1/n, at least one) and on permutations swaps.
    strategy : {"first", "steepest"}
        ``"first"``: move to the first sampled neighbour that improves. ``"steepest"``: sample
        ``n_neighbors`` neighbours and move to the best of them if it improves.
    n_neighbors : int
        Neighbours sampled per step with ``strategy="steepest"``.
    patience : int, optional
        Evaluations without improvement before a restart; default ``max(100, 10 * dim)``.
    restarts : int or None
        Maximum number of restarts; None restarts until the budget is spent. ``restarts=0`` is
        a single climb from one start (the randomness dial at zero when ``init`` is fixed):
        the run then stops with status CONVERGED when it is stuck.
    adapt_step : bool
        Apply the 1/5th success rule to an adaptive neighbourhood's step size.
    min_step : float
        Restart once the adaptive step (relative to the box width) falls below this.
    accept_equal : bool
        Also move to a neighbour exactly as good as the current point, so a climb can walk
        across a plateau (only improvements reset ``patience`` and grow the step). On the
        quality benchmark's bitstrings (neutral OneMax/LeadingOnes layers, Ising models) a
        climb that moves only on strict improvements stalls on the first plateau.

    Examples
    --------
    >>> from stochsearch.problems import Sphere
    >>> result = RandomRestartHillClimbing().run(Sphere(5), budget=5_000, rng=0)
    >>> result.fun < 1e-8
    True
    """

    name = "rhc"
    state = kernel.STATE
    _advance = kernel.advance
    _fused = kernel.fused

    def __init__(self, move: Any = None, strategy: str = "first", n_neighbors: int = 10,
                 patience: int | None = None, restarts: int | None = None,
                 adapt_step: bool = True, min_step: float = 1e-9,
                 accept_equal: bool = True) -> None:
        self.move = move
        self.strategy = strategy
        self.n_neighbors = n_neighbors
        self.patience = patience
        self.restarts = restarts
        self.adapt_step = adapt_step
        self.min_step = min_step
        self.accept_equal = accept_equal

    def _settings(self, space):
        move = resolve_neighborhood(self.move, space, _DEFAULT_MOVES)
        strategy = check_choice("strategy", self.strategy, ["first", "steepest"])
        patience = check_int("patience", self.patience, low=1, allow_none=True)
        return ClimbSettings(
            move=move, steepest=strategy == "steepest",
            n_neighbors=check_int("n_neighbors", self.n_neighbors, low=1),
            patience=patience if patience is not None else max(100, 10 * space.dim),
            restarts=check_int("restarts", self.restarts, low=0, allow_none=True),
            adapt=bool(self.adapt_step) and move.adaptive,
            min_step=check_real("min_step", self.min_step, low=0.0),
            accept_equal=check_bool("accept_equal", self.accept_equal))

    def _batch_rows(self, settings, space):
        return settings.n_neighbors if settings.steepest else 1

    def _blocks(self, settings, space):
        rows = self._batch_rows(settings, space)
        params = settings.move.pack(space)
        return {"moves": rows * move_length(space.dim), "params": params, "params0": params,
                "cur": 1}

    def _start(self, state):
        s = state.settings
        # 1/5th success rule (Kern et al. 2004): log-factors +0.8/d and -0.2/d.
        damping = 1.0 + state.space.dim / 2.0
        return dict(
            steepest=s.steepest, neighbors=s.n_neighbors, patience=s.patience,
            accept_equal=s.accept_equal,
            restarts_left=-1 if s.restarts is None else s.restarts, adapt=s.adapt,
            move_len=move_length(state.space.dim),
            grow=np.exp(0.8 / damping), shrink=np.exp(-0.2 / damping), min_step=s.min_step,
            max_step=1.0, phase=kernel.START, m=1, request=run_state.REQUEST_SAMPLE)

    def _info(self, state):
        return {"restarts": int(state.fields.restarts)}
