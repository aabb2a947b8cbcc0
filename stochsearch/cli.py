"""The ``stochsearch`` command.

Commands: ``list`` (what is registered, with parameters), ``run`` (one optimizer on one
problem), ``bench`` (a benchmark suite, then its report), ``report`` (a report from a results
database), ``export`` (a results database to CSV or Parquet), ``study`` (the studies of why
randomness helps) and ``demo``.

Exit codes, for scripts:

====  ===================================================================================
0     success
1     finished, but some tasks failed (``bench``) or the objective raised (``run``)
2     invalid command line, suite file or parameters, or a database holding another version
      of the suite: nothing ran
3     environment: a missing optional dependency, an unreachable Dask scheduler, a missing
      or unreadable database, a folder or file that cannot be written
130   interrupted with Ctrl-C: every finished result is kept; run the same command again
      to complete the rest
====  ===================================================================================
"""
from __future__ import annotations

import argparse
import pathlib
import sqlite3
import sys
import tomllib

from ._optional import MissingExtra

__all__ = ["main"]

OK, FAILED, USAGE, ENVIRONMENT, INTERRUPTED = 0, 1, 2, 3, 130

_EPILOG = """exit codes:
  0    success
  1    finished, but some tasks failed (bench) or the objective raised (run)
  2    invalid arguments, suite or parameters, or a database of another version of the
       suite: nothing ran
  3    missing optional dependency, unreachable Dask scheduler, unreadable database,
       a folder or file that cannot be written
  130  interrupted by Ctrl-C: finished results are kept; the same command completes the rest
"""


_FORMATTER = argparse.RawDescriptionHelpFormatter


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``stochsearch`` command; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return USAGE
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("stochsearch: interrupted", file=sys.stderr)
        return INTERRUPTED


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stochsearch", epilog=_EPILOG, formatter_class=_FORMATTER,
        description="Stochastic search: random search, hill climbing, simulated annealing... "
                    "and benchmark suites that show where randomness helps.")
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name, handler, help, description):
        sub = commands.add_parser(name, help=help, description=description, epilog=_EPILOG,
                                  formatter_class=_FORMATTER)
        sub.set_defaults(handler=handler)
        return sub

    listing = command("list", _list, "list optimizers, problems and initializers",
                      "List the registered optimizers, problems and initializers (the names "
                      "suites and `run` accept): one line of description and the kinds of "
                      "space each works on, then its parameters and defaults.")
    listing.add_argument("kind", nargs="?", choices=("optimizers", "problems", "initializers"),
                         help="list only these")

    run = command("run", _run, "run one optimizer on one problem and print the result",
                  "Run one optimizer on one registered problem and print the result. The "
                  "kernels are compiled (or loaded from numba's cache) by a tiny run first, "
                  "so the time printed is the run's alone; a run longer than 2 s shows its "
                  "progress on stderr.")
    run.add_argument("optimizer", help="optimizer name (see `stochsearch list`)")
    run.add_argument("problem", help="problem name (see `stochsearch list`)")
    run.add_argument("--budget", type=int, default=10_000, help="evaluations (default 10000)")
    run.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    run.add_argument("--param", "-p", action="append", default=[], metavar="KEY=VALUE",
                     help="optimizer parameter, value in TOML syntax (repeatable): -p t0=0")
    run.add_argument("--problem-param", "-P", action="append", default=[],
                     metavar="KEY=VALUE", help="problem parameter (repeatable): -P dim=2 "
                                               "-P shift=true")
    run.add_argument("--init", default="uniform", help="initializer name (default uniform)")

    bench = command("bench", _bench, "run a benchmark suite and write its report",
                    "Run a benchmark suite (a TOML file such as bench/default.toml) into a "
                    "SQLite database, skipping tasks already there, then write the report. "
                    "Ctrl-C stops and keeps every finished result; the same command resumes.")
    bench.add_argument("suite", help="suite file (TOML), or 'default' for the suite shipped "
                                     "with stochsearch (the main job)")
    bench.add_argument("--jobs", "-j", type=int, default=None,
                       help="local worker processes (default: one per core; 0 runs the tasks "
                            "in this process); with --scheduler local: Dask workers")
    bench.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="run on Dask: tcp://host:port of a running scheduler, or 'local' "
                            "to start a LocalCluster (needs stochsearch[dask])")
    bench.add_argument("--db", default=None, help="results database (default OUT/results.db)")
    bench.add_argument("--out", default=None,
                       help="folder of the database and report (default results/SUITE-NAME)")
    bench.add_argument("--fresh", action="store_true",
                       help="forget the suite's stored results and run every task")
    bench.add_argument("--retry-failed", action="store_true", help="run failed tasks again")
    bench.add_argument("--no-report", action="store_true", help="do not write the report")

    report = command("report", _report, "write the report of a results database",
                     "Write report.md, report.html and figures/ from a results database.")
    report.add_argument("db", help="results database (SQLite)")
    report.add_argument("--out", required=True, help="folder to write the report into")
    report.add_argument("--suite", default=None, help="suite name (default: the latest run)")
    report.add_argument("--trust", action="store_true",
                        help="import the module:attribute problems the database names, to "
                             "draw their 2-D landscapes (that runs their code: a database "
                             "is data, and without --trust only registry problems are "
                             "rebuilt)")

    export = command("export", _export, "export a results database to CSV or Parquet",
                     "Write one row per task (JSON columns as text) to CSV, or to Parquet "
                     "when pyarrow is installed.")
    export.add_argument("db", help="results database (SQLite)")
    export.add_argument("--format", choices=("csv", "parquet"), default="csv")
    export.add_argument("--out", default=None, help="output file (default: beside DB)")
    export.add_argument("--suite", default=None, help="only this suite's rows")

    study = command("study", _study, "run a study of why randomness helps",
                    "Run a designed experiment (see stochsearch.studies): its suite runs into "
                    "OUT/results.db (resuming), then its figures, OUT/NAME.md and its findings, "
                    "computed from the data. 'all' runs every study and writes "
                    "OUT/studies.md.")
    study.add_argument("name", help="symmetry, signal, restarts, order, seed, escape, weights, "
                                    "landscape, depth, isometry, minima, or all")
    study.add_argument("--quick", action="store_true",
                       help="a small version (seconds to a minute), as the tests run it")
    study.add_argument("--jobs", "-j", type=int, default=None,
                       help="local worker processes (default: one per core; 0: this process)")
    study.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="run on Dask: tcp://host:port, or 'local' for a LocalCluster")
    study.add_argument("--out", default="results/studies", help="output folder")
    study.add_argument("--fresh", action="store_true", help="forget stored results first")

    demo = command("demo", _demo, "compare the optimizers on shifted landscapes and print "
                                  "a table",
                   "Run every optimizer on shifted 10-D landscapes with several seeds and "
                   "print the median gap to the optimum, its IQR and how many runs solved it.")
    demo.add_argument("--budget", type=int, default=100_000, help="evaluations per run")
    demo.add_argument("--seeds", type=int, default=10, help="runs per optimizer and problem")
    demo.add_argument("--dim", type=int, default=10, help="dimension of the landscapes")
    return parser


def _error(command: str, message, code: int) -> int:
    print(f"stochsearch {command}: {message}", file=sys.stderr)
    return code


# --- list and run ------------------------------------------------------------------------------
def _list(args) -> int:
    from ._cli_commands import print_listing

    print_listing(args.kind)
    return OK


def _pairs(option: str, items: list[str]) -> dict:
    """``KEY=VALUE`` strings as a dict, values read as TOML (bare words stay strings)."""
    out = {}
    for item in items:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"{option} takes KEY=VALUE, got {item!r}")
        try:
            out[key.strip()] = tomllib.loads(f"v = {text.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            out[key.strip()] = text.strip()
    return out


def _run(args) -> int:
    import numpy as np

    from ._cli_commands import timed_run
    from .suite.gaps import DEFAULT_THRESHOLD, gap_text
    from .suite.tasks import build_optimizer, build_problem

    try:
        problem = build_problem(args.problem, _pairs("--problem-param", args.problem_param))
        optimizer = build_optimizer(args.optimizer, _pairs("--param", args.param))
        state = optimizer.init(problem, args.budget, rng=args.seed, init=args.init)
    except (ValueError, TypeError) as error:
        return _error("run", error, USAGE)
    del state  # validated: parameters, initializer and budget are fine
    try:
        result, compiling, seconds = timed_run(optimizer, problem, args.budget, args.seed,
                                               args.init)
    except Exception as error:  # noqa: BLE001 - the user's objective
        return _error("run", f"the objective raised {type(error).__name__}: {error}", FAILED)
    gap = "" if problem.f_opt is None else \
        f" (f - f* = {gap_text(result.fun - problem.f_opt, DEFAULT_THRESHOLD, 6)})"
    print(f"{optimizer!r} on {problem.name}, seed {args.seed}, init {args.init!r}")
    print(f"  fun     {result.fun!r}{gap}")
    print(f"  nfev    {result.nfev}   nit {result.nit}   status {result.status.name}: "
          f"{result.message}")
    x = np.array2string(np.asarray(result.x), threshold=10, edgeitems=4, precision=6)
    print(f"  x       {x}")
    print(f"  time    {seconds:.3f} s (the run; compiling or loading its kernels took "
          f"{compiling:.2f} s before)")
    width = max([7] + [len(key) for key in result.info])
    for key, value in result.info.items():
        print(f"  {key:<{width}} {value!r}")
    return OK


# --- suites ------------------------------------------------------------------------------------
def _bench(args) -> int:
    from .suite import SuiteError, SuiteInterrupted, load_suite, make_executor, run_suite
    from .suite.progress import make_progress
    from .suite.store import StoreConflict

    if args.jobs is not None and args.jobs < 0:
        return _error("bench", f"--jobs must be a non-negative integer, got {args.jobs}", USAGE)
    try:
        suite = load_suite(args.suite)
        tasks = suite.tasks()
        suite.check()
    except SuiteError as error:
        return _error("bench", f"the suite does not validate; nothing ran:\n{error}", USAGE)
    out = pathlib.Path(args.out or pathlib.Path("results", folder_name(suite.name)))
    db = pathlib.Path(args.db) if args.db else out / "results.db"
    try:  # before anything runs: a folder that cannot be written is the environment's fault
        out.mkdir(parents=True, exist_ok=True)
        db.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return _error("bench", f"cannot write to {out if args.out or not args.db else db}: "
                               f"{_reason(error)}", ENVIRONMENT)
    try:
        executor = make_executor(args.jobs, args.scheduler)
    except ImportError as error:
        return _error("bench", error, ENVIRONMENT)
    except OSError as error:  # includes the scheduler's TimeoutError
        return _error("bench", f"cannot reach the Dask scheduler {args.scheduler}: {error}",
                      ENVIRONMENT)
    print(f"{suite.name}: {len(tasks)} tasks on {executor!r}; results in {db}", flush=True)
    try:
        with executor:
            summary = run_suite(suite, executor=executor, store=str(db), fresh=args.fresh,
                                retry_failed=args.retry_failed, progress=make_progress())
    except StoreConflict as error:
        return _error("bench", error, USAGE)
    except sqlite3.Error as error:
        return _error("bench", f"cannot use the database {db}: {error}", ENVIRONMENT)
    except OSError as error:  # the file system under the database, the pool's processes...
        return _error("bench", _reason(error), ENVIRONMENT)
    except SuiteInterrupted as stop:
        s = stop.summary
        return _error("bench", f"interrupted: {s.skipped + s.ran} of {s.total} tasks are in "
                               f"{db}; run the same command again to complete the rest",
                      INTERRUPTED)
    failed = summary.store.counts(suite.name).get("failed", 0)
    print(f"{summary.ran} tasks run ({summary.failed} failed), {summary.skipped} already "
          f"stored, in {summary.seconds:.1f} s")
    summary.store.close()
    if not args.no_report:
        try:  # the suite file named this code: the user chose to run it
            paths = _write_report(db, out, suite.name, trust=True)
        except MissingExtra as error:     # a plain `pip install`: the results are complete
            text = str(error)
            print(f"the results are in {db}; {text[:1].lower()}{text[1:]}, then: "
                  f"stochsearch report {db} --out {out}", file=sys.stderr)
            return FAILED if failed else OK
        except OSError as error:
            return _error("bench", f"the results are in {db}, but the report cannot be "
                                   f"written into {out}: {_reason(error)}", ENVIRONMENT)
        print(f"report: {paths['html']} (and {paths['markdown'].name}, figures/)")
    if failed:
        print(f"{failed} tasks failed: see the report, or the store's 'error' column",
              file=sys.stderr)
    return FAILED if failed else OK


def _write_report(db, out, suite, trust=False):
    from .suite.progress import make_progress
    from .suite.report import write_report

    return write_report(str(db), out, suite, trust=trust, progress=make_progress())


def folder_name(name: str) -> str:
    """A suite's name as one safe folder name: letters, digits, '.', '-' and '_' only, never
    '.' or '..' (a suite named '../../x' writes under results/, not two levels above)."""
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "-"
                   for ch in name).strip(".-")
    return safe or "suite"


def _reason(error: OSError) -> str:
    """``[Errno 30] Read-only file system: 'path'`` as ``read-only file system ('path')``."""
    if error.strerror:
        return error.strerror[:1].lower() + error.strerror[1:] + (
            f" ({error.filename})" if error.filename else "")
    return str(error)


def _report(args) -> int:
    if not pathlib.Path(args.db).is_file():
        return _error("report", f"no results database at {args.db}", ENVIRONMENT)
    try:
        paths = _write_report(args.db, pathlib.Path(args.out), args.suite, args.trust)
    except MissingExtra as error:
        return _error("report", error, ENVIRONMENT)
    except LookupError as error:
        return _error("report", error, USAGE if args.suite else ENVIRONMENT)
    except sqlite3.Error as error:
        return _error("report", f"cannot read {args.db}: {error}", ENVIRONMENT)
    except OSError as error:  # the output folder, not the database
        return _error("report", f"cannot write the report into {args.out}: {_reason(error)}",
                      ENVIRONMENT)
    except Exception as error:  # noqa: BLE001 - a database of unexpected content
        return _error("report", f"cannot read {args.db}: {error}", ENVIRONMENT)
    print(f"report: {paths['html']} (and {paths['markdown'].name}, figures/)")
    return OK


def _export(args) -> int:
    from .suite.store import export

    if not pathlib.Path(args.db).is_file():
        return _error("export", f"no results database at {args.db}", ENVIRONMENT)
    try:
        path = export(args.db, args.out, format=args.format, suite=args.suite)
    except ImportError as error:
        return _error("export", error, ENVIRONMENT)
    except sqlite3.Error as error:
        return _error("export", f"cannot read {args.db}: {error}", ENVIRONMENT)
    except OSError as error:  # the output file, not the database
        return _error("export", f"cannot write {args.out or 'the export beside the database'}"
                                f": {_reason(error)}", ENVIRONMENT)
    except Exception as error:  # noqa: BLE001 - a database of unexpected content
        return _error("export", f"cannot read {args.db}: {error}", ENVIRONMENT)
    print(path)
    return OK


# --- studies ---------------------------------------------------------------------------------
def _study(args) -> int:
    try:
        from .studies import get_study, run_all
    except MissingExtra as error:
        return _error("study", error, ENVIRONMENT)
    from .suite import SuiteInterrupted, make_executor
    from .suite.progress import make_progress

    if args.jobs is not None and args.jobs < 0:
        return _error("study", f"--jobs must be a non-negative integer, got {args.jobs}", USAGE)
    if args.name != "all":
        try:
            study = get_study(args.name)
        except ValueError as error:
            return _error("study", error, USAGE)
    try:
        pathlib.Path(args.out).mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return _error("study", f"cannot write to {args.out}: {_reason(error)}", ENVIRONMENT)
    try:
        executor = make_executor(args.jobs, args.scheduler)
    except ImportError as error:
        return _error("study", error, ENVIRONMENT)
    except OSError as error:
        return _error("study", f"cannot reach the Dask scheduler {args.scheduler}: {error}",
                      ENVIRONMENT)
    options = dict(quick=args.quick, executor=executor, out=args.out, fresh=args.fresh,
                   progress=make_progress())
    try:
        with executor:
            sections = run_all(**options) if args.name == "all" else [study.run(**options)]
    except SuiteInterrupted:
        return _error("study", "interrupted: finished runs are kept in "
                               f"{args.out}/results.db; the same command resumes", INTERRUPTED)
    except sqlite3.Error as error:
        return _error("study", f"cannot use the database {args.out}/results.db: {error}",
                      ENVIRONMENT)
    except OSError as error:  # writing figures or pages into --out
        return _error("study", _reason(error), ENVIRONMENT)
    for section in sections:
        print(f"\n{section.title}")
        for finding in section.findings:
            print(f"  {finding.markdown()[2:]}")
    written = "studies.md" if args.name == "all" else f"{args.name}.md"
    print(f"\nwritten: {pathlib.Path(args.out) / written} (figures in "
          f"{pathlib.Path(args.out) / 'figures'})")
    return OK


# --- demo ------------------------------------------------------------------------------------
def _demo(args) -> int:
    from .demo import compare, format_table

    for name in ("budget", "seeds", "dim"):
        if getattr(args, name) < 1:
            print(f"stochsearch demo: --{name} must be a positive integer, got "
                  f"{getattr(args, name)}", file=sys.stderr)
            return USAGE
    print(f"Shifted {args.dim}-D landscapes, {args.budget:,} evaluations per run, "
          f"{args.seeds} seeds (first run compiles the kernels; later runs load them).\n")
    print(format_table(compare(budget=args.budget, seeds=args.seeds, dim=args.dim)))
    return OK


def _version() -> str:
    from . import __version__
    return f"stochsearch {__version__}"


if __name__ == "__main__":
    sys.exit(main())
