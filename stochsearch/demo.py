"""``stochsearch demo``: a quick look at the optimizers side by side on a few shifted
landscapes, printed as a table (median gap to the optimum, IQR, runs solved, time). The main
job, with statistics, plots and the randomness dials, is the benchmark suite
(``stochsearch bench bench/default.toml``)."""
from __future__ import annotations

import time

import numpy as np

from .optimizers import RandomRestartHillClimbing, RandomSearch, SimulatedAnnealing
from .suite.gaps import gap_text

SOLVED = 1e-6  # a run within this gap of the optimum has solved it

__all__ = ["compare", "format_table"]

OPTIMIZERS = {
    "random search": RandomSearch(),
    "hill climbing (1 start)": RandomRestartHillClimbing(restarts=0),
    "hill climbing (restarts)": RandomRestartHillClimbing(),
    "annealing (t0=0, greedy)": SimulatedAnnealing(t0=0.0),
    "annealing": SimulatedAnnealing(),
}
PROBLEMS = ("sphere", "rastrigin", "ackley", "rosenbrock", "schwefel")


def compare(budget: int = 100_000, seeds: int = 10, dim: int = 10, problems=PROBLEMS,
            optimizers=None) -> list[dict]:
    """Run every optimizer on every shifted landscape with ``seeds`` seeds; one row each."""
    from .registry import PROBLEMS as registry

    optimizers = optimizers or OPTIMIZERS
    rows = []
    for problem_name in problems:
        problem = registry.get(problem_name)(dim, shift=True, seed=0)
        for label, optimizer in optimizers.items():
            started = time.perf_counter()
            values = np.array([optimizer.run(problem, budget, rng=seed).fun
                               for seed in range(seeds)])
            gap = values - problem.f_opt
            rows.append({"problem": problem.name, "optimizer": label,
                         "median": float(np.median(gap)),
                         # solved gaps tie: their digits are noise
                         "iqr": float(np.subtract(*np.percentile(np.maximum(gap, SOLVED),
                                                                 [75, 25]))),
                         "solved": int(np.sum(gap <= SOLVED)), "seeds": seeds,
                         "seconds": time.perf_counter() - started})
    return rows


def format_table(rows: list[dict]) -> str:
    """A plain-text table: median and IQR of f - f_opt (a median gap within ``SOLVED`` is
    written as solved, as the report writes it), and how many runs got within it."""
    header = f"{'problem':<22} {'optimizer':<26} {'median f-f*':>12} {'IQR':>10} " \
             f"{'solved':>7} {'time':>7}"
    lines = [header, "-" * len(header)]
    previous = None
    for row in rows:
        name = row["problem"] if row["problem"] != previous else ""
        previous = row["problem"]
        lines.append(f"{name:<22} {row['optimizer']:<26} "
                     f"{gap_text(row['median'], SOLVED):>12} "
                     f"{row['iqr']:>10.2g} {row['solved']:>3}/{row['seeds']:<3} "
                     f"{row['seconds']:>6.1f}s")
    return "\n".join(lines)
