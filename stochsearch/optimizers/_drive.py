"""Driving a run: ``Optimizer.run``'s loops on the fused path and through Python, the pauses
between them (history checkpoints, where the callback and the wall-time rule apply), and the
partial result kept on an error. ``_speculation.drive_parallel`` is the loop with workers.
"""
from __future__ import annotations

import time

import numpy as np

from .._kernels import run_state
from .._validation import describe
from ..problem import scalar_value
from ..result import Status
from ._state import RunState

__all__ = ["CHUNK", "attach_partial_result", "check_wall_time", "drive_fused", "drive_python",
           "next_checkpoint", "pause"]


#: evaluations a fused kernel runs at most before returning to Python (~0.05 s on a cheap
#: objective): the granularity of Ctrl-C.
CHUNK = 1 << 18


def next_checkpoint(state: RunState) -> int:
    """The evaluation count of the run's next history checkpoint (else its budget)."""
    k = int(state.fields.hist_ptr)
    at = state.block("hist_at")
    return int(at[k]) if k < len(at) else state.rules.budget


def drive_fused(optimizer, state: RunState, callback) -> None:
    """``run``'s loop on the fused path: the kernel evaluates and advances, returning to
    Python at each checkpoint (callback, wall time) and every ``CHUNK`` evaluations."""
    fused = type(optimizer)._fused
    words = state._ints_view
    record, ints, floats, points, data = (state.record, state.ints, state.floats,
                                          state.points, state.data)
    if callback is None and state.rules.wall_time is None:
        # Nothing to do between the calls: the kernel runs to the end, returning to Python
        # every CHUNK evaluations (the same calls as the general loop below, fewer reads).
        nfev, pause_at, status, request = (state._nfev, state._pause_at, state._status,
                                           state._request)
        while words[status] == run_state.RUNNING and state.wall_status is None:
            words[pause_at] = int(words[nfev]) + CHUNK
            fused(record, ints, floats, points, data)
            if words[request]:
                state.serve()
        state.elapsed = time.perf_counter() - state.started
        return
    nfev, pause_at, status = state._nfev, state._pause_at, state._status
    while words[status] == run_state.RUNNING and state.wall_status is None:
        # Compiled code cannot be interrupted: return to Python every CHUNK evaluations at
        # least, so that Ctrl-C stops a long run (pausing never changes the result).
        limit = int(words[nfev]) + CHUNK
        checkpoint = next_checkpoint(state)
        words[pause_at] = min(checkpoint, limit)
        fused(record, ints, floats, points, data)
        if words[state._request]:
            state.serve()
        at_checkpoint = words[nfev] >= checkpoint
        if check_wall_time(state) or \
                (at_checkpoint and pause(optimizer, state, callback)):
            break
    state.elapsed = time.perf_counter() - state.started

def drive_python(optimizer, state: RunState, callback) -> None:
    """``run``'s loop through Python: evaluate the batch the kernel asks, then advance."""
    problem = state.problem
    advance = type(optimizer)._advance
    record, ints, floats, points = state.record, state.ints, state.floats, state.points
    # The fields read every step, as words of the record (cheaper than a field lookup).
    words, index = state.fields.words(0), state.fields.index
    status, rows, request, nfev = (index[name][1] for name in ("status", "m", "request",
                                                               "nfev"))
    off_f = int(words[index["f_at"][1]])
    fun, vectorized = problem.fun, problem.vectorized
    pause_at = next_checkpoint(state) if callback is not None or state.rules.wall_time \
        else state.rules.budget + 1
    while words[status] == run_state.RUNNING:
        m = words[rows]
        if vectorized:
            values = np.asarray(fun(points[:m].copy()), dtype=float)
            if values.shape != (m,):
                raise ValueError("the vectorized objective must return one value per row, "
                                 f"shape ({m},), got {describe(values)}")
            floats[off_f:off_f + m] = values
        else:
            for i in range(m):
                value = fun(points[i].copy())
                floats[off_f + i] = value if type(value) is float else scalar_value(value)
        advance(record, ints, floats, points)
        if words[request]:
            state.serve()
        if words[nfev] >= pause_at:
            if pause(optimizer, state, callback):
                break
            pause_at = next_checkpoint(state)
    state.elapsed = time.perf_counter() - state.started

def pause(optimizer, state: RunState, callback) -> bool:
    """At a pause point: apply the wall-time rule and the callback; True to stop."""
    if check_wall_time(state):
        return True
    if callback is None or state.done:
        return False
    try:
        stop = callback(optimizer.result(state))
    except StopIteration:           # scipy.optimize's way of stopping from a callback
        stop = True
    if stop:
        state.wall_status = Status.CALLBACK
        return True
    return False

def check_wall_time(state: RunState) -> bool:
    """Whether the run must stop for its wall-time rule (or stopped already for a rule
    applied in Python); sets the stop's status."""
    limit = state.rules.wall_time
    if limit is not None and time.perf_counter() - state.started >= limit:
        state.wall_status = state.wall_status or Status.WALL_TIME
        return True
    return state.wall_status is not None


def attach_partial_result(error: BaseException, optimizer, state: RunState) -> None:
    """Keep what the run computed before ``error``: on ``error.partial_result``."""
    try:
        state.elapsed = time.perf_counter() - state.started
        partial = optimizer.result(state)
    except Exception:  # noqa: BLE001 - never mask the user's error
        return
    error.partial_result = partial
    if hasattr(error, "add_note"):
        error.add_note(f"stochsearch: the run stopped after {partial.nfev} evaluations with best "
                       f"value {partial.fun!r}; the partial result is in .partial_result")
