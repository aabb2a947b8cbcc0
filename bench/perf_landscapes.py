"""Landscape objectives against plain numba loops of their formulas, side by side in one run.

    python bench/perf_landscapes.py          # ~1 minute; --quick for a smoke run

For each continuous landscape of the catalogue, shifted and unrotated as the suites use them
(10-D, the 2-D ones at 2-D): nanoseconds per evaluation of the catalogue's objective and of a
plain numba function of the same formula written as a user would (``z = x - s`` in the loop, no
gradient branch, no rotation branch), both called by address as a fused run calls any objective,
at the same 256 random points of the box. The two alternate in rounds (order rotated by the
round), timed in CPU time (``_reference.CLOCK``); each figure is the median over rounds, and the
ratio (catalogue / plain, target at most 1.2) is taken round by round. The plain functions are
checked to give the catalogue's values.
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys
import numpy as np

import stochsearch as ss
from stochsearch.problems import landscapes as L

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from _reference import CLOCK, replay, summary

TWO_PI = 2.0 * np.pi
SCHWEFEL_PEAK = 418.9828872724337


# --- the formulas as plain loops: f(x, data), data = [rotated, s_0 .. s_{n-1}] ---------------
@ss.jit
def sphere(x, data):
    total = 0.0
    for i in range(x.size):
        z = x[i] - data[1 + i]
        total += z * z
    return total


@ss.jit
def ellipsoid(x, data):
    n = x.size
    total = 0.0
    for i in range(n):
        z = x[i] - data[1 + i]
        total += 10.0 ** (6.0 * i / (n - 1)) * z * z
    return total


@ss.jit
def rastrigin(x, data):
    total = 10.0 * x.size
    for i in range(x.size):
        z = x[i] - data[1 + i]
        total += z * z - 10.0 * np.cos(TWO_PI * z)
    return total


@ss.jit
def rosenbrock(x, data):
    total = 0.0
    for i in range(x.size - 1):
        z, z_next = x[i] - data[1 + i], x[i + 1] - data[2 + i]
        total += 100.0 * (z_next - z * z) ** 2 + (1.0 - z) ** 2
    return total


@ss.jit
def ackley(x, data):
    n = x.size
    squares, cosines = 0.0, 0.0
    for i in range(n):
        z = x[i] - data[1 + i]
        squares += z * z
        cosines += np.cos(TWO_PI * z)
    return 20.0 + np.e - 20.0 * np.exp(-0.2 * np.sqrt(squares / n)) - np.exp(cosines / n)


@ss.jit
def griewank(x, data):
    squares, product = 0.0, 1.0
    for i in range(x.size):
        z = x[i] - data[1 + i]
        squares += z * z
        product *= np.cos(z / np.sqrt(i + 1.0))
    return 1.0 + squares / 4000.0 - product


@ss.jit
def schwefel(x, data):
    total, penalty = 0.0, 0.0
    for i in range(x.size):
        z = x[i] - data[1 + i]
        c = min(max(z, -500.0), 500.0)
        penalty += (z - c) ** 2
        total += c * np.sin(np.sqrt(abs(c)))
    return SCHWEFEL_PEAK * x.size - total + penalty


@ss.jit
def levy(x, data):
    n = x.size
    w = 1.0 + (x[0] - data[1] - 1.0) / 4.0
    total = np.sin(np.pi * w) ** 2
    for i in range(n - 1):
        w = 1.0 + (x[i] - data[1 + i] - 1.0) / 4.0
        total += (w - 1.0) ** 2 * (1.0 + 10.0 * np.sin(np.pi * w + 1.0) ** 2)
    w = 1.0 + (x[n - 1] - data[n] - 1.0) / 4.0
    return total + (w - 1.0) ** 2 * (1.0 + np.sin(TWO_PI * w) ** 2)


@ss.jit
def styblinski_tang(x, data):
    total = 0.0
    for i in range(x.size):
        z = x[i] - data[1 + i]
        total += z ** 4 - 16.0 * z * z + 5.0 * z
    return 0.5 * total


@ss.jit
def michalewicz(x, data):
    total, penalty = 0.0, 0.0
    for i in range(x.size):
        z = x[i] - data[1 + i]
        c = min(max(z, 0.0), np.pi)
        penalty += (z - c) ** 2
        total -= np.sin(c) * np.sin((i + 1.0) * c * c / np.pi) ** 20
    return total + penalty


@ss.jit
def zakharov(x, data):
    squares, weighted = 0.0, 0.0
    for i in range(x.size):
        z = x[i] - data[1 + i]
        squares += z * z
        weighted += 0.5 * (i + 1.0) * z
    return squares + weighted ** 2 + weighted ** 4


@ss.jit
def himmelblau(x, data):
    u, v = x[0] - data[1], x[1] - data[2]
    return (u * u + v - 11.0) ** 2 + (u + v * v - 7.0) ** 2


@ss.jit
def six_hump_camel(x, data):
    u, v = x[0] - data[1], x[1] - data[2]
    return (4.0 - 2.1 * u * u + u ** 4 / 3.0) * u * u + u * v + (-4.0 + 4.0 * v * v) * v * v


@ss.jit
def branin(x, data):
    u, v = x[0] - data[1], x[1] - data[2]
    b, c, t = 5.1 / (4.0 * np.pi ** 2), 5.0 / np.pi, 1.0 / (8.0 * np.pi)
    return (v - b * u * u + c * u - 6.0) ** 2 + 10.0 * (1.0 - t) * np.cos(u) + 10.0


@ss.jit
def eggholder(x, data):
    z0, z1 = x[0] - data[1], x[1] - data[2]
    u, w = min(max(z0, -512.0), 512.0), min(max(z1, -512.0), 512.0)
    v = w + 47.0
    return (-v * np.sin(np.sqrt(abs(v + 0.5 * u))) - u * np.sin(np.sqrt(abs(u - v)))
            + (z0 - u) ** 2 + (z1 - w) ** 2)


PLAIN = {"Sphere": sphere, "Ellipsoid": ellipsoid, "Rastrigin": rastrigin,
         "Rosenbrock": rosenbrock, "Ackley": ackley, "Griewank": griewank,
         "Schwefel": schwefel, "Levy": levy, "StyblinskiTang": styblinski_tang,
         "Michalewicz": michalewicz, "Zakharov": zakharov, "Himmelblau": himmelblau,
         "SixHumpCamel": six_hump_camel, "Branin": branin, "Eggholder": eggholder}
TARGET = 1.2


def measure(dim, rounds, n):
    rows = []
    for name, plain in PLAIN.items():
        cls = getattr(L, name)
        catalogue = cls(None if cls.fixed_dim else dim, shift=True, seed=0)
        user = ss.Problem(catalogue.space, objective=plain, data=catalogue.data)
        points = catalogue.space.sample(np.random.default_rng(1), 256)
        ours = np.array([catalogue.objective(p, catalogue.data) for p in points])
        theirs = np.array([plain(p, catalogue.data) for p in points])
        assert np.allclose(ours, theirs, rtol=1e-12, atol=1e-9), name
        systems = {"catalogue": catalogue, "plain loop": user}
        times = {key: [] for key in systems}
        for problem in systems.values():
            replay(problem, points, 1000)  # compile outside the timing
        for r in range(rounds):
            order = list(systems) if r % 2 == 0 else list(systems)[::-1]
            for key in order:
                started = CLOCK()
                replay(systems[key], points, n)
                times[key].append(1e9 * (CLOCK() - started) / n)
        ratios = np.array(times["catalogue"]) / np.array(times["plain loop"])
        rows.append({"landscape": catalogue.name, "dim": catalogue.dim,
                     "catalogue ns": summary(times["catalogue"]),
                     "plain loop ns": summary(times["plain loop"]),
                     "ratio": summary(ratios), "target": TARGET,
                     "met": bool(np.median(ratios) <= TARGET)})
        row = rows[-1]
        print(f"{row['landscape']:<28} catalogue {row['catalogue ns']['median']:7.1f} ns  "
              f"plain {row['plain loop ns']['median']:7.1f} ns  ratio "
              f"{row['ratio']['median']:5.2f} [{row['ratio']['q1']:.2f}, "
              f"{row['ratio']['q3']:.2f}] {'met' if row['met'] else 'MISSED'}", flush=True)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer evaluations and rounds")
    parser.add_argument("--dim", type=int, default=10)
    parser.add_argument("--out", default=str(pathlib.Path(__file__).parent / "results"))
    args = parser.parse_args(argv)
    rounds, n = (3, 100_000) if args.quick else (11, 1_000_000)
    rows = measure(args.dim, rounds, n)
    pathlib.Path(args.out).mkdir(parents=True, exist_ok=True)
    path = pathlib.Path(args.out) / ("perf_landscapes_quick.json" if args.quick
                                     else "perf_landscapes.json")
    path.write_text(json.dumps({"dim": args.dim, "rounds": rounds, "evaluations": n,
                                "rows": rows, "machine": os.uname().machine,
                                "cpus": os.cpu_count()}, indent=2))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
