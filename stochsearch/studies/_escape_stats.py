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

#: Each contrast compares the dial at zero from the fixed start with another setting: its
#: start, and whether its dial is turned up (to the typical setting).
QUESTIONS = {"both": ("uniform", True), "start": ("uniform", False), "steps": ("fixed", True)}


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


def contrasts(table, families, problems, quick) -> dict:
    """For each question, every (family, problem): A12, p, Holm-corrected p and verdict."""
    out = {}
    for question, (init, turned) in QUESTIONS.items():
        rows = []
        for kind in families:
            up = typical(kind, quick) if turned else 0.0
            for problem in problems:
                zero = table.get((kind, problem, "fixed", 0.0))
                other = table.get((kind, problem, init, up))
                if zero is None or other is None:
                    continue
                a12, p = compare(zero, other, problem)
                rows.append({"family": kind, "problem": problem, "a12": a12, "p": p,
                             "success_zero": rate(zero, problem)[0],
                             "success_up": rate(other, problem)[0]})
        for kind in families:  # Holm within each optimizer's problems
            mine = [r for r in rows if r["family"] == kind]
            for row, adjusted in zip(mine, suite_stats.holm([r["p"] for r in mine]), strict=True):
                row["p_holm"] = float(adjusted)
                row["verdict"] = "no difference" if adjusted >= 0.05 else \
                    "helped" if row["a12"] > 0.5 else "hurt"
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
