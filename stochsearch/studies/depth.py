"""Study *depth*: whether a deep network learns at all is decided by how its weights are drawn.

Networks of 2, 10, 20 and 30 hidden layers of 16 units (tanh and ReLU) learn the two circles
with minibatch SGD from each family of initializers: Keras's default, PyTorch's default, LSUV,
orthogonal, He's, small uniform and standard normal weights. The training loss of the current
weights is followed epoch by epoch, and the final test accuracy is set against the depth.
"""
from __future__ import annotations

import math

import numpy as np

from ._base import Finding, Study
from ._networks import epochs_budget, train_by_epoch

__all__ = ["STUDY", "learned_interval", "measure"]

_WIDTH, _EPOCHS, _RATE = 16, 120, 0.03
_LEARNED = 0.9                  # test accuracy that counts as learned (chance is 0.5)
_DEPTHS, _QUICK_DEPTHS = (2, 10, 20, 30), (2, 30)
_ACTIVATIONS = ("tanh", "relu")
_INITS = {  # entry: (label, initializer table of the suite)
    "glorot": ("Keras default glorot_uniform", {"init": "glorot_uniform"}),
    "pytorch": ("PyTorch default U(±1/√n), biases too", {"init": "pytorch"}),
    "lsuv": ("LSUV (orthogonal, unit variance per layer)", {"init": "lsuv"}),
    "orthogonal": ("orthogonal (gain 1)", {"init": "orthogonal"}),
    "he": ("he_normal (variance 2/n)", {"init": "he_normal"}),
    "small-uniform": ("small uniform U(0, 0.1)", {"init": "small_uniform"}),
    "normal-1": ("standard normal N(0, 1)", {"init": "random_normal",
                                             "params": {"stddev": 1.0}}),
}
#: the scales meant to keep the signal alive through each activation: variance 1/n for tanh
#: (Glorot and Bengio 2010, Saxe et al. 2014), 2/n for ReLU (He et al. 2015, who trained 30
#: ReLU layers with it and not with 1/n). LSUV (Mishkin and Matas 2016) was shown on wide
#: convolutional networks: at 16 units a layer it is reported without an expectation.
_PRESERVING = {"tanh": ("glorot", "orthogonal"), "relu": ("he",)}
#: scales that shrink or blow up the signal at each layer of the activation: small or huge
#: weights for both; variance 1/n for ReLU (halved at each layer, He et al. 2015) and
#: 1/(3n) for tanh (PyTorch's default, a third at each layer)
_BROKEN = {"tanh": ("pytorch", "small-uniform", "normal-1"),
           "relu": ("glorot", "pytorch", "orthogonal", "small-uniform", "normal-1")}


def measure(problem, optimizer, init, task):
    """One SGD run with the task's seed, and the training loss and test accuracy of the
    current weights after every epoch (a suite measure)."""
    from threadpoolctl import threadpool_limits  # a dependency of scikit-learn

    rows = []

    def on_epoch(epoch, w, loss):
        rows.append((epoch, loss, problem.accuracy(w, problem.X_test, problem.y_test)))

    # One BLAS thread: LSUV's and the orthogonal draws' QR in every worker process.
    with threadpool_limits(1):
        result = train_by_epoch(problem, optimizer, init, task, on_epoch)
    epoch, loss, accuracy = (list(column) for column in zip(*rows))
    return result, {"epoch": epoch, "train_loss": [_finite(v) for v in loss],
                    "test_accuracy": accuracy}


def _finite(value: float) -> float | None:
    # A diverged run's loss is NaN or infinite: stored as null, read back as NaN.
    return float(value) if math.isfinite(value) else None


def learned_interval(learned: int, seeds: int, confidence: float = 0.95) -> tuple[float, float]:
    """The exact (Clopper-Pearson) interval of the share of seeds that learn."""
    from scipy.stats import binomtest

    ci = binomtest(learned, seeds).proportion_ci(confidence, method="exact")
    return float(ci.low), float(ci.high)


class DepthStudy(Study):
    name = "depth"
    headline_key = "the-right-scale-depends-on"      # the finding the gallery quotes
    # The suite's checks draw every initializer in this process too: one BLAS thread, as in
    # ``measure`` (a 128 x 128 QR took 0.17 s, the check of the full isometry suite 138 s).
    blas_threads = 1
    title = "Depth: initialization decides whether a deep network learns at all"
    question = ("Networks of 2 to 30 layers, the same data, the same SGD: which ways of "
                "drawing the initial weights let the deep ones learn?")

    def suite(self, quick: bool) -> dict:
        depths = _QUICK_DEPTHS if quick else _DEPTHS
        problems = {f"{act}-{depth}": {"problem": "circles-mlp",
                                       "params": {"hidden": [_WIDTH] * depth, "activation": act},
                                       "label": f"{depth} {act} layers of {_WIDTH}"}
                    for act in _ACTIVATIONS for depth in depths}
        return {
            # Two circles, one inside the other: no straight line separates them, so a network
            # that does not learn stays at chance (0.5).
            "suite": {"seed": 30, "seeds": 3 if quick else 10, "history": 2,
                      "budget": epochs_budget("circles-mlp", _EPOCHS),
                      "measure": "stochsearch.studies.depth:measure"},
            "optimizers": {"sgd": {"optimizer": "sgd",
                                   "label": f"SGD ({_RATE}, minibatch 32)",
                                   "params": {"learning_rate": _RATE, "batch_size": 32}}},
            "problems": problems,
            "initializers": {name: {**table, "label": label}
                             for name, (label, table) in _INITS.items()},
        }

    def analyze(self, records, figures, quick):
        from ._depth_plots import plot_accuracy, plot_curves

        runs = _runs(records)
        numbers = _numbers(runs)
        labels = {name: label for name, (label, _) in _INITS.items()}
        plot_accuracy(runs, list(_INITS), labels, _LEARNED, figures / "depth-1-accuracy.png")
        plot_curves(runs, list(_INITS), labels, figures / "depth-2-training.png")
        return _findings(numbers), numbers, _markdown(numbers, quick)


def _runs(records) -> dict:
    """``{(activation, depth, init): {"epoch": (epochs,), "train_loss": (seeds, epochs),
    "test_accuracy": (seeds, epochs)}}``."""
    grouped = {}
    for r in sorted(records, key=lambda r: r["replicate"]):
        act, depth = r["problem"].split("-")
        grouped.setdefault((act, int(depth), r["init"]), []).append(r["extra"])
    return {key: _padded(extras) for key, extras in grouped.items()}


def _padded(extras) -> dict:
    """The epochs of the longest run and each run's curves; a run SGD stopped as diverged
    keeps its last values to the end (its loss NaN, its accuracy where it stopped)."""
    epoch = max((e["epoch"] for e in extras), key=len)
    out = {"epoch": np.array(epoch, dtype=float)}
    for m in ("train_loss", "test_accuracy"):
        values = np.full((len(extras), len(epoch)), np.nan)
        for row, e in zip(values, extras):
            row[:len(e[m])] = [np.nan if v is None else v for v in e[m]]
            if m == "test_accuracy":
                row[len(e[m]):] = row[len(e[m]) - 1]
        out[m] = values
    return out


def _numbers(runs) -> dict:
    out = {}
    for (act, depth, init), c in runs.items():
        final = c["test_accuracy"][:, -1]
        learned = int(np.sum(final >= _LEARNED))
        low, high = learned_interval(learned, final.size)
        loss = c["train_loss"]
        out[f"{act}|{depth}|{init}"] = {
            "seeds": int(final.size), "accuracy": float(np.median(final)),
            "accuracy_min": float(final.min()), "accuracy_max": float(final.max()),
            "learned": learned, "learned_low": low, "learned_high": high,
            "loss_start": float(np.nanmedian(loss[:, 0])),
            "loss_end": float(np.median(np.where(np.isfinite(loss[:, -1]), loss[:, -1], np.inf))),
            "diverged": int(np.sum(~np.isfinite(loss[:, -1])))}
    return out


# --- findings ------------------------------------------------------------------------------------
def _share(row) -> str:
    return (f"{row['learned']}/{row['seeds']} seeds (95% interval {row['learned_low']:.2f}-"
            f"{row['learned_high']:.2f})")


def _findings(numbers) -> list[Finding]:
    depths = sorted({int(key.split("|")[1]) for key in numbers})
    shallow, deep = depths[0], depths[-1]

    def rows(act, depth, inits):
        return {i: numbers[f"{act}|{depth}|{i}"] for i in inits if f"{act}|{depth}|{i}" in numbers}

    findings = []
    scaled = ("glorot", "pytorch", "lsuv", "orthogonal", "he")
    for act in _ACTIVATIONS:
        got = rows(act, shallow, scaled)
        if got:
            ok = [i for i, r in got.items() if r["learned"] >= 0.8 * r["seeds"]]
            findings.append(Finding(
                f"With {shallow} {act} layers every initializer scaled to the layer (or, LSUV, to the "
                f"data) learns "
                f"(test accuracy ≥ {_LEARNED}) in most seeds: "
                + "; ".join(f"{_INITS[i][0]}: {_share(r)}, median accuracy "
                            f"{r['accuracy']:.2f}" for i, r in got.items())
                + ("." if len(ok) == len(got) else
                   f" — not {', '.join(_INITS[i][0] for i in got if i not in ok)}."),
                len(ok) == len(got)))
    for act in _ACTIVATIONS:
        good, bad = rows(act, deep, _PRESERVING[act]), rows(act, deep, _BROKEN[act])
        if not (good and bad):
            continue
        kept = [i for i, r in good.items() if r["learned"] >= 0.8 * r["seeds"]]
        lost = [i for i, r in bad.items() if r["learned"] <= 0.2 * r["seeds"]]
        findings.append(Finding(
            f"With {deep} {act} layers the initializers that keep the variance of the signal "
            f"({'variance 1/n' if act == 'tanh' else 'variance 2/n'}) still learn: "
            + "; ".join(f"{_INITS[i][0]}: {_share(r)}" for i, r in good.items())
            + (f" — but not {', '.join(_INITS[i][0] for i in good if i not in kept)}"
               if len(kept) < len(good) else "") + ". The others leave the network at chance: "
            + "; ".join(f"{_INITS[i][0]}: {_share(r)}, median accuracy {r['accuracy']:.2f}"
                        for i, r in bad.items())
            + (f" — except {', '.join(_INITS[i][0] for i in bad if i not in lost)}"
               if len(lost) < len(bad) else "") + ".",
            len(kept) == len(good) and len(lost) == len(bad)))
    lsuv = [(act, numbers[f"{act}|{deep}|lsuv"]) for act in _ACTIVATIONS
            if f"{act}|{deep}|lsuv" in numbers]
    if lsuv:
        findings.append(Finding(
            f"LSUV, which rescales each layer to unit pre-activation variance on the data, "
            f"learns {deep} layers in "
            + " and ".join(f"{_share(row)} with {act} (median accuracy {row['accuracy']:.2f})"
                           for act, row in lsuv) + "."))
    first = [i for i in _INITS if f"relu|{deep}|{i}" in numbers and f"tanh|{deep}|{i}" in numbers
             and i in ("glorot", "orthogonal")]
    if first:
        flip = [i for i in first if numbers[f"tanh|{deep}|{i}"]["learned"]
                > numbers[f"relu|{deep}|{i}"]["learned"]]
        findings.append(Finding(
            "The right scale depends on the activation: "
            + "; ".join(f"{_INITS[i][0]} learns in {numbers[f'tanh|{deep}|{i}']['learned']}/"
                        f"{numbers[f'tanh|{deep}|{i}']['seeds']} seeds with {deep} tanh layers "
                        f"and {numbers[f'relu|{deep}|{i}']['learned']}/"
                        f"{numbers[f'relu|{deep}|{i}']['seeds']} with {deep} ReLU layers"
                        for i in first)
            + " (ReLU zeroes half of each layer's input, so variance 1/n halves the signal at "
              f"every layer: 2^-{deep} after {deep} layers, He et al. 2015).",
            len(flip) == len(first)))
    return findings


def _markdown(numbers, quick) -> str:
    depths = sorted({int(key.split("|")[1]) for key in numbers})
    seeds = next(iter(numbers.values()))["seeds"]
    header = ("| activation | initialization | " + " | ".join(f"{d} layers" for d in depths)
              + " |")
    lines = [header, "|---|---|" + "---|" * len(depths)]
    for act in _ACTIVATIONS:
        for init, (label, _) in _INITS.items():
            cells = []
            for d in depths:
                row = numbers.get(f"{act}|{d}|{init}")
                cells.append("" if row is None else
                             f"{row['accuracy']:.2f} ({row['learned']}/{row['seeds']})")
            lines.append(f"| {act} | {label} | " + " | ".join(cells) + " |")
    return (
        f"Each network has {', '.join(map(str, depths))} hidden layers of {_WIDTH} units (tanh "
        f"or ReLU) and a sigmoid output, and learns the two circles (500 points, noise 0.1, a "
        f"quarter held out) with SGD (learning rate {_RATE}, minibatches of 32) for {_EPOCHS} "
        f"epochs from each initializer, with {seeds} seeds (biases zero, except PyTorch's "
        f"default, which draws them too). The training loss is that of the weights SGD holds "
        f"after each epoch; a run *learns* when its final test accuracy reaches {_LEARNED} "
        f"(chance is 0.5), and the shares of seeds that learn have exact (Clopper-Pearson) "
        f"95% intervals. Glorot and Bengio's \"standard\" U(±1/√n) is not drawn apart: its "
        f"weights are PyTorch's default.\n\n"
        f"Median final test accuracy (seeds that learn):\n\n" + "\n".join(lines)
        + ("\n\nThe quick run trains 2 and 30 layers only." if quick else ""))


STUDY = DepthStudy()
