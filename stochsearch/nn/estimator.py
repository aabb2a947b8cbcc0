"""``MLPClassifier``: a scikit-learn classifier trained by any stochsearch optimizer.

With SGD (the default, with Adam as scikit-learn's) it trains with gradients; with the genetic
algorithm, annealing or hill climbing it searches the weights without. It works in pipelines,
grid searches and cross-validation like any scikit-learn estimator.
"""
from __future__ import annotations

import numbers

import numpy as np

from .._optional import require

require("sklearn", "MLPClassifier (a scikit-learn estimator)")
from sklearn.base import BaseEstimator, ClassifierMixin  # noqa: E402
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from .._validation import check_int, describe
from ..optimizers.base import Optimizer
from ..registry import OPTIMIZERS
from .mlp import MLP
from .problem import NetworkProblem

__all__ = ["MLPClassifier"]


class MLPClassifier(ClassifierMixin, BaseEstimator):
    """A multilayer perceptron classifier whose weights any stochsearch optimizer can train.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int
        Units of each hidden layer.
    activation : str
        Hidden activation (see ``MLP``).
    optimizer : None, str or Optimizer
        None is ``SGD(learning_rate=0.001, update="adam", batch_size=200)`` (scikit-learn's
        default solver); a registry name (``"sgd"``, ``"ga"``, ``"sa"``, ``"rhc"``...) uses that
        optimizer's defaults; an instance is used as it is (never modified).
    init : str, initializer or callable
        The ``init=`` of the run (``"glorot_uniform"``, ``"he_normal"``, ``"pytorch"``...).
    epochs : int
        Passes over the training data of a gradient method (the budget is ``epochs`` times the
        number of samples, in sample-gradients).
    budget : int, optional
        Evaluations of the run, overriding ``epochs`` (default for gradient-free optimizers:
        ``100 * epochs`` objective evaluations).
    l2 : float
        Weight of the penalty ``0.5 * l2 * sum W^2``.
    bound : float
        Weights lie in ``[-bound, bound]``.
    random_state : None, int, Generator or RandomState
        Seeds the initialization and the optimizer.

    Attributes
    ----------
    classes_, n_features_in_ : as in scikit-learn
    network_ : MLP
    coefs_ : ndarray
        The flat parameter vector (``network_.unpack(coefs_)`` gives the layers).
    result_ : OptimizeResult
        The optimizer's result (``result_.info`` holds epochs and the training accuracy).

    Examples
    --------
    >>> from sklearn.datasets import make_moons
    >>> from stochsearch.optimizers import SGD
    >>> X, y = make_moons(200, noise=0.1, random_state=0)
    >>> clf = MLPClassifier((10,), activation="tanh", optimizer=SGD(0.1, batch_size=16),
    ...                     random_state=0).fit(X, y)
    >>> clf.score(X, y) > 0.95
    True
    >>> annealed = MLPClassifier((10,), activation="tanh", optimizer="sa", random_state=0)
    >>> annealed.fit(X, y).score(X, y) > 0.95
    True
    """

    def __init__(self, hidden_layer_sizes=(100,), activation: str = "relu", optimizer=None,
                 init="glorot_uniform", epochs: int = 200, budget: int | None = None,
                 l2: float = 0.0, bound: float = 10.0, random_state=None):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.optimizer = optimizer
        self.init = init
        self.epochs = epochs
        self.budget = budget
        self.l2 = l2
        self.bound = bound
        self.random_state = random_state

    def fit(self, X, y):
        """Train on ``X`` (rows) and class labels ``y``; return self."""
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        encoder = LabelEncoder().fit(y)
        self.classes_ = encoder.classes_
        if len(self.classes_) < 2:
            raise ValueError(f"MLPClassifier needs at least two classes in y, got 1 class "
                             f"({self.classes_[0]!r})")
        labels = encoder.transform(y)
        binary = len(self.classes_) == 2
        hidden = self._hidden()
        self.network_ = MLP((X.shape[1], *hidden, 1 if binary else len(self.classes_)),
                            activation=self.activation,
                            output="sigmoid" if binary else "softmax", l2=self.l2)
        problem = NetworkProblem(self.network_, X, labels, bound=self.bound,
                                 name="MLPClassifier")
        optimizer = self._optimizer()
        epochs = check_int("epochs", self.epochs, low=1)
        budget = check_int("budget", self.budget, low=1, allow_none=True)
        if budget is None:
            budget = epochs * X.shape[0] if optimizer.uses_gradient else 100 * epochs
        self.result_ = optimizer.run(problem, budget, rng=_seed(self.random_state),
                                     init=self.init)
        self.coefs_ = self.result_.x
        self.n_iter_ = self.result_.info.get("epochs", self.result_.nit)
        self.loss_ = self.result_.fun
        return self

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, one column per class of ``classes_``."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        P = self.network_.predict(self.coefs_, X)
        return np.column_stack([1.0 - P[:, 0], P[:, 0]]) if P.shape[1] == 1 else P

    def predict(self, X) -> np.ndarray:
        """The most probable class of each row of ``X``."""
        P = self.predict_proba(X)
        return self.classes_[np.argmax(P, axis=1)]

    def _hidden(self) -> tuple[int, ...]:
        sizes = self.hidden_layer_sizes
        sizes = (sizes,) if isinstance(sizes, numbers.Integral) else tuple(sizes)
        if not all(isinstance(s, numbers.Integral) and s >= 1 for s in sizes):
            raise ValueError(f"hidden_layer_sizes must be positive integers, got "
                             f"{describe(self.hidden_layer_sizes)}")
        return sizes

    def _optimizer(self) -> Optimizer:
        spec = self.optimizer
        if spec is None:
            from ..optimizers.sgd import SGD
            return SGD(learning_rate=0.001, update="adam", batch_size=200)
        if isinstance(spec, str):
            return OPTIMIZERS.get(spec)()
        if isinstance(spec, Optimizer):
            return spec
        raise TypeError(f"optimizer must be None, an optimizer name or an Optimizer, got "
                        f"{describe(spec)}")


def _seed(random_state):
    """scikit-learn's ``random_state`` as stochsearch's ``rng`` (a RandomState gives a seed
    drawn from it)."""
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(np.iinfo(np.int32).max))
    return random_state
