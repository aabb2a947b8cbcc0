"""The escape study's statistics on the searches: final gaps per cell (family, problem, start,
dial), success rates with Wilson intervals, medians with bootstrap intervals, the headline test
and the contrasts of random starts and random steps against the dial at zero.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import stats as scipy_stats

from ..suite import plots
from ..suite import stats as suite_stats
from ._base import bootstrap_band
from ._escape_design import dial_value, family, success_gap, typical

#: Each contrast compares a baseline setting (start, dial turned up to the typical setting?)
#: with another. The first three start from the dial at zero at the fixed start; "equal"
#: compares the fixed start with random starts at the typical setting, where both spend the
#: same evaluations (hill climbing without restarts stops when stuck, after about 1% of the
#: budget, so the other contrasts of hill climbing mix randomness with compute).
QUESTIONS = {"both": (("fixed", False), ("uniform", True)),
             "start": (("fixed", False), ("uniform", False)),
             "steps": (("fixed", False), ("fixed", True)),
             "equal": (("fixed", True), ("uniform", True))}


def cells(records) -> dict:
    """``{(family, problem, init, dial value): final gaps in replicate order}``."""
    reference = suite_stats.reference_values(records)
    out = {}
    for r in sorted(records, key=lambda r: r["replicate"]):
        fun = math.inf if r["fun"] is None else r["fun"]
        key = (family(r["optimizer"]), r["problem"], r["init"], dial_value(r))
        # A gap below zero is rounding in f_opt (1e-13 on Schwefel): the optimum was found.
        out.setdefault(key, []).append(max(fun - reference[r["problem"]], 0.0))
    return {key: np.array(gaps) for key, gaps in out.items()}


def wilson(hits: int, n: int) -> tuple[float, float]:
    """The 95% Wilson interval of a proportion ``hits / n``."""
    if n == 0:
        return float("nan"), float("nan")
    ci = scipy_stats.binomtest(int(hits), int(n)).proportion_ci(method="wilson")
    return float(ci.low), float(ci.high)


def rate(gaps, problem) -> tuple[float, float, float]:
    """Success rate with its 95% Wilson interval."""
    hits = int(np.sum(gaps <= success_gap(problem)))
    return (hits / gaps.size, *wilson(hits, gaps.size))


def median(gaps) -> tuple[float, float, float]:
    """Median gap with its 95% bootstrap interval (gaps floored as the figures draw them)."""
    floored = np.maximum(gaps, plots.FLOOR)
    return (float(np.median(floored)), *bootstrap_band(floored))


def clipped(gaps, problem) -> np.ndarray:
    """Gaps with every success counted alike: this study asks whether a search escaped to the
    global optimum's basin, not how precisely it then converged."""
    return np.maximum(gaps, success_gap(problem))


def compare(zero, up, problem) -> tuple[float, float]:
    """``(A12, p)``: the probability that a run of ``up`` ends lower than one of ``zero``, and
    the two-sided Mann-Whitney p-value, on clipped gaps."""
    x, y = clipped(zero, problem), clipped(up, problem)
    return suite_stats.a12(x, y), suite_stats.mann_whitney(y, x)[1]


def headline(table, quick) -> dict:
    """The issue's assertion: on shifted Rastrigin-10, hill climbing with restarts from random
    starts against a single climb from the fixed start (one-sided Mann-Whitney on raw gaps)."""
    k = typical("rhc", quick)
    single = table.get(("rhc", "rastrigin-10", "fixed", 0.0))
    restarts = table.get(("rhc", "rastrigin-10", "uniform", k))
    if single is None or restarts is None:
        return {}
    p = float(scipy_stats.mannwhitneyu(restarts, single, alternative="less").pvalue)
    (m_r, *ci_r), (m_s, *ci_s) = median(restarts), median(single)
    return {"restarts": int(k), "seeds": int(restarts.size), "median_restarts": m_r,
            "ci_restarts": ci_r, "median_single": m_s, "ci_single": ci_s, "p": p,
            "a12": suite_stats.a12(single, restarts),
            "success_restarts": rate(restarts, "rastrigin-10")[0],
            "success_single": rate(single, "rastrigin-10")[0]}


def evaluations(records) -> dict:
    """``{(family, problem, init, dial value): evaluations used}`` in replicate order."""
    out = {}
    for r in sorted(records, key=lambda r: r["replicate"]):
        key = (family(r["optimizer"]), r["problem"], r["init"], dial_value(r))
        out.setdefault(key, []).append(float(r["nfev"]))
    return {key: np.array(n) for key, n in out.items()}


def immobile(records) -> set:
    """``{(family, problem)}`` whose dial-at-zero runs from the fixed start never moved: every
    run ended at the value of the start itself (the GA with mutation 0 from copies of one
    point: crossover of identical parents gives the same point). Such a baseline is not a
    search that randomness beat, and the contrasts leave it out."""
    ended = {}
    for r in records:
        if r["init"] != "fixed" or dial_value(r) != 0.0 or r["fun"] is None:
            continue
        first = r["history"]["fun"][0] if r["history"]["fun"] else None
        ended.setdefault((family(r["optimizer"]), r["problem"]), []).append(
            first is not None and r["fun"] == first)
    return {key for key, still in ended.items() if all(still)}


def equal_budget(table, nfev, quick, problem="rastrigin-10") -> dict:
    """The headline taken apart at equal evaluations on ``problem``: one climb from the fixed
    start; the same number of restarts from that fixed start (each restart a new climb from
    it, so only the climbs' random steps differ) and from uniform random starts; one annealing
    run from the fixed start given the whole budget. The gain of restarts from random starts
    over the single climb, on a log scale of the median gap, splits into compute (single climb
    -> restarts from the fixed start) and random starts (-> restarts from random starts)."""
    k = typical("rhc", quick)
    keys = {"single": ("rhc", problem, "fixed", 0.0), "fixed": ("rhc", problem, "fixed", k),
            "random": ("rhc", problem, "uniform", k),
            "long": ("sa", problem, "fixed", typical("sa", quick))}
    if any(key not in table for key in keys.values()):
        return {}
    out = {"problem": problem, "restarts": int(k), "seeds": int(table[keys["single"]].size)}
    for name, key in keys.items():
        m, *ci = median(table[key])
        out[name] = {"median": m, "ci": ci, "success": rate(table[key], problem)[0],
                     "evaluations": float(np.median(nfev[key]))}
    x, y = table[keys["fixed"]], table[keys["random"]]
    out["p_starts"] = float(scipy_stats.mannwhitneyu(y, x, alternative="two-sided").pvalue)
    out["a12_starts"] = suite_stats.a12(x, y)
    z = table[keys["single"]]
    out["p_compute"] = float(scipy_stats.mannwhitneyu(x, z, alternative="two-sided").pvalue)
    total = math.log(out["single"]["median"] / out["random"]["median"])
    compute = math.log(out["single"]["median"] / out["fixed"]["median"])
    out["share_compute"] = compute / total if total > 0 else math.nan
    return out


def contrasts(table, families, problems, quick, still=frozenset()) -> dict:
    """For each question, every (family, problem): A12, p, Holm-corrected p and verdict;
    a baseline in ``still`` (see :func:`immobile`) gets the verdict "baseline cannot move" and
    stays out of the correction."""
    out = {}
    for question, ((base_init, base_up), (init, turned)) in QUESTIONS.items():
        rows = []
        for kind in families:
            up = typical(kind, quick) if turned else 0.0
            base = typical(kind, quick) if base_up else 0.0
            for problem in problems:
                zero = table.get((kind, problem, base_init, base))
                other = table.get((kind, problem, init, up))
                if zero is None or other is None:
                    continue
                a12, p = compare(zero, other, problem)
                rows.append({"family": kind, "problem": problem, "a12": a12, "p": p,
                             "success_zero": rate(zero, problem)[0],
                             "success_up": rate(other, problem)[0],
                             "immobile": (kind, problem) in still and base == 0.0
                             and base_init == "fixed"})
        for kind in families:  # Holm within each optimizer's problems
            mine = [r for r in rows if r["family"] == kind and not r["immobile"]]
            for row, adjusted in zip(mine, suite_stats.holm([r["p"] for r in mine]), strict=True):
                row["p_holm"] = float(adjusted)
                row["verdict"] = "no difference" if adjusted >= 0.05 else \
                    "helped" if row["a12"] > 0.5 else "hurt"
            for row in rows:
                if row["family"] == kind and row["immobile"]:
                    row["p_holm"], row["verdict"] = math.nan, "baseline cannot move"
        out[question] = rows
    return out


def summary(table) -> list[dict]:
    """One row per cell: runs, success rate and median gap (for ``Section.numbers``)."""
    return [{"family": kind, "problem": problem, "init": init, "dial": dial,
             "runs": int(gaps.size), "success": rate(gaps, problem)[0],
             "median": float(np.median(gaps))}
            for (kind, problem, init, dial), gaps in table.items()]


def runs_facts(records) -> dict:
    """What the runs' ``extra`` says: the temperature annealing chose for each p0 (median over
    runs, per problem), and how many hill-climbing runs the budget cut short of their restarts."""
    t0, short = {}, 0
    for r in records:
        kind = family(r["optimizer"])
        if kind == "sa":
            t0.setdefault(r["problem"], {}).setdefault(dial_value(r), []).append(
                r["extra"]["t0"])
        elif kind == "rhc":
            short += r["extra"]["restarts"] < r["params"]["restarts"]
    return {"t0": {p: {v: float(np.median(ts)) for v, ts in sorted(by.items())}
                   for p, by in t0.items()}, "cut_short": int(short)}
