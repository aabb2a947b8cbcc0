"""What hill climbing and annealing share: proposing neighbours into batch rows, accepting and
rejecting moves, and the fused evaluation of neighbours (incremental when the problem offers a
``delta``).

Kernels are compiled without reference counting (``jit.kernel``), so a function can only return
arrays it was given: views of the state are made by the kernel entry points and passed down.
"""
from __future__ import annotations

import numpy as np

from .addresses import load_function
from .jit import kernel
from .moves import apply_move


@kernel
def propose_rows(x, points, moves, move_len, params, rng, propose, m):
    """Fill batch rows 0 .. m-1 (each equal to ``x`` on entry) with neighbours of ``x``;
    row ``r``'s move record is ``moves[r * move_len:(r + 1) * move_len]``."""
    for r in range(m):
        propose(x, points[r], moves[r * move_len:(r + 1) * move_len], params, rng)


@kernel(inline=True)
def accept(x, y, move):
    """The current point ``x`` becomes its neighbour ``y``."""
    apply_move(y, x, move)


@kernel(inline=True)
def reject(x, y, move):
    """The neighbour ``y`` goes back to the current point ``x``."""
    apply_move(x, y, move)


@kernel
def evaluators(objective_address, delta_address, dtype):
    """The objective and the delta (or the objective again when there is none)."""
    objective = load_function(objective_address, "objective", dtype)
    delta = load_function(delta_address, "delta", dtype)
    return objective, delta, delta_address != 0


@kernel(inline=True)
def evaluate_one(objective, delta, has_delta, x, f_x, y, move, data):
    """f(y) for a neighbour ``y`` of ``x``, through ``delta`` when possible."""
    if has_delta and np.isfinite(f_x):
        return delta(x, y, move, data, f_x)
    return objective(y, data)
