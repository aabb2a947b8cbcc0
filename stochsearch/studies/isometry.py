"""Study *isometry*: the singular values of a deep network's input-output Jacobian at
initialization, Gaussian against orthogonal weights, linear and tanh, as the depth grows (Saxe
et al. 2014; Pennington et al. 2017), and what they do to the speed of training.

Chains of 128 units and 1 to 64 layers are drawn with each initializer and their Jacobian's
spectrum is measured at one input; chains of 16 units and 4 to 32 layers then learn a random
linear map with SGD, and the epochs they need are counted.
"""
from __future__ import annotations

import numpy as np

from ._base import Finding, Study, bootstrap_band, fmt
from ._isometry_networks import DeepChain, jacobian_singular_values
from ._networks import train_by_epoch

__all__ = ["STUDY", "DeepChain", "epochs_to", "jacobian_singular_values", "measure"]

_SPECTRUM_WIDTH, _TRAIN_WIDTH, _SAMPLES = 128, 16, 256
_SPECTRUM_DEPTHS, _QUICK_SPECTRUM_DEPTHS = (1, 2, 4, 8, 16, 32, 64), (1, 4, 16, 64)
_TRAIN_DEPTHS, _QUICK_TRAIN_DEPTHS = (4, 16, 32), (4, 16)
_EPOCHS, _RATE, _TARGET = 60, 0.01, 0.1
_ACTIVATIONS = ("linear", "tanh")
_INITS = {  # entry: (label, initializer table of the suite)
    "gaussian": ("Gaussian N(0, 1/n)", {"init": "variance_scaling",
                                        "params": {"distribution": "untruncated_normal"}}),
    "orthogonal": ("orthogonal (gain 1)", {"init": "orthogonal"}),
}


def measure(problem, optimizer, init, task):
    """The singular values of the Jacobian of ``problem``'s chain at weights drawn from
    ``init`` with the task's seed, at the first input; then, unless the budget is a single
    evaluation (nothing to train), an SGD run and its training loss after every epoch, as a
    fraction of the loss of the zero output (a suite measure)."""
    from threadpoolctl import threadpool_limits  # a dependency of scikit-learn

    from ..initialization import draw, resolve_initializer

    with threadpool_limits(1):
        w = draw(resolve_initializer(init), np.random.default_rng(task.seed), problem.space,
                 1)[0]
        extra = {"singular_values": jacobian_singular_values(problem.network, w,
                                                             problem.X[0]).tolist()}
        if task.budget == 1:
            return None, extra
        rows = []
        result = train_by_epoch(problem, optimizer, init, task,
                                lambda epoch, w, loss: rows.append((epoch, loss)))
    epoch, loss = zip(*rows)
    zero = problem.zero_loss
    return result, {**extra, "epoch": list(epoch),
                    "relative_loss": [v / zero if np.isfinite(v) else None for v in loss]}


def epochs_to(epochs, relative_loss, target: float = _TARGET) -> float:
    """The first epoch at which the training loss is at most ``target`` times that of the zero
    output (infinity: never)."""
    loss = np.array([np.inf if v is None else v for v in relative_loss], dtype=float)
    hit = np.flatnonzero(loss <= target)
    return float(epochs[hit[0]]) if hit.size else float("inf")


class IsometryStudy(Study):
    name = "isometry"
    # The suite's checks draw every initializer in this process too: one BLAS thread, as in
    # ``measure`` (a 128 x 128 QR took 0.17 s, the check of the full isometry suite 138 s).
    blas_threads = 1
    title = "Isometry: the Jacobian's singular values at initialization, and training speed"
    question = ("Does a deep network at initialization stretch some input directions and "
                "crush others? Orthogonal against Gaussian weights, linear and tanh, 1 to 64 "
                "layers: and does an even spectrum make training faster?")

    def suite(self, quick: bool) -> dict:
        spectrum = _QUICK_SPECTRUM_DEPTHS if quick else _SPECTRUM_DEPTHS
        train = _QUICK_TRAIN_DEPTHS if quick else _TRAIN_DEPTHS
        chain = "stochsearch.studies.isometry:DeepChain"
        problems = {}
        for act in _ACTIVATIONS:
            for depth in spectrum:
                problems[f"spectrum-{act}-{depth}"] = {
                    "problem": chain, "budget": 1,
                    "params": {"depth": depth, "width": _SPECTRUM_WIDTH, "activation": act,
                               "samples": 8}}
            for depth in train:
                problems[f"train-{act}-{depth}"] = {
                    "problem": chain, "budget": _EPOCHS * _SAMPLES,
                    "params": {"depth": depth, "width": _TRAIN_WIDTH, "activation": act,
                               "samples": _SAMPLES}}
        return {
            "suite": {"seed": 2017, "seeds": 3 if quick else 10, "history": 2,
                      "measure": "stochsearch.studies.isometry:measure"},
            "optimizers": {"sgd": {"optimizer": "sgd", "label": f"SGD ({_RATE}, minibatch 16)",
                                   "params": {"learning_rate": _RATE, "batch_size": 16}}},
            "problems": problems,
            "initializers": {name: {**table, "label": label}
                             for name, (label, table) in _INITS.items()},
        }

    def analyze(self, records, figures, quick):
        from ._isometry_plots import plot_spectra, plot_training

        spectra, curves = _collect(records)
        numbers = _numbers(spectra, curves)
        labels = {name: label for name, (label, _) in _INITS.items()}
        plot_spectra(spectra, labels, figures / "isometry-1-spectrum.png")
        plot_training(curves, labels, _TARGET, figures / "isometry-2-training.png")
        return _findings(numbers), numbers, _markdown(numbers, quick)


def _collect(records):
    """``spectra[(act, depth, init)]``: (seeds, width) singular values of the wide chains;
    ``curves[(act, depth, init)]``: epochs and (seeds, epochs) relative training losses."""
    spectra, curves = {}, {}
    for r in sorted(records, key=lambda r: r["replicate"]):
        kind, act, depth = r["problem"].split("-")
        key = (act, int(depth), r["init"])
        if kind == "spectrum":
            spectra.setdefault(key, []).append(r["extra"]["singular_values"])
        else:
            curves.setdefault(key, []).append(r["extra"])
    spectra = {k: np.array(v) for k, v in spectra.items()}
    return spectra, {k: _curve(v) for k, v in curves.items()}


def _curve(extras) -> dict:
    """The epochs of the longest run and each run's relative losses, a run that SGD stopped
    as diverged padded with NaN (it never reaches the target)."""
    epoch = max((e["epoch"] for e in extras), key=len)
    loss = np.full((len(extras), len(epoch)), np.nan)
    for row, e in zip(loss, extras):
        row[:len(e["relative_loss"])] = [np.nan if x is None else x for x in e["relative_loss"]]
    return {"epoch": np.array(epoch), "loss": loss,
            "epochs_to": np.array([epochs_to(e["epoch"], e["relative_loss"]) for e in extras]),
            "diverged": int(sum(len(e["epoch"]) < len(epoch) for e in extras))}


def _spread(s: np.ndarray) -> np.ndarray:
    """Per seed, the ratio of the 95th to the 5th percentile of the singular values."""
    return np.quantile(s, 0.95, axis=1) / np.quantile(s, 0.05, axis=1)


def _numbers(spectra, curves) -> dict:
    out = {"spectrum": {}, "training": {}}
    for (act, depth, init), s in spectra.items():
        spread = _spread(s)
        out["spectrum"][f"{act}|{depth}|{init}"] = {
            "seeds": int(s.shape[0]), "median": float(np.median(s)),
            "q05": float(np.quantile(s, 0.05)), "q95": float(np.quantile(s, 0.95)),
            "spread": float(np.median(spread)), "spread_band": list(bootstrap_band(spread)),
            "mean_square": float(np.mean(s ** 2)),
            "largest_deviation_from_1": float(np.max(np.abs(s - 1.0)))}
    for (act, depth, init), c in curves.items():
        hits = c["epochs_to"]
        # A run that never reaches the target counts as the slowest: the bootstrap sees it
        # past the last epoch, and a median or bound there is reported as infinite.
        band = [v if v <= _EPOCHS else float("inf")
                for v in bootstrap_band(np.minimum(hits, 2 * _EPOCHS))]
        out["training"][f"{act}|{depth}|{init}"] = {
            "seeds": int(hits.size), "epochs_to": float(np.median(hits)),
            "epochs_to_band": band,
            "reached": int(np.sum(np.isfinite(hits))), "diverged": c["diverged"],
            "final": float(np.nanmedian(c["loss"][:, -1]))}
    return out


# --- findings ------------------------------------------------------------------------------------
def _epochs(row) -> str:
    low, high = row["epochs_to_band"]
    if not np.isfinite(row["epochs_to"]):
        return f"not within {_EPOCHS} epochs ({row['reached']}/{row['seeds']} seeds reach it)"
    some = "" if row["reached"] == row["seeds"] else \
        f", {row['reached']}/{row['seeds']} seeds reach it"
    unit = "epoch" if row["epochs_to"] == 1 else "epochs"
    return f"{fmt(row['epochs_to'], 3)} {unit} (interval {fmt(low, 3)}-{fmt(high, 3)}{some})"


def _findings(n) -> list[Finding]:
    spec, train = n["spectrum"], n["training"]
    depths = sorted({int(k.split("|")[1]) for k in spec})
    deep, findings = depths[-1], []
    worst = max(spec[f"linear|{d}|orthogonal"]["largest_deviation_from_1"] for d in depths)
    findings.append(Finding(
        f"A linear chain of orthogonal layers is an isometry: every singular value of its "
        f"Jacobian is 1 at every depth from {depths[0]} to {deep} (largest deviation "
        f"{fmt(worst, 2)}, rounding; expected exactly 1, Saxe et al. 2014).", worst < 1e-8))
    gauss = [spec[f"linear|{d}|gaussian"]["spread"] for d in depths]
    findings.append(Finding(
        "With Gaussian weights of variance 1/n the same linear chain stretches and crushes: "
        "the ratio of the 95th to the 5th percentile of the singular values (median over "
        "seeds) grows with depth, "
        + ", ".join(f"{fmt(g, 3)} at {d}" for d, g in zip(depths, gauss))
        + " layers, while the mean squared singular value (1 in expectation) is "
        + ", ".join(fmt(spec[f"linear|{d}|gaussian"]["mean_square"], 2) for d in depths)
        + " (all seeds; expected: a spread that grows with depth at a mean square of 1, "
          "Pennington et al. 2017).",
        all(b > a for a, b in zip(gauss, gauss[1:]))))
    tanh_o, tanh_g = spec[f"tanh|{deep}|orthogonal"], spec[f"tanh|{deep}|gaussian"]
    above = [d for d in depths if d > 1]
    findings.append(Finding(
        f"Through tanh (weights of variance 1/n, zero biases: the critical point) orthogonal "
        f"weights stay close to isometry: at {deep} layers the singular values lie between "
        f"{fmt(tanh_o['q05'], 2)} and {fmt(tanh_o['q95'], 2)} (5th to 95th percentile, a "
        f"ratio of {fmt(tanh_o['spread'], 3)}) against {fmt(tanh_g['q05'], 2)} to "
        f"{fmt(tanh_g['q95'], 2)} (a ratio of {fmt(tanh_g['spread'], 3)}) with Gaussian "
        f"weights (expected: orthogonal narrower at every depth above 1, Pennington et al. "
        f"2017).", all(spec[f"tanh|{d}|orthogonal"]["spread_band"][1]
                       < spec[f"tanh|{d}|gaussian"]["spread_band"][0] for d in above)))
    tdepths = sorted({int(k.split("|")[1]) for k in train})
    tdeep = tdepths[-1]
    for act in _ACTIVATIONS:
        o, g = train[f"{act}|{tdeep}|orthogonal"], train[f"{act}|{tdeep}|gaussian"]
        findings.append(Finding(
            f"Training {tdeep} {act} layers of {_TRAIN_WIDTH} to {_TARGET:g} of the zero "
            f"output's loss takes {_epochs(o)} from orthogonal weights and {_epochs(g)} from "
            f"Gaussian ones (expected: faster from orthogonal, "
            + ("Saxe et al. 2014)." if act == "linear" else "Pennington et al. 2017)."),
            o["epochs_to_band"][1] < g["epochs_to_band"][0]))
    rows = {i: [train[f"linear|{d}|{i}"]["epochs_to"] for d in tdepths] for i in _INITS}
    findings.append(Finding(
        "With depth, linear chains from Gaussian weights slow down ("
        + ", ".join(f"{fmt(e, 3)} epochs at {d}" for d, e in zip(tdepths, rows["gaussian"]))
        + " layers) while orthogonal ones do not ("
        + ", ".join(f"{fmt(e, 3)} at {d}" for d, e in zip(tdepths, rows["orthogonal"]))
        + "): Saxe et al.'s depth-independent learning time with orthogonal starts.",
        rows["gaussian"][-1] > rows["gaussian"][0]
        and rows["orthogonal"][-1] <= rows["orthogonal"][0]))
    return findings


def _markdown(n, quick) -> str:
    spec, train = n["spectrum"], n["training"]
    depths = sorted({int(k.split("|")[1]) for k in spec})
    tdepths = sorted({int(k.split("|")[1]) for k in train})
    seeds = next(iter(spec.values()))["seeds"]
    lines = ["| activation | weights | " + " | ".join(f"{d}" for d in depths) + " |",
             "|---|---|" + "---|" * len(depths)]
    for act in _ACTIVATIONS:
        for init, (label, _) in _INITS.items():
            lines.append(f"| {act} | {label} | " + " | ".join(
                f"{fmt(spec[f'{act}|{d}|{init}']['spread'], 3)}" for d in depths) + " |")
    rows = ["| activation | weights | " + " | ".join(f"{d} layers" for d in tdepths) + " |",
            "|---|---|" + "---|" * len(tdepths)]
    for act in _ACTIVATIONS:
        for init, (label, _) in _INITS.items():
            rows.append(f"| {act} | {label} | " + " | ".join(
                fmt(train[f"{act}|{d}|{init}"]["epochs_to"], 3) for d in tdepths) + " |")
    return (
        f"**Spectrum.** Chains of {', '.join(map(str, depths))} layers of {_SPECTRUM_WIDTH} "
        f"units (zero biases) are drawn with {seeds} seeds from each initializer: Gaussian "
        f"weights N(0, 1/n) (`variance_scaling`, untruncated) and orthogonal ones (gain 1), "
        f"both of variance 1/n, the critical scale for tanh without biases. At one input "
        f"x ~ N(0, I), the Jacobian of the last layer's activations with respect to x is the "
        f"product of the weight matrices and the diagonal matrices of tanh's slopes "
        f"(Pennington et al. 2017). The table gives the ratio of the 95th to the 5th "
        f"percentile of its {_SPECTRUM_WIDTH} singular values (median over seeds): 1 is an "
        f"isometry. Singular values below about 1e-16 of the largest are at float64's rounding "
        f"floor, so ratios beyond about 1e15 are lower bounds.\n\n" + "\n".join(lines) + "\n\n"
        f"**Training.** Chains of {', '.join(map(str, tdepths))} layers of {_TRAIN_WIDTH} "
        f"units with a linear output of 4 units learn y = x A (a random teacher A, {_SAMPLES} "
        f"inputs x ~ N(0, I), squared error) with SGD (learning rate {_RATE}, minibatches of "
        f"16) for {_EPOCHS} epochs. The table gives the epochs until the training loss of the "
        f"current weights falls to {_TARGET:g} of the loss of the zero output (median over "
        f"seeds; inf: not within {_EPOCHS} epochs); intervals in the findings are percentile "
        f"bootstraps of the median over seeds.{_diverged(train)}\n\n" + "\n".join(rows)
        + ("\n\nThe quick run draws fewer depths and seeds." if quick else ""))


def _diverged(train) -> str:
    runs = {k: row["diverged"] for k, row in train.items() if row["diverged"]}
    if not runs:
        return ""
    return (" SGD stopped " + ", ".join(f"{n} run{'s' if n > 1 else ''} of "
                                          f"{k.replace('|', ' ')}" for k, n in runs.items())
            + " as diverged: they count as never reaching the target.")


STUDY = IsometryStudy()
