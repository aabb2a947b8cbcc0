"""What an SGD epoch costs in forward passes: the figure the weights study (issue 6) quotes to
say how far counting an epoch of sample-gradients as one "pass" flatters SGD.

    python bench/perf_epoch.py           # ~30 s: bench/results/perf_epoch.json, and its
                                         # figures copied into stochsearch/studies/epoch_cost.json
    python bench/perf_epoch.py --quick   # a smoke run, written nowhere but --out

On the weights study's network (moons-mlp, 2-10-1 tanh, 376 training samples), at a fixed
weight vector (the cost does not depend on the values), three systems run interleaved in rounds
(round r in an order rotated by r), each timed in CPU time of this process for at least 0.25 s
(``_reference.timed``): one forward pass over every training sample (the full loss, what a
gradient-free search pays per evaluation); the full-data gradient in one compiled call (the
forward and backward pass of every sample once: the work of an SGD epoch, without a Python
call per minibatch, which SGD's compiled runs do not make); and the same epoch as 12
minibatch-gradient calls of 32 samples from Python. Each cost is a ratio to the forward pass
taken round by round; the median over rounds is reported with its quartiles. ``with_loss`` adds
the full-loss evaluation SGD makes after each epoch to keep its best weights.

The study never times anything: it reads the packaged copy, so that its findings do not depend
on the machine that runs it (nor do the tests that rerun it).
"""
from __future__ import annotations

import argparse
import json
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from _reference import interleave, ratio  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGED = ROOT / "stochsearch" / "studies" / "epoch_cost.json"
PROBLEM, BATCH = "moons-mlp", 32


def systems():
    """name -> ``fn(seed) -> (value, calls)`` for ``_reference.interleave``."""
    from stochsearch.registry import PROBLEMS

    net = PROBLEMS.get(PROBLEM)()
    rng = np.random.default_rng(0)
    w = rng.normal(0.0, 0.3, net.dim)
    data, out = net.data, np.empty_like(w)
    order = rng.permutation(net.n_samples)
    batches = [np.ascontiguousarray(order[i:i + BATCH]) for i in range(0, order.size, BATCH)]
    loss, gradient, batch_gradient = net.objective, net.gradient, net.batch_gradient
    loss(w, data), gradient(w, data, out), batch_gradient(w, data, batches[0], out)  # compile

    def forward(seed):
        return loss(w, data), 1

    def epoch(seed):
        gradient(w, data, out)
        return np.nan, 1

    def epoch_from_python(seed):
        for b in batches:
            batch_gradient(w, data, b, out)
        return np.nan, 1

    meta = {"samples": int(net.n_samples), "minibatches": len(batches)}
    return {"forward": forward, "epoch": epoch, "epoch_from_python": epoch_from_python}, meta


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="3 rounds of 0.02 s, not packaged")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    rounds, min_time = (3, 0.02) if args.quick else (args.rounds, 0.25)
    funcs, meta = systems()
    rates = interleave(funcs, rounds, min_time=min_time)
    forward = rates["forward"]["rates"]
    # A cost in forward passes is the forward pass's rate over the system's rate.
    gradient = ratio(forward, rates["epoch"]["rates"])
    from_python = ratio(forward, rates["epoch_from_python"]["rates"])
    method = (f"python bench/perf_epoch.py: median over {rounds} interleaved rounds of CPU "
              f"time, each cost a ratio to a forward pass")
    result = {"setting": {"problem": PROBLEM, "batch": BATCH}, "rounds": rounds,
              "gradient": gradient, "epoch_from_python": from_python,
              "forward_per_second": float(np.median(forward)), **meta, "method": method}
    args.out.mkdir(parents=True, exist_ok=True)
    name = "perf_epoch_quick.json" if args.quick else "perf_epoch.json"
    (args.out / name).write_text(json.dumps(result, indent=1) + "\n")
    print(f"an epoch of gradients: {gradient['median']:.3f} forward passes "
          f"[{gradient['q1']:.3f}, {gradient['q3']:.3f}]; with the loss after it "
          f"{gradient['median'] + 1.0:.3f}; as {meta['minibatches']} minibatch calls from Python "
          f"{from_python['median']:.3f}")
    if not args.quick:
        PACKAGED.write_text(json.dumps(packaged(result), indent=1) + "\n")
        print(f"written to {args.out / name} and {PACKAGED}")


def packaged(result: dict) -> dict:
    """The figures the weights study reads, from a ``perf_epoch.json``."""
    return {"setting": result["setting"], "gradient": result["gradient"]["median"],
            "with_loss": result["gradient"]["median"] + 1.0,
            "epoch_from_python": result["epoch_from_python"]["median"],
            "samples": result["samples"], "minibatches": result["minibatches"],
            "method": result["method"]}


if __name__ == "__main__":
    main()
