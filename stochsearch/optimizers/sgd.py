"""Stochastic gradient descent, with update rules combined by ``chain()``."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._kernels import run_state
from .._kernels import sgd as kernel
from .._validation import check_choice, check_int, describe
from ..operators.learning_rates import resolve_learning_rate
from ..operators.updates import resolve_update
from ..registry import OPTIMIZERS
from ._state import RunState
from .base import Optimizer, Settings

__all__ = ["SGD"]

@dataclass(frozen=True)
class SGDSettings(Settings):
    rate: object                    # a LearningRate
    rules: tuple                    # UpdateRules, applied in order
    n_samples: int                  # 0: a problem without samples
    batch_gradient: object          # numba batch_gradient(x, data, batch, out)
    batch_size: int | None
    shuffle: int

    def functions(self):
        return {"learning_rate": (self.rate.rate, "learning_rate"),
                "batch_gradient": (self.batch_gradient, "batch_gradient")}

    def function_blocks(self):
        return {"rule_fns": [(rule.update, "update") for rule in self.rules]}


_SHUFFLES = {"none": kernel.NO_SHUFFLE, "once": kernel.SHUFFLE_ONCE,
             "epoch": kernel.SHUFFLE_EPOCH}


@OPTIMIZERS.register("sgd")
class SGD(Optimizer):
    """Minibatch stochastic gradient descent (Robbins and Monro 1951), projected onto the box.

    Each step takes the gradient of the loss on a minibatch, passes it through the update
    rules (momentum, Adam, clipping, noise: ``stochsearch.operators``), and moves against it by
    the learning rate. On a problem without samples (a landscape with a gradient) each step
    takes the whole gradient; ``AddNoise`` then supplies the randomness.

    Parameters
    ----------
    learning_rate : float or LearningRate
        The step size, or a schedule: ``InverseScaling``, ``ExponentialDecay``,
        ``StepDecay``, ``CosineDecay``.
    update : str, UpdateRule or chain, optional
        ``"sgd"`` (plain, the default), ``"momentum"``, ``"nesterov"``, ``"adam"``, a rule such
        as ``Momentum(0.9)``, or ``chain(ClipByNorm(1.0), AddNoise(0.01), Adam())``.
    batch_size : int or None
        Samples per minibatch on a data problem; None (or at least the number of samples) is
        full-batch gradient descent, the randomness dial at zero with ``shuffle="none"``.
    shuffle : {"epoch", "once", "none"}
        Sample order: reshuffled every epoch, shuffled once, or the dataset's order.

    Notes
    -----
    The budget counts sample-gradients: a minibatch of 32 costs 32 evaluations (a gradient
    without samples costs one), and ``result.info["epochs"]`` gives the passes over the data.
    With minibatches, the objective (the loss on all the data) is also evaluated, free of
    budget, at the start, after every epoch and at the end: the best point, the history and
    ``fun`` follow those values, not the noisy minibatch losses. A loss or gradient that is not
    finite stops the run with status DIVERGED, keeping the best point.

    ``run`` calls the problem's numba ``gradient(x, data, out)``, or on a data problem (one with
    ``n_samples`` and a ``batch_gradient(x, data, batch, out)``, such as a network problem) its
    minibatch gradient. With ``init``/``ask``/``tell`` the caller computes them:
    ``minibatch(state)`` names the samples of the point asked for (None: all of them, or a
    problem without samples), ``wants_gradient(state)`` whether ``tell`` needs ``grad=``.

    Examples
    --------
    >>> from stochsearch.problems import Sphere
    >>> result = SGD(learning_rate=0.1).run(Sphere(5), budget=200, rng=0)
    >>> result.fun < 1e-12, result.info["epochs"]
    (True, 200.0)
    """

    name = "sgd"
    spaces = ("real",)
    uses_gradient = True
    state = kernel.STATE
    _advance = kernel.advance
    _fused = kernel.fused

    def __init__(self, learning_rate: float | Any = 0.01, update: Any = None,
                 batch_size: int | None = 32, shuffle: str = "epoch") -> None:
        self.learning_rate = learning_rate
        self.update = update
        self.batch_size = batch_size
        self.shuffle = shuffle

    def _settings(self, space):
        rate = resolve_learning_rate(self.learning_rate)
        rules = resolve_update(self.update).rules
        return SGDSettings(
            rate=rate, rules=tuple(rules), n_samples=0, batch_gradient=kernel.no_batch_gradient,
            batch_size=check_int("batch_size", self.batch_size, low=1, allow_none=True),
            shuffle=_SHUFFLES[check_choice("shuffle", self.shuffle, _SHUFFLES)])

    def _problem_settings(self, settings, problem):
        if problem is None:
            return settings
        n = getattr(problem, "n_samples", None)
        if n is not None:
            settings = dataclasses.replace(
                settings, n_samples=check_int("the problem's n_samples", n, low=1),
                batch_gradient=problem.batch_gradient)
        elif problem.gradient is None:
            raise ValueError(f"SGD needs the gradient of {problem.name!r}: give the Problem a "
                             "numba gradient(x, data, out), or compute gradients yourself "
                             "and init with its space (init/ask/tell(..., grad=))")
        if _minibatches(settings) and problem.objective is None:
            raise ValueError(f"SGD with minibatches evaluates the objective of {problem.name!r} "
                             "at the end of each epoch: the problem needs its numba objective")
        return settings

    def _runs_fused(self, state):
        return True     # the kernel calls the gradient; _problem_settings checked it exists

    def _blocks(self, settings, space):
        memories = [rule.pack(space) for rule in settings.rules]
        offsets = np.cumsum([0] + [len(m) for m in memories])
        return {"order": np.arange(settings.n_samples), "rule_fns": len(memories),
                "rules": offsets,   # made absolute in _start, once the block is placed
                "memory": np.concatenate([np.zeros(0)] + memories),
                "rate_params": settings.rate.pack(space),
                "box": np.concatenate([space.lower, space.upper]), "grad": 1}

    def _start(self, state):
        s = state.settings
        n = s.n_samples
        state.block("rules")[:] += state.blocks["memory"][1]
        batch = n if s.batch_size is None else min(s.batch_size, max(n, 1))
        return dict(n_samples=n, batch=batch, shuffle=s.shuffle,
                    rate=state.block("rate_params")[0], first=1,
                    phase=kernel.VALUE if _minibatches(s) else kernel.GRADIENT,
                    cur=min(batch, n, state.rules.budget) if n else 1, m=1,
                    request=run_state.REQUEST_SAMPLE)

    def _info(self, state):
        f = state.fields
        n = int(f.n_samples)
        epochs = state.nfev / n if n else float(state.nfev)
        return {"epochs": epochs, "steps": int(f.steps), "learning_rate": float(f.rate),
                "objective_evaluations": int(f.values)}

    # --- ask/tell with gradients --------------------------------------------------------------
    def minibatch(self, state: RunState) -> np.ndarray | None:
        """The samples the point asked for needs the loss and gradient of (indices into the
        problem's data), or None for all of them (and on problems without samples)."""
        self._check_state(state)
        f = state.fields
        if f.phase == kernel.VALUE or f.n_samples == 0:
            return None
        return state.block("order")[f.pos:f.pos + f.cur].copy()

    def wants_gradient(self, state: RunState) -> bool:
        """Whether ``tell`` needs the gradient (else the objective value alone)."""
        self._check_state(state)
        return bool(state.fields.phase == kernel.GRADIENT)

    def _tell_gradient(self, state, grad):
        if not self.wants_gradient(state):
            return
        if grad is None:
            raise ValueError("SGD needs the gradient at the asked point: "
                             "tell(state, X, f, grad=G)")
        G = np.asarray(grad, dtype=float)
        if G.size != state.space.dim or G.ndim > 2:
            raise ValueError(f"grad must have shape (1, {state.space.dim}) or "
                             f"({state.space.dim},), got {describe(np.asarray(grad))}")
        state.row("grad")[:] = G.reshape(-1)


def _minibatches(settings) -> bool:
    """Whether a run uses minibatches smaller than the data (then it evaluates the objective
    at the end of each epoch)."""
    n = settings.n_samples
    return n > 0 and settings.batch_size is not None and settings.batch_size < n
