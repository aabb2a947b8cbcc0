"""Study *landscape*: descriptors that explain the other results.

For every landscape of the catalogue: fitness-distance correlation (FDC, Jones & Forrest 1995:
how well the value tells the distance to the best point), the random-walk autocorrelation and
correlation length (Weinberger 1990: ruggedness), and how many distinct local optima a number
of independent hill climbs end in (how many basins a restart can land in; on continuous
landscapes each climb's end is polished by L-BFGS-B to the minimum of its basin first).
"""
from __future__ import annotations

import itertools

import numpy as np

from ._base import Finding, Study, fmt

__all__ = ["STUDY", "describe"]

_CONTINUOUS = ["sphere", "ellipsoid", "zakharov", "rosenbrock", "styblinski-tang", "levy",
               "griewank", "ackley", "rastrigin", "schwefel", "michalewicz"]
_TWO_D = ["himmelblau", "six-hump-camel", "branin", "eggholder"]


def _problems(quick: bool) -> dict:
    dim = 5 if quick else 10
    table = {name: {"problem": name, "params": {"dim": dim, "shift": True}}
             for name in (_CONTINUOUS[::3] if quick else _CONTINUOUS)}
    table.update({name: {"problem": name, "params": {"shift": True}}
                  for name in (_TWO_D[:1] if quick else _TWO_D)})
    n = 32 if quick else 64
    table.update({
        "onemax": {"problem": "onemax", "params": {"n": n}},
        "trap": {"problem": "trap", "params": {"n": n, "k": 4}},
        "fourpeaks": {"problem": "fourpeaks", "params": {"n": n}},
        "nk": {"problem": "nk", "sweep": {"k": [0, 2, 4] if quick else [0, 1, 2, 4, 8]},
               "params": {"n": 24 if quick else 32}},
    })
    return table


class LandscapeStudy(Study):
    name = "landscape"
    title = "Landscape: what the other results depend on"
    question = ("How informative, how rugged, and how many basins has each landscape of the "
                "catalogue? (Descriptors only: whether they predict where random restarts "
                "help is not tested here, so it is not claimed.)")

    def suite(self, quick: bool) -> dict:
        return {
            # The budget is per climb: enough for the 1/5th-rule climber to converge in 10-D.
            "suite": {"seed": 11, "seeds": 2 if quick else 5,
                      "budget": 4_000 if quick else 20_000,
                      "history": 2, "measure": "stochsearch.studies.landscape:describe"},
            "optimizers": {"climb": {"optimizer": "rhc", "params": {"restarts": 0}}},
            "problems": _problems(quick),
        }

    def analyze(self, records, figures, quick):
        table = _table(records)
        _plot(table, figures / "landscape.png")
        body = _markdown_table(table)
        return _findings(table), {"table": table}, body


def describe(problem, optimizer, init, task):
    """The three descriptors of ``problem`` from the seed ``task.seed`` (a suite measure)."""
    rng = np.random.default_rng(task.seed)
    climbs = 8 if task.budget <= 4_000 else 20
    ends = [optimizer.run(problem, task.budget, rng=rng.spawn(1)[0], init=init)
            for _ in range(climbs)]
    best = min(ends, key=lambda r: r.fun)
    reference = problem.x_opt if problem.x_opt is not None else best.x
    samples = problem.space.sample(rng, 1_000)
    values = problem.evaluate(samples)
    distances = _distance(problem.space, samples, reference)
    finite = np.isfinite(values)
    fdc = float(np.corrcoef(values[finite], distances[finite])[0, 1])
    walk = _walk_values(problem, rng, 1_000)
    rho = float(np.corrcoef(walk[:-1], walk[1:])[0, 1])
    length = float(-1.0 / np.log(abs(rho))) if 0.0 < abs(rho) < 1.0 else float("inf")
    optima = _distinct(problem.space, np.array([_settle(problem, r.x) for r in ends]))
    f_opt = problem.f_opt if problem.f_opt is not None else best.fun
    tolerance = 1e-6 * max(1.0, abs(f_opt))
    found = sum(r.fun <= f_opt + tolerance for r in ends)
    step = float(_WALK * np.mean(problem.space.width)) if problem.space.kind == "real" else 1.0
    return best, {"fdc": fdc, "rho": rho, "length": length, "optima": optima, "step": step,
                  "climbs": climbs, "global": found / climbs, "kind": problem.space.kind,
                  "name": problem.name}


def _distance(space, X, reference):
    if space.kind == "real":
        return np.sqrt(np.sum(((X - reference) / space.width) ** 2, axis=1))
    return np.sum(X != reference, axis=1).astype(float)


#: The random walk's Gaussian step on Real spaces, as a fraction of the box's width per
#: coordinate (bit strings: one bit flip; permutations: one swap).
_WALK = 0.01
#: Landscapes whose ripples have a known period (1 in z): the walk step is stated in periods.
_PERIOD = {"rastrigin": 1.0, "ackley": 1.0}


def _walk_values(problem, rng, steps):
    space = problem.space
    x = space.sample(rng, 1)[0]
    points = np.empty((steps, space.dim), dtype=space.dtype)
    for t in range(steps):
        points[t] = x
        if space.kind == "real":
            x = np.clip(x + rng.normal(0.0, _WALK, space.dim) * space.width, space.lower,
                        space.upper)
        elif space.kind == "binary":
            x = x.copy()
            x[rng.integers(space.dim)] ^= 1
        else:
            x = x.copy()
            i, j = rng.choice(space.dim, 2, replace=False)
            x[i], x[j] = x[j], x[i]
    return problem.evaluate(points)


def _settle(problem, x):
    """The local minimum whose basin the climb ended in: on a Real space with a gradient, the
    end point polished by L-BFGS-B, so that a climb stopped short of its optimum (on an
    ill-conditioned valley) does not count as an optimum of its own."""
    if problem.space.kind != "real" or problem.gradient is None:
        return x
    from scipy.optimize import minimize

    space, out = problem.space, np.empty(problem.space.dim)

    def value_and_gradient(z):
        value = problem.gradient(np.ascontiguousarray(z, dtype=float), problem.data, out)
        return float(value), out.copy()

    polished = minimize(value_and_gradient, x, jac=True, method="L-BFGS-B",
                        bounds=list(zip(space.lower, space.upper)),
                        options={"maxiter": 2_000, "ftol": 1e-15, "gtol": 1e-12})
    return polished.x if polished.fun <= problem.evaluate(x[None, :])[0] else x


def _distinct(space, ends) -> int:
    """Climbs ending within 0.1% of the box width of each other count as one optimum."""
    if space.kind != "real":
        return len({e.tobytes() for e in ends})
    scaled = ends / space.width
    kept = []
    for point in scaled:
        if all(np.max(np.abs(point - other)) > 1e-3 for other in kept):
            kept.append(point)
    return len(kept)


def _table(records) -> list[dict]:
    rows = {}
    for r in records:
        rows.setdefault(r["problem"], []).append(r["extra"])
    table = []
    for problem, extras in rows.items():
        def median(key, extras=extras):
            return float(np.median([e[key] for e in extras]))
        table.append({"problem": problem, "name": extras[0]["name"], "kind": extras[0]["kind"],
                      "fdc": median("fdc"), "rho": median("rho"), "length": median("length"),
                      "optima": median("optima"), "climbs": extras[0]["climbs"],
                      "global": median("global"), "seeds": len(extras),
                      "step": extras[0].get("step", float("nan"))})
    return table


def _markdown_table(table) -> str:
    lines = [("| landscape | FDC | walk step | walk autocorrelation ρ(1) | correlation length "
              "(steps) | distinct optima / climbs | climbs reaching the best |"),
             "|---|---|---|---|---|---|---|"]
    for row in table:
        lines.append(f"| {row['name']} | {row['fdc']:.2f} | {_step_text(row)} | "
                     f"{row['rho']:.3f} | {fmt(row['length'])} | {row['optima']:.0f} / "
                     f"{row['climbs']} | {row['global']:.0%} |")
    return ("Medians over seeds. FDC > 0: the value points towards the best point; near 0 or "
            "negative: it does not (deception). The ruggedness walk takes Gaussian steps of "
            f"{_WALK:.0%} of the box's width per coordinate on Real spaces (the column gives "
            "that step in each landscape's own units, and in ripple periods where the ripples "
            "have one), one bit flip on bit strings: a correlation length of a few steps means "
            "a landscape rugged *at that step*, so it compares landscapes only relative to "
            "their own scale.\n\n" + "\n".join(lines))


def _step_text(row) -> str:
    if row["kind"] != "real":
        return "1 bit flip"
    period = _PERIOD.get(row["problem"])
    return fmt(row["step"], 2) + (f" ({row['step'] / period:.2g} periods)" if period else "")


def _plot(table, path):
    """Three aligned bar panels, one row per landscape (sorted by distinct optima per climb):
    FDC, correlation length and distinct optima per climb; the names are the shared y axis, so
    no label overlaps another."""
    from ..suite import plots

    colors = {"real": "tab:blue", "binary": "tab:orange", "permutation": "tab:green"}
    order = sorted(table, key=lambda r: (r["optima"] / r["climbs"], r["problem"]))
    names = [r["name"].removesuffix("-shift0") for r in order]
    figure, axes = plots._figure(3, width=4.2, height=0.32 * len(order) + 1.6, columns=3)
    panels = [("fdc", "fitness-distance correlation\n(< 0: deceptive)", False),
              ("length", "random-walk correlation length\n(steps, log; short: rugged)", True),
              ("optima", "distinct optima per climb\n(1/climbs: a single basin)", False)]
    ys = np.arange(len(order))
    for i, (ax, (key, title, log)) in enumerate(zip(axes, panels)):
        values = [r[key] / r["climbs"] if key == "optima" else min(r[key], 1e3) for r in order]
        ax.barh(ys, values, color=[colors[r["kind"]] for r in order])
        ax.set_yticks(ys, names if i == 0 else [""] * len(names), fontsize=8)
        ax.set_title(title, fontsize=9)
        ax.grid(axis="x", alpha=0.3)
        if log:
            ax.set_xscale("log")
        if key == "fdc":
            ax.axvline(0.0, color="black", lw=0.8)
    from matplotlib.patches import Patch
    handles = [Patch(color=c, label=f"{k} landscapes") for k, c in colors.items()
               if any(r["kind"] == k for r in table)]
    return plots._save(figure, path, handles, "What each landscape looks like to a search: "
                       "informative, rugged, multimodal")


def _findings(table) -> list[Finding]:
    single = [r["problem"] for r in table if r["optima"] <= 1]
    many = sorted(table, key=lambda r: -r["optima"] / r["climbs"])[:3]
    findings = [Finding(
        f"{len(single)} of {len(table)} landscapes have a single basin for hill climbing "
        f"(every climb ended in the same basin: {', '.join(single) or 'none'}); restarts cannot "
        f"help there. The most multimodal are " + ", ".join(
            f"{r['problem']} ({r['optima']:.0f} optima in {r['climbs']} climbs)" for r in many)
        + ".")]
    trap = next((r for r in table if r["problem"] == "trap"), None)
    onemax = next((r for r in table if r["problem"] == "onemax"), None)
    if trap and onemax:
        findings.append(Finding(
            f"The concatenated trap is deceptive (FDC {trap['fdc']:.2f}) where OneMax is not "
            f"(FDC {onemax['fdc']:.2f}): on the trap, a better value points away from the "
            "optimum.", holds=trap["fdc"] < 0 < onemax["fdc"]))
    nk = sorted((r for r in table if r["problem"].startswith("nk")),
                key=lambda r: int(r["problem"].split("k=")[-1].rstrip("]")))
    if len(nk) >= 3:
        optima = [r["optima"] for r in nk]
        lengths = [r["length"] for r in nk]
        rising = all(b >= a for a, b in itertools.pairwise(optima))
        falling = all(b <= a for a, b in itertools.pairwise(lengths))
        ks = [r["problem"].split("k=")[-1].rstrip("]") for r in nk]
        findings.append(Finding(
            f"NK landscapes get more rugged as K rises from {ks[0]} to {ks[-1]}: distinct "
            f"optima {optima[0]:.0f} -> {optima[-1]:.0f} per {nk[0]['climbs']} climbs, "
            f"correlation length {fmt(lengths[0])} -> {fmt(lengths[-1])} steps"
            + ("." if rising and falling else ", though not monotonically."),
            holds=rising and falling))
    return findings


STUDY = LandscapeStudy()
