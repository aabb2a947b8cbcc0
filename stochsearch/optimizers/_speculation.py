"""Speculative batches: the next points of a chain (annealing, first-improvement hill
climbing...) asked ahead, as if every point before them were rejected, so that they can be
evaluated together; then told back in order, up to the first one the chain does not ask.

Speculation runs the algorithm's own ``advance`` on the state with the value +inf for every
point (a worse point, which no algorithm accepts), collects the batches it asks, and restores
the state and the Generator exactly. Telling replays the real chain: a speculated batch is
taken only while it equals, byte for byte, the batch the chain asks next, so the values told
are those the serial run would have computed and the run ends bit-identical to the serial one
with the same seed. The values of the batches after the first difference (the chain moved)
are discarded: they count in ``discarded``, not in ``nfev`` nor the budget.
"""
from __future__ import annotations

import contextlib
import time

import numpy as np

from .._kernels import run_state
from .._validation import check_int
from .._workers import in_process, resolve_workers
from ..problem import Problem
from ._drive import attach_partial_result, next_checkpoint, pause

__all__ = ["drive_parallel", "replay", "restored", "run_parallel", "speculate"]


def run_parallel(optimizer, problem, budget, *, workers, batch, callback, **options):
    """``optimizer.run`` with ``workers`` and ``batch``, through the ask/tell loop."""
    if batch is not None:
        batch = check_int("batch", batch, low=1)
    if not isinstance(problem, Problem):
        return optimizer.run(problem, budget, callback=callback, **options)    # its error
    pool = resolve_workers(workers)
    if optimizer.uses_gradient and (pool is not None or (batch or 1) > 1):
        if pool is not None:
            pool.close()
        raise ValueError(f"{type(optimizer).__name__} follows gradients: workers and batch are "
                         f"for derivative-free optimizers, got workers={workers!r}, "
                         f"batch={batch!r}")
    depth = batch if batch is not None else (pool.n if pool is not None else 1)
    if pool is None and depth <= 1:
        return optimizer.run(problem, budget, callback=callback, **options)
    if pool is None:
        pool = in_process()
    try:
        task = pool.task(problem)               # checks that it can travel
        state = optimizer.init(problem, budget, **options)
        try:
            drive_parallel(optimizer, state, callback, pool, task, depth)
        except BaseException as error:
            attach_partial_result(error, optimizer, state)
            raise
        return optimizer.result(state)
    finally:
        pool.close()


def speculate(optimizer, state, n: int) -> list[np.ndarray]:
    """The batch asked now, then the batches asked after it were every point rejected, while
    they fit in ``n`` points (at least the batch asked now; never beyond a stop)."""
    batches = [state.X.copy()]
    total = len(batches[0])
    if total >= n:
        return batches
    with restored(state):
        while True:
            _advance(optimizer, state, np.inf)
            m = state.m
            if state._ints_view[state._status] != run_state.RUNNING or total + m > n or m == 0:
                break
            batches.append(state.X.copy())
            total += m
    return batches


@contextlib.contextmanager
def restored(state):
    """Run the block on ``state``, then put its arrays and Generator back exactly as they were
    (in place: the record, field views and the kernels' Generator handle stay valid)."""
    saved = (state.words.copy(), state.ints.copy(), state.floats.copy(),
             state.points.copy(), state.rng.bit_generator.state)
    try:
        yield state
    finally:
        words, ints, floats, points, generator = saved
        np.copyto(state.words, words)
        np.copyto(state.ints, ints)
        np.copyto(state.floats, floats)
        np.copyto(state.points, points)
        state.rng.bit_generator.state = generator


def replay(optimizer, state, batches, f, after_batch=None) -> int:
    """Tell the values ``f`` of the concatenated ``batches`` in order, while each batch is the
    one the run asks; ``after_batch()`` returning True stops. Returns the points told."""
    used = 0
    for batch in batches:
        if state.done:
            break
        asked = state.X
        if asked.shape != batch.shape or asked.tobytes() != batch.tobytes():
            break
        optimizer._told(state, f[used:used + len(batch)])
        used += len(batch)
        if after_batch is not None and after_batch():
            break
    state.discarded = (state.discarded or 0) + len(f) - used
    return used


def drive_parallel(optimizer, state, callback, workers, task, depth: int) -> None:
    """``run``'s loop with the batches evaluated by ``workers`` (``task`` from
    ``workers.task(problem)``), ``depth`` points at a time (speculating when the algorithm
    asks fewer)."""
    state.discarded = state.discarded or 0
    pausing = callback is not None or state.rules.wall_time is not None
    pause_at = [next_checkpoint(state) if pausing else state.rules.budget + 1]
    stop = [False]

    def after_batch():
        if state.nfev >= pause_at[0]:
            if pause(optimizer, state, callback):
                stop[0] = True
                return True
            pause_at[0] = next_checkpoint(state)
        return False

    while not state.done and not stop[0]:
        batches = speculate(optimizer, state, depth)
        X = batches[0] if len(batches) == 1 else np.concatenate(batches)
        f = workers.evaluate(task, X)
        replay(optimizer, state, batches, f, after_batch)
    state.elapsed = time.perf_counter() - state.started


def _advance(optimizer, state, value) -> None:
    at = state.blocks["f"][1]
    state.floats[at:at + state.m] = value
    type(optimizer)._advance(state.record, state.ints, state.floats, state.points)
    if state._ints_view[state._request]:
        state.serve()
