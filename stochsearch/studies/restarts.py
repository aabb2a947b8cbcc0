"""Study *restarts*: how much one network's test accuracy depends on the seed alone.

The same network and SGD configuration trained from many seeds (each seed draws the initial
weights and the minibatch order): the distribution of test accuracy, what keeping the best of k
restarts buys, and how often a comparison of two configurations on a few seeds each ranks them
the wrong way round.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import stats as scipy_stats

from ..suite import plots
from ..suite import stats as suite_stats
from ._base import Finding, Study, fmt
from ._networks import epochs_budget

__all__ = ["STUDY", "best_of_k", "seeds_needed", "seeds_needed_interval", "wrong_ranking"]

_EPOCHS = 100
_HIDDEN = (16, 16)
_BATCH = 32
#: The learning rate of the restarts (first) and the one it is compared with.
_RATES = {"lr-0.3": 0.3, "lr-0.5": 0.5}
_RESAMPLES = 20_000
_ERROR = 0.05


_NETWORK = f"2-{'-'.join(map(str, _HIDDEN))}-1 tanh"


def _label(entry: str) -> str:
    return f"learning rate {_RATES[entry]:g}"


class RestartsStudy(Study):
    name = "restarts"
    gallery_figure = "restarts-2-ranking.png"
    headline_key = "ranking"
    title = "Restarts: one seed is one sample"
    question = ("How much does a network's test accuracy vary with the seed alone, what does "
                "keeping the best of k restarts buy, and how many seeds does a comparison of "
                "two configurations need?")

    def suite(self, quick: bool) -> dict:
        return {
            "suite": {"seed": 3, "seeds": 16 if quick else 30, "history": 20,
                      "measure": "stochsearch.studies._networks:train"},
            "optimizers": {entry: {"optimizer": "sgd", "label": f"SGD, {_label(entry)}",
                                   "params": {"learning_rate": rate, "batch_size": _BATCH}}
                           for entry, rate in _RATES.items()},
            "problems": {"spirals": {"problem": "spirals-mlp",
                                     "params": {"hidden": list(_HIDDEN)},
                                     "budget": epochs_budget("spirals-mlp", _EPOCHS,
                                                             hidden=_HIDDEN),
                                     "label": f"two spirals, {_NETWORK}"}},
            "initializers": {"glorot_uniform": {}},
        }

    def analyze(self, records, figures, quick):
        runs = _runs(records)
        first, second = list(_RATES)
        spread = {entry: _spread(runs[entry]) for entry in runs}
        seeds = len(runs[first]["accuracy"])
        ks = list(range(1, seeds + 1))
        best = {entry: {"by_loss": [best_of_k(r["accuracy"], r["loss"], k) for k in ks],
                        "oracle": [best_of_k(r["accuracy"], -r["accuracy"], k) for k in ks]}
                for entry, r in runs.items()}
        ranking = _ranking(runs[first]["accuracy"], runs[second]["accuracy"])
        _spread_figure(runs, spread, best, ks, figures / "restarts-1-spread.png")
        _ranking_figure(ranking, figures / "restarts-2-ranking.png")
        numbers = {"spread": spread, "best_of_k": best, "ranking": ranking, "seeds": seeds}
        return _findings(spread, best, ranking, seeds), numbers, _markdown(spread, seeds)


# --- statistics --------------------------------------------------------------------------------
def _runs(records) -> dict:
    """``{optimizer entry: {"accuracy", "loss"}}``: test accuracy and final training loss of
    each seed, in replicate order."""
    out = {}
    for r in sorted(records, key=lambda r: r["replicate"]):
        run = out.setdefault(r["optimizer"], {"accuracy": [], "loss": []})
        run["accuracy"].append(r["extra"]["test_accuracy"])
        run["loss"].append(r["extra"]["train_loss"])
    return {entry: {k: np.array(v) for k, v in run.items()} for entry, run in out.items()}


def _spread(run) -> dict:
    acc = run["accuracy"]
    low, high = suite_stats.bootstrap_ci(acc, np.mean)
    return {"mean": float(acc.mean()), "std": float(acc.std(ddof=1)), "min": float(acc.min()),
            "max": float(acc.max()), "median": float(np.median(acc)), "ci": [low, high],
            "seeds": int(acc.size)}


def best_of_k(values, keys, k: int) -> float:
    """The expected ``values`` of the run with the smallest ``keys`` among ``k`` runs drawn
    without replacement from all of them (exact: the run ranked r-th by ``keys``, from 0, is
    the pick of ``C(n - 1 - r, k - 1)`` of the ``C(n, k)`` subsets; ties keep input order)."""
    values = np.asarray(values, dtype=float)[np.argsort(keys, kind="stable")]
    n = values.size
    if not 1 <= k <= n:
        raise ValueError(f"k must be between 1 and the number of runs ({n}), got {k}")
    weights = np.array([math.comb(n - 1 - r, k - 1) for r in range(n)], dtype=float)
    return float(weights @ values / math.comb(n, k))


def wrong_ranking(better, worse, n: int, resamples: int = _RESAMPLES, seed: int = 0) -> float:
    """The probability that ``n`` seeds of each configuration, drawn with replacement from the
    seeds observed, rank ``worse`` above ``better`` by their mean (a tie counts half)."""
    rng = np.random.default_rng(seed)
    better, worse = np.asarray(better, float), np.asarray(worse, float)
    a = better[rng.integers(0, better.size, (resamples, n))].mean(axis=1)
    b = worse[rng.integers(0, worse.size, (resamples, n))].mean(axis=1)
    return float(np.mean(b > a) + 0.5 * np.mean(b == a))


def _ranking(first, second) -> dict:
    """Which configuration is better over all seeds, how sure that is, and how often ``n``
    seeds each would rank them the other way (bootstrap, and the normal approximation)."""
    swap = second.mean() > first.mean()
    better, worse = (second, first) if swap else (first, second)
    names = list(_RATES)[::-1] if swap else list(_RATES)
    seeds = min(first.size, second.size)
    ns = list(range(1, seeds + 1))
    wrong = [wrong_ranking(better, worse, n, seed=n) for n in ns]
    gap = float(better.mean() - worse.mean())
    scale = math.sqrt(better.var(ddof=1) + worse.var(ddof=1))
    normal = [float(scipy_stats.norm.sf(gap * math.sqrt(n) / scale)) if scale else 0.0
              for n in ns]
    enough = next((n for n, p in zip(ns, wrong) if p <= _ERROR), None)
    low, high = seeds_needed_interval(better, worse)
    return {"better": names[0], "worse": names[1], "gap": gap,
            "gap_ci": list(_gap_interval(better, worse)),
            "needed": seeds_needed(gap, scale), "needed_ci": [low, high],
            "p": suite_stats.mann_whitney(better, worse)[1],
            "a12": suite_stats.a12(better, worse), "seeds": ns, "wrong": wrong,
            "normal": normal, "enough": enough}


def seeds_needed(gap: float, scale: float, error: float = _ERROR) -> float:
    """The seeds per configuration at which comparing means ranks two configurations wrongly
    with probability at most ``error``, if their true gap in mean is ``gap`` and
    ``scale = sqrt(var_1 + var_2)`` (normal approximation: the difference of two means of n
    seeds has mean ``gap`` and standard deviation ``scale / sqrt(n)``); ``inf`` if ``gap <= 0``
    (then no number of seeds ranks them the assumed way)."""
    if gap <= 0:
        return math.inf
    z = scipy_stats.norm.isf(error)
    return float(max(1, math.ceil((z * scale / gap) ** 2)))


def seeds_needed_interval(better, worse, confidence: float = 0.95, resamples: int = 4000,
                          seed: int = 0) -> tuple[float, float]:
    """A percentile bootstrap interval of :func:`seeds_needed`, resampling the seeds of both
    configurations (so the gap and the spread are uncertain, as they are): the seeds a
    comparison needs follow from the gap's own uncertainty, not from taking the observed gap
    as the truth. The upper end is ``inf`` when the gap's interval reaches 0."""
    rng = np.random.default_rng(seed)
    better, worse = np.asarray(better, float), np.asarray(worse, float)
    a = better[rng.integers(0, better.size, (resamples, better.size))]
    b = worse[rng.integers(0, worse.size, (resamples, worse.size))]
    gaps = a.mean(axis=1) - b.mean(axis=1)
    scales = np.sqrt(a.var(axis=1, ddof=1) + b.var(axis=1, ddof=1))
    needed = np.array([seeds_needed(g, s) for g, s in zip(gaps, scales)])
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(needed, [tail, 1.0 - tail], method="inverted_cdf")
    return float(low), float(high)


def _gap_interval(better, worse, resamples: int = 4000, seed: int = 0) -> tuple[float, float]:
    """A 95% percentile bootstrap interval of the difference in mean (seeds resampled)."""
    rng = np.random.default_rng(seed)
    a = better[rng.integers(0, better.size, (resamples, better.size))].mean(axis=1)
    b = worse[rng.integers(0, worse.size, (resamples, worse.size))].mean(axis=1)
    low, high = np.quantile(a - b, [0.025, 0.975])
    return float(low), float(high)


# --- figures -----------------------------------------------------------------------------------
def _spread_figure(runs, spread, best, ks, path):
    from matplotlib.lines import Line2D

    figure, (left, right) = plots._figure(2, width=5.4, height=4.2, columns=2)
    rng = np.random.default_rng(0)
    for i, (entry, run) in enumerate(runs.items()):
        color = f"C{i}"
        acc = run["accuracy"]
        left.scatter(i + rng.uniform(-0.18, 0.18, acc.size), acc, s=16, color=color,
                     alpha=0.7)
        s = spread[entry]
        left.errorbar(i + 0.32, s["mean"], yerr=[[s["mean"] - s["ci"][0]],
                                                 [s["ci"][1] - s["mean"]]],
                      fmt="D", color="black", capsize=4, ms=5)
        right.plot(ks, best[entry]["by_loss"], color=color, lw=1.8)
        right.plot(ks, best[entry]["oracle"], color=color, lw=1.2, ls="--")
    left.set_xticks(range(len(runs)), [_label(e) for e in runs])
    left.set_xlim(-0.6, len(runs) - 0.3)
    left.set_xlabel(f"SGD on the {_NETWORK} network")
    left.set_ylabel("test accuracy")
    left.set_title(f"Test accuracy of {len(ks)} seeds each")
    left.legend(handles=[Line2D([], [], ls="", marker="o", color="grey", label="one seed"),
                         Line2D([], [], ls="", marker="D", color="black",
                                label="mean, 95% bootstrap interval")], fontsize=8,
                loc="lower right")
    _log_ticks(right, ks)
    right.set_xlabel("restarts k (seeds trained, best one kept)")
    right.set_ylabel("expected test accuracy of the kept run")
    right.set_title("Best of k restarts")
    handles = [Line2D([], [], color=f"C{i}", label=_label(e))
               for i, e in enumerate(runs)]
    handles += [Line2D([], [], color="grey", lw=1.8, label="kept: lowest training loss"),
                Line2D([], [], color="grey", lw=1.2, ls="--",
                       label="kept: highest test accuracy (oracle)")]
    right.legend(handles=handles, fontsize=8, loc="lower right")
    for ax in (left, right):
        ax.grid(alpha=0.3)
    return plots._save(figure, path, title=f"Two spirals, {_NETWORK}, SGD for {_EPOCHS} "
                                           "epochs: the seed alone moves test accuracy")


def _ranking_figure(ranking, path):
    figure, (ax,) = plots._figure(1, width=6.4, height=4.2, columns=1)
    better, worse = (_label(ranking[k]) for k in ("better", "worse"))
    ax.plot(ranking["seeds"], ranking["wrong"], marker="o", ms=4, color="C3",
            label="bootstrap from the seeds observed")
    ax.plot(ranking["seeds"], ranking["normal"], ls="--", color="C7",
            label="normal approximation")
    ax.axhline(_ERROR, color="black", lw=0.8, ls=":", label=f"{_ERROR:.0%}")
    _log_ticks(ax, ranking["seeds"])
    ax.set_xlabel("seeds per configuration")
    ax.set_ylabel("probability of ranking them wrongly")
    ax.set_ylim(0, max(0.55, max(ranking["wrong"]) + 0.05))
    ax.set_title(f"{better} vs {worse}: comparing means of n seeds each")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return plots._save(figure, path, title="How often a comparison on few seeds picks the "
                                           "wrong configuration")


def _log_ticks(ax, ns):
    """A log axis over the counts ``ns`` labelled with plain numbers."""
    ax.set_xscale("log")
    ax.set_xticks([n for n in (1, 2, 3, 5, 10, 20, 30, 50, 100) if n <= max(ns)])
    ax.xaxis.set_major_formatter("{x:g}")
    ax.xaxis.set_minor_formatter("")


# --- text --------------------------------------------------------------------------------------
def _markdown(spread, seeds) -> str:
    lines = [("| SGD | seeds | mean | std | min | median | max | 95% bootstrap interval "
              "of the mean |"), "|---|---|---|---|---|---|---|---|"]
    for entry, s in spread.items():
        lines.append(f"| {_label(entry)} | {s['seeds']} | {s['mean']:.3f} | "
                     f"{s['std']:.3f} | {s['min']:.3f} | {s['median']:.3f} | {s['max']:.3f} | "
                     f"[{s['ci'][0]:.3f}, {s['ci'][1]:.3f}] |")
    return (f"Two-spirals classification, a {_NETWORK} network trained by SGD (minibatches "
            f"of {_BATCH}, {_EPOCHS} epochs, learning rate "
            + " or ".join(f"{r:g}" for r in _RATES.values())
            + f") from Glorot-uniform weights, {seeds} seeds per learning rate: a seed draws "
            "the initial "
            "weights and the order of the minibatches; the data and everything else stay the "
            "same. Test accuracy is that of the weights with the lowest training loss seen at "
            "the end of an epoch.\n\n" + "\n".join(lines) + "\n\nBest of k: the expected test "
            "accuracy of the run kept among k seeds drawn at random from those trained (exact, "
            "over every subset). Ranking: how often the means of n seeds per learning rate, "
            "drawn with replacement from the seeds observed, put the learning rate with the "
            "lower mean over all seeds first.")


def _findings(spread, best, ranking, seeds) -> list[Finding]:
    first = next(iter(_RATES))
    s = spread[first]
    width = s["ci"][1] - s["ci"][0]
    span = s["max"] - s["min"]
    findings = [Finding(
        f"{seeds} seeds of the same {_NETWORK} network and SGD configuration ({_label(first)}) "
        f"reach a test accuracy of {s['mean']:.3f} ± {s['std']:.3f} (mean ± std; 95% bootstrap "
        f"interval of the mean [{s['ci'][0]:.3f}, {s['ci'][1]:.3f}]), from {s['min']:.3f} to "
        f"{s['max']:.3f}: one seed can land anywhere in a range "
        + (f"{span / width:.1f} times as wide as the interval of the mean."
           if width > 0 else "while the mean is pinned down exactly."),
        holds=span > 2 * width, key="spread")]
    curve = best[first]["by_loss"]
    picks = [k for k in (1, 3, 10, seeds) if k <= seeds]
    findings.append(Finding(
        "Keeping the restart with the lowest training loss raises the expected test accuracy "
        "from " + ", ".join(f"{curve[k - 1]:.3f} (best of {k})" for k in picks)
        + "; picking by test accuracy itself (an oracle, which a real comparison may not use) "
        + ", ".join(f"{best[first]['oracle'][k - 1]:.3f}" for k in picks[1:]) + "."
        + ("" if curve[min(seeds, 3) - 1] > curve[0] else
           " Keeping the best by training loss does not help here."),
        holds=curve[min(seeds, 3) - 1] > curve[0]))
    wrong = dict(zip(ranking["seeds"], ranking["wrong"]))
    better, worse = (_label(ranking[k]) for k in ("better", "worse"))
    shown = [n for n in (1, 3, 10) if n in wrong]
    enough = ranking["enough"]
    significant = ranking["p"] < 0.05
    findings.append(Finding(
        f"Over all seeds SGD with {better} beats {worse} by {ranking['gap']:.3f} "
        f"(A12 = {ranking['a12']:.2f}, Mann-Whitney p = {fmt(ranking['p'], 2)}"
        + ("" if significant else ", not significant: even the full comparison is uncertain")
        + f"); compared on one seed each, the ranking comes out wrong {wrong[1]:.0%} of the "
        + "time (" + ", ".join(f"{n} seeds each: {wrong[n]:.0%}" for n in shown[1:]) + ")"
        + (f"; taking the observed gap as the truth, it takes {enough} seeds each to bring "
           f"that below {_ERROR:.0%}" if enough else
           f"; even {max(wrong)} seeds each leave it above {_ERROR:.0%}")
        + f". But the gap is itself uncertain (95% bootstrap interval "
        f"[{ranking['gap_ci'][0]:.3f}, {ranking['gap_ci'][1]:.3f}]): resampling the seeds of "
        f"both and asking each resample how many seeds a 95% chance of ranking them right "
        f"takes (normal approximation, {fmt(ranking['needed'])} at the observed gap) gives "
        f"a 95% interval of {_count(ranking['needed_ci'][0])} to "
        f"{_count(ranking['needed_ci'][1])} seeds each.",
        holds=wrong[1] > _ERROR and wrong[max(wrong)] < wrong[1] and significant,
        key="ranking"))
    return findings


def _count(n: float) -> str:
    return "unbounded (the gap's interval reaches 0)" if not math.isfinite(n) else f"{n:.0f}"


STUDY = RestartsStudy()
