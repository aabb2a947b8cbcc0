"""``NetworkProblem``: training a network on a dataset, as a Problem for every optimizer.

The objective is the training loss on all the data, a numba function with the standard Real
signature ``objective(w, data)``: the network's layout and the dataset are packed into the
float64 ``data`` array (``stochsearch._kernels.mlp``), so the genetic algorithm, annealing and
hill climbing run on it entirely in compiled code. The gradient is the full-data gradient, and
``batch_gradient(w, data, batch, out)`` the minibatch gradient SGD samples.
"""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .._kernels import mlp as kernels
from .._validation import describe
from ..problem import Problem
from .mlp import MLP
from .space import WeightSpace

__all__ = ["NetworkProblem"]


class NetworkProblem(Problem):
    """Minimize the training loss of ``network`` on ``(X, y)`` over its weights.

    Parameters
    ----------
    network : MLP
    X, y : array_like
        Training inputs (rows) and targets (class labels for a softmax output, 0/1 labels for
        sigmoid outputs, values for a linear one).
    X_test, y_test : array_like, optional
        A held-out set: its loss and accuracy are reported in ``result.info`` with those of
        the training set.
    bound : float
        The weights lie in ``[-bound, bound]`` (``WeightSpace``).
    name : str, optional

    Attributes
    ----------
    n_samples : int
        Training samples: SGD's budget counts one evaluation per sample-gradient.
    batch_gradient : numba function
        ``batch_gradient(w, data, batch, out) -> loss`` on the samples ``batch``.

    Examples
    --------
    >>> from stochsearch.nn import MLP
    >>> X, y = np.array([[0., 0.], [0., 1.], [1., 0.], [1., 1.]]), np.array([0, 1, 1, 0])
    >>> problem = NetworkProblem(MLP((2, 4, 1), output="sigmoid"), X, y)
    >>> problem.dim, round(problem(np.zeros(problem.dim)), 6)
    (17, 0.693147)
    """

    space_kind = WeightSpace.kind  # network weights: a box of reals

    batch_gradient = staticmethod(kernels.batch_gradient)

    def __init__(self, network: MLP, X: ArrayLike, y: ArrayLike, *,
                 X_test: ArrayLike | None = None, y_test: ArrayLike | None = None,
                 bound: float = 10.0,
                 name: str | None = None):
        if not isinstance(network, MLP):
            raise TypeError(f"network must be an MLP, got {describe(network)}")
        self.network = network
        self.X, self.y = network.check_inputs(X), np.asarray(y)
        data = network.data(self.X, self.y)
        if (X_test is None) != (y_test is None):
            raise ValueError("give both X_test and y_test, or neither")
        self.X_test, self.y_test = X_test, y_test
        self._test_data = None if X_test is None else network.data(X_test, y_test)
        self.n_samples = self.X.shape[0]
        super().__init__(WeightSpace(network, bound, inputs=self.X), objective=kernels.loss,
                         gradient=kernels.loss_gradient, data=data,
                         name=name or f"mlp{'-'.join(map(str, network.sizes))}")

    def predict(self, w: ArrayLike, X: ArrayLike | None = None) -> np.ndarray:
        """The network's outputs with weights ``w`` on ``X`` (the training inputs by
        default)."""
        return self.network.predict(w, self.X if X is None else X)

    def accuracy(self, w: ArrayLike, X: ArrayLike, y: ArrayLike) -> float:
        """Fraction of correct labels (argmax for softmax, 0.5 threshold for sigmoid outputs);
        NaN for a linear output."""
        output = self.network.output
        if output == "linear":
            return float("nan")
        P = self.network.predict(w, X)
        if output == "softmax":
            return float(np.mean(np.argmax(P, axis=1) == np.asarray(y)))
        Y = np.asarray(y, dtype=float).reshape(P.shape)
        return float(np.mean((P > 0.5) == (Y == 1.0)))

    def report(self, w: ArrayLike) -> dict:
        """Loss and accuracy of the weights ``w`` on the training set and the test set."""
        w = np.ascontiguousarray(w, dtype=float)
        facts = {"train_loss": float(kernels.loss(w, self.data)),
                 "train_accuracy": self.accuracy(w, self.X, self.y)}
        if self._test_data is not None:
            facts["test_loss"] = float(kernels.loss(w, self._test_data))
            facts["test_accuracy"] = self.accuracy(w, self.X_test, self.y_test)
        return facts

    def __reduce__(self):
        # A plain NetworkProblem again (subclasses with other constructors override this).
        return (_rebuild, (self.network, self.X, self.y, self.X_test, self.y_test,
                           self.space.bound, self.name))


def _rebuild(network, X, y, X_test, y_test, bound, name):
    return NetworkProblem(network, X, y, X_test=X_test, y_test=y_test, bound=bound, name=name)
