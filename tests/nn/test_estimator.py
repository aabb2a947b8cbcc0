"""MLPClassifier passes scikit-learn's check_estimator (every check, with SGD and with a
gradient-free optimizer) and works in pipelines and cross-validation."""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from stochsearch.nn import MLPClassifier, datasets
from stochsearch.optimizers import SGD


@parametrize_with_checks([MLPClassifier(),
                          MLPClassifier((8,), activation="tanh", optimizer="sa", budget=3000,
                                        init="lsuv")])
def test_scikit_learn_checks(estimator, check):
    check(estimator)


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


def test_any_optimizer_and_parameters():
    data = datasets.moons(200, rng=0)
    for optimizer in ("ga", "rhc", SGD(0.1)):
        clf = MLPClassifier((6,), activation="tanh", optimizer=optimizer, budget=4000,
                            random_state=np.random.RandomState(0))
        assert clf.fit(data.X_train, data.y_train).score(data.X_test, data.y_test) > 0.8
    clf = MLPClassifier(optimizer=SGD(0.1, update="adam"))
    params = clf.get_params(deep=True)
    assert params["optimizer__learning_rate"] == 0.1 and params["optimizer__update"] == "adam"
    clf.set_params(optimizer__batch_size=8, epochs=3)
    assert clf.optimizer.batch_size == 8 and clone(clf).optimizer == clf.optimizer
    fitted = clf.fit(data.X_train, data.y_train)
    assert fitted.n_iter_ == 3.0 and fitted.result_.nfev == 3 * len(data.y_train)
    assert fitted.coefs_.shape == (fitted.network_.n_params,)


@pytest.mark.parametrize("params,message", [
    (dict(hidden_layer_sizes=(4, 0)), "hidden_layer_sizes must be positive integers"),
    (dict(activation="swish"), "activation must be one of"),
    (dict(optimizer=3), "optimizer must be None, an optimizer name or an Optimizer, got 3"),
    (dict(epochs=0), "epochs must be a positive integer, got 0"),
])
def test_errors(params, message):
    with pytest.raises((ValueError, TypeError)) as info:
        MLPClassifier(**params).fit(np.ones((4, 2)), [0, 1, 0, 1])
    assert message in str(info.value)
