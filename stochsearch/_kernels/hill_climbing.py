"""Random-restart hill climbing as a state machine (see ``optimizers.hill_climbing``).

Phases: START evaluates a starting point drawn by the initializer; CLIMB proposes one neighbour
(first improvement) or ``neighbors`` of them (steepest descent) and moves to the best if it is
better (or as good, with ``accept_equal``). With an adaptive neighbourhood the step size follows the 1/5th success rule. After
``patience`` evaluations without improvement, or once the step has shrunk below ``min_step``,
the climb restarts from a new initializer point, or the run stops (CONVERGED) if no restarts
are left.
"""
from __future__ import annotations

import numpy as np

from . import local_search, run_state
from .addresses import generator_from_handle, load_function
from .jit import kernel
from .moves import copy_into
from .real_steps import STEP

I, F = np.int64, np.float64
STATE = run_state.declare(
    [("phase", I), ("steepest", I), ("neighbors", I), ("patience", I), ("fails", I),
     ("restarts_left", I),            # -1: unlimited
     ("restarts", I), ("adapt", I),
     ("accept_equal", I),             # 1: move to a neighbour as good as x (plateau walks)
     ("move_len", I),                 # length of one move record (the block holds one per row)
     ("fx", F),
     ("grow", F), ("shrink", F),      # step factors after a success / a failure
     ("min_step", F), ("max_step", F)],
    int_blocks=("moves",),
    float_blocks=("params",           # the neighbourhood's parameters (its step adapts)
                  "params0"),         # their initial values, restored at each restart
    rows=("cur",), functions=("propose",))

# phases
START = 0
CLIMB = 1


@kernel(inline=True)
def _restart_or_stop(s, params, params0):
    if s.restarts_left == 0:
        s.status = run_state.CONVERGED
        return
    if s.restarts_left > 0:
        s.restarts_left -= 1
    s.restarts += 1
    s.phase = START
    s.fails = 0
    copy_into(params0, params)
    run_state.ask_rows(s, 1)
    s.request = run_state.REQUEST_SAMPLE


@kernel(inline=True)
def _climb(s, floats, points, x, moves, params):
    """Move to the best neighbour of the batch if it improves; adapt the step; return True when
    the climb is stuck."""
    m = s.m
    f = floats[s.f_at:s.f_at + m]
    best = 0
    for r in range(1, m):
        if f[r] < f[best]:
            best = r
    value = f[best]
    improved = value < s.fx
    # An equal neighbour is taken too (a walk across a plateau), but only an improvement counts
    # as a success for the step size and for patience.
    moves_on = improved or (s.accept_equal == 1 and value == s.fx)
    move_len = s.move_len
    if s.steepest == 1:
        if moves_on:
            local_search.accept(x, points[best], moves[best * move_len:(best + 1) * move_len])
        for r in range(m):
            copy_into(x, points[r])
    elif moves_on:
        local_search.accept(x, points[0], moves[:move_len])
    else:
        local_search.reject(x, points[0], moves[:move_len])
    if moves_on:
        s.fx = value
    if improved:
        s.fails = 0
    else:
        s.fails += m
    if s.adapt == 1:
        params[STEP] = min(params[STEP] * (s.grow if improved else s.shrink), s.max_step)
        if params[STEP] < s.min_step:
            return True
    return s.fails >= s.patience


@kernel(inline=True)
def _step(s, ints, floats, points, x, moves, params, params0, rng, propose):
    """Take the values of the batch just evaluated; prepare the next batch."""
    if run_state.record_batch(s, ints, floats, points) != run_state.RUNNING:
        return s.status
    if s.phase == START:
        copy_into(points[0], x)
        for r in range(1, s.m_max):
            copy_into(x, points[r])
        s.fx = floats[s.f_at]
        s.phase = CLIMB
    elif _climb(s, floats, points, x, moves, params):
        _restart_or_stop(s, params, params0)
        return s.status
    m = run_state.ask_rows(s, s.neighbors if s.steepest == 1 else 1)
    local_search.propose_rows(x, points, moves, s.move_len, params, rng, propose, m)
    return run_state.RUNNING


@kernel
def _run(state, ints, floats, points, data, evaluate):
    """Steps until a pause (``evaluate``: evaluate each batch first; otherwise take the values
    already given and make one step)."""
    s = state[0]
    x = points[s.row_cur]
    moves = ints[s.moves_at:s.moves_at + s.moves_n]
    params = floats[s.params_at:s.params_at + s.params_n]
    params0 = floats[s.params0_at:s.params0_at + s.params0_n]
    propose = load_function(s.fn_propose, "propose", points.dtype)
    objective, delta, has_delta = local_search.evaluators(s.fn_objective, s.fn_delta,
                                                          points.dtype)
    rng = generator_from_handle(s.handle)
    move_len = s.move_len
    while True:
        if evaluate:
            if s.phase == START:
                floats[s.f_at] = objective(points[0], data)
            else:
                for r in range(s.m):
                    floats[s.f_at + r] = local_search.evaluate_one(
                        objective, delta, has_delta, x, s.fx, points[r],
                        moves[r * move_len:(r + 1) * move_len], data)
        _step(s, ints, floats, points, x, moves, params, params0, rng, propose)
        if not evaluate or run_state.should_pause(s):
            return s.status


@kernel
def advance(state, ints, floats, points):
    """One step with the values of the batch evaluated outside (ask/tell)."""
    return _run(state, ints, floats, points, floats[:0], False)


@kernel
def fused(state, ints, floats, points, data):
    """Evaluate and step until a pause."""
    return _run(state, ints, floats, points, data, True)
