"""The continuous half of ``quality.py``: the problems with their families, and every system
run on them, each through the same counting wrapper (or, for the library, its own history).

A run returns the first evaluation count at which each target ``f - f* <= t`` was reached
(-1 if never), so the score and the runtime ECDF are computed the same way for every system.
"""
from __future__ import annotations

import numpy as np

import stochsearch as ss
from stochsearch import problems as P

#: 51 precisions from 1e2 to 1e-8, log-spaced (as COCO): a target is hit when f - f* <= t.
TARGETS = 10.0 ** np.linspace(2, -8, 51)
FAMILIES = ("separable", "ill-conditioned", "multimodal-structured", "multimodal-weak")
LIBRARY = ("rhc", "sa", "ga", "random", "cmaes")
PEERS = ("es11", "de", "dual-annealing", "cma-ipop")
SYSTEMS = LIBRARY + PEERS


def _make(cls, shift=True, rotate=True, **params):
    def build(dim, instance):
        return cls(dim, shift=shift, rotate=rotate, seed=instance, **params)
    return build


#: label -> (family, constructor(dim, instance), fixed dimension or None). The grouping follows
#: BBOB's: separable; low/moderate and high conditioning (one family here); multimodal with
#: adequate global structure; multimodal with weak global structure.
PROBLEMS = {
    "sphere": ("separable", _make(P.Sphere, rotate=False), None),
    "ellipsoid-sep": ("separable", _make(P.Ellipsoid, rotate=False), None),
    "rastrigin-sep": ("separable", _make(P.Rastrigin, rotate=False), None),
    "styblinski-tang-sep": ("separable", _make(P.StyblinskiTang, rotate=False), None),
    "linear-slope": ("separable", _make(P.LinearSlope, rotate=False), None),
    "ellipsoid-rot": ("ill-conditioned", _make(P.Ellipsoid), None),
    "rosenbrock-rot": ("ill-conditioned", _make(P.Rosenbrock), None),
    "zakharov-rot": ("ill-conditioned", _make(P.Zakharov), None),
    "bent-cigar": ("ill-conditioned", _make(P.BentCigar), None),
    "discus": ("ill-conditioned", _make(P.Discus), None),
    "different-powers": ("ill-conditioned", _make(P.DifferentPowers), None),
    "sharp-ridge": ("ill-conditioned", _make(P.SharpRidge), None),
    "attractive-sector": ("ill-conditioned", _make(P.AttractiveSector), None),
    "step-ellipsoid": ("ill-conditioned", _make(P.StepEllipsoid), None),
    "rastrigin-rot": ("multimodal-structured", _make(P.Rastrigin), None),
    "weierstrass": ("multimodal-structured", _make(P.Weierstrass), None),
    "schaffer-f7": ("multimodal-structured", _make(P.SchafferF7), None),
    "ackley-rot": ("multimodal-structured", _make(P.Ackley), None),
    "griewank-rot": ("multimodal-structured", _make(P.Griewank), None),
    "levy-rot": ("multimodal-structured", _make(P.Levy), None),
    "himmelblau-rot": ("multimodal-structured", _make(P.Himmelblau), 2),
    "six-hump-camel-rot": ("multimodal-structured", _make(P.SixHumpCamel), 2),
    "branin-rot": ("multimodal-structured", _make(P.Branin), 2),
    "schwefel-rot": ("multimodal-weak", _make(P.Schwefel), None),
    "gallagher-101": ("multimodal-weak", _make(P.Gallagher, peaks=101), None),
    "gallagher-21": ("multimodal-weak", _make(P.Gallagher, peaks=21), None),
    "lunacek": ("multimodal-weak", _make(P.LunacekBiRastrigin), None),
    "michalewicz-rot": ("multimodal-weak", _make(P.Michalewicz), None),
    "styblinski-tang-rot": ("multimodal-weak", _make(P.StyblinskiTang), None),
    "eggholder-rot": ("multimodal-weak", _make(P.Eggholder), 2),
}
QUICK_PROBLEMS = ("sphere", "rastrigin-sep", "ellipsoid-rot", "bent-cigar", "rastrigin-rot",
                  "schaffer-f7", "gallagher-21", "lunacek")


def problems_for(dim: int, quick: bool = False) -> list[str]:
    return [label for label, (_, _, fixed) in PROBLEMS.items()
            if (fixed is None or fixed == dim) and (not quick or label in QUICK_PROBLEMS)]


def build(label: str, dim: int, instance: int):
    return PROBLEMS[label][1](dim, instance)


# --- the counting wrapper: every peer's evaluations go through it ---------------------------
class Exhausted(Exception):
    """The budget is spent (or every target is hit): the run stops here."""


class Counter:
    """``f(x)`` for a peer: counts evaluations, refuses any beyond the budget, and records the
    evaluation at which each target was first reached. Points are clipped into the box (the
    peers stay in it; the clip only guards the objective)."""

    def __init__(self, problem, budget: int):
        self.objective, self.data = problem.objective, problem.data
        self.lower, self.upper = problem.space.lower, problem.space.upper
        self.f_opt, self.budget = problem.f_opt, budget
        self.nfev, self.best, self.next = 0, np.inf, 0
        self.hits = np.full(TARGETS.size, -1, dtype=np.int64)

    def __call__(self, x) -> float:
        if self.nfev >= self.budget or self.next == TARGETS.size:
            raise Exhausted
        x = np.clip(np.asarray(x, dtype=np.float64), self.lower, self.upper)
        value = float(self.objective(np.ascontiguousarray(x), self.data))
        self.nfev += 1
        if np.isnan(value):
            value = np.inf
        if value < self.best:
            self.best = value
            while self.next < TARGETS.size and value - self.f_opt <= TARGETS[self.next]:
                self.hits[self.next] = self.nfev
                self.next += 1
        return value


def one_plus_one_es(f, problem, budget: int, rng: np.random.Generator) -> None:
    """The textbook (1+1)-ES with the 1/5th success rule, as in Hansen, Arnold & Auger,
    "Evolution strategies" (2015), Algorithm 2: ``y = x + sigma N(0, I)`` (scaled per
    coordinate by the box's aspect ratio), ``x = y`` if ``f(y) <= f(x)``, and
    ``sigma *= exp(1/d)^(success - 1/5)`` with ``d = sqrt(n + 1)``, so sigma is stationary at a
    success rate of 1/5. Starts uniformly in the box with ``sigma = width / 4``; offspring are
    clipped into the box. When sigma falls below ``1e-12`` of the width (the search has
    converged), it restarts from a new uniform point, so that it uses its whole budget like the
    library's restarting hill climber."""
    lower, width = problem.space.lower, problem.space.width
    n = width.size
    scale = width / width.mean()
    damping = np.sqrt(n + 1.0)
    up, down = np.exp(0.8 / damping), np.exp(-0.2 / damping)
    while True:
        x = lower + rng.random(n) * width
        fx, sigma = f(x), 0.25 * width.mean()
        while sigma > 1e-12 * width.mean():
            y = np.clip(x + sigma * scale * rng.standard_normal(n), lower, lower + width)
            fy = f(y)
            if fy <= fx:
                x, fx, sigma = y, fy, sigma * up
            else:
                sigma *= down


def differential_evolution(f, problem, budget: int, seed: int) -> None:
    """scipy's DE with its defaults (best1bin, popsize 15 per dimension, Latin hypercube
    start, L-BFGS-B polish), its iterations cut so that ``popsize * n * (maxiter + 1)`` fits
    the budget; the counting wrapper stops the polish at the budget."""
    from scipy.optimize import differential_evolution as de

    n = problem.dim
    population = 15 * n
    maxiter = max(budget // population - 1, 1)
    de(f, list(zip(problem.space.lower, problem.space.upper)), maxiter=maxiter, popsize=15,
       rng=seed)


def dual_annealing(f, problem, budget: int, seed: int) -> None:
    """scipy's dual_annealing with its defaults and ``maxfun = budget``."""
    from scipy.optimize import dual_annealing as da

    da(f, list(zip(problem.space.lower, problem.space.upper)), maxfun=budget, rng=seed)


def cma_ipop(f, problem, budget: int, seed: int, rng: np.random.Generator) -> None:
    """pycma's IPOP-CMA-ES: ``cma.fmin2`` with 9 restarts doubling the population
    (``incpopsize=2``), ``maxfevals = budget``, the box as pycma's bounds (its default
    BoundTransform), a uniform start in the box and ``sigma0 = width / 4``."""
    import cma

    lower, upper, width = problem.space.lower, problem.space.upper, problem.space.width
    x0 = lower + rng.random(problem.dim) * width
    options = {"maxfevals": budget, "bounds": [list(lower), list(upper)], "verbose": -9,
               "seed": seed % (2 ** 31 - 1) + 1, "CMA_stds": list(width / width.mean())}
    cma.fmin2(f, x0, 0.25 * width.mean(), options, restarts=9, incpopsize=2)


def run(system: str, label: str, dim: int, instance: int, seed: int) -> dict:
    """One run: the hit time of every target (-1 if missed), the final gap and evaluations."""
    problem = build(label, dim, instance)
    budget = 1000 * dim
    if system in LIBRARY:
        optimizer = ss.OPTIMIZERS.get(system)()
        result = optimizer.run(problem, budget, rng=seed, history=200,
                               termination=ss.TargetValue(problem.f_opt + TARGETS[-1]))
        gaps = result.history.fun - problem.f_opt
        hits = [int(result.history.nfev[np.argmax(gaps <= t)]) if np.any(gaps <= t) else -1
                for t in TARGETS]
        return {"hits": hits, "gap": float(result.fun - problem.f_opt), "nfev": int(result.nfev)}
    f = Counter(problem, budget)
    rng = np.random.default_rng(seed)
    try:
        if system == "es11":
            one_plus_one_es(f, problem, budget, rng)
        elif system == "de":
            differential_evolution(f, problem, budget, seed)
        elif system == "dual-annealing":
            dual_annealing(f, problem, budget, seed)
        elif system == "cma-ipop":
            cma_ipop(f, problem, budget, seed, rng)
        else:
            raise ValueError(f"unknown continuous system {system!r}")
    except Exhausted:
        pass
    return {"hits": f.hits.tolist(), "gap": float(f.best - problem.f_opt), "nfev": f.nfev}
