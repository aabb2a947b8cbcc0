"""Stochastic gradient descent as a state machine (see ``optimizers.sgd``).

The batch is always row 0: the current point ``x``. Phase GRADIENT wants the loss and the
gradient there: on the minibatch ``order[POS : POS + CUR]`` of a data problem (a problem with
samples), or of the whole function otherwise; the gradient is in row ``ROW_GRAD``. The step
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

from .. import _signatures
from . import book
from .jit import jit, kernel
from .moves import copy_into
from .native import generator_from_handle, load_function

# loss = batch_gradient(x, data, batch, out): the gradient of the mean loss over the samples
# ``batch`` into ``out``.
_signatures.register_role("batch_gradient", {"real": types.float64(
    types.float64[::1], types.float64[::1], types.int64[::1], types.float64[::1])})

# ints
PHASE = book.ALG + 0
FIRST = book.ALG + 1          # 1 until the starting point is taken
N_SAMPLES = book.ALG + 2      # 0: no samples (a gradient is one evaluation)
BATCH = book.ALG + 3          # samples per minibatch
SHUFFLE = book.ALG + 4        # NO_SHUFFLE, SHUFFLE_ONCE or SHUFFLE_EPOCH
POS = book.ALG + 5            # first sample of the minibatch in ``order``
CUR = book.ALG + 6            # samples of the minibatch
EPOCHS = book.ALG + 7         # epochs completed
STEPS = book.ALG + 8          # updates made
VALUES = book.ALG + 9         # VALUE evaluations
FINAL = book.ALG + 10         # the value asked for is the last one; then STOP_AS
STOP_AS = book.ALG + 11
OFF_ORDER = book.ALG + 12     # ints offset: sample order (N_SAMPLES values)
N_RULES = book.ALG + 13
OFF_RULES = book.ALG + 14     # ints offset: N_RULES + 1 floats offsets of the rules' memories
OFF_RATE = book.ALG + 15      # floats offset of the learning rate's parameters
N_RATE = book.ALG + 16
OFF_BOX = book.ALG + 17       # floats offset: lower bounds, then upper bounds
ROW_GRAD = book.ALG + 18
N_INTS = 19
# floats
RATE = book.F_ALG + 0         # the learning rate of the last step
N_FLOATS = 1
# functions
FN_RATE = book.FN_ALG + 0
FN_BATCH_GRADIENT = book.FN_ALG + 1
FN_RULES = book.FN_ALG + 2    # one per rule
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
def _minibatch(ints, order):
    """Set the next minibatch: the rest of the epoch at most, and the budget left."""
    n = ints[N_SAMPLES]
    if n == 0:
        ints[CUR] = 1
    else:
        ints[CUR] = min(ints[BATCH], n - ints[POS], book.remaining(ints))
    ints[book.M] = 1


@kernel(inline=True)
def _begin_epoch(ints, order, rng):
    """Shuffle the order (each epoch, or before the first only) and start at its head."""
    shuffle = ints[SHUFFLE]
    if shuffle == SHUFFLE_EPOCH or (shuffle == SHUFFLE_ONCE and ints[EPOCHS] == 0):
        for i in range(order.size - 1, 0, -1):
            j = int(rng.random() * (i + 1))
            order[i], order[j] = order[j], order[i]
    ints[POS] = 0
    _minibatch(ints, order)


@kernel(inline=True)
def _fill_history(ints, floats, points):
    """Checkpoints passed by the evaluation count get the best value so far."""
    hist_at = ints[book.OFF_HIST_AT]
    k = ints[book.HIST_PTR]
    while k < ints[book.HIST_N] and ints[hist_at + k] <= ints[book.NFEV]:
        floats[ints[book.OFF_HIST_F] + k] = floats[book.BEST_F]
        if ints[book.HIST_X] == 1:
            copy_into(points[ints[book.ROW_BEST]], points[ints[book.ROW_HIST] + k])
        k += 1
    ints[book.HIST_PTR] = k


@kernel(inline=True)
def _note(ints, floats, points, x, value):
    """An objective value at ``x``: the best point (also at checkpoints already filled at this
    evaluation count, since a VALUE evaluation adds none), stagnation, the target."""
    nfev = ints[book.NFEV]
    if value < floats[book.BEST_F]:
        floats[book.BEST_F] = value
        copy_into(x, points[ints[book.ROW_BEST]])
        hist_at = ints[book.OFF_HIST_AT]
        k = ints[book.HIST_PTR] - 1
        while k >= 0 and ints[hist_at + k] == nfev:
            floats[ints[book.OFF_HIST_F] + k] = value
            if ints[book.HIST_X] == 1:
                copy_into(x, points[ints[book.ROW_HIST] + k])
            k -= 1
    if value < floats[book.STAG_REF] - floats[book.STAG_TOL]:
        floats[book.STAG_REF] = value
        ints[book.LAST_IMPROVE] = nfev
    if ints[book.HAS_TARGET] == 1 and floats[book.BEST_F] <= floats[book.TARGET]:
        ints[book.STATUS] = book.TARGET_REACHED


@kernel(inline=True)
def _stagnated(ints):
    return ints[book.STAGNATION] > 0 and \
        ints[book.NFEV] - ints[book.LAST_IMPROVE] >= ints[book.STAGNATION]


@kernel(inline=True)
def _finite(value, g):
    if not np.isfinite(value):
        return False
    for i in range(g.size):
        if not np.isfinite(g[i]):
            return False
    return True


@kernel(inline=True)
def _move(ints, floats, x, g, rng, rate):
    """Apply the update rules to ``g``, then step ``x`` against it, kept in the box."""
    ints[STEPS] += 1
    rules = ints[OFF_RULES]
    for r in range(ints[N_RULES]):
        update = load_function(book.function_address(ints, FN_RULES + r), "update", x.dtype)
        update(g, floats[ints[rules + r]:ints[rules + r + 1]], ints[STEPS], rng)
    progress = ints[book.NFEV] / ints[book.BUDGET]
    lr = rate(ints[STEPS] - 1, ints[EPOCHS], progress,
              floats[ints[OFF_RATE]:ints[OFF_RATE] + ints[N_RATE]])
    floats[RATE] = lr
    box = ints[OFF_BOX]
    n = x.size
    for i in range(n):
        x[i] = min(max(x[i] - lr * g[i], floats[box + i]), floats[box + n + i])


@kernel(inline=True)
def _value_step(ints, floats, points, x, order, rng, value):
    """The objective at ``x``: note it, then stop or start the next epoch."""
    ints[VALUES] += 1
    if not np.isfinite(value):
        ints[book.NNAN] += value != value
        ints[book.STATUS] = book.DIVERGED
        return
    _note(ints, floats, points, x, value)
    if ints[book.STATUS] != book.RUNNING:
        return
    if ints[FINAL] == 1:
        ints[book.STATUS] = ints[STOP_AS]
    elif _stagnated(ints):
        ints[book.STATUS] = book.STAGNATED
    else:
        ints[PHASE] = GRADIENT
        _begin_epoch(ints, order, rng)


@kernel(inline=True)
def _gradient_step(ints, floats, points, x, g, order, rng, rate, value):
    """The loss and gradient at ``x`` on the minibatch: count, note the loss if it is the
    objective (no samples, or all of them), step, and plan the next request."""
    n = ints[N_SAMPLES]
    ints[book.NFEV] += ints[CUR] - 1
    _fill_history(ints, floats, points)     # reached before this loss is known
    ints[book.NFEV] += 1
    ints[book.NIT] += 1
    if not _finite(value, g):
        ints[book.NNAN] += value != value
        ints[book.STATUS] = book.DIVERGED
        _fill_history(ints, floats, points)
        return
    whole = n == 0 or ints[CUR] == n
    if whole:
        _note(ints, floats, points, x, value)
    _fill_history(ints, floats, points)
    if ints[book.STATUS] != book.RUNNING:
        return
    _move(ints, floats, x, g, rng, rate)
    ints[POS] += ints[CUR] if n > 0 else 1
    end_of_epoch = ints[POS] >= max(n, 1)
    if end_of_epoch:
        ints[EPOCHS] += 1
    if ints[book.NFEV] >= ints[book.BUDGET]:
        if whole:
            ints[book.STATUS] = book.MAX_EVALS
        else:                       # the last point has not been evaluated yet
            ints[PHASE] = VALUE
            ints[FINAL] = 1
            ints[STOP_AS] = book.MAX_EVALS
    elif not whole:
        if end_of_epoch:
            ints[PHASE] = VALUE
        else:
            _minibatch(ints, order)
    elif _stagnated(ints):
        ints[book.STATUS] = book.STAGNATED
    else:
        ints[POS] = 0
        _minibatch(ints, order)


@kernel(inline=True)
def _step(ints, floats, points, x, g, order, rng, rate):
    """Take the value (and gradient) just evaluated at ``x``; prepare the next request."""
    if ints[FIRST] == 1:
        ints[FIRST] = 0
        copy_into(x, points[ints[book.ROW_BEST]])
    value = floats[ints[book.OFF_F]]
    if ints[PHASE] == VALUE:
        _value_step(ints, floats, points, x, order, rng, value)
    else:
        _gradient_step(ints, floats, points, x, g, order, rng, rate, value)
    return ints[book.STATUS]


@kernel
def _run(ints, floats, points, data, handle, evaluate):
    """Steps until a pause (``evaluate``: compute each value and gradient first; otherwise
    take those given and make one step)."""
    x = points[0]
    g = points[ints[ROW_GRAD]]
    order = ints[ints[OFF_ORDER]:ints[OFF_ORDER] + ints[N_SAMPLES]]
    rate = load_function(book.function_address(ints, FN_RATE), "learning_rate", x.dtype)
    objective = load_function(book.function_address(ints, book.FN_OBJECTIVE), "objective",
                              x.dtype)
    gradient = load_function(book.function_address(ints, book.FN_GRADIENT), "gradient",
                             x.dtype)
    batch_gradient = load_function(book.function_address(ints, FN_BATCH_GRADIENT),
                                   "batch_gradient", x.dtype)
    rng = generator_from_handle(handle)
    f_slot = ints[book.OFF_F]
    while True:
        if evaluate:
            if ints[PHASE] == VALUE:
                floats[f_slot] = objective(x, data)
            elif ints[N_SAMPLES] > 0:
                floats[f_slot] = batch_gradient(x, data, order[ints[POS]:ints[POS] + ints[CUR]],
                                                g)
            else:
                floats[f_slot] = gradient(x, data, g)
        _step(ints, floats, points, x, g, order, rng, rate)
        if not evaluate or book.should_pause(ints):
            return ints[book.STATUS]


@kernel
def advance(ints, floats, points, handle):
    """One step with the value and gradient computed outside (ask/tell)."""
    return _run(ints, floats, points, floats[:0], handle, False)


@kernel
def fused(ints, floats, points, data, handle):
    """Compute and step until a pause."""
    return _run(ints, floats, points, data, handle, True)
