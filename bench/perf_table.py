"""The README's performance table, generated from the JSON files the perf benchmarks write.

    python bench/perf_table.py                # reads bench/results/perf_*.json, prints Markdown

Every figure is a ratio of evaluations (or sample-gradients) per second measured side by side
in one run, as each benchmark's docstring describes; where a benchmark reports rounds, the
figure is the median over rounds of the ratio taken round by round, with its quartiles in
brackets.
"""
from __future__ import annotations

import argparse
import json
import pathlib

RESULTS = pathlib.Path(__file__).parent / "results"


def _q(ratio, digits=2):
    """``median [q1, q3]``."""
    if ratio is None:
        return "n/a"
    f = f"{{:.{digits}f}}"
    return f"{f.format(ratio['median'])} [{f.format(ratio['q1'])}, {f.format(ratio['q3'])}]"


def _x(ratio, digits=0):
    if ratio is None:
        return "n/a"
    f = f"{{:.{digits}f}}x"
    return f"{f.format(ratio['median'])} [{f.format(ratio['q1'])}, {f.format(ratio['q3'])}]"


def core(d):
    r = d["ratios"]
    finals = {row["system"]: row.get("median_final") for row in d["rows"]}
    rounds = d["rounds"]
    yield ((f"**core** (`python bench/perf_core.py`; peers: `pip install simanneal mlrose-ky`), "
           f"shifted Rastrigin-10, {d['budget']:,} evaluations counted by each system, "
           f"{rounds} interleaved rounds"), "", "")
    yield (("fused SA / bare loop evaluating the objective by address at 256 points the SA "
           "visits"), _q(r["SA fused / bare loop at its points"]), "≥ 0.7")
    yield (("fused hill climbing / bare loop at its points (isotropic Gaussian step; "
           "one-coordinate steps)"),
           (f"{_q(r['hill climbing fused / bare loop at its points'])}; "
           f"{_q(r['hill climbing 1-coordinate / bare loop at its points'])}"), "≥ 0.7")
    yield ("SA / simanneal (numpy objective; numba objective), its calls of `energy` counted",
           (f"{_x(r['SA fused / simanneal, numpy objective'], 1)}; "
           f"{_x(r['SA fused / simanneal, numba objective'], 1)}"), "≥ 40x")
    yield (("SA / scipy `dual_annealing` with `maxfun` = `maxiter` = the budget, "
           "`no_local_search`, its `nfev` (numpy; numba objective)"),
           (f"{_x(r['SA fused / scipy dual_annealing, numpy objective'])}; "
           f"{_x(r['SA fused / scipy dual_annealing, numba objective'])}"), "≥ 100x")
    yield ("SA / mlrose-ky SA, calls of its fitness counted (numpy; numba objective)",
           (f"{_x(r['SA fused / mlrose-ky SA, numpy objective'])}; "
           f"{_x(r['SA fused / mlrose-ky SA, numba objective'])}"), "≥ 100x")
    yield ("SA with a Python objective / bare Python loop calling it at the SA's points",
           _q(r["SA Python objective / bare Python loop"]), "≥ 0.8")
    s = d["startup"]
    yield ("start-up, import to first SA result on a new landscape (warm; cold numba cache)",
           f"{s['warm cache (s)']:.2f} s ({s['cold cache (s)']:.1f} s)", "≤ 1.5 s warm")
    names = ["stochsearch SA (fused)", "scipy dual_annealing, numpy objective",
             "simanneal, numpy objective", "mlrose-ky SA, numpy objective"]
    yield ("median final value, 10 seeds: SA; dual_annealing; simanneal; mlrose-ky",
           "; ".join(f"{finals[n]:.2g}" for n in names), "SA ≤ 1.0")


def discrete(d):
    checks = d["checks"]
    yield (("**discrete** (`python bench/perf_discrete.py`; peers: `pip install deap pygad pymoo "
           f"mlrose-ky`), {d['rounds']} interleaved rounds, evaluations counted by each system"),
           "", "")

    def speed(task, versus):
        c = next((c for c in checks if c["task"] == task and c["versus"] == versus), None)
        return None if c is None else c["speed ratio"]

    peers = ["DEAP", "PyGAD", "PyGAD, fitness_batch_size=100", "pymoo", "mlrose-ky"]
    for task, label in (("GA OneMax-100", "OneMax-100"), ("GA FourPeaks-100", "FourPeaks-100")):
        yield ((f"GA on {label} (pop. 100 × 200 generations, tournament 3, uniform crossover "
               "0.9, bit flips 1/n) / minimal numba GA making the same draws"),
               _q(speed(task, "minimal numba GA (same draws)")), "≥ 0.7")
        yield (f"GA on {label} / bare loop at the GA's points (the evaluations alone)",
               _q(speed(task, "bare loop at the GA's points"), 3), "")
        yield ((f"GA on {label} / DEAP, PyGAD, PyGAD with `fitness_batch_size=100`, pymoo, "
               "mlrose-ky"), ", ".join(_x(speed(task, p)) for p in peers),
               "50x, 100x, 100x, 100x, 35x")
    yield ("SA; hill climbing (10 restarts) on FourPeaks-100 / mlrose-ky",
           (f"{_x(speed('SA FourPeaks-100', 'mlrose-ky'))}; "
           f"{_x(speed('hill climbing FourPeaks-100', 'mlrose-ky'))}"), "≥ 80x")
    sa_points = "bare loop at the SA's points"
    rhc_points = "bare loop at hill climbing's points"
    yield ("SA; hill climbing on FourPeaks-100 / bare loop at their points",
           (f"{_q(speed('SA FourPeaks-100', sa_points))}; "
           f"{_q(speed('hill climbing FourPeaks-100', rhc_points))}"), "≥ 0.7")
    yield ("SA with 2-opt on a 100-city TSP / mlrose-ky (swap moves); / bare loop at its tours",
           (f"{_x(speed('SA TSP-100', 'mlrose-ky'))}; "
           f"{_q(speed('SA TSP-100', 'bare loop at the SA' + chr(39) + 's tours'))}"),
           "≥ 80x; ≥ 0.7")
    quality = {c["task"]: c for c in checks if c["versus"] == "best peer (quality)"}
    gap = next(c for c in checks if "gap" in c)
    fp = quality["GA FourPeaks-100"]
    yield (("quality: GA FourPeaks median over 25 seeds (best peer); berlin52 SA + 2-opt, "
           "10⁶ evaluations (gap to the optimum)"),
           f"{fp['ours']:g} ({fp['best peer']:g}); {100 * gap['gap']:.2f}%",
           "≥ best peer; ≤ 3%")


def networks(d):
    r = d["ratios"]
    yield (("**networks** (`python bench/perf_nn.py`; peers: `pip install mlrose-ky "
           f"torch==2.13.0`), moons, 2-10-1 tanh, {d['epochs']} epochs, {d['seeds']} seeds "
           "interleaved, median"), "", "")
    for batch in (32, 200):
        yield ((f"SGD sample-gradients per second, batch {batch} / scikit-learn "
               "`MLPClassifier(solver=\"sgd\")`; / PyTorch (1 thread)"),
               (f"{r[f'SGD / scikit-learn MLPClassifier sgd, batch {batch}']:.1f}x; "
               f"{r[f'SGD / PyTorch SGD (CPU, 1 thread), batch {batch}']:.1f}x"),
               "≥ 10x; ≥ 30x (batch 32)" if batch == 32 else "")
    yield (("hill climbing, SA, GA per evaluation / mlrose-ky `NeuralNetwork` (its network's "
           "loss calls counted)"),
           ", ".join(f"{r[k]:.0f}x" for k in ("hill climbing / mlrose-ky random_hill_climb",
                                              "SA / mlrose-ky simulated_annealing",
                                              "GA / mlrose-ky genetic_alg")), "≥ 100x")
    acc = {row["system"]: row.get("test_accuracy") for row in d["search"]}
    ours = [acc[f"stochsearch {n}"] for n in ("hill climbing", "SA", "GA")]
    theirs = [acc[f"mlrose-ky {n}"] for n in ("random_hill_climb", "simulated_annealing",
                                              "genetic_alg")]
    yield ("their test accuracy (mlrose-ky's)",
           ", ".join(f"{a:.3f}" for a in ours) + " (" + ", ".join(f"{a:.3f}" for a in theirs)
           + ")", "equal or better")


def landscapes(d):
    rows = d["rows"]
    worst = max(rows, key=lambda r: r["ratio"]["median"])
    yield (("**landscapes** (`python bench/perf_landscapes.py`), catalogue objective / plain "
           "numba loop of its formula, shifted, unrotated, by address at the same points, "
           f"{d['rounds']} rounds"), "", "")
    yield ("the 15 landscapes (10-D; the 2-D ones at 2-D): median ratios",
           ", ".join(f"{r['landscape'].split('-shift')[0]} {r['ratio']['median']:.2f}"
                     for r in rows) + f"; worst {worst['ratio']['median']:.2f}", "≤ 1.2")


def genetic(d):
    t = d["tasks"]
    yield ((f"**GA throughput** (`python bench/perf_ga.py`; `pip install pymoo`), "
           f"{d['rounds']} interleaved rounds"), "", "")
    for name in ("onemax-100", "fourpeaks-100-t10"):
        yield (f"GA on {name} (perf_discrete's settings) / bare loop at its points",
               _q(t[f"GA {name}"]["ratios"]["stochsearch GA / bare loop at the GA's points"], 3),
               "")
    for dim in (10, 100, 1000):
        r = t[f"GA sphere-{dim}"]["ratios"]
        yield ((f"GA, defaults (SBX eta 15, polynomial mutation eta 20), Sphere-{dim} / pymoo's "
               "GA with the same operators (its default duplicate elimination; without)"),
               (f"{_x(r['stochsearch GA / pymoo GA'], 1)}; "
               f"{_x(r['stochsearch GA / pymoo GA, eliminate_duplicates=False'], 1)}"),
               "≥ 30x at D = 1000" if dim == 1000 else "")


def genetic_against(d):
    v, rows = d["versions"], d["problems"]
    yield (((f"GA throughput side by side with {v['against']} (`python bench/perf_ga.py "
             f"--against OLD/bin/python`), CPU ns an evaluation, {d['rounds']} alternating "
             "rounds: OneMax-100; FourPeaks-100")),
           "; ".join(f"{r['against_ns']:.1f} -> {r['this_ns']:.1f} ns, {r['speedup']:.2f}x "
                     f"[{r['speedup_min']:.2f}x, {r['speedup_max']:.2f}x]"
                     for r in rows.values()), "≥ 2x")


def suite(d):
    e = d["executors"]
    yield (("**suite** (`python bench/perf_suite.py --repeats 2`; wall time, on a quiet "
           f"machine), the {e['tasks']:,} tasks of `bench/default.toml`"), "", "")
    tps = e["tasks per second"]
    yield ("2 local processes / 1 process",
           (f"{e['speed-up 1 -> 2 processes']:.2f}x ({tps['2 processes']:.1f} against "
           f"{tps['1 process']:.1f} tasks/s)"), "≥ 1.7x")
    yield ("Dask LocalCluster, 2 workers, extra wall time per task over the process pool",
           f"{e['dask extra wall time per task (ms)']:.1f} ms", "≤ 5 ms")
    w = d["worker cold start (s)"]
    yield ("worker cold start: empty numba cache (compiles); warm cache (loads)",
           (f"{w['empty cache (compiles)']['total']:.1f} s; "
           f"{w['warm cache (loads)']['total']:.1f} s"), "")


def main_job(d):
    s = d["seconds"]

    def minutes(t):
        return f"{int(t // 60)} min {int(t % 60)} s"
    yield (("the main job from a cold start (empty numba cache); warm "
           "(`python bench/main_job.py`)"),
           (f"{minutes(s['cold start (empty numba cache)'])}; "
           f"{minutes(s['warm numba cache'])}"), "≤ 5 min")


def steps(rows):
    singles = [r for r in rows if "short_run_us" in r]
    batches = [r for r in rows if "ask_tell_batch100_us_per_point" in r]
    yield (("**per step and per run** (`python bench/perf_steps.py --json "
            "bench/results/perf_steps.json`), CPU time, median over repeats"), "", "")

    def label(r):
        return f"{r['optimizer']} {r['problem'].split('-shift')[0].split('-seed')[0]}"
    yield (("fixed cost of a short run: `run(problem, 2)` of a cached optimizer on a cached "
            "problem, us"),
           ", ".join(f"{label(r)} {r['short_run_us']:.1f}" for r in singles), "≤ 30 us")
    yield ("ask/tell round trip, one point, us",
           ", ".join(f"{label(r)} {r['ask_tell_us']:.2f}" for r in singles), "")
    yield ("ask/tell in batches of 100, us a point",
           ", ".join(f"{label(r)} {r['ask_tell_batch100_us_per_point']:.2f}" for r in batches),
           "")


SECTIONS = {"perf_core": core, "perf_discrete": discrete, "perf_nn": networks,
            "perf_landscapes": landscapes, "perf_ga": genetic,
            "perf_ga_against": genetic_against, "perf_steps": steps,
            "perf_suite": suite, "main_job": main_job}


def table(folder=RESULTS) -> str:
    lines = ["| what (benchmark, setting) | measured | target |", "|---|---|---|"]
    for name, section in SECTIONS.items():
        path = pathlib.Path(folder) / f"{name}.json"
        if not path.exists():
            continue
        for what, measured, target in section(json.loads(path.read_text())):
            lines.append(f"| {what} | {measured} | {target} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", default=str(RESULTS))
    args = parser.parse_args(argv)
    print(table(args.results))


if __name__ == "__main__":
    main()
