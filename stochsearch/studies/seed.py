"""Study *seed*: what a seed fixes, and how much it moves a result.

The same seed must give bit-identical weights wherever a run executes: every task of the study
is run again in this process, in a pool of worker processes and on a Dask cluster, and compared
bit for bit with the stored run. Different seeds give different networks, and the spread they
cause is set next to the spread between SGD configurations, and split into its two sources,
the initial weights and the order of the minibatches.
"""
from __future__ import annotations

import itertools
import json

import numpy as np

from ..initialization import Initializer, draw, resolve_initializer
from ..suite import plots
from ._base import Finding, Study, bootstrap_band, fmt
from ._networks import epochs_budget

__all__ = ["STUDY", "FixedDraw", "replay"]

_NETWORK, _EPOCHS = "moons-mlp", 50
#: 376 training points as in the other moons studies, and a test set of 4000 (noise 0.2), so
#: that one test point (0.00025) is far below the spread across seeds being measured; the
#: catalogue's 124 test points make 1/124 = 0.008, the size of that spread itself
_TRAIN, _TEST = 376, 4000
_DATA = {"n_samples": _TRAIN + _TEST, "test_size": _TEST / (_TRAIN + _TEST)}
_RATES, _BATCHES = (0.03, 0.1, 0.3), (8, 32, 128)
_QUICK_RATES, _QUICK_BATCHES = (0.1, 0.3), (8, 32)
_MAIN = {"learning_rate": 0.1, "batch_size": 32}
_MAIN_ARGS = {"rate": _MAIN["learning_rate"], "batch": _MAIN["batch_size"]}
#: source entry: (label, shuffle, initializer entry); "both" is the main configuration
_SOURCES = {"neither": ("nothing random: fixed start, dataset order", "none", "fixed"),
            "init": ("initial weights only", "none", "glorot_uniform"),
            "order": ("minibatch order only", "epoch", "fixed")}


class FixedDraw(Initializer):
    """The same start for every run: ``init`` drawn from its own generator seeded with
    ``seed``, not from the run's (whose seed then drives everything else, but not this)."""

    always_valid = True

    def __init__(self, init: str = "glorot_uniform", seed: int = 0):
        self.init, self.seed = init, seed

    def __call__(self, rng, space, n):
        return draw(resolve_initializer(self.init), np.random.default_rng(self.seed), space, n)


class SeedStudy(Study):
    name = "seed"
    title = "Seed: what a seed fixes, and how much it moves a result"
    question = ("Does a seed reproduce a network bit for bit wherever it runs, and how large "
                "is the spread across seeds next to the spread across SGD configurations?")

    def suite(self, quick: bool) -> dict:
        rates, batches = (_QUICK_RATES, _QUICK_BATCHES) if quick else (_RATES, _BATCHES)
        sources = {entry: {"optimizer": "sgd", "label": label,
                           "params": {**_MAIN, "shuffle": shuffle}}
                   for entry, (label, shuffle, _) in _SOURCES.items()}
        return {
            "suite": {"seed": 5, "seeds": 4 if quick else 10, "history": 10,
                      "measure": "stochsearch.studies._networks:train"},
            "optimizers": {"sgd": {"optimizer": "sgd", "label": "SGD",
                                   "sweep": {"learning_rate": list(rates),
                                             "batch_size": list(batches)}}, **sources},
            "problems": {"moons": {"problem": _NETWORK, "params": dict(_DATA),
                                   "budget": epochs_budget(_NETWORK, _EPOCHS, **_DATA)}},
            "initializers": {"glorot_uniform": {},
                             "fixed": {"init": "stochsearch.studies.seed:FixedDraw",
                                       "label": "one fixed Glorot-uniform draw"}},
            "grid": [{"name": "configurations", "optimizers": ["sgd"],
                      "initializers": ["glorot_uniform"]},
                     *({"name": f"source: {entry}", "optimizers": [entry],
                        "initializers": [init]} for entry, (_, _, init) in _SOURCES.items())],
        }

    def run(self, *, executors: dict | None = None, **options):
        """``Study.run``, and every task run again on ``executors`` (``{name: Executor}``;
        by default this process, two worker processes and, with dask installed, a local Dask
        cluster of two workers, started and stopped here)."""
        self._executors = executors
        try:
            return super().run(**options)
        finally:
            self._executors = None

    def analyze(self, records, figures, quick):
        document = self.suite(quick)
        document["suite"]["name"] = self.suite_name(quick)
        replays = replay(document, getattr(self, "_executors", None))
        checks = _checks(records, replays)
        configs, sources = _groups(records)
        spread = _spread(configs)
        _figure(configs, sources, spread, figures / "seed-1-spread.png")
        numbers = {"executors": checks, "spread": spread,
                   "distinct": {k: _distinct(v) for k, v in {**configs, **sources}.items()},
                   "sources": {k: _stats(v) for k, v in sources.items()}}
        findings = _findings(checks, configs, sources, spread, numbers["distinct"])
        return findings, numbers, _markdown(checks, spread, quick)


# --- running every task again elsewhere --------------------------------------------------------
def replay(document: dict, executors: dict | None = None) -> dict:
    """Run every task of the suite ``document`` on each executor (default: see
    ``SeedStudy.run``): ``{executor name: (workers, {task key: record})}``."""
    import contextlib

    from ..suite import InProcessExecutor, ProcessExecutor, parse_suite
    from ..suite.tasks import failed_record, run_task

    suite = parse_suite(document, name=document["suite"]["name"])
    tasks = suite.tasks()
    suite.warm()           # worker processes load the compiled kernels from the disk cache
    out = {}
    with contextlib.ExitStack() as stack:
        if executors is None:
            executors = {"in-process": InProcessExecutor(),
                         "processes": stack.enter_context(ProcessExecutor(2))}
            try:
                from ..suite import DaskExecutor
                executors["dask"] = stack.enter_context(DaskExecutor("local", workers=2))
            except ImportError:
                pass
        for name, executor in executors.items():
            executor.prepare(suite)
            records = executor.map_unordered(run_task, tasks, failed_record)
            out[name] = (executor.workers, {r["key"]: r for r in records})
    return out


def _comparable(record) -> dict:
    """The fields of a record that depend only on its task, as the store gives them back."""
    from ..suite.tasks import RESULT_FIELDS

    return json.loads(json.dumps({k: record[k] for k in RESULT_FIELDS}, sort_keys=True))


def _checks(records, replays) -> dict:
    """Per executor: its workers, the tasks it ran again, and how many gave the stored
    weights (bit for bit) and the stored record (every field that depends on the task)."""
    stored = {r["key"]: r for r in records}
    out = {}
    for name, (workers, again) in replays.items():
        same = [k for k in stored if k in again and again[k]["status"] == "ok"
                and again[k]["extra"]["weights"] == stored[k]["extra"]["weights"]]
        whole = [k for k in same if _comparable(again[k]) == _comparable(stored[k])]
        out[name] = {"workers": workers, "tasks": len(stored), "weights": len(same),
                     "records": len(whole)}
    return out


# --- statistics --------------------------------------------------------------------------------
def _groups(records) -> tuple[dict, dict]:
    """``({configuration label: records}, {source: records})`` in replicate order; the main
    configuration is also the source "both"."""
    configs, sources = {}, {}
    for r in sorted(records, key=lambda r: r["replicate"]):
        if r["optimizer"] in _SOURCES:
            sources.setdefault(r["optimizer"], []).append(r)
        else:
            p = r["params"]
            configs.setdefault(_config_label(p["learning_rate"], p["batch_size"]), []).append(r)
            if {k: p[k] for k in _MAIN} == _MAIN:
                sources.setdefault("both", []).append(r)
    return configs, sources


def _config_label(rate, batch) -> str:
    return f"lr {rate:g}, batch {batch}"


def _accuracy(group) -> np.ndarray:
    return np.array([r["extra"]["test_accuracy"] for r in group])


def _stats(group) -> dict:
    acc = _accuracy(group)
    return {"mean": float(acc.mean()), "std": float(acc.std(ddof=1)) if acc.size > 1 else 0.0,
            "min": float(acc.min()), "max": float(acc.max()), "seeds": int(acc.size)}


def _sample_std(values, axis=None):
    return np.std(values, axis=axis, ddof=1)


def _distinct(group) -> int:
    return len({r["extra"]["weights"] for r in group})


def _spread(configs) -> dict:
    """The seed spread (within configurations, pooled) against the configuration spread (of
    their means), and the pairs of configurations closer in mean than one seed-std."""
    stats = {label: _stats(group) for label, group in configs.items()}
    means = np.array([s["mean"] for s in stats.values()])
    within = float(np.sqrt(np.mean([s["std"] ** 2 for s in stats.values()])))
    pairs = list(itertools.combinations(stats, 2))
    close = [p for p in pairs if abs(stats[p[0]]["mean"] - stats[p[1]]["mean"]) < within]
    return {"configs": stats, "seed_std": within,
            "config_std": float(means.std(ddof=1)) if means.size > 1 else 0.0,
            "config_range": [float(means.min()), float(means.max())],
            "pairs": len(pairs), "close": len(close)}


# --- figure ------------------------------------------------------------------------------------
def _figure(configs, sources, spread, path):
    from matplotlib.lines import Line2D

    figure, (left, right) = plots._figure(2, width=5.6, height=4.4, columns=2)
    rng = np.random.default_rng(0)
    order = sorted(configs, key=lambda c: spread["configs"][c]["mean"])
    for i, label in enumerate(order):
        acc = _accuracy(configs[label])
        left.scatter(i + rng.uniform(-0.2, 0.2, acc.size), acc, s=14, color="C0", alpha=0.6)
        left.plot([i - 0.3, i + 0.3], [acc.mean()] * 2, color="black", lw=2)
    grand = np.mean([spread["configs"][c]["mean"] for c in order])
    left.axhspan(grand - spread["config_std"], grand + spread["config_std"], color="C1",
                 alpha=0.15)
    left.set_xticks(range(len(order)), order, rotation=40, ha="right", fontsize=8)
    left.set_xlabel("SGD configuration (learning rate, minibatch size)")
    left.set_ylabel("test accuracy")
    left.set_title(f"Seeds within, and configurations across (seed std "
                   f"{spread['seed_std']:.3f}, configuration std {spread['config_std']:.3f})",
                   fontsize=9)
    left.legend(handles=[Line2D([], [], ls="", marker="o", color="C0", label="one seed"),
                         Line2D([], [], color="black", lw=2, label="mean over seeds"),
                         Line2D([], [], color="C1", lw=6, alpha=0.3,
                                label="mean of the means ± their std")], fontsize=8)
    names = [s for s in ("neither", "init", "order", "both") if s in sources]
    for i, source in enumerate(names):
        acc = _accuracy(sources[source])
        right.scatter(i + rng.uniform(-0.2, 0.2, acc.size), acc, s=14, color=f"C{i + 2}",
                      alpha=0.7, label=_source_label(source))
        right.plot([i - 0.3, i + 0.3], [acc.mean()] * 2, color="black", lw=2)
    right.set_xticks(range(len(names)), names)
    right.set_xlabel("what the seed draws")
    right.set_ylabel("test accuracy")
    right.set_title(f"Where the spread comes from ({_config_label(**_MAIN_ARGS)})", fontsize=9)
    right.legend(fontsize=8)
    for ax in (left, right):
        ax.grid(alpha=0.3)
    return plots._save(figure, path, title=f"Moons, 2-10-1 tanh, {_EPOCHS} epochs of SGD: "
                                           "the spread across seeds")



def _source_label(source: str) -> str:
    return "initial weights and minibatch order" if source == "both" else _SOURCES[source][0]


# --- text --------------------------------------------------------------------------------------
def _markdown(checks, spread, quick) -> str:
    lines = ["| executor | workers | tasks | bit-identical weights | identical records |",
             "|---|---|---|---|---|"]
    for name, c in checks.items():
        lines.append(f"| {name} | {c['workers']} | {c['tasks']} | {c['weights']} | "
                     f"{c['records']} |")
    rows = ["| configuration | mean | std | min | max |", "|---|---|---|---|---|"]
    for label, s in sorted(spread["configs"].items(), key=lambda kv: -kv[1]["mean"]):
        rows.append(f"| {label} | {s['mean']:.3f} | {s['std']:.3f} | {s['min']:.3f} | "
                    f"{s['max']:.3f} |")
    return (f"A 2-10-1 tanh network on two moons ({_TRAIN} points for training, {_TEST:,} "
            f"for testing, so that one test point is {1 / _TEST:.5f} of test accuracy), "
            f"trained by SGD for {_EPOCHS} epochs from "
            "Glorot-uniform weights, in every combination of the learning rates and minibatch "
            "sizes below; and its main configuration "
            f"({_config_label(**_MAIN_ARGS)}) with the initial weights fixed (one draw, the "
            "same for every seed), the minibatch order fixed (the dataset's), or both. The "
            "stored run is then run again, task by task, on each executor below and compared "
            "bit for bit: the weights by their SHA-256, the records field by field (final "
            "loss, history, test accuracy...).\n\n" + "\n".join(lines) + "\n\nTest accuracy "
            "over seeds:\n\n" + "\n".join(rows))


def _findings(checks, configs, sources, spread, distinct) -> list[Finding]:
    findings = []
    total = next(iter(checks.values()))["tasks"] if checks else 0
    identical = bool(checks) and all(c["weights"] == c["records"] == c["tasks"]
                                     for c in checks.values())
    where = ", ".join(f"{name} ({c['workers']} worker{'s' * (c['workers'] > 1)}: "
                      f"{c['records']} of {c['tasks']} identical)" for name, c in checks.items())
    findings.append(Finding(
        (f"Every one of the {total} tasks, run again " if identical else
         f"Of the {total} tasks, run again ") + f"on each executor ({where}), "
        + ("gave bit-identical weights and an identical record: a seed fixes the result "
           "wherever it runs." if identical else
           "some did not reproduce the stored weights or record bit for bit."),
        holds=identical))
    seeds = max(len(g) for g in configs.values())
    # "both" is the main configuration again: counted once, among the configurations.
    random_groups = {**configs, **{k: v for k, v in sources.items()
                                   if k not in ("neither", "both")}}
    all_distinct = all(distinct[k] == len(g) for k, g in random_groups.items())
    fixed = distinct.get("neither")
    findings.append(Finding(
        f"Different seeds give different networks: in each of the {len(random_groups)} "
        f"settings where a seed draws the start or the order, {seeds} seeds gave "
        + (f"{seeds} different weight vectors" if all_distinct else
           "fewer distinct weight vectors than seeds")
        + (f"; with both the start and the order fixed, the {len(sources['neither'])} seeds "
           f"gave {fixed} weight vector{'s' * (fixed != 1)}: nothing else in a run is random."
           if fixed is not None else "."),
        holds=all_distinct and fixed in (None, 1)))
    ratio = spread["config_std"] / spread["seed_std"] if spread["seed_std"] else float("inf")
    lo, hi = spread["config_range"]
    findings.append(Finding(
        f"Within a configuration, test accuracy varies across seeds with a standard deviation "
        f"of {spread['seed_std']:.3f} (pooled); across the {len(configs)} configurations the "
        f"means vary with a standard deviation of {spread['config_std']:.3f} (from {lo:.3f} to "
        f"{hi:.3f}), {fmt(ratio, 2)} times as much; {spread['close']} of the "
        f"{spread['pairs']} pairs of configurations are closer in mean than one seed standard "
        "deviation."))
    if {"init", "order", "both"} <= sources.keys():
        findings.append(_sources_finding(sources))
    return findings


def _sources_finding(sources) -> Finding:
    """Which of the seed's two draws, the initial weights or the minibatch order, moves test
    accuracy more in the main configuration (standard deviations, bootstrap intervals)."""
    std = {k: _stats(sources[k])["std"] for k in ("init", "order", "both")}
    band = {k: bootstrap_band(_accuracy(sources[k]), _sample_std) for k in ("init", "order")}
    larger, smaller = sorted(("init", "order"), key=lambda k: -std[k])
    names = {"init": "drawing the initial weights", "order": "drawing the minibatch order"}
    overlap = band[larger][0] <= band[smaller][1]
    text = (f"In the main configuration ({_config_label(**_MAIN_ARGS)}) test accuracy varies "
            f"across seeds with a standard deviation of {std['both']:.3f} when the seed draws "
            f"both the initial weights and the minibatch order; drawing only the initial "
            f"weights gives {std['init']:.3f} (95% bootstrap interval [{band['init'][0]:.3f}, "
            f"{band['init'][1]:.3f}]), only the order {std['order']:.3f} "
            f"([{band['order'][0]:.3f}, {band['order'][1]:.3f}]): "
            + ("the two draws move it alike." if std[larger] == std[smaller] else
               f"{names[larger]} moves it more, though the intervals overlap at "
               f"{len(sources['init'])} seeds." if overlap else
               f"{names[larger]} is the larger source of the spread."))
    if std["both"] < std[larger]:
        text += (f" Both draws together spread it less than {names[larger]} alone: standard "
                 "deviations over a few seeds are themselves uncertain.")
    return Finding(text)


STUDY = SeedStudy()
