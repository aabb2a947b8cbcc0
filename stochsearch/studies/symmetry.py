"""Study *symmetry*: why a network's weights must start different from each other.

A 2-16-1 tanh network learns the two circles with minibatch SGD from zeros, from a constant,
from the same constant plus a tiny noise, from small uniform weights and from Glorot's uniform
initialization. After every epoch the current weights (not the best-so-far point) are examined:
how many hidden units are really different, the rank of the hidden layer's weights, how far the
units are apart, the gradient into the hidden layer, and the loss and accuracies.
"""
from __future__ import annotations

import math

import numpy as np

from ..initialization import Initializer
from ..nn import distinct_units
from ._base import Finding, Study, fmt
from ._networks import epochs_budget, train_by_epoch
from ._symmetry_plots import plot_curves, plot_dial

__all__ = ["STUDY", "ConstantPlusNoise", "measure"]

_CONSTANT, _NOISE = 0.5, 1e-3
_MAIN = {  # entry: (label, initializer table of the suite)
    "zeros": ("zeros", {"init": "zeros", "dial": "zero"}),
    "constant": (f"constant {_CONSTANT}", {"init": "constant", "params": {"value": _CONSTANT},
                                           "dial": "zero"}),
    "constant-noise": (f"constant {_CONSTANT} + N(0, {_NOISE:g}²)",
                       {"init": "stochsearch.studies.symmetry:ConstantPlusNoise",
                        "params": {"value": _CONSTANT, "noise": _NOISE}}),
    "small-uniform": ("small uniform U(0, 0.1)", {"init": "small_uniform"}),
    "glorot": ("glorot_uniform", {"init": "glorot_uniform"}),
}
#: The noise dial of the full run: the same constant with less and more noise, and a smaller
#: constant with the same noise.
_DIAL = {f"noise-{s:g}": (_CONSTANT, s) for s in (1e-9, 1e-6, 1e-1)} | {
    "constant-0.1-noise": (0.1, _NOISE)}


class ConstantPlusNoise(Initializer):
    """Every coordinate (weights and biases) equal to ``value`` plus ``N(0, noise^2)``."""

    def __init__(self, value: float = _CONSTANT, noise: float = _NOISE):
        self.value, self.noise = float(value), float(noise)

    def __call__(self, rng, space, n):
        return space.clip(self.value + self.noise * rng.standard_normal((n, space.dim)))


def measure(problem, optimizer, init, task):
    """One SGD run with the task's seed, and the state of the current weights after every
    epoch (a suite measure): ``{metric: [value per epoch]}``."""
    rows = []
    result = train_by_epoch(problem, optimizer, init, task,
                            lambda epoch, w, loss: rows.append(_snapshot(problem, epoch, w,
                                                                         loss)))
    y = problem.y_test
    return result, {"curves": {key: [row[key] for row in rows] for key in rows[0]},
                    "chance": float(max(np.mean(y == 0), np.mean(y == 1)))}


def _snapshot(problem, epoch, w, loss) -> dict:
    network = problem.network
    (W, b), (V, _) = network.unpack(w)
    units = np.column_stack([W.T, b, V])          # one row per hidden unit, all its weights
    incoming = np.vstack([W, b])
    gradient = np.empty(problem.dim)
    problem.gradient(w, problem.data, gradient)
    _, A = network.forward(w, problem.X)
    hidden = A[:, network.sizes[0]:network.sizes[0] + W.shape[1]]
    report = problem.report(w)
    return {"epoch": epoch, "train_loss": loss, "train_accuracy": report["train_accuracy"],
            "test_accuracy": report["test_accuracy"], "test_loss": report["test_loss"],
            "distinct": distinct_units(network, w),
            "rank": int(np.linalg.matrix_rank(incoming)) if incoming.any() else 0,
            "effective_rank": _effective_rank(hidden),
            "spread": float(np.max(np.abs(units - units[0]))),
            "hidden_gradient": float(np.linalg.norm(gradient[:W.size + b.size])),
            "outgoing": float(np.linalg.norm(V))}


def _effective_rank(H) -> float:
    """exp of the entropy of the normalized singular values (Roy and Vetterli 2007): 1 when
    every column is a multiple of one, up to the number of columns; 0 for a zero matrix."""
    s = np.linalg.svd(H, compute_uv=False)
    if s.sum() == 0.0:
        return 0.0
    p = s[s > 0] / s.sum()
    return float(np.exp(-np.sum(p * np.log(p))))


class SymmetryStudy(Study):
    name = "symmetry"
    gallery_figure = "symmetry-1-training.png"
    title = "Symmetry: why the weights must start different"
    question = ("If every hidden unit starts with the same weights, does gradient descent ever "
                "make them different? How much randomness at the start is enough?")

    def suite(self, quick: bool) -> dict:
        epochs = 150 if quick else 300
        inits = {name: {**table, "label": label} for name, (label, table) in _MAIN.items()}
        if not quick:
            for name, (value, noise) in _DIAL.items():
                inits[name] = {"init": "stochsearch.studies.symmetry:ConstantPlusNoise",
                               "params": {"value": value, "noise": noise},
                               "label": f"constant {value:g} + N(0, {noise:g}²)"}
        return {
            # A circle inside a circle: no straight line separates them, so a network whose
            # hidden units are all alike (a function of one projection) cannot learn them.
            "suite": {"seed": 16, "seeds": 3 if quick else 20, "history": 10,
                      "budget": epochs_budget("circles-mlp", epochs, hidden=[16]),
                      "measure": "stochsearch.studies.symmetry:measure"},
            "optimizers": {"sgd": {"optimizer": "sgd", "label": "SGD (0.2, minibatch 32)",
                                   "params": {"learning_rate": 0.2, "batch_size": 32}}},
            "problems": {"circles": {"problem": "circles-mlp", "params": {"hidden": [16]}}},
            "initializers": inits,
        }

    def analyze(self, records, figures, quick):
        curves = _curves(records)
        labels = {name: _label(name) for name in curves}
        chance = records[0]["extra"]["chance"]
        plot_curves(curves, [n for n in _MAIN if n in curves], labels,
                    figures / "symmetry-1-training.png")
        dial = sorted((n for n in curves if n == "constant" or _noise_of(n) is not None),
                      key=lambda n: (_value_of(n) != _CONSTANT, _noise_of(n) or 0.0))
        if any(name in curves for name in _DIAL):
            ladder = {n: (_noise_of(n), [_plateau_exit(loss, curves[n]["epoch"][0])
                                         for loss in curves[n]["train_loss"]])
                      for n in dial if n != "constant" and _value_of(n) == _CONSTANT}
            plot_dial(curves, dial, labels, ladder, _CONSTANT, figures / "symmetry-2-noise.png")
        order = [n for n in _MAIN if n in curves] + [n for n in dial if n not in _MAIN]
        numbers = {name: _summary(curves[name]) for name in order}
        numbers["chance"] = chance
        return (_findings(numbers, labels, dial), numbers,
                _markdown(numbers, labels, quick))


def _label(name: str) -> str:
    if name in _MAIN:
        return _MAIN[name][0]
    value, noise = _DIAL[name]
    return f"constant {value:g} + N(0, {noise:g}²)"


def _noise_of(name: str) -> float | None:
    """The noise of a constant-plus-noise start (0 for the plain constant), None otherwise."""
    return {"constant": 0.0, "constant-noise": _NOISE}.get(name, _DIAL.get(name, (0, None))[1])


def _value_of(name: str) -> float:
    return _DIAL[name][0] if name in _DIAL else _CONSTANT


def _curves(records) -> dict:
    """``{init: {metric: (seeds, epochs) array}}``."""
    grouped = {}
    for r in sorted(records, key=lambda r: r["replicate"]):
        grouped.setdefault(r["init"], []).append(r["extra"]["curves"])
    return {init: {key: np.array([e[key] for e in extras], dtype=float) for key in extras[0]}
            for init, extras in grouped.items()}


def _plateau_exit(loss: np.ndarray, epochs: np.ndarray) -> float:
    """The first epoch at which the training loss is below half of ln 2 (nan: never)."""
    below = np.flatnonzero(loss < math.log(2.0) / 2.0)
    return float(epochs[below[0]]) if below.size else float("nan")


def _summary(c: dict) -> dict:
    exits = [_plateau_exit(loss, c["epoch"][0]) for loss in c["train_loss"]]
    return {"seeds": int(c["epoch"].shape[0]), "epochs": float(c["epoch"][0, -1]),
            "spread": float(c["spread"].max()), "spread_start": float(np.median(c["spread"][:, 0])),
            "spread_end": float(np.median(c["spread"][:, -1])),
            "distinct_max": int(c["distinct"].max()), "distinct_end": float(
                np.median(c["distinct"][:, -1])),
            "rank_min": int(c["rank"].min()), "rank_max": int(c["rank"].max()),
            "hidden_gradient_max": float(c["hidden_gradient"].max()),
            "loss": float(np.median(c["train_loss"][:, -1])),
            "loss_gap": float(np.max(np.abs(c["train_loss"] - math.log(2.0)))),
            "accuracy": float(np.median(c["test_accuracy"][:, -1])),
            "accuracy_min": float(c["test_accuracy"][:, -1].min()),
            "accuracy_max": float(c["test_accuracy"][:, -1].max()),
            "train_accuracy": float(np.median(c["train_accuracy"][:, -1])),
            "exit": float(np.median(exits)) if np.all(np.isfinite(exits)) else float("nan"),
            "exited": int(np.sum(np.isfinite(exits))),
            "outgoing_start": float(np.median(c["outgoing"][:, 0])),
            "outgoing_min": float(np.median(c["outgoing"].min(axis=1)))}


# --- findings ------------------------------------------------------------------------------------
def _findings(numbers, labels, dial) -> list[Finding]:
    findings = []
    z, c, n = (numbers.get(k) for k in ("zeros", "constant", "constant-noise"))
    g, s = numbers.get("glorot"), numbers.get("small-uniform")
    chance = numbers["chance"]
    if z:
        holds = z["spread"] <= 1e-12 and z["hidden_gradient_max"] <= 1e-12 \
            and z["loss_gap"] < 0.01 and abs(z["accuracy"] - chance) <= 0.05
        findings.append(Finding(
            f"From zeros the hidden units stay identical (largest difference between two "
            f"units over {z['epochs']:.0f} epochs and {z['seeds']} runs: {fmt(z['spread'])}), "
            f"the gradient into the hidden layer is "
            + ("exactly zero throughout" if z["hidden_gradient_max"] == 0 else
               f"at most {fmt(z['hidden_gradient_max'])}")
            + f", and the training loss stays at ln 2 = {math.log(2):.4f} (largest deviation "
            f"{fmt(z['loss_gap'])}) with test accuracy {z['accuracy']:.1%} (chance: "
            f"{chance:.1%}).", holds))
    if c:
        rank = f"{c['rank_min']}" if c["rank_min"] == c["rank_max"] else \
            f"between {c['rank_min']} and {c['rank_max']}"
        holds = c["spread"] <= 1e-12 and c["rank_min"] == c["rank_max"] == 1 and \
            (g is None or c["accuracy"] < g["accuracy"] - 0.2)
        findings.append(Finding(
            f"From the constant {_CONSTANT} the units also stay identical for the whole run "
            f"(largest difference {fmt(c['spread'])}) and the hidden weights keep rank {rank}: "
            f"the network computes a function of one projection of the input, and its loss "
            f"plateaus at {c['loss']:.3f} with test accuracy {c['accuracy']:.1%}"
            + (f", against {g['accuracy']:.1%} from glorot_uniform." if g else "."), holds))
    if n and c:
        learned = n["accuracy"] > c["accuracy"] + 0.2 and n["exited"] == n["seeds"]
        findings.append(Finding(
            f"Adding N(0, {_NOISE:g}²) to that constant "
            + ("is enough" if learned else "is not enough")
            + f": the differences between units grow from {fmt(n['spread_start'])} to "
            f"{fmt(n['spread_end'])}, and the network "
            + (f"learns the circles (test accuracy {n['accuracy']:.1%}, loss {n['loss']:.3f}),"
               if learned else f"reaches only {n['accuracy']:.1%} test accuracy,")
            + f" leaving the plateau (loss below ln 2 / 2) in {n['exited']} of {n['seeds']} "
            f"runs" + (f", after {n['exit']:.0f} epochs (median)" if n["exited"] == n["seeds"]
                       else "")
            + (f"; glorot_uniform needs {g['exit']:.0f}." if g and np.isfinite(g["exit"])
               else "."), learned))
    if z and g:
        holds = g["accuracy_min"] > z["accuracy_max"] and \
            (s is None or s["accuracy"] > z["accuracy"])
        findings.append(Finding(
            f"Random initialization beats zero initialization on test accuracy: "
            f"glorot_uniform {g['accuracy']:.1%} (median; worst run {g['accuracy_min']:.1%})"
            + (f", small uniform U(0, 0.1) {s['accuracy']:.1%}" + (
                f" after a plateau of {s['exit']:.0f} epochs" if np.isfinite(s["exit"]) else "")
               if s else "")
            + f", zeros {z['accuracy']:.1%} (best run {z['accuracy_max']:.1%}).", holds))
    findings += _dial_findings(numbers, dial)
    return findings


def _dial_findings(numbers, dial) -> list[Finding]:
    ladder = [name for name in dial if name != "constant" and _value_of(name) == _CONSTANT]
    if len(ladder) < 3:
        return []
    noise = np.array([_noise_of(name) for name in ladder])
    exits = np.array([numbers[name]["exit"] for name in ladder])
    steps = ", ".join(f"{fmt(sigma)}: {'never' if not np.isfinite(e) else f'{e:.0f}'}"
                      for sigma, e in zip(noise, exits))
    out = []
    if np.all(np.isfinite(exits)):
        slope = -np.polyfit(np.log10(noise), exits, 1)[0]
        holds = bool(np.all(np.diff(exits) <= 0))
        out.append(Finding(
            f"The less noise, the longer the plateau: from the constant {_CONSTANT} plus "
            f"noise σ the loss falls below ln 2 / 2 after (median epochs; σ: epochs) {steps}, "
            f"about {slope:.0f} more epochs per decade less noise"
            + (", as when the differences between units grow exponentially from their initial "
               "size." if holds and slope > 0 else ", not monotonically."), holds))
    else:
        out.append(Finding(f"Not every noise level left the plateau (median epochs; σ: "
                           f"epochs) {steps}.", False))
    for name in (n for n in dial if _value_of(n) != _CONSTANT):
        m = numbers[name]
        learned = m["exited"] == m["seeds"]
        out.append(Finding(
            f"The constant matters as well: from {_label(name)} the loss fell below ln 2 / 2 "
            f"in {m['exited']} of {m['seeds']} runs within {m['epochs']:.0f} epochs (final "
            f"loss {m['loss']:.3f}, test accuracy {m['accuracy']:.1%}); the outgoing weights "
            f"went from norm {fmt(m['outgoing_start'])} down to {fmt(m['outgoing_min'])}"
            + (", and the gradient that pulls the units apart is proportional to a unit's "
               "outgoing weight." if not learned else ".")))
    return out


def _markdown(numbers, labels, quick) -> str:
    header = ("| start | distinct units at the end | rank of [W; b] | largest difference between "
              "units | largest hidden gradient | final loss | test accuracy (median [min, max]) "
              "| epochs to loss < ln 2 / 2 |")
    rows = [header, "|---|---|---|---|---|---|---|---|"]
    for name, m in numbers.items():
        if name == "chance":
            continue
        exit_ = f"{m['exit']:.0f}" if m["exited"] == m["seeds"] else \
            f"{m['exited']}/{m['seeds']} runs"
        rank = f"{m['rank_min']}" if m["rank_min"] == m["rank_max"] else \
            f"{m['rank_min']}–{m['rank_max']}"
        rows.append(f"| {labels[name]} | {m['distinct_end']:.0f} | {rank} | "
                    f"{fmt(m['spread'])} | {fmt(m['hidden_gradient_max'])} | {m['loss']:.3f} | "
                    f"{m['accuracy']:.1%} [{m['accuracy_min']:.1%}, {m['accuracy_max']:.1%}] | "
                    f"{exit_} |")
    seeds = next(m["seeds"] for k, m in numbers.items() if k != "chance")
    epochs = next(m["epochs"] for k, m in numbers.items() if k != "chance")
    return (f"A 2-16-1 tanh network with a sigmoid output learns the two circles (500 points, "
            f"noise 0.1, 376 for training) by minibatch SGD (learning rate 0.2, minibatches "
            f"of 32, reshuffled every epoch) for {epochs:.0f} epochs, {seeds} seeds per start. "
            "After every epoch the study looks at the weights SGD holds (driving it through "
            "ask/tell), not at the best point so far. A unit is its incoming weights, bias "
            "and outgoing weight; two units are distinct when they differ by more than 1e-8. "
            "The effective rank of the hidden activations (Roy and Vetterli 2007) is 1 when "
            "every unit computes a multiple of the same feature.\n\n" + "\n".join(rows))


STUDY = SymmetryStudy()
