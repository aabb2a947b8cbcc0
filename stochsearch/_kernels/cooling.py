"""Cooling schedules: ``temperature(t0, t, step, steps, uphill_acceptance, params) -> t``.

``step`` counts annealing steps from 0 to ``steps`` (the evaluations planned for annealing);
``t`` is the previous temperature; ``uphill_acceptance`` is a running average of how often
uphill moves are accepted, which only the adaptive schedule reads. A schedule may keep values it
derives once per run in the tail of ``params``.
"""
from __future__ import annotations

import numpy as np

from .jit import kernel


@kernel
def exponential(t0, t, step, steps, uphill_acceptance, params):
    """``t0 * ratio ** (step / steps)``: geometric decay to ``ratio * t0`` at the end
    (``params = [ratio, cached steps, cached factor per step]``)."""
    if step == 0:
        return t0
    if params[1] != steps:
        params[1] = steps
        params[2] = np.exp(np.log(params[0]) / max(steps, 1))
    return t * params[2]


@kernel
def linear(t0, t, step, steps, uphill_acceptance, params):
    """``t0 * (1 - step / steps)``: straight down to zero at the end."""
    return t0 * max(0.0, 1.0 - step / max(steps, 1))


@kernel
def logarithmic(t0, t, step, steps, uphill_acceptance, params):
    """``t0 * ln 2 / ln(step + 2)``: the slow schedule of the convergence theorems
    (Geman & Geman 1984, Hajek 1988)."""
    return t0 * np.log(2.0) / np.log(step + 2.0)


@kernel
def adaptive(t0, t, step, steps, uphill_acceptance, params):
    """Feedback on the acceptance of uphill moves: the target acceptance decays geometrically
    from ``params[0]`` to ``params[1]`` over the run, and the temperature is multiplied by
    ``exp(params[2] * (target - acceptance))``, so it falls quickly where the landscape lets it
    and slowly where uphill moves are still being accepted often."""
    if step == 0:
        return t0
    target = params[0] * np.exp(np.log(params[1] / params[0]) * (step / max(steps, 1)))
    return t * np.exp(params[2] * (target - uphill_acceptance))
