"""``MLPClassifier`` and ``MLPRegressor``: scikit-learn estimators trained by any stochsearch
optimizer.

With SGD (the default, with Adam as scikit-learn's) they train with gradients; with the
genetic algorithm, annealing or hill climbing they search the weights without. They take
scikit-learn's ``max_iter``, ``alpha``, ``tol``, ``n_iter_no_change``, ``early_stopping``,
``validation_fraction``, ``warm_start``, ``verbose`` and ``partial_fit`` with its meanings, and
work in pipelines, grid searches and cross-validation like any scikit-learn estimator.
"""
from __future__ import annotations

import math
import numbers
import warnings

import numpy as np
from numpy.typing import ArrayLike

from .._optional import require

require("sklearn", "MLPClassifier and MLPRegressor (scikit-learn estimators)")
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.preprocessing import LabelEncoder  # noqa: E402
from sklearn.utils.multiclass import check_classification_targets  # noqa: E402
from sklearn.utils.validation import check_is_fitted, validate_data  # noqa: E402

from .._rng import as_generator
from .._validation import check_int, check_real, describe
from ..optimizers.base import Optimizer
from ..registry import OPTIMIZERS
from ._training import Session, iteration_size
from .mlp import MLP
from .problem import NetworkProblem

__all__ = ["MLPClassifier", "MLPRegressor"]

_PARAMETERS = """
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
        The ``init=`` of the first run (``"glorot_uniform"``, ``"he_normal"``, ``"pytorch"``...).
    alpha : float
        L2 penalty, scaled as scikit-learn scales it: ``alpha * ||W||^2 / (2 * m)`` added to the
        mean loss of ``m`` samples (the minibatch for SGD, all the data for full-batch SGD and
        for gradient-free optimizers), biases excluded.
    max_iter : int
        Iterations: epochs (passes over the data) for a gradient method; for a gradient-free
        optimizer, rounds of 100 evaluations of the training loss (each a pass over the data).
    budget : int, optional
        Budget of a ``fit`` in the optimizer's units (sample-gradients, or loss evaluations),
        overriding ``max_iter`` (the iterations are then ``ceil(budget / iteration)``).
    tol, n_iter_no_change : float, int
        Training stops when the training loss (with ``early_stopping``: the validation score)
        has not improved by ``tol`` for more than ``n_iter_no_change`` iterations.
    early_stopping : bool
        Hold out ``validation_fraction`` of the data (stratified for a classifier), score the
        network on it after each iteration, stop as above and keep the best-scoring weights.
    validation_fraction : float
        The held-out fraction, in (0, 1).
    warm_start : bool
        ``fit`` continues from the current weights (and a gradient method's update memory,
        e.g. Adam's moments); ``loss_curve_`` goes on.
    verbose : bool
        Print the loss (and validation score) after each iteration.
    bound : float
        Weights lie in ``[-bound, bound]``.
    random_state : None, int, Generator or RandomState
        Seeds the initialization, the validation split and the optimizer.

    Attributes
    ----------
    n_features_in_ : int
    network_ : MLP
    coefs_ : ndarray
        The flat parameter vector (``network_.unpack(coefs_)`` gives the layers).
    loss_ : float
        The training loss after the last iteration.
    loss_curve_ : list of float
        The training loss (with its penalty, on all the training data) after each iteration;
        for a gradient-free optimizer the best loss found so far.
    best_loss_ : float or None
        The lowest of ``loss_curve_`` (None with ``early_stopping``).
    validation_scores_, best_validation_score_ : list, float or None
        With ``early_stopping``: the score on the held-out data after each iteration, and the
        best of them (else None).
    n_iter_ : int
        Iterations run by the last ``fit`` or ``partial_fit``.
    t_ : int
        Training samples seen by gradient steps (sample-gradients), or loss evaluations.
    result_ : OptimizeResult
        The optimizer's result for the last ``fit`` or ``partial_fit``.
"""


class _MLP(BaseEstimator):
    """What the classifier and the regressor share: the parameters, the training loop."""

    _output: str = "linear"

    def __init__(self, hidden_layer_sizes=(100,), activation: str = "relu", optimizer=None,
                 init="glorot_uniform", alpha: float = 0.0001, max_iter: int = 200,
                 budget: int | None = None, tol: float = 1e-4, n_iter_no_change: int = 10,
                 early_stopping: bool = False, validation_fraction: float = 0.1,
                 warm_start: bool = False, verbose: bool = False, bound: float = 10.0,
                 random_state=None):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.optimizer = optimizer
        self.init = init
        self.alpha = alpha
        self.max_iter = max_iter
        self.budget = budget
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.warm_start = warm_start
        self.verbose = verbose
        self.bound = bound
        self.random_state = random_state

    # --- training --------------------------------------------------------------------------
    def _train(self, X, Y, incremental: bool):
        """Fit on the encoded targets ``Y`` (one ``partial_fit`` iteration if incremental)."""
        optimizer = self._optimizer()
        alpha = check_real("alpha", self.alpha, low=0.0)
        max_iter = check_int("max_iter", self.max_iter, low=1)
        budget = check_int("budget", self.budget, low=1, allow_none=True)
        tol = check_real("tol", self.tol, low=0.0)
        patience = check_int("n_iter_no_change", self.n_iter_no_change, low=1)
        early = bool(self.early_stopping)
        if early and incremental:
            raise ValueError("partial_fit does not support early_stopping=True")
        fresh = not hasattr(self, "coefs_") or (not self.warm_start and not incremental)
        if fresh or not hasattr(self, "_rng"):
            self._rng = as_generator(_seed(self.random_state))[0]
        sizes = (X.shape[1], *self._hidden(), self._n_outputs(Y))
        if not fresh and sizes != self.network_.sizes:
            raise ValueError(f"the network has layers {self.network_.sizes}; warm_start and "
                             f"partial_fit need data that fit them, got layers {sizes}")
        X_val = Y_val = None
        if early:
            X, X_val, Y, Y_val = self._split(X, Y)
        n = X.shape[0]
        batch = getattr(optimizer, "batch_size", None) if optimizer.uses_gradient else None
        penalty = alpha / (n if batch is None else min(batch, n))
        network = MLP(sizes, activation=self.activation, output=self._output, l2=penalty)
        problem = NetworkProblem(network, X, Y, bound=self.bound, name=type(self).__name__)
        unit = iteration_size(optimizer, n)
        iterations = 1 if incremental else (max_iter if budget is None
                                            else math.ceil(budget / unit))
        total = unit if incremental else (budget or iterations * unit)
        if fresh:
            self.network_ = network
            self.loss_curve_, self.t_, self._memory = [], 0, None
            self.best_loss_ = None if early else np.inf
            self.validation_scores_ = [] if early else None
            self.best_validation_score_ = -np.inf if early else None
            start = self.init
        else:
            start = self.coefs_
        session = Session(optimizer, problem, total, self._rng, start, self._memory)
        self._loop(session, iterations, unit, tol, patience, X_val, Y_val, incremental)
        self._memory = session.memory()
        self.result_ = session.optimizer.result(session.state)
        return self

    def _loop(self, session, iterations, unit, tol, patience, X_val, Y_val, incremental):
        early = X_val is not None
        stale, best_w = 0, None
        self.n_iter_ = 0
        for _ in range(iterations):
            before = session.nfev
            session.advance(unit)
            if session.nfev == before:
                break                               # the run stopped (e.g. diverged)
            self.n_iter_ += 1
            self.t_ += session.nfev - before
            self.coefs_ = session.weights()
            self.loss_ = session.loss()
            self.loss_curve_.append(self.loss_)
            if self.verbose:
                print(f"Iteration {self.n_iter_}, loss = {self.loss_:.8f}")
            if early:
                score = self._score_encoded(X_val, Y_val)
                self.validation_scores_.append(score)
                if self.verbose:
                    print(f"Validation score: {score:f}")
                stale = stale + 1 if score < self.best_validation_score_ + tol else 0
                if score > self.best_validation_score_:
                    self.best_validation_score_, best_w = score, self.coefs_.copy()
            else:
                stale = stale + 1 if self.loss_ > self.best_loss_ - tol else 0
                self.best_loss_ = min(self.best_loss_, self.loss_)
            if stale > patience:
                if self.verbose:
                    what = "Validation score" if early else "Training loss"
                    print(f"{what} did not improve more than tol={tol:f} for {patience} "
                          f"consecutive epochs. Stopping.")
                break
            if not session.running:
                break
        if not incremental and self.n_iter_ == iterations and stale <= patience:
            warnings.warn(f"Stochastic Optimizer: Maximum iterations ({iterations}) reached "
                          "and the optimization hasn't converged yet.", ConvergenceWarning,
                          stacklevel=4)
        if early and best_w is not None:
            self.coefs_ = best_w

    def _split(self, X, Y):
        fraction = check_real("validation_fraction", self.validation_fraction, low=0.0,
                              high=1.0, low_open=True, high_open=True)
        stratify = Y if self._output != "linear" and Y.ndim == 1 else None
        seed = int(self._rng.integers(np.iinfo(np.int32).max))
        X, X_val, Y, Y_val = train_test_split(X, Y, test_size=fraction, random_state=seed,
                                              stratify=stratify)
        if X_val.shape[0] < 2:
            raise ValueError("The validation set is too small. Increase 'validation_fraction' "
                             "or the size of your dataset.")
        return X, X_val, Y, Y_val

    def _predict_raw(self, X) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return self.network_.predict(self.coefs_, X)

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


class MLPClassifier(ClassifierMixin, _MLP):
    __doc__ = ("""A multilayer perceptron classifier whose weights any stochsearch optimizer
    can train (sigmoid output for two classes, softmax for more; log-loss).
""" + _PARAMETERS + """    classes_ : ndarray

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
    """)

    def fit(self, X: ArrayLike, y: ArrayLike) -> MLPClassifier:
        """Train on ``X`` (rows) and class labels ``y``; return self."""
        X, y = validate_data(self, X, y, dtype=np.float64,
                             reset=not (self.warm_start and hasattr(self, "coefs_")))
        check_classification_targets(y)
        classes = np.unique(y)
        if len(classes) < 2:
            raise ValueError(f"MLPClassifier needs at least two classes in y, got 1 class "
                             f"({classes[0]!r})")
        if self.warm_start and hasattr(self, "classes_") and \
                not np.array_equal(classes, self.classes_):
            raise ValueError(f"warm_start can only be used where y has the same classes as "
                             f"in the previous call to fit: {self.classes_} before, "
                             f"{classes} now")
        self._encoder = LabelEncoder().fit(classes)
        self.classes_ = self._encoder.classes_
        return self._train(X, self._encoder.transform(y), incremental=False)

    def partial_fit(self, X: ArrayLike, y: ArrayLike,
                    classes: ArrayLike | None = None) -> MLPClassifier:
        """One iteration over ``(X, y)``; ``classes`` (every label y may ever hold) is needed
        on the first call. Return self."""
        first = not hasattr(self, "coefs_")
        X, y = validate_data(self, X, y, dtype=np.float64, reset=first)
        check_classification_targets(y)
        if first:
            if classes is None:
                raise ValueError("classes must be passed on the first call to partial_fit.")
            classes = np.unique(classes)
            if len(classes) < 2:
                raise ValueError(f"MLPClassifier needs at least two classes, got "
                                 f"{describe(classes)}")
            self._encoder = LabelEncoder().fit(classes)
            self.classes_ = self._encoder.classes_
        elif classes is not None and not np.array_equal(np.unique(classes), self.classes_):
            raise ValueError(f"`classes={classes!r}` is not the same as on the first call to "
                             f"partial_fit: {self.classes_}")
        unknown = np.setdiff1d(y, self.classes_)
        if unknown.size:
            raise ValueError(f"y has labels not in classes {self.classes_}: {unknown}")
        return self._train(X, self._encoder.transform(y), incremental=True)

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        """Class probabilities, one column per class of ``classes_``."""
        P = self._predict_raw(X)
        return np.column_stack([1.0 - P[:, 0], P[:, 0]]) if P.shape[1] == 1 else P

    def predict(self, X: ArrayLike) -> np.ndarray:
        """The most probable class of each row of ``X``."""
        P = self.predict_proba(X)
        return self.classes_[np.argmax(P, axis=1)]

    def _n_outputs(self, Y) -> int:
        return 1 if len(self.classes_) == 2 else len(self.classes_)

    @property
    def _output(self):
        return "sigmoid" if len(self.classes_) == 2 else "softmax"

    def _score_encoded(self, X, Y) -> float:
        P = self.network_.predict(self.coefs_, X)
        labels = (P[:, 0] > 0.5).astype(int) if P.shape[1] == 1 else np.argmax(P, axis=1)
        return float(np.mean(labels == Y))


class MLPRegressor(RegressorMixin, _MLP):
    __doc__ = ("""A multilayer perceptron regressor whose weights any stochsearch optimizer
    can train (identity output, squared error ``mean((y - f(x))^2) / 2``; ``score`` is R²).
""" + _PARAMETERS + """
    Examples
    --------
    >>> from stochsearch.optimizers import SGD
    >>> X = np.linspace(-2, 2, 200).reshape(-1, 1)
    >>> reg = MLPRegressor((16,), activation="tanh", optimizer=SGD(0.05, batch_size=16),
    ...                    max_iter=300, random_state=0).fit(X, np.sin(X).ravel())
    >>> reg.score(X, np.sin(X).ravel()) > 0.98
    True
    """)

    def fit(self, X: ArrayLike, y: ArrayLike) -> MLPRegressor:
        """Train on ``X`` (rows) and targets ``y`` (one or several columns); return self."""
        X, y = validate_data(self, X, y, dtype=np.float64, multi_output=True, y_numeric=True,
                             reset=not (self.warm_start and hasattr(self, "coefs_")))
        return self._train(X, self._targets(y), incremental=False)

    def partial_fit(self, X: ArrayLike, y: ArrayLike) -> MLPRegressor:
        """One iteration over ``(X, y)``; return self."""
        X, y = validate_data(self, X, y, dtype=np.float64, multi_output=True, y_numeric=True,
                             reset=not hasattr(self, "coefs_"))
        return self._train(X, self._targets(y), incremental=True)

    def predict(self, X: ArrayLike) -> np.ndarray:
        """The network's outputs: shape ``(n,)`` if it was fitted on a 1-D ``y``."""
        P = self._predict_raw(X)
        return P[:, 0] if self._flat else P

    def _targets(self, y) -> np.ndarray:
        self._flat = y.ndim == 1
        return np.asarray(y, dtype=float).reshape(len(y), -1)

    def _n_outputs(self, Y) -> int:
        return Y.shape[1]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _score_encoded(self, X, Y) -> float:
        P = self.network_.predict(self.coefs_, X)
        residual = ((Y - P) ** 2).sum(axis=0)
        total = ((Y - Y.mean(axis=0)) ** 2).sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            r2 = np.where(total > 0, 1.0 - residual / total, 0.0)
        return float(np.mean(r2))


def _seed(random_state):
    """scikit-learn's ``random_state`` as stochsearch's ``rng`` (a RandomState gives a seed
    drawn from it)."""
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(np.iinfo(np.int32).max))
    return random_state
