"""Simulated annealing as a state machine (see ``optimizers.annealing``).

Phases: START evaluates the starting point; CALIBRATE (``t0="auto"``) samples neighbours to
measure typical uphill differences, accepting only improvements, and sets the initial
temperature so that an average uphill move is accepted with probability ``P0``; ANNEAL proposes
one neighbour per step and accepts it with probability ``min(1, exp(-delta / T))`` (a move to an
equal or better value is always accepted, so ``T = 0`` is greedy descent). The temperature
follows the cooling schedule; on Real spaces the step size tracks a target acceptance rate; an
optional reheat restarts the schedule from the best point after a stagnation.
"""
from __future__ import annotations

import numpy as np

from . import book, local
from .jit import jit
from .native import generator_from_handle, load_function
from .real_steps import STEP

# ints
PHASE = book.ALG + 0
STEP_K = book.ALG + 1
STEPS = book.ALG + 2
CAL_LEFT = book.ALG + 3
N_UP = book.ALG + 4
OFF_MOVES = book.ALG + 5
MOVE_LEN = book.ALG + 6
OFF_PARAMS = book.ALG + 7
N_PARAMS = book.ALG + 8
OFF_COOL = book.ALG + 9
N_COOL = book.ALG + 10
ROW_CUR = book.ALG + 11
ADAPT = book.ALG + 12
REHEAT_AFTER = book.ALG + 13     # 0: never reheat
SINCE_BEST = book.ALG + 14
REHEATS = book.ALG + 15
ACCEPTED = book.ALG + 16
UPHILL = book.ALG + 17
UPHILL_ACCEPTED = book.ALG + 18
N_INTS = 19
# floats
FX = book.F_ALG + 0
T = book.F_ALG + 1
T0 = book.F_ALG + 2              # initial temperature (given or calibrated)
T_START = book.F_ALG + 3         # temperature at the start of the current schedule
SUM_UP = book.F_ALG + 4
P0 = book.F_ALG + 5
ACC = book.F_ALG + 6             # running average of uphill acceptance
ACC_RATE = book.F_ALG + 7
TARGET_ACC = book.F_ALG + 8      # acceptance rate the step size is adapted to
ADAPT_RATE = book.F_ALG + 9
MIN_STEP = book.F_ALG + 10
MAX_STEP = book.F_ALG + 11
REHEAT_FACTOR = book.F_ALG + 12
STEP0 = book.F_ALG + 13
N_FLOATS = 14
# functions
FN_PROPOSE = book.FN_ALG + 0
FN_TEMPERATURE = book.FN_ALG + 1
# phases
START = 0
CALIBRATE = 1
ANNEAL = 2


@jit
def _begin_schedule(ints, floats, t_start):
    floats[T_START] = t_start
    floats[T] = t_start
    ints[STEP_K] = 0
    ints[STEPS] = book.remaining(ints)
    ints[PHASE] = ANNEAL


@jit
def _calibrate(ints, floats, points, value):
    """One calibration sample: measure an uphill difference, or take an improvement."""
    row_cur = ints[ROW_CUR]
    diff = value - floats[FX]
    if value <= floats[FX]:
        local.accept_row(ints, points, row_cur, 0, ints[OFF_MOVES], ints[MOVE_LEN])
        floats[FX] = value
    else:
        local.reject_row(ints, points, row_cur, 0, ints[OFF_MOVES], ints[MOVE_LEN])
        if np.isfinite(diff):
            floats[SUM_UP] += diff
            ints[N_UP] += 1
    ints[CAL_LEFT] -= 1
    if ints[CAL_LEFT] <= 0:
        t0 = 0.0
        if ints[N_UP] > 0:
            t0 = -(floats[SUM_UP] / ints[N_UP]) / np.log(floats[P0])
        floats[T0] = t0
        _begin_schedule(ints, floats, t0)


@jit
def _anneal(ints, floats, points, value, rng):
    """One Metropolis step, then the step-size and temperature updates."""
    row_cur = ints[ROW_CUR]
    temperature = floats[T]
    if value <= floats[FX]:
        accepted = True
    else:
        ints[UPHILL] += 1
        accepted = False
        if temperature > 0.0:
            accepted = rng.random() < np.exp(-(value - floats[FX]) / temperature)
        rate = floats[ACC_RATE]
        floats[ACC] = (1.0 - rate) * floats[ACC] + rate * (1.0 if accepted else 0.0)
        if accepted:
            ints[UPHILL_ACCEPTED] += 1
    if accepted:
        local.accept_row(ints, points, row_cur, 0, ints[OFF_MOVES], ints[MOVE_LEN])
        floats[FX] = value
        ints[ACCEPTED] += 1
    else:
        local.reject_row(ints, points, row_cur, 0, ints[OFF_MOVES], ints[MOVE_LEN])
    if ints[ADAPT] == 1:
        slot = ints[OFF_PARAMS] + STEP
        change = floats[ADAPT_RATE] * ((1.0 if accepted else 0.0) - floats[TARGET_ACC])
        floats[slot] = min(max(floats[slot] * np.exp(change), floats[MIN_STEP]),
                           floats[MAX_STEP])
    ints[STEP_K] += 1
    cool = floats[ints[OFF_COOL]:ints[OFF_COOL] + ints[N_COOL]]
    schedule = load_function(book.function_address(ints, FN_TEMPERATURE), 0.0,
                             (0.0, 0.0, 0, 0, 0.0, cool))
    floats[T] = schedule(floats[T_START], temperature, ints[STEP_K], ints[STEPS], floats[ACC],
                         cool)


@jit
def _maybe_reheat(ints, floats, points, improved_best):
    if improved_best:
        ints[SINCE_BEST] = 0
        return
    ints[SINCE_BEST] += 1
    if ints[REHEAT_AFTER] > 0 and ints[SINCE_BEST] >= ints[REHEAT_AFTER]:
        row_cur = ints[ROW_CUR]
        points[row_cur, :] = points[ints[book.ROW_BEST], :]
        points[0, :] = points[row_cur, :]
        floats[FX] = floats[book.BEST_F]
        floats[ints[OFF_PARAMS] + STEP] = floats[STEP0]
        ints[SINCE_BEST] = 0
        ints[REHEATS] += 1
        _begin_schedule(ints, floats, floats[T0] * floats[REHEAT_FACTOR])


@jit
def advance(ints, floats, points, handle):
    best_before = floats[book.BEST_F]
    if book.record_batch(ints, floats, points) != book.RUNNING:
        return ints[book.STATUS]
    value = book.batch_values(ints, floats)[0]
    rng = generator_from_handle(handle)
    phase = ints[PHASE]
    if phase == START:
        points[ints[ROW_CUR], :] = points[0, :]
        floats[FX] = value
        if ints[CAL_LEFT] > 0:
            ints[PHASE] = CALIBRATE
        else:
            _begin_schedule(ints, floats, floats[T0])
    elif phase == CALIBRATE:
        _calibrate(ints, floats, points, value)
    else:
        _anneal(ints, floats, points, value, rng)
        _maybe_reheat(ints, floats, points, floats[book.BEST_F] < best_before)
    m = book.ask_rows(ints, 1)
    local.propose_rows(ints, floats, points, rng, FN_PROPOSE, ints[ROW_CUR], ints[OFF_MOVES],
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
