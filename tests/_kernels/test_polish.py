"""The quasi-Newton polish, driven on its own: one evaluation per step, as a search drives it."""
import numba
import numpy as np
import pytest

from stochsearch._kernels import moves, polish

RECORD = np.dtype(polish.FIELDS + [("best_f", np.float64)])


@numba.njit
def _drive(state, pol, best, curvature, centre, budget, max_iter, radius=0.1):
    s = state[0]
    n = best.size
    y = np.empty(n)
    move = np.zeros(moves.MOVE_HEADER + n, dtype=np.int64)
    polish.begin(s, pol, best, radius, budget)
    used = 0
    lowest = s.best_f
    going = True
    while going:
        polish.propose(s, pol, y, move)
        value = 0.0
        for i in range(n):
            value += curvature[i] * (y[i] - centre[i]) ** 2
        lowest = min(lowest, value)
        used += 1
        for i in range(n):
            if y[i] < pol[polish.LO * n + i] or y[i] > pol[polish.HI * n + i]:
                return -1.0, used
        going = polish.take(s, pol, y, value, max_iter)
    return lowest, used


def _run(curvature, centre, start, lower, upper, budget=2000, max_iter=500):
    state = np.zeros(1, RECORD)
    state[0]["best_f"] = float(np.sum(curvature * (start - centre) ** 2))
    pol = polish.pack(lower, upper)
    radius = float(np.linalg.norm(np.asarray(upper) - lower))    # as annealing starts it
    lowest, used = _drive(state, pol, np.asarray(start, float), np.asarray(curvature, float),
                          np.asarray(centre, float), budget, max_iter, radius)
    return lowest, used, pol, state[0]


def test_reaches_the_bottom_of_an_ill_conditioned_quadratic_within_its_budget():
    n = 6
    curvature = 10.0 ** np.linspace(0, 4, n)
    # condition 1e4; scipy's BFGS with difference gradients takes 119 evaluations from here,
    # steepest descent thousands
    lowest, used, pol, s = _run(curvature, np.full(n, 0.3), np.full(n, -2.0),
                                np.full(n, -5.0), np.full(n, 5.0), budget=200)
    assert lowest < 1e-10 and used <= 200
    assert s["pol_iter"] < 30
    # and it stops by itself once converged
    _, used, _, s = _run(curvature, np.full(n, 0.3), np.full(n, -2.0), np.full(n, -5.0),
                         np.full(n, 5.0), budget=2000)
    assert used < 400 and s["pol_phase"] == polish.IDLE


def test_steps_stay_in_the_box_and_stop_at_a_bound():
    n = 3
    centre = np.array([3.0, 0.5, -4.0])             # the first and last lie outside the box
    lowest, used, _, s = _run(np.ones(n), centre, np.zeros(n), np.full(n, -1.0),
                              np.full(n, 1.0))
    assert lowest >= 0 and lowest == pytest.approx((3.0 - 1.0) ** 2 + (-4.0 + 1.0) ** 2,
                                                   abs=1e-8)
    assert s["pol_phase"] == polish.IDLE


@pytest.mark.parametrize("budget", [1, 5, 17])
def test_spends_at_most_its_budget(budget):
    lowest, used, _, _ = _run(np.ones(4), np.zeros(4), np.ones(4), np.full(4, -2.0),
                              np.full(4, 2.0), budget=budget)
    assert used == budget
