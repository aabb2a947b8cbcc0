"""What the network studies share: one SGD run that shows its *current* weights every epoch
(``train_by_epoch``), and a plain run with what it learned (``train``, ``outcome``).

``OptimizeResult`` keeps the best point so far; a study of training dynamics needs the weights
SGD actually holds after each epoch. ``train_by_epoch`` drives the optimizer through
``init/ask/tell`` with the task's seed and budget (the same run, draw for draw, on every
executor) and hands each epoch's weights to a callback.
"""
from __future__ import annotations

import numpy as np

__all__ = ["epochs_budget", "outcome", "train", "train_by_epoch"]


def train_by_epoch(problem, optimizer, init, task, on_epoch):
    """Train the network ``problem`` with ``optimizer`` (an ``SGD``) from ``init`` with
    ``task.seed`` and ``task.budget``, calling ``on_epoch(epoch, w, loss)`` with the current
    weights ``w`` (a copy) and their training loss at the start (epoch 0), after every epoch
    and at the end. Returns the run's ``OptimizeResult``.

    With minibatches these are the points where SGD evaluates the loss on all the data
    (``epoch`` counts sample-gradients over the number of samples). Full-batch descent takes
    one step per epoch: it is shown the weights before each step and, at the end, after the
    last one (``loss`` is then the objective there).
    """
    n = problem.n_samples
    state = optimizer.init(problem, task.budget, rng=task.seed, init=init,
                           history=task.history)
    grad = np.empty(problem.dim)
    seen = -1.0
    while not state.done:
        X = optimizer.ask(state)
        epoch = state.nfev / n
        if optimizer.wants_gradient(state):
            batch = optimizer.minibatch(state)
            f = problem.batch_gradient(X[0], problem.data, batch, grad)
            if batch.size == n and epoch > seen:        # full batch: one step per epoch
                on_epoch(epoch, X[0].copy(), float(f))
                seen = epoch
            optimizer.tell(state, X, f, grad=grad)
        else:
            f = problem.evaluate(X)
            if epoch > seen:                            # the end may repeat the last epoch
                on_epoch(epoch, X[0].copy(), float(f[0]))
                seen = epoch
            optimizer.tell(state, X, f)
    if state.nfev / n > seen:                           # full batch: after the last step
        w = state.X[0].copy()
        on_epoch(state.nfev / n, w, float(problem.evaluate(w[None, :])[0]))
    return optimizer.result(state)


# --- a plain run and what it learned (restarts, order, seed, weights) -------------------------
def outcome(problem, result) -> dict:
    """What the network ``problem`` learned in ``result``: the training and test loss and
    accuracy of its best point; ``passes``, the passes over the training data it took (SGD's
    epochs; a gradient-free search's evaluations, each of the loss on all the data); and
    ``weights``, the SHA-256 of the weights' bytes (equal only for bit-identical weights)."""
    import hashlib

    x = np.ascontiguousarray(result.x, dtype=np.float64)
    report = problem.report(x)
    return {**{k: float(report[k]) for k in ("train_loss", "train_accuracy", "test_loss",
                                              "test_accuracy")},
            "passes": float(result.info.get("epochs", result.nfev)),
            "weights": hashlib.sha256(x.tobytes()).hexdigest()}


def train(problem, optimizer, init, task):
    """A suite measure: a plain run with the task's seed and budget, and ``outcome``."""
    result = optimizer.run(problem, task.budget, rng=task.seed, init=init,
                           history=task.history)
    return result, outcome(problem, result)


def epochs_budget(problem: str, epochs: float, **params) -> int:
    """SGD's budget (sample-gradients) for ``epochs`` passes over the training set of the
    problem named ``problem`` (a registry name) built with ``params``."""
    from ..registry import PROBLEMS

    return round(epochs * PROBLEMS.get(problem)(**params).n_samples)
