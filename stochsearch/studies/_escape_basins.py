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


def basins(records) -> dict:
    """``{landscape: [Basin by dimension]}`` from the basin experiment's tasks."""
    grouped = {}
    for r in records:
        landscape = r["problem"].split("[")[0].removeprefix("basin-")
        grouped.setdefault((landscape, r["dim"]), []).append(r["extra"])
    out = {}
    for (landscape, dim), extras in sorted(grouped.items()):
        row = Basin(dim, sum(e["hits"] for e in extras), sum(e["climbs"] for e in extras),
                    float(np.mean([e["evaluations"] for e in extras])))
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

    text = (f"On shifted {landscape.capitalize()}, a climb from a uniform random start ends in "
            f"the global optimum's basin {parts}")
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
    text += ". A 95% chance of at least one success takes " + " and ".join(map(restarts, two))
    # Expected: p falls as the dimension grows (from the lowest to the highest dimension,
    # and along the fit where there is one).
    falls = rows[0].p > rows[-1].p and (line is None or line[0] < 1.0)
    return Finding(text + ".", holds=falls)


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
        "rates follow 1 - (1 - p)^(k+1) with p from the basin experiment: they agree at "
        f"{agree} of {len(points)} points (95% intervals overlap). The swept number of "
        "restarts that first reached a 95% success rate, and the one the prediction names, "
        f"agree on {same} of {len(sweep)} problems: " + "; ".join(map(needed, sweep)) + ".",
        holds=agree >= 0.9 * len(points))
