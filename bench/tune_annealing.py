"""How the defaults of simulated annealing on Real spaces were chosen.

    python bench/tune_annealing.py            # ~1 minute

Median and worst final value over 20 seeds, 100,000 evaluations, for the candidate moves and
schedules on shifted Rastrigin (2, 10 and 30-D, and rotated 10-D) and a rotated Sphere-30. The
default (single-coordinate Cauchy steps, exponential cooling to 1e-10 t0) is the first row.
"""
from __future__ import annotations

import numpy as np

import stochsearch as ss
from stochsearch.operators import Adaptive, CauchyStep, Exponential, GaussianStep
from stochsearch.problems import Rastrigin, Sphere

PROBLEMS = {
    "rastrigin-10": Rastrigin(10, shift=True),
    "rastrigin-10 rotated": Rastrigin(10, shift=True, rotate=True),
    "rastrigin-2": Rastrigin(2, shift=True),
    "rastrigin-30": Rastrigin(30, shift=True),
    "sphere-30 rotated": Sphere(30, shift=True, rotate=True),
}
CANDIDATES = {
    "Cauchy, 1 coordinate, exp 1e-10 (default)": ss.SimulatedAnnealing(),
    "Gaussian, 1 coordinate, exp 1e-10": ss.SimulatedAnnealing(move=GaussianStep(coords=1)),
    "Gaussian, all coordinates, exp 1e-10": ss.SimulatedAnnealing(move=GaussianStep()),
    "Cauchy, all coordinates, exp 1e-10": ss.SimulatedAnnealing(move=CauchyStep()),
    "Cauchy, 1 coordinate, exp 1e-4": ss.SimulatedAnnealing(schedule=Exponential(1e-4)),
    "Cauchy, 1 coordinate, adaptive": ss.SimulatedAnnealing(schedule=Adaptive()),
}


def main(seeds: int = 20, budget: int = 100_000):
    print(f"median / worst final value over {seeds} seeds, {budget:,} evaluations\n")
    print(f"{'candidate':<44}" + "".join(f"{name:>24}" for name in PROBLEMS))
    for label, optimizer in CANDIDATES.items():
        cells = []
        for problem in PROBLEMS.values():
            values = [optimizer.run(problem, budget, rng=seed).fun for seed in range(seeds)]
            cells.append(f"{np.median(values):>11.3g} / {np.max(values):<10.3g}")
        print(f"{label:<44}" + "".join(f"{c:>24}" for c in cells), flush=True)


if __name__ == "__main__":
    main()
