"""CMA-ES with IPOP restarts: the library's state-of-the-art reference on Real spaces."""
from __future__ import annotations


import math
from dataclasses import dataclass, replace

from .._kernels import cma as kernel
from .._kernels import run_state
from .._validation import check_choice, check_int, check_real
from ..registry import OPTIMIZERS
from .base import Optimizer, Settings

__all__ = ["CMAES"]

#: The population stops growing after this many multiplications by ``pop_factor`` (pycma's
#: ``fmin2(restarts=9)``), or once a generation would hold about this many coordinates.
MAX_GROWTHS = 9
MAX_COORDINATES = 1 << 21


@dataclass(frozen=True)
class CMASettings(Settings):
    pop_size: int
    pop_max: int
    sigma0: float
    pop_factor: float
    restarts: int | None
    adapt_step: bool
    adapt_covariance: bool
    tol_fun: float
    tol_x: float
    boundary: str
    active: bool


@OPTIMIZERS.register("cmaes")
class CMAES(Optimizer):
    """Covariance matrix adaptation evolution strategy with IPOP restarts.

    Hansen's CMA-ES as in "The CMA Evolution Strategy: A Tutorial" (2016): each generation
    samples ``pop_size`` points from a normal distribution ``N(m, sigma^2 C)``, moves the mean
    to the weighted mean of the best half, adapts the step size ``sigma`` by cumulative path
    length control and the covariance ``C`` by rank-one and rank-mu updates, the worse half
    of the points entering the rank-mu update with negative weights (active CMA, the
    tutorial's default). C is decomposed lazily, every ``1 / (10 dim (c1 + cmu))``
    generations. A run stops, as pycma's do, when the spread of its recent best values falls
    below ``tol_fun``, its distribution below ``tol_x``, a step of 0.1 standard deviations no
    longer changes the mean, C's condition number exceeds 1e14, the values are flat (the best
    equals the 75th percentile twice in a row) or stagnate (no progress of the best or median
    values over ``100 + 100 dim^1.5 / pop_size`` generations). It then restarts from a new
    point drawn by the initializer (``init=`` of ``run``) with a population ``pop_factor``
    times larger (IPOP: Auger & Hansen 2005), until the budget is spent. The population stops
    growing after nine restarts.

    The search runs in box coordinates (the box scaled to the unit cube), so ``sigma0`` is a
    fraction of the box's width in every coordinate. A sampled point outside the box is
    mirrored into it at the bounds (``boundary="reflect"``, as pycma's BoundTransform without
    its quadratic zones), or clipped into it and ranked with a penalty on the distance it was
    clipped, whose weights adapt (``"penalty"``: pycma's BoundPenalty, Hansen et al. 2009);
    either way every evaluated point lies in the box.

    Parameters
    ----------
    pop_size : int, optional
        Points per generation (lambda) of the first run; default ``4 + floor(3 ln dim)``.
    sigma0 : float
        Initial step size, relative to the width of the box.
    pop_factor : float
        Factor of the population size at each restart (1: restarts with the same size).
    restarts : int or None
        Maximum number of restarts; None restarts until the budget is spent. ``restarts=0`` is
        a single run, which stops with status CONVERGED when a stopping rule fires; with
        ``init="center"`` it starts from a fixed point (the randomness dial at its lowest).
    adapt_step : bool
        Adapt the step size (cumulative step-size adaptation); False keeps ``sigma0``.
    adapt_covariance : bool
        Adapt the covariance matrix; False gives a (mu/mu_w, lambda)-ES with step-size
        adaptation only.
    active : bool
        Negative weights for the worse half in the covariance update; False updates C from
        the best half only (positive weights).
    tol_fun : float
        A run stops when its recent best values and the values of its generation lie within
        this range.
    tol_x : float
        A run stops when every coordinate's standard deviation (relative to the box width)
        is below this.
    boundary : {"reflect", "penalty"}
        How a point sampled outside the box is brought into it (see above).

    Examples
    --------
    >>> from stochsearch.problems import Ellipsoid
    >>> result = CMAES().run(Ellipsoid(5), budget=5_000, rng=0)
    >>> result.fun < 1e-8
    True
    """

    name = "cmaes"
    spaces = ("real",)
    state = kernel.STATE
    _advance = kernel.advance
    _fused = kernel.fused

    def __init__(self, pop_size: int | None = None, sigma0: float = 0.25,
                 pop_factor: float = 2.0, restarts: int | None = None,
                 adapt_step: bool = True, adapt_covariance: bool = True, active: bool = True,
                 tol_fun: float = 1e-12, tol_x: float = 1e-12, boundary: str = "reflect"):
        self.pop_size = pop_size
        self.sigma0 = sigma0
        self.pop_factor = pop_factor
        self.restarts = restarts
        self.adapt_step = adapt_step
        self.adapt_covariance = adapt_covariance
        self.active = active
        self.tol_fun = tol_fun
        self.tol_x = tol_x
        self.boundary = boundary

    def _settings(self, space):
        dim = space.dim
        pop_size = check_int("pop_size", self.pop_size, low=2, allow_none=True)
        if pop_size is None:
            pop_size = 4 + math.floor(3.0 * math.log(dim))
        pop_factor = check_real("pop_factor", self.pop_factor, low=1.0, high=100.0)
        pop_max = pop_size
        for _ in range(MAX_GROWTHS):
            grown = max(int(pop_max * pop_factor), pop_max)
            if grown * dim > MAX_COORDINATES:
                break
            pop_max = grown
        return CMASettings(
            pop_size=pop_size, pop_max=pop_max,
            sigma0=check_real("sigma0", self.sigma0, low=0.0, high=10.0, low_open=True),
            pop_factor=pop_factor,
            restarts=check_int("restarts", self.restarts, low=0, allow_none=True),
            adapt_step=bool(self.adapt_step), adapt_covariance=bool(self.adapt_covariance),
            tol_fun=check_real("tol_fun", self.tol_fun, low=0.0),
            tol_x=check_real("tol_x", self.tol_x, low=0.0),
            boundary=check_choice("boundary", self.boundary, ["reflect", "penalty"]),
            active=bool(self.active))

    def _budget_settings(self, settings, budget):
        # The state holds populations up to pop_max (grown at restarts), which for a short run
        # is most of its size (650 kB in 10-D, copied for every run). A restart begins with
        # one point and evaluates at least one generation before the next restart grows the
        # population (as _restart_or_stop in _kernels/cma.py does): populations the budget
        # cannot reach are never used, so pop_max stops at the first one it can.
        lam, spent = settings.pop_size, 0
        while lam < settings.pop_max:
            spent += 1 + lam
            if spent >= budget:
                break
            lam = min(max(int(lam * settings.pop_factor), lam), settings.pop_max)
        return settings if lam == settings.pop_max else \
            replace(settings, pop_max=lam)

    def _batch_rows(self, settings, space):
        return settings.pop_max

    def _blocks(self, settings, space):
        dim, lam, lam_max = space.dim, settings.pop_size, settings.pop_max
        recent = 10 + math.ceil(30 * dim / lam)          # generations of the tolfun rule
        period = int(100 + 100 * dim ** 1.5 / lam)       # generations of the stagnation rule
        kept = max(2000, 2 * (period // 10) + 4)         # values kept for it (every 5th)
        penalty = int(20 + 3 * dim / lam) + 2            # interquartile ranges of BoundPenalty
        return {"order": lam_max, "merge": lam_max, "weights": lam_max, "wo": lam_max,
                "fit": lam_max, "hrecent": recent, "hbest": kept, "hmed": kept, "iqr": penalty,
                "scratch": max(kept + 2, penalty), "bounds": 3, "vec": kernel.N_VEC,
                "cov": dim, "basis": dim, "work": dim, "temp": dim, "ys": lam_max}

    def _start(self, state):
        s, space = state.settings, state.space
        bounds = state.points[int(state.fields.row_bounds):][:3]
        bounds[kernel.LOWER] = space.lower
        bounds[kernel.UPPER] = space.upper
        bounds[kernel.WIDTH] = space.width
        return dict(
            dim=space.dim, lam=s.pop_size, lam_max=s.pop_max, sigma0=s.sigma0,
            pop_factor=s.pop_factor, restarts_left=-1 if s.restarts is None else s.restarts,
            adapt_step=s.adapt_step, adapt_cov=s.adapt_covariance, tol_fun=s.tol_fun,
            tol_x=s.tol_x, reflect=s.boundary == "reflect", active=s.active,
            phase=kernel.START, m=1,
            request=run_state.REQUEST_SAMPLE)

    def _info(self, state):
        fields = state.fields
        return {"restarts": int(fields.restarts), "pop_size": int(fields.lam),
                "sigma": float(fields.sigma), "generations": int(fields.gen),
                "stop_reason": kernel.REASONS[int(fields.reason)]}
