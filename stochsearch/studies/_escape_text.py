"""The escape study's words: its findings (sentences computed from the statistics, each with
the expectation it tests) and the Markdown body with its tables.
"""
from __future__ import annotations

import numpy as np

from ._base import Finding, fmt
from ._escape_basins import (
    basin_finding,
    climber_finding,
    prediction_finding,
    schwefel_finding,
)
from ._escape_design import (
    DIALS,
    INITS,
    capital,
    count,
    label,
    nk_k,
    problems,
    setting,
    typical,
)
from ._escape_stats import clipped, rate


def findings(table, families, shown, headline, contrasts, found, sweep, quick, climbs=None,
             equal=None):
    """Every finding of the study, the headline first (each keyed, so that the quick run's
    flags can be compared with the full run's)."""
    out = [_headline(headline, equal)] if headline else []
    for kind in families:
        rows = [r for r in contrasts["both"] if r["family"] == kind]
        if rows:
            out.append(_dial(kind, rows, quick))
    out.append(_apart(contrasts))
    out.append(_too_much(table, families, shown))
    out += [f for f in (_nk(table, shown, quick), _trap(table, quick)) if f]
    out += [basin_finding(name, rows) for name, rows in found.items()]
    out += [f for f in (climber_finding(found, climbs or {}), schwefel_finding(found)) if f]
    if sweep:
        out.append(prediction_finding(sweep))
    return out


def _headline(h, e=None) -> Finding:
    if e:
        return _equal_headline(e)
    beat = h["p"] < 0.05 and h["median_restarts"] < h["median_single"]
    return Finding(
        f"On shifted Rastrigin-10, hill climbing with {h['restarts']} restarts from uniform "
        f"random starts ended at a median gap of {fmt(h['median_restarts'])} (95% bootstrap "
        f"interval {fmt(h['ci_restarts'][0])}-{fmt(h['ci_restarts'][1])}, success rate "
        f"{h['success_restarts']:.0%}) against {fmt(h['median_single'])} "
        f"({fmt(h['ci_single'][0])}-{fmt(h['ci_single'][1])}, success rate "
        f"{h['success_single']:.0%}) for a single climb from the fixed start (one-sided "
        f"Mann-Whitney p = {fmt(h['p'], 2)}, A12 = {h['a12']:.2f}, {h['seeds']} seeds each): "
        "random restarts " + ("beat a single fixed start." if beat else
                              "did not beat a single fixed start."), holds=beat, key="headline")


def _equal_headline(e) -> Finding:
    """Restarts from random starts against a single fixed climb, taken apart at equal
    evaluations: compute (restarts from the same fixed start) and random starts."""
    def cell(name):
        c = e[name]
        return (f"{fmt(c['median'])} ({fmt(c['ci'][0])}-{fmt(c['ci'][1])}, "
                f"{c['evaluations']:,.0f} evaluations)")

    k = e["restarts"]
    starts = e["p_starts"] < 0.05 and e["random"]["median"] < e["fixed"]["median"]
    share = e["share_compute"]
    split = (f"on a log scale of the median gap, {share:.0%} of the gain is compute and "
             f"{1 - share:.0%} random starts" if np.isfinite(share) else
             "restarts from random starts gained nothing over the single climb")
    return Finding(
        f"On shifted Rastrigin-10, median final gap (95% bootstrap interval, median "
        f"evaluations), {e['seeds']} seeds each: one hill climb from the fixed start "
        f"{cell('single')}; {k} restarts from that same fixed start {cell('fixed')}; {k} "
        f"restarts from uniform random starts {cell('random')}; one annealing run from the "
        f"fixed start given the whole budget {cell('long')}. At equal evaluations random "
        f"starts against the fixed start: Mann-Whitney p = {fmt(e['p_starts'], 2)}, A12 = "
        f"{e['a12_starts']:.2f}; {split}. "
        + ("Random starts beat the fixed start at equal compute." if starts else
           "At equal compute random starts did not beat the fixed start: the restarts' gain "
           "is compute."), holds=starts, key="headline")


def _dial(kind, rows, quick) -> Finding:
    """Random start and dial turned up against the fully deterministic setting. A fixed start
    that already lies in the global basin (every run from it succeeded) is a lucky guess, not a
    search that randomness failed to help: it is named, but does not count against."""
    def names(verdict, lucky=None):
        return [label(r["problem"]) for r in rows if r["verdict"] == verdict
                and (lucky is None or (r["success_zero"] == 1.0) == lucky)]

    helped, same = names("helped"), names("no difference")
    hurt, lucky = names("hurt", lucky=False), names("hurt", lucky=True)
    still = names("baseline cannot move")
    counted = [r for r in rows if r["verdict"] != "baseline cannot move"]
    text = (f"{capital(DIALS[kind].label)}, {setting(kind, typical(kind, quick))} from random "
            f"starts against {setting(kind, 0)} from the fixed start (Mann-Whitney on final "
            "gaps with successes counted alike, Holm-corrected over the problems, p < 0.05): "
            f"better on {len(helped)} of {len(rows) - len(still)} problems"
            + (f", worse on {', '.join(hurt)}" if hurt else ""))
    if still:
        text += (f"; not counted: {', '.join(still)}, where {setting(kind, 0)} from the fixed "
                 "start cannot move (every run ended at the start's own value)")
    if lucky:
        text += (f", worse on {', '.join(lucky)} only where the fixed start already lies in the "
                 "global optimum's basin (every run from it succeeded with the dial at zero)")
    if same:
        text += f"; no significant difference on {', '.join(same)}"
    return Finding(
        text + f". Mean success rate {np.mean([r['success_zero'] for r in rows]):.0%} -> "
        f"{np.mean([r['success_up'] for r in rows]):.0%}" + (
            "" if not still else " (counting the baseline that cannot move)") + ".",
        # Expected: turning the dial up from random starts raises the mean success rate and
        # makes no problem significantly worse (a fixed start already in the global basin
        # aside); how many problems it significantly improves is in the sentence.
        holds=(not hurt and np.mean([r["success_up"] for r in counted])
               > np.mean([r["success_zero"] for r in counted])) if counted else None,
        key=f"dial-{kind}")


def _apart(contrasts) -> Finding:
    def where(question, verdict):
        return [r for r in contrasts[question] if r["verdict"] == verdict]

    def pairs(rows):
        return ", ".join(f"{DIALS[r['family']].label} on {label(r['problem'])}" for r in rows)

    still = [r for r in contrasts["steps"] if r["verdict"] == "baseline cannot move"]
    equal = contrasts.get("equal", [])
    helped = {}
    for r in where("start", "helped"):
        helped[r["family"]] = helped.get(r["family"], 0) + 1
    most = max(helped, key=helped.get, default=None)
    worse_start, worse_steps = where("start", "hurt"), where("steps", "hurt")
    return Finding(
        f"Taken apart over {len(contrasts['start'])} (optimizer, problem) pairs: a uniform "
        f"random start alone (every dial at zero) was better in {len(where('start', 'helped'))}"
        f" and worse in {len(worse_start)}" + (f" ({pairs(worse_start)})" if worse_start else "")
        + "; random steps alone (the dial turned up, same fixed start) were better in "
        f"{len(where('steps', 'helped'))} and worse in {len(worse_steps)}"
        + (f" ({pairs(worse_steps)})" if worse_steps else "")
        + (f". A random start alone mattered most for the {DIALS[most].label} (better on "
           f"{helped[most]} problem{'s' * (helped[most] > 1)})" if most else "")
        + (f". Left out as baselines that cannot move ({pairs(still)}): a search stuck at its "
           "start is no evidence for random steps" if still else "")
        + (f". At equal evaluations (the typical setting of each dial, fixed start against "
           f"random starts): random starts better in {len(where('equal', 'helped'))} and "
           f"worse in {len(where('equal', 'hurt'))} of {len(equal)}"
           if equal else "") + ".",
        key="apart")


def _too_much(table, families, shown) -> Finding:
    """Whether a dial's best setting lies strictly inside the swept range (from random starts):
    there, both too little and too much randomness did worse."""
    parts = []
    for kind in families:
        values = sorted({k[3] for k in table if k[0] == kind})
        if len(values) < 3:
            continue
        interior, total = [], 0
        for problem in shown:
            medians = [np.median(clipped(table[(kind, problem, "uniform", v)], problem))
                       for v in values if (kind, problem, "uniform", v) in table]
            if len(medians) != len(values):
                continue
            total += 1
            if min(medians[1:-1]) < min(medians[0], medians[-1]):
                interior.append(label(problem))
        parts.append(f"{DIALS[kind].label} (0 to {setting(kind, values[-1])}): {len(interior)} "
                     f"of {total}" + (f" ({', '.join(interior)})" if interior else ""))
    return Finding(
        "Where the dial has an interior optimum, too much randomness hurts as well as too "
        "little: the problems on which, from random starts, a setting strictly between zero and "
        "the largest gave a lower median gap (successes counted alike) than both ends: "
        + ("; ".join(parts) if parts else "no dial with three or more settings") + ".",
        key="too-much")


def _nk(table, shown, quick) -> Finding | None:
    nk = sorted((p for p in shown if p.startswith("nk")), key=nk_k)
    if len(nk) < 2:
        return None
    k = typical("rhc", quick)

    def best(problem):
        rates = {key: rate(g, problem)[0] for key, g in table.items() if key[1] == problem}
        top = max(rates, key=rates.get)
        where = "the fixed start" if top[2] == "fixed" else "random starts"
        return rates[top], f"{DIALS[top[0]].label}, {setting(top[0], top[3])} from {where}"

    bests = [best(p) for p in nk]
    climbs = [rate(table[("rhc", p, "uniform", k)], p)[0] for p in nk]
    ks = [str(nk_k(p)) for p in nk]
    harder = bests[-1][0] < bests[0][0] and climbs[-1] < climbs[0]
    return Finding(
        f"On NK landscapes, as K rises {' -> '.join(ks)} the best success rate of any setting "
        f"goes {' -> '.join(f'{b[0]:.0%}' for b in bests)} (at K = {ks[-1]}: {bests[-1][1]}), "
        f"and that of hill climbing with {int(k)} restarts from random starts "
        f"{' -> '.join(f'{c:.0%}' for c in climbs)}"
        + (": the more epistasis, the harder the landscape is to escape." if harder else
           ": the high-K landscapes were not harder for both here."), holds=harder, key="nk")


def _source(init, value) -> str:
    """The randomness a setting adds to the dial-at-zero, fixed-start baseline."""
    return {("uniform", False): "random starts, no random steps",
            ("fixed", True): "random steps, no random starts",
            ("uniform", True): "random starts and random steps",
            ("fixed", False): "neither random starts nor random steps"}[(init, value > 0)]


def _trap(table, quick) -> Finding | None:
    keys = [k for k in table if k[1] == "trap"]
    if not keys:
        return None
    rates = {k: rate(table[k], "trap")[0] for k in keys}
    restarts = typical("rhc", quick)
    climb = max(rates.get(("rhc", "trap", init, restarts), 0.0) for init in INITS)
    top = max(rates, key=rates.get)
    kind, _, init, value = top

    def best(test):
        chosen = [r for k, r in rates.items() if test(k[2], k[3])]
        return max(chosen, default=0.0)

    starts = best(lambda i, v: i == "uniform" and v == 0)
    steps = best(lambda i, v: i == "fixed" and v > 0)
    return Finding(
        f"On the deceptive trap, hill climbing with {int(restarts)} restarts reached the "
        f"optimum in {climb:.0%} of runs. The best setting was the {DIALS[kind].label} with "
        f"{setting(kind, value)} from {'the fixed start' if init == 'fixed' else 'random starts'}"
        f" ({rates[top]:.0%}: {_source(init, value)}); the best with random starts alone "
        f"reached {starts:.0%}, the best with random steps alone {steps:.0%}"
        + (". Restarting a climber does not get past the deception." if rates[top] > climb
           else "; nothing beat the restarts here."), holds=rates[top] > climb, key="trap")


def markdown(table, families, shown, found, facts, quick, climbs=None) -> str:
    """The body: the design, then the success-rate table and the basin table."""
    design = problems(quick)
    seeds = max(g.size for g in table.values())
    dials = "; ".join(f"{DIALS[f].label}: {DIALS[f].param} " + ", ".join(
        f"{v:g}" for v in sorted({k[3] for k in table if k[0] == f})) for f in families)
    ks = ", ".join(str(nk_k(p)) for p in shown if p.startswith("nk"))
    t0 = "; ".join(f"{label(p)} {fmt(min(v for k, v in by.items() if k > 0), 2)}-"
                   f"{fmt(max(by.values()), 2)}" for p in shown if (by := facts["t0"].get(p)))
    lines = [
        f"Each optimizer's randomness dial is swept from zero up ({dials}), once from a fixed "
        "start (the centre of the box; on bit strings one string drawn once, the same for every "
        f"run) and once from uniform random starts, {seeds} seeds each, on shifted "
        + ", ".join(sorted({p.split("-")[0].capitalize() for p in shown if "-" in p}))
        + " in 2-D and 10-D (the shift moves the optimum away from the centre), a deceptive "
        f"trap (n = {design['trap']['params']['n']}, k = 4) and NK landscapes (n = "
        f"{design['nk']['params']['n']}, adjacent neighbourhoods, K = {ks}). All settings on a "
        f"problem share its budget: {design['rastrigin-2']['budget']:,} evaluations in 2-D, "
        f"{design['rastrigin-10']['budget']:,} in 10-D, {design['trap']['budget']:,} on bit "
        "strings; hill climbing without restarts stops when stuck, and "
        + (f"{facts['cut_short']} runs were cut short of their restarts by the budget."
           if facts["cut_short"] else "no run was cut short of its restarts by the budget.")
        + " A run succeeds when its final gap is at most 0.5, below every other local minimum "
        "of these landscapes, or on NK when it is the optimum (known by dynamic programming). "
        "Bands in the figures: 95% Wilson intervals of success rates, 95% bootstrap intervals "
        "of medians.", "",
        ("Annealing's dial is p0, the probability of accepting an average uphill move at the "
         "start, from which t0 is calibrated (p0 = 0 stands for t0 = 0, greedy descent); the "
         f"median t0 it chose, from the smallest p0 to the largest: {t0}. Gradient descent is "
         "SGD with Adam steps (their length does not depend on the scale of f) and a learning "
         "rate of 1% of the box width decaying along a cosine to zero; its noise is Gaussian, "
         "its standard deviation counted in Adam steps, added to every step."), "",
        ("Success rate and median final gap (in brackets), the dial at zero from the fixed "
         "start -> the typical setting from random starts:"), "",
        "| problem | " + " | ".join(f"{DIALS[f].label}: {setting(f, 0)} -> "
                                    f"{setting(f, typical(f, quick))}" for f in families)
        + " |", "|---|" + "---|" * len(families)]
    for problem in shown:
        row = []
        for kind in families:
            pair = [table.get((kind, problem, "fixed", 0.0)),
                    table.get((kind, problem, "uniform", typical(kind, quick)))]
            row.append(" -> ".join(f"{rate(g, problem)[0]:.0%} ({fmt(np.median(g), 2)})"
                                   for g in pair) if all(g is not None for g in pair) else "")
        lines.append(f"| {label(problem)} | " + " | ".join(row) + " |")
    climbs = climbs or {}
    lines += ["", ("The basin experiment: from uniform random starts, true local descents "
                   "(steepest descent with the landscape's gradient, projected on the box, in "
                   "steps of at most 0.1% of its width, so that no step jumps a ridge; L-BFGS-B's "
                   "first unit-length step hops Rastrigin's ripples), how many end at the "
                   "global optimum (final gap <= 0.5), i.e. the share p of the box in its "
                   "basin, and the restarts k that a 95% chance of at least one success takes, "
                   "the smallest k with 1 - (1 - p)^(k+1) >= 0.95 (interval from Wilson's); "
                   "beside it, as many single climbs of the hill climber (no restarts) and "
                   "how many of those succeed, which is not the basin's share: the climber's "
                   "steps hop between basins."), "",
              ("| landscape | dimension | evaluations per descent | descents ending at the "
               "global optimum | p (95% Wilson) | restarts for 95% | single climbs that "
               "succeed (evaluations per climb) |"), "|---|---|---|---|---|---|---|"]
    for landscape, rows in found.items():
        mine = {c.dim: c for c in climbs.get(landscape, [])}
        for r in rows:
            c = mine.get(r.dim)
            climb = f"{c.hits} / {c.climbs} ({c.evaluations:.0f})" if c else ""
            lines.append(f"| {landscape} | {r.dim} | {r.evaluations:.0f} | {r.hits} / "
                         f"{r.climbs} | {fmt(r.p, 2)} ({fmt(r.low, 2)}-{fmt(r.high, 2)}) | "
                         f"{count(r.restarts)} ({count(r.restarts_low)}-"
                         f"{count(r.restarts_high)}) | {climb} |")
    return "\n".join(lines)
