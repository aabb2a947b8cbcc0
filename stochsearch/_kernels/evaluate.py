"""Evaluate a batch of points with an objective given by address."""
from __future__ import annotations

from .addresses import load_function
from .jit import kernel


@kernel
def evaluate_rows(objective_address, X, data, out):
    """``out[i] = objective(X[i], data)`` for every row of ``X``."""
    if X.shape[0] == 0:
        return
    objective = load_function(objective_address, "objective", X.dtype)
    for i in range(X.shape[0]):
        out[i] = objective(X[i], data)


@kernel(inline=True)
def evaluate_batch(s, floats, points, data):
    """Evaluate the batch rows 0 .. s.m - 1 of a run's state (fused paths)."""
    evaluate_rows(s.fn_objective, points[:s.m], data, floats[s.f_at:s.f_at + s.m])
