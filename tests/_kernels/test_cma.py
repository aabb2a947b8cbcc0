"""The CMA-ES kernel against the plain-Python reference of tests/reference/cma.py: same draws,
same arithmetic, identical trajectories; and its pieces (Jacobi eigensolver, stable sort)
against numpy."""
from __future__ import annotations

import numpy as np
import pytest

import stochsearch as ss
from stochsearch._kernels import dense
from tests.conftest import _rastrigin
from tests.reference import cma as ref

DIM = 4
LOWER, UPPER = np.full(DIM, -5.12), np.array([5.12, 5.12, 4.0, 6.0])
DATA = np.random.default_rng(0).uniform(-2, 2, DIM)
CORNER = np.array([5.0, -5.1, 3.99, 5.9])     # an optimum close to the bounds


def rastrigin(x):
    return _rastrigin(np.asarray(x), DATA)


def near_bound(x):
    return float(np.sum((np.asarray(x) - CORNER) ** 2 * np.array([1.0, 10.0, 100.0, 1e3])))


def slope(x):
    return float(np.sum((UPPER - np.asarray(x)) * np.array([1.0, 3.0, 10.0, 30.0])))


FUNCTIONS = {"rastrigin": rastrigin, "near-bound": near_bound, "slope": slope}


@pytest.mark.parametrize("budget", [1, 7, 400, 3000])
@pytest.mark.parametrize("function", sorted(FUNCTIONS))
@pytest.mark.parametrize("case", [
    dict(),
    dict(adapt_covariance=False),
    dict(adapt_step=False, sigma0=0.05),
    dict(pop_size=5, tol_x=1e-4, pop_factor=1.5, restarts=4),
    dict(restarts=0, tol_fun=1e-3),
    dict(boundary="penalty"),
    dict(boundary="penalty", active=False, pop_size=7, sigma0=0.6),
], ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()) or "defaults")
def test_cma_matches_reference(case, function, budget):
    fun = FUNCTIONS[function]
    problem = ss.Problem(ss.Real(LOWER, UPPER), fun=fun)
    result = ss.CMAES(**case).run(problem, budget, rng=5, history=budget)
    best, x, trace, restarts = ref.cma_es(fun, LOWER, UPPER, budget, np.random.default_rng(5),
                                          **case)
    assert result.fun == best
    np.testing.assert_array_equal(result.x, x)
    assert np.array_equal(result.history.nfev, np.arange(1, result.nfev + 1))
    np.testing.assert_array_equal(result.history.fun, trace)
    assert result.info["restarts"] == restarts


def test_the_comparison_covers_restarts_and_the_penalty():
    """The cases above do restart and do rank points outside the box."""
    problem = ss.Problem(ss.Real(LOWER, UPPER), fun=slope)
    result = ss.CMAES(pop_size=5, tol_x=1e-4, pop_factor=1.5, restarts=4).run(problem, 3000,
                                                                              rng=5)
    assert result.info["restarts"] >= 2
    state = ss.CMAES(boundary="penalty").init(problem, 3000, rng=5)
    while not state.done and state.nfev < 400:
        X = state.optimizer.ask(state)
        state.optimizer.tell(state, X, problem.evaluate(X))
    assert state.fields.gamma_set == 1


@pytest.mark.parametrize("n", [1, 2, 5, 12])
def test_jacobi_eigen_matches_numpy(n):
    rng = np.random.default_rng(n)
    Q = np.linalg.qr(rng.standard_normal((n, n)))[0]
    values = 10.0 ** rng.uniform(-6, 6, n)
    C = (Q * values) @ Q.T
    C = (C + C.T) / 2
    A, V, T = np.zeros((n, n)), np.eye(n), np.zeros((n, n))
    dense.congruence(C, V, T, A, n)
    cold = dense.jacobi_eigen(A, V, n)
    assert cold > 0
    found = np.diag(A)
    np.testing.assert_allclose(np.sort(found), np.sort(np.linalg.eigvalsh(C)), rtol=1e-8,
                               atol=1e-12 * values.max())
    np.testing.assert_allclose(V.T @ V, np.eye(n), atol=1e-12)
    np.testing.assert_allclose((V * found) @ V.T, C, atol=1e-9 * values.max())
    expected = ref.jacobi(C.tolist())
    np.testing.assert_array_equal(found, expected[0])
    np.testing.assert_array_equal(V, np.array(expected[1]))
    # From a nearly diagonalizing basis, the same decomposition in fewer sweeps.
    C2 = C + 1e-3 * values.min() * np.diag(rng.uniform(0, 1, n))
    A2, V2 = np.zeros((n, n)), V.copy()
    dense.congruence(C2, V2, T, A2, n)
    assert dense.jacobi_eigen(A2, V2, n) <= min(cold, 3)
    np.testing.assert_allclose((V2 * np.diag(A2)) @ V2.T, C2, atol=1e-9 * values.max())
    np.testing.assert_allclose(V2.T @ V2, np.eye(n), atol=1e-12)


@pytest.mark.parametrize("n", [1, 2, 3, 8, 33, 100])
def test_sort_by_is_numpys_stable_argsort(n):
    keys = np.random.default_rng(n).integers(0, 5, n).astype(float)
    keys[::7] = np.inf
    order, merge = np.zeros(n, np.int64), np.zeros(n, np.int64)
    dense.sort_by(keys, order, merge, n)
    np.testing.assert_array_equal(order, np.argsort(keys, kind="stable"))
