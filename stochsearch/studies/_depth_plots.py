"""The figures of the *depth* study: final test accuracy against depth (``plot_accuracy``) and
the training curves of the deepest networks (``plot_curves``), one panel per activation, one
line per initializer: median over seeds with the interquartile band.
"""
from __future__ import annotations

import numpy as np

__all__ = ["plot_accuracy", "plot_curves"]

_ACTIVATIONS = ("tanh", "relu")


def _canvas(title):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(11, 4.8), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(title, fontsize=11)
    return figure, figure.subplots(1, 2, sharey=True)


def _quartiles(values):
    # A diverged run (NaN) counts as the worst value: infinitely large.
    values = np.where(np.isfinite(values), values, np.inf)
    return np.quantile(values, [0.25, 0.5, 0.75], axis=0, method="lower")


def _legend(figure, axes):
    handles, texts = axes[0].get_legend_handles_labels()
    figure.legend(handles, texts, loc="outside lower center", ncol=4, fontsize=8,
                  frameon=False)


def plot_accuracy(runs, inits, labels, learned, path):
    """Final test accuracy against the number of hidden layers."""
    figure, axes = _canvas("Final test accuracy against depth (two circles, 16 units a layer, "
                           "SGD): median over seeds, interquartile band")
    for ax, act in zip(axes, _ACTIVATIONS):
        depths = sorted({d for a, d, _ in runs if a == act})
        for i, init in enumerate(inits):
            if not all((act, d, init) in runs for d in depths):
                continue
            finals = np.array([runs[act, d, init]["test_accuracy"][:, -1] for d in depths]).T
            low, median, high = _quartiles(finals)
            ax.plot(depths, median, marker="o", ms=4, color=f"C{i}", label=labels[init])
            ax.fill_between(depths, low, high, color=f"C{i}", alpha=0.12, lw=0)
        ax.axhline(0.5, color="grey", lw=0.8, ls=":")
        ax.axhline(learned, color="grey", lw=0.8, ls="--")
        ax.set(xlabel="hidden layers", xticks=depths, title=f"{act}",
               ylabel="final test accuracy (0.5 = chance, dashed: learned)")
        ax.grid(alpha=0.3)
    _legend(figure, axes)
    figure.savefig(path, format="png")


def plot_curves(runs, inits, labels, path):
    """The training loss, epoch by epoch, of the deepest networks."""
    deep = max(d for _, d, _ in runs)
    figure, axes = _canvas(f"Training loss of {deep}-layer networks, epoch by epoch: median over "
                           "seeds, interquartile band")
    for ax, act in zip(axes, _ACTIVATIONS):
        for i, init in enumerate(inits):
            c = runs.get((act, deep, init))
            if c is None:
                continue
            low, median, high = _quartiles(c["train_loss"])
            ax.plot(c["epoch"], median, color=f"C{i}", lw=1.5, label=labels[init])
            ax.fill_between(c["epoch"], low, high, color=f"C{i}", alpha=0.12, lw=0)
        ax.axhline(np.log(2.0), color="grey", lw=0.8, ls=":")
        # Exploding starts (N(0, 1) through ReLU layers) begin far above: the axis stops at 10.
        ax.set(xlabel="epoch", ylabel="training loss (dotted: ln 2, chance; cut at 10)",
               yscale="log", title=f"{deep} {act} layers")
        ax.set_ylim(top=10.0)
        ax.grid(alpha=0.3)
    _legend(figure, axes)
    figure.savefig(path, format="png")
