"""The figures of the *isometry* study: the Jacobian's singular values against depth
(``plot_spectra``) and the training loss of the deepest chains (``plot_training``), one panel
per activation, Gaussian against orthogonal weights.
"""
from __future__ import annotations

import numpy as np

__all__ = ["plot_spectra", "plot_training"]

_ACTIVATIONS = ("linear", "tanh")
_COLORS = {"gaussian": "C3", "orthogonal": "C0"}


def _canvas(title):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(11, 4.6), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(title, fontsize=11)
    return figure, figure.subplots(1, 2)


def plot_spectra(spectra, labels, path):
    """Median singular value against depth, with bands from the 5th to the 95th and from the
    smallest to the largest percentile (all seeds pooled)."""
    figure, axes = _canvas("Singular values of the input-output Jacobian at initialization "
                           "(128 units a layer): median, 5-95% band, full range dotted")
    for ax, act in zip(axes, _ACTIVATIONS):
        for init, color in _COLORS.items():
            depths = sorted(d for a, d, i in spectra if a == act and i == init)
            if not depths:
                continue
            s = [spectra[act, d, init].ravel() for d in depths]
            q = np.array([np.quantile(v, [0.0, 0.05, 0.5, 0.95, 1.0]) for v in s]).T
            ax.plot(depths, q[2], marker="o", ms=4, color=color, label=labels[init])
            ax.fill_between(depths, q[1], q[3], color=color, alpha=0.18, lw=0)
            ax.plot(depths, q[0], color=color, lw=0.8, ls=":")
            ax.plot(depths, q[4], color=color, lw=0.8, ls=":")
        ax.set(xscale="log", yscale="log", xlabel="layers", title=act,
               ylabel="singular values of the Jacobian")
        ax.set_xticks(depths, [str(d) for d in depths])
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    figure.savefig(path, format="png")


def plot_training(curves, labels, target, path):
    """The training loss (relative to the zero output's) of the deepest chains, median over
    seeds with the interquartile band."""
    deep = max(d for _, d, _ in curves)
    figure, axes = _canvas(f"Training {deep}-layer chains of 16 units: loss relative to the zero "
                           "output, median over seeds, interquartile band")
    for ax, act in zip(axes, _ACTIVATIONS):
        for init, color in _COLORS.items():
            c = curves.get((act, deep, init))
            if c is None:
                continue
            loss = np.where(np.isfinite(c["loss"]), c["loss"], np.inf)
            low, median, high = np.quantile(loss, [0.25, 0.5, 0.75], axis=0, method="lower")
            ax.plot(c["epoch"], median, color=color, label=labels[init])
            ax.fill_between(c["epoch"], low, high, color=color, alpha=0.18, lw=0)
        ax.axhline(target, color="grey", lw=0.8, ls="--")
        ax.set(yscale="log", xlabel="epoch", title=f"{deep} {act} layers",
               ylabel=f"training loss / loss of the zero output (dashed: {target:g})")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    figure.savefig(path, format="png")
