import numpy as np
import pytest

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


@ss.jit
def _staircase(x, data):
    """Minus the number of ones in steps of two: flipping one bit changes the value only every
    other time, so a climb must walk across each plateau."""
    ones = 0
    for i in range(x.size):
        ones += x[i]
    return -float(ones // 2)


def test_equal_moves_walk_across_plateaus_that_stop_a_strict_climb():
    problem = ss.Problem(ss.Binary(40), objective=_staircase)
    # One-bit flips: a two-bit move could jump a plateau of width two without walking it.
    walking = ss.RandomRestartHillClimbing(move="flip", restarts=0, patience=5_000)
    strict = ss.RandomRestartHillClimbing(move="flip", restarts=0, patience=5_000,
                                          accept_equal=False)
    walked = walking.run(problem, 20_000, rng=0, init="zeros")
    stuck = strict.run(problem, 20_000, rng=0, init="zeros")
    assert walked.fun == -20.0
    assert stuck.fun == 0.0 and stuck.status == ss.Status.CONVERGED


def test_accept_equal_must_be_a_boolean():
    with pytest.raises(TypeError, match="accept_equal must be True or False, got 'yes'"):
        ss.RandomRestartHillClimbing(accept_equal="yes").run(ss.problems.Sphere(2), 10)
