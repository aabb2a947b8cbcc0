"""Study *signal*: how activations and back-propagated gradients look, layer by layer, in a
deep network at initialization, for each way of drawing its random weights.

Three settings: Glorot and Bengio's (2010) five tanh layers of 1000 units on 32x32 images of
shapes, with their "standard" and "normalized" initializations; ten tanh layers across the
common choices; and He et al.'s (2015) thirty ReLU layers with variance 1/n against 2/n. LSUV and
orthogonal weights join the last two.
"""
from __future__ import annotations

import math

import numpy as np

from ..initialization import draw, resolve_initializer
from ..nn import layer_statistics
from ._base import Finding, Study, fmt
from ._signal_networks import DeepNetwork, shapeset
from ._signal_plots import plot_layers

__all__ = ["STUDY", "DeepNetwork", "measure", "shapeset"]


def measure(problem, optimizer, init, task):
    """The statistics of every layer of ``problem``'s network at weights drawn from ``init``
    with the task's seed (a suite measure; nothing is trained)."""
    from threadpoolctl import threadpool_limits  # a dependency of scikit-learn

    rng = np.random.default_rng(task.seed)
    # One BLAS thread: the orthogonal QR and LSUV's passes run in as many worker processes
    # as there are cores, and OpenBLAS threads spinning against each other on a busy machine
    # made an orthogonal draw about 40 times slower.
    with threadpool_limits(1):
        w = draw(resolve_initializer(init), rng, problem.space, 1)[0]
        layers = layer_statistics(problem.network, w, problem.X, problem.y)
    sizes = problem.network.sizes
    for facts, n_in, n_out in zip(layers, sizes[:-1], sizes[1:]):
        facts["weight_gradient_mean_square"] = facts.pop("weight_gradient_norm") ** 2 / (
            n_in * n_out)
    return None, {"layers": layers}


# --- the study -----------------------------------------------------------------------------------
_HE_VANISHING = 2.0 ** -14.5     # He et al.: variance 1/n halves the variance at each ReLU layer
_INITS = {  # entry: (label, initializer table)
    "standard": ("standard U(±1/√n)", {"init": "standard"}),
    "normalized": ("normalized (glorot_uniform)", {"init": "glorot_uniform"}),
    "normal-0.01": ("N(0, 0.01²)", {"init": "random_normal", "params": {"stddev": 0.01}}),
    "normal-1": ("N(0, 1)", {"init": "random_normal", "params": {"stddev": 1.0}}),
    "pytorch": ("PyTorch default U(±1/√n), biases too", {"init": "pytorch"}),
    "lecun": ("lecun_normal (variance 1/n)", {"init": "lecun_normal"}),
    "he": ("he_normal (variance 2/n)", {"init": "he_normal"}),
    "lsuv": ("LSUV (orthogonal, then unit variance per layer)", {"init": "lsuv"}),
    "orthogonal": ("orthogonal (gain 1)", {"init": "orthogonal"}),
}
_GROUPS = {  # figure: (title, problems, initializers)
    "glorot": ("Glorot and Bengio (2010): 5 tanh layers of 1000 units",
               ["glorot-raw", "glorot"], ["standard", "normalized"]),
    "tanh": ("10 tanh layers of 256 units", ["tanh-10"],
             ["normal-0.01", "normal-1", "pytorch", "normalized", "lecun", "orthogonal",
              "lsuv"]),
    "relu": ("He et al. (2015): 30 ReLU layers of 256 units", ["relu-30"],
             ["lecun", "he", "orthogonal", "lsuv"]),
}
_METRICS = [  # (statistic, panel title, y axis, log scale)
    ("activation_std", "activation standard deviation", "std of the activations", True),
    ("delta_variance", "variance of the back-propagated gradient",
     "variance of d loss / d pre-activation", True),
    ("weight_gradient_mean_square", "mean square of the weight gradient",
     "mean square of d loss / d weight", True),
    ("saturated", "fraction of saturated units (slope < 0.05)", "fraction of the units", False)]


class SignalStudy(Study):
    name = "signal"
    gallery_figure = "signal-1-glorot.png"
    title = "Signal: activations and gradients through deep networks at initialization"
    question = ("Random weights must be random at the right scale: how does each common "
                "initialization carry the signal forward and the gradient backward through "
                "5, 10 and 30 layers?")

    def suite(self, quick: bool) -> dict:
        # Statistics pool samples and units: 64 or 128 images x 256 to 1000 units per layer.
        samples = 64 if quick else 128

        def network(depth, width, activation, inputs="standardized"):
            return {"problem": "stochsearch.studies.signal:DeepNetwork",
                    "params": {"depth": depth, "width": width, "activation": activation,
                               "inputs": inputs, "samples": samples}}

        problems = {"glorot-raw": network(5, 1000, "tanh", "raw"),
                    "glorot": network(5, 1000, "tanh"),
                    "tanh-10": network(10, 256, "tanh"),
                    "relu-30": network(30, 256, "relu")}
        if quick:
            del problems["glorot-raw"]
        return {
            "suite": {"seed": 2010, "seeds": 3 if quick else 10, "budget": 1, "history": 2,
                      "measure": "stochsearch.studies.signal:measure"},
            # Nothing is trained: the optimizer only completes the suite's grid.
            "optimizers": {"init-only": {"optimizer": "sgd", "params": {"batch_size": None},
                                         "label": "weights at initialization"}},
            "problems": problems,
            "initializers": {name: {**table, "label": label}
                             for name, (label, table) in _INITS.items()},
            # LSUV's passes through 30 layers are the slowest draw: the quick run keeps it on
            # the 10 tanh layers only.
            "grid": [{"name": name, "problems": [p for p in group if p in problems],
                      "initializers": [i for i in inits
                                       if not (quick and name == "relu" and i == "lsuv")]}
                     for name, (_, group, inits) in _GROUPS.items()],
        }

    def run(self, **options):
        # The suite's checks draw every initializer in this process too (see ``measure``).
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1):
            return super().run(**options)

    def analyze(self, records, figures, quick):
        cells = _cells(records)
        for index, (group, (title, problems, inits)) in enumerate(_GROUPS.items(), start=1):
            metrics = _METRICS if group == "tanh" else _METRICS[:3]
            labels = {init: _INITS[init][0] for init in inits}
            plot_layers(cells, problems, inits, labels, metrics, title,
                        figures / f"signal-{index}-{group}.png")
        numbers = _numbers(cells)
        samples = records[0]["problem_params"]["samples"]
        return _findings(numbers), numbers, _markdown(numbers, samples)


def _cells(records) -> dict:
    """``{(problem, init): {metric: (seeds, layers) array}}``, hidden layers only."""
    grouped = {}
    for r in sorted(records, key=lambda r: r["replicate"]):
        grouped.setdefault((r["problem"], r["init"]), []).append(
            [layer for layer in r["extra"]["layers"] if layer["hidden"]])
    return {key: {m: np.array([[layer[m] for layer in layers] for layers in runs])
                  for m in ("activation_std", "preactivation_std", "delta_variance",
                            "weight_gradient_mean_square", "saturated")}
            for key, runs in grouped.items()}


def _numbers(cells) -> dict:
    """Per (problem, init), medians over seeds of the first-to-last-layer ratios."""
    out = {}
    for (problem, init), c in cells.items():
        std, delta = c["activation_std"], c["delta_variance"]
        ratio = std[:, -1] / std[:, 0]
        out[f"{problem}|{init}"] = {
            "layers": int(std.shape[1]), "seeds": int(std.shape[0]),
            "std_first": float(np.median(std[:, 0])), "std_last": float(np.median(std[:, -1])),
            "std_low": float(np.median(std, axis=0).min()),
            "std_high": float(np.median(std, axis=0).max()),
            "std_ratio": float(np.median(ratio)), "std_ratio_min": float(ratio.min()),
            "std_ratio_max": float(ratio.max()),
            "gradient_ratio": float(np.median(delta[:, 0] / delta[:, -1])),
            "weight_gradient_ratio": float(np.median(c["weight_gradient_mean_square"][:, 0]
                                                     / c["weight_gradient_mean_square"][:, -1])),
            "preactivation_std_first": float(np.median(c["preactivation_std"][:, 0])),
            "saturated_last": float(np.median(c["saturated"][:, -1])),
            "saturated_mean": float(np.median(c["saturated"].mean(axis=1)))}
    return out


#: Glorot and Bengio (2010), section 4.2: in a linear network the variance of the
#: back-propagated gradient changes by n Var[W] per layer, 1/3 with the standard U(±1/√n)
#: (so (1/3)^4 from layer 5 to layer 1) and 1 with the normalized initialization.
_GLOROT_STANDARD, _GLOROT_NORMALIZED = (1 / 3) ** 4, 1.0


def _near(value: float, expected: float, factor: float = 2.0) -> bool:
    """Whether ``value`` lies within a factor ``factor`` of ``expected``."""
    return expected / factor <= value <= expected * factor


# --- findings ------------------------------------------------------------------------------------
def _findings(numbers) -> list[Finding]:
    findings = []

    def get(problem, init):
        return numbers.get(f"{problem}|{init}")

    standard, normalized = get("glorot", "standard"), get("glorot", "normalized")
    if standard and normalized:
        findings.append(Finding(
            f"In Glorot and Bengio's setting (five tanh layers of 1000 units, standardized "
            f"images), the variance of the back-propagated gradient in layer 1 is "
            f"{fmt(standard['gradient_ratio'], 2)} of that in layer 5 with the standard "
            f"initialization (Glorot and Bengio's theory, for the linear regime: n Var[W] = 1/3 "
            f"per layer, (1/3)^4 = {fmt(_GLOROT_STANDARD, 2)}) and "
            f"{fmt(normalized['gradient_ratio'], 2)} with the normalized one (their theory: "
            f"{_GLOROT_NORMALIZED:g}, the variance kept from layer to layer)"
            + ("." if _near(normalized["gradient_ratio"], _GLOROT_NORMALIZED) else
               f": the normalized ratio is {fmt(normalized['gradient_ratio'], 2)}, not "
               f"{_GLOROT_NORMALIZED:g}, because with standardized images the tanh units leave "
               "the linear regime the theory assumes (next finding)."),
            _near(standard["gradient_ratio"], _GLOROT_STANDARD, 3.0)
            and _near(normalized["gradient_ratio"], _GLOROT_NORMALIZED)))
        findings.append(Finding(
            f"The weight gradients do not show it: the shrinking back-propagated gradient is "
            f"multiplied by activations that grow towards the input, so with the standard "
            f"initialization the mean square of the weight gradient of layer 1 is "
            f"{standard['weight_gradient_ratio']:.2f} times that of layer 5, while the "
            f"activation std falls by a factor {fmt(1 / standard['std_ratio'], 2)} from "
            f"layer 1 to layer 5 (Glorot and Bengio's observation).",
            1 / 3 < standard["weight_gradient_ratio"] < 3))
    raw_s, raw_n = get("glorot-raw", "standard"), get("glorot-raw", "normalized")
    if raw_s and raw_n and normalized:
        findings.append(Finding(
            f"The normalized ratio depends on the input scale: with raw grey levels the first "
            f"layer's pre-activations have std {fmt(raw_n['preactivation_std_first'], 2)} "
            f"(against {fmt(normalized['preactivation_std_first'], 2)} for standardized "
            f"images), the tanh layers work near their linear part, and the ratios become "
            f"{fmt(raw_s['gradient_ratio'], 2)} (standard) and "
            f"{fmt(raw_n['gradient_ratio'], 2)} (normalized): "
            + ("the normalized initialization then keeps the gradient nearly constant, and "
               "tanh's slope below 1 at unit-variance inputs is what brings it down to "
               f"{fmt(normalized['gradient_ratio'], 2)}."
               if raw_n["gradient_ratio"] > normalized["gradient_ratio"] else
               "lower than with standardized images."),
            _near(raw_s["gradient_ratio"], _GLOROT_STANDARD, 3.0)
            and _near(raw_n["gradient_ratio"], _GLOROT_NORMALIZED)))
    findings += _tanh_findings(numbers)
    findings += _relu_findings(numbers)
    return findings


def _tanh_findings(numbers) -> list[Finding]:
    rows = {init: numbers[f"tanh-10|{init}"] for init in _GROUPS["tanh"][2]
            if f"tanh-10|{init}" in numbers}
    if not rows:
        return []
    out = []
    small, big, torch = rows.get("normal-0.01"), rows.get("normal-1"), rows.get("pytorch")
    steps = next(iter(rows.values()))["layers"] - 1
    if small:
        out.append(Finding(
            f"Ten tanh layers from N(0, 0.01²): the activations fade to std "
            f"{fmt(small['std_last'], 2)} by layer 10 ({fmt(small['std_ratio'], 2)} of "
            f"layer 1, a factor {small['std_ratio'] ** (1 / steps):.3f} per layer): each layer "
            f"multiplies them by about 0.01 √256 = 0.16.", small["std_ratio"] < 1e-3))
    if big:
        out.append(Finding(
            f"From N(0, 1), {big['saturated_mean']:.0%} of the units are saturated (slope "
            f"below 0.05) and the gradient variance of layer 1 is "
            f"{fmt(big['gradient_ratio'], 2)} times that of layer 10: "
            + ("it explodes towards the input (256 inputs of unit weight outweigh the flat "
               "slopes)." if big["gradient_ratio"] > 1 else "it vanishes through the flat "
                                                            "slopes."),
            big["saturated_mean"] > 0.5))
    if torch:
        # Near the linear regime the pre-activation variance follows q' = q / 3 + 1 / (3 n),
        # whose fixed point is 1 / (2 n): the biases, not the weights, keep the signal alive.
        settle = math.sqrt(1.0 / (2 * 256))
        out.append(Finding(
            f"PyTorch's default for linear layers, U(±1/√n) (variance 1/(3n), a third of what "
            f"keeps the variance) for the weights and the biases, shrinks the activations from "
            f"std {fmt(torch['std_first'], 2)} to {fmt(torch['std_last'], 2)} over ten tanh "
            f"layers, where the biases hold them (√(1/(2n)) = {fmt(settle, 2)} near the linear "
            f"regime), and the gradient variance of layer 1 is "
            f"{fmt(torch['gradient_ratio'], 2)} of layer 10's ((1/3)^{steps} = "
            f"{fmt(3.0 ** -steps, 2)}): the gradient vanishes.",
            torch["gradient_ratio"] < 1e-3 and 0.5 < torch["std_last"] / settle < 2))
    good = [init for init in ("normalized", "lecun", "orthogonal", "lsuv") if init in rows]
    if good:
        # Alive: within a factor 10 (activations) and 100 (gradient variance) over ten
        # layers, where the scales above are off by three to fifteen orders of magnitude.
        kept = [init for init in good if rows[init]["std_ratio"] > 0.1
                and 0.01 < rows[init]["gradient_ratio"] < 100]
        out.append(Finding(
            "Variance 1/n (lecun, orthogonal, and glorot's 2/(fan_in + fan_out) between layers "
            "of equal width) or LSUV's unit variance keeps both directions alive, the "
            "activation std within a factor 10 and the gradient variance within a factor 100 "
            "from layer 1 to layer 10: "
            + "; ".join(f"{_INITS[init][0]}: activation std {fmt(rows[init]['std_last'], 2)} "
                        f"at layer 10 ({fmt(rows[init]['std_ratio'], 2)} of layer 1), gradient "
                        f"variance ratio {fmt(rows[init]['gradient_ratio'], 2)}" for init in good)
            + ("." if kept == good else
               f" — but not {', '.join(i for i in good if i not in kept)}."), kept == good))
    return out


def _relu_findings(numbers) -> list[Finding]:
    lecun, he = numbers.get("relu-30|lecun"), numbers.get("relu-30|he")
    out = []
    if lecun and he:
        near = abs(math.log2(lecun["std_ratio"] / _HE_VANISHING)) <= 2
        kept = 0.5 <= he["std_ratio"] <= 2 and 0.5 <= he["std_low"] and he["std_high"] <= 2
        out.append(Finding(
            f"Thirty ReLU layers: with variance 1/n the activation std of layer 30 is "
            f"{fmt(lecun['std_ratio'], 2)} of layer 1's (2^{math.log2(lecun['std_ratio']):.1f}; "
            f"He et al.: 2^-14.5 = {fmt(_HE_VANISHING, 2)}); with He's 2/n it is "
            f"{fmt(he['std_ratio'], 2)} (seeds from {fmt(he['std_ratio_min'], 2)} to "
            f"{fmt(he['std_ratio_max'], 2)}: with 256 units each layer multiplies the variance "
            f"by a random factor of mean 1, and networks scatter around the expectation), and "
            f"every layer's activation std (median over seeds) lies between "
            f"{fmt(he['std_low'], 2)} and {fmt(he['std_high'], 2)}.", near and kept))
    texts = {"lsuv": ("LSUV scales every layer to unit pre-activation variance on the data, so "
                      "the activation std of layer 30 is {r} of layer 1's"),
             "orthogonal": ("Orthogonal weights of gain 1 keep norms through each matrix but "
                            "ReLU halves the second moment: layer 30 keeps {r} of layer 1's "
                            "activation std")}
    for init, text in texts.items():
        row = numbers.get(f"relu-30|{init}")
        if row:
            out.append(Finding(text.format(r=fmt(row["std_ratio"], 2)) + (
                ", like variance 1/n." if init == "orthogonal" and lecun
                and abs(math.log2(row["std_ratio"] / lecun["std_ratio"])) < 2 else ".")))
    return out


def _markdown(numbers, samples) -> str:
    header = ("| network | initialization | activation std, first → last hidden layer | last / "
              "first | gradient variance, first / last | saturated units (mean over layers) |")
    lines = [header, "|---|---|---|---|---|---|"]
    for _, problems, inits in _GROUPS.values():
        for problem in problems:
            for init in inits:
                row = numbers.get(f"{problem}|{init}")
                if row is None:
                    continue
                lines.append(f"| {problem} | {_INITS[init][0]} | {fmt(row['std_first'], 2)} → "
                             f"{fmt(row['std_last'], 2)} | {fmt(row['std_ratio'], 2)} | "
                             f"{fmt(row['gradient_ratio'], 2)} | {row['saturated_mean']:.0%} |")
    seeds = next(iter(numbers.values()))["seeds"]
    raw = any(key.startswith("glorot-raw|") for key in numbers)
    inputs = ("the networks see both raw grey levels (`glorot-raw`) and images standardized to "
              "mean 0 and variance 1 over all pixels (`glorot`, and the other networks)" if raw
              else "the networks see images standardized to mean 0 and variance 1 over all "
                   "pixels (the full run adds raw grey levels)")
    return (
        "Each network is drawn from each initialization with every seed (biases zero, except "
        f"PyTorch's default, which draws them too) and looked at on one batch of {samples} "
        "images, before any training: the standard deviation of each hidden layer's "
        "activations, the variance (over samples and units) of the back-propagated gradient "
        "d loss / d pre-activation of each sample's loss, and the mean square of each layer's "
        "weight gradient. All networks end in a softmax over the nine classes of the images.\n\n"
        "Differences from Glorot and Bengio's setting: the images come from a generator in the "
        "manner of their Shapeset-3x2 (32x32 grey levels, one or two ellipses, triangles or "
        "parallelograms, nine classes), not from their data; the statistics are taken on "
        f"{seeds} networks per initialization and one batch of images, not followed during "
        f"training; and since the preprocessing of their inputs matters (see the findings), "
        f"{inputs}. Ratios are medians over seeds.\n\n" + "\n".join(lines))

STUDY = SignalStudy()
