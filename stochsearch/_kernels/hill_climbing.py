"""Random-restart hill climbing as a state machine (see ``optimizers.hill_climbing``).

Phases: START evaluates a starting point drawn by the initializer; CLIMB proposes one neighbour
(first improvement) or ``NEIGHBORS`` of them (steepest descent) and moves to the best if it is
better. With an adaptive neighbourhood the step size follows the 1/5th success rule. After
``PATIENCE`` evaluations without improvement, or once the step has shrunk below ``MIN_STEP``,
the climb restarts from a new initializer point, or the run stops (CONVERGED) if no restarts
are left.
"""
from __future__ import annotations

from . import book, local
from .jit import jit
from .native import generator_from_handle
from .real_steps import STEP

# ints
PHASE = book.ALG + 0
STEEPEST = book.ALG + 1
NEIGHBORS = book.ALG + 2
PATIENCE = book.ALG + 3
FAILS = book.ALG + 4
RESTARTS_LEFT = book.ALG + 5     # -1: unlimited
RESTARTS = book.ALG + 6
ADAPT = book.ALG + 7
OFF_MOVES = book.ALG + 8
MOVE_LEN = book.ALG + 9
OFF_PARAMS = book.ALG + 10
N_PARAMS = book.ALG + 11
ROW_CUR = book.ALG + 12
N_INTS = 13
# floats
FX = book.F_ALG + 0
STEP0 = book.F_ALG + 1
GROW = book.F_ALG + 2            # step factor after a success
SHRINK = book.F_ALG + 3          # step factor after a failure
MIN_STEP = book.F_ALG + 4
MAX_STEP = book.F_ALG + 5
N_FLOATS = 6
# functions
FN_PROPOSE = book.FN_ALG + 0
# phases
START = 0
CLIMB = 1


@jit
def _restart_or_stop(ints, floats):
    if ints[RESTARTS_LEFT] == 0:
        ints[book.STATUS] = book.CONVERGED
        return
    if ints[RESTARTS_LEFT] > 0:
        ints[RESTARTS_LEFT] -= 1
    ints[RESTARTS] += 1
    ints[PHASE] = START
    ints[FAILS] = 0
    floats[ints[OFF_PARAMS] + STEP] = floats[STEP0]
    book.ask_rows(ints, 1)
    ints[book.REQUEST] = book.REQUEST_SAMPLE


@jit
def _climb(ints, floats, points):
    """Move to the best neighbour of the batch if it improves; adapt the step; count failures."""
    m = ints[book.M]
    values = book.batch_values(ints, floats)
    best = 0
    for r in range(1, m):
        if values[r] < values[best]:
            best = r
    row_cur = ints[ROW_CUR]
    improved = values[best] < floats[FX]
    if ints[STEEPEST] == 1:
        if improved:
            local.accept_row(ints, points, row_cur, best, ints[OFF_MOVES], ints[MOVE_LEN])
            floats[FX] = values[best]
        for r in range(m):
            points[r, :] = points[row_cur, :]
    else:
        if improved:
            local.accept_row(ints, points, row_cur, 0, ints[OFF_MOVES], ints[MOVE_LEN])
            floats[FX] = values[0]
        else:
            local.reject_row(ints, points, row_cur, 0, ints[OFF_MOVES], ints[MOVE_LEN])
    if improved:
        ints[FAILS] = 0
    else:
        ints[FAILS] += m
    if ints[ADAPT] == 1:
        step_slot = ints[OFF_PARAMS] + STEP
        factor = floats[GROW] if improved else floats[SHRINK]
        floats[step_slot] = min(floats[step_slot] * factor, floats[MAX_STEP])
        if floats[step_slot] < floats[MIN_STEP]:
            return True
    return ints[FAILS] >= ints[PATIENCE]


@jit
def advance(ints, floats, points, handle):
    if book.record_batch(ints, floats, points) != book.RUNNING:
        return ints[book.STATUS]
    row_cur = ints[ROW_CUR]
    if ints[PHASE] == START:
        points[row_cur, :] = points[0, :]
        for r in range(1, ints[book.M_MAX]):
            points[r, :] = points[row_cur, :]
        floats[FX] = book.batch_values(ints, floats)[0]
        ints[PHASE] = CLIMB
        stuck = False
    else:
        stuck = _climb(ints, floats, points)
    if stuck:
        _restart_or_stop(ints, floats)
        return ints[book.STATUS]
    m = book.ask_rows(ints, ints[NEIGHBORS] if ints[STEEPEST] == 1 else 1)
    rng = generator_from_handle(handle)
    local.propose_rows(ints, floats, points, rng, FN_PROPOSE, row_cur, ints[OFF_MOVES],
                       ints[MOVE_LEN], ints[OFF_PARAMS], ints[N_PARAMS], m)
    return book.RUNNING


@jit
def fused(ints, floats, points, data, handle):
    while True:
        if ints[PHASE] == START:
            book.evaluate_batch(ints, floats, points, data)
        else:
            local.evaluate_neighbours(ints, floats, points, data, ints[ROW_CUR], floats[FX],
                                      ints[OFF_MOVES], ints[MOVE_LEN])
        advance(ints, floats, points, handle)
        if book.should_pause(ints):
            return ints[book.STATUS]

