"""Study *minima*: networks trained from different seeds end in different minima, and many of
the differences are only a reordering of their hidden units.

A 2-16-16-1 ReLU network learns the two moons with SGD from every seed. For each pair of
solutions, the training loss along the straight line between them is measured before and after
the hidden units of the second are permuted to match the first (correlation of activations,
``linear_sum_assignment``); the plane through three solutions and a slice along Li et al.'s
(2018) filter-normalized random directions show the landscape around them.
"""
from __future__ import annotations

import itertools

import numpy as np

from ._base import Finding, Study, bootstrap_band, fmt
from ._networks import epochs_budget
from ._permutation import (barrier, filter_normalized, interpolate, loss_at, match_units,
                           permute_units, plane)

__all__ = ["STUDY", "measure"]

_NETWORK, _HIDDEN, _ACTIVATION, _EPOCHS = "moons-mlp", [16, 16], "relu", 100
_ALPHAS = np.linspace(0.0, 1.0, 26)


def measure(problem, optimizer, init, task):
    """One SGD run with the task's seed, and the weights it ends with (a suite measure)."""
    result = optimizer.run(problem, task.budget, rng=task.seed, init=init,
                           history=task.history)
    report = problem.report(result.x)
    return result, {"weights": [float(v) for v in result.x],
                    "train_loss": report["train_loss"],
                    "test_accuracy": report["test_accuracy"]}


class MinimaStudy(Study):
    name = "minima"
    headline_key = "after-the-hidden-units-of"       # the finding the gallery quotes
    title = "Minima: where different seeds end, and what permuting hidden units does"
    question = ("Do networks trained from different seeds end in the same minimum? Is the "
                "loss barrier between two of them real, or an artefact of the order of their "
                "hidden units?")

    def suite(self, quick: bool) -> dict:
        params = {"hidden": _HIDDEN, "activation": _ACTIVATION}
        return {
            "suite": {"seed": 2018, "seeds": 4 if quick else 12, "history": 2,
                      "budget": epochs_budget(_NETWORK, _EPOCHS, **params),
                      "measure": "stochsearch.studies.minima:measure"},
            "optimizers": {"sgd": {"optimizer": "sgd", "label": "SGD (0.1, minibatch 32)",
                                   "params": {"learning_rate": 0.1, "batch_size": 32}}},
            "problems": {"moons": {"problem": _NETWORK, "params": params,
                                   "label": "2-16-16-1 ReLU on the two moons"}},
            "initializers": {"glorot_uniform": {}},
        }

    def analyze(self, records, figures, quick):
        from ..registry import PROBLEMS
        from ._minima_plots import plot_interpolation, plot_planes, plot_random_slice

        records = sorted(records, key=lambda r: r["replicate"])
        problem = PROBLEMS.get(_NETWORK)(hidden=_HIDDEN, activation=_ACTIVATION)
        solutions = [np.array(r["extra"]["weights"]) for r in records]
        pairs = _pairs(problem, solutions)
        check = _self_check(problem, solutions[0])
        planes = _planes(problem, solutions[:3])
        numbers = _numbers(records, solutions, pairs, check, planes)
        plot_interpolation(_ALPHAS, pairs, check, figures / "minima-1-interpolation.png")
        plot_planes(planes, figures / "minima-2-plane.png")
        directions = [filter_normalized(problem.network, solutions[0], seed) for seed in (1, 2)]
        plot_random_slice(_random_slice(problem, solutions[0], directions),
                          figures / "minima-3-random-slice.png")
        return _findings(numbers), numbers, _markdown(numbers, quick)


# --- measurements --------------------------------------------------------------------------------
def _pairs(problem, solutions) -> list[dict]:
    net, out = problem.network, []
    for i, j in itertools.combinations(range(len(solutions)), 2):
        a, b = solutions[i], solutions[j]
        matched = permute_units(net, b, match_units(net, a, b, problem.X))
        before, after = interpolate(problem, a, b, _ALPHAS), interpolate(problem, a, matched,
                                                                          _ALPHAS)
        out.append({"pair": (i, j), "before": before, "after": after,
                    "barrier_before": barrier(_ALPHAS, before),
                    "barrier_after": barrier(_ALPHAS, after),
                    "distance_before": float(np.linalg.norm(a - b)),
                    "distance_after": float(np.linalg.norm(a - matched))})
    return out


def _self_check(problem, w, seed: int = 0) -> dict:
    """A solution against a copy of itself with its hidden units shuffled: the matching must
    recover the shuffle exactly and leave no barrier."""
    net = problem.network
    rng = np.random.default_rng(seed)
    shuffles = [rng.permutation(n) for n in net.sizes[1:-1]]
    copy = permute_units(net, w, shuffles)
    perms = match_units(net, w, copy, problem.X)
    matched = permute_units(net, copy, perms)
    before = interpolate(problem, w, copy, _ALPHAS)
    after = interpolate(problem, w, matched, _ALPHAS)
    return {"before": before, "after": after, "barrier_before": barrier(_ALPHAS, before),
            "barrier_after": barrier(_ALPHAS, after),
            "recovered": all(np.array_equal(p, np.argsort(s)) for p, s in zip(perms, shuffles)),
            "identical": bool(np.array_equal(matched, w))}


def _planes(problem, three) -> dict:
    net = problem.network
    matched = [three[0]] + [permute_units(net, w, match_units(net, three[0], w, problem.X))
                            for w in three[1:]]
    out = {}
    for name, points in (("as trained", three), ("units matched to solution 1", matched)):
        u, v, loss, coords = plane(problem, *points)
        centroid = loss_at(problem, sum(points) / 3.0)
        out[name] = {"u": u, "v": v, "loss": loss, "points": coords, "centroid": centroid,
                     "ends": [loss_at(problem, p) for p in points]}
    return out


def _random_slice(problem, w, directions, steps: int = 31, reach: float = 1.0) -> dict:
    t = np.linspace(-reach, reach, steps)
    d1, d2 = directions
    loss = np.array([[loss_at(problem, w + a * d1 + b * d2) for a in t] for b in t])
    return {"t": t, "loss": loss}


def _numbers(records, solutions, pairs, check, planes) -> dict:
    before = np.array([p["barrier_before"] for p in pairs])
    after = np.array([p["barrier_after"] for p in pairs])
    drop = before - after
    norms = [np.linalg.norm(w) for w in solutions]
    losses = [r["extra"]["train_loss"] for r in records]
    accuracies = [r["extra"]["test_accuracy"] for r in records]
    return {
        "seeds": len(solutions), "pairs": len(pairs),
        "train_loss": [float(np.median(losses)), float(min(losses)), float(max(losses))],
        "test_accuracy": [float(np.median(accuracies)), float(min(accuracies)),
                          float(max(accuracies))],
        "norm": float(np.median(norms)),
        "distance_before": float(np.median([p["distance_before"] for p in pairs])),
        "distance_after": float(np.median([p["distance_after"] for p in pairs])),
        "closer": int(sum(p["distance_after"] < p["distance_before"] for p in pairs)),
        "barrier_before": float(np.median(before)),
        "barrier_before_band": list(bootstrap_band(before)),
        "barrier_after": float(np.median(after)),
        "barrier_after_band": list(bootstrap_band(after)),
        "drop": float(np.median(drop)), "drop_band": list(bootstrap_band(drop)),
        "lower": int(np.sum(after < before)),
        "check": {k: (float(v) if k.startswith("barrier") else v) for k, v in check.items()
                  if k not in ("before", "after")},
        "centroid": {name: p["centroid"] for name, p in planes.items()},
        "plane_ends": planes["as trained"]["ends"],
    }


# --- findings ------------------------------------------------------------------------------------
def _findings(n) -> list[Finding]:
    loss, acc = n["train_loss"], n["test_accuracy"]
    low_b, high_b = n["barrier_before_band"]
    low_a, high_a = n["barrier_after_band"]
    low_d, high_d = n["drop_band"]
    check = n["check"]
    centroid = n["centroid"]
    trained, matched = centroid["as trained"], centroid["units matched to solution 1"]
    # (1 - a) w + a w is w only up to rounding: a barrier below 1e-12 is none.
    exact = check["recovered"] and check["identical"] and check["barrier_after"] < 1e-12
    return [
        Finding(
            f"The {n['seeds']} seeds reach the same quality (training loss {fmt(loss[0], 2)}, "
            f"from {fmt(loss[1], 2)} to {fmt(loss[2], 2)}; test accuracy {acc[0]:.3f}, from "
            f"{acc[1]:.3f} to {acc[2]:.3f}) at different weights: two solutions lie "
            f"{fmt(n['distance_before'], 3)} apart (median over {n['pairs']} pairs), "
            f"{n['distance_before'] / n['norm']:.2f} times the norm of a solution."),
        Finding(
            f"On the straight line between two solutions the loss rises above the line between "
            f"their losses by {fmt(n['barrier_before'], 2)} (median barrier, 95% bootstrap "
            f"interval over pairs {fmt(low_b, 2)}-{fmt(high_b, 2)}): independently trained "
            f"networks are not linearly connected (expected: a positive barrier, Frankle et "
            f"al. 2020).", low_b > 0.0),
        Finding(
            f"After the hidden units of the second network are matched to the first's (one "
            f"permutation per layer, maximizing the correlation of their activations), the "
            f"median barrier is {fmt(n['barrier_after'], 2)} (interval {fmt(low_a, 2)}-"
            f"{fmt(high_a, 2)}): lower in {n['lower']} of {n['pairs']} pairs, by "
            f"{fmt(n['drop'], 2)} (median, interval {fmt(low_d, 2)}-{fmt(high_d, 2)}), and the "
            f"solutions are {fmt(n['distance_after'], 3)} apart instead of "
            f"{fmt(n['distance_before'], 3)}. Much of the barrier comes from the order of the "
            f"units (expected: Entezari et al. 2022, Ainsworth et al. 2023; what remains "
            f"shrinks with width).", low_d > 0.0 and n["lower"] > n["pairs"] / 2),
        Finding(
            f"Check of the matching: a solution and a copy with its hidden units shuffled "
            f"compute the same function, yet the straight line between them crosses a barrier "
            f"of {fmt(check['barrier_before'], 2)}; the matching "
            + (f"recovers the shuffle exactly, the weights are then bit for bit the solution's "
               f"and the barrier is 0 up to rounding ({fmt(check['barrier_after'], 2)})."
               if exact else f"does not recover the shuffle (barrier "
                             f"{fmt(check['barrier_after'], 2)})."), exact),
        Finding(
            f"In the plane through three solutions the loss at their centroid is "
            f"{fmt(trained, 2)} as trained and {fmt(matched, 2)} with the units of the second "
            f"and third matched to the first's (the solutions' own losses: "
            f"{', '.join(fmt(v, 2) for v in n['plane_ends'])}): matching moves the three "
            f"minima towards one basin.", matched < trained),
    ]


def _markdown(n, quick) -> str:
    return (
        f"A 2-16-16-1 ReLU network learns the two moons (500 points, noise 0.2, a quarter held "
        f"out) with SGD (learning rate 0.1, minibatches of 32, {_EPOCHS} epochs) from "
        f"Glorot-uniform weights with {n['seeds']} seeds. For each of the {n['pairs']} pairs of "
        f"solutions (a, b), the training loss is measured at {_ALPHAS.size} points of the "
        f"segment (1 - α) a + α b; its *barrier* is the largest excess of the loss over the "
        f"straight line between the losses at the two ends (Frankle et al. 2020). Then the "
        f"hidden units of b are permuted, layer by layer, to maximize the summed correlation "
        f"of their activations on the training inputs with a's units "
        f"(`scipy.optimize.linear_sum_assignment`), which leaves b's function unchanged, and "
        f"the segment is measured again. Intervals are percentile bootstraps of the median "
        f"over pairs (pairs share seeds, so they are not independent: the intervals are "
        f"indicative).\n\n"
        f"The second figure cuts the landscape by the plane through three solutions (solution "
        f"1 at the origin, orthonormal axes), as trained and after matching; the third looks "
        f"around solution 1 along two random directions normalized per unit as Li et al. "
        f"(2018) do per filter (each unit's incoming weights scaled to that unit's norm in the "
        f"solution, biases not moved), where nothing of the other minima is seen."
        + ("\n\nThe quick run trains 4 seeds." if quick else ""))


STUDY = MinimaStudy()
