"""The figures of the *minima* study: the loss along the segment between two solutions before
and after matching their units (``plot_interpolation``), the plane through three solutions
(``plot_planes``) and a filter-normalized random slice around one (``plot_random_slice``).
"""
from __future__ import annotations

import numpy as np

__all__ = ["plot_interpolation", "plot_planes", "plot_random_slice"]


def _figure(width, height, columns=1):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.subplots(1, columns, squeeze=False)[0]


def plot_interpolation(alphas, pairs, check, path):
    """The training loss along ``(1 - alpha) a + alpha b`` for every pair: thin lines, as
    trained (red) and with b's units matched to a's (blue), medians thick; the self-check
    (a solution against its shuffled copy) dashed."""
    figure, (ax,) = _figure(7.5, 4.8)
    for key, color, label in (("before", "C3", "as trained"),
                              ("after", "C0", "hidden units of b matched to a")):
        curves = np.array([p[key] for p in pairs])
        for curve in curves:
            ax.plot(alphas, curve, color=color, lw=0.6, alpha=0.25)
        ax.plot(alphas, np.median(curves, axis=0), color=color, lw=2.4,
                label=f"{label} (median of {len(pairs)} pairs)")
    ax.plot(alphas, check["before"], color="grey", lw=1.4, ls="--",
            label="a and a copy of a with its units shuffled")
    ax.set(xlabel="α along the segment (1 - α) a + α b", ylabel="training loss",
           title="Loss between two solutions from different seeds, before and after "
                 "permuting hidden units")
    ax.title.set_fontsize(10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    figure.savefig(path, format="png")


def plot_planes(planes, path):
    """Contours of the training loss (log scale, one colour scale) in the plane through three
    solutions, one panel per version of the three."""
    from matplotlib.colors import LogNorm

    figure, axes = _figure(11, 4.8, len(planes))
    values = np.concatenate([p["loss"].ravel() for p in planes.values()])
    values = values[np.isfinite(values)]
    norm = LogNorm(vmin=values.min(), vmax=min(values.max(), 10.0))
    levels = np.geomspace(norm.vmin, norm.vmax, 25)
    for ax, (name, p) in zip(axes, planes.items()):
        filled = ax.contourf(p["u"], p["v"], np.clip(p["loss"], norm.vmin, norm.vmax),
                             levels=levels, norm=norm, cmap="viridis")
        pts = p["points"]
        ax.plot(pts[:, 0], pts[:, 1], "o", color="white", mec="black", ms=7)
        for k, (x, y) in enumerate(pts, start=1):
            ax.annotate(f"{k}", (x, y), xytext=(5, 5), textcoords="offset points",
                        color="white", fontsize=10, weight="bold")
        ax.set(aspect="equal", xlabel="distance along axis 1", ylabel="distance along axis 2",
               title=f"{name}: loss at the centroid {p['centroid']:.3g}")
        ax.title.set_fontsize(10)
    figure.colorbar(filled, ax=list(axes), label="training loss (log scale)", shrink=0.9,
                    ticks=np.geomspace(norm.vmin, norm.vmax, 6), format="%.2g")
    figure.suptitle("The plane through three solutions", fontsize=11)
    figure.savefig(path, format="png")


def plot_random_slice(slice_, path):
    """Contours of the training loss around one solution along two filter-normalized random
    directions."""
    from matplotlib.colors import LogNorm

    figure, (ax,) = _figure(6.2, 5.2)
    loss = slice_["loss"]
    finite = loss[np.isfinite(loss)]
    norm = LogNorm(vmin=finite.min(), vmax=min(finite.max(), 10.0))
    filled = ax.contourf(slice_["t"], slice_["t"], np.clip(loss, norm.vmin, norm.vmax),
                         levels=np.geomspace(norm.vmin, norm.vmax, 25), norm=norm,
                         cmap="viridis")
    ax.plot([0], [0], "o", color="white", mec="black", ms=7)
    ax.set(aspect="equal", xlabel="random direction 1 (filter-normalized)",
           ylabel="random direction 2 (filter-normalized)",
           title="Around solution 1 along random directions (Li et al. 2018)")
    ax.title.set_fontsize(10)
    figure.colorbar(filled, ax=ax, label="training loss (log scale)", shrink=0.9,
                    ticks=np.geomspace(norm.vmin, norm.vmax, 6), format="%.2g")
    figure.savefig(path, format="png")
