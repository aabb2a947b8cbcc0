"""A benchmark suite from Python: define it as a dict (the TOML file's structure), run it into
a results database, and read the results (with pandas when it is installed).

The command line does the same with a TOML file: ``stochsearch bench suite.toml``.
"""
import tempfile
from pathlib import Path

from stochsearch.suite import InProcessExecutor, load_results, parse_suite, run_suite

SUITE = {
    "suite": {"name": "tiny", "seed": 3, "seeds": 3, "budget": 2_000, "history": 10,
              "targets": [1.0, 1e-3]},
    "optimizers": {"rhc-single": {"optimizer": "rhc", "params": {"restarts": 0},
                                  "dial": "zero"},
                   "rhc": {}},
    "problems": {"rastrigin-2": {"problem": "rastrigin", "params": {"dim": 2}},
                 "onemax": {"params": {"n": 30}}},
}


def main():
    db = Path(tempfile.mkdtemp()) / "results.db"
    summary = run_suite(parse_suite(SUITE), executor=InProcessExecutor(), store=db)
    print(f"ran {summary.ran} tasks, {summary.failed} failed, stored in {db}")
    rows = load_results(db, frame=False)              # a list of dicts, no pandas needed
    assert len(rows) == summary.ran == 2 * 2 * 3 and summary.failed == 0
    try:
        import pandas  # noqa: F401
    except ImportError:
        return rows
    frame = load_results(db)                          # a pandas DataFrame
    print(frame.groupby(["problem", "optimizer"])["fun"].median())
    return frame


if __name__ == "__main__":
    main()
