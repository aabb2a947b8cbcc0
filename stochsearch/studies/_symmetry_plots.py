"""The figures of the *symmetry* study: distinct units and test accuracy per start
(``plot_curves``) and the noise dial (``plot_dial``), as medians over seeds with their
interquartile band.
"""
from __future__ import annotations

import math

import numpy as np

from ..suite.stats import percentiles

__all__ = ["plot_curves", "plot_dial"]

#: (metric, panel title and axis label, log scale)
_PANELS = [("train_loss", "training loss", False), ("train_accuracy", "training accuracy", False),
           ("test_accuracy", "test accuracy", False),
           ("distinct", "distinct hidden units (of 16)", False),
           ("rank", "rank of the hidden weights [W; b] (3 x 16)", False),
           ("effective_rank", "effective rank of the hidden activations", False),
           ("spread", "largest difference between two units", True),
           ("hidden_gradient", "gradient norm into the hidden layer", True)]
_FLOOR = 1e-16   # exact zeros (identical units, no gradient) are drawn here on log axes


def _canvas(panels: int, columns: int):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = math.ceil(panels / columns)
    figure = Figure(figsize=(4.3 * columns, 3.3 * rows + 0.8), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.subplots(rows, columns, squeeze=False).ravel()


def _band(ax, x, values, log, **style):
    q25, median, q75 = percentiles(values, [25, 50, 75], axis=0)
    if log:
        q25, median, q75 = (np.maximum(v, _FLOOR) for v in (q25, median, q75))
    ax.plot(x, median, **style)
    ax.fill_between(x, q25, q75, color=style["color"], alpha=0.18, lw=0)


def _styles(names, dashed, wide=()) -> dict:
    # The fixed starts are dashed; zeros is drawn wide underneath, so that the constant on the
    # same value (one distinct unit, no difference between units) leaves it visible.
    return {n: {"color": f"C{i % 10}", "linestyle": "--" if n in dashed else "-",
                "lw": 3.0 if n in wide else 1.5} for i, n in enumerate(names)}


#: The figure makes one point: units that start identical stay identical, and the network
#: does not learn; the other diagnostics of ``_PANELS`` are in the study's table.
_SHOWN = ("distinct", "test_accuracy")


def plot_curves(curves, names, labels, path):
    """Two panels of ``curves`` (``{start: {metric: (seeds, epochs)}}``): the distinct hidden
    units and the test accuracy against epochs, one curve per start in ``names``."""
    panels = [panel for panel in _PANELS if panel[0] in _SHOWN]
    figure, axes = _canvas(len(panels), len(panels))
    styles = _styles(names, {"zeros", "constant"}, {"zeros"})
    for ax, (key, title, log) in zip(axes, panels):
        for name in names:
            c = curves[name]
            _band(ax, c["epoch"][0], c[key], log, label=labels[name], **styles[name])
        if log:
            ax.set_yscale("log")
        suffix = " (log; 0 at 1e-16)" if log else ""
        ax.set_title(title + suffix, fontsize=9)
        ax.set_ylabel(title.split(" (")[0], fontsize=8)
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
    handles, texts = axes[0].get_legend_handles_labels()
    figure.legend(handles, texts, loc="outside lower center", ncol=3, fontsize=8,
                  frameon=False)
    figure.suptitle("2-16-1 tanh network, circles, SGD: hidden units that start equal\n"
                    "stay equal and do not learn (median over seeds, interquartile band)",
                    fontsize=11)
    figure.savefig(path, format="png")


def plot_dial(curves, names, labels, ladder, constant, path):
    """The loss and the spread of the units of every start in ``names``, and the epochs each
    run of the ``ladder`` (``{start: (noise, [plateau exit per run, nan: never])}``) spent on
    the plateau."""
    figure, (loss, spread, exits) = _canvas(3, 3)
    styles = _styles(names, {"constant"})
    for name in names:
        c = curves[name]
        _band(loss, c["epoch"][0], c["train_loss"], False, label=labels[name], **styles[name])
        _band(spread, c["epoch"][0], c["spread"], True, **styles[name])
    loss.axhline(math.log(2.0) / 2.0, color="grey", lw=0.8, ls=":")
    loss.set(title="training loss (dotted: ln 2 / 2, leaving the plateau)", xlabel="epoch",
             ylabel="training loss")
    spread.set(yscale="log", xlabel="epoch", ylabel="largest difference between two units",
               title="largest difference between two units (log; 0 at 1e-16)")
    for name, (noise, epochs) in ladder.items():
        end = curves[name]["epoch"][0, -1]
        left = [e for e in epochs if np.isfinite(e)]
        never = len(epochs) - len(left)
        exits.scatter(np.full(len(left), noise), left, color=styles[name]["color"], alpha=0.5,
                      s=14, marker="o")
        if never:
            exits.scatter(np.full(never, noise), np.full(never, end), marker="x",
                          color=styles[name]["color"], s=20)
    exits.set(xscale="log", xlabel=f"noise σ added to the constant {constant:g} (log)",
              ylabel="epochs until the loss < ln 2 / 2",
              title="Epochs on the plateau, one point per run (x: never left it)")
    for ax in (loss, spread, exits):
        ax.title.set_fontsize(9)
        ax.grid(alpha=0.3)
    handles, texts = loss.get_legend_handles_labels()
    figure.legend(handles, texts, loc="outside lower center", ncol=3, fontsize=8,
                  frameon=False)
    figure.suptitle("How much noise breaks the symmetry of a constant start: median over seeds "
                    "with interquartile band", fontsize=11)
    figure.savefig(path, format="png")
