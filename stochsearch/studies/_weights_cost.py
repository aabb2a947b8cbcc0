"""What an SGD epoch costs in forward passes, measured: the weights study counts an epoch of
sample-gradients as one pass over the training data, like one full-loss evaluation of the
gradient-free searches, and states how far that flatters SGD from this measurement.

The measurement is the only wall-clock number of the studies. It is kept in a JSON file beside
the results (``weights-cost.json``), so that analyzing stored runs again states the same
findings; ``--fresh`` measures again.
"""
from __future__ import annotations

import json
import pathlib
import time

import numpy as np

__all__ = ["epoch_cost"]


def epoch_cost(path: pathlib.Path, problem: str = "moons-mlp", batch: int = 32,
               blocks: int = 15, calls: int = 100) -> dict:
    """``{"gradient", "with_loss", "forward_seconds", ...}``: the time of one epoch of
    minibatch gradients (every training sample once, in minibatches of ``batch``) in units of
    one full-loss evaluation (a forward pass over every training sample), alone and with the
    full-loss evaluation SGD makes after each epoch to keep its best weights.

    Each is timed over ``blocks`` blocks of ``calls`` calls and the fastest block kept (the one
    least disturbed by other work on the machine). Read from ``path`` if it holds a measurement
    of the same setting; otherwise measured and written there."""
    setting = {"problem": problem, "batch": batch}
    path = pathlib.Path(path)
    if path.exists():
        stored = json.loads(path.read_text())
        if stored.get("setting") == setting:
            return stored
    from ..registry import PROBLEMS

    net = PROBLEMS.get(problem)()
    rng = np.random.default_rng(0)
    w = rng.normal(0.0, 0.3, net.dim)               # the cost does not depend on the values
    data, out = net.data, np.empty_like(w)
    order = rng.permutation(net.n_samples)
    batches = [np.ascontiguousarray(order[i:i + batch]) for i in range(0, order.size, batch)]
    loss, grad = net.objective, net.batch_gradient
    loss(w, data), grad(w, data, batches[0], out)                  # compile outside the clock

    def forward():
        loss(w, data)

    def epoch():
        for b in batches:
            grad(w, data, b, out)

    def backward():
        full(w, data, out)

    full = net.gradient
    full(w, data, out)
    forward_s = _fastest(forward, blocks, calls)
    epoch_s = _fastest(epoch, blocks, max(1, calls // len(batches)))
    backward_s = _fastest(backward, blocks, calls)
    # an epoch is the forward and backward pass of every sample once: the full-data gradient
    # in one compiled call does exactly that work without the Python call per minibatch that
    # the timing of `epoch` includes (SGD's compiled runs make no such calls)
    result = {"setting": setting, "forward_seconds": forward_s, "epoch_seconds": epoch_s,
              "gradient_seconds": backward_s, "gradient": backward_s / forward_s,
              "with_loss": backward_s / forward_s + 1.0,
              "epoch_from_python": epoch_s / forward_s,
              "samples": int(net.n_samples), "minibatches": len(batches),
              "method": f"fastest of {blocks} blocks, time.perf_counter"}
    path.write_text(json.dumps(result, indent=1))
    return result


def _fastest(call, blocks: int, calls: int) -> float:
    """Seconds per call of ``call``: the fastest of ``blocks`` blocks of ``calls`` calls."""
    best = np.inf
    for _ in range(blocks):
        start = time.perf_counter()
        for _ in range(calls):
            call()
        best = min(best, (time.perf_counter() - start) / calls)
    return float(best)
