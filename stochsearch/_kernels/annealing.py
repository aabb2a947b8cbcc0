"""Simulated annealing as a state machine (see ``optimizers.annealing``).

Phases: START evaluates the starting point; CALIBRATE (``t0="auto"``) samples neighbours to
measure typical uphill differences, accepting only improvements, and sets the initial
temperature so that an average uphill move is accepted with probability ``p0``; ANNEAL proposes
one neighbour per step and accepts it with probability ``min(1, exp(-delta / T))`` (a move to an
equal or better value is always accepted, so ``T = 0`` is greedy descent). The temperature
follows the cooling schedule, relative to the typical size of recent uphill differences when
``track`` is set (``t0="auto"``), so it is robust to the objective's scale and ends at the
scale of the improvements still being made; on Real spaces the step size tracks a target
acceptance rate; an optional reheat restarts the schedule from the best point after a
stagnation; with cycles, the schedule runs over ``cycle_len`` steps, then again from the best
point over twice as many, and so on (a complete anneal has run at every fraction of the
budget). With a polish (``polish_budget > 0``, Real spaces), each cooling cycle ends in a
quasi-Newton descent from the best point (``polish.py``), and the last one is kept the
evaluations it may spend.

The batch is always row 0 (the neighbour ``y``); the current point ``x`` has its own row.
"""
from __future__ import annotations

import numpy as np

from . import local_search, polish, run_state
from .addresses import generator_from_handle, load_function
from .jit import kernel
from .moves import copy_into
from .real_steps import STEP

I, F = np.int64, np.float64
STATE = run_state.declare(
    [("phase", I), ("step_k", I), ("steps", I), ("cal_left", I), ("n_up", I), ("adapt", I),
     ("reheat_after", I),                 # 0: never reheat
     ("since_best", I), ("reheats", I), ("accepted", I), ("uphill", I),
     ("cycle_len", I),                    # steps of the next cooling cycle; 0: the whole budget
     ("cycles", I),                       # cooling cycles begun after the first
     ("uphill_accepted", I),
     ("anneal_steps", I),                 # Metropolis steps over all cycles
     ("fx", F), ("temperature", F),
     ("t0", F),                           # initial temperature (given or calibrated)
     ("t_start", F),                      # temperature at the start of the current schedule
     ("sum_up", F), ("p0", F),
     ("track", I),                        # 1: the temperature is relative to log_up
     ("sum_log_up", F),                   # calibration: sum of log uphill differences
     ("log_up", F),                       # running mean of log uphill differences
     ("log_up0", F),                      # its value when calibration ended
     ("up_rate", F),                      # weight of a new difference in log_up
     ("acc", F),                          # running average of uphill acceptance
     ("acc_rate", F),
     ("grow", F), ("shrink", F),          # step factors after an accepted / rejected move
     ("min_step", F), ("max_step", F), ("reheat_factor", F), ("step0", F),
     ("polish_budget", I),                # evaluations a polish may spend; 0: no polish
     ("polish_iter", I),                  # quasi-Newton iterations a polish may take
     ("polishes", I)] + polish.FIELDS,
    int_blocks=("move",), float_blocks=("params", "cool", "pol"), rows=("cur",),
    functions=("propose", "schedule"))

# phases
START = 0
CALIBRATE = 1
ANNEAL = 2
POLISH = 3


@kernel(inline=True)
def _begin_schedule(s, t_start):
    """Start a cooling cycle at ``t_start``: over the rest of the budget, or over ``cycle_len``
    steps, the next cycle then being twice as long."""
    s.t_start = t_start
    s.temperature = t_start
    s.step_k = 0
    s.steps = run_state.remaining(s)
    if s.polish_budget > 0 and s.steps > 2 * s.polish_budget:
        s.steps -= s.polish_budget          # kept for the polish at the end of the schedule
    if s.cycle_len > 0:
        s.steps = min(s.cycle_len, s.steps)
        s.cycle_len *= 2
    s.phase = ANNEAL


@kernel(inline=True)
def _from_best(s, points, x, y, params):
    """Go back to the best point so far, with the initial step size."""
    copy_into(points[s.row_best], x)
    copy_into(x, y)
    s.fx = s.best_f
    params[STEP] = s.step0
    s.since_best = 0


@kernel(inline=True)
def _calibrate(s, x, y, move, value):
    """One calibration sample: measure an uphill difference, or take an improvement."""
    diff = value - s.fx
    if value <= s.fx:
        local_search.accept(x, y, move)
        s.fx = value
    else:
        local_search.reject(x, y, move)
        if np.isfinite(diff):
            s.sum_up += diff
            s.sum_log_up += np.log(diff)
            s.n_up += 1
    s.cal_left -= 1
    if s.cal_left <= 0:
        t0 = 0.0
        if s.n_up > 0 and s.track == 1:
            # Relative: an uphill move of the typical (geometric mean) size is accepted with
            # probability p0; the size is tracked from here on.
            t0 = -1.0 / np.log(s.p0)
            s.log_up = s.sum_log_up / s.n_up
            s.log_up0 = s.log_up
        elif s.n_up > 0:
            t0 = -(s.sum_up / s.n_up) / np.log(s.p0)
        s.t0 = t0
        _begin_schedule(s, t0)


@kernel(inline=True)
def _anneal(s, x, y, move, params, cool, value, rng, schedule):
    """One Metropolis step, then the step-size and temperature updates."""
    temperature = s.temperature
    if value <= s.fx:
        accepted = True
    else:
        s.uphill += 1
        accepted = False
        diff = value - s.fx
        if temperature > 0.0:
            scale = np.exp(s.log_up) if s.track == 1 else 1.0
            accepted = rng.random() < np.exp(-diff / (temperature * scale))
        if s.track == 1 and np.isfinite(diff):
            s.log_up += s.up_rate * (np.log(diff) - s.log_up)
        rate = s.acc_rate
        s.acc = (1.0 - rate) * s.acc + (rate if accepted else 0.0)
        if accepted:
            s.uphill_accepted += 1
    if accepted:
        local_search.accept(x, y, move)
        s.fx = value
        s.accepted += 1
    else:
        local_search.reject(x, y, move)
    if s.adapt == 1:
        step = params[STEP] * (s.grow if accepted else s.shrink)
        params[STEP] = min(max(step, s.min_step), s.max_step)
    s.step_k += 1
    s.anneal_steps += 1
    s.temperature = schedule(s.t_start, temperature, s.step_k, s.steps, s.acc, cool)


@kernel(inline=True)
def _maybe_reheat(s, points, x, y, params, improved_best):
    if improved_best:
        s.since_best = 0
        return
    s.since_best += 1
    if s.reheat_after > 0 and s.since_best >= s.reheat_after:
        _from_best(s, points, x, y, params)
        s.reheats += 1
        _begin_schedule(s, s.t0 * s.reheat_factor)


@kernel(inline=True)
def _end_of_schedule(s, points, x, y, params, pol):
    """A cooling cycle is over: polish its best point, or begin the next cycle."""
    if s.polish_budget > 0:
        n = x.size
        width = 0.0
        for i in range(n):
            w = pol[polish.HI * n + i] - pol[polish.LO * n + i]
            width += w * w
        polish.begin(s, pol, points[s.row_best], np.sqrt(width),
                     min(s.polish_budget, run_state.remaining(s)))
        s.phase = POLISH
    elif s.cycle_len > 0:
        _next_cycle(s, points, x, y, params)


@kernel(inline=True)
def _next_cycle(s, points, x, y, params):
    _from_best(s, points, x, y, params)
    s.cycles += 1
    _begin_schedule(s, s.t0)


@kernel(inline=True)
def _step(s, ints, floats, points, x, y, move, params, cool, pol, rng, propose, schedule):
    """Take the value of the neighbour ``y`` just evaluated; propose the next one."""
    best_before = s.best_f
    if run_state.record_batch(s, ints, floats, points) != run_state.RUNNING:
        return s.status
    value = floats[s.f_at]
    if s.phase == START:
        copy_into(y, x)
        s.fx = value
        if s.cal_left > 0:
            s.phase = CALIBRATE
        else:
            _begin_schedule(s, s.t0)
    elif s.phase == CALIBRATE:
        _calibrate(s, x, y, move, value)
    elif s.phase == POLISH:
        if not polish.take(s, pol, y, value, s.polish_iter):
            s.polishes += 1
            _next_cycle(s, points, x, y, params)
    else:
        _anneal(s, x, y, move, params, cool, value, rng, schedule)
        _maybe_reheat(s, points, x, y, params, s.best_f < best_before)
        if s.step_k >= s.steps:                 # the cycle is over
            _end_of_schedule(s, points, x, y, params, pol)
    if run_state.ask_rows(s, 1) > 0:
        if s.phase == POLISH:
            polish.propose(s, pol, y, move)
        else:
            propose(x, y, move, params, rng)
    return run_state.RUNNING


@kernel
def _run(state, ints, floats, points, data, evaluate):
    """Steps until a pause (``evaluate``: evaluate each neighbour first; otherwise take the value
    already in the batch and make one step)."""
    s = state[0]
    x = points[s.row_cur]
    y = points[0]
    move = ints[s.move_at:s.move_at + s.move_n]
    params = floats[s.params_at:s.params_at + s.params_n]
    cool = floats[s.cool_at:s.cool_at + s.cool_n]
    pol = floats[s.pol_at:s.pol_at + s.pol_n]
    propose = load_function(s.fn_propose, "propose", points.dtype)
    schedule = load_function(s.fn_schedule, "temperature", points.dtype)
    objective, delta, has_delta = local_search.evaluators(s.fn_objective, s.fn_delta,
                                                          points.dtype)
    rng = generator_from_handle(s.handle)
    while True:
        if evaluate:
            if s.phase == START or s.phase == POLISH:
                floats[s.f_at] = objective(y, data)
            else:
                floats[s.f_at] = local_search.evaluate_one(objective, delta, has_delta, x, s.fx,
                                                           y, move, data)
        _step(s, ints, floats, points, x, y, move, params, cool, pol, rng, propose, schedule)
        if not evaluate or run_state.should_pause(s):
            return s.status


@kernel
def advance(state, ints, floats, points):
    """One step with the value of the neighbour evaluated outside (ask/tell)."""
    return _run(state, ints, floats, points, floats[:0], False)


@kernel
def fused(state, ints, floats, points, data):
    """Evaluate and step until a pause."""
    return _run(state, ints, floats, points, data, True)
