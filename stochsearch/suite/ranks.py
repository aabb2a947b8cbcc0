"""Comparing many configurations over many problems (Demšar 2006), and what a number of
seeds can show at all.

``friedman`` ranks the configurations within each problem (a block), averages the ranks,
and tests whether they differ (Friedman's chi-square and Iman-Davenport's F);
``nemenyi_cd`` is the critical difference of average ranks beyond which two configurations
differ (Nemenyi's post-hoc test), and ``cliques`` the groups of configurations that do not
differ, as the critical-difference diagram draws them. ``smallest_p_mann_whitney`` and
``seeds_needed`` say whether a rank test on a number of seeds can reach significance at all
after Holm's correction.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

__all__ = ["Friedman", "cliques", "friedman", "nemenyi_cd", "seeds_needed",
           "smallest_p_friedman", "smallest_p_mann_whitney"]


@dataclass
class Friedman:
    """Average ranks of ``k`` configurations over ``n`` problems and Friedman's test.

    Attributes
    ----------
    configs : list of str
    ranks : dict
        Average rank of each configuration (1 = best; ties share their mean rank).
    n : int
        Problems (blocks).
    chi2 : float
        Friedman's statistic, from the average ranks (Demšar 2006, eq. 1; no tie correction).
    p : float
        Its p-value (chi-square with ``k - 1`` degrees of freedom).
    f : float
        Iman and Davenport's statistic (F with ``k - 1`` and ``(k - 1)(n - 1)`` degrees
        of freedom), less conservative; ``inf`` when the ranks agree on every problem.
    p_f : float
    """

    configs: list
    ranks: dict
    n: int
    chi2: float
    p: float
    f: float
    p_f: float


def friedman(table: dict) -> Friedman:
    """Friedman's test on ``{problem: {config: value}}`` (lower is better), every problem
    holding every configuration.

    Raises
    ------
    ValueError
        With fewer than 2 configurations or 2 problems, or a configuration missing on a
        problem.
    """
    configs = list(dict.fromkeys(c for row in table.values() for c in row))
    k, n = len(configs), len(table)
    if k < 2 or n < 2:
        raise ValueError(f"the Friedman test needs at least 2 configurations on at least 2 "
                         f"problems, got {k} on {n}")
    missing = [(p, c) for p, row in table.items() for c in configs if c not in row]
    if missing:
        raise ValueError(f"the Friedman test needs every configuration on every problem; "
                         f"{missing[0][1]!r} is missing on {missing[0][0]!r}")
    ranks = np.array([stats.rankdata([row[c] for c in configs]) for row in table.values()])
    mean = ranks.mean(axis=0)
    chi2 = 12 * n / (k * (k + 1)) * (np.sum(mean ** 2) - k * (k + 1) ** 2 / 4)
    chi2 = max(float(chi2), 0.0)
    p = float(stats.chi2.sf(chi2, k - 1))
    denominator = n * (k - 1) - chi2
    f = (n - 1) * chi2 / denominator if denominator > 0 else math.inf
    p_f = float(stats.f.sf(f, k - 1, (k - 1) * (n - 1))) if math.isfinite(f) else 0.0
    return Friedman(configs, {c: float(r) for c, r in zip(configs, mean)}, n, chi2, p,
                    float(f), p_f)


def nemenyi_cd(k: int, n: int, alpha: float = 0.05) -> float:
    """Nemenyi's critical difference of average ranks of ``k`` configurations over ``n``
    problems: ``q_alpha sqrt(k (k + 1) / (6 n))``, with ``q_alpha`` the studentized range
    quantile over ``sqrt(2)`` (Demšar 2006: 2.569 for k = 4 at alpha = 0.05)."""
    if k < 2 or n < 1:
        raise ValueError(f"a critical difference needs k >= 2 and n >= 1, got k={k}, n={n}")
    q = stats.studentized_range.ppf(1 - alpha, k, np.inf) / math.sqrt(2)
    return float(q * math.sqrt(k * (k + 1) / (6 * n)))


def cliques(ranks: dict, cd: float) -> list[list[str]]:
    """Maximal groups of configurations whose average ranks all lie within ``cd`` of each
    other (no significant difference inside a group), each sorted by rank; groups of one
    are left out, as the diagram draws only bars that join two or more."""
    ordered = sorted(ranks, key=ranks.get)
    groups = []
    for i, first in enumerate(ordered):
        group = [c for c in ordered[i:] if ranks[c] - ranks[first] < cd]
        if len(group) > 1 and not any(set(group) <= set(g) for g in groups):
            groups.append(group)
    return groups


def smallest_p_mann_whitney(n: int, m: int | None = None) -> float:
    """The smallest two-sided p-value an exact Mann-Whitney U test can give on samples of
    ``n`` and ``m`` (default ``n``) values: ``2 / C(n + m, n)``, when the two samples do not
    overlap at all."""
    m = n if m is None else m
    return min(1.0, 2.0 / math.comb(n + m, n))


def smallest_p_friedman(k: int, n: int) -> float:
    """The smallest p-value of Friedman's test with ``k`` configurations on ``n`` problems:
    every problem ranks them in the same order (chi-square = ``n (k - 1)``)."""
    return float(stats.chi2.sf(n * (k - 1), k - 1))


def seeds_needed(comparisons: int, alpha: float = 0.05) -> int:
    """The fewest seeds per configuration with which the best of ``comparisons``
    Mann-Whitney tests can be significant after Holm's correction (whose first step
    multiplies the smallest p-value by the number of comparisons)."""
    n = 1
    while comparisons * smallest_p_mann_whitney(n) >= alpha:
        n += 1
    return n
