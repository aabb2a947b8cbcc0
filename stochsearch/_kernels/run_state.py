"""A run's state as one named record, and the bookkeeping every algorithm shares on it:
counting evaluations, the best point, the history checkpoints and the stopping rules.

An algorithm declares its state once (``declare``): named scalar fields, variable-length
blocks of int64 or float64 values, rows of points and the compiled functions it calls. The
record type is a numpy structured dtype made of the shared ``HEADER`` and those fields; numba
compiles field access to a load at a fixed offset, as fast as an array slot, and caches kernels
on disk for a given dtype. Kernels take ``(state, ints, floats, points)``: ``state`` is the
record array of length one (``s = state[0]`` reads and writes fields by name), the blocks live
in ``ints`` and ``floats`` at offsets named by the record (``<block>_at``, ``<block>_n``), and
point rows in ``points`` (``row_<name>``).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .jit import kernel
from .moves import copy_into

__all__ = ["HEADER", "StateLayout", "declare"]

INT = np.int64
FLOAT = np.float64

#: Fields every run has, before the algorithm's own.
HEADER = [
    ("nfev", INT),              # evaluations recorded so far
    ("budget", INT),            # evaluations allowed
    ("m", INT),                 # rows of the batch to evaluate next (rows 0 .. m - 1 of points)
    ("m_max", INT),             # capacity of the batch
    ("status", INT),            # 0 while running, else a result.Status value
    ("nnan", INT),              # evaluations that returned NaN (counted as +inf)
    ("nit", INT),               # iterations (batches told)
    ("last_improve", INT),      # nfev at the last improvement by more than stag_tol
    ("stagnation", INT),        # evaluations without improvement before stopping; 0: no rule
    ("has_target", INT),        # 1 when ``target`` is a stopping rule
    ("pause_at", INT),          # fused loops return to Python once nfev reaches this
    ("request", INT),           # what the kernel asks of Python before the next batch
    ("hist_ptr", INT),          # history checkpoints filled so far
    ("hist_x", INT),            # 1 when the best point is recorded at each checkpoint
    ("f_at", INT), ("f_n", INT),               # floats block: values of the batch (m_max)
    ("hist_at_at", INT), ("hist_at_n", INT),   # ints block: nfev of each checkpoint
    ("hist_f_at", INT), ("hist_f_n", INT),     # floats block: best value at each checkpoint
    ("row_best", INT),          # points row: best point so far
    ("row_hist", INT),          # points row: first recorded best point (when hist_x)
    ("fn_objective", INT),      # addresses of compiled functions (0: none)
    ("fn_delta", INT),
    ("fn_gradient", INT),
    ("best_f", FLOAT),
    ("target", FLOAT),
    ("stag_tol", FLOAT),
    ("stag_ref", FLOAT),        # best value at the last improvement that counted for stagnation
    ("handle", np.uint64, (5,)),  # the Generator's raw addresses (_rng.generator_handle)
]

# --- requests -------------------------------------------------------------------------------
REQUEST_NONE = 0
REQUEST_SAMPLE = 1  # fill batch rows 0 .. m - 1 from the initializer (a start or a sample)

# --- status codes (same values as result.Status) --------------------------------------------
RUNNING = 0
MAX_EVALS = 1
TARGET_REACHED = 2
STAGNATED = 3
CONVERGED = 4
DIVERGED = 7


class StateLayout(NamedTuple):
    """What an algorithm's state is made of (see ``declare``)."""

    dtype: np.dtype
    int_blocks: tuple[str, ...]
    float_blocks: tuple[str, ...]
    rows: tuple[str, ...]
    functions: tuple[str, ...]


def declare(fields=(), *, int_blocks=(), float_blocks=(), rows=(), functions=()) -> StateLayout:
    """The state of an algorithm: the shared header, then ``fields`` (``(name, numpy type)``
    pairs), the offset and length of each block (``<name>_at``, ``<name>_n``), the first row of
    each row block (``row_<name>``) and the address of each function (``fn_<name>``)."""
    extra = list(fields)
    for name in (*int_blocks, *float_blocks):
        extra += [(f"{name}_at", INT), (f"{name}_n", INT)]
    extra += [(f"row_{name}", INT) for name in rows]
    extra += [(f"fn_{name}", INT) for name in functions]
    dtype = np.dtype(HEADER + extra, align=True)
    return StateLayout(dtype, tuple(int_blocks), tuple(float_blocks), tuple(rows),
                       tuple(functions))


@kernel(inline=True)
def batch_values(s, floats):
    """The objective values of the batch (a view of ``floats``)."""
    return floats[s.f_at:s.f_at + s.m]


@kernel(inline=True)
def record_batch(s, ints, floats, points):
    """Account for the values of batch rows 0 .. m - 1: count them, track the best point,
    fill history checkpoints, and apply the stopping rules. NaN values become +inf.

    Returns the run status (RUNNING while it goes on).
    """
    best = s.best_f
    row_best = s.row_best
    hist_at = s.hist_at_at
    hist_f = s.hist_f_at
    hist_n = s.hist_at_n
    for i in range(s.m):
        f = floats[s.f_at + i]
        if f != f:
            f = np.inf
            floats[s.f_at + i] = f
            s.nnan += 1
        s.nfev += 1
        nfev = s.nfev
        # The first point is the best until a better one: result.x is always a point that was
        # evaluated, even when no value is finite.
        if f < best or nfev == 1:
            best = f
            copy_into(points[i], points[row_best])
        if f < s.stag_ref - s.stag_tol:
            s.stag_ref = f
            s.last_improve = nfev
        while s.hist_ptr < hist_n and ints[hist_at + s.hist_ptr] <= nfev:
            k = s.hist_ptr
            floats[hist_f + k] = best
            if s.hist_x == 1:
                copy_into(points[row_best], points[s.row_hist + k])
            s.hist_ptr = k + 1
    s.best_f = best
    s.nit += 1
    if s.has_target == 1 and best <= s.target:
        s.status = TARGET_REACHED
    elif s.nfev >= s.budget:
        s.status = MAX_EVALS
    elif s.stagnation > 0 and s.nfev - s.last_improve >= s.stagnation:
        s.status = STAGNATED
    return s.status


@kernel(inline=True)
def remaining(s):
    """Evaluations left in the budget."""
    return s.budget - s.nfev


@kernel(inline=True)
def ask_rows(s, wanted):
    """Set the next batch to ``wanted`` rows, fewer if the budget has fewer evaluations left."""
    m = min(wanted, s.budget - s.nfev, s.m_max)
    s.m = m
    return m


@kernel(inline=True)
def should_pause(s):
    """True when a fused loop must return to Python (stop, request, or pause point)."""
    return s.status != RUNNING or s.request != REQUEST_NONE or s.nfev >= s.pause_at
