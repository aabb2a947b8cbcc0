"""Plots of single results: the best-so-far curve of a run (``convergence``) and of several
runs side by side (``compare``), from each result's ``history``.

matplotlib is imported inside the functions only, so ``import stochsearch`` never needs it.

>>> import stochsearch as ss
>>> result = ss.minimize(ss.problems.Sphere(3, shift=True), method="sa", budget=2_000, rng=0)
>>> ax = ss.plot.convergence(result, f_opt=0.0)          # doctest: +SKIP
"""
from __future__ import annotations

import numpy as np

__all__ = ["compare", "convergence"]


def convergence(result, ax=None, *, f_opt: float | None = None, solved: float | None = None,
                label: str | None = None, log: bool | None = None, **line):
    """Draw a run's best-so-far value against the evaluations it spent.

    Parameters
    ----------
    result : OptimizeResult
        Any run's result; its ``history`` is drawn as a step curve (the best value only
        changes at its checkpoints).
    ax : matplotlib Axes, optional
        Where to draw; default: a new figure (``matplotlib.pyplot.subplots()``).
    f_opt : float, optional
        The known optimum: draw the gap ``f - f_opt`` instead of ``f``, on a log axis, with
        gaps at or below ``solved`` drawn on its dotted line, as the benchmark report draws
        them.
    solved : float, optional
        The solved threshold of gaps (default 1e-8).
    label : str, optional
        Legend entry (default: the optimizer's name).
    log : bool, optional
        Log scale for the values (default: for gaps, and for positive values spanning more
        than two decades).
    **line
        Passed to ``Axes.plot`` (``color``, ``linestyle``...).

    Returns
    -------
    matplotlib Axes
    """
    return _draw([result], ax, f_opt, solved, [label], log, line)


def compare(results, ax=None, *, labels=None, f_opt: float | None = None,
            solved: float | None = None, log: bool | None = None):
    """Draw the best-so-far curves of several runs on one axes, one line each.

    Parameters
    ----------
    results : sequence of OptimizeResult
    ax : matplotlib Axes, optional
    labels : sequence of str, optional
        One legend entry per result (default: the optimizers' names, with the seed when
        two results share an optimizer).
    f_opt, solved, log
        As in ``convergence``.

    Returns
    -------
    matplotlib Axes
    """
    results = list(results)
    if not results:
        raise ValueError("compare needs at least one result, got none")
    if labels is None:
        names = [r.optimizer or "run" for r in results]
        labels = [f"{n} (seed {r.seed})" if names.count(n) > 1 and r.seed is not None else n
                  for n, r in zip(names, results)]
    elif len(labels) != len(results):
        raise ValueError(f"labels must have one entry per result ({len(results)}), got "
                         f"{len(labels)}")
    return _draw(results, ax, f_opt, solved, list(labels), log, {})


def _draw(results, ax, f_opt, solved, labels, log, line):
    from .suite.gaps import DEFAULT_THRESHOLD, clip, solved_text

    for r in results:
        if getattr(r, "history", None) is None or len(r.history) == 0:
            raise ValueError(f"a result needs a history to be drawn, got {r!r}")
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    solved = DEFAULT_THRESHOLD if solved is None else solved
    curves = []
    for r in results:
        values = np.asarray(r.history.fun, dtype=float)
        curves.append(clip(values - f_opt, solved) if f_opt is not None else values)
    if log is None:
        finite = np.concatenate([c[np.isfinite(c)] for c in curves])
        log = f_opt is not None or (finite.size > 0 and finite.min() > 0 and
                                    finite.max() / finite.min() > 100)
    for r, values, label in zip(results, curves, labels):
        ax.plot(np.asarray(r.history.nfev), values, drawstyle="steps-post",
                label=label or r.optimizer or "run", **line)
    ax.set_xlabel("evaluations")
    ax.set_ylabel("best f - f* so far" if f_opt is not None else "best f so far")
    if log:
        ax.set_yscale("log")
    if f_opt is not None and any(np.any(c <= solved) for c in curves):
        ax.axhline(solved, color="0.35", linestyle=":", lw=1.0,
                   label=f"solved: gap {solved_text(solved)}")
    problem = results[0].problem
    if problem and not ax.get_title() and all(r.problem == problem for r in results):
        ax.set_title(problem)
    ax.legend(fontsize=8)
    return ax
