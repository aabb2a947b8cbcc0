import numpy as np
import pytest

import stochsearch as ss
from stochsearch.problems import Rastrigin, Sphere


def test_solves_shifted_sphere_10_within_20000_evaluations():
    for seed in range(3):
        result = ss.SimulatedAnnealing().run(Sphere(10, shift=True, seed=seed), 20_000, rng=seed)
        assert result.fun < 1e-6, (seed, result.fun)


def test_auto_temperature_is_calibrated_and_reported():
    result = ss.SimulatedAnnealing(calibration=50).run(Rastrigin(5, shift=True), 5000, rng=0)
    info = result.info
    assert info["t0"] > 0 and info["final_temperature"] < 1e-6 * info["t0"]
    assert 0 < info["acceptance_rate"] < 1 and info["reheats"] == 0


def test_zero_temperature_never_accepts_a_worse_point():
    calls = []

    def traced(x):
        value = float(np.sum((x - 0.25) ** 2))
        calls.append(value)
        return value

    opt = ss.SimulatedAnnealing(t0=0.0)
    state = opt.init(ss.as_problem(traced, bounds=[(-1, 1)] * 4), 400, rng=0)
    while not state.done:
        X = opt.ask(state)
        opt.tell(state, X, [traced(x) for x in X])
    result = opt.result(state)
    assert result.info["uphill_acceptance_rate"] == 0.0
    # Greedy descent: the current value never increases, so the best is the last accepted.
    assert result.fun == min(calls)


def test_reheating_restarts_the_schedule():
    result = ss.SimulatedAnnealing(reheat=200).run(Rastrigin(4, shift=True), 20_000, rng=1)
    assert result.info["reheats"] >= 1


def test_auto_temperature_is_independent_of_the_objective_scale():
    # 2**20 scales values exactly: with track_scale the run makes the same decisions.
    from stochsearch.problems import Rastrigin
    base = Rastrigin(4, shift=True, seed=3)

    @ss.jit
    def scaled(x, data):
        return 1048576.0 * base_objective(x, data)

    base_objective = base.objective
    problem = ss.Problem(base.space, objective=scaled, data=base.data)
    a = ss.SimulatedAnnealing().run(base, 4000, rng=5)
    b = ss.SimulatedAnnealing().run(problem, 4000, rng=5)
    np.testing.assert_array_equal(a.x, b.x)
    assert b.info["t0"] == pytest.approx(1048576.0 * a.info["t0"])
    # Without tracking, the calibrated t0 is an absolute temperature: the same relation at the
    # start, but the schedule no longer follows the size of the differences.
    c = ss.SimulatedAnnealing(track_scale=False).run(base, 4000, rng=5)
    assert c.info["final_temperature"] > a.info["final_temperature"]


def test_a_problem_s_natural_neighbourhood_is_the_default_move():
    from stochsearch.operators import Swap, TwoOpt
    from stochsearch.problems import TSP
    tour = TSP(12, seed=4)
    assert isinstance(tour.neighborhood, TwoOpt)
    for optimizer in (ss.SimulatedAnnealing(), ss.RandomRestartHillClimbing()):
        natural = optimizer.run(tour, 3000, rng=2)
        explicit = type(optimizer)(move="2opt").run(tour, 3000, rng=2)
        np.testing.assert_array_equal(natural.x, explicit.x)
        swapped = type(optimizer)(move=Swap()).run(tour, 3000, rng=2)
        assert not np.array_equal(natural.history.fun, swapped.history.fun)


def test_cooling_cycles_double_and_restart_from_the_best_point():
    result = ss.SimulatedAnnealing(cycle=0.01, polish=None).run(
        Rastrigin(3, shift=True, seed=1), 10_000, rng=0)
    # 1% + 2% + 4% + ... of the budget after calibration: seven cycles fit in it.
    assert result.info["cycles"] == 7 and result.info["polishes"] == 0
    assert ss.SimulatedAnnealing(cycle=None, polish=None).run(Sphere(3), 2000,
                                                              rng=0).info["cycles"] == 1
    with pytest.raises(ValueError, match="cycle must be"):
        ss.SimulatedAnnealing(cycle=1.5).run(Sphere(3), 100)


def test_polish_finishes_a_rotated_ill_conditioned_valley():
    from stochsearch.problems import Rosenbrock
    from stochsearch.problems.bbob_functions import BentCigar, Discus
    # 250 D evaluations: annealing alone is still on its way down the valley.
    for problem in (BentCigar(8, seed=3), Discus(8, seed=3), Rosenbrock(8)):
        alone = ss.SimulatedAnnealing(polish=None).run(problem, 2000, rng=1)
        polished = ss.SimulatedAnnealing().run(problem, 2000, rng=1)
        assert polished.info["polishes"] >= 1 and alone.info["polishes"] == 0
        assert polished.fun < 1e-8 and alone.fun > 1e-2, (problem.name, polished.fun, alone.fun)
        assert polished.nfev == alone.nfev == 2000


def test_polish_stays_in_the_box_and_reaches_a_corner_optimum():
    # A linear objective has its minimum on a corner; the polish's projected steps stop there.
    def slope(x):
        return float(np.dot([1.0, 3.0, 0.5], x))

    problem = ss.as_problem(slope, bounds=[(-1.0, 2.0)] * 3)
    result = ss.SimulatedAnnealing(polish=0.3, cycle=None).run(problem, 1500, rng=4)
    assert np.all(result.x >= -1.0) and np.all(result.x <= 2.0)
    assert result.fun == pytest.approx(-4.5, abs=1e-12)


def test_polish_is_ignored_on_discrete_spaces_and_checked():
    from stochsearch.problems import OneMax
    result = ss.SimulatedAnnealing(polish=0.2).run(OneMax(20), 500, rng=0)
    assert result.info["polishes"] == 0
    with pytest.raises(ValueError, match="polish"):
        ss.SimulatedAnnealing(polish=1.5).run(Sphere(3), 100)
