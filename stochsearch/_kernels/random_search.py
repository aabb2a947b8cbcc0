"""Random search: evaluate batches drawn from the initializer (drawn in Python, on request)."""
from __future__ import annotations

import numpy as np

from . import run_state
from .evaluate import evaluate_batch
from .jit import kernel

STATE = run_state.declare([("batch", np.int64)])


@kernel(inline=True)
def _step(s, ints, floats, points):
    if run_state.record_batch(s, ints, floats, points) != run_state.RUNNING:
        return s.status
    run_state.ask_rows(s, s.batch)
    s.request = run_state.REQUEST_SAMPLE
    return run_state.RUNNING


@kernel
def advance(state, ints, floats, points):
    """Take the batch's values; request the next batch."""
    return _step(state[0], ints, floats, points)


@kernel
def fused(state, ints, floats, points, data):
    """Evaluate and request until a pause (every batch is a request, so one batch a call)."""
    s = state[0]
    while True:
        evaluate_batch(s, floats, points, data)
        _step(s, ints, floats, points)
        if run_state.should_pause(s):
            return s.status
