"""Study *escape*: random starts and random steps against local optima.

Every optimizer's randomness dial (hill-climbing restarts, the annealing temperature, the GA's
mutation rate, noise on gradient steps) is swept from zero up, from one fixed start and from
uniform random starts, on shifted Rastrigin, Ackley and Schwefel in 2-D and 10-D, a deceptive
trap and NK landscapes of rising K. Separately, many single climbs from uniform starts estimate
the probability that a random start lies in the global optimum's basin as the dimension grows,
and the number of restarts that implies.

The design lives in ``_escape_design``, the statistics in ``_escape_stats`` and
``_escape_basins``, the figures in ``_escape_figures`` and the words in ``_escape_text``.
"""
from __future__ import annotations

from dataclasses import asdict

from . import _escape_basins as basins
from . import _escape_figures as draw
from . import _escape_stats as stats
from . import _escape_text as text
from ._base import Study
from ._escape_design import (
    DIALS,
    LANDSCAPES,
    fixed_start,
    is_landscape,
    measure,
    names,
    noisy_descent,
    optimizers,
    problems,
    typical,
)

__all__ = ["STUDY", "fixed_start", "measure", "noisy_descent"]


class EscapeStudy(Study):
    name = "escape"
    gallery_figure = "escape-3-basins.png"
    title = "Escape: random starts and random steps against local optima"
    question = ("Where does a deterministic search get stuck, and how much randomness (random "
                "starts, restarts, temperature, mutation, gradient noise) does it take to get "
                "out? How likely is a random start to lie in the global optimum's basin, and "
                "how many restarts does that imply?")

    def suite(self, quick: bool) -> dict:
        table = problems(quick)
        searchers = [o for o in optimizers(quick) if o != "basin"]
        continuous = [p for p in table if is_landscape(p)]
        # 15 seeds a cell: success rates within about +-0.25 (95% Wilson), the headline's
        # Mann-Whitney test down to p ~ 1e-6, and the full run in under 4 minutes on two busy cores.
        return {
            "suite": {"seed": 6, "seeds": 6 if quick else 15, "history": 40,
                      "measure": "stochsearch.studies.escape:measure"},
            "optimizers": optimizers(quick), "problems": table,
            "initializers": {"fixed": {"init": "stochsearch.studies.escape:fixed_start",
                                       "label": "fixed start", "dial": "zero"},
                             "uniform": {"label": "uniform random starts"}},
            "grid": [
                {"name": "landscapes", "optimizers": searchers, "problems": continuous,
                 "initializers": ["fixed", "uniform"]},
                {"name": "bit strings", "optimizers": [o for o in searchers if o != "sgd"],
                 "problems": ["trap", "nk"], "initializers": ["fixed", "uniform"]},
                {"name": "basins", "optimizers": ["basin"],
                 "problems": [f"basin-{name}" for name in LANDSCAPES],
                 "initializers": ["uniform"]}],
        }

    def analyze(self, records, figures, quick):
        searches = [r for r in records if r["optimizer"] != "basin"]
        table = stats.cells(searches)
        shown = [p for p in names(problems(quick)) if not p.startswith("basin")
                 and any(key[1] == p for key in table)]
        families = [f for f in DIALS if any(key[0] == f for key in table)]
        basin_runs = [r for r in records if r["optimizer"] == "basin"]
        found = basins.basins(basin_runs)                       # true local descents
        climbs = basins.basins(basin_runs, "hits", "evaluations", "climbs")  # climber's chance
        sweep = basins.sweep_vs_prediction(table, climbs, shown)
        for problem in shown:
            if problem.endswith("-2"):
                draw.paths(searches, problem, families, quick,
                               figures / f"escape-1-paths-{problem}.png")
        for kind in families:
            draw.dial_figure(table, kind, shown, figures / f"escape-2-{kind}.png")
        draw.basin_figure(found, sweep, int(typical("rhc", quick)),
                              figures / "escape-3-basins.png")
        headline = stats.headline(table, quick)
        equal = stats.equal_budget(table, stats.evaluations(searches), quick)
        still = stats.immobile(searches)
        contrasts = stats.contrasts(table, families, shown, quick, still)
        findings = text.findings(table, families, shown, headline, contrasts, found, sweep,
                                 quick, climbs, equal)
        body = text.markdown(table, families, shown, found, stats.runs_facts(searches), quick,
                             climbs)
        numbers = {"headline": headline, "equal_budget": equal,
                   "immobile": sorted(map(list, still)), "contrasts": contrasts,
                   "basins": {k: [asdict(row) for row in rows] for k, rows in found.items()},
                   "climbs": {k: [asdict(row) for row in rows] for k, rows in climbs.items()},
                   "sweep": sweep, "table": stats.summary(table)}
        return findings, numbers, body


STUDY = EscapeStudy()
