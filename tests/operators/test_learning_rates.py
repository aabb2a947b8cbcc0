"""SGD's learning rates and their schedules."""
from __future__ import annotations

import numpy as np
import pytest

import stochsearch as ss
from stochsearch.operators import (ConstantRate, CosineDecay, ExponentialDecay, InverseScaling,
                                   StepDecay)
from stochsearch.operators.learning_rates import resolve_learning_rate

SPACE = ss.Real(-1.0, 1.0, dim=4)


@pytest.mark.parametrize("schedule,expected", [
    (ConstantRate(0.3), lambda t, e, p: 0.3),
    (InverseScaling(0.3, 0.6), lambda t, e, p: 0.3 / (t + 1.0) ** 0.6),
    (ExponentialDecay(0.3, 0.9), lambda t, e, p: 0.3 * 0.9 ** e),
    (StepDecay(0.3, 0.5, every=3), lambda t, e, p: 0.3 * 0.5 ** (e // 3)),
    (CosineDecay(0.3, 0.1), lambda t, e, p: 0.3 * (0.1 + 0.9 * 0.5 * (1 + np.cos(np.pi * p)))),
], ids=repr)
def test_learning_rates(schedule, expected):
    params = schedule.pack(SPACE)
    for step, epoch, progress in [(0, 0, 0.0), (7, 2, 0.25), (99, 10, 1.0)]:
        assert schedule.rate(step, epoch, progress, params) == \
            pytest.approx(expected(step, epoch, progress), rel=1e-15)


def test_numbers_are_constant_rates():
    assert resolve_learning_rate(0.1) == ConstantRate(0.1)
    assert resolve_learning_rate(CosineDecay(0.2)) == CosineDecay(0.2)


@pytest.mark.parametrize("make,message", [
    (lambda: resolve_learning_rate(0.0), "learning_rate must be a positive number, got 0.0"),
    (lambda: resolve_learning_rate(-1), "learning_rate must be a positive number, got -1.0"),
    (lambda: InverseScaling(-0.5), "learning_rate must be a positive number, got -0.5"),
    (lambda: StepDecay(every=0), "every must be a positive integer, got 0"),
    (lambda: resolve_learning_rate("fast"), "learning_rate must be a positive number or a "
                                            "schedule"),
])
def test_errors(make, message):
    with pytest.raises((ValueError, TypeError)) as info:
        make()
    assert message in str(info.value)
