"""Study *weights*: SGD against the gradient-free searches on one network's weights.

The same 2-10-1 tanh network on two moons, trained by SGD and searched by a genetic algorithm,
simulated annealing, hill climbing and random search, from each of several initializers. Every
run records the test accuracy of its best weights so far against the passes over the training
data it has made, the one axis on which a minibatch gradient and a full-loss evaluation compare.
"""
from __future__ import annotations

import numpy as np

from ._base import Finding, Study, bootstrap_band, fmt
from ._networks import epochs_budget, outcome

__all__ = ["STUDY", "passes_to", "train_curve"]

_PROBLEM = "moons-mlp"
_NETWORK = "2-10-1 tanh"
_RATE, _BATCH = 0.3, 32
#: (SGD's epochs, the gradient-free searches' evaluations): (full, quick).
_EPOCHS = {False: 500, True: 200}
_EVALUATIONS = {False: 20_000, True: 4_000}
_TARGET = 0.95           # the test accuracy the "passes to reach" finding asks for
_EARLY = 50              # passes at which the curves are compared before they saturate
_REFERENCE = "glorot_uniform"
_OPTIMIZERS = {
    "sgd": ("sgd", {"learning_rate": _RATE, "batch_size": _BATCH},
            f"SGD (learning rate {_RATE:g}, minibatches of {_BATCH})"),
    "rhc": ("rhc", {}, "hill climbing (Gaussian steps, 1/5th rule, restarts)"),
    "sa": ("sa", {}, "simulated annealing"),
    "ga": ("ga", {}, "genetic algorithm (population 100)"),
    "random": ("random", {"batch_size": 10}, "random search (draws from the initializer)"),
}
SEARCHES = ("rhc", "sa", "ga")      # the gradient-free searches that take steps
_INITS = {False: ("zeros", "small_uniform", "standard", "lecun_normal", "glorot_uniform",
                  "he_normal", "pytorch"),
          True: ("zeros", "small_uniform", "glorot_uniform")}
_INIT_LABELS = {"zeros": "zeros", "small_uniform": "small uniform U(0, 0.1)",
                "standard": "standard U(±1/√fan_in)", "lecun_normal": "LeCun normal",
                "glorot_uniform": "Glorot uniform", "he_normal": "He normal",
                "pytorch": "PyTorch default"}


def _short(entry: str) -> str:
    return {"sgd": "SGD", "rhc": "hill climbing", "sa": "annealing", "ga": "the GA",
            "random": "random search"}[entry]


class WeightsStudy(Study):
    name = "weights"
    gallery_figure = "weights-1-curves.png"
    headline_key = "speed"
    title = "Weights: SGD against gradient-free search on the same network"
    question = ("On one network's weights, how much test accuracy does SGD buy per pass over "
                "the training data compared with a genetic algorithm, simulated annealing, "
                "hill climbing and random search, over seeds, and from each initializer?")

    def suite(self, quick: bool) -> dict:
        inits = _INITS[quick]
        return {
            "suite": {"seed": 7, "seeds": 5 if quick else 20, "history": 100,
                      "measure": "stochsearch.studies.weights:train_curve"},
            "optimizers": {entry: {"optimizer": ref, "params": params, "label": label}
                           for entry, (ref, params, label) in _OPTIMIZERS.items()},
            # One network, two budgets: SGD's counts sample-gradients, the others' full-loss
            # evaluations (see the text: both become passes over the training data).
            "problems": {
                "moons-sgd": {"problem": _PROBLEM, "label": f"two moons, {_NETWORK}",
                              "budget": epochs_budget(_PROBLEM, _EPOCHS[quick])},
                "moons": {"problem": _PROBLEM, "label": f"two moons, {_NETWORK}",
                          "budget": _EVALUATIONS[quick]}},
            "initializers": {name: {"init": name, "label": _INIT_LABELS[name]}
                             for name in inits},
            "grid": [{"name": "SGD", "optimizers": ["sgd"], "problems": ["moons-sgd"]},
                     {"name": "gradient-free", "optimizers": [*SEARCHES, "random"],
                      "problems": ["moons"]}],
        }

    def analyze(self, records, figures, quick):
        from ._weights_cost import epoch_cost
        from ._weights_figures import curves_figure, initializers_figure

        runs = _runs(records)
        epochs, evaluations = _EPOCHS[quick], _EVALUATIONS[quick]
        grid = np.union1d(np.geomspace(1.0, evaluations, 80), [epochs])
        table = {entry: {init: _cell(extras, epochs) for init, extras in by_init.items()}
                 for entry, by_init in runs.items()}
        curves = {entry: _band(runs[entry][_REFERENCE], grid) for entry in runs
                  if _REFERENCE in runs[entry]}
        chance = float(np.median([r["extra"]["chance"] for r in records]))
        labels = {entry: _OPTIMIZERS[entry][2] for entry in runs}
        inits = [i for i in _INITS[quick] if any(i in t for t in table.values())]
        curves_figure(curves, grid, labels, chance, _TARGET, (_EARLY, epochs),
                      figures / "weights-1-curves.png",
                      f"Two moons, {_NETWORK} network, {_INIT_LABELS[_REFERENCE]} start: "
                      f"median of {len(runs['sgd'][_REFERENCE])} seeds, interquartile band")
        initializers_figure(table, list(runs), inits, labels,
                            [_INIT_LABELS[i] for i in inits], _EARLY,
                            figures / "weights-2-initializers.png")
        numbers = {"table": table, "curves": curves, "grid": grid.tolist(), "chance": chance,
                   "target": _TARGET, "early": _EARLY, "epochs": epochs,
                   "evaluations": evaluations, "seeds": len(runs["sgd"][_REFERENCE]),
                   "initializers": inits, "sizes": _sizes(),
                   "epoch_cost": epoch_cost(figures.parent / "weights-cost.json")}
        findings = _findings(table, chance, epochs, evaluations, inits,
                             numbers["sizes"]["test"], numbers["epoch_cost"]["with_loss"])
        return findings, numbers, _markdown(table, chance, epochs, evaluations, inits, numbers)


def _sizes() -> dict:
    """The network problem's training and test samples and its weights."""
    from ..registry import PROBLEMS

    problem = PROBLEMS.get(_PROBLEM)()
    return {"train": problem.n_samples, "test": len(problem.y_test), "dim": problem.dim}


# --- the measure -------------------------------------------------------------------------------
def train_curve(problem, optimizer, init, task):
    """A suite measure: a plain run with the task's seed and budget (``_networks.train``'s,
    unchanged by watching it), its ``outcome``, and ``curve``: at every history checkpoint the
    passes over the training data so far (SGD's epochs, a search's evaluations), and the test
    accuracy and training loss of the best weights so far; ``chance``, the share of the test
    set's commonest class."""
    curve = []

    def look(result):
        curve.append(_point(result))

    result = optimizer.run(problem, task.budget, rng=task.seed, init=init,
                           history=task.history, callback=look)
    while curve and curve[-1][0] >= _passes_of(result):   # the end's point is the result's
        curve.pop()
    curve.append(_point(result))
    passes, accuracy, loss = (list(column) for column in zip(*curve, strict=True))
    counts = np.unique(np.asarray(problem.y_test), return_counts=True)[1]
    return result, {**outcome(problem, result), "chance": float(counts.max() / counts.sum()),
                    "curve": {"passes": passes, "test_accuracy": accuracy,
                              "train_loss": loss}}


def _passes_of(result) -> float:
    """Passes over the training data a run made: SGD's epochs, a search's evaluations."""
    return float(result.info.get("epochs", result.nfev))


def _point(result) -> tuple:
    return (_passes_of(result),
            float(result.info.get("test_accuracy", np.nan)), float(result.fun))


def passes_to(curve: dict, target: float) -> float:
    """The passes a run took until the test accuracy of its best weights first reached
    ``target`` (read at its checkpoints), or infinity."""
    hit = np.flatnonzero(np.asarray(curve["test_accuracy"]) >= target)
    return float(curve["passes"][hit[0]]) if hit.size else float("inf")


# --- statistics --------------------------------------------------------------------------------
def _runs(records) -> dict:
    """``{optimizer entry: {initializer: [extra of each seed, in replicate order]}}``."""
    out = {}
    for r in sorted(records, key=lambda r: r["replicate"]):
        out.setdefault(r["optimizer"], {}).setdefault(r["init"], []).append(r["extra"])
    return {entry: {i: out[entry][i] for i in _INIT_LABELS if i in out[entry]}
            for entry in _OPTIMIZERS if entry in out}


def _at(curve: dict, key: str, grid) -> np.ndarray:
    """``curve[key]`` of the best weights so far at each number of passes in ``grid``; NaN
    before the first checkpoint and beyond the run's budget."""
    passes = np.asarray(curve["passes"])
    values = np.asarray(curve[key], dtype=float)
    index = np.searchsorted(passes, grid, side="right") - 1
    out = values[np.maximum(index, 0)]
    out[(index < 0) | (np.asarray(grid) > passes[-1] * (1 + 1e-9))] = np.nan
    return out


def _band(extras, grid) -> dict:
    """Median and interquartile band over seeds of the test accuracy and training loss (NaN
    where a run has no value: beyond SGD's budget)."""
    out = {}
    for key in ("test_accuracy", "train_loss"):
        values = np.array([_at(e["curve"], key, grid) for e in extras])
        low, median, high = np.percentile(values, [25, 50, 75], axis=0)
        out[key] = {"median": median.tolist(), "low": low.tolist(), "high": high.tolist()}
    return out


def _cell(extras, epochs) -> dict:
    """One (optimizer, initializer): final test accuracy (median, bootstrap interval, IQR),
    the median test accuracy after ``_EARLY`` and ``epochs`` passes, and the passes to reach
    ``_TARGET``."""
    final = np.array([e["test_accuracy"] for e in extras])
    early, equal = np.array([_at(e["curve"], "test_accuracy", [_EARLY, epochs])
                             for e in extras]).T
    reach = np.array([passes_to(e["curve"], _TARGET) for e in extras])
    q25, q75 = np.percentile(final, [25, 75])
    return {"final": float(np.median(final)), "ci": list(bootstrap_band(final)),
            "iqr": [float(q25), float(q75)], "values": final.tolist(),
            "early": float(np.median(early)), "at_epochs": float(np.median(equal)),
            "passes": float(np.median(reach)),
            "reached": float(np.mean(np.isfinite(reach))),
            "final_loss": float(np.median([e["train_loss"] for e in extras])),
            "budget": float(np.median([e["passes"] for e in extras])), "seeds": len(extras)}


# --- text --------------------------------------------------------------------------------------
def _passes_text(cell) -> str:
    reached = f"{round(cell['reached'] * cell['seeds'])} of {cell['seeds']} seeds reach it"
    if not np.isfinite(cell["passes"]):
        return f"never for the median seed ({reached})"
    return f"{_number(cell['passes'])} passes ({reached})"


def _markdown(table, chance, epochs, evaluations, inits, numbers) -> str:
    cost = numbers["epoch_cost"]
    seeds, size = numbers["seeds"], numbers["sizes"]
    header = (f"| optimizer ({_INIT_LABELS[_REFERENCE]} start) | passes made | test accuracy "
              f"after {_EARLY} passes | after {epochs} | final test accuracy (95% bootstrap "
              f"interval) | final training loss | passes to {_TARGET:.0%} test accuracy |")
    lines = [header, "|---|---|---|---|---|---|---|"]
    for entry, by_init in table.items():
        c = by_init.get(_REFERENCE)
        if c is None:
            continue
        lines.append(f"| {_OPTIMIZERS[entry][2]} | {_number(c['budget'])} | "
                     f"{_accuracy(c['early'])} | {c['at_epochs']:.3f} | {c['final']:.3f} "
                     f"[{c['ci'][0]:.3f}, {c['ci'][1]:.3f}] | {c['final_loss']:.3f} | "
                     f"{_passes_text(c)} |")
    matrix = ["| optimizer | " + " | ".join(_INIT_LABELS[i] for i in inits) + " |",
              "|---|" + "---|" * len(inits)]
    for entry, by_init in table.items():
        matrix.append(f"| {_short(entry)} | " + " | ".join(
            f"{by_init[i]['final']:.3f}" if i in by_init else "" for i in inits) + " |")
    return (
        f"Two moons (noise 0.2; {size['train']} points for training, {size['test']} for "
        f"testing), one {_NETWORK} network with a sigmoid output ({size['dim']} weights in "
        "[-10, 10]), the objective its cross-entropy on all the training data. Every optimizer "
        f"searches the same {size['dim']} weights, {seeds} seeds each; a seed draws the "
        "initial weights and the optimizer's random choices. The library's default settings, "
        "except SGD's learning rate and random search's batch (which only sets how finely "
        "its curve is recorded).\n\n"
        "**How the budgets compare.** A full-loss evaluation of the gradient-free searches is "
        f"one pass over the {size['train']} training samples (a forward pass each); SGD's "
        f"budget counts sample-gradients, so an epoch ({size['train']} sample-gradients in "
        f"minibatches of {_BATCH}) is one pass too. The x axis is passes over the training "
        f"data: SGD's epochs, the searches' evaluations. SGD gets {epochs} epochs, the "
        f"searches {evaluations:,} evaluations ({evaluations // epochs} times as many "
        "passes). Counting a pass of sample-gradients as one pass flatters SGD by the cost of "
        f"backpropagation (measured on this machine: the gradient of every training sample "
        f"takes {cost['gradient']:.2f} times as long as the full loss, a forward pass), and "
        "SGD's evaluation of the full loss after each epoch (to keep its best weights, as the "
        "searches do) is not charged either: an SGD epoch costs "
        f"{cost['with_loss']:.2f} forward passes (`weights-cost.json`: {cost['method']}). "
        "Accuracy is that of the best weights so far (lowest "
        "training loss), read at the runs' checkpoints (100 per run, log-spaced, about 13% "
        f"apart), so a pass count is an upper bound by that much. Chance: {chance:.3f} (the "
        "commonest class of the test set); *none yet*: the genetic algorithm has not "
        "finished evaluating its first generation.\n\n"
        + "\n".join(lines)
        + f"\n\nThe same network from each initializer: median final test accuracy (each "
          f"optimizer at its own budget: SGD {epochs} passes, the others "
          f"{evaluations:,}).\n\n" + "\n".join(matrix))


def _findings(table, chance, epochs, evaluations, inits, n_test, cost) -> list[Finding]:
    ref = {entry: by_init[_REFERENCE] for entry, by_init in table.items()}
    searches = [e for e in SEARCHES if e in ref]
    findings = [_equal_passes(ref, searches, chance, epochs), _speed(ref, searches, cost),
                _final(ref, searches, epochs, evaluations, n_test)]
    if "zeros" in inits:
        findings.append(_zeros(table, ref, searches, chance))
    if len(inits) > 1:
        findings.append(_initializers(table, searches, inits))
    return findings


def _equal_passes(ref, searches, chance, epochs) -> Finding:
    """A search with no result yet after ``_EARLY`` passes (the GA before its first
    generation is evaluated) counts as behind."""
    sgd = ref["sgd"]

    def early(e):
        value = ref[e]["early"]
        return (f"{value:.3f} for {_short(e)}" if np.isfinite(value) else
                f"nothing yet for {_short(e)} (its first batch is not evaluated)")

    best = max(searches, key=lambda e: np.nan_to_num(ref[e]["early"], nan=-1.0))
    others = [early(e) for e in [*searches, "random"] if e != best and e in ref]
    level = [_short(e) for e in ref if e != "sgd" and ref[e]["at_epochs"] >= sgd["at_epochs"]]
    behind = [f"{_short(e)} ({ref[e]['at_epochs']:.3f})" for e in ref
              if e != "sgd" and _short(e) not in level]
    late = f"after {epochs} passes (SGD's whole budget) SGD is at {sgd['at_epochs']:.3f}"
    if level:
        late += f"; {' and '.join(level)} {'has' if len(level) == 1 else 'have'} caught up"
        late += f", {', '.join(behind)} not" if behind else ""
    else:
        late += f", still ahead of {', '.join(behind)}"
    return Finding(
        f"After {_EARLY} passes over the training data SGD's median test accuracy is "
        f"{sgd['early']:.3f}, against {early(best)}, the best of hill climbing, annealing and "
        f"the GA, {', '.join(others)} (chance {chance:.3f}); {late}.",
        holds=all(not ref[e]["early"] >= sgd["early"] and sgd["at_epochs"] >= ref[e]["at_epochs"]
                  for e in ref if e != "sgd"))


def _speed(ref, searches, cost) -> Finding:
    sgd = ref["sgd"]
    fastest = min(searches, key=lambda e: (ref[e]["passes"], -ref[e]["reached"]))
    ratio = ref[fastest]["passes"] / sgd["passes"] if np.isfinite(sgd["passes"]) else np.nan
    others = [f"{_short(e)} {_passes_text(ref[e])}" for e in [*searches, "random"]
              if e != fastest and e in ref]
    if ratio > cost:
        verdict = (f" More than the {cost:.1f} forward passes an SGD epoch was measured to "
                   "cost: SGD buys more test accuracy per unit of computation, not only per "
                   "pass.")
    elif np.isfinite(ratio):
        verdict = (f" Within the {cost:.1f} forward passes an SGD epoch was measured to cost: "
                   "SGD's lead in passes is not one in computation.")
    else:
        verdict = ""
    return Finding(
        f"SGD reaches {_TARGET:.0%} test accuracy in a median of {_passes_text(sgd)}; the "
        f"fastest gradient-free search, {_short(fastest)}, needs {_passes_text(ref[fastest])}"
        + (f", {ratio:.1f} times as many" if np.isfinite(ratio) else "")
        + f"; {'; '.join(others)}.{verdict}", holds=bool(ratio > cost), key="speed")


def _final(ref, searches, epochs, evaluations, n_test) -> Finding:
    sgd = ref["sgd"]
    end = max(ref, key=lambda e: ref[e]["final"])
    tied = [_short(e) for e in ref if e != end and ref[e]["final"] == ref[end]["final"]]
    close = min(ref[e]["final"] for e in searches) >= sgd["final"] - 1.0 / n_test - 1e-9
    return Finding(
        f"Each at its own budget ({epochs} passes for SGD, {evaluations:,} for the others), the "
        f"highest median final test accuracy is {_short(end)}'s, {ref[end]['final']:.3f} "
        f"[{ref[end]['ci'][0]:.3f}, {ref[end]['ci'][1]:.3f}]"
        + (f" (tied with {' and '.join(tied)})" if tied else "") + "; "
        + ", ".join(f"{_short(e)} {ref[e]['final']:.3f}" for e in ref
                    if e != end and _short(e) not in tied)
        + f". Given {evaluations // epochs} times the passes, hill climbing, annealing and the "
        + ("GA all come within one test point" if close else "GA do not all come within one "
           "test point") + f" (1/{n_test}) of SGD; their median training loss ends at "
        + ", ".join(f"{ref[e]['final_loss']:.3f}" for e in searches)
        + f", SGD's at {sgd['final_loss']:.3f}.")


def _zeros(table, ref, searches, chance) -> Finding:
    zero = {entry: by_init["zeros"] for entry, by_init in table.items()}
    stuck = zero["sgd"]["final"] <= chance + 0.02
    free = min(zero[e]["final"] for e in searches) > chance + 0.3
    why = ("every hidden unit outputs 0, so no weight into or out of the hidden layer gets a "
           "gradient (only the output bias could, which moves no boundary) and SGD never "
           "leaves that point" if stuck else
           "SGD leaves the all-zero point after all")
    same = (f"; random search evaluates that same point over and over "
            f"({zero['random']['final']:.3f})" if "random" in zero else "")
    return Finding(
        f"From all-zero weights SGD ends at a median test accuracy of {zero['sgd']['final']:.3f} "
        f"(chance {chance:.3f}): {why}{same}. The searches' random steps "
        + ("break the symmetry" if free else "do not get them far either")
        + ": from zeros hill climbing, annealing and the GA reach "
        + ", ".join(f"{zero[e]['final']:.3f}" for e in searches)
        + f" (from {_INIT_LABELS[_REFERENCE]}: "
        + ", ".join(f"{ref[e]['final']:.3f}" for e in searches) + ").",
        holds=stuck and free)


def _initializers(table, searches, inits) -> Finding:
    def span(by_init, keep):
        finals = [c["final"] for i, c in by_init.items() if i in keep]
        return max(finals) - min(finals)

    drawn = [i for i in inits if i != "zeros" and i in table["sgd"]]
    spread = {entry: span(by_init, inits) for entry, by_init in table.items()}
    widest = max(spread[e] for e in searches)
    text = (f"Across {len(inits)} initializers SGD's median final test accuracy spans "
            f"{spread['sgd']:.3f}, against at most {widest:.3f} for hill climbing, annealing "
            "and the GA (" + ", ".join(f"{_short(e)} {spread[e]:.3f}" for e in searches)
            + "): the initializer " + ("matters more" if spread["sgd"] > widest else
                                       "does not matter more") + " to SGD")
    if len(drawn) > 1:
        without = {entry: span(by_init, drawn) for entry, by_init in table.items()}
        speeds = {i: table["sgd"][i]["passes"] for i in drawn}
        slow, fast = max(speeds, key=speeds.get), min(speeds, key=speeds.get)
        text += (f" (without the zero start: SGD {without['sgd']:.3f}, the searches at most "
                 f"{max(without[e] for e in searches):.3f}). Among random starts it sets SGD's "
                 f"speed: {_count(speeds[fast])} to {_TARGET:.0%} test accuracy from "
                 f"{_INIT_LABELS[fast]}, {_count(speeds[slow])} from {_INIT_LABELS[slow]}")
    return Finding(text + ".", holds=spread["sgd"] > widest)


def _count(passes: float) -> str:
    return f"{_number(passes)} passes" if np.isfinite(passes) else "never (median seed)"


def _accuracy(value: float) -> str:
    return f"{value:.3f}" if np.isfinite(value) else "none yet"


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 1_000 else fmt(value)


STUDY = WeightsStudy()
