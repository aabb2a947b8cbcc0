"""Bookkeeping shared by every algorithm: counting evaluations, the best point, the history and
the stopping rules.

A run's state lives in four arrays so that a step from Python costs one cheap kernel call
(each array argument costs about 40 ns to pass): ``ints`` (int64), ``floats`` (float64),
``points`` (rows of the space's dtype) and the Generator handle. The slots below are the header
every algorithm shares; an algorithm's own slots start at ``ALG`` in ``ints`` and ``F_ALG`` in
``floats``, and variable-length blocks sit behind them at offsets stored in the header.
"""
from __future__ import annotations

import numpy as np

from .jit import kernel
from .moves import copy_into
from .native import load_function

# --- ints header ----------------------------------------------------------------------------
NFEV = 0           # evaluations recorded so far
BUDGET = 1         # evaluations allowed
M = 2              # rows of the batch to evaluate next (rows 0 .. M-1 of points)
M_MAX = 3          # capacity of the batch
STATUS = 4         # 0 while running, else a result.Status value
NNAN = 5           # evaluations that returned NaN (counted as +inf)
NIT = 6            # iterations (batches told)
LAST_IMPROVE = 7   # nfev at the last improvement of the best value by more than STAG_TOL
STAGNATION = 8     # evaluations without improvement before stopping; 0 = no such rule
HAS_TARGET = 9     # 1 when floats[TARGET] is a stopping rule
PAUSE_AT = 10      # fused loops return to Python once nfev reaches this
REQUEST = 11       # what the kernel asks of Python before the next batch is evaluated
HIST_N = 12        # number of history checkpoints
HIST_PTR = 13      # checkpoints filled so far
HIST_X = 14        # 1 when the best point is recorded at each checkpoint
OFF_HIST_AT = 15   # ints offset: nfev of each checkpoint (HIST_N values)
OFF_HIST_F = 16    # floats offset: best value at each checkpoint
OFF_F = 17         # floats offset: objective values of the batch (M_MAX values)
ROW_BEST = 18      # points row: best point so far
ROW_HIST = 19      # points row: first recorded best point (HIST_N rows when HIST_X)
OFF_FNS = 20       # ints offset: addresses of compiled functions (see FN_*)
HEADER = 24        # first int slot of the algorithm
ALG = HEADER

# --- floats header --------------------------------------------------------------------------
BEST_F = 0
TARGET = 1
STAG_TOL = 2
STAG_REF = 3       # best value at the last improvement that counted for stagnation
F_HEADER = 8
F_ALG = F_HEADER

# --- function table (ints[OFF_FNS + FN_*]) --------------------------------------------------
FN_OBJECTIVE = 0
FN_DELTA = 1
FN_GRADIENT = 2
FN_ALG = 3         # first algorithm-specific function (neighbourhood, schedule, ...)

# --- requests -------------------------------------------------------------------------------
REQUEST_NONE = 0
REQUEST_SAMPLE = 1  # fill batch rows 0 .. M-1 from the initializer (a start or a sample)

# --- status codes (same values as result.Status) --------------------------------------------
RUNNING = 0
MAX_EVALS = 1
TARGET_REACHED = 2
STAGNATED = 3
CONVERGED = 4
DIVERGED = 7


@kernel(inline=True)
def function_address(ints, which):
    """Address of function ``which`` (an FN_* index) in the function table."""
    return ints[ints[OFF_FNS] + which]


@kernel(inline=True)
def record_batch(ints, floats, points):
    """Account for the values of batch rows 0 .. M-1: count them, track the best point,
    fill history checkpoints, and apply the stopping rules. NaN values become +inf.

    Returns the run status (RUNNING while it goes on).
    """
    m = ints[M]
    f_start = ints[OFF_F]
    best = floats[BEST_F]
    best_row = ints[ROW_BEST]
    hist_at = ints[OFF_HIST_AT]
    hist_f = ints[OFF_HIST_F]
    hist_n = ints[HIST_N]
    for i in range(m):
        f = floats[f_start + i]
        if f != f:
            f = np.inf
            floats[f_start + i] = f
            ints[NNAN] += 1
        ints[NFEV] += 1
        nfev = ints[NFEV]
        if f < best:
            best = f
            copy_into(points[i], points[best_row])
        if f < floats[STAG_REF] - floats[STAG_TOL]:
            floats[STAG_REF] = f
            ints[LAST_IMPROVE] = nfev
        while ints[HIST_PTR] < hist_n and ints[hist_at + ints[HIST_PTR]] <= nfev:
            k = ints[HIST_PTR]
            floats[hist_f + k] = best
            if ints[HIST_X] == 1:
                copy_into(points[best_row], points[ints[ROW_HIST] + k])
            ints[HIST_PTR] = k + 1
    floats[BEST_F] = best
    ints[NIT] += 1
    if ints[HAS_TARGET] == 1 and best <= floats[TARGET]:
        ints[STATUS] = TARGET_REACHED
    elif ints[NFEV] >= ints[BUDGET]:
        ints[STATUS] = MAX_EVALS
    elif ints[STAGNATION] > 0 and ints[NFEV] - ints[LAST_IMPROVE] >= ints[STAGNATION]:
        ints[STATUS] = STAGNATED
    return ints[STATUS]


@kernel(inline=True)
def remaining(ints):
    """Evaluations left in the budget."""
    return ints[BUDGET] - ints[NFEV]


@kernel(inline=True)
def ask_rows(ints, wanted):
    """Set the next batch to ``wanted`` rows, fewer if the budget has fewer evaluations left."""
    m = min(wanted, ints[BUDGET] - ints[NFEV], ints[M_MAX])
    ints[M] = m
    return m


@kernel(inline=True)
def should_pause(ints):
    """True when a fused loop must return to Python (stop, request, or pause point)."""
    return ints[STATUS] != RUNNING or ints[REQUEST] != REQUEST_NONE \
        or ints[NFEV] >= ints[PAUSE_AT]


@kernel
def evaluate_batch(ints, floats, points, data):
    """Evaluate batch rows 0 .. M-1 with the problem's objective (fused path)."""
    m = ints[M]
    if m == 0:
        return
    objective = load_function(function_address(ints, FN_OBJECTIVE), "objective", points.dtype)
    start = ints[OFF_F]
    for i in range(m):
        floats[start + i] = objective(points[i], data)
