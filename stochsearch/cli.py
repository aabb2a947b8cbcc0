"""The ``stochsearch`` command."""
from __future__ import annotations

import argparse
import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``stochsearch`` command; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="stochsearch",
        description="Stochastic search: random search, hill climbing, simulated annealing...")
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser(
        "demo", help="compare the optimizers on shifted landscapes and print a table",
        description="Run every optimizer on shifted 10-D landscapes with several seeds and "
                    "print the median gap to the optimum, its IQR and how many runs solved it.")
    demo.add_argument("--budget", type=int, default=100_000, help="evaluations per run")
    demo.add_argument("--seeds", type=int, default=10, help="runs per optimizer and problem")
    demo.add_argument("--dim", type=int, default=10, help="dimension of the landscapes")
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if args.command == "demo":
        return _demo(args)
    return 2


def _demo(args) -> int:
    from .demo import compare, format_table

    for name in ("budget", "seeds", "dim"):
        if getattr(args, name) < 1:
            print(f"stochsearch demo: --{name} must be a positive integer, got "
                  f"{getattr(args, name)}", file=sys.stderr)
            return 2
    print(f"Shifted {args.dim}-D landscapes, {args.budget:,} evaluations per run, "
          f"{args.seeds} seeds (first run compiles the kernels; later runs load them).\n")
    print(format_table(compare(budget=args.budget, seeds=args.seeds, dim=args.dim)))
    return 0


def _version() -> str:
    from . import __version__
    return f"stochsearch {__version__}"


if __name__ == "__main__":
    sys.exit(main())
