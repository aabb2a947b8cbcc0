"""The SQLite store: WAL mode, one row per task, JSON columns, loading with and without
pandas, CSV and Parquet export, and a run killed with SIGKILL that resumes without a
duplicate or a lost row."""
import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from stochsearch.suite import InProcessExecutor, Store, export, load_results, run_suite
from stochsearch.suite.store import COLUMNS
from stochsearch.suite.tasks import RESULT_FIELDS

from .conftest import SLOW


def record(key="sa|sphere|uniform|0", fun=0.25, **extra):
    base = {c: None for c in COLUMNS if c != "finished"}
    base.update(suite="s", key=key, config="abc", optimizer="sa", params={"t0": 0},
                problem="sphere", problem_params={}, init="uniform", init_params={},
                replicate=0, seed=123, budget=10, status="ok", stop="MAX_EVALS", fun=fun,
                nfev=10, nit=10, history={"nfev": [1, 10], "fun": [1.5, fun], "x": None},
                versions={"numpy": "2"}, wall_time=0.01)
    base.update(extra)
    return base


def test_rows_are_keyed_by_task_and_decode_their_json(tmp_path):
    path = tmp_path / "r.db"
    with Store(path) as store:
        store.put(record(fun=0.1 + 0.2))
        store.put(record(fun=float("inf"), key="sa|sphere|uniform|1"))
        store.put(record(fun=0.5))  # the same task again: replaces, never duplicates
        assert store.counts("s") == {"ok": 2}
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT COUNT(*) FROM tasks").fetchone()[0] == 2
    rows = {r["key"]: r for r in Store(path).records()}
    assert rows["sa|sphere|uniform|0"]["fun"] == 0.5
    assert rows["sa|sphere|uniform|1"]["fun"] == float("inf")
    assert rows["sa|sphere|uniform|0"]["params"] == {"t0": 0}
    assert rows["sa|sphere|uniform|0"]["history"]["fun"] == [1.5, 0.5]
    assert rows["sa|sphere|uniform|1"]["finished"]


def test_load_results_gives_records_or_a_data_frame(tmp_path, monkeypatch):
    path = tmp_path / "r.db"
    with Store(path) as store:
        store.put(record())
    rows = load_results(path, frame=False)
    assert isinstance(rows, list) and rows[0]["history"]["nfev"] == [1, 10]
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if pandas were not installed
    assert load_results(path) == rows
    with pytest.raises(ImportError, match="needs pandas"):
        load_results(path, frame=True)
    with pytest.raises(FileNotFoundError, match="no results database"):
        load_results(tmp_path / "missing.db")


def test_load_results_with_pandas(tmp_path):
    pandas = pytest.importorskip("pandas")
    path = tmp_path / "r.db"
    with Store(path) as store:
        store.put(record())
        store.put(record(key="sa|sphere|uniform|1", fun=2.0))
    frame = load_results(path)
    assert isinstance(frame, pandas.DataFrame) and list(frame.columns) == list(COLUMNS)
    assert frame["fun"].tolist() == [0.25, 2.0]
    assert frame.loc[0, "params"] == {"t0": 0}


def test_export_to_csv(tmp_path):
    path = tmp_path / "r.db"
    with Store(path) as store:
        store.put(record(fun=1 / 3))
    out = export(path)
    assert out == tmp_path / "r.csv"
    rows = list(csv.DictReader(out.open()))
    assert float(rows[0]["fun"]) == 1 / 3
    assert json.loads(rows[0]["history"])["nfev"] == [1, 10]
    with pytest.raises(ValueError, match="format must be 'csv' or 'parquet'"):
        export(path, format="xlsx")


def test_export_to_parquet(tmp_path):
    parquet = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "r.db"
    with Store(path) as store:
        store.put(record(fun=1 / 3))
    out = export(path, tmp_path / "out" / "r.parquet", format="parquet")
    table = parquet.read_table(out)
    assert table.column("fun").to_pylist() == [1 / 3]
    assert table.column("seed").to_pylist() == [123]


def test_parquet_export_without_pyarrow_says_what_to_install(tmp_path, monkeypatch):
    path = tmp_path / "r.db"
    with Store(path) as store:
        store.put(record())
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match="pip install pyarrow"):
        export(path, format="parquet")


# A run of the CLI killed with SIGKILL mid-way, rerun, and compared with a run that was never
# interrupted: same rows, no duplicate, nothing lost, finished tasks not run again.


def _bench(suite, db, jobs):
    return [sys.executable, "-m", "stochsearch.cli", "bench", str(suite), "--db", str(db),
            "--jobs", str(jobs), "--no-report"]


def _rows(db):
    connection = sqlite3.connect(db)
    try:
        return connection.execute("SELECT COUNT(*) FROM tasks").fetchone()[0]
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0
    finally:
        connection.close()


def test_a_killed_run_leaves_a_readable_store_and_resumes(write_suite, tmp_path):
    suite = write_suite(SLOW)
    db = tmp_path / "killed.db"
    process = subprocess.Popen(_bench(suite, db, 2), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if db.exists() and _rows(db) >= 4:
                break
            time.sleep(0.02)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL
    stored = _rows(db)
    assert 4 <= stored < 24  # killed mid-run, and every committed row is readable
    before = {r["key"]: r["finished"] for r in Store(db).raw_rows()}

    rerun = subprocess.run(_bench(suite, db, 0), capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{24 - stored} tasks run (0 failed), {stored} already stored" in rerun.stdout
    rows = Store(db).raw_rows()
    assert len(rows) == len({r["key"] for r in rows}) == 24
    assert all(r["finished"] == before[r["key"]] for r in rows if r["key"] in before)

    reference = run_suite(suite, executor=InProcessExecutor()).store.raw_rows()
    assert [{k: r[k] for k in RESULT_FIELDS} for r in rows] == \
        [{k: r[k] for k in RESULT_FIELDS} for r in reference]
