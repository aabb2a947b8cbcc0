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
from .moves import copy_into
from .jit import kernel
from .native import generator_from_handle, load_function
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
N_MOVES = book.ALG + 9           # length of the block of move records (rows * MOVE_LEN)
MOVE_LEN = book.ALG + 10
OFF_PARAMS = book.ALG + 11
N_PARAMS = book.ALG + 12
ROW_CUR = book.ALG + 13
N_INTS = 14
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


@kernel(inline=True)
def _restart_or_stop(ints, floats, params):
    if ints[RESTARTS_LEFT] == 0:
        ints[book.STATUS] = book.CONVERGED
        return
    if ints[RESTARTS_LEFT] > 0:
        ints[RESTARTS_LEFT] -= 1
    ints[RESTARTS] += 1
    ints[PHASE] = START
    ints[FAILS] = 0
    params[STEP] = floats[STEP0]
    book.ask_rows(ints, 1)
    ints[book.REQUEST] = book.REQUEST_SAMPLE


@kernel(inline=True)
def _climb(ints, floats, points, x, moves, params):
    """Move to the best neighbour of the batch if it improves; adapt the step; return True when
    the climb is stuck."""
    m = ints[book.M]
    f_slot = ints[book.OFF_F]
    best = 0
    for r in range(1, m):
        if floats[f_slot + r] < floats[f_slot + best]:
            best = r
    value = floats[f_slot + best]
    improved = value < floats[FX]
    move_len = ints[MOVE_LEN]
    if ints[STEEPEST] == 1:
        if improved:
            local.accept(x, points[best], moves[best * move_len:(best + 1) * move_len])
        for r in range(m):
            copy_into(x, points[r])
    elif improved:
        local.accept(x, points[0], moves[:move_len])
    else:
        local.reject(x, points[0], moves[:move_len])
    if improved:
        floats[FX] = value
        ints[FAILS] = 0
    else:
        ints[FAILS] += m
    if ints[ADAPT] == 1:
        params[STEP] = min(params[STEP] * (floats[GROW] if improved else floats[SHRINK]),
                           floats[MAX_STEP])
        if params[STEP] < floats[MIN_STEP]:
            return True
    return ints[FAILS] >= ints[PATIENCE]


@kernel(inline=True)
def _step(ints, floats, points, x, moves, params, rng, propose):
    """Take the values of the batch just evaluated; prepare the next batch."""
    if book.record_batch(ints, floats, points) != book.RUNNING:
        return ints[book.STATUS]
    if ints[PHASE] == START:
        copy_into(points[0], x)
        for r in range(1, ints[book.M_MAX]):
            copy_into(x, points[r])
        floats[FX] = floats[ints[book.OFF_F]]
        ints[PHASE] = CLIMB
    elif _climb(ints, floats, points, x, moves, params):
        _restart_or_stop(ints, floats, params)
        return ints[book.STATUS]
    m = book.ask_rows(ints, ints[NEIGHBORS] if ints[STEEPEST] == 1 else 1)
    local.propose_rows(x, points, moves, ints[MOVE_LEN], params, rng, propose, m)
    return book.RUNNING


@kernel
def _run(ints, floats, points, data, handle, evaluate):
    """Steps until a pause (``evaluate``: evaluate each batch first; otherwise take the values
    already given and make one step)."""
    x = points[ints[ROW_CUR]]
    moves = ints[ints[OFF_MOVES]:ints[OFF_MOVES] + ints[N_MOVES]]
    params = floats[ints[OFF_PARAMS]:ints[OFF_PARAMS] + ints[N_PARAMS]]
    propose = load_function(book.function_address(ints, FN_PROPOSE), "propose", points.dtype)
    objective, delta, has_delta = local.evaluators(ints, points.dtype)
    rng = generator_from_handle(handle)
    f_slot = ints[book.OFF_F]
    move_len = ints[MOVE_LEN]
    while True:
        if evaluate:
            if ints[PHASE] == START:
                floats[f_slot] = objective(points[0], data)
            else:
                for r in range(ints[book.M]):
                    floats[f_slot + r] = local.evaluate_one(
                        objective, delta, has_delta, x, floats[FX], points[r],
                        moves[r * move_len:(r + 1) * move_len], data)
        _step(ints, floats, points, x, moves, params, rng, propose)
        if not evaluate or book.should_pause(ints):
            return ints[book.STATUS]


@kernel
def advance(ints, floats, points, handle):
    """One step with the values of the batch evaluated outside (ask/tell)."""
    return _run(ints, floats, points, floats[:0], handle, False)


@kernel
def fused(ints, floats, points, data, handle):
    """Evaluate and step until a pause."""
    return _run(ints, floats, points, data, handle, True)
