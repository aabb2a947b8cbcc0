"""How the defaults on Integer spaces were chosen, and how they fare on instances not used to
choose them.

    python bench/integer_defaults.py          # about 30 s; writes bench/results/integer_defaults.md

- tuning: the neighbourhood's reset probability (annealing and hill climbing: 0, 0.1, 0.2,
  0.3, 0.5) and the GA's mutation reset probability (0, 0.2, 0.5) with uniform and two-point
  crossover, 50 seeds (0-49), on a shifted integer sphere and ellipsoid (10-D, -20..20), grid
  Rastrigins (10-D at resolution 0.1, 5-D at 0.25) and three bounded knapsacks;
- held out: the defaults against their alternatives, 30 other seeds (100-129), on wider ranges (sphere 30-D
  and ellipsoid 20-D over -1000..1000 and -500..500), other Rastrigin instances and a 25-item
  knapsack.
Every run has 20,000 evaluations; a cell is the median final gap ``f - f_opt`` and the number
of runs that reached the optimum.
"""
from __future__ import annotations

import pathlib

import numpy as np

import stochsearch as ss
from stochsearch.operators import IntegerMutation, IntegerStep
from stochsearch.problems import (BoundedKnapsack, IntegerEllipsoid, IntegerRastrigin,
                                  IntegerSphere)

BUDGET = 20_000


def tuning():
    problems = [BoundedKnapsack(8, copies=3, seed=4), IntegerSphere(10, shift=True, seed=1),
                IntegerEllipsoid(10, shift=True, seed=1), IntegerRastrigin(10, shift=True, seed=1),
                IntegerRastrigin(5, resolution=0.25, shift=True, seed=2),
                BoundedKnapsack(20, seed=1), BoundedKnapsack(30, copies=3, seed=2)]
    configs = {}
    for r in (0.0, 0.1, 0.2, 0.3, 0.5):
        configs[f"rhc reset={r}"] = ss.RandomRestartHillClimbing(move=IntegerStep(reset=r))
        configs[f"sa reset={r}"] = ss.SimulatedAnnealing(move=IntegerStep(reset=r))
    for r in (0.0, 0.2, 0.5):
        for c in ("uniform", "two_point"):
            configs[f"ga reset={r} {c}"] = ss.GeneticAlgorithm(
                mutation=IntegerMutation(reset=r), crossover=c)
    return problems, configs, range(50)


def held_out():
    problems = [IntegerSphere(30, low=-1000, high=1000, shift=True, seed=3),
                IntegerEllipsoid(20, low=-500, high=500, shift=True, seed=5),
                IntegerRastrigin(10, shift=True, seed=7),
                IntegerRastrigin(20, resolution=0.2, shift=True, seed=3),
                BoundedKnapsack(25, copies=4, seed=9)]
    configs = {"rhc default": ss.RandomRestartHillClimbing()}
    for r in (0.0, 0.1, 0.5):
        configs[f"rhc reset={r}"] = ss.RandomRestartHillClimbing(move=IntegerStep(reset=r))
    configs["sa default"] = ss.SimulatedAnnealing()
    for r in (0.0, 0.1, 0.5):
        configs[f"sa reset={r}"] = ss.SimulatedAnnealing(move=IntegerStep(reset=r))
    configs["ga default"] = ss.GeneticAlgorithm()
    for r in (0.0, 0.2):
        configs[f"ga reset={r}"] = ss.GeneticAlgorithm(mutation=IntegerMutation(reset=r))
    configs["ga two_point"] = ss.GeneticAlgorithm(crossover="two_point")
    configs["random"] = ss.RandomSearch()
    return problems, configs, range(100, 130)


def table(problems, configs, seeds) -> list[str]:
    lines = ["| configuration | " + " | ".join(p.name for p in problems) + " |",
             "|---" * (len(problems) + 1) + "|"]
    for name, optimizer in configs.items():
        cells = []
        for problem in problems:
            gaps = [optimizer.run(problem, BUDGET, rng=s).fun - problem.f_opt for s in seeds]
            hits = sum(g <= 1e-9 for g in gaps)
            cells.append(f"{np.median(gaps):.3g} ({hits}/{len(gaps)})")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
        print(lines[-1], flush=True)
    return lines


def main():
    out = ["# Integer defaults", "",
           f"Median final gap f - f_opt (runs that reached the optimum), {BUDGET:,} "
           "evaluations a run (`python bench/integer_defaults.py`).", "", "## Tuning", ""]
    out += table(*tuning())
    out += ["", "## Held out", ""]
    out += table(*held_out())
    path = pathlib.Path(__file__).parent / "results" / "integer_defaults.md"
    path.write_text("\n".join(out) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
