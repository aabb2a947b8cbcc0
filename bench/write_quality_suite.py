"""Write bench/quality.toml: the quality benchmark's continuous problems as a suite that the
command line runs with the library's optimizers (``stochsearch bench bench/quality.toml``),
with the suite's statistics and report (success rates, ERT, runtime ECDFs).

    python bench/write_quality_suite.py            # rewrites bench/quality.toml

The peers (scipy, pycma, the (1+1)-ES) and the per-family, per-dimension scores are
bench/quality.py's: they are not registry optimizers, and the suite reports per (optimizer,
problem). Same problems, instances (6-10, the reporting set), budgets (1000 D) and targets.
"""
from __future__ import annotations

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))

import _quality_continuous as continuous  # noqa: E402

#: quality.py label -> (registry name, parameters besides dim, shift, rotate and seed)
REGISTRY = {
    "sphere": ("sphere", {"rotate": False}), "ellipsoid-sep": ("ellipsoid", {"rotate": False}),
    "rastrigin-sep": ("rastrigin", {"rotate": False}),
    "styblinski-tang-sep": ("styblinski-tang", {"rotate": False}),
    "linear-slope": ("linear-slope", {"rotate": False}),
    "ellipsoid-rot": ("ellipsoid", {}), "rosenbrock-rot": ("rosenbrock", {}),
    "zakharov-rot": ("zakharov", {}), "bent-cigar": ("bent-cigar", {}),
    "discus": ("discus", {}), "different-powers": ("different-powers", {}),
    "sharp-ridge": ("sharp-ridge", {}), "attractive-sector": ("attractive-sector", {}),
    "step-ellipsoid": ("step-ellipsoid", {}), "rastrigin-rot": ("rastrigin", {}),
    "weierstrass": ("weierstrass", {}), "schaffer-f7": ("schaffer-f7", {}),
    "ackley-rot": ("ackley", {}), "griewank-rot": ("griewank", {}), "levy-rot": ("levy", {}),
    "himmelblau-rot": ("himmelblau", {}), "six-hump-camel-rot": ("six-hump-camel", {}),
    "branin-rot": ("branin", {}), "schwefel-rot": ("schwefel", {}),
    "gallagher-101": ("gallagher", {"peaks": 101}), "gallagher-21": ("gallagher", {"peaks": 21}),
    "lunacek": ("lunacek", {}), "michalewicz-rot": ("michalewicz", {}),
    "styblinski-tang-rot": ("styblinski-tang", {}), "eggholder-rot": ("eggholder", {}),
}
DIMS = (2, 5, 10, 20)
INSTANCES = (6, 7, 8, 9, 10)
OPTIMIZERS = {"rhc": "hill climbing", "sa": "simulated annealing", "ga": "genetic algorithm",
              "cmaes": "CMA-ES (IPOP restarts)", "random": "random search"}


def _value(v) -> str:
    return "true" if v is True else "false" if v is False else repr(v)


def suite_text() -> str:
    targets = ", ".join(f"{t:.0e}" for t in continuous.TARGETS[::5])
    lines = [
        "# The quality benchmark's continuous problems as a suite (written by",
        "# bench/write_quality_suite.py; bench/quality.py runs the same problems against the peers).",
        "#",
        "#     stochsearch bench bench/quality.toml          # -> results/quality/report.html",
        "",
        "[suite]",
        'name = "quality"',
        'description = """The library\'s optimizers with their defaults on the quality benchmark\'s '
        'continuous problems (BBOB-style, shifted and rotated, instances 6-10, dimensions 2-20, '
        '1000 D evaluations)."""',
        "seed = 20261203",
        "seeds = 1",
        "history = 100",
        "trajectories = false",
        f"targets = [{targets}]",
        "",
    ]
    for name, label in OPTIMIZERS.items():
        lines += [f"[optimizers.{name}]", f'label = "{label}"', ""]
    for label in continuous.PROBLEMS:
        registry, extra = REGISTRY[label]
        for dim in DIMS:
            if label not in continuous.problems_for(dim):
                continue
            params = {"shift": True, "rotate": True, **extra}
            fixed = continuous.PROBLEMS[label][2]
            if fixed is None:
                params = {"dim": dim, **params}
            body = ", ".join(f"{k} = {_value(v)}" for k, v in params.items())
            lines += [f"[problems.{label}-{dim}]", f'problem = "{registry}"',
                      f"params = {{ {body} }}",
                      f"sweep = {{ seed = [{', '.join(map(str, INSTANCES))}] }}",
                      f"budget = {1000 * dim}", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    path = pathlib.Path(__file__).with_name("quality.toml")
    path.write_text(suite_text())
    print(f"wrote {path}")
