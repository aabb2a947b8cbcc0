"""Training a network one iteration at a time, for the scikit-learn estimators.

An estimator needs what ``Optimizer.run`` does not give: the loss after every iteration (for
``loss_curve_``, ``tol`` and early stopping), the current weights between iterations, and the
optimizer's memory (Adam's moments, momentum) carried from one ``fit`` or ``partial_fit`` to
the next. ``Session`` runs one optimizer on one dataset inside a single run state, pausing the
compiled loop at each iteration's evaluation count, so an iteration-by-iteration run draws and
steps exactly as one ``run`` with the same budget would.
"""
from __future__ import annotations

import numpy as np

from .._kernels import mlp as kernels
from .._kernels import run_state

__all__ = ["Session", "iteration_size"]

#: evaluations of the training loss (each one pass over the data) in one iteration of a
#: gradient-free optimizer
EVALUATIONS_PER_ITERATION = 100


def iteration_size(optimizer, n_samples: int) -> int:
    """Budget units of one iteration: an epoch (``n_samples`` sample-gradients) for a gradient
    method, ``EVALUATIONS_PER_ITERATION`` evaluations of the loss for the others."""
    return n_samples if optimizer.uses_gradient else EVALUATIONS_PER_ITERATION


class Session:
    """One optimizer on one ``NetworkProblem``, advanced iteration by iteration.

    Parameters
    ----------
    optimizer : Optimizer
    problem : NetworkProblem
    budget : int
        Budget units of the whole session (the run state's budget).
    rng : Generator
    init : initializer or array
        Where the run starts (the current weights, for a warm start).
    memory : tuple or None
        ``(memory block, steps, sample order)`` of a gradient method from an earlier session:
        its update rules' memory goes on when its layout matches, and its sample order (which
        each epoch reshuffles in place) when the dataset has as many samples.
    """

    def __init__(self, optimizer, problem, budget: int, rng, init, memory=None):
        self.optimizer, self.problem = optimizer, problem
        self.state = optimizer.init(problem, budget, rng=rng, init=init)
        self.gradient = optimizer.uses_gradient
        if self.gradient and memory is not None:
            block, order = self.state.block("memory"), self.state.block("order")
            if block.shape == memory[0].shape:
                block[:] = memory[0]
                self.state.fields.steps = memory[1]
            if order.shape == memory[2].shape:
                order[:] = memory[2]

    @property
    def running(self) -> bool:
        return not self.state.done

    @property
    def nfev(self) -> int:
        return self.state.nfev

    def advance(self, units: int) -> None:
        """Run until ``units`` more budget units are spent (or the run stops)."""
        state = self.state
        target = state.nfev + units
        words, index = state.fields.words(0), state.fields.index
        status, nfev, request, pause_at = (index[name][1] for name in
                                           ("status", "nfev", "request", "pause_at"))
        optimizer = self.optimizer
        if not optimizer._runs_fused(state):     # e.g. an operator written in Python
            problem = self.problem
            while not state.done and state.nfev < target:
                X = optimizer.ask(state)
                optimizer.tell(state, X, [problem(x) for x in X])
            return
        fused = type(optimizer)._fused
        words[pause_at] = target
        while words[status] == run_state.RUNNING and words[nfev] < target:
            fused(state.record, state.ints, state.floats, state.points, state.data)
            if words[request]:
                state.serve()

    def weights(self) -> np.ndarray:
        """The current weights: a gradient method's last iterate, else the best point found."""
        if self.gradient:
            return self.state.points[0].copy()
        return self.state.best_x.copy()

    def loss(self) -> float:
        """The training loss (with its penalty) of ``weights()`` on all the training data."""
        if self.gradient:
            return float(kernels.loss(np.ascontiguousarray(self.weights()), self.problem.data))
        return float(self.state.best_f)

    def memory(self):
        """What a later session continues: the update rules' memory, the step count and the
        sample order."""
        if not self.gradient:
            return None
        state = self.state
        return (state.block("memory").copy(), int(state.fields.steps),
                state.block("order").copy())
