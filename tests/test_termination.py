import time

import numpy as np
import pytest

import stochsearch as ss
from stochsearch.termination import stop_rules


def test_rules_combine():
    rules = stop_rules(1000, ss.MaxEvals(500) | ss.TargetValue(1.0) | ss.TargetValue(2.0)
                       | ss.Stagnation(50) | ss.WallTime(3.0))
    assert (rules.budget, rules.target, rules.stagnation, rules.wall_time) == (500, 2.0, 50, 3.0)
    assert stop_rules(None, [ss.MaxEvals(7)]).budget == 7


@pytest.mark.parametrize("call,message", [
    (lambda: stop_rules(-5, None), "budget must be a positive integer, got -5"),
    (lambda: stop_rules(0, None), "budget must be a positive integer, got 0"),
    (lambda: stop_rules(None, None), "budget must be given"),
    (lambda: stop_rules(2.5, None), "budget must be a positive integer, got 2.5"),
    (lambda: ss.MaxEvals(0), "MaxEvals.n must be a positive integer"),
    (lambda: ss.TargetValue(float("nan")), "TargetValue.f must be a number"),
    (lambda: ss.WallTime(-1), "WallTime.seconds must be a positive number"),
    (lambda: stop_rules(10, "reach_40"), "termination must be a Termination"),
])
def test_bad_rules_are_refused(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


def test_wall_time_stops_a_python_run_and_keeps_its_result():
    def slow(x):
        time.sleep(0.002)
        return float(np.sum(x ** 2))

    result = ss.minimize(slow, bounds=[(-1, 1)] * 2, budget=10**6, rng=0,
                         termination=ss.WallTime(0.3))
    assert result.status == ss.Status.WALL_TIME and 0 < result.nfev < 10**6  # no speed asserted
    assert np.isfinite(result.fun) and result.history.nfev[-1] == result.nfev


def test_a_budget_too_large_for_the_kernels_names_budget():
    with pytest.raises(ValueError, match=r"^budget must be a positive integer of at most "
                                         r"2\*\*62 .*, got 9223372036854775808$"):
        stop_rules(2**63, None)
    with pytest.raises(ValueError, match=r"^MaxEvals.n must be a positive integer of at most"):
        ss.MaxEvals(2**64)
