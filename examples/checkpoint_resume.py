"""Checkpoint a run by pickling its state, and resume it bit-identically.

A run's state (from ``optimizer.init``) is plain data: pickle it between ask/tell steps, load
it in another process (or after a crash), and carry on with the copy of the optimizer the state
carries, ``state.optimizer``. The resumed run ends exactly where an uninterrupted one does.
"""
import pickle
import tempfile
from pathlib import Path

import numpy as np

import stochsearch as ss


def rastrigin(x):
    return 10 * x.size + float(np.sum(x ** 2 - 10 * np.cos(2 * np.pi * x)))


def steps(optimizer, state, n=None):
    """Ask/tell ``n`` batches (all that remain when ``n`` is None)."""
    done = 0
    while not state.done and (n is None or done < n):
        X = optimizer.ask(state)
        optimizer.tell(state, X, [rastrigin(x) for x in X])
        done += 1


def main(budget=3_000):
    optimizer = ss.SimulatedAnnealing()
    space = ss.Real(-5.12, 5.12, dim=4)

    # The reference: one run without interruption.
    state = optimizer.init(space, budget=budget, rng=42)
    steps(optimizer, state)
    uninterrupted = optimizer.result(state)

    # The same run, checkpointed to a file half-way and resumed from it.
    state = optimizer.init(space, budget=budget, rng=42)
    steps(optimizer, state, n=budget // 2)
    checkpoint = Path(tempfile.mkdtemp()) / "run.pkl"
    checkpoint.write_bytes(pickle.dumps(state))
    del state                                     # e.g. the process stops here

    resumed_state = pickle.loads(checkpoint.read_bytes())
    optimizer = resumed_state.optimizer          # the state's own copy of the optimizer
    steps(optimizer, resumed_state)
    resumed = optimizer.result(resumed_state)

    print(f"uninterrupted: fun={uninterrupted.fun:.6g} nfev={uninterrupted.nfev}")
    print(f"resumed:       fun={resumed.fun:.6g} nfev={resumed.nfev}")
    assert resumed.fun == uninterrupted.fun and np.array_equal(resumed.x, uninterrupted.x)
    assert resumed.nfev == uninterrupted.nfev == budget
    return resumed


if __name__ == "__main__":
    main()
