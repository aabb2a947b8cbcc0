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
                "catalogue? These three numbers predict where random restarts and random steps "
                "can help.")

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
    return best, {"fdc": fdc, "rho": rho, "length": length, "optima": optima,
                  "climbs": climbs, "global": found / climbs, "kind": problem.space.kind,
                  "name": problem.name}


def _distance(space, X, reference):
    if space.kind == "real":
        return np.sqrt(np.sum(((X - reference) / space.width) ** 2, axis=1))
    return np.sum(X != reference, axis=1).astype(float)


def _walk_values(problem, rng, steps):
    space = problem.space
    x = space.sample(rng, 1)[0]
    points = np.empty((steps, space.dim), dtype=space.dtype)
    for t in range(steps):
        points[t] = x
        if space.kind == "real":
            x = np.clip(x + rng.normal(0.0, 0.01, space.dim) * space.width, space.lower,
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
                      "global": median("global"), "seeds": len(extras)})
    return table


def _markdown_table(table) -> str:
    lines = [("| landscape | FDC | walk autocorrelation ρ(1) | correlation length | distinct "
             "optima / climbs | climbs reaching the best |"), "|---|---|---|---|---|---|"]
    for row in table:
        lines.append(f"| {row['name']} | {row['fdc']:.2f} | {row['rho']:.3f} | "
                     f"{fmt(row['length'])} | {row['optima']:.0f} / {row['climbs']} | "
                     f"{row['global']:.0%} |")
    return ("Medians over seeds. FDC > 0: the value points towards the best point; near 0 or "
            "negative: it does not (deception). A correlation length of a few steps means a "
            "rugged landscape.\n\n" + "\n".join(lines))


def _plot(table, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.6))
    colors = {"real": "tab:blue", "binary": "tab:orange", "permutation": "tab:green"}
    for kind, color in colors.items():
        rows = [r for r in table if r["kind"] == kind]
        if not rows:
            continue
        left.scatter([r["fdc"] for r in rows], [r["optima"] / r["climbs"] for r in rows],
                     color=color, label=f"{kind} landscapes")
        for r in rows:
            left.annotate(r["problem"], (r["fdc"], r["optima"] / r["climbs"]), fontsize=7,
                          xytext=(3, 3), textcoords="offset points")
    left.set_xlabel("fitness-distance correlation")
    left.set_ylabel("distinct optima per climb")
    left.set_title("Informative and single-basin (right, bottom) vs deceptive and multimodal")
    left.legend()
    order = sorted(table, key=lambda r: r["length"])
    right.barh([r["problem"] for r in order], [min(r["length"], 1e3) for r in order],
               color=[colors[r["kind"]] for r in order], label="correlation length")
    right.set_xscale("log")
    right.set_xlabel("random-walk correlation length (steps, log scale)")
    right.set_ylabel("landscape")
    right.set_title("Ruggedness: short = rugged")
    right.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


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
