"""What the escape study sweeps: each optimizer family's randomness dial, the fixed start, SGD
with step noise, the suite measure, the success threshold, and the names its text and figures
give to problems and settings.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass

import numpy as np

from .._rng import seed_for_key
from .._validation import check_real
from ..initialization import Initializer
from ..registry import OPTIMIZERS

__all__ = ["fixed_start", "measure", "noisy_descent"]

LANDSCAPES = ("rastrigin", "ackley", "schwefel")
INITS = {"fixed": "fixed start", "uniform": "uniform random starts"}
CLIMB_CAP = 20_000   # evaluations one climb of the basin experiment may use (they need < 2,000)


@dataclass(frozen=True)
class Dial:
    """One optimizer family's randomness dial: the values swept (full, quick) and the
    ``typical`` setting that findings compare with the dial at zero."""

    label: str
    axis: str
    param: str
    values: tuple
    quick: tuple
    typical: float


DIALS = {
    "rhc": Dial("hill climbing", "restarts", "restarts", (0, 1, 3, 10, 30, 100), (0, 3, 20),
                 100),
    "sa": Dial("simulated annealing", "p0 (0: t0 = 0)", "p0", (0, 0.05, 0.2, 0.5, 0.8, 0.95),
               (0, 0.8), 0.8),
    "ga": Dial("genetic algorithm", "mutation rate per gene", "mutation_rate",
               (0.0, 0.01, 0.03, 0.1, 0.3), (0.0, 0.03, 0.3), 0.03),
    "sgd": Dial("gradient descent", "step noise (in Adam steps)", "noise",
                (0.0, 0.3, 1.0, 3.0, 10.0), (0.0, 1.0), 1.0),
}


def typical(family: str, quick: bool) -> float:
    """The setting the findings compare with the dial at zero (the largest restarts swept)."""
    dial = DIALS[family]
    return float(max(dial.quick) if quick and family == "rhc" else dial.typical)


class _FixedStart(Initializer):
    """The one start every run shares: the centre of the box, or on bit strings one string
    drawn once (seed 0) and used by every run (on a trap, all zeros would be the deceptive
    optimum itself, and all ones the global one)."""

    always_valid = True

    def __call__(self, rng, space, n):
        if space.kind == "real":
            return np.tile(space.center, (n, 1))
        if space.kind == "binary":
            bits = np.random.default_rng(0).integers(0, 2, space.dim).astype(space.dtype)
            return np.tile(bits, (n, 1))
        raise ValueError(f"the escape study's fixed start is defined on Real and Binary "
                         f"spaces, got {space!r}")


fixed_start = _FixedStart()


@functools.cache
def _box_cosine():
    from ..operators.learning_rates import CosineDecay

    class BoxCosine(CosineDecay):
        """A cosine-decaying learning rate given as a fraction of the box's mean width."""

        def pack(self, space=None):
            rate = super().pack(space)
            rate[0] *= float(np.mean(space.width))
            return rate

    return BoxCosine


def noisy_descent(noise: float = 0.0):
    """SGD for the landscapes, with its randomness dial: Adam steps (whose length does not
    depend on the scale of f) with a learning rate of 1% of the box width, decaying along a
    cosine to zero, plus Gaussian noise of standard deviation ``noise`` (in units of an Adam
    step) on every step. A landscape has no minibatches: this noise is SGD's randomness."""
    from ..operators.updates import Adam, AddNoise, chain

    noise = check_real("noise", noise, low=0.0)
    rules = [Adam()] + ([AddNoise(eta=noise ** 2, gamma=0.0)] if noise > 0 else [])
    return OPTIMIZERS.get("sgd")(learning_rate=_box_cosine()(0.01), update=chain(*rules))


def success_gap(problem: str) -> float:
    """A run succeeds when its gap is at most this: 0.5 on the landscapes and the trap (every
    other local minimum lies higher: Rastrigin 0.995, Ackley 1.2 in 10-D, Schwefel 118, the
    trap 1); exactly the optimum on NK, whose values lie in [0, 1]."""
    return 1e-9 if problem.startswith("nk") else 0.5


def measure(problem, optimizer, init, task):
    """What each task of the study runs (a suite measure): a plain run, keeping the restarts
    used and the temperature chosen; for the ``basin`` entry, ``restarts + 1`` independent
    climbs from ``init``, counting those that end in the global optimum's basin."""
    if task.optimizer == "basin":
        return _climbs(problem, optimizer, init, task)
    result = optimizer.run(problem, task.budget, rng=task.seed, init=init,
                           history=task.history, record_x=task.record_x)
    return result, {k: float(result.info[k]) for k in ("restarts", "t0") if k in result.info}


def _climbs(problem, optimizer, init, task):
    """``restarts + 1`` single climbs of the (adaptive-step) hill climber, and as many true
    local descents (:func:`descend`) from their own uniform starts: the climber's chance of
    success per climb (``hits``), which its restarts multiply, and the share of the box that
    lies in the global optimum's basin (``descent_hits``), which only a descent measures (the
    climber's steps grow until they hop between basins)."""
    climbs = optimizer.restarts + 1
    single = type(optimizer)(**{**optimizer.get_params(), "restarts": 0})
    ends = [single.run(problem, task.budget // climbs, rng=child, init=init, history=2)
            for child in np.random.default_rng(task.seed).spawn(climbs)]
    gaps = np.array([r.fun for r in ends]) - problem.f_opt
    extra = {"climbs": climbs, "hits": int(np.sum(gaps <= success_gap(problem.name))),
             "unfinished": int(sum(r.status.name != "CONVERGED" for r in ends)),
             "evaluations": float(np.mean([r.nfev for r in ends]))}
    if getattr(problem, "gradient", None) is not None and problem.space.kind == "real":
        starts = problem.space.sample(np.random.default_rng(seed_for_key(task.seed,
                                                                         ("descent",))),
                                      min(climbs, DESCENTS))
        descents = [descend(problem, x0) for x0 in starts]
        found = np.array([f for f, _ in descents]) - problem.f_opt
        extra.update(descents=len(descents),
                     descent_hits=int(np.sum(found <= success_gap(problem.name))),
                     descent_evaluations=float(np.mean([n for _, n in descents])))
    return min(ends, key=lambda r: r.fun), extra


#: A descent's steps are at most this fraction of the box's mean width (Rastrigin: 0.01 of
#: its period 1; Ackley 0.065; Schwefel 1, its ripples lie 60-200 apart), and it stops once
#: a step this much smaller than that fails.
DESCENT_STEP, DESCENT_TOL = 1e-3, 1e-3
DESCENT_ITERATIONS = 5_000
#: Descents per task of the basin experiment (at most; one per climb in the quick run).
DESCENTS = 40


def descend(problem, x0) -> tuple[float, int]:
    """``(f, evaluations)`` at the end of a true local descent from ``x0``: steepest descent
    with the landscape's own gradient, projected on the box, whose steps never exceed
    ``DESCENT_STEP`` of the box's width (growing by 1.2 after a success up to that cap,
    halving after a failure). It only ever moves downhill in short steps, so it cannot jump
    over a ridge into another basin, as a line search's first unit step (L-BFGS-B) or a
    climber's grown step can: it ends at the minimum of the basin it starts in, and the share
    of starts that end at the global optimum is the share of the box in its basin."""
    data, grad = problem.data, np.empty(problem.dim)
    lower, upper = problem.space.lower, problem.space.upper
    cap = DESCENT_STEP * float(np.mean(upper - lower))
    x = np.ascontiguousarray(x0, dtype=float)
    f = float(problem.gradient(x, data, grad))
    step, evaluations = cap, 1
    for _ in range(DESCENT_ITERATIONS):
        norm = float(np.sqrt(grad @ grad))
        if norm == 0.0 or step < DESCENT_TOL * cap * 1e-3:
            break
        trial = np.clip(x - (step / norm) * grad, lower, upper)
        g_trial = np.empty_like(grad)
        f_trial = float(problem.gradient(trial, data, g_trial))
        evaluations += 1
        if f_trial < f:
            x, f, grad = trial, f_trial, g_trial
            step = min(cap, 1.2 * step)
        else:
            step *= 0.5
    return f, evaluations


def problems(quick: bool) -> dict:
    """The suite's problem table: the landscapes in 2-D and 10-D, the trap, NK of rising K,
    and the basin experiment's landscapes swept over the dimension."""
    budget_2, budget_10, budget_bits = (8_000, 30_000, 12_000) if quick else \
        (40_000, 150_000, 60_000)
    landscapes = LANDSCAPES[:1] if quick else LANDSCAPES
    table = {f"{name}-{dim}": {"problem": name, "params": {"dim": dim, "shift": True},
                               "budget": budget}
             for dim, budget in ((2, budget_2), (10, budget_10)) for name in landscapes}
    table["trap"] = {"problem": "trap", "params": {"n": 20 if quick else 40, "k": 4},
                     "budget": budget_bits}
    table["nk"] = {"problem": "nk", "params": {"n": 20 if quick else 32},
                   "sweep": {"k": [0, 4] if quick else [0, 2, 4, 8]}, "budget": budget_bits}
    dims = [1, 2, 4, 10] if quick else list(range(1, 11))
    for name in LANDSCAPES:
        table[f"basin-{name}"] = {"problem": name, "params": {"shift": True},
                                  "sweep": {"dim": dims},
                                  "budget": basin_climbs(quick) * CLIMB_CAP}
    return table


def basin_climbs(quick: bool) -> int:
    """Climbs per task of the basin experiment (one task per seed)."""
    return 20 if quick else 100


def names(table: dict) -> list[str]:
    """The variant names the suite gives the entries of ``table`` (as ``parse_suite`` does)."""
    out = []
    for entry, body in table.items():
        (key, values), = body["sweep"].items() if "sweep" in body else ((None, [None]),)
        out += [entry if key is None else f"{entry}[{key}={json.dumps(v)}]" for v in values]
    return out


def optimizers(quick: bool) -> dict:
    """The suite's optimizer table: each family with its dial swept, and the basin climbs."""
    def values(family):
        return list(DIALS[family].quick if quick else DIALS[family].values)

    table = {
        "rhc": {"optimizer": "rhc", "sweep": {"restarts": values("rhc")},
                "label": "hill climbing", "family": "rhc"},
        "sa-greedy": {"optimizer": "sa", "params": {"t0": 0.0}, "family": "sa", "dial": "zero",
                      "label": "annealing at t0 = 0 (greedy)"},
        "sa": {"optimizer": "sa", "sweep": {"p0": [v for v in values("sa") if v > 0]},
               "family": "sa", "label": "simulated annealing"},
        "ga": {"optimizer": "ga", "sweep": {"mutation_rate": values("ga")}, "family": "ga",
               "label": "genetic algorithm"},
        "basin": {"optimizer": "rhc", "params": {"restarts": basin_climbs(quick) - 1},
                  "label": "independent single climbs (the basin experiment)"},
    }
    if "sgd" in OPTIMIZERS:
        table["sgd"] = {"optimizer": "stochsearch.studies.escape:noisy_descent",
                        "sweep": {"noise": values("sgd")}, "family": "sgd",
                        "label": "gradient descent with step noise"}
    return table


def family(variant: str) -> str | None:
    """The optimizer family of a suite variant name (None for the basin experiment)."""
    entry = variant.split("[")[0]
    return {"rhc": "rhc", "sa-greedy": "sa", "sa": "sa", "ga": "ga", "sgd": "sgd"}.get(entry)


def dial_value(record) -> float:
    """Where a record's dial stood (annealing at t0 = 0 counts as p0 = 0)."""
    kind, params = family(record["optimizer"]), record["params"]
    if kind == "sa" and "p0" not in params:
        return 0.0
    return float(params[DIALS[kind].param])


def is_landscape(problem: str) -> bool:
    return problem.split("-")[0] in LANDSCAPES


def label(problem: str) -> str:
    """``Rastrigin 10-D``, ``NK K=4``, ``deceptive trap``."""
    name, _, rest = problem.partition("-")
    if name in LANDSCAPES:
        return f"{name.capitalize()} {rest}-D"
    if problem.startswith("nk"):
        return f"NK K={nk_k(problem)}"
    return "deceptive trap" if problem == "trap" else problem


def nk_k(problem: str) -> int:
    return int(problem.split("k=")[-1].rstrip("]"))


def setting(kind: str, value: float) -> str:
    """A dial setting in words: ``20 restarts``, ``t0 = 0``, ``p0 = 0.8``, ``mutation 0.03``."""
    if kind == "rhc":
        return f"{int(value)} restart{'s' * (value != 1)}"
    if kind == "sa":
        return "t0 = 0" if value == 0 else f"p0 = {value:g}"
    return f"{'mutation' if kind == 'ga' else 'noise'} {value:g}"


def count(value: float) -> str:
    """A number of restarts: ``57``, ``1563``, ``1.9e+09``, ``inf``."""
    return f"{value:.0f}" if value < 1e5 else f"{value:.2g}"


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]
