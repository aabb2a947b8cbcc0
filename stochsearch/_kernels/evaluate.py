"""Evaluate a batch of points with an objective given by address."""
from __future__ import annotations

from .jit import jit
from .native import load_function


@jit
def evaluate_rows(objective_address, X, data, out):
    """``out[i] = objective(X[i], data)`` for every row of ``X``."""
    if X.shape[0] == 0:
        return
    objective = load_function(objective_address, 0.0, (X[0], data))
    for i in range(X.shape[0]):
        out[i] = objective(X[i], data)
