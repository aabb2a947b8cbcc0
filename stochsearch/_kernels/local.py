"""What hill climbing and annealing share: proposing neighbours of the current point into batch
rows, and evaluating them in the fused path (incrementally when the problem offers a delta)."""
from __future__ import annotations

import numpy as np

from . import book
from .jit import jit
from .moves import apply_move
from .native import load_function


@jit
def move_record(ints, off_moves, move_len, row):
    """The move record of batch row ``row``."""
    start = off_moves + row * move_len
    return ints[start:start + move_len]


@jit
def propose_rows(ints, floats, points, rng, fn, row_cur, off_moves, move_len, off_params,
                 n_params, m):
    """Fill batch rows 0 .. m-1 with neighbours of the current point (each row equals the
    current point on entry)."""
    params = floats[off_params:off_params + n_params]
    x = points[row_cur]
    propose = load_function(book.function_address(ints, fn), None,
                            (x, x, ints[0:1], params, rng))
    for r in range(m):
        propose(x, points[r], move_record(ints, off_moves, move_len, r), params, rng)


@jit
def accept_row(ints, points, row_cur, row, off_moves, move_len):
    """The current point becomes batch row ``row``."""
    apply_move(points[row], points[row_cur], move_record(ints, off_moves, move_len, row))


@jit
def reject_row(ints, points, row_cur, row, off_moves, move_len):
    """Batch row ``row`` goes back to the current point."""
    apply_move(points[row_cur], points[row], move_record(ints, off_moves, move_len, row))


@jit
def evaluate_neighbours(ints, floats, points, data, row_cur, f_cur, off_moves, move_len):
    """Fused evaluation of the batch of neighbours, through ``delta`` when there is one."""
    m = ints[book.M]
    if m == 0:
        return
    start = ints[book.OFF_F]
    delta_address = book.function_address(ints, book.FN_DELTA)
    x = points[row_cur]
    if delta_address == 0 or not np.isfinite(f_cur):
        objective = load_function(book.function_address(ints, book.FN_OBJECTIVE), 0.0,
                                  (x, data))
        for r in range(m):
            floats[start + r] = objective(points[r], data)
    else:
        delta = load_function(delta_address, 0.0, (x, x, ints[0:1], data, 0.0))
        for r in range(m):
            floats[start + r] = delta(x, points[r], move_record(ints, off_moves, move_len, r),
                                      data, f_cur)
