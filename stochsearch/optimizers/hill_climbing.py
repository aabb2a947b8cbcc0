"""Random-restart hill climbing: accept only improvements, restart when stuck."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._kernels import hill_climbing as kernel
from .._kernels import run_state
from .._kernels.moves import move_length
from .._kernels.real_steps import STEP
from .._validation import check_choice, check_int, check_real
from ..operators.neighborhoods import Neighborhood, resolve_neighborhood
from ..registry import OPTIMIZERS
from .base import Optimizer, Settings

__all__ = ["RandomRestartHillClimbing"]


@dataclass(frozen=True)
class ClimbSettings(Settings):
    move: Neighborhood
    steepest: bool
    n_neighbors: int
    patience: int
    restarts: int | None
    adapt: bool
    min_step: float

    def functions(self):
        return {"propose": (self.move.propose, "propose")}


@OPTIMIZERS.register("rhc")
class RandomRestartHillClimbing(Optimizer):
    """Hill climbing (descent) with restarts from fresh starting points.

    From the current point, sample neighbours and move only to a better one. On Real spaces the
    step size follows the 1/5th success rule (it grows after an improvement and shrinks after a
    failure, so that about one step in five succeeds). After ``patience`` evaluations without
    improvement, or when the adaptive step has shrunk below ``min_step``, the climb restarts
    from a new point drawn by the initializer (``init=`` of ``run``).

    Parameters
    ----------
    move : str or Neighborhood, optional
        The neighbourhood; by default Gaussian steps on Real spaces (``"gaussian"``,
        ``"cauchy"``, or e.g. ``GaussianStep(scale=0.05)``).
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

    def __init__(self, move=None, strategy: str = "first", n_neighbors: int = 10,
                 patience: int | None = None, restarts: int | None = None,
                 adapt_step: bool = True, min_step: float = 1e-9):
        self.move = move
        self.strategy = strategy
        self.n_neighbors = n_neighbors
        self.patience = patience
        self.restarts = restarts
        self.adapt_step = adapt_step
        self.min_step = min_step

    def _settings(self, space):
        move = resolve_neighborhood(self.move, space)
        strategy = check_choice("strategy", self.strategy, ["first", "steepest"])
        patience = check_int("patience", self.patience, low=1, allow_none=True)
        return ClimbSettings(
            move=move, steepest=strategy == "steepest",
            n_neighbors=check_int("n_neighbors", self.n_neighbors, low=1),
            patience=patience if patience is not None else max(100, 10 * space.dim),
            restarts=check_int("restarts", self.restarts, low=0, allow_none=True),
            adapt=bool(self.adapt_step) and move.adaptive,
            min_step=check_real("min_step", self.min_step, low=0.0))

    def _batch_rows(self, settings, space):
        return settings.n_neighbors if settings.steepest else 1

    def _blocks(self, settings, space):
        rows = self._batch_rows(settings, space)
        return {"moves": rows * move_length(space.dim), "params": settings.move.pack(space),
                "cur": 1}

    def _start(self, state):
        s = state.settings
        # 1/5th success rule (Kern et al. 2004): log-factors +0.8/d and -0.2/d.
        damping = 1.0 + state.space.dim / 2.0
        return dict(
            steepest=s.steepest, neighbors=s.n_neighbors, patience=s.patience,
            restarts_left=-1 if s.restarts is None else s.restarts, adapt=s.adapt,
            move_len=move_length(state.space.dim), step0=state.block("params")[STEP],
            grow=np.exp(0.8 / damping), shrink=np.exp(-0.2 / damping), min_step=s.min_step,
            max_step=1.0, phase=kernel.START, m=1, request=run_state.REQUEST_SAMPLE)

    def _info(self, state):
        return {"restarts": int(state.fields.restarts)}
