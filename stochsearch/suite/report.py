"""The report of a suite's results: a Markdown page with PNG figures beside it, and the same
content as one self-contained HTML page.

It opens with where randomness helped (each randomness dial at zero against turned up, on
every problem), then the median gaps, average ranks with critical-difference diagrams,
convergence curves, runtime distributions, final values (box plots with every run), the
2-D landscapes with each configuration's trajectory, and the tables: per-problem
statistics, significant pairwise differences, and failures. A gap below the suite's
smallest target is written one way everywhere (``gaps.gap_text``). Everything comes from
the store, so ``stochsearch report DB`` needs nothing else.
"""
from __future__ import annotations

import json
import math
import pathlib
from collections import defaultdict

import numpy as np

from . import _render, _significance, gaps, plots, stats
from .store import Store
from .tasks import below_optimum, build_problem

__all__ = ["write_report"]

ECDF_TARGETS = 10.0 ** np.linspace(2, -8, 51)
ALPHA = 0.05


def write_report(db, out, suite: str | None = None, seed: int = 0, *,
                 trust: bool = False, progress=None) -> dict:
    """Write ``report.md``, ``report.html`` and ``figures/*.png`` into ``out``.

    Parameters
    ----------
    db : path or Store
    out : path of a folder (created if needed)
    suite : str, optional
        Which suite of the store (default: the latest one run).
    seed : int
        Seed of the bootstrap confidence intervals.
    trust : bool
        A database is data and never makes the report run code: the 2-D landscapes drawn
        behind the trajectories are rebuilt from registry names only. ``trust=True`` also
        imports the ``module:attribute`` problems the stored suite names (the user's own
        code), for a database the user trusts.
    progress : optional
        Shows the figures as they are drawn: an object with ``steps(title, total)`` (see
        ``suite.progress``).

    Returns
    -------
    dict
        Paths of ``"markdown"``, ``"html"`` and the ``"figures"``.
    """
    if isinstance(db, Store):
        spec = db.suite(suite)
        records = db.records(spec["name"])
    else:
        with Store(db, readonly=True) as store:
            spec = store.suite(suite)
            records = store.records(spec["name"])
    out = pathlib.Path(out)
    figures = out / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    steps = progress.steps("drawing the report") if progress is not None else None
    try:
        blocks, images = _Report(spec, records, figures, seed, trust, steps).build()
        markdown = out / "report.md"
        markdown.write_text(_render.markdown(blocks, out), encoding="utf-8")
        page = out / "report.html"
        page.write_text(_render.page(blocks, f"stochsearch: {spec['name']}"),
                        encoding="utf-8")
    finally:
        if steps is not None:
            steps.close()
    return {"markdown": markdown, "html": page, "figures": images}


def _g(value, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float) and math.isinf(value):
        return "inf"
    return f"{value:.{digits}g}"


class _Report:
    def __init__(self, spec, records, figures, seed, trust=False, steps=None):
        self.spec, self.records, self.figures, self.seed = spec, records, figures, seed
        self.trust, self.steps = trust, steps
        self.runs = stats.runs(records)
        several = len(spec["initializers"]) > 1
        order = {name: i for i, name in enumerate(spec["optimizers"])}
        order_init = {name: i for i, name in enumerate(spec["initializers"])}
        pairs = sorted({(r.optimizer, r.init) for r in self.runs},
                       key=lambda p: (order.get(p[0], 1e9), order_init.get(p[1], 1e9)))
        self.configs = [stats.config_name(o, i, several) for o, i in pairs]
        self.optimizer_of = {stats.config_name(o, i, several): o for o, i in pairs}
        self.init_of = {stats.config_name(o, i, several): i for o, i in pairs}
        zero = [n for n, v in spec["initializers"].items() if v["dial"] == "zero"]
        self.style = plots.styles(self.configs, self.optimizer_of, self.init_of, zero)
        self.problems = [p for p in spec["problems"] if any(r.problem == p for r in self.runs)]
        grouped = stats.grouped(self.runs)
        self.by_problem = {p: {c: grouped[p][c] for c in self.configs if c in grouped[p]}
                           for p in self.problems}
        self.images = []
        # Gaps below the smallest target count as solved in every test and ranking, and are
        # shown as solved in every table and figure.
        self.precision = min(spec["targets"]) if spec["targets"] else gaps.DEFAULT_THRESHOLD

    def gap(self, value, digits: int = 3) -> str:
        return gaps.gap_text(value, self.precision, digits)

    def figure(self, name, draw, *args, **options):
        path = draw(*args, self.figures / f"{name}.png", **options)
        self.images.append(path)
        if self.steps is not None:
            self.steps.advance(name)
        return path

    def build(self):
        spec = self.spec
        ok = sum(r["status"] == "ok" for r in self.records)
        failed = len(self.records) - ok
        cpu = sum(r["wall_time"] or 0.0 for r in self.records)
        versions = next((r["versions"] for r in self.records if r["versions"]), {})
        blocks = [("h1", f"Benchmark report: {spec['name']}")]
        if spec.get("description"):
            blocks.append(("p", spec["description"]))
        blocks.append(("p", f"{ok} tasks finished and {failed} failed: {len(self.configs)} "
                            f"configurations on {len(self.problems)} problems, "
                            f"{len(spec['seeds'])} seeds each, {_budgets(spec)}; "
                            f"{cpu:.0f} s of run time in total. Versions: "
                            + ", ".join(f"{k} {v}" for k, v in sorted(versions.items())) + "."))
        blocks += self.definition_errors()
        if not self.runs:
            blocks.append(("p", "No task has finished yet: nothing to show."))
            return blocks + self.failures(), self.images
        blocks += self.randomness()
        blocks += self.overview()
        blocks += self.curves()
        blocks += self.landscapes()
        blocks += self.tables()
        blocks += self.failures()
        blocks += self.legend()
        return blocks, self.images

    # --- sections ------------------------------------------------------------------------
    def definition_errors(self):
        """Problems on which some run ended below the stated optimum: their f_opt is wrong,
        and their gaps and success rates mean nothing."""
        worst = {}
        for r in self.records:
            if below_optimum(r["fun"], r["f_opt"]):
                gap = r["fun"] - r["f_opt"]
                worst[r["problem"]] = min(worst.get(r["problem"], 0.0), gap)
        if not worst:
            return []
        # The negative gap itself, never written as solved: it is what is wrong.
        rows = [(p, _g(self.records_f_opt(p)), _g(gap)) for p, gap in sorted(worst.items())]
        return [("h2", "Errors in problem definitions"),
                ("p", f"{len(rows)} problem{'s' * (len(rows) > 1)} stated an optimum that "
                      "runs went below: a negative gap means f_opt is wrong (often a fitness "
                      "to maximize whose f_opt was given with the wrong sign), so their gaps, "
                      "success rates and ERTs are not meaningful."),
                ("table", ["problem", "stated f_opt", "most negative gap"], rows)]

    def records_f_opt(self, problem):
        return next((r["f_opt"] for r in self.records if r["problem"] == problem
                     and r["f_opt"] is not None), None)

    def randomness(self):
        dials = {("optimizers", n): (v["dial"], v["family"])
                 for n, v in self.spec["optimizers"].items()}
        dials |= {("initializers", n): (v["dial"], n)
                  for n, v in self.spec["initializers"].items()}
        rows = stats.contrasts(self.runs, dials, ALPHA, self.precision)
        if not rows:
            return []
        sizes = {(p, c): len(g) for p, cs in self.by_problem.items() for c, g in cs.items()}
        hopeless = _significance.unreachable(
            [[(sizes[(r["problem"], r["zero"])], sizes[(r["problem"], r["up"])])
              for r in rows]], ALPHA)
        note = [("p", _significance.seeds_note(hopeless, ALPHA, "effect of randomness"))] \
            if hopeless else []
        path = self.figure("randomness", plots.randomness_map, rows, self.problems,
                           testable=hopeless is None)
        counts = {v: sum(r["verdict"] == v for r in rows) for v in ("helped", "hurt")}
        summary = defaultdict(lambda: defaultdict(list))
        for r in rows:
            summary[f"{r['dial']} ({r['zero']} -> {r['up']})"][r["verdict"]].append(
                r["problem"])
        items = []
        for label, verdicts in summary.items():
            parts = [f"{v} on {', '.join(verdicts[v])}" for v in ("helped", "hurt")
                     if verdicts.get(v)]
            rest = len(verdicts.get("no difference", ()))
            if rest:
                parts.append(f"no significant difference on {'the other ' if parts else ''}"
                             f"{rest} problem{'s' * (rest > 1)}")
            items.append(f"**{label}**: " + "; ".join(parts))
        table = [(r["problem"], r["dial"], r["zero"], r["up"], self.gap(r["median_zero"]),
                  self.gap(r["median_up"]), f"{r['a12']:.2f}", _g(r["p_holm"], 2),
                  r["verdict"]) for r in rows]
        return [("h2", "Where randomness helped"),
                ("p", "Each row turns one randomness dial up, all else equal: the algorithm's "
                      "own (restarts, temperature...) or the start (a fixed point against "
                      "uniform random starts). A12 is the probability that a run with the "
                      "dial turned up ends lower than a run with it at zero (0.5: no "
                      f"difference; final gaps {gaps.solved_text(self.precision)} count "
                      "as solved); "
                      f"Mann-Whitney U, Holm-corrected over all {len(rows)} comparisons. "
                      f"Randomness helped in {counts['helped']} and hurt in "
                      f"{counts['hurt']} of them."),
                *note,
                ("img", path, "Where randomness helped (blue: the random setting wins)"),
                ("ul", items),
                ("details", "All randomness comparisons", [("table", [
                    "problem", "dial", "at zero", "turned up", "median gap (zero)",
                    "median gap (up)", "A12", "p (Holm)", "verdict"], table)])]

    def overview(self):
        self.summary = [row for p in self.problems for row in stats.summary(
            [r for r in self.runs if r.problem == p], self.targets(p), self.seed)]
        medians = {(r["problem"], r["config"]): r["median"] for r in self.summary}
        path = self.figure("median_gaps", plots.gap_map, medians, self.configs, self.problems,
                           solved=self.precision)
        table = {p: {c: max(medians[(p, c)], self.precision) for c in self.configs
                     if (p, c) in medians} for p in self.problems}
        ranks, p = stats.average_ranks(table)
        rows = [(c, f"{ranks[c]:.2f}") for c in sorted(self.configs, key=ranks.get)]
        friedman = f" Friedman test across problems: p = {_g(p, 2)}." if p is not None else ""
        panels, notes = _significance.rank_panels(medians, self.problems, self.configs,
                                                  self.precision, ALPHA)
        diagram = []
        if panels:
            cd = self.figure("critical_difference", plots.critical_difference, panels)
            diagram = [("p", "Critical-difference diagrams (Demšar 2006) for the problems "
                             "that share one set of configurations: each configuration at "
                             "its average rank, and a thick bar joining those whose ranks "
                             "differ by less than the critical difference of Nemenyi's "
                             "test. " + " ".join(notes)),
                       ("img", cd, "Average ranks with the critical difference")]
        return [("h2", "Overview"),
                ("img", path, "Median final gap of every configuration on every problem"),
                ("h3", "Average ranks across problems"),
                ("p", "Each problem ranks the configurations by median final gap (1 = best, "
                      f"ties share their mean rank; gaps {gaps.solved_text(self.precision)} "
                      f"count as solved).{friedman}"),
                *diagram,
                ("table", ["configuration", "average rank"], rows)]

    def curves(self):
        conv = self.figure("convergence", plots.convergence, self.by_problem, self.style,
                           solved=self.precision)
        box = self.figure("final_values", plots.boxplots, self.by_problem, self.style,
                          solved=self.precision)
        groups = defaultdict(dict)
        dims = {p: next(iter(c.values()))[0].dim for p, c in self.by_problem.items()}
        for dim in sorted(set(dims.values()), reverse=True):
            problems = [p for p in self.problems if dims[p] == dim]
            title = f"{dim}-D: {len(problems)} problem{'s' * (len(problems) > 1)}"
            for config in self.configs:
                groups_runs = [r for p in problems for r in self.by_problem[p].get(config, [])]
                if groups_runs:
                    values = np.array([r.hit(t) for r in groups_runs for t in ECDF_TARGETS])
                    budget = max(r.history_nfev[-1] for r in groups_runs) / dim
                    groups[title][config] = (values / dim, values.size, budget)
        ecdf = self.figure("runtime_ecdf", plots.ecdf, dict(groups), self.style)
        return [("h2", "Convergence"), ("img", conv, "Best-so-far gap against evaluations "
                                                     "(median and interquartile band)"),
                ("h2", "Runtime distributions"),
                ("p", "The fraction of (problem, target, run) triples solved within a number "
                      "of evaluations per dimension, for 51 target precisions from 1e2 to "
                      "1e-8, as COCO draws it; runtimes are read at the history checkpoints."),
                ("img", ecdf, "Empirical CDF of runtimes to targets"),
                ("h2", "Final values"),
                ("img", box, "Final gap of every run (points) over the box plots, per problem; "
                             f"solved gaps ({gaps.solved_text(self.precision)}) on the "
                             "dotted line")]

    def landscapes(self):
        blocks = []
        for problem in self.problems:
            configs = {c: [r for r in g if r.history_x is not None]
                       for c, g in self.by_problem[problem].items()}
            configs = {c: g for c, g in configs.items() if g}
            entry = self.spec["problems"][problem]
            if not configs or next(iter(configs.values()))[0].history_x.shape[1] != 2:
                continue
            if ":" in str(entry["ref"]) and not self.trust:
                blocks.append(("p", f"({problem}: not drawn. The database names its problem "
                                    f"as the code reference {entry['ref']!r}, and a report "
                                    "never runs code named by a database; pass --trust "
                                    "(trust=True) to import it if you trust this "
                                    "database.)"))
                continue
            base = pathlib.Path(self.spec["path"]).parent if self.spec.get("path") else None
            try:
                landscape = build_problem(entry["ref"], entry["params"],
                                          str(base) if base else None)
            except Exception as error:  # noqa: BLE001 - the report goes on without it
                blocks.append(("p", f"({problem}: cannot rebuild the problem to draw it: "
                                    f"{error})"))
                continue
            path = self.figure(f"trajectory_{_slug(problem)}", plots.trajectories,
                               landscape, problem, configs, self.style)
            blocks.append(("img", path, f"{problem}: best-so-far paths of three seeds"))
        return [("h2", "Trajectories on the 2-D landscapes")] + blocks if blocks else []

    def targets(self, problem) -> list:
        """The problem's own target precisions, else the suite's."""
        return self.spec["problems"][problem].get("targets") or self.spec["targets"]

    def tables(self):
        blocks = [("h2", "Statistics per problem"),
                  ("p", "Gap = f - f*, with f* the known optimum (or the best value any run "
                        "found, marked *); a gap "
                        f"{gaps.solved_text(self.precision)} is solved. CI: 95% percentile "
                        "bootstrap of the median (seeded). Success: fraction of runs within "
                        "each target precision; ERT: expected evaluations to reach it "
                        "(Hansen et al.).")]
        unknown = {r["problem"] for r in self.records if r["f_opt"] is None}
        for problem in self.problems:
            targets = self.targets(problem)
            header = ["configuration", "runs", "median gap", "IQR", "95% CI"] + \
                [f"succ / ERT {t:g}" for t in targets]
            mine = {r["config"]: r for r in self.summary if r["problem"] == problem}
            rows = [(c, r["runs"], self.gap(r["median"]), self.spread(r),
                     f"[{self.gap(r['ci_low'])}, {self.gap(r['ci_high'])}]",
                     *(f"{r['targets'][t]['success']:.0%} / {_g(r['targets'][t]['ert'])}"
                       for t in targets))
                    for c, r in ((c, mine[c]) for c in self.configs if c in mine)]
            blocks += [("h3", problem + (" *" if problem in unknown else "")),
                       ("table", header, rows)]
        pairs = stats.pairwise(self.runs, ALPHA, self.precision)
        significant = [r for r in pairs if r["significant"]]
        sizes = {(p, c): len(g) for p, cs in self.by_problem.items() for c, g in cs.items()}
        families = defaultdict(list)
        for r in pairs:
            families[r["problem"]].append((sizes[(r["problem"], r["a"])],
                                           sizes[(r["problem"], r["b"])]))
        hopeless = _significance.unreachable(list(families.values()), ALPHA)
        rows = []
        for r in significant:
            better, worse = ("a", "b") if r["a12"] > 0.5 else ("b", "a")
            rows.append((r["problem"], r[better], r[worse], self.gap(r[f"median_{better}"]),
                         self.gap(r[f"median_{worse}"]), f"{max(r['a12'], 1 - r['a12']):.2f}",
                         _g(r["p_holm"], 2)))
        blocks += [("h2", "Significant pairwise differences"),
                   ("p", f"{len(rows)} pairs differ at the {ALPHA:g} level (two-sided "
                         "Mann-Whitney U on final gaps, Holm-corrected within each problem). "
                         "A12: probability that a run of the better one ends lower.")]
        if hopeless:
            blocks.append(("p", _significance.seeds_note(
                hopeless, ALPHA, "difference between two configurations")))
        if rows:
            blocks.append(("details", f"The {len(rows)} significant pairs", [(
                "table", ["problem", "better", "worse", "median (better)", "median (worse)",
                          "A12", "p (Holm)"], rows)]))
        return blocks

    def spread(self, row) -> str:
        """The IQR of the gaps as solved runs count them: zero when both quartiles are."""
        return _g(max(row["q75"], self.precision) - max(row["q25"], self.precision))

    def failures(self):
        failed = [r for r in self.records if r["status"] != "ok"]
        if not failed:
            return []
        rows = [(r["key"], (r["error"] or "?").strip().splitlines()[0][:160]) for r in failed]
        return [("h2", f"Failed tasks ({len(failed)})"),
                ("p", "Their full tracebacks are in the store (column `error`)."),
                ("table", ["task", "error"], rows)]

    def legend(self):
        rows = [(name, v["ref"], v["label"], json.dumps(v["params"]), v["dial"])
                for name, v in self.spec["optimizers"].items()]
        rows += [(name, v["ref"], v["label"], json.dumps(v["params"]), v["dial"])
                 for name, v in self.spec["initializers"].items()]
        return [("h2", "Configurations"),
                ("table", ["name", "algorithm / initializer", "label", "parameters",
                           "dial"], rows)]


def _budgets(spec) -> str:
    budgets = sorted({v["budget"] or spec["budget"] for v in spec["problems"].values()})
    return "budget " + " / ".join(f"{b:,}" for b in budgets) + " evaluations"


def _slug(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
