"""Simulated annealing: accept worse moves with probability exp(-delta / T), T falling."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._kernels import annealing as kernel
from .._kernels import polish as polish_kernel
from .._kernels import run_state
from .._kernels.moves import move_length
from .._kernels.real_steps import STEP
from .._validation import check_bool, check_int, check_real
from ..operators.cooling import Cooling, resolve_cooling
from ..operators.neighborhoods import (BitMutation, CovarianceStep, Neighborhood,
                                       resolve_neighborhood)
from ..registry import OPTIMIZERS
from ._neighborhood_search import NeighborhoodSearch
from .base import Settings

__all__ = ["SimulatedAnnealing"]

# Defaults chosen on the quality benchmark's tuning instances (bench/tune_quality.py, instances
# 1-5, D = 2-20, 1000 D evaluations, fraction of targets hit): steps whose covariance learns from
# the accepted moves hit 0.533 (with the cycles and p0 below) where the former default (Cauchy
# steps on one random coordinate, one schedule, tuned on separable Rastrigin alone) hit 0.424:
# 0.73 vs 0.29 on ill-conditioned problems, at a cost on separable ones (0.65 vs 0.86).
# On bitstrings (quality benchmark, instances 1-5, n = 16, 64, 100), standard bit mutation,
# p0 = 0.1 and cooling cycles of 1%, 2%, 4%... of the budget hit 0.888 of the targets, 0.76 at
# a tenth of the budget, where one-bit flips, p0 = 0.8 and one cycle over the budget hit 0.875
# and 0.47 (the fast (1+1) EA: 0.838 and 0.75). On Real spaces cycles raise 0.477 to 0.495
# (0.16 to 0.21 at a tenth of the budget).
_DEFAULT_MOVES = {"real": CovarianceStep(), "binary": BitMutation()}
# With cycles, a hot start pays on Real spaces (p0 0.8: 0.533, 0.5: 0.518, 0.3: 0.506, 0.1:
# 0.503 on the tuning instances) and a cool one on bitstrings (0.1: 0.888 and 0.76 at a tenth
# of the budget, 0.8: 0.883 and 0.72).
_DEFAULT_P0 = {"real": 0.8}
# A polish at the end of each cycle (quasi-Newton descent with difference gradients, each
# allowed a tenth of the budget) raised the tuning instances' score from 0.513 to 0.604
# (ill-conditioned 0.72 -> 0.88, separable 0.60 -> 0.71, D = 20 0.27 -> 0.44); a twentieth
# of the budget: 0.602, a fifth: 0.593.


@dataclass(frozen=True)
class AnnealingSettings(Settings):
    move: Neighborhood
    schedule: Cooling
    t0: float | None                # None: calibrate
    p0: float
    calibration: int
    adapt: bool
    target_acceptance: float
    reheat: int | None
    reheat_factor: float
    track_scale: bool
    cycle: float | None
    polish: float | None

    def functions(self):
        return {"propose": (self.move.propose, "propose"),
                "schedule": (self.schedule.temperature, "temperature")}


@OPTIMIZERS.register("sa")
class SimulatedAnnealing(NeighborhoodSearch):
    """Simulated annealing (Kirkpatrick, Gelatt & Vecchi 1983).

    One neighbour of the current point per step; it is accepted with probability
    ``min(1, exp(-(f_new - f) / T))``. Improvements and ties are always accepted, so ``t0=0``
    is greedy descent (the randomness dial at zero, with a fixed ``init``).

    Parameters
    ----------
    move : str or Neighborhood, optional
        The neighbourhood. Default: the problem's natural one if it names one (a TSP: 2-opt);
        else on Real spaces ``CovarianceStep()`` (``"cma"``): Gaussian steps on all coordinates
        whose covariance learns from the accepted moves; ``"gaussian"`` and ``"cauchy"`` name
        isotropic steps (no shape adaptation), and instances such as
        ``CauchyStep(scale=0.1, coords=1)`` (the former default, strong on separable
        problems) choose the coordinates too; on bitstrings standard bit mutation
        (``BitMutation()``), on permutations swaps.
    schedule : str or Cooling
        ``"exponential"`` (default; to ``1e-10 t0`` on Real spaces, ``1e-3 t0`` on discrete
        ones), ``"linear"``, ``"logarithmic"``, ``"adaptive"``, or an instance such as
        ``Exponential(ratio=1e-6)``.
    t0 : float or "auto"
        Initial temperature. ``"auto"`` spends ``calibration`` evaluations sampling neighbours
        of the start and sets ``t0`` so that an uphill move of the typical size is accepted
        with probability ``p0``.
    p0 : float, optional
        Acceptance probability of a typical uphill move at ``t0="auto"``; default 0.8 on Real
        spaces and 0.1 on discrete ones.
    calibration : int
        Evaluations spent estimating ``t0`` (at most a tenth of the budget).
    adapt_step : bool
        On Real spaces, adapt the step size so that about ``target_acceptance`` of the moves
        are accepted.
    target_acceptance : float
        Acceptance rate the step size is steered to.
    reheat : int or None
        After this many steps without a new best point, restart the schedule from the best
        point at temperature ``reheat_factor * t0``. None never reheats.
    reheat_factor : float
    track_scale : bool
        With ``t0="auto"``, measure the temperature in units of the typical (geometric mean)
        size of recent uphill differences, tracked as the run goes: the schedule is then
        independent of the objective's scale and ends at the scale of the improvements still
        being made. False: the calibrated ``t0`` is an absolute temperature (an ellipsoid with
        values near 1e6 at the start then ends its schedule far above a 1e-8 precision).
    cycle : float or None
        Anneal in cycles: the first cooling cycle takes this fraction of the budget, each next
        one twice as long, from the best point so far at ``t0``, so that a complete anneal
        has run at every fraction of the budget. None: one cycle over the whole budget (the
        classic schedule).
    polish : float or None
        On Real spaces, end each cooling cycle with a local polish of its best point:
        quasi-Newton (BFGS) descent with forward-difference gradients, projected into the box,
        as ``dual_annealing`` ends its chains in L-BFGS-B. Each polish may spend this fraction
        of the budget, and the last one is kept that much; default 0.1 (ignored on discrete
        spaces). It stores an inverse Hessian estimate, ``dim^2`` numbers, as the default
        covariance step does. None or 0: no polish (annealing alone).

    Examples
    --------
    >>> from stochsearch.problems import Sphere
    >>> result = SimulatedAnnealing().run(Sphere(5), budget=20_000, rng=0)
    >>> result.fun < 1e-6
    True
    """

    name = "sa"
    state = kernel.STATE
    _advance = kernel.advance
    _fused = kernel.fused

    def __init__(self, move: Any = None, schedule: Any = "exponential",
                 t0: float | str = "auto", p0: float | None = None,
                 calibration: int = 100, adapt_step: bool = True,
                 target_acceptance: float = 0.2, reheat: int | None = None,
                 reheat_factor: float = 0.5, track_scale: bool = True,
                 cycle: float | None = 0.01, polish: float | None = 0.1) -> None:
        self.move = move
        self.schedule = schedule
        self.t0 = t0
        self.p0 = p0
        self.calibration = calibration
        self.adapt_step = adapt_step
        self.target_acceptance = target_acceptance
        self.reheat = reheat
        self.reheat_factor = reheat_factor
        self.track_scale = track_scale
        self.cycle = cycle
        self.polish = polish

    def _settings(self, space):
        move = resolve_neighborhood(self.move, space, _DEFAULT_MOVES)
        if isinstance(self.t0, str):
            if self.t0 != "auto":
                raise ValueError(f"t0 must be a non-negative number or 'auto', got {self.t0!r}")
            t0 = None
        elif self.t0 is None:
            raise TypeError("t0 must be a non-negative number or 'auto', got None")
        else:
            t0 = check_real("t0", self.t0, low=0.0)
        return AnnealingSettings(
            move=move, schedule=resolve_cooling(self.schedule), t0=t0,
            p0=_DEFAULT_P0.get(space.kind, 0.1) if self.p0 is None else check_real(
                "p0", self.p0, low=0.0, high=1.0, low_open=True, high_open=True),
            calibration=check_int("calibration", self.calibration, low=1),
            adapt=bool(self.adapt_step) and move.adaptive,
            target_acceptance=check_real("target_acceptance", self.target_acceptance,
                                         low=0.0, high=1.0, low_open=True, high_open=True),
            reheat=check_int("reheat", self.reheat, low=1, allow_none=True),
            reheat_factor=check_real("reheat_factor", self.reheat_factor, low=0.0,
                                     low_open=True),
            track_scale=check_bool("track_scale", self.track_scale),
            cycle=check_real("cycle", self.cycle, low=0.0, high=1.0, low_open=True,
                             allow_none=True),
            polish=(check_real("polish", self.polish, low=0.0, high=1.0, allow_none=True)
                    or None) if space.kind == "real" else None)

    def _blocks(self, settings, space):
        return {"move": move_length(space.dim), "params": settings.move.pack(space),
                "cool": settings.schedule.pack(space), "cur": 1,
                "pol": (polish_kernel.pack(space.lower, space.upper) if settings.polish
                        else 0)}

    def _start(self, state):
        s = state.settings
        # Step size steered to the target acceptance: log-factors +(1 - p)/d and -p/d.
        damping = np.sqrt(state.space.dim + 1.0)
        calibrate = s.t0 is None
        return dict(
            adapt=s.adapt, reheat_after=s.reheat or 0, reheat_factor=s.reheat_factor,
            cal_left=min(s.calibration, max(1, state.rules.budget // 10)) if calibrate else 0,
            t0=0.0 if calibrate else s.t0, p0=s.p0, acc=s.p0, acc_rate=0.01,
            track=calibrate and s.track_scale, up_rate=0.01,
            cycle_len=0 if s.cycle is None else max(1, round(s.cycle * state.rules.budget)),
            grow=np.exp((1.0 - s.target_acceptance) / damping),
            shrink=np.exp(-s.target_acceptance / damping),
            min_step=1e-12, max_step=1.0, step0=state.block("params")[STEP],
            polish_budget=(max(1, round(s.polish * state.rules.budget)) if s.polish else 0),
            polish_iter=100 * state.space.dim,
            phase=kernel.START, m=1, request=run_state.REQUEST_SAMPLE)

    def _info(self, state):
        (track, log_up, log_up0, t0, temperature, accepted, steps, uphill_accepted, uphill,
         reheats, cycles, polishes) = state.fields.read(_INFO_FIELDS)
        # exp(0) is 1 exactly: the scales of a run that has not moved them (a short one) are
        # 1.0 without the two numpy calls.
        scale = np.exp(log_up) if track and log_up != 0.0 else 1.0
        scale0 = np.exp(log_up0) if track and log_up0 != 0.0 else 1.0
        return {"t0": float(t0 * scale0), "final_temperature": float(temperature * scale),
                "acceptance_rate": accepted / max(steps, 1),
                "uphill_acceptance_rate": uphill_accepted / max(uphill, 1),
                "reheats": reheats, "cycles": 1 + cycles, "polishes": polishes}


#: the fields ``_info`` reads
_INFO_FIELDS = ("track", "log_up", "log_up0", "t0", "temperature", "accepted", "anneal_steps",
                "uphill_accepted", "uphill", "reheats", "cycles", "polishes")
