"""A custom problem written in plain Python (numpy), used by ``custom.toml`` as
``python_problem:Craters``.

Any ``stochsearch.Problem`` subclass, or any function returning a Problem, can be named in a
suite as ``module:attribute``; the suite passes its ``params`` as keyword arguments. A Python
objective runs through the ask/tell loop (one call per point), so it is slower than a numba
one, but it runs exactly like a built-in problem: same seeds, same store, same report.
"""
import numpy as np

import stochsearch as ss


class Craters(ss.Problem):
    """A bowl with ``craters`` Gaussian pits at seeded places; the deepest pit is the global
    minimum (its value is estimated, so the suite gives no ``f_opt``: the report measures gaps
    from the best value any run found)."""

    def __init__(self, dim: int = 4, craters: int = 12, seed: int = 0):
        rng = np.random.default_rng(seed)
        self.centres = rng.uniform(-4.0, 4.0, size=(craters, dim))
        self.depths = rng.uniform(1.0, 3.0, size=craters)
        super().__init__(ss.Real(-5.0, 5.0, dim=dim), fun=self.value,
                         name=f"craters-{dim}")

    def value(self, x):
        pits = np.exp(-np.sum((x - self.centres) ** 2, axis=1) / 0.5)
        return float(0.05 * np.sum(x * x) - np.sum(self.depths * pits))
