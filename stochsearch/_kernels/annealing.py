"""Simulated annealing as a state machine (see ``optimizers.annealing``).

Phases: START evaluates the starting point; CALIBRATE (``t0="auto"``) samples neighbours to
measure typical uphill differences, accepting only improvements, and sets the initial
temperature so that an average uphill move is accepted with probability ``P0``; ANNEAL proposes
one neighbour per step and accepts it with probability ``min(1, exp(-delta / T))`` (a move to an
equal or better value is always accepted, so ``T = 0`` is greedy descent). The temperature
follows the cooling schedule; on Real spaces the step size tracks a target acceptance rate; an
optional reheat restarts the schedule from the best point after a stagnation.

The batch is always row 0 (the neighbour ``y``); the current point ``x`` has its own row.
"""
from __future__ import annotations

import numpy as np

from . import book, local
from .moves import copy_into
from .jit import kernel
from .native import generator_from_handle, load_function
from .real_steps import STEP

# ints
PHASE = book.ALG + 0
STEP_K = book.ALG + 1
STEPS = book.ALG + 2
CAL_LEFT = book.ALG + 3
N_UP = book.ALG + 4
OFF_MOVE = book.ALG + 5
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
GROW = book.F_ALG + 8            # step factor after an accepted move
SHRINK = book.F_ALG + 9          # step factor after a rejected move
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


@kernel(inline=True)
def _begin_schedule(ints, floats, t_start):
    floats[T_START] = t_start
    floats[T] = t_start
    ints[STEP_K] = 0
    ints[STEPS] = book.remaining(ints)
    ints[PHASE] = ANNEAL


@kernel(inline=True)
def _calibrate(ints, floats, x, y, move, value):
    """One calibration sample: measure an uphill difference, or take an improvement."""
    diff = value - floats[FX]
    if value <= floats[FX]:
        local.accept(x, y, move)
        floats[FX] = value
    else:
        local.reject(x, y, move)
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


@kernel(inline=True)
def _anneal(ints, floats, x, y, move, params, cool, value, rng, schedule):
    """One Metropolis step, then the step-size and temperature updates."""
    temperature = floats[T]
    if value <= floats[FX]:
        accepted = True
    else:
        ints[UPHILL] += 1
        accepted = False
        if temperature > 0.0:
            accepted = rng.random() < np.exp(-(value - floats[FX]) / temperature)
        rate = floats[ACC_RATE]
        floats[ACC] = (1.0 - rate) * floats[ACC] + (rate if accepted else 0.0)
        if accepted:
            ints[UPHILL_ACCEPTED] += 1
    if accepted:
        local.accept(x, y, move)
        floats[FX] = value
        ints[ACCEPTED] += 1
    else:
        local.reject(x, y, move)
    if ints[ADAPT] == 1:
        step = params[STEP] * (floats[GROW] if accepted else floats[SHRINK])
        params[STEP] = min(max(step, floats[MIN_STEP]), floats[MAX_STEP])
    ints[STEP_K] += 1
    floats[T] = schedule(floats[T_START], temperature, ints[STEP_K], ints[STEPS], floats[ACC],
                         cool)


@kernel(inline=True)
def _maybe_reheat(ints, floats, points, x, y, params, improved_best):
    if improved_best:
        ints[SINCE_BEST] = 0
        return
    ints[SINCE_BEST] += 1
    if ints[REHEAT_AFTER] > 0 and ints[SINCE_BEST] >= ints[REHEAT_AFTER]:
        copy_into(points[ints[book.ROW_BEST]], x)
        copy_into(x, y)
        floats[FX] = floats[book.BEST_F]
        params[STEP] = floats[STEP0]
        ints[SINCE_BEST] = 0
        ints[REHEATS] += 1
        _begin_schedule(ints, floats, floats[T0] * floats[REHEAT_FACTOR])


@kernel(inline=True)
def _step(ints, floats, points, x, y, move, params, cool, rng, propose, schedule):
    """Take the value of the neighbour ``y`` just evaluated; propose the next one."""
    best_before = floats[book.BEST_F]
    if book.record_batch(ints, floats, points) != book.RUNNING:
        return ints[book.STATUS]
    value = floats[ints[book.OFF_F]]
    phase = ints[PHASE]
    if phase == START:
        copy_into(y, x)
        floats[FX] = value
        if ints[CAL_LEFT] > 0:
            ints[PHASE] = CALIBRATE
        else:
            _begin_schedule(ints, floats, floats[T0])
    elif phase == CALIBRATE:
        _calibrate(ints, floats, x, y, move, value)
    else:
        _anneal(ints, floats, x, y, move, params, cool, value, rng, schedule)
        _maybe_reheat(ints, floats, points, x, y, params, floats[book.BEST_F] < best_before)
    if book.ask_rows(ints, 1) > 0:
        propose(x, y, move, params, rng)
    return book.RUNNING


@kernel
def _operators(ints, dtype):
    return (load_function(book.function_address(ints, FN_PROPOSE), "propose", dtype),
            load_function(book.function_address(ints, FN_TEMPERATURE), "temperature", dtype))


@kernel
def _run(ints, floats, points, data, handle, evaluate):
    """Steps until a pause (``evaluate``: evaluate each neighbour first; otherwise take the value
    already in the batch and make one step)."""
    x = points[ints[ROW_CUR]]
    y = points[0]
    move = ints[ints[OFF_MOVE]:ints[OFF_MOVE] + ints[MOVE_LEN]]
    params = floats[ints[OFF_PARAMS]:ints[OFF_PARAMS] + ints[N_PARAMS]]
    cool = floats[ints[OFF_COOL]:ints[OFF_COOL] + ints[N_COOL]]
    propose, schedule = _operators(ints, points.dtype)
    objective, delta, has_delta = local.evaluators(ints, points.dtype)
    rng = generator_from_handle(handle)
    f_slot = ints[book.OFF_F]
    while True:
        if evaluate:
            if ints[PHASE] == START:
                floats[f_slot] = objective(y, data)
            else:
                floats[f_slot] = local.evaluate_one(objective, delta, has_delta, x, floats[FX],
                                                    y, move, data)
        _step(ints, floats, points, x, y, move, params, cool, rng, propose, schedule)
        if not evaluate or book.should_pause(ints):
            return ints[book.STATUS]


@kernel
def advance(ints, floats, points, handle):
    """One step with the value of the neighbour evaluated outside (ask/tell)."""
    return _run(ints, floats, points, floats[:0], handle, False)


@kernel
def fused(ints, floats, points, data, handle):
    """Evaluate and step until a pause."""
    return _run(ints, floats, points, data, handle, True)
