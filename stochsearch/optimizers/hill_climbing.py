"""Random-restart hill climbing: accept only improvements, restart when stuck."""
from __future__ import annotations

import numpy as np

from .._kernels import book
from .._kernels import hill_climbing as kernel
from .._kernels.moves import move_length
from .._kernels.real_steps import STEP
from .._validation import check_choice, check_int, check_real
from ..operators.neighborhoods import resolve_neighborhood
from ..registry import OPTIMIZERS
from .base import Optimizer, Settings

__all__ = ["RandomRestartHillClimbing"]


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
    alg_ints = kernel.N_INTS
    alg_floats = kernel.N_FLOATS
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
        return Settings(
            functions=[(move.propose, "propose")],
            move=move, steepest=strategy == "steepest",
            n_neighbors=check_int("n_neighbors", self.n_neighbors, low=1),
            patience=patience if patience is not None else max(100, 10 * space.dim),
            restarts=check_int("restarts", self.restarts, low=0, allow_none=True),
            adapt=bool(self.adapt_step) and move.adaptive,
            min_step=check_real("min_step", self.min_step, low=0.0),
            params=move.pack(space))

    def _batch_rows(self, settings, space):
        return settings.n_neighbors if settings.steepest else 1

    def _allocate(self, layout, space, settings):
        rows = self._batch_rows(settings, space)
        return {"moves": layout.ints(rows * move_length(space.dim)),
                "params": layout.floats(len(settings.params)),
                "cur": layout.rows(1)}

    def _start(self, state):
        s, i, f, off = state.settings, state.ints, state.floats, state.offsets
        i[kernel.STEEPEST] = s.steepest
        i[kernel.NEIGHBORS] = s.n_neighbors
        i[kernel.PATIENCE] = s.patience
        i[kernel.RESTARTS_LEFT] = -1 if s.restarts is None else s.restarts
        i[kernel.ADAPT] = s.adapt
        i[kernel.OFF_MOVES] = off["moves"]
        i[kernel.MOVE_LEN] = move_length(state.space.dim)
        i[kernel.N_MOVES] = state.batch_rows * move_length(state.space.dim)
        i[kernel.OFF_PARAMS] = off["params"]
        i[kernel.N_PARAMS] = len(s.params)
        i[kernel.ROW_CUR] = off["cur"]
        f[off["params"]:off["params"] + len(s.params)] = s.params
        f[kernel.STEP0] = s.params[STEP]
        # 1/5th success rule (Kern et al. 2004): log-factors +0.8/d and -0.2/d.
        damping = 1.0 + state.space.dim / 2.0
        f[kernel.GROW] = np.exp(0.8 / damping)
        f[kernel.SHRINK] = np.exp(-0.2 / damping)
        f[kernel.MIN_STEP] = s.min_step
        f[kernel.MAX_STEP] = 1.0
        i[kernel.PHASE] = kernel.START
        i[book.M] = 1
        i[book.REQUEST] = book.REQUEST_SAMPLE

    def _info(self, state):
        return {"restarts": int(state.ints[kernel.RESTARTS])}
