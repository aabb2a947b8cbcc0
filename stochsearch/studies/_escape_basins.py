"""The escape study's basin experiment: by sampling single climbs from uniform random starts,
the probability p that a start lies in the global optimum's basin as the dimension grows, the
restarts it implies, and whether the restarts sweep behaves as independent tries with that p.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._base import Finding, fmt
from ._escape_design import count, label
from ._escape_stats import rate, wilson

#: A fit through log p is trusted for extrapolation only with this many dimensions with hits.
MIN_FIT_POINTS = 3


@dataclass
class Basin:
    """Climbs from uniform starts on one landscape in one dimension."""

    dim: int
    hits: int
    climbs: int
    evaluations: float          # per climb, on average
    p: float = 0.0
    low: float = 0.0
    high: float = 0.0
    restarts: float = 0.0       # for a 95% chance of at least one success, from p
    restarts_low: float = 0.0   # ... from the upper end of p's interval
    restarts_high: float = 0.0  # ... from the lower end


def restarts_for(p: float, chance: float = 0.95) -> float:
    """Restarts (climbs - 1) for ``chance`` of at least one climb succeeding with ``p`` each:
    the smallest k with ``1 - (1 - p)^(k + 1) >= chance``, i.e.
    ``ceil(log(1 - chance) / log(1 - p)) - 1``."""
    if p >= 1.0:
        return 0.0
    if p <= 0.0:
        return math.inf
    return max(0.0, math.ceil(math.log(1.0 - chance) / math.log1p(-p)) - 1.0)


def basins(records, hits: str = "descent_hits", evaluations: str = "descent_evaluations",
           tries: str = "descents") -> dict:
    """``{landscape: [Basin by dimension]}`` from the basin experiment's tasks: by default the
    true local descents (the share of the box in the global optimum's basin); with
    ``hits="hits", evaluations="evaluations"`` the hill climber's single climbs (its chance of
    success per climb, which its restarts multiply)."""
    grouped = {}
    for r in records:
        if hits not in r["extra"]:
            continue
        landscape = r["problem"].split("[")[0].removeprefix("basin-")
        grouped.setdefault((landscape, r["dim"]), []).append(r["extra"])
    out = {}
    for (landscape, dim), extras in sorted(grouped.items()):
        row = Basin(dim, sum(e[hits] for e in extras), sum(e[tries] for e in extras),
                    float(np.mean([e[evaluations] for e in extras])))
        row.p = row.hits / row.climbs
        row.low, row.high = wilson(row.hits, row.climbs)
        row.restarts, row.restarts_low, row.restarts_high = (
            restarts_for(row.p), restarts_for(row.high), restarts_for(row.low))
        out.setdefault(landscape, []).append(row)
    return out


def fit(rows) -> tuple[float, float] | None:
    """``(factor per added dimension, log p at dimension 0)``: a weighted least-squares line
    through log p over the dimensions with at least one hit (None with fewer than
    ``MIN_FIT_POINTS`` of them: two points always fit and say nothing about the trend)."""
    used = [r for r in rows if r.hits > 0]
    if len(used) < MIN_FIT_POINTS:
        return None
    slope, intercept = np.polyfit([r.dim for r in used], np.log([r.p for r in used]), 1,
                                  w=np.sqrt([r.hits for r in used]))
    return float(np.exp(slope)), float(intercept)


def fitted(line, dim) -> float:
    """The fitted p in dimension ``dim``."""
    return math.exp(line[1] + math.log(line[0]) * dim)


def sweep_vs_prediction(table, found, problems) -> list[dict]:
    """For each landscape problem of the sweep whose dimension the basin experiment sampled:
    the success rate of hill climbing with k restarts from uniform starts, observed and
    predicted as ``1 - (1 - p)^(k + 1)``, and the restarts each says a 95% chance needs."""
    out = []
    for problem in problems:
        name, _, dim = problem.partition("-")
        row = next((b for b in found.get(name, []) if str(b.dim) == dim), None)
        if row is None:
            continue
        points = []
        for (kind, p, init, k), gaps in sorted(table.items(), key=lambda kv: kv[0][3]):
            if (kind, p, init) != ("rhc", problem, "uniform"):
                continue
            observed, low, high = rate(gaps, problem)
            predicted = [1.0 - (1.0 - q) ** (k + 1.0) for q in (row.p, row.low, row.high)]
            points.append({"restarts": int(k), "observed": observed, "low": low, "high": high,
                           "predicted": predicted[0], "predicted_low": predicted[1],
                           "predicted_high": predicted[2],
                           "agree": bool(low <= predicted[2] and predicted[1] <= high)})
        reached = [pt["restarts"] for pt in points if pt["observed"] >= 0.95]
        foreseen = [pt["restarts"] for pt in points if pt["predicted"] >= 0.95]
        out.append({"problem": problem, "landscape": name, "dim": int(dim), "p": row.p,
                    "restarts_95": row.restarts,
                    "restarts_95_range": [row.restarts_low, row.restarts_high],
                    "needed": min(reached, default=None),
                    "predicted_needed": min(foreseen, default=None), "points": points})
    return out


def basin_finding(landscape, rows) -> Finding:
    """How p falls with the dimension on one landscape, and the restarts it implies."""
    line = fit(rows)
    shown = [r for r in rows if r.dim in (1, 2, 5, 10)] or rows
    parts = ", ".join(f"{r.hits}/{r.climbs} in {r.dim}-D" for r in shown)

    def restarts(row):
        if row.hits:
            return (f"{count(row.restarts)} restarts in {row.dim}-D "
                    f"(interval {count(row.restarts_low)}-{count(row.restarts_high)})")
        return f"at least {count(row.restarts_low)} restarts in {row.dim}-D (no hit)"

    text = (f"On shifted {landscape.capitalize()}, a true local descent (steepest descent in "
            f"short steps, with the landscape's gradient) from a uniform random start ends at "
            f"the global optimum (so the start lay in its basin) {parts}")
    used = [r.dim for r in rows if r.hits > 0]
    if line is not None:
        text += (f"; the chance shrinks by a factor {line[0]:.2f} per added dimension (a fit "
                 f"over {min(used)}-{max(used)}-D)")
        top = rows[-1]
        if top.hits == 0:
            guess = fitted(line, top.dim)
            text += (f", which extrapolates to p of about {fmt(guess, 2)} in {top.dim}-D, some "
                     f"{count(restarts_for(guess))} restarts")
    two = [r for r in rows if r.dim in (2, max(r.dim for r in rows))]
    text += (". A 95% chance that at least one of k + 1 descents from random starts succeeds "
             "takes " + " and ".join(map(restarts, two)))
    # Expected: p does not rise with the dimension (from the lowest to the highest, and
    # along the fit where there is one); a basin too small to hit even in 1-D stays at 0.
    falls = rows[0].p >= rows[-1].p and (line is None or line[0] < 1.0)
    return Finding(text + ".", holds=falls, key=f"basin-{landscape}")


def climber_finding(found, climbs) -> Finding | None:
    """The hill climber's chance per climb against the share of the box in the global basin
    (1-D): its adaptive steps grow towards the box's width and hop between basins, so a
    climb's success chance is not the basin's size."""
    pairs = [(name, found[name][0], climbs[name][0]) for name in found
             if name in climbs and found[name][0].dim == climbs[name][0].dim == 1]
    if not pairs:
        return None
    hops = [name for name, d, c in pairs if c.low > d.high or c.high < d.low]
    return Finding(
        "A single climb of the hill climber is not a descent: its 1/5th-rule steps grow "
        "after each success up to the whole box, so it hops between basins. In 1-D it ends at "
        "the global optimum from " + ", ".join(
            f"{c.hits}/{c.climbs} random starts on {name.capitalize()} (p = {fmt(c.p, 2)}) "
            f"against {fmt(d.p, 2)} for a local descent" for name, d, c in pairs)
        + (f"; the climber's chance differs from the basin's share (95% Wilson intervals "
           f"apart) on {', '.join(hops)}" if hops else "")
        + ". The basins above are measured with descents; the restarts sweep below is "
        "compared with the climber's own chance per climb.",
        holds=bool(hops), key="climber-hops")


def schwefel_shares(problem) -> np.ndarray:
    """Per coordinate of a (shifted, unrotated) Schwefel ``problem``, the share of its range
    that lies in the global optimum's 1-D basin: z = x - offset from the ridge below the
    optimum (the local maximum of the 1-D term between z = 204 and z = 421, found on a fine
    grid) upwards, through the optimum and the penalty wall beyond |z| = 500, which slopes
    back into the same basin."""
    z = np.linspace(204.0, problem.z_star, 20_001)
    term = -z * np.sin(np.sqrt(z))                      # the 1-D term, up to a constant
    ridge = float(z[np.argmax(term)])
    offset = problem.x_opt - problem.z_star
    lower, upper = problem.space.lower, problem.space.upper
    return np.clip((upper - np.maximum(lower, ridge + offset)) / (upper - lower), 0.0, 1.0)


def schwefel_finding(found) -> Finding | None:
    """Why Schwefel's global basin is so large in few dimensions, and why it still vanishes
    with the dimension, measured on the instances the experiment used: the landscape is
    separable, so the basin is the product of one 1-D basin per coordinate, and the shift
    moves part of each coordinate's range beyond Schwefel's domain (|z| <= 500), onto a
    penalty wall that slopes back into the optimum's basin."""
    rows = found.get("schwefel")
    if not rows:
        return None
    from ..registry import PROBLEMS

    predicted = {}
    for r in rows:
        predicted[r.dim] = float(np.prod(schwefel_shares(
            PROBLEMS.get("schwefel")(dim=r.dim, shift=True))))
    agree = [r for r in rows if r.low <= predicted[r.dim] <= r.high]
    shown = [r for r in rows if r.dim in (1, 2, 5, 10)] or rows
    return Finding(
        "Schwefel explained: it is separable (one term per coordinate), so a start lies in the "
        "global basin exactly when each coordinate lies in its own 1-D basin, which reaches "
        "from the ridge below the optimum (z of about 300) up to the domain's edge z = 500 "
        "and on over the penalty wall beyond it, onto which the shift moves much of the box. "
        "The product of those shares, computed from each instance's shift, against the "
        "descents' p: " + ", ".join(f"{r.dim}-D {fmt(predicted[r.dim], 2)} against "
                                    f"{fmt(r.p, 2)}" for r in shown)
        + f"; within the 95% Wilson interval in {len(agree)} of {len(rows)} dimensions. A "
        "large share per coordinate makes the 1-D chance high, and the product over ten "
        "coordinates still makes it small.",
        holds=len(agree) >= 0.8 * len(rows), key="schwefel")


def prediction_finding(sweep) -> Finding:
    """Whether the restarts sweep's success rates match independent tries with the basin p."""
    points = [pt for row in sweep for pt in row["points"]]
    agree = sum(pt["agree"] for pt in points)
    same = sum(row["needed"] == row["predicted_needed"] for row in sweep)

    def needed(row):
        said = count(row["restarts_95"]) if math.isfinite(row["restarts_95"]) else \
            f"more than {count(row['restarts_95_range'][0])}"
        largest = max(pt["restarts"] for pt in row["points"])
        swept = (f"first reached 95% at {row['needed']}" if row["needed"] is not None
                 else f"did not reach 95% up to {largest}")
        grid = (f"{row['predicted_needed']} on the swept grid"
                if row["predicted_needed"] is not None else f"beyond the grid's {largest}")
        return (f"{label(row['problem'])}: the sweep {swept}, p predicts {said} restarts "
                f"({grid})")

    return Finding(
        "If restarts from random starts are independent tries, the restarts sweep's success "
        "rates follow 1 - (1 - p)^(k+1) with p a single climb's own chance of success (from "
        "the same experiment): they agree at "
        f"{agree} of {len(points)} points (95% intervals overlap). The swept number of "
        "restarts that first reached a 95% success rate, and the one the prediction names, "
        f"agree on {same} of {len(sweep)} problems: " + "; ".join(map(needed, sweep)) + ".",
        holds=agree >= 0.9 * len(points), key="prediction")
