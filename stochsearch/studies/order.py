"""Study *order*: in what order SGD should see the training data.

The training set of each network problem is sorted by class; SGD then sees it reshuffled every
epoch, shuffled once into one fixed random order, in the sorted order itself, or all at once
(full-batch gradient descent: no sampling at all). Full batch is also given as many steps as
the minibatch runs take, which costs it as many times more gradients, to tell the randomness of
minibatches from their number of steps.
"""
from __future__ import annotations

import math

import numpy as np

from ..nn import NetworkProblem
from ..suite import plots
from ..suite import stats as suite_stats
from ._base import Finding, Study, fmt
from ._networks import epochs_budget

__all__ = ["STUDY", "class_sorted"]

_RATE, _BATCH = 0.3, 32
#: dataset entry: (catalogue problem, epochs)
_DATASETS = {"moons": ("moons-mlp", 100), "circles": ("circles-mlp", 100),
             "spirals": ("spirals-mlp", 100), "digits": ("digits-mlp", 30)}
_QUICK = ("circles", "spirals")
#: arm (an optimizer entry of the suite): (label, SGD parameters)
_ARMS = {"reshuffle": ("reshuffled every epoch", {"shuffle": "epoch"}),
         "fixed": ("one fixed random order", {"shuffle": "once"}),
         "sorted": ("class-sorted order", {"shuffle": "none"}),
         "full": ("full batch", {"shuffle": "none", "batch_size": None})}
_STEPS = "full batch, as many steps"
_ALPHA = 0.05


def class_sorted(network: str = "moons-mlp", seed: int = 0) -> NetworkProblem:
    """The catalogue's network problem ``network`` (its dataset drawn with ``seed``) with its
    training samples sorted by class, keeping their order within a class (the test set is
    unchanged). The datasets' own order is random, from their shuffled split."""
    from ..registry import PROBLEMS

    base = PROBLEMS.get(network)(seed=seed)
    order = np.argsort(base.y, kind="stable")
    return NetworkProblem(base.network, base.X[order], base.y[order], X_test=base.X_test,
                          y_test=base.y_test, bound=base.space.bound,
                          name=f"{base.name}-sorted")


class OrderStudy(Study):
    name = "order"
    gallery_figure = "order-1-accuracy.png"
    title = "Order: reshuffled, fixed, sorted, or no sampling at all"
    question = ("Does the order in which SGD sees the training data matter: reshuffled every "
                "epoch, one fixed random order, sorted by class, or the full batch at once?")

    def suite(self, quick: bool) -> dict:
        problems = {}
        for entry in _datasets(quick):
            network, epochs = _DATASETS[entry]
            budget = epochs_budget(network, epochs)
            steps = math.ceil(budget / epochs / _BATCH)       # minibatches per epoch
            common = {"problem": "stochsearch.studies.order:class_sorted",
                      "params": {"network": network}}
            problems[entry] = {**common, "budget": budget, "label": entry}
            problems[f"{entry}-steps"] = {**common, "budget": budget * steps,
                                          "label": f"{entry}, {steps}x the gradients"}
        optimizers = {arm: {"optimizer": "sgd", "label": label,
                            "params": {"learning_rate": _RATE, "batch_size": _BATCH, **params}}
                      for arm, (label, params) in _ARMS.items()}
        return {
            "suite": {"seed": 4, "seeds": 8 if quick else 20, "history": 80,
                      "measure": "stochsearch.studies._networks:train"},
            "optimizers": optimizers, "problems": problems,
            "initializers": {"glorot_uniform": {}},
            "grid": [{"name": "orders", "optimizers": list(_ARMS),
                      "problems": list(_datasets(quick))},
                     {"name": "full batch, as many steps", "optimizers": ["full"],
                      "problems": [f"{d}-steps" for d in _datasets(quick)]}],
        }

    def analyze(self, records, figures, quick):
        cells = _cells(records)
        datasets = [d for d in _datasets(quick) if (d, "reshuffle") in cells]
        tests = {pair: _compare(cells, datasets, *pair) for pair in _PAIRS}
        _accuracy_figure(cells, datasets, figures / "order-1-accuracy.png")
        _curve_figure(cells, datasets, figures / "order-2-loss.png")
        summary = {d: {arm: _summary(cells[(d, arm)]) for arm in _arm_names()
                       if (d, arm) in cells} for d in datasets}
        numbers = {"summary": summary, "tests": {f"{a} vs {b}": rows
                                                 for (a, b), rows in tests.items()}}
        return _findings(summary, tests, datasets), numbers, _markdown(summary, datasets, quick)


def _datasets(quick: bool):
    return _QUICK if quick else tuple(_DATASETS)


def _arm_names() -> list[str]:
    return list(_ARMS) + ["steps"]


def _arm_label(arm: str) -> str:
    return _STEPS if arm == "steps" else _ARMS[arm][0]


# --- statistics --------------------------------------------------------------------------------
def _cells(records) -> dict:
    """``{(dataset, arm): {"accuracy", "loss", "epochs", "curves"}}`` in replicate order;
    ``curves`` holds each run's best-so-far training loss against epochs."""
    cells = {}
    for r in sorted(records, key=lambda r: r["replicate"]):
        dataset, _, steps = r["problem"].partition("-")
        arm = "steps" if steps else r["optimizer"]
        cell = cells.setdefault((dataset, arm), {"accuracy": [], "loss": [], "curves": []})
        cell["accuracy"].append(r["extra"]["test_accuracy"])
        cell["loss"].append(r["extra"]["train_loss"])
        n = r["nfev"] / r["extra"]["passes"]            # samples per pass
        cell["curves"].append((np.array(r["history"]["nfev"]) / n,
                               np.array(r["history"]["fun"])))
    for cell in cells.values():
        cell["accuracy"], cell["loss"] = np.array(cell["accuracy"]), np.array(cell["loss"])
    return cells


def _summary(cell) -> dict:
    acc, loss = cell["accuracy"], cell["loss"]
    return {"accuracy": float(np.median(acc)),
            "accuracy_iqr": np.percentile(acc, [25, 75]).tolist(),
            "loss": float(np.median(loss)), "loss_iqr": np.percentile(loss, [25, 75]).tolist(),
            "seeds": int(acc.size)}


#: (first arm, second arm) compared on every dataset
_PAIRS = [("reshuffle", "sorted"), ("reshuffle", "fixed"), ("reshuffle", "full"),
          ("reshuffle", "steps")]


def _compare(cells, datasets, first, second) -> dict:
    """Per dataset and metric: the probability that a run of ``first`` is better than one of
    ``second`` (A12: higher accuracy, lower loss), the Mann-Whitney p-value, Holm-corrected
    over the datasets *and* both metrics together (a dataset may be called different on
    either metric, so both metrics are one family of tests), and the verdict for ``first``:
    "better", "worse" or "no difference"."""
    rows = {d: {} for d in datasets if (d, second) in cells}
    keys, raw = [], []
    for metric, sign in _METRICS:
        for d in rows:
            x, y = sign * cells[(d, first)][metric], sign * cells[(d, second)][metric]
            keys.append((d, metric))
            raw.append((suite_stats.a12(x, y), suite_stats.mann_whitney(x, y)[1]))
    adjusted = suite_stats.holm([p for _, p in raw]) if raw else []
    for (d, metric), (a12, p), p_holm in zip(keys, raw, adjusted):
        verdict = "no difference" if p_holm >= _ALPHA else "better" if a12 > 0.5 else "worse"
        rows[d][metric] = {"a12": a12, "p": p, "p_holm": float(p_holm), "verdict": verdict}
    return rows


_METRICS = (("accuracy", 1.0), ("loss", -1.0))


# --- figures -----------------------------------------------------------------------------------
def _accuracy_figure(cells, datasets, path):
    from matplotlib.lines import Line2D

    arms = _arm_names()
    figure, axes = plots._figure(len(datasets), width=4.6, height=3.8, columns=2)
    rng = np.random.default_rng(0)
    for ax, d in zip(axes, datasets):
        for i, arm in enumerate(arms):
            if (d, arm) not in cells:
                continue
            acc = cells[(d, arm)]["accuracy"]
            ax.scatter(i + rng.uniform(-0.2, 0.2, acc.size), acc, s=12, color=f"C{i}",
                       alpha=0.6)
            ax.plot([i - 0.3, i + 0.3], [np.median(acc)] * 2, color="black", lw=2)
        ax.set_xticks(range(len(arms)), [a for a in arms], rotation=30, fontsize=8)
        ax.set_xlabel("order of the training data")
        ax.set_ylabel("test accuracy")
        ax.set_title(d)
        ax.grid(alpha=0.3)
    handles = [Line2D([], [], ls="", marker="o", color=f"C{i}", label=f"{a}: {_arm_label(a)}")
               for i, a in enumerate(arms)]
    handles.append(Line2D([], [], color="black", lw=2, label="median"))
    return plots._save(figure, path, handles, "Test accuracy of SGD by the order it sees the "
                                              "class-sorted training data (one dot per seed)")


def _curve_figure(cells, datasets, path):
    from matplotlib.lines import Line2D

    arms = _arm_names()
    figure, axes = plots._figure(len(datasets), width=4.6, height=3.6, columns=2)
    for ax, d in zip(axes, datasets):
        for i, arm in enumerate(arms):
            if (d, arm) not in cells:
                continue
            curves = cells[(d, arm)]["curves"]
            end = max(c[0][-1] for c in curves)
            grid = np.geomspace(1.0, end, 80)
            values = np.array([c[1][np.clip(np.searchsorted(c[0], grid, side="right") - 1, 0,
                                            None)] for c in curves])
            # Full batch has no loss before its first step: its curves start at one epoch.
            low, mid, high = np.where(np.isfinite(values).all(axis=0), suite_stats.percentiles(
                values, [25, 50, 75], axis=0), np.nan)
            ax.plot(grid, mid, **_line(i, arm))
            ax.fill_between(grid, low, high, color=f"C{i}", alpha=0.15, lw=0)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("epochs (passes over the training data)")
        ax.set_ylabel("training loss (best so far)")
        ax.set_title(d)
        ax.grid(alpha=0.3)
    handles = [Line2D([], [], label=_arm_label(a), **_line(i, a)) for i, a in enumerate(arms)]
    return plots._save(figure, path, handles, "Training loss against passes over the data: "
                                              "median and interquartile band over seeds")


def _line(i: int, arm: str) -> dict:
    # Reshuffled and fixed orders often coincide: the wider line underneath stays visible.
    return {"color": f"C{i}", "ls": "--" if arm == "steps" else "-",
            "lw": 3.2 if arm == "reshuffle" else 1.5}


# --- text --------------------------------------------------------------------------------------
def _markdown(summary, datasets, quick) -> str:
    arms = _arm_names()
    lines = ["| dataset | " + " | ".join(_arm_label(a) for a in arms) + " |",
             "|---|" + "---|" * len(arms)]
    for d in datasets:
        cells = [f"{summary[d][a]['accuracy']:.3f} / {fmt(summary[d][a]['loss'])}"
                 if a in summary[d] else "" for a in arms]
        lines.append(f"| {d} | " + " | ".join(cells) + " |")
    epochs = ", ".join(f"{d} {_DATASETS[d][1]}" for d in datasets)
    return (f"Each dataset's training set is sorted by class. SGD (learning rate {_RATE}, "
            f"minibatches of {_BATCH}, from Glorot-uniform weights) runs for a fixed number of "
            f"epochs ({epochs}) with the data reshuffled every epoch, shuffled once, left "
            f"sorted, or all at once (full batch: one step per epoch); full batch is also "
            "given as many steps as the minibatch runs (that many times the gradients). "
            f"{summary[datasets[0]]['reshuffle']['seeds']} seeds per cell. The table gives "
            "median test accuracy / median final training loss. Comparisons: two-sided "
            f"Mann-Whitney tests, Holm-corrected over the datasets and both metrics together (a "
            f"dataset counts as different when either metric differs, so the two metrics are "
            f"one family of tests), at {_ALPHA}.\n\n"
            + "\n".join(lines))


def _listing(summary, datasets, arm, metric) -> str:
    digits = ".3f"
    return ", ".join(f"{d} {summary[d][arm][metric]:{digits}}" if metric == "accuracy" else
                     f"{d} {fmt(summary[d][arm][metric])}" for d in datasets)


def _findings(summary, tests, datasets) -> list[Finding]:
    findings = []
    verdicts = tests[("reshuffle", "sorted")]
    worse = [d for d in verdicts if "better" in {verdicts[d]["accuracy"]["verdict"],
                                                 verdicts[d]["loss"]["verdict"]}
             and "worse" not in {verdicts[d]["accuracy"]["verdict"],
                                 verdicts[d]["loss"]["verdict"]}]
    by_accuracy = [d for d in verdicts if verdicts[d]["accuracy"]["verdict"] == "better"]
    findings.append(Finding(
        f"Class-sorted order is worse than reshuffling every epoch on {len(worse)} of "
        f"{len(verdicts)} datasets ({', '.join(worse) or 'none'}): median final training loss "
        f"sorted {_listing(summary, datasets, 'sorted', 'loss')} against reshuffled "
        f"{_listing(summary, datasets, 'reshuffle', 'loss')}; median test accuracy sorted "
        f"{_listing(summary, datasets, 'sorted', 'accuracy')} against "
        f"{_listing(summary, datasets, 'reshuffle', 'accuracy')}, significantly lower on "
        f"{', '.join(by_accuracy) or 'none'}.", holds=len(worse) == len(verdicts)))
    fixed = tests[("reshuffle", "fixed")]
    groups = {v: [d for d in fixed if fixed[d]["accuracy"]["verdict"] == v or
                  fixed[d]["loss"]["verdict"] == v] for v in ("better", "worse")}
    if not groups["better"] and not groups["worse"]:
        verdict = "no significant difference on any dataset, in test accuracy or in loss"
    else:
        verdict = "; ".join(f"reshuffling is significantly {v} on {', '.join(ds)}"
                            for v, ds in groups.items() if ds)
    smallest = min(fixed[d][m]["p_holm"] for d in fixed for m in ("accuracy", "loss"))
    findings.append(Finding(
        "Reshuffling every epoch against one fixed random order: " + verdict
        + f" (smallest corrected p = {fmt(smallest, 2)}); median test accuracy reshuffled "
        f"{_listing(summary, datasets, 'reshuffle', 'accuracy')}, fixed "
        f"{_listing(summary, datasets, 'fixed', 'accuracy')}. "
        + (f"On these small problems a new order every epoch buys nothing measurable over one "
           f"random order ({summary[datasets[0]]['reshuffle']['seeds']} seeds each)."
           if not groups["better"] else
           f"A new order every epoch pays off on {len(groups['better'])} of {len(fixed)} "
           "datasets.")))
    full, steps = tests[("reshuffle", "full")], tests[("reshuffle", "steps")]
    beaten = [d for d in full if full[d]["loss"]["verdict"] == "better"]
    outcome = {v: [d for d in steps if steps[d]["loss"]["verdict"] == v]
               for v in ("worse", "no difference", "better")}
    words = {"worse": "beats minibatches on", "no difference": "matches them on",
             "better": "stays behind on"}
    findings.append(Finding(
        f"Full-batch gradient descent with the same gradients (one step per epoch) ends with a "
        f"higher training loss than minibatches on {len(beaten)} of {len(full)} datasets "
        f"(median {_listing(summary, datasets, 'full', 'loss')}). Given as many steps, at that "
        "many times the gradients, it "
        + "; ".join(f"{words[v]} {', '.join(ds)}" for v, ds in outcome.items() if ds)
        + f" (median loss {_listing(summary, datasets, 'steps', 'loss')}, test accuracy "
        f"{_listing(summary, datasets, 'steps', 'accuracy')}): "
        + _steps_verdict(outcome["better"], len(steps)),
        holds=len(beaten) == len(full)))
    return findings


def _steps_verdict(ahead, total) -> str:
    """What full batch given as many steps says, with minibatches still ``ahead`` on some of
    ``total`` datasets: at equal steps only the noise of the minibatch gradients differs."""
    if not ahead:
        return ("at equal steps full batch does as well, so the advantage of minibatches at "
                "equal gradients comes from their number of steps, not from their noise.")
    noise = (f"minibatches stay ahead at equal steps on {', '.join(ahead)}, where only the "
             "noise of their gradients differs")
    if len(ahead) == total:
        return f"{noise}: more than the number of steps sets them apart."
    return (f"the number of steps accounts for the advantage of minibatches on "
            f"{total - len(ahead)} of {total} datasets; {noise}.")


STUDY = OrderStudy()
