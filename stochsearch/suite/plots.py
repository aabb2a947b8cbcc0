"""The report's figures, drawn with matplotlib's Agg canvas (no pyplot, no global state).

Every function takes what it draws and a path, saves one PNG there and returns the path.
Every figure has a title, labelled axes and a legend (a colour bar for the heat maps).
Configurations keep one style throughout: a colour per optimizer variant, a line style per
initializer (dashed for a fixed start, the randomness dial at zero).
"""
from __future__ import annotations

import math

import numpy as np

from .._optional import require

require("matplotlib", "Drawing the report's figures")
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .gaps import DEFAULT_THRESHOLD, clip, gap_text, solved_text
from .stats import percentiles

__all__ = ["boxplots", "convergence", "critical_difference", "ecdf", "gap_map",
           "randomness_map", "styles", "trajectories"]

FLOOR = 1e-10  # the studies' figures draw an exact optimum at this floor on log axes
_DPI = 100


def styles(configs, optimizer_of: dict, init_of: dict, zero_inits=()) -> dict:
    """``{config: {"color", "linestyle", "hatch"}}``: a colour per optimizer variant, a
    dashed line and hatching for the initializers whose dial is at zero."""
    palette = [f"C{i}" for i in range(10)]
    variants = list(dict.fromkeys(optimizer_of[c] for c in configs))
    inits = list(dict.fromkeys(init_of[c] for c in configs))
    dashes = {}
    for init in inits:
        dashes[init] = "--" if init in zero_inits else ["-", "-.", ":"][
            len([i for i in dashes if i not in zero_inits]) % 3]
    return {c: {"color": palette[variants.index(optimizer_of[c]) % 10],
                "linestyle": dashes[init_of[c]],
                "hatch": "//" if init_of[c] in zero_inits else ""} for c in configs}


def _figure(n_panels: int, width: float = 4.2, height: float = 3.4, columns: int = 4):
    columns = max(1, min(columns, n_panels))
    rows = math.ceil(n_panels / columns)
    figure = Figure(figsize=(width * columns + 2.4, height * rows + 0.9), dpi=_DPI)
    FigureCanvasAgg(figure)
    axes = figure.subplots(rows, columns, squeeze=False).ravel()
    for extra in axes[n_panels:]:
        extra.set_visible(False)
    return figure, axes[:n_panels]


def _save(figure, path, legend_handles=None, title=None):
    if title:
        figure.suptitle(title, fontsize=13)
    if legend_handles:
        figure.legend(handles=legend_handles, loc="center right", fontsize=8, frameon=False)
        figure.tight_layout(rect=(0, 0, 1 - 2.2 / figure.get_figwidth(), 1))
    else:
        figure.tight_layout()
    figure.savefig(path, format="png")
    return path


def _line_handles(style: dict) -> list:
    return [Line2D([], [], color=s["color"], linestyle=s["linestyle"], label=c)
            for c, s in style.items()]


def _solved_line(ax, solved: float) -> None:
    """The solved threshold on a log axis: values drawn on it are solved gaps."""
    if ax.get_yscale() == "log":
        ax.axhline(solved, color="0.35", linestyle=":", lw=1.0, zorder=0)


def _solved_handle(solved: float) -> Line2D:
    return Line2D([], [], color="0.35", linestyle=":", lw=1.0,
                  label=f"solved: gap {solved_text(solved)}")


def _log_fits(values, solved: float | None = None) -> bool:
    """Whether values span two decades, or (gaps) some sit at the solved threshold: a log
    axis then shows the solved line apart from the rest."""
    positive = np.asarray(values, float)
    positive = positive[np.isfinite(positive) & (positive > 0)]
    if solved is not None and np.any(positive <= solved):
        return True
    return positive.size > 0 and positive.max() / positive.min() > 100


# --- heat maps ---------------------------------------------------------------------------------
def _heat(path, matrix, rows, columns, title, ylabel, colorbar, text, cmap, norm=None,
          extra=()):
    label_width = 0.075 * max(len(r) for r in rows)
    figure = Figure(figsize=(max(7.0, 2.4 + label_width + 1.1 * len(columns)),
                             2.2 + 0.36 * len(rows) + 0.4 * bool(extra)), dpi=_DPI,
                    layout="constrained")
    FigureCanvasAgg(figure)
    ax = figure.subplots()
    image = ax.imshow(matrix, aspect="auto", cmap=cmap, norm=norm)
    ax.set_xticks(range(len(columns)), columns, rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(len(rows)), rows, fontsize=8)
    ax.set_xlabel("problem")
    ax.set_ylabel(ylabel)
    for (i, j), label in np.ndenumerate(text):
        if label:
            r, g, b, _ = image.cmap(image.norm(matrix[i, j]))
            dark = 0.299 * r + 0.587 * g + 0.114 * b < 0.5
            ax.text(j, i, label, ha="center", va="center", fontsize=7,
                    color="white" if dark else "black")
    bar = figure.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label(colorbar)
    ax.set_title(title, fontsize=11)
    if extra:
        figure.legend(handles=list(extra), loc="outside lower center", fontsize=8,
                      ncol=len(extra), frameon=False)
    figure.savefig(path, format="png")
    return path


def randomness_map(rows, problems, path, *, testable: bool = True):
    """The headline: for each randomness dial (one row each) and problem, the probability
    that the random setting beats the deterministic one (A12), marked where significant.
    ``testable=False`` (too few seeds for any test to reach significance) says so in the
    legend instead of explaining marks that cannot appear."""
    rows = sorted(rows, key=lambda r: (r["dial"], r["zero"], r["up"]))
    labels = list(dict.fromkeys(f"{r['dial']}  ({r['zero']} -> {r['up']})" for r in rows))
    matrix = np.full((len(labels), len(problems)), np.nan)
    text = np.full(matrix.shape, "", dtype=object)
    for r in rows:
        i = labels.index(f"{r['dial']}  ({r['zero']} -> {r['up']})")
        j = problems.index(r["problem"])
        matrix[i, j] = r["a12"]
        mark = {"helped": " +", "hurt": " -"}.get(r["verdict"], "")
        text[i, j] = f"{r['a12']:.2f}{mark}"
    marks = [Line2D([], [], linestyle="none", marker="$+$", color="k",
                    label="+ randomness helped (Holm p < 0.05)"),
             Line2D([], [], linestyle="none", marker="$-$", color="k",
                    label="- randomness hurt (Holm p < 0.05)")]
    if not testable:
        marks = [Line2D([], [], linestyle="none", label="too few seeds: no test can reach "
                                                         "significance (see the report)")]
    return _heat(path, matrix, labels, problems,
                 "Where randomness helped: dial at zero -> turned up",
                 "randomness dial (configuration at zero -> turned up)",
                 "A12 = P(random run ends lower)", text, "RdBu",
                 TwoSlopeNorm(vcenter=0.5, vmin=0.0, vmax=1.0), marks)


def gap_map(medians: dict, configs, problems, path, *, solved: float = DEFAULT_THRESHOLD):
    """Median final gap of every configuration on every problem: colour on a log10 scale,
    the gap written in each cell (``≤ 1e-8`` when solved, as in the tables)."""
    matrix = np.array([[math.log10(max(medians[(p, c)], solved))
                        if np.isfinite(medians.get((p, c), np.nan)) else np.nan
                        for p in problems] for c in configs])
    text = np.array([["" if (p, c) not in medians or np.isnan(medians[(p, c)]) else
                      gap_text(medians[(p, c)], solved, 2) for p in problems]
                     for c in configs], dtype=object)
    return _heat(path, matrix, list(configs), problems,
                 "Median final gap to the optimum (lower is better)", "configuration",
                 f"log10 median(f - f*); {solved_text(solved)} = solved", text, "viridis_r")


# --- curves --------------------------------------------------------------------------------
def _best_so_far(run, grid) -> np.ndarray:
    # Every history starts at the first evaluation, and the grid too.
    index = np.searchsorted(run.history_nfev, grid, side="right") - 1
    return run.history_gap[np.maximum(index, 0)]


def convergence(by_problem: dict, style: dict, path, *, solved: float = DEFAULT_THRESHOLD):
    """Per problem, the median best-so-far gap against evaluations with its IQR band;
    solved gaps are drawn on the dotted line of the solved threshold."""
    figure, axes = _figure(len(by_problem))
    for ax, (problem, configs) in zip(axes, by_problem.items()):
        last = max(r.history_nfev[-1] for g in configs.values() for r in g)
        grid = np.unique(np.round(np.geomspace(1, last, 200)))
        everything = []
        for config, group in configs.items():
            curves = np.array([_best_so_far(r, grid) for r in group])
            q25, median, q75 = clip(percentiles(curves, [25, 50, 75], axis=0), solved)
            s = style[config]
            ax.plot(grid, median, color=s["color"], linestyle=s["linestyle"], lw=1.4)
            ax.fill_between(grid, q25, q75, color=s["color"], alpha=0.15, lw=0)
            everything.append(median)
        ax.set_xscale("log")
        if _log_fits(np.concatenate(everything), solved):
            ax.set_yscale("log")
            _solved_line(ax, solved)
        ax.set_title(problem, fontsize=10)
        ax.set_xlabel("evaluations")
        ax.set_ylabel("best f - f* (median, IQR)")
    return _save(figure, path, _line_handles(style) + [_solved_handle(solved)],
                 "Convergence: median best-so-far gap with interquartile band")


def ecdf(groups: dict, style: dict, path):
    """COCO-style runtime distributions: ``groups`` maps a panel title to
    ``{config: (runtimes / dim, number of (problem, target, run) triples, budget / dim)}``."""
    figure, axes = _figure(len(groups), width=5.2, columns=2)
    for ax, (title, configs) in zip(axes, groups.items()):
        right = 1.0
        for config, (values, n, budget) in configs.items():
            x = np.sort(values[np.isfinite(values)])
            y = np.arange(1, x.size + 1) / max(n, 1)
            s = style[config]
            ax.step(np.concatenate([[0.5], x, [budget]]), np.concatenate([[0], y, y[-1:]
                    if y.size else [0]]), where="post", color=s["color"],
                    linestyle=s["linestyle"], lw=1.4)
            right = max(right, budget)
        ax.set_xscale("log")
        ax.set_xlim(0.5, right * 1.05)
        ax.set_ylim(0, 1.02)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("evaluations / dimension")
        ax.set_ylabel("fraction of (problem, target, run) reached")
        ax.grid(alpha=0.3)
    return _save(figure, path, _line_handles(style),
                 "Runtime distributions to 51 targets, 1e2 ... 1e-8 (COCO style)")


def boxplots(by_problem: dict, style: dict, path, *, solved: float = DEFAULT_THRESHOLD):
    """Per problem, the distribution of final gaps of every configuration: a box plot with
    every run drawn over it as a point (jittered sideways, seeded), solved gaps on the
    dotted line of the solved threshold."""
    figure, axes = _figure(len(by_problem))
    jitter = np.random.default_rng(0)
    for ax, (problem, configs) in zip(axes, by_problem.items()):
        data = [clip([r.gap for r in g], solved) for g in configs.values()]
        boxes = ax.boxplot(data, patch_artist=True, widths=0.6, showfliers=False,
                           medianprops={"color": "black"})
        for i, (patch, config, values) in enumerate(zip(boxes["boxes"], configs, data), 1):
            patch.set_facecolor(style[config]["color"])
            patch.set_alpha(0.45)
            patch.set_hatch(style[config]["hatch"])
            finite = values[np.isfinite(values)]
            ax.scatter(i + jitter.uniform(-0.18, 0.18, finite.size), finite, s=9,
                       color=style[config]["color"], edgecolors="black", linewidths=0.4,
                       zorder=3, label="_run")
        ax.set_xticks(range(1, len(configs) + 1), list(configs), rotation=60, ha="right",
                      fontsize=7)
        if _log_fits(np.concatenate(data), solved):
            ax.set_yscale("log")
            _solved_line(ax, solved)
        ax.set_title(problem, fontsize=10)
        ax.set_xlabel("configuration")
        ax.set_ylabel("final f - f*")
    handles = [Patch(facecolor=s["color"], hatch=s["hatch"], alpha=0.45, label=c)
               for c, s in style.items()]
    handles += [Line2D([], [], linestyle="none", marker="o", color="0.5", mec="black",
                       ms=4, label="one run"), _solved_handle(solved)]
    return _save(figure, path, handles, "Final gaps to the optimum per problem: box plots "
                                        "and every run")


def trajectories(problem, problem_name: str, by_config: dict, style: dict, path,
                 replicates: int = 3):
    """A 2-D landscape's contour with the best-so-far path of each configuration (one
    panel each, ``replicates`` seeds per panel)."""
    space = problem.space
    u = np.linspace(space.lower[0], space.upper[0], 160)
    v = np.linspace(space.lower[1], space.upper[1], 160)
    U, V = np.meshgrid(u, v)
    Z = problem.evaluate(np.column_stack([U.ravel(), V.ravel()])).reshape(U.shape)
    levels = np.unique(np.quantile(Z[np.isfinite(Z)], np.linspace(0, 1, 24)))
    figure, axes = _figure(len(by_config), width=3.6, height=3.4, columns=5)
    for ax, (config, group) in zip(axes, by_config.items()):
        ax.contourf(U, V, Z, levels=levels, cmap="Greys_r", alpha=0.85)
        for k, run in enumerate(sorted(group, key=lambda r: r.replicate)[:replicates]):
            x = run.history_x
            color = f"C{k % 10}"
            ax.plot(x[:, 0], x[:, 1], "-", color=color, lw=1.2, alpha=0.9)
            ax.plot(x[0, 0], x[0, 1], "o", color=color, ms=5, mfc="white")
            ax.plot(x[-1, 0], x[-1, 1], "X", color=color, ms=7)
        if problem.x_opt is not None:
            ax.plot(*problem.x_opt, "*", color="gold", ms=14, mec="black")
        ax.set_xlim(u[0], u[-1])
        ax.set_ylim(v[0], v[-1])
        ax.set_title(config, fontsize=9, color=style[config]["color"])
        ax.set_xlabel("x1")
        ax.set_ylabel("x2")
    handles = [Line2D([], [], color=f"C{k}", label=f"seed {k}: best-so-far path")
               for k in range(replicates)]
    handles += [Line2D([], [], linestyle="none", marker="o", mfc="white", color="k",
                       label="first point"),
                Line2D([], [], linestyle="none", marker="X", color="k", label="best found"),
                Line2D([], [], linestyle="none", marker="*", color="gold", mec="black", ms=12,
                       label="global optimum")]
    return _save(figure, path, handles, f"{problem_name}: where each configuration went")


def critical_difference(panels, path):
    """Critical-difference diagrams (Demšar 2006), one panel per group of problems: each
    configuration at its average rank (1 = best), the critical difference of Nemenyi's
    test as a bar, and thick bars joining configurations that do not differ significantly.

    ``panels`` is a list of dicts with ``title``, ``ranks`` (``{config: average rank}``),
    ``cd`` (the critical difference) and ``cliques`` (lists of configurations).
    """
    sizes = [len(p["ranks"]) for p in panels]
    heights = [1.6 + 0.26 * math.ceil(k / 2) + 0.14 * len(p["cliques"])
               for k, p in zip(sizes, panels)]
    figure = Figure(figsize=(10.5, sum(heights) + 0.8), dpi=_DPI)
    FigureCanvasAgg(figure)
    axes = figure.subplots(len(panels), 1, squeeze=False,
                           gridspec_kw={"height_ratios": heights}).ravel()
    for ax, panel, k in zip(axes, panels, sizes):
        ranks, cd = panel["ranks"], panel["cd"]
        ordered = sorted(ranks, key=ranks.get)
        left, right = 1.0, float(max(k, 2))
        ax.set_xlim(left, right)
        bars = len(panel["cliques"])
        first = 0.35 + 0.16 * bars
        rows = math.ceil(k / 2)
        ax.set_ylim(first + 0.3 * rows + 0.1, -0.55)
        for name, spine in ax.spines.items():
            spine.set_visible(name == "top")
        ax.xaxis.set_ticks_position("top")
        ax.xaxis.set_label_position("top")
        ax.set_xticks(range(1, k + 1))
        ax.set_yticks([])
        ax.set_xlabel("average rank (1 = best)", fontsize=8)
        ax.set_ylabel("configuration (average rank)", fontsize=8)
        ax.yaxis.set_label_coords(-0.5, 0.5)
        if cd <= right - left:
            ax.plot([left, left + cd], [-0.4, -0.4], color="C3", lw=2.0, clip_on=False)
            ax.text(left + cd / 2, -0.34, f"CD = {cd:.2f}", ha="center", va="top",
                    fontsize=8, color="C3")
        else:
            ax.text((left + right) / 2, -0.34, f"CD = {cd:.2f}: wider than the whole axis",
                    ha="center", va="top", fontsize=8, color="C3")
        for j, group in enumerate(panel["cliques"]):
            y = 0.2 + 0.16 * j
            ax.plot([ranks[group[0]] - 0.03, ranks[group[-1]] + 0.03], [y, y], color="black",
                    lw=3.0, solid_capstyle="round")
        half = math.ceil(k / 2)
        for i, name in enumerate(ordered):
            on_left = i < half
            row = i if on_left else k - 1 - i
            y = first + 0.3 * row
            edge = left if on_left else right
            ax.plot([ranks[name], ranks[name], edge], [0, y, y], color="0.3", lw=0.8,
                    clip_on=False)
            ax.text(edge + (-0.02 if on_left else 0.02) * (right - left), y,
                    f"{name} ({ranks[name]:.2f})", ha="right" if on_left else "left",
                    va="center", fontsize=8, clip_on=False)
        ax.set_title(panel["title"], fontsize=9, pad=22)
    handles = [Line2D([], [], color="C3", lw=2.0, label="critical difference (Nemenyi)"),
               Line2D([], [], color="black", lw=3.0, label="no significant difference")]
    figure.legend(handles=handles, loc="lower center", ncol=2, fontsize=8, frameon=False)
    figure.suptitle("Average ranks of the configurations (critical-difference diagram)",
                    fontsize=12)
    figure.subplots_adjust(left=0.3, right=0.72, top=1 - 1.2 / figure.get_figheight(),
                           bottom=0.5 / figure.get_figheight(), hspace=0.6)
    figure.savefig(path, format="png")
    return path
