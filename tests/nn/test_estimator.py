"""MLPClassifier and MLPRegressor pass scikit-learn's check_estimator (with SGD and with a
gradient-free optimizer), work in pipelines and cross-validation, and give max_iter, alpha,
tol, warm_start, partial_fit, early_stopping and verbose scikit-learn's meanings."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from stochsearch.nn import MLP, MLPClassifier, MLPRegressor, datasets
from stochsearch.optimizers import SGD


@parametrize_with_checks([MLPClassifier(),
                          MLPClassifier((8,), activation="tanh", optimizer="sa", budget=3000,
                                        init="lsuv"),
                          MLPRegressor(),
                          MLPRegressor((8,), activation="tanh", optimizer="rhc", budget=3000)])
def test_scikit_learn_checks(estimator, check):
    check(estimator)


@pytest.fixture(scope="module")
def moons():
    return datasets.moons(200, rng=0)


def _sgd_classifier(**params):
    params = dict(activation="tanh", optimizer=SGD(0.1, update="adam", batch_size=16),
                  random_state=0, tol=0.0, n_iter_no_change=1000) | params
    return MLPClassifier((6,), **params)


def test_pipeline_cross_validation_and_string_labels():
    data = datasets.iris(standardize=False, rng=0)
    X, y = data.X_train, np.array(["setosa", "versicolor", "virginica"])[data.y_train]
    model = make_pipeline(StandardScaler(),
                          MLPClassifier((16,), activation="tanh", random_state=0,
                                        optimizer=SGD(0.05, update="momentum", batch_size=16)))
    scores = cross_val_score(model, X, y, cv=3)
    assert scores.mean() > 0.9
    model.fit(X, y)
    assert set(model.predict(X)) <= {"setosa", "versicolor", "virginica"}
    np.testing.assert_allclose(model.predict_proba(X).sum(axis=1), 1.0)


def test_any_optimizer_and_parameters(moons):
    data = moons
    for optimizer in ("ga", "rhc", SGD(0.1)):
        clf = MLPClassifier((6,), activation="tanh", optimizer=optimizer, budget=4000,
                            random_state=np.random.RandomState(0))
        assert clf.fit(data.X_train, data.y_train).score(data.X_test, data.y_test) > 0.8
    clf = MLPClassifier(optimizer=SGD(0.1, update="adam"))
    params = clf.get_params(deep=True)
    assert params["optimizer__learning_rate"] == 0.1 and params["optimizer__update"] == "adam"
    clf.set_params(optimizer__batch_size=8, max_iter=3)
    assert clf.optimizer.batch_size == 8 and clone(clf).optimizer == clf.optimizer
    fitted = clf.fit(data.X_train, data.y_train)
    assert fitted.n_iter_ == 3 and fitted.result_.nfev == 3 * len(data.y_train)
    assert fitted.coefs_.shape == (fitted.network_.n_params,)


def test_max_iter_counts_epochs_and_warns(moons):
    clf = _sgd_classifier(max_iter=7)
    with pytest.warns(ConvergenceWarning, match=r"Maximum iterations \(7\)"):
        clf.fit(moons.X_train, moons.y_train)
    n = len(moons.y_train)
    assert clf.n_iter_ == 7 and len(clf.loss_curve_) == 7 and clf.t_ == 7 * n
    assert clf.result_.info["epochs"] == 7.0
    assert clf.loss_ == clf.loss_curve_[-1] and clf.best_loss_ == min(clf.loss_curve_)
    assert clf.validation_scores_ is None and clf.best_validation_score_ is None


def test_tol_stops_when_the_loss_stalls(moons):
    # A learning rate of 1e-12: the loss hardly moves, so training stops after
    # n_iter_no_change + 1 iterations without improvement by tol (scikit-learn's count).
    clf = _sgd_classifier(optimizer=SGD(1e-12, batch_size=16), tol=1e-4, n_iter_no_change=3,
                          max_iter=50)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        clf.fit(moons.X_train, moons.y_train)
    assert clf.n_iter_ == 5 and np.ptp(clf.loss_curve_) < 1e-8


def test_loss_curve_is_the_penalized_training_loss(moons):
    alpha, batch = 0.5, 16
    clf = _sgd_classifier(alpha=alpha, max_iter=3).fit(moons.X_train, moons.y_train)
    plain = MLP(clf.network_.sizes, activation="tanh", output="sigmoid")
    data_loss = plain.loss(clf.coefs_, moons.X_train, moons.y_train)
    kernels = sum(float(np.sum(W ** 2)) for W, _ in plain.unpack(clf.coefs_))
    assert clf.loss_ == pytest.approx(data_loss + alpha * kernels / (2 * batch), rel=1e-12)


def test_alpha_shrinks_the_weights(moons):
    norms = []
    for alpha in (0.0, 1.0, 10.0):
        clf = _sgd_classifier(alpha=alpha, max_iter=30)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(moons.X_train, moons.y_train)
        norms.append(sum(float(np.sum(W ** 2)) for W, _ in clf.network_.unpack(clf.coefs_)))
    assert norms[0] > norms[1] > norms[2]


def test_warm_start_continues_exactly_where_fit_stopped(moons):
    X, y = moons.X_train, moons.y_train
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        whole = _sgd_classifier(max_iter=10).fit(X, y)
        warm = _sgd_classifier(max_iter=4, warm_start=True).fit(X, y)
        first_curve = list(warm.loss_curve_)
        warm.set_params(max_iter=6).fit(X, y)
        cold = _sgd_classifier(max_iter=4).fit(X, y)
        cold.set_params(max_iter=6).fit(X, y)
    # Weights, Adam's moments and the random stream go on: as one run of 10 epochs.
    assert warm.n_iter_ == 6 and warm.loss_curve_[:4] == first_curve
    assert warm.loss_curve_ == whole.loss_curve_
    np.testing.assert_array_equal(warm.coefs_, whole.coefs_)
    # Without warm_start, the second fit starts over.
    assert len(cold.loss_curve_) == 6 and cold.loss_curve_[0] == whole.loss_curve_[0]


def test_partial_fit_is_one_epoch_and_continues(moons):
    X, y = moons.X_train, moons.y_train
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        whole = _sgd_classifier(max_iter=5).fit(X, y)
    clf = _sgd_classifier()
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        clf.partial_fit(X, y)
    for _ in range(5):
        clf.partial_fit(X, y, classes=[0, 1])
        assert clf.n_iter_ == 1
    assert clf.loss_curve_ == whole.loss_curve_ and clf.t_ == 5 * len(y)
    np.testing.assert_array_equal(clf.coefs_, whole.coefs_)
    # after fit, partial_fit goes on from the fitted weights, one epoch on new data
    clf.partial_fit(X[:50], y[:50])
    assert len(clf.loss_curve_) == 6 and clf.t_ == 5 * len(y) + 50
    with pytest.raises(ValueError, match="not in classes"):
        clf.partial_fit(X[:4], [0, 1, 2, 1])
    with pytest.raises(ValueError, match="expecting 2 features"):
        clf.partial_fit(X[:4, :1], y[:4])
    with pytest.raises(ValueError, match="early_stopping"):
        _sgd_classifier(early_stopping=True).partial_fit(X, y, classes=[0, 1])


def test_early_stopping_stops_and_keeps_the_best_weights(moons):
    X, y = moons.X_train, moons.y_train
    clf = _sgd_classifier(early_stopping=True, tol=1e-4, n_iter_no_change=5, max_iter=500,
                          validation_fraction=0.2)
    clf.fit(X, y)
    scores = clf.validation_scores_
    assert clf.n_iter_ < 500 and len(scores) == clf.n_iter_ == len(clf.loss_curve_)
    assert clf.best_validation_score_ == max(scores) and clf.best_loss_ is None
    # the held-out split is seeded by the estimator's first draw: rebuild it
    seed = int(np.random.default_rng(0).integers(np.iinfo(np.int32).max))
    X_fit, X_val, y_fit, y_val = train_test_split(X, y, test_size=0.2, random_state=seed,
                                                  stratify=y)
    assert clf.t_ == clf.n_iter_ * len(y_fit)
    assert clf.score(X_val, y_val) == clf.best_validation_score_
    # the last iterate is not the kept one when the best came earlier
    assert scores.index(max(scores)) < len(scores) - 1


def test_gradient_free_iterations_are_rounds_of_evaluations(moons):
    clf = MLPClassifier((6,), activation="tanh", optimizer="sa", max_iter=12, tol=0.0,
                        n_iter_no_change=100, random_state=0)
    with pytest.warns(ConvergenceWarning):
        clf.fit(moons.X_train, moons.y_train)
    assert clf.n_iter_ == 12 and clf.result_.nfev == 1200 and clf.t_ == 1200
    assert np.all(np.diff(clf.loss_curve_) <= 0)      # the best loss found so far
    assert clf.loss_ == clf.result_.fun
    clf.set_params(warm_start=True, max_iter=3)
    with pytest.warns(ConvergenceWarning):
        clf.fit(moons.X_train, moons.y_train)
    assert len(clf.loss_curve_) == 15 and clf.loss_curve_[-1] <= clf.loss_curve_[11]


def test_verbose_prints_each_iteration(moons, capsys):
    _sgd_classifier(max_iter=2, verbose=True, early_stopping=True).fit(moons.X_train,
                                                                       moons.y_train)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Iteration 1, loss = ") and out[1].startswith("Validation score")
    assert out[2].startswith("Iteration 2, loss = ")


def test_regressor_fits_single_and_multiple_outputs():
    X = np.linspace(-2, 2, 200).reshape(-1, 1)
    Y = np.column_stack([np.sin(X[:, 0]), np.cos(X[:, 0])])
    reg = MLPRegressor((16,), activation="tanh", optimizer=SGD(0.05, batch_size=16),
                       max_iter=300, random_state=0)
    assert reg.fit(X, Y[:, 0]).predict(X).shape == (200,)
    assert reg.score(X, Y[:, 0]) > 0.98 and reg.network_.output == "linear"
    assert reg.fit(X, Y).predict(X).shape == (200, 2)
    assert reg.score(X, Y) > 0.95
    half = reg.loss_ * 2
    assert half == pytest.approx(np.mean((reg.predict(X) - Y) ** 2) * 2 + 2 * reg.alpha *
                                 sum(float(np.sum(W ** 2))
                                     for W, _ in reg.network_.unpack(reg.coefs_)) / 16 / 2,
                                 rel=1e-9)
    early = MLPRegressor((16,), activation="tanh", optimizer=SGD(0.05, batch_size=16),
                         max_iter=300, early_stopping=True, random_state=0).fit(X, Y[:, 0])
    assert early.best_validation_score_ > 0.9 and early.n_iter_ < 300


@pytest.mark.parametrize("params,message", [
    (dict(hidden_layer_sizes=(4, 0)), "hidden_layer_sizes must be positive integers"),
    (dict(activation="swish"), "activation must be one of"),
    (dict(optimizer=3), "optimizer must be None, an optimizer name or an Optimizer, got 3"),
    (dict(max_iter=0), "max_iter must be a positive integer, got 0"),
    (dict(alpha=-1.0), "alpha must be"),
    (dict(early_stopping=True, validation_fraction=1.0), "validation_fraction must be"),
    (dict(n_iter_no_change=0), "n_iter_no_change must be a positive integer, got 0"),
])
def test_errors(params, message):
    with pytest.raises((ValueError, TypeError)) as info:
        MLPClassifier(**params).fit(np.ones((4, 2)), [0, 1, 0, 1])
    assert message in str(info.value)
