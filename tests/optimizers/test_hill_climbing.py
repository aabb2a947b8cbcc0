import numpy as np

import stochsearch as ss
from stochsearch.problems import Rastrigin, Sphere


def test_solves_shifted_sphere_10_within_20000_evaluations():
    for seed in range(3):
        result = ss.RandomRestartHillClimbing().run(Sphere(10, shift=True, seed=seed), 20_000,
                                                    rng=seed)
        assert result.fun < 1e-6, (seed, result.fun)


def test_restarts_zero_is_one_climb_that_converges():
    result = ss.RandomRestartHillClimbing(restarts=0).run(Rastrigin(3, shift=True), 50_000,
                                                          rng=0)
    assert result.status == ss.Status.CONVERGED and result.nfev < 50_000
    assert result.info["restarts"] == 0


def test_restarts_help_on_a_multimodal_landscape():
    problem = Rastrigin(5, shift=True)
    single = [ss.RandomRestartHillClimbing(restarts=0).run(problem, 30_000, rng=s).fun
              for s in range(8)]
    restarted = [ss.RandomRestartHillClimbing().run(problem, 30_000, rng=s).fun
                 for s in range(8)]
    assert np.median(restarted) < np.median(single)


def test_steepest_descent_samples_its_neighbours_as_one_batch():
    opt = ss.RandomRestartHillClimbing(strategy="steepest", n_neighbors=6)
    state = opt.init(Sphere(3), 100, rng=0)
    assert len(opt.ask(state)) == 1  # the start point
    opt.tell(state, opt.ask(state), [1.0])
    assert len(opt.ask(state)) == 6
