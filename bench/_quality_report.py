"""Scores, tables and runtime ECDFs of ``quality.py``, computed from its JSON files only (so a
report can be redrawn without running anything)."""
from __future__ import annotations

import json
import pathlib
from collections import defaultdict

import numpy as np

import _quality_continuous as continuous
import _quality_discrete as discrete

#: (system, reference, what the issue asks): the goals of issue 12.
CONTINUOUS_GOALS = [("rhc", "es11"), ("ga", "de"), ("sa", "dual-annealing"),
                    ("best of the library", "cma-ipop")]
DISCRETE_GOALS = [("rhc", "rls", "100%"), ("rhc", "ea", "100%"), ("sa", "fea", "100%"),
                  ("sa", "fea", "10%"), ("ga", "mulga", "100%")]
COLORS = {"rhc": "tab:blue", "sa": "tab:orange", "ga": "tab:green", "random": "tab:gray",
          "cmaes": "tab:olive",
          "es11": "tab:purple", "de": "tab:brown", "dual-annealing": "tab:red",
          "cma-ipop": "black", "rls": "tab:purple", "ea": "tab:brown", "fea": "tab:red",
          "mulga": "black"}


def _runs(path: pathlib.Path) -> list[dict]:
    if not path.exists():
        return []
    return json.loads(path.read_text())["runs"]


def _table(header, rows) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines + [""]


def _order(systems, preferred):
    return [s for s in preferred if s in systems]


# --- continuous -------------------------------------------------------------------------------
def continuous_scores(runs):
    """system -> group -> [hit triples, all triples], groups: overall, families, dims, problems."""
    scores = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    targets = continuous.TARGETS.size
    for run in runs:
        family = continuous.PROBLEMS[run["problem"]][0]
        hit = len(run["hits"])
        for group in ("overall", family, f"D={run['dim']}", run["problem"],
                      f"{family} D={run['dim']}"):
            cell = scores[run["system"]][group]
            cell[0] += hit
            cell[1] += targets
    return scores


def _fraction(cell):
    return f"{cell[0] / cell[1]:.3f}" if cell[1] else "-"


def continuous_section(runs, out: pathlib.Path) -> list[str]:
    scores = continuous_scores(runs)
    systems = _order(scores, continuous.SYSTEMS)
    dims = sorted({run["dim"] for run in runs})
    instances = sorted({run["instance"] for run in runs})
    groups = ["overall", *continuous.FAMILIES, *[f"D={d}" for d in dims]]
    count = defaultdict(set)
    for run in runs:
        count[run["dim"]].add(run["problem"])
    lines = ["## Continuous", "",
             f"Instances {instances}, dimensions {dims} "
             f"({', '.join(f'{len(count[d])} problems in {d}-D' for d in dims)}), budget 1000 D, "
             f"51 targets from 1e2 to 1e-8 on f - f*. Score: fraction of (problem, instance, "
             f"target) triples hit.", ""]
    lines += _table(["system", *groups],
                    [[s, *[_fraction(scores[s][g]) for g in groups]] for s in systems])
    lines += ["### Goals", ""]
    best = max((s for s in continuous.LIBRARY if s != "random" and s in scores),
               key=lambda s: _value(scores[s]["overall"]), default="rhc")
    for mine, peer in CONTINUOUS_GOALS:
        name = best if mine.startswith("best") else mine
        a, b = _value(scores[name]["overall"]), _value(scores[peer]["overall"])
        lines.append(f"- {mine if name == mine else f'{mine} ({name})'} {a:.3f} vs {peer} "
                     f"{b:.3f}: {'met' if a >= b else 'missed'}")
    lines += ["", "### Per family and dimension", ""]
    lines += _table(["family", "D", *systems],
                    [[family, d, *[_fraction(scores[s][f"{family} D={d}"]) for s in systems]]
                     for family in continuous.FAMILIES for d in dims])
    lines += ["### Per problem (all dimensions and instances)", ""]
    problems = [p for p in continuous.PROBLEMS if any(p in scores[s] for s in systems)]
    lines += _table(["problem", "family", *systems],
                    [[p, continuous.PROBLEMS[p][0],
                      *[_fraction(scores[s][p]) for s in systems]] for p in problems])
    figure = _continuous_ecdf(runs, systems, dims, out)
    lines += [f"Runtime ECDFs: `{figure[0]}` (all), `{figure[1]}` (per dimension).", ""]
    return lines


def _value(cell):
    return cell[0] / cell[1] if cell[1] else float("nan")


def _ecdf_curve(times, total, grid):
    times = np.sort(np.asarray(times, dtype=float))
    return np.searchsorted(times, grid, side="right") / max(total, 1)


def _continuous_ecdf(runs, systems, dims, out):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    grid = np.logspace(0, 3, 300)
    targets = continuous.TARGETS.size

    def draw(ax, subset, title):
        for s in systems:
            mine = [r for r in subset if r["system"] == s]
            times = [h / r["dim"] for r in mine for h in r["hits"]]
            ax.step(grid, _ecdf_curve(times, targets * len(mine), grid), where="post",
                    label=s, color=COLORS.get(s))
        ax.set_xscale("log")
        ax.set_ylim(0, 1)
        ax.set_xlabel("evaluations / D")
        ax.set_ylabel("fraction of (problem, instance, target) triples")
        ax.set_title(title)
        ax.grid(alpha=0.3)

    fig, ax = plt.subplots(figsize=(7, 5))
    draw(ax, runs, f"all problems, D = {', '.join(map(str, dims))}")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "ecdf_continuous.png", dpi=110)
    plt.close(fig)
    columns = min(len(dims), 2)
    rows = -(-len(dims) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(6 * columns, 4.5 * rows), squeeze=False)
    for ax, dim in zip(axes.ravel(), dims):
        draw(ax, [r for r in runs if r["dim"] == dim], f"D = {dim}")
    for ax in axes.ravel()[len(dims):]:
        ax.axis("off")
    axes.ravel()[0].legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "ecdf_continuous_dims.png", dpi=110)
    plt.close(fig)
    return "ecdf_continuous.png", "ecdf_continuous_dims.png"


# --- discrete ---------------------------------------------------------------------------------
def discrete_hits(runs):
    """Each run's hit times (evaluations) of the 21 targets of its instance (None if missed),
    the optimum being the known one or the best value any system found."""
    best = defaultdict(lambda: np.inf)
    for run in runs:
        key = (run["problem"], run["dim"], run["instance"])
        best[key] = min(best[key], min(v for _, v in run["trajectory"]))
    out = []
    for run in runs:
        key = (run["problem"], run["dim"], run["instance"])
        f_opt = run["f_opt"] if run["f_opt"] is not None else best[key]
        gap = run["random"] - f_opt
        tolerance = 1e-9 * max(1.0, abs(f_opt))
        hits = []
        for relative in discrete.RELATIVE_TARGETS:
            level = f_opt + relative * gap + tolerance
            hits.append(next((a for a, v in run["trajectory"] if v <= level), None))
        out.append((run, hits))
    return out


def discrete_section(runs, out: pathlib.Path) -> list[str]:
    scored = discrete_hits(runs)
    scores = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for run, hits in scored:
        for fraction, tag in ((1.0, "100%"), (0.1, "10%")):
            limit = fraction * run["budget"]
            hit = sum(h is not None and h <= limit for h in hits)
            for group in ("overall", f"n={run['dim']}", run["problem"]):
                cell = scores[run["system"]][(group, tag)]
                cell[0] += hit
                cell[1] += len(hits)
    systems = _order(scores, discrete.SYSTEMS)
    sizes = sorted({run["dim"] for run in runs})
    instances = sorted({run["instance"] for run in runs})
    groups = [(g, t) for g in ("overall", *[f"n={n}" for n in sizes]) for t in ("100%", "10%")]
    lines = ["## Discrete", "",
             f"Instances {instances}, n = {sizes}, budget min(100 n^2, 1e5), "
             f"{len(discrete.RELATIVE_TARGETS)} targets per instance between the mean random "
             f"value and the optimum (LABS beyond n = 20: the best value any system found). "
             f"Score: fraction of (problem, instance, target) triples hit within 100% / 10% of "
             f"the budget.", ""]
    lines += _table(["system", *[f"{g} {t}" for g, t in groups]],
                    [[s, *[_fraction(scores[s][g]) for g in groups]] for s in systems])
    lines += ["### Goals", ""]
    for mine, peer, tag in DISCRETE_GOALS:
        a = _value(scores[mine][("overall", tag)])
        b = _value(scores[peer][("overall", tag)])
        lines.append(f"- {mine} {a:.3f} vs {peer} {b:.3f} at {tag} of the budget: "
                     f"{'met' if a >= b else 'missed'}")
    for tag in ("100%", "10%"):
        lines += ["", f"### Per problem at {tag} of the budget (all n and instances)", ""]
        problems = [p for p in discrete.PROBLEMS if (p, tag) in scores[systems[0]]]
        lines += _table(["problem", *systems],
                        [[p, *[_fraction(scores[s][(p, tag)]) for s in systems]]
                         for p in problems])
    lines += [f"Runtime ECDF: `{_discrete_ecdf(scored, systems, out)}`.", ""]
    return lines


def _discrete_ecdf(scored, systems, out):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    grid = np.logspace(-4, 0, 300)
    fig, ax = plt.subplots(figsize=(7, 5))
    for s in systems:
        mine = [(run, hits) for run, hits in scored if run["system"] == s]
        times = [h / run["budget"] for run, hits in mine for h in hits if h is not None]
        total = sum(len(hits) for _, hits in mine)
        ax.step(grid, _ecdf_curve(times, total, grid), where="post", label=s,
                color=COLORS.get(s))
    ax.axvline(0.1, color="gray", lw=0.8, ls="--")
    ax.set_xscale("log")
    ax.set_ylim(0, 1)
    ax.set_xlabel("evaluations / budget")
    ax.set_ylabel("fraction of (problem, instance, target) triples")
    ax.set_title("bitstrings, n = 16, 64, 100")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "ecdf_discrete.png", dpi=110)
    plt.close(fig)
    return "ecdf_discrete.png"


def write(out: pathlib.Path) -> None:
    lines = ["# Quality benchmark (bench/quality.py)", "",
             "Generated from the JSON files of this folder; see the docstring of "
             "bench/quality.py for the protocol.", ""]
    for name, section in (("continuous", continuous_section), ("discrete", discrete_section)):
        runs = _runs(out / f"{name}.json")
        if runs:
            seconds = sum(r["seconds"] for r in runs)
            lines += section(runs, out)
            lines += [f"{len(runs)} runs, {seconds / 60:.1f} min of run time in total "
                      f"(summed over processes).", ""]
    (out / "quality.md").write_text("\n".join(lines))
