"""Probe for issue 10 (the chains' parallel speed-up): could a chain's speculation guess better
than "the point before was rejected"? Nothing is timed; it counts, over 10 seeds, the
evaluations each way of choosing the second point of a round of two would discard.

    python bench/probe_speculation.py        # ~1 minute

A round evaluates the point the chain asks and one guess of the point it asks next. The chain's
next point depends on the outcome of the first: rejected (the chain stays), accepted as an
improvement, or (annealing) accepted uphill by Metropolis' coin, which is drawn after the
evaluation. The guesses compared:
- ``reject``: the first point is rejected (what ``workers=2`` does);
- ``history k``: the more frequent of "rejected" and "improved" over the chain's last k rounds;
- ``values k``: the chain's own rule applied to the values of its last k evaluations as
  forecasts of the next one's (each told to a copy of the state; the point most of them lead
  to, "rejected" on a tie), which also foresees uphill moves;
- ``oracle``: whichever of "rejected" and "improved" turns out true (an upper bound for any
  guess between those two; an uphill acceptance is a discard for every guess).
For each, ``bound = 2 nfev / (nfev + discarded)``, the speed-up two workers can give, and the
share of rounds whose first point was rejected, improved, or accepted uphill. Results are the
same runs as ``bench/perf_parallel.py``'s bound sweep (shifted Rastrigin-10 without its cost,
default ``rhc`` and ``sa``) and are bit-identical to the serial runs whatever the guess.
"""
from __future__ import annotations

import json
import pathlib
import statistics
import sys

import numpy as np

import stochsearch as ss
from stochsearch._kernels import run_state
from stochsearch.optimizers import _speculation

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from perf_parallel import DIM, Costly, bound

GUESSES = ["reject", "history 1", "history 5", "history 9", "values 5", "values 9", "oracle"]


def asked_after(optimizer, state, value):
    """The batch the chain asks after ``value`` is told for its current point (state restored),
    or None when it would stop."""
    with _speculation.restored(state):
        _speculation._advance(optimizer, state, value)
        if state._ints_view[state._status] != run_state.RUNNING or state.m == 0:
            return None
        return state.X.copy()


def _same(asked, guessed) -> bool:
    return guessed is not None and guessed.shape == asked.shape and \
        guessed.tobytes() == asked.tobytes()


def _most_common(batches, tie):
    """The batch that most of ``batches`` are (None: a stop), ``tie`` unless it is beaten."""
    counts, first = {}, {}
    for batch in batches:
        key = None if batch is None else batch.tobytes()
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, batch)
    tie_key = None if tie is None else tie.tobytes()
    best = max(counts, key=counts.get, default=tie_key)
    return tie if counts.get(best, 0) <= counts.get(tie_key, 0) else first[best]


def run(method, budget, seed, guess, problem):
    """One run in rounds of two with ``guess``: (nfev, discarded, outcomes)."""
    optimizer = ss.OPTIMIZERS.get(method)()
    state = optimizer.init(problem, budget, rng=seed)
    outcomes, values, discarded = [], [], 0
    while not state.done:
        first = state.X.copy()
        if len(first) >= 2:                                 # a batch: nothing to guess
            optimizer._told(state, np.array([problem.fun(x) for x in first]))
            continue
        if_rejected = asked_after(optimizer, state, np.inf)
        if_improved = asked_after(optimizer, state, -np.finfo(float).max)
        if guess.startswith("values"):
            forecast = _most_common([asked_after(optimizer, state, v)
                                     for v in values[-int(guess.split()[1]):]], if_rejected)
        value = problem.fun(first[0])
        values.append(value)
        optimizer._told(state, np.array([value]))
        if state.done:
            break
        asked = state.X
        outcome = ("rejected" if _same(asked, if_rejected) else
                   "improved" if _same(asked, if_improved) else "uphill")
        if guess == "oracle":
            guessed = asked if outcome != "uphill" else if_rejected
        elif guess == "reject":
            guessed = if_rejected
        elif guess.startswith("values"):
            guessed = forecast
        else:
            recent = outcomes[-int(guess.split()[1]):]
            guessed = (if_improved if recent.count("improved") > recent.count("rejected")
                       else if_rejected)
        outcomes.append(outcome)
        if _same(asked, guessed):
            value = problem.fun(asked[0])
            values.append(value)
            optimizer._told(state, np.array([value]))
        else:
            discarded += 1
    return optimizer.result(state).nfev, discarded, outcomes


def main():
    shift = np.random.default_rng(0).uniform(-2.0, 2.0, DIM)
    problem = ss.Problem(ss.Real(-5.12, 5.12, dim=DIM), fun=Costly("free", 0, shift))
    rows = []
    for method in ("rhc", "sa"):
        for budget in (300, 1000):
            for guess in GUESSES:
                bounds, outcomes = [], []
                for seed in range(10):
                    nfev, discarded, seen = run(method, budget, seed, guess, problem)
                    bounds.append(bound(nfev, discarded))
                    outcomes += seen
                shares = {k: outcomes.count(k) / len(outcomes)
                          for k in ("rejected", "improved", "uphill")}
                rows.append(dict(optimizer=method, budget=budget, guess=guess,
                                 bound=statistics.median(bounds), lowest=min(bounds),
                                 highest=max(bounds), first_point=shares))
                print(f"{method:3s} {budget:5d} {guess:10s} bound {rows[-1]['bound']:.3f} "
                      f"[{min(bounds):.3f}, {max(bounds):.3f}]  first point: " +
                      ", ".join(f"{k} {v:.0%}" for k, v in shares.items()), flush=True)
    out = pathlib.Path(__file__).parent / "results" / "probe_speculation.json"
    out.write_text(json.dumps(rows, indent=1))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
