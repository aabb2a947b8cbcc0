"""A custom problem with a numba objective, used by ``custom.toml`` as
``numba_problem:wavy_bowl``.

The objective takes ``(x, data)``: the point and a float64 array holding the instance (here the
centre of the bowl). Compiled with ``stochsearch.jit`` it runs entirely inside numba, like the
built-in landscapes, and numba caches it on disk beside this file, so a suite's worker
processes load it instead of compiling it again.
"""
import math

import numpy as np

import stochsearch as ss


@ss.jit
def wavy(x, data):
    """``sum (x_i - c_i)^2 + 2 (1 - cos(3 (x_i - c_i)))``: a bowl with ripples, minimum 0 at
    ``c = data``."""
    total = 0.0
    for i in range(x.size):
        z = x[i] - data[i]
        total += z * z + 2.0 * (1.0 - math.cos(3.0 * z))
    return total


def wavy_bowl(dim: int = 5, seed: int = 0) -> ss.Problem:
    """The wavy bowl in ``dim`` dimensions, its centre drawn (seeded) away from the origin."""
    centre = np.random.default_rng(seed).uniform(1.0, 3.0, size=dim)
    return ss.Problem(ss.Real(-5.0, 5.0, dim=dim), objective=wavy, data=centre, f_opt=0.0,
                      x_opt=centre, name=f"wavy-{dim}")
