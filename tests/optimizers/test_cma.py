import math

import numpy as np
import pytest

import stochsearch as ss
from stochsearch.problems import Ellipsoid, LinearSlope, Rastrigin, Sphere


def test_solves_rotated_ill_conditioned_ellipsoid():
    for seed in range(3):
        problem = Ellipsoid(10, shift=True, rotate=True, seed=seed)
        result = ss.CMAES().run(problem, 20_000, rng=seed)
        assert result.fun - problem.f_opt < 1e-8, (seed, result.fun)


def test_covariance_adaptation_is_what_solves_the_rotated_ellipsoid():
    problem = Ellipsoid(10, shift=True, rotate=True, seed=1)
    full = ss.CMAES().run(problem, 10_000, rng=0).fun
    csa_only = ss.CMAES(adapt_covariance=False).run(problem, 10_000, rng=0).fun
    assert full < 1e-8 < csa_only


@pytest.mark.parametrize("boundary", ["reflect", "penalty"])
def test_linear_slope_reaches_its_corner(boundary):
    problem = LinearSlope(5, shift=True, rotate=False, seed=2)
    result = ss.CMAES(boundary=boundary).run(problem, 5_000, rng=0)
    assert result.fun - problem.f_opt < 1e-8


def test_active_covariance_update_learns_faster():
    problem = Ellipsoid(20, shift=True, rotate=True, seed=0)
    evaluations = [ss.CMAES(active=active).run(problem, 40_000, rng=0, termination=ss.TargetValue(
        problem.f_opt + 1e-8)).nfev for active in (True, False)]
    assert evaluations[0] < 0.8 * evaluations[1]


def test_batches_are_the_start_point_then_generations():
    opt = ss.CMAES()
    space = ss.Real(-1.0, 2.0, dim=6)
    state = opt.init(space, 1000, rng=0, init="center")
    x0 = opt.ask(state)
    np.testing.assert_array_equal(x0, [[0.5] * 6])
    opt.tell(state, x0, [1.0])
    X = opt.ask(state)
    assert X.shape == (4 + math.floor(3 * math.log(6)), 6)
    assert np.all((X >= -1.0) & (X <= 2.0))


def test_restarts_zero_is_one_run_that_converges():
    result = ss.CMAES(restarts=0).run(Rastrigin(3, shift=True), 50_000, rng=0, init="center")
    assert result.status == ss.Status.CONVERGED and result.nfev < 50_000
    assert result.info["restarts"] == 0 and result.info["stop_reason"]


def test_ipop_doubles_the_population_at_each_restart():
    result = ss.CMAES().run(Rastrigin(5, shift=True), 30_000, rng=0)
    restarts = result.info["restarts"]
    assert restarts >= 2
    assert result.info["pop_size"] == (4 + math.floor(3 * math.log(5))) * 2 ** restarts


def test_restarts_help_on_a_multimodal_landscape():
    problem = Rastrigin(5, shift=True)
    single = [ss.CMAES(restarts=0).run(problem, 20_000, rng=s).fun for s in range(6)]
    restarted = [ss.CMAES().run(problem, 20_000, rng=s).fun for s in range(6)]
    assert np.median(restarted) < np.median(single)


def test_fixed_step_size_keeps_sigma0():
    result = ss.CMAES(adapt_step=False, sigma0=0.01, restarts=0).run(Sphere(3), 300, rng=0)
    assert result.info["sigma"] == 0.01


def test_is_defined_on_real_spaces_only():
    with pytest.raises(ValueError, match="supports real spaces"):
        ss.CMAES().init(ss.Binary(8), 100, rng=0)


@pytest.mark.parametrize("params, message", [
    (dict(pop_size=1), "pop_size must be"),
    (dict(pop_size=3.5), "pop_size must be"),
    (dict(sigma0=0.0), "sigma0 must be"),
    (dict(pop_factor=0.5), "pop_factor must be"),
    (dict(restarts=-1), "restarts must be"),
    (dict(tol_fun=-1.0), "tol_fun must be"),
    (dict(tol_x=float("nan")), "tol_x must be"),
    (dict(boundary="clip"), "boundary must be one of 'reflect', 'penalty'"),
])
def test_bad_hyperparameters_fail_with_one_sentence(params, message):
    with pytest.raises((ValueError, TypeError), match=message):
        ss.CMAES(**params).run(Sphere(2), 100, rng=0)


class _Uncapped(ss.CMAES):
    """CMA-ES holding every population its restarts could grow to, whatever the budget."""

    def _budget_settings(self, settings, budget):
        return settings


@pytest.mark.parametrize("params", [{}, dict(tol_fun=1e-2, tol_x=1e-3),
                                    dict(tol_fun=1e-1, pop_factor=3.0),
                                    dict(tol_fun=1e-1, pop_size=5, pop_factor=1.5),
                                    dict(tol_fun=1e-1, boundary="penalty")])
def test_state_sized_for_the_budget_gives_the_same_runs(params):
    # A short run's state holds only the populations its budget can reach (_budget_settings):
    # the runs must be those of a state sized for every population, at budgets around and
    # across restarts (whose populations grow).
    problem = Rastrigin(3, shift=True, seed=1)
    for budget in (1, 2, 3, 9, 10, 11, 12, 13, 30, 31, 100, 500, 1000, 3000, 8000):
        for seed in (0, 1):
            a = ss.CMAES(**params).run(problem, budget, rng=seed, record_x=True)
            b = _Uncapped(**params).run(problem, budget, rng=seed, record_x=True)
            assert np.array_equal(a.x, b.x) and a.fun == b.fun and a.nfev == b.nfev
            assert a.nit == b.nit and a.info == b.info and a.status == b.status
            assert np.array_equal(a.history.fun, b.history.fun)
            assert np.array_equal(a.history.x, b.history.x)
    small = ss.CMAES(**params).init(problem, 2, rng=0)
    assert small.points.nbytes < _Uncapped(**params).init(problem, 2, rng=0).points.nbytes
