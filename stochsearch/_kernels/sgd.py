"""Stochastic gradient descent as a state machine (see ``optimizers.sgd``).

The batch is always row 0: the current point ``x``. Phase GRADIENT wants the loss and the
gradient there: on the minibatch ``order[pos : pos + cur]`` of a data problem (a problem with
samples), or of the whole function otherwise; the gradient is in row ``row_grad``. The step
applies the update rules in order, then ``x -= learning_rate * g``, projected onto the box.
Phase VALUE wants the objective alone (the loss on all the data), at the start, at the end of
every epoch and at the end of the run: a minibatch loss is a noisy estimate of the objective at a
point, so with minibatches the best point and the history follow these values.

One sample-gradient counts as one evaluation (a gradient without samples counts one); VALUE
evaluations count none. The first gradient or value that is not finite stops the run with status
DIVERGED, the best point kept.
"""
from __future__ import annotations

import numpy as np
from numba import types

from . import run_state, signatures
from .addresses import generator_from_handle, load_function
from .jit import jit, kernel
from .moves import copy_into

# loss = batch_gradient(x, data, batch, out): the gradient of the mean loss over the samples
# ``batch`` into ``out``.
signatures.register_role("batch_gradient", {"real": types.float64(
    types.float64[::1], types.float64[::1], types.int64[::1], types.float64[::1])})

I, F = np.int64, np.float64
STATE = run_state.declare(
    [("phase", I),
     ("first", I),                    # 1 until the starting point is taken
     ("n_samples", I),                # 0: no samples (a gradient is one evaluation)
     ("batch", I),                    # samples per minibatch
     ("shuffle", I),                  # NO_SHUFFLE, SHUFFLE_ONCE or SHUFFLE_EPOCH
     ("pos", I),                      # first sample of the minibatch in ``order``
     ("cur", I),                      # samples of the minibatch
     ("epochs", I),                   # epochs completed
     ("steps", I),                    # updates made
     ("values", I),                   # VALUE evaluations
     ("final", I),                    # the value asked for is the last one; then stop_as
     ("stop_as", I),
     ("rate", F)],                    # the learning rate of the last step
    int_blocks=("order",              # sample order (n_samples values)
                "rules",              # floats offsets of the rules' memories (one more)
                "rule_fns"),          # addresses of the rules' update functions
    float_blocks=("memory", "rate_params",
                  "box"),             # lower bounds, then upper bounds
    rows=("grad",), functions=("learning_rate", "batch_gradient"))
# phases
GRADIENT = 0
VALUE = 1
# shuffling
NO_SHUFFLE = 0
SHUFFLE_ONCE = 1
SHUFFLE_EPOCH = 2


@jit
def no_batch_gradient(x, data, batch, out):
    """The batch gradient of a problem without samples (never called)."""
    return np.nan


@kernel(inline=True)
def _minibatch(s, order):
    """Set the next minibatch: the rest of the epoch at most, and the budget left."""
    n = s.n_samples
    if n == 0:
        s.cur = 1
    else:
        s.cur = min(s.batch, n - s.pos, run_state.remaining(s))
    s.m = 1


@kernel(inline=True)
def _begin_epoch(s, order, rng):
    """Shuffle the order (each epoch, or before the first only) and start at its head."""
    shuffle = s.shuffle
    if shuffle == SHUFFLE_EPOCH or (shuffle == SHUFFLE_ONCE and s.epochs == 0):
        for i in range(order.size - 1, 0, -1):
            j = int(rng.random() * (i + 1))
            order[i], order[j] = order[j], order[i]
    s.pos = 0
    _minibatch(s, order)


@kernel(inline=True)
def _fill_history(s, ints, floats, points):
    """Checkpoints passed by the evaluation count get the best value so far."""
    hist_at = s.hist_at_at
    k = s.hist_ptr
    while k < s.hist_at_n and ints[hist_at + k] <= s.nfev:
        floats[s.hist_f_at + k] = s.best_f
        if s.hist_x == 1:
            copy_into(points[s.row_best], points[s.row_hist + k])
        k += 1
    s.hist_ptr = k


@kernel(inline=True)
def _note(s, ints, floats, points, x, value):
    """An objective value at ``x``: the best point (also at checkpoints already filled at this
    evaluation count, since a VALUE evaluation adds none), stagnation, the target."""
    nfev = s.nfev
    if value < s.best_f:
        s.best_f = value
        copy_into(x, points[s.row_best])
        hist_at = s.hist_at_at
        k = s.hist_ptr - 1
        while k >= 0 and ints[hist_at + k] == nfev:
            floats[s.hist_f_at + k] = value
            if s.hist_x == 1:
                copy_into(x, points[s.row_hist + k])
            k -= 1
    if value < s.stag_ref - s.stag_tol:
        s.stag_ref = value
        s.last_improve = nfev
    if s.has_target == 1 and s.best_f <= s.target:
        s.status = run_state.TARGET_REACHED


@kernel(inline=True)
def _stagnated(s):
    return s.stagnation > 0 and s.nfev - s.last_improve >= s.stagnation


@kernel(inline=True)
def _finite(value, g):
    if not np.isfinite(value):
        return False
    for i in range(g.size):
        if not np.isfinite(g[i]):
            return False
    return True


@kernel(inline=True)
def _move(s, ints, floats, x, g, rng, rate):
    """Apply the update rules to ``g``, then step ``x`` against it, kept in the box."""
    s.steps += 1
    rules = s.rules_at
    for r in range(s.rule_fns_n):
        update = load_function(ints[s.rule_fns_at + r], "update", x.dtype)
        update(g, floats[ints[rules + r]:ints[rules + r + 1]], s.steps, rng)
    progress = s.nfev / s.budget
    lr = rate(s.steps - 1, s.epochs, progress,
              floats[s.rate_params_at:s.rate_params_at + s.rate_params_n])
    s.rate = lr
    box = s.box_at
    n = x.size
    for i in range(n):
        x[i] = min(max(x[i] - lr * g[i], floats[box + i]), floats[box + n + i])


@kernel(inline=True)
def _value_step(s, ints, floats, points, x, order, rng, value):
    """The objective at ``x``: note it, then stop or start the next epoch."""
    s.values += 1
    if not np.isfinite(value):
        s.nnan += value != value
        s.status = run_state.DIVERGED
        return
    _note(s, ints, floats, points, x, value)
    if s.status != run_state.RUNNING:
        return
    if s.final == 1:
        s.status = s.stop_as
    elif _stagnated(s):
        s.status = run_state.STAGNATED
    else:
        s.phase = GRADIENT
        _begin_epoch(s, order, rng)


@kernel(inline=True)
def _gradient_step(s, ints, floats, points, x, g, order, rng, rate, value):
    """The loss and gradient at ``x`` on the minibatch: count, note the loss if it is the
    objective (no samples, or all of them), step, and plan the next request."""
    n = s.n_samples
    s.nfev += s.cur - 1
    _fill_history(s, ints, floats, points)     # reached before this loss is known
    s.nfev += 1
    s.nit += 1
    if not _finite(value, g):
        s.nnan += value != value
        s.status = run_state.DIVERGED
        _fill_history(s, ints, floats, points)
        return
    whole = n == 0 or s.cur == n
    if whole:
        _note(s, ints, floats, points, x, value)
    _fill_history(s, ints, floats, points)
    if s.status != run_state.RUNNING:
        return
    _move(s, ints, floats, x, g, rng, rate)
    s.pos += s.cur if n > 0 else 1
    end_of_epoch = s.pos >= max(n, 1)
    if end_of_epoch:
        s.epochs += 1
    if s.nfev >= s.budget:
        if whole:
            s.status = run_state.MAX_EVALS
        else:                       # the last point has not been evaluated yet
            s.phase = VALUE
            s.final = 1
            s.stop_as = run_state.MAX_EVALS
    elif not whole:
        if end_of_epoch:
            s.phase = VALUE
        else:
            _minibatch(s, order)
    elif _stagnated(s):
        s.status = run_state.STAGNATED
    else:
        s.pos = 0
        _minibatch(s, order)


@kernel(inline=True)
def _step(s, ints, floats, points, x, g, order, rng, rate):
    """Take the value (and gradient) just evaluated at ``x``; prepare the next request."""
    if s.first == 1:
        s.first = 0
        copy_into(x, points[s.row_best])
    value = floats[s.f_at]
    if s.phase == VALUE:
        _value_step(s, ints, floats, points, x, order, rng, value)
    else:
        _gradient_step(s, ints, floats, points, x, g, order, rng, rate, value)
    return s.status


@kernel
def _run(state, ints, floats, points, data, evaluate):
    """Steps until a pause (``evaluate``: compute each value and gradient first; otherwise
    take those given and make one step)."""
    s = state[0]
    x = points[0]
    g = points[s.row_grad]
    order = ints[s.order_at:s.order_at + s.order_n]
    rate = load_function(s.fn_learning_rate, "learning_rate", x.dtype)
    objective = load_function(s.fn_objective, "objective", x.dtype)
    gradient = load_function(s.fn_gradient, "gradient", x.dtype)
    batch_gradient = load_function(s.fn_batch_gradient, "batch_gradient", x.dtype)
    rng = generator_from_handle(s.handle)
    while True:
        if evaluate:
            if s.phase == VALUE:
                floats[s.f_at] = objective(x, data)
            elif s.n_samples > 0:
                floats[s.f_at] = batch_gradient(x, data, order[s.pos:s.pos + s.cur], g)
            else:
                floats[s.f_at] = gradient(x, data, g)
        _step(s, ints, floats, points, x, g, order, rng, rate)
        if not evaluate or run_state.should_pause(s):
            return s.status


@kernel
def advance(state, ints, floats, points):
    """One step with the value and gradient computed outside (ask/tell)."""
    return _run(state, ints, floats, points, floats[:0], False)


@kernel
def fused(state, ints, floats, points, data):
    """Compute and step until a pause."""
    return _run(state, ints, floats, points, data, True)
