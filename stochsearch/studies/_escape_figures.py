"""The escape study's figures: 2-D contours with each setting's paths, success rate and median
final gap against every randomness dial, and the basin experiment.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..suite import plots
from ..suite import stats as suite_stats
from ._escape_basins import fit, fitted, restarts_for
from ._escape_design import (
    DIALS,
    INITS,
    capital,
    dial_value,
    family,
    is_landscape,
    label,
    problems,
    setting,
    typical,
)
from ._escape_stats import median, rate

_STYLE = {"fixed": {"color": "tab:red", "linestyle": "--"},
          "uniform": {"color": "tab:blue", "linestyle": "-"}}


def dial_figure(table, kind, shown_problems, path):
    """Success rate (Wilson band) against the dial, one panel per problem (a row of
    landscapes, a row of bit strings), the fixed start dashed and uniform random starts solid:
    one point, whether turning the dial up gets the search out. The median gaps are in the
    study's table."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    shown = [p for p in shown_problems if any(k[:2] == (kind, p) for k in table)]
    groups = [g for g in ([p for p in shown if is_landscape(p)],
                          [p for p in shown if not is_landscape(p)]) if g]
    columns = max(len(g) for g in groups)
    figure, axes = plots._figure(len(groups) * columns, width=3.1, height=2.6,
                                 columns=columns)
    axes = np.asarray(axes).reshape(len(groups), columns)
    values = sorted({k[3] for k in table if k[0] == kind})
    for g, group in enumerate(groups):
        for ax in axes[g, len(group):]:
            ax.set_visible(False)
        for column, problem in enumerate(group):
            _dial_panel(axes[g, column], table, kind, problem, values, "success")
    handles = [Line2D([], [], label=INITS[init], **style) for init, style in _STYLE.items()]
    handles += [Patch(color="grey", alpha=0.3, label="95% Wilson interval")]
    return plots._save(figure, path, handles,
                       f"{capital(DIALS[kind].label)}: does turning the randomness dial up "
                       "get it out?\nsuccess rate (gap <= 0.5; NK: the optimum)")


def _dial_panel(ax, table, kind, problem, values, metric):
    for init, style in _STYLE.items():
        xs = [i for i, v in enumerate(values) if (kind, problem, init, v) in table]
        if not xs:
            continue
        summary = rate if metric == "success" else (lambda g, _: median(g))
        y, low, high = np.array([summary(table[(kind, problem, init, values[i])], problem)
                                 for i in xs]).T
        ax.plot(xs, y, marker="o", ms=3.5, lw=1.4, **style)
        ax.fill_between(xs, low, high, color=style["color"], alpha=0.15, lw=0)
    # Evenly spaced ticks: the dials are swept on roughly geometric grids that start at 0.
    ax.set_xticks(range(len(values)), [f"{v:g}" for v in values], fontsize=8)
    ax.set_xlabel(DIALS[kind].axis, fontsize=8)
    if metric == "success":
        ax.set_ylim(-0.03, 1.03)
        ax.set_ylabel("success rate")
    else:
        ax.set_yscale("log")   # gaps are floored at plots.FLOOR
        ax.set_ylabel(f"median final f - f* (floor {plots.FLOOR:g})", fontsize=8)
    ax.set_title(label(problem), fontsize=10)
    ax.grid(alpha=0.3)


def paths(records, problem, families, quick, path):
    """Contour of a 2-D landscape with the best-so-far paths of each family's dial at zero
    from the fixed start and turned up from random starts."""
    from ..suite.tasks import build_problem

    entry = problems(quick)[problem]
    landscape = build_problem(entry["problem"], entry["params"])
    chosen, runs = {}, suite_stats.runs([r for r in records if r["problem"] == problem])
    where = {r["optimizer"]: (family(r["optimizer"]), dial_value(r)) for r in records}
    for kind in families:
        for init, value in (("fixed", 0.0), ("uniform", typical(kind, quick))):
            short = "fixed start" if init == "fixed" else "random starts"
            name = f"{DIALS[kind].label}: {setting(kind, value)}, {short}"
            group = [replace(run, config=name) for run in runs
                     if run.init == init and where[run.optimizer] == (kind, value)]
            if group:
                chosen[name] = group
    style = {name: {"color": "tab:red" if "fixed" in name else "tab:blue"} for name in chosen}
    return plots.trajectories(landscape, f"{label(problem)} (shifted; titles: red = dial at "
                              "zero from the fixed start, blue = dial up from random starts)",
                              chosen, style, path)


def basin_figure(found, sweep, largest, path):
    """Basin probability against the dimension, the restarts it implies, and the restarts
    sweep's success rates against the prediction."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    figure = Figure(figsize=(19, 5.2), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    left, middle, right = figure.subplots(1, 3)
    for i, (landscape, rows) in enumerate(found.items()):
        _basin_curves(left, middle, rows, f"C{i}", landscape)
    for row in sweep:
        color = f"C{list(found).index(row['landscape'])}"
        _sweep_points(right, row, color)
        if row["needed"] is not None:
            middle.plot(row["dim"], max(row["needed"], 0.5), "*", color=color, ms=14,
                        mec="black")
    middle.axhline(largest, color="grey", ls="--", lw=1)
    left.set(yscale="log", xlabel="dimension", ylabel="P(climb ends in the global basin)",
             title="A random start's chance of the global basin")
    middle.set(yscale="log", xlabel="dimension", ylabel="restarts (0 drawn at 0.5)",
               title="Restarts for a 95% chance of one success")
    dims = sorted({r.dim for rows in found.values() for r in rows})
    for ax in (left, middle):
        ax.set_xticks(dims)
    swept = sorted({pt["restarts"] for row in sweep for pt in row["points"]})
    right.set_xscale("symlog", linthresh=1.0)
    right.set_xticks(swept, [str(k) for k in swept])
    right.set(xlabel="restarts k", ylabel="success rate", ylim=(-0.03, 1.03),
              title="Restarts sweep (points) vs 1 - (1 - p)^(k+1) (lines)")
    marks = [Line2D([], [], ls="none", marker="v", color="k",
                    label="no hit: upper end of the interval"),
             Line2D([], [], ls=":", color="k", label="geometric fit in the dimension")]
    left.legend(handles=left.get_legend_handles_labels()[0] + marks, fontsize=7)
    middle.legend(handles=middle.get_legend_handles_labels()[0] + [
        Line2D([], [], ls="none", marker="^", color="k", label="no hit: at least"),
        Line2D([], [], ls="none", marker="*", color="grey", mec="black", ms=12,
               label="restarts the sweep needed"),
        Line2D([], [], ls="--", color="grey", label=f"largest swept: {largest}")], fontsize=7)
    right.legend(handles=right.get_legend_handles_labels()[0] + [
        Line2D([], [], color="k", label="prediction from p (2-D), band from its interval"),
        Line2D([], [], color="k", ls="--", label="prediction (10-D)")], fontsize=7,
        loc="upper left", bbox_to_anchor=(1.02, 1.0))
    # The fit's extrapolation may run far below the data: keep the measured points readable.
    lows = [r.low if r.hits else r.high for rows in found.values() for r in rows]
    left.set_ylim(bottom=max(min(lows) / 30, 1e-12))
    for ax in (left, middle, right):
        ax.grid(alpha=0.3)
    figure.suptitle("Climbs from uniform random starts on shifted landscapes: the global "
                    "basin and the restarts it takes", fontsize=13)
    figure.savefig(path, format="png")
    return path


def _basin_curves(left, middle, rows, color, landscape):
    dims = np.array([r.dim for r in rows])
    hit = np.array([r.hits > 0 for r in rows])
    p, low, high = (np.array([getattr(r, k) for r in rows]) for k in ("p", "low", "high"))
    left.errorbar(dims[hit], p[hit], yerr=[p[hit] - low[hit], high[hit] - p[hit]], fmt="o-",
                  color=color, capsize=3, label=f"{landscape}: p with 95% Wilson interval")
    left.plot(dims[~hit], high[~hit], "v", color=color, ms=8)
    # Zero restarts cannot be drawn on a log axis: drawn at 0.5.
    restarts, r_low, r_high = (np.maximum([getattr(r, k) for r in rows], 0.5)
                               for k in ("restarts", "restarts_low", "restarts_high"))
    finite = hit & np.isfinite(r_high)
    middle.errorbar(dims[finite], restarts[finite],
                    yerr=[restarts[finite] - r_low[finite], r_high[finite] - restarts[finite]],
                    fmt="o-", color=color, capsize=3, label=landscape)
    middle.plot(dims[~hit], r_low[~hit], "^", color=color, ms=8)
    line = fit(rows)
    if line is not None:
        grid = np.linspace(dims.min(), dims.max(), 50)
        along = np.array([fitted(line, d) for d in grid])
        left.plot(grid, along, ":", color=color, lw=1)
        middle.plot(grid, [max(restarts_for(q), 0.5) for q in along], ":", color=color, lw=1)


def _sweep_points(ax, row, color):
    marker = "s" if row["dim"] == 2 else "D"
    ks = np.array([pt["restarts"] for pt in row["points"]], float)
    observed = np.array([[pt["observed"], pt["low"], pt["high"]] for pt in row["points"]])
    predicted = np.array([[pt["predicted"], pt["predicted_low"], pt["predicted_high"]]
                          for pt in row["points"]])
    ax.plot(ks, predicted[:, 0], "-" if row["dim"] == 2 else "--", color=color, lw=1.2)
    ax.fill_between(ks, predicted[:, 1], predicted[:, 2], color=color, alpha=0.12, lw=0)
    ax.errorbar(ks, observed[:, 0], yerr=[observed[:, 0] - observed[:, 1],
                                          observed[:, 2] - observed[:, 0]],
                fmt=marker, color=color, capsize=3, ms=5, ls="none",
                label=f"{label(row['problem'])}: sweep, 95% Wilson")
