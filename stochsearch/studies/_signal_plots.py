"""The figures of the *signal* study: one panel per statistic, the hidden layer on the x axis,
one curve per initializer (median over seeds, band from the smallest to the largest seed).
"""
from __future__ import annotations

import numpy as np

__all__ = ["plot_layers"]


def plot_layers(cells, problems, inits, labels, metrics, heading, path):
    """``cells`` maps ``(problem, init)`` to ``{metric: (seeds, layers) array}``; ``metrics``
    lists ``(metric, title, y label, log)``. Problems whose name ends in ``-raw`` are dashed."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(4.4 * len(metrics), 4.5), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(1, len(metrics), squeeze=False)[0]
    for ax, (metric, title, label, log) in zip(axes, metrics):
        for i, init in enumerate(inits):
            for problem in problems:
                if (problem, init) not in cells:
                    continue
                values = cells[problem, init][metric]
                layers = np.arange(1, values.shape[1] + 1)
                raw = problem.endswith("-raw")
                ax.plot(layers, np.median(values, axis=0), color=f"C{i}",
                        linestyle="--" if raw else "-", marker="o", ms=3, lw=1.4,
                        label=labels[init] + (" (raw pixels)" if raw else ""))
                ax.fill_between(layers, values.min(axis=0), values.max(axis=0),
                                color=f"C{i}", alpha=0.15, lw=0)
        if log:
            ax.set_yscale("log")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set(xlabel="hidden layer (1 = nearest the input)",
               ylabel=label + (" (log scale)" if log else ""), title=title)
        ax.title.set_fontsize(10)
        ax.yaxis.label.set_fontsize(9)
        ax.grid(alpha=0.3)
    handles, texts = axes[0].get_legend_handles_labels()
    figure.legend(handles, texts, loc="outside lower center", ncol=min(4, len(texts)),
                  fontsize=8, frameon=False)
    figure.suptitle(f"{heading}, at initialization: median over seeds, band from the smallest to "
                    "the largest", fontsize=11)
    figure.savefig(path, format="png")
