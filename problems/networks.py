"""Network-training problems: a small MLP on a seeded dataset, built with ``stochsearch.nn``
exactly as a user would build one.

Each problem minimizes the training loss of its network over the weights (a point of the
network's ``WeightSpace``); SGD trains it with minibatch gradients, and the genetic algorithm,
annealing and hill climbing search it without, all in compiled code. The test set's loss and
accuracy are reported in ``result.info``. Binary tasks use one sigmoid output, the others a
softmax.
"""
from __future__ import annotations

from stochsearch import PROBLEMS
from stochsearch.nn import MLP, NetworkProblem, datasets

__all__ = ["BlobsNetwork", "BreastCancerNetwork", "CirclesNetwork", "DigitsNetwork",
           "IrisNetwork", "MoonsNetwork", "NetworkTask", "SpiralsNetwork", "WineNetwork",
           "XORNetwork"]


class NetworkTask(NetworkProblem):
    """An MLP on one of ``stochsearch.nn.datasets``.

    Parameters
    ----------
    hidden : tuple of int, optional
        Hidden layer sizes (the class's default otherwise).
    activation : str, optional
        Hidden activation (the class's default otherwise).
    seed : int
        Seed of the dataset (its samples and its train/test split).
    bound : float
        The weights lie in ``[-bound, bound]``.
    l2 : float
        Weight of the L2 penalty.
    **dataset_args
        Arguments of the dataset function (``n_samples``, ``noise``...).

    Subclasses set ``key`` (the registry name), ``dataset`` (a name of
    ``stochsearch.nn.datasets.DATASETS``), ``hidden`` and ``activation``.
    """

    key: str = ""
    dataset: str = ""
    hidden: tuple = (10,)
    activation: str = "tanh"

    def __init__(self, hidden=None, activation=None, *, seed: int = 0, bound: float = 10.0,
                 l2: float = 0.0, **dataset_args):
        self._arguments = (hidden, activation, dict(seed=seed, bound=bound, l2=l2,
                                                    **dataset_args))
        hidden = tuple(self.hidden if hidden is None else hidden)
        data = datasets.load(self.dataset, rng=seed, **dataset_args)
        k = data.n_classes
        network = MLP((data.n_features, *hidden, 1 if k == 2 else k),
                      activation=activation or self.activation,
                      output="sigmoid" if k == 2 else "softmax", l2=l2)
        super().__init__(network, data.X_train, data.y_train, X_test=data.X_test,
                         y_test=data.y_test, bound=bound,
                         name=f"{self.key}-{'-'.join(map(str, network.sizes))}")

    def __reduce__(self):
        hidden, activation, kwargs = self._arguments
        return (_rebuild, (type(self), hidden, activation, kwargs))


def _rebuild(cls, hidden, activation, kwargs):
    return cls(hidden, activation, **kwargs)


def _register(cls):
    PROBLEMS.register(cls.key, cls)
    return cls


@_register
class XORNetwork(NetworkTask):
    """XOR on the four corners of the square (a 2-4-1 tanh network); the test set is the four
    corners."""

    key, dataset, hidden = "xor-mlp", "xor", (4,)


@_register
class MoonsNetwork(NetworkTask):
    """Two moons (500 samples, noise 0.2), 2-10-1 tanh."""

    key, dataset, hidden = "moons-mlp", "moons", (10,)


@_register
class CirclesNetwork(NetworkTask):
    """Two concentric circles (500 samples), 2-10-1 tanh."""

    key, dataset, hidden = "circles-mlp", "circles", (10,)


@_register
class SpiralsNetwork(NetworkTask):
    """Two interleaved spirals (500 samples, 1.5 turns), 2-16-16-1 tanh."""

    key, dataset, hidden = "spirals-mlp", "spirals", (16, 16)


@_register
class BlobsNetwork(NetworkTask):
    """Three Gaussian blobs in the plane (500 samples), 2-10-3 tanh."""

    key, dataset, hidden = "blobs-mlp", "blobs", (10,)


@_register
class DigitsNetwork(NetworkTask):
    """Handwritten digits (1,797 8x8 images), 64-32-10 tanh."""

    key, dataset, hidden = "digits-mlp", "digits", (32,)


@_register
class IrisNetwork(NetworkTask):
    """Fisher's irises, 4-8-3 tanh."""

    key, dataset, hidden = "iris-mlp", "iris", (8,)


@_register
class WineNetwork(NetworkTask):
    """Wines of three cultivars, 13-8-3 tanh."""

    key, dataset, hidden = "wine-mlp", "wine", (8,)


@_register
class BreastCancerNetwork(NetworkTask):
    """Wisconsin breast cancer, 30-16-1 tanh."""

    key, dataset, hidden = "breast-cancer-mlp", "breast_cancer", (16,)
