"""Statistics of a suite's results, on scipy.stats.

The building blocks work on arrays: median and IQR, a seeded bootstrap confidence interval,
success rate and expected running time (ERT) to a target, the empirical CDF of runtimes to
targets (as COCO draws it), Mann-Whitney U with Holm's correction, the Vargha-Delaney A12
effect size, and average ranks. ``runs`` turns store records into ``Run`` objects (final gap
to the optimum and its history); the table functions combine the two.

Conventions: values are minimized; a run's *gap* is ``f - f_ref`` where ``f_ref`` is the
problem's known optimum, or else the best value any run of the suite found; a run *reaches*
a target precision ``t`` at the first history checkpoint where its gap is ``<= t``. The tests
compare gaps clipped at a ``precision`` (the report uses the suite's smallest target): below
it every run has solved the problem, and floating-point noise decides nothing.
"""
from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from scipy import stats

__all__ = ["Run", "a12", "average_ranks", "bootstrap_ci", "contrasts", "ert", "holm",
           "median_iqr", "pairwise", "percentiles", "runs", "runtime_ecdf", "runtimes",
           "success_rate", "summary"]


# --- building blocks ---------------------------------------------------------------------------
def percentiles(values, q, axis=None) -> np.ndarray:
    """``numpy.percentile`` (linear interpolation), except that between two infinite values
    (a run that found no finite value yet) the percentile is infinite, not NaN."""
    values = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        out = np.percentile(values, q, axis=axis)
    if np.isnan(out).any() and not np.isnan(values).any():
        out = np.where(np.isnan(out), np.inf, out)
    return out


def median_iqr(values) -> tuple[float, float, float]:
    """``(median, 25th percentile, 75th percentile)`` (numpy's linear interpolation)."""
    q25, median, q75 = percentiles(values, [25, 50, 75])
    return float(median), float(q25), float(q75)


def bootstrap_ci(values, statistic=np.median, confidence: float = 0.95,
                 n_resamples: int = 2000, seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap confidence interval of ``statistic`` (scipy.stats.bootstrap),
    seeded so that a report is reproducible. Constant data give a zero-width interval."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return float("nan"), float("nan")
    if values.size == 1 or np.all(values == values[0]):
        return float(values[0]), float(values[0])
    result = stats.bootstrap((values,), statistic, confidence_level=confidence,
                             n_resamples=n_resamples, method="percentile",
                             rng=np.random.default_rng(seed))
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def success_rate(gaps, target: float) -> float:
    """Fraction of runs whose final gap is ``<= target``."""
    gaps = np.asarray(gaps, dtype=float)
    return float(np.mean(gaps <= target)) if gaps.size else float("nan")


def ert(hits, spent) -> float:
    """Expected running time (Hansen et al., COCO): evaluations spent by all runs (up to the
    hit for successful runs, all of them for unsuccessful ones) over the number of successes.

    ``hits[i]`` is the evaluations run ``i`` needed to reach the target (``inf`` if never);
    ``spent[i]`` the evaluations it used in total. ``inf`` when no run succeeded.
    """
    hits, spent = np.asarray(hits, dtype=float), np.asarray(spent, dtype=float)
    success = np.isfinite(hits)
    if not success.any():
        return float("inf")
    return float((hits[success].sum() + spent[~success].sum()) / success.sum())


def runtime_ecdf(runtimes, n: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Empirical CDF of runtimes (``inf`` = target never reached): sorted finite runtimes
    ``x`` and the fraction ``y`` of all ``n`` (default: every runtime) at or below each."""
    runtimes = np.asarray(runtimes, dtype=float)
    n = runtimes.size if n is None else n
    x = np.sort(runtimes[np.isfinite(runtimes)])
    return x, np.arange(1, x.size + 1) / max(n, 1)


def a12(x, y) -> float:
    """Vargha-Delaney A12: ``P(X > Y) + P(X = Y) / 2`` over all pairs (= U / (m n))."""
    x, y = np.asarray(x, dtype=float)[:, None], np.asarray(y, dtype=float)[None, :]
    return float(((x > y).sum() + 0.5 * (x == y).sum()) / (x.size * y.size))


def holm(pvalues) -> np.ndarray:
    """Holm's step-down adjusted p-values (family-wise error), in the input order."""
    p = np.asarray(pvalues, dtype=float)
    order = np.argsort(p, kind="stable")
    m = p.size
    adjusted = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out = np.empty(m)
    out[order] = np.minimum(adjusted, 1.0)
    return out


def mann_whitney(x, y) -> tuple[float, float]:
    """Two-sided Mann-Whitney U test: ``(U of x, p-value)``; p = 1 for identical samples."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if np.all(x == x[0]) and np.all(y == x[0]):
        return x.size * y.size / 2.0, 1.0
    result = stats.mannwhitneyu(x, y, alternative="two-sided")
    return float(result.statistic), float(result.pvalue)


def average_ranks(table: dict) -> tuple[dict, float | None]:
    """Average rank of each configuration across problems, from
    ``{problem: {config: value}}`` (lower value = better = rank 1, ties share their mean
    rank), and the Friedman test's p-value (None with fewer than 3 configurations, or when
    a configuration is missing on some problem)."""
    configs = sorted({c for row in table.values() for c in row})
    complete = [p for p, row in table.items() if all(c in row for c in configs)]
    ranks = defaultdict(list)
    for row in table.values():
        names = list(row)
        for name, rank in zip(names, stats.rankdata([row[n] for n in names])):
            ranks[name].append(float(rank))
    mean = {c: float(np.mean(ranks[c])) for c in configs}
    p = None
    if len(configs) >= 3 and len(complete) >= 2 and len(complete) == len(table):
        columns = [[table[p_][c] for p_ in complete] for c in configs]
        if not all(np.ptp(row) == 0 for row in np.array(columns).T):
            p = float(stats.friedmanchisquare(*columns).pvalue)
    return mean, p


# --- runs from store records -------------------------------------------------------------------
@dataclass
class Run:
    """One finished task, seen from the statistics: its final gap and gap history."""

    config: str
    optimizer: str
    init: str
    problem: str
    replicate: int
    dim: int
    gap: float
    nfev: int
    history_nfev: np.ndarray
    history_gap: np.ndarray
    history_x: np.ndarray | None

    def hit(self, target: float) -> float:
        """Evaluations at the first checkpoint with gap ``<= target`` (inf if none)."""
        reached = np.flatnonzero(self.history_gap <= target)
        return float(self.history_nfev[reached[0]]) if reached.size else float("inf")


def config_name(optimizer: str, init: str, several_inits: bool = True) -> str:
    """The name of an (optimizer variant, initializer) pair in tables and figures."""
    return f"{optimizer} / {init}" if several_inits else optimizer


def reference_values(records) -> dict:
    """``{problem: f_ref}``: the known optimum, else the best value any run found."""
    ref = {}
    for r in records:
        if r["status"] == "ok" and r["f_opt"] is None and r["fun"] is not None:
            ref[r["problem"]] = min(ref.get(r["problem"], np.inf), r["fun"])
    for r in records:
        if r["f_opt"] is not None:
            ref[r["problem"]] = r["f_opt"]
    return ref


def runs(records) -> list[Run]:
    """The successful tasks of ``records`` (store rows) as Runs; failed tasks are left out."""
    ref = reference_values(records)
    several = len({r["init"] for r in records}) > 1
    out = []
    for r in records:
        if r["status"] != "ok" or r["history"] is None:
            continue
        f_ref, history = ref.get(r["problem"], 0.0), r["history"]
        out.append(Run(
            config=config_name(r["optimizer"], r["init"], several), optimizer=r["optimizer"],
            init=r["init"], problem=r["problem"], replicate=r["replicate"], dim=r["dim"],
            gap=_finite(r["fun"]) - f_ref, nfev=r["nfev"],
            history_nfev=np.asarray(history["nfev"], dtype=float),
            history_gap=np.asarray(history["fun"], dtype=float) - f_ref,
            history_x=None if history.get("x") is None else np.asarray(history["x"])))
    return out


def _finite(value) -> float:
    return float("inf") if value is None else float(value)


def grouped(all_runs) -> dict:
    """``{problem: {config: [Run, ...]}}`` in the order the runs come."""
    out = defaultdict(lambda: defaultdict(list))
    for run in all_runs:
        out[run.problem][run.config].append(run)
    return {p: dict(c) for p, c in out.items()}


# --- tables ------------------------------------------------------------------------------------
def runtimes(group, target: float) -> tuple[np.ndarray, np.ndarray]:
    """Evaluations to reach ``target`` (inf if never) and evaluations spent, per run."""
    return (np.array([r.hit(target) for r in group]), np.array([r.nfev for r in group], float))


def summary(all_runs, targets, seed: int = 0) -> list[dict]:
    """One row per (problem, configuration): runs, median gap with IQR and bootstrap CI,
    and per target the success rate and ERT."""
    rows = []
    for problem, configs in grouped(all_runs).items():
        for config, group in configs.items():
            gaps = np.array([r.gap for r in group])
            median, q25, q75 = median_iqr(gaps)
            low, high = bootstrap_ci(gaps, seed=seed)
            row = {"problem": problem, "config": config, "runs": len(group),
                   "median": median, "q25": q25, "q75": q75, "iqr": q75 - q25,
                   "ci_low": low, "ci_high": high, "targets": {}}
            for target in targets:
                hits, spent = runtimes(group, target)
                row["targets"][target] = {"success": success_rate(gaps, target),
                                          "ert": ert(hits, spent)}
            rows.append(row)
    return rows


def final_gaps(group, precision: float = 0.0) -> np.ndarray:
    """The final gaps of a group of runs, clipped at ``precision``."""
    return np.maximum([r.gap for r in group], precision)


def pairwise(all_runs, alpha: float = 0.05, precision: float = 0.0) -> list[dict]:
    """Every pair of configurations on every problem: Mann-Whitney U on the final gaps
    (clipped at ``precision``), p Holm-corrected within the problem, and ``a12`` = the
    probability that a run of ``a`` ends lower than a run of ``b`` (ties count half)."""
    rows = []
    for problem, configs in grouped(all_runs).items():
        block = []
        for a, b in itertools.combinations(configs, 2):
            x, y = final_gaps(configs[a], precision), final_gaps(configs[b], precision)
            u, p = mann_whitney(x, y)
            block.append({"problem": problem, "a": a, "b": b, "median_a": float(np.median(x)),
                          "median_b": float(np.median(y)), "u": u, "p": p, "a12": a12(y, x)})
        for row, adjusted in zip(block, holm([r["p"] for r in block])):
            row["p_holm"] = float(adjusted)
            row["significant"] = bool(adjusted < alpha)
        rows += block
    return rows


def contrasts(all_runs, dials: dict, alpha: float = 0.05,
              precision: float = 0.0) -> list[dict]:
    """Where randomness helped: on each problem, each configuration with a randomness dial at
    zero against the same configuration with that dial turned up, one dial at a time.

    ``dials`` maps ``("optimizers" | "initializers", name)`` to ``(dial, family)``, with dial
    ``"zero"`` or ``"up"`` (from the suite). Returns rows with the two configurations,
    ``a12`` = the probability that the random one ends lower (gaps clipped at ``precision``),
    the Mann-Whitney p and its Holm correction over all rows, and a verdict: ``"helped"``,
    ``"hurt"`` or ``"no difference"``.
    """
    rows = []
    for problem, configs in grouped(all_runs).items():
        by_parts = {(g[0].optimizer, g[0].init): (c, g) for c, g in configs.items()}
        for (opt, init), (config, group) in by_parts.items():
            o_dial, family = dials.get(("optimizers", opt), ("up", opt))
            i_dial, _ = dials.get(("initializers", init), ("up", init))
            for (o2, i2), (other, group2) in by_parts.items():
                if o_dial == "zero" and i2 == init and o2 != opt and \
                        dials.get(("optimizers", o2), ("up", o2)) == ("up", family):
                    dial = f"{family}: algorithm"
                elif i_dial == "zero" and o2 == opt and i2 != init and \
                        dials.get(("initializers", i2), ("up",))[0] == "up":
                    dial = f"{family}: start"
                else:
                    continue
                x, y = final_gaps(group, precision), final_gaps(group2, precision)
                u, p = mann_whitney(y, x)
                rows.append({"problem": problem, "dial": dial, "zero": config,
                             "up": other, "median_zero": float(np.median(x)),
                             "median_up": float(np.median(y)), "a12": a12(x, y), "p": p})
    for row, adjusted in zip(rows, holm([r["p"] for r in rows])):
        row["p_holm"] = float(adjusted)
        row["verdict"] = "no difference" if adjusted >= alpha else \
            "helped" if row["a12"] > 0.5 else "hurt"
    return rows
