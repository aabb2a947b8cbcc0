"""Neural-network weight spaces: a small network's weights are one point of a search space.

``MLP`` keeps all its parameters in one flat float64 vector with numba forward and backward
passes; ``initializers`` holds every initializer people use (Keras's, PyTorch's default,
sparse, LSUV...), each an ``init=`` of every optimizer; ``datasets`` seeded tasks;
``NetworkProblem`` a (network, dataset, loss) as a Problem that SGD trains with gradients and the
genetic algorithm, annealing and hill climbing search without; ``MLPClassifier`` and
``MLPRegressor`` the same as scikit-learn estimators; ``diagnostics`` the symmetry and signal
statistics of the studies.
"""
from . import datasets, initializers
from .diagnostics import distinct_units, layer_statistics
from .mlp import MLP
from .problem import NetworkProblem
from .space import WeightSpace

__all__ = ["MLP", "MLPClassifier", "MLPRegressor", "NetworkProblem", "WeightSpace", "datasets",
           "distinct_units", "initializers", "layer_statistics"]


def __getattr__(name):
    # The estimator imports scikit-learn: only when asked for.
    if name in ("MLPClassifier", "MLPRegressor"):
        from . import estimator
        return getattr(estimator, name)
    raise AttributeError(f"module 'stochsearch.nn' has no attribute {name!r}")
