"""numba kernels of the integer problems (the classes are in ``integers.py``).

``x`` is an int64 vector; ``data`` a float64 vector whose layout each kernel names.
"""
from __future__ import annotations

import math

from stochsearch import jit


@jit
def integer_ellipsoid(x, data):
    """data = [centre (n), weights (n)]: ``sum w_i (x_i - c_i)^2`` (all weights 1: the sphere)."""
    n = x.size
    total = 0.0
    for i in range(n):
        z = x[i] - data[i]
        total += data[n + i] * z * z
    return total


@jit
def integer_rastrigin(x, data):
    """data = [resolution h, centre (n)]: Rastrigin at ``h (x - c)``, with local minima every
    ``1 / h`` integer steps."""
    h = data[0]
    total = 10.0 * x.size
    for i in range(x.size):
        z = h * (x[i] - data[1 + i])
        total += z * z - 10.0 * math.cos(2.0 * math.pi * z)
    return total


@jit
def bounded_knapsack(x, data):
    """data = [n, capacity, penalty, weights (n), values (n)]: minus the value of ``x_i``
    copies of each item, plus ``penalty`` per unit of weight over the capacity."""
    n, capacity = int(data[0]), data[1]
    weight = value = 0.0
    for i in range(n):
        weight += x[i] * data[3 + i]
        value += x[i] * data[3 + n + i]
    if weight <= capacity:
        return -value
    return (weight - capacity) * data[2] - value
