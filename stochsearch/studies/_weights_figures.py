"""The weights study's figures: test accuracy and training loss against passes over the
training data, and the optimizer-by-initializer heat maps of test accuracy."""
from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..suite import plots

__all__ = ["curves_figure", "initializers_figure"]

_COLORS = {"sgd": "C3", "rhc": "C0", "sa": "C2", "ga": "C1", "random": "C7"}


def curves_figure(curves, grid, labels, chance, target, marks, path, title):
    """Median best-so-far test accuracy and training loss of each optimizer against passes,
    with interquartile bands; ``marks`` are the passes ``(early, SGD's budget)`` the text
    compares them at."""
    early, epochs = marks
    figure, (left, right) = plots._figure(2, width=5.6, height=4.4, columns=2)
    grid = np.asarray(grid)
    for entry, band in curves.items():
        color = _COLORS.get(entry, "k")
        for ax, key in ((left, "test_accuracy"), (right, "train_loss")):
            median, low, high = (np.asarray(band[key][k], dtype=float)
                                 for k in ("median", "low", "high"))
            ax.plot(grid, median, color=color, lw=1.8, label=labels[entry])
            ax.fill_between(grid, low, high, color=color, alpha=0.15, lw=0)
    left.axhline(chance, color="black", lw=0.8, ls=":")
    left.axhline(target, color="grey", lw=0.8, ls="--")
    for ax in (left, right):
        ax.axvline(early, color="grey", lw=0.8, ls="-.")
        ax.axvline(epochs, color="C3", lw=0.8, ls=":")
        ax.set_xscale("log")
        ax.set_xlabel("passes over the training data (SGD: epochs; others: evaluations)")
        ax.grid(alpha=0.3)
    left.set_ylabel("test accuracy of the best weights so far")
    left.set_title("Test accuracy against passes")
    right.set_yscale("log")
    right.set_ylabel("training loss (cross-entropy), best so far")
    right.set_title("Training loss against passes")
    handles = [Line2D([], [], color=_COLORS.get(e, "k"), lw=1.8, label=labels[e])
               for e in curves]
    handles += [Line2D([], [], color="black", lw=0.8, ls=":", label=f"chance ({chance:.2f})"),
                Line2D([], [], color="grey", lw=0.8, ls="--", label=f"target ({target:.0%})"),
                Line2D([], [], color="grey", lw=0.8, ls="-.", label=f"{early} passes"),
                Line2D([], [], color="C3", lw=0.8, ls=":", label=f"SGD's budget ({epochs})")]
    figure.legend(handles=handles, loc="lower center", ncol=4, fontsize=8, frameon=False)
    figure.suptitle(title, fontsize=12)
    figure.tight_layout(rect=(0, 0.12, 1, 1))
    figure.savefig(path, format="png")
    return path


def initializers_figure(table, entries, inits, labels, init_labels, early, path):
    """Two heat maps (optimizers by initializers) of median test accuracy: after ``early``
    passes, and at each optimizer's own budget."""
    figure = Figure(figsize=(3.6 + 1.1 * len(inits), 2.6 + 0.75 * len(entries)), dpi=100,
                    layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(2, 1, sharex=True)
    panels = (("early", f"after {early} passes"),
              ("final", "at each optimizer's own budget"))
    for ax, (key, title) in zip(axes, panels, strict=True):
        matrix = np.array([[table[e][i][key] if i in table[e] else np.nan for i in inits]
                           for e in entries])
        image = ax.imshow(matrix, vmin=0.5, vmax=1.0, cmap="viridis", aspect="auto")
        for (r, c), value in np.ndenumerate(matrix):
            ax.text(c, r, f"{value:.3f}" if np.isfinite(value) else "none yet", ha="center",
                    va="center", fontsize=8,
                    color="white" if value < 0.8 else "black")
        ax.set_yticks(range(len(entries)), [labels[e].split(" (")[0] for e in entries],
                      fontsize=8)
        ax.set_ylabel("optimizer")
        ax.set_title(f"Median test accuracy {title}", fontsize=10)
    axes[1].set_xticks(range(len(inits)), init_labels, rotation=20, ha="right", fontsize=8)
    axes[1].set_xlabel("initializer")
    bar = figure.colorbar(image, ax=list(axes), fraction=0.04, pad=0.02)
    bar.set_label("median test accuracy over seeds")
    figure.suptitle("The same network from each initializer", fontsize=12)
    figure.savefig(path, format="png")
    return path
