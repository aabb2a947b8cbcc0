"""stochsearch: stochastic search behind one interface, compiled with numba.

>>> import stochsearch
>>> res = stochsearch.minimize(stochsearch.problems.Rastrigin(2), method="sa",
...                            budget=20_000, rng=0)
>>> res.nfev
20000
"""
from . import moves
from ._kernels.jit import jit
from .api import minimize
from .initialization import Center, Constant, Initializer, Normal, Points, Uniform, Zeros
from .optimizers import (CMAES, SGD, GeneticAlgorithm, Optimizer, RandomRestartHillClimbing,
                         RandomSearch, SimulatedAnnealing)
from .problem import Problem, as_problem
from .registry import INITIALIZERS, NEIGHBORHOODS, OPTIMIZERS, PROBLEMS
from .result import History, OptimizeResult, Status
from .spaces import Binary, Integer, Permutation, Real, Space
from .termination import AnyOf, MaxEvals, Stagnation, TargetValue, Termination, WallTime

__version__ = "0.1.0"

__all__ = [
    "AnyOf", "Binary", "CMAES", "Center", "Constant", "GeneticAlgorithm", "History",
    "INITIALIZERS", "Initializer", "Integer", "MaxEvals", "NEIGHBORHOODS", "Normal", "OPTIMIZERS", "OptimizeResult",
    "Optimizer", "PROBLEMS", "Permutation", "Points", "Problem", "RandomRestartHillClimbing",
    "RandomSearch", "Real", "SGD", "SimulatedAnnealing", "Space", "Stagnation", "Status",
    "TargetValue", "Termination", "Uniform", "WallTime", "Zeros", "as_problem", "jit",
    "minimize", "moves", "plot", "problems",
]


def __getattr__(name):
    # The catalogue is imported on first use, so `import stochsearch` stays light.
    # So are the plots of results (stochsearch.plot), which import matplotlib when they draw.
    if name in ("problems", "plot"):
        import importlib
        return importlib.import_module(f"stochsearch.{name}")
    raise AttributeError(f"module 'stochsearch' has no attribute {name!r}")
