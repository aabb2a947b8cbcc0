import math

import numpy as np
import pytest

import stochsearch as ss
from stochsearch.operators import Adaptive, Exponential, Linear, Logarithmic, resolve_cooling
from tests.reference import local_search as ref

SPACE = ss.Real(0, 1, dim=2)


def _trajectory(schedule, t0, steps, acceptance):
    params = schedule.pack(SPACE)
    t, out = t0, []
    for k in range(1, steps + 1):
        t = schedule.temperature(t0, t, k, steps, acceptance, params)
        out.append(t)
    return np.array(out)


def test_exponential_reaches_its_ratio_and_defaults_by_space():
    traj = _trajectory(Exponential(ratio=1e-3), 10.0, 1000, 0.5)
    assert math.isclose(traj[-1], 1e-2, rel_tol=1e-9)
    assert np.all(np.diff(traj) < 0)
    assert Exponential().pack(SPACE)[0] == 1e-10
    assert Exponential().pack(ss.Binary(3))[0] == 1e-3


@pytest.mark.parametrize("schedule,reference", [
    (Exponential(ratio=1e-4), ref.exponential(1e-4)), (Linear(), ref.linear),
    (Logarithmic(), ref.logarithmic), (Adaptive(), ref.adaptive(0.5, 1e-4, 0.05)),
])
def test_schedules_match_their_formulas(schedule, reference):
    t_kernel = t_ref = 3.0
    params = schedule.pack(SPACE)
    for k in range(1, 500):
        acceptance = 0.5 * math.exp(-k / 100)
        t_kernel = schedule.temperature(3.0, t_kernel, k, 499, acceptance, params)
        t_ref = reference(3.0, t_ref, k, 499, acceptance)
        assert t_kernel == t_ref


def test_linear_ends_at_zero_and_logarithmic_cools_slowly():
    assert _trajectory(Linear(), 5.0, 100, 0.5)[-1] == 0.0
    assert _trajectory(Logarithmic(), 5.0, 10**4, 0.5)[-1] > 0.3


def test_adaptive_follows_the_acceptance():
    hot = _trajectory(Adaptive(), 1.0, 100, 0.9)[-1]
    cold = _trajectory(Adaptive(), 1.0, 100, 0.0)[-1]
    assert hot < 1.0 < cold


def test_schedules_are_validated():
    with pytest.raises(ValueError, match="did you mean 'linear'"):
        resolve_cooling("lineer")
    with pytest.raises(ValueError, match="ratio must be"):
        Exponential(ratio=2.0)
    with pytest.raises(TypeError, match="schedule must be one of"):
        resolve_cooling(0.95)
