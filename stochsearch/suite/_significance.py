"""The report's ranking of configurations across problems (critical-difference diagrams) and
its plain note when too few seeds keep every test from reaching significance."""
from __future__ import annotations

from . import ranks

__all__ = ["rank_panels", "seeds_note", "unreachable"]


def rank_panels(medians: dict, problems, configs, precision: float, alpha: float):
    """One critical-difference panel per group of problems that share the same set of
    configurations (Friedman's test needs complete blocks), for groups of at least two
    problems and two configurations.

    ``medians`` maps ``(problem, config)`` to the median final gap; gaps below
    ``precision`` count as solved (they tie). Returns ``(panels, notes)``: the panels for
    ``plots.critical_difference`` and a sentence per group for the report.
    """
    groups = {}
    for problem in problems:
        present = tuple(c for c in configs if (problem, c) in medians)
        groups.setdefault(present, []).append(problem)
    panels, notes = [], []
    for present, members in groups.items():
        k, n = len(present), len(members)
        if k < 2 or n < 2:
            continue
        table = {p: {c: max(medians[(p, c)], precision) for c in present} for p in members}
        result = ranks.friedman(table)
        cd = ranks.nemenyi_cd(k, n, alpha)
        names = ", ".join(members) if n <= 4 else ", ".join(members[:3]) + f" and {n - 3} more"
        panels.append({"title": f"{n} problems ({names}), {k} configurations: Friedman "
                                f"p = {result.p:.2g}, Nemenyi CD = {cd:.2f}",
                       "ranks": result.ranks, "cd": cd,
                       "cliques": ranks.cliques(result.ranks, cd)})
        verdict = "the ranks differ" if result.p < alpha else \
            "no difference between the ranks is significant (the bars are then only a guide)"
        note = (f"On {names}: Friedman's test p = {result.p:.2g}: {verdict}; two "
                f"configurations differ when their average ranks are at least {cd:.2f} apart "
                f"(Nemenyi, alpha = {alpha:g}).")
        floor = ranks.smallest_p_friedman(k, n)
        if floor >= alpha:
            note += (f" With {n} problems, even identical rankings on every problem give "
                     f"p = {floor:.2g}: this test cannot reach significance here.")
        elif cd > k - 1:
            note += (f" The critical difference exceeds the widest possible gap of average "
                     f"ranks ({k - 1}): no pair can be told apart with {n} problems.")
        notes.append(note)
    return panels, notes


def unreachable(sizes_by_family, alpha: float):
    """Whether no test of any family can reach significance after Holm's correction.

    ``sizes_by_family`` is a list of families (Holm corrects within each), each a list of
    ``(n, m)`` sample sizes of its tests. Returns None when some test could reach ``alpha``,
    else ``(smallest raw p, its comparisons, smallest seeds)`` of the most favourable test.
    """
    best = None
    for family in sizes_by_family:
        for n, m in family:
            adjusted = len(family) * ranks.smallest_p_mann_whitney(n, m)
            if best is None or adjusted < best[0]:
                best = (adjusted, ranks.smallest_p_mann_whitney(n, m), len(family), min(n, m))
    if best is None or best[0] < alpha:
        return None
    return best[1:]


def seeds_note(found, alpha: float, what: str) -> str:
    """The plain sentence for ``unreachable``'s answer: why nothing is marked significant
    and how many seeds would change it."""
    p, comparisons, seeds = found
    holm = f"after Holm's correction over {comparisons} comparisons it is at best " \
           f"{min(1.0, comparisons * p):.2g}, " if comparisons > 1 else ""
    return (f"**Too few seeds for significance.** With {seeds} runs per configuration, the "
            f"smallest p-value a two-sided Mann-Whitney test can give is {p:.2g} (when the "
            f"two samples do not overlap at all); {holm}not below {alpha:g}. No {what} can "
            "be significant here, whatever the data, so none is marked: that is no evidence "
            f"of no difference. {ranks.seeds_needed(comparisons, alpha)} seeds per "
            "configuration would make it possible.")
