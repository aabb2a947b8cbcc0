"""The results store: SQLite (standard library) in WAL mode, one row per task.

Each result is committed the moment it arrives, so a run killed at any point (even with
``kill -9``) leaves a readable store holding every finished task, and a rerun completes only
the missing ones. Rows are keyed by (suite, task key): a task is never stored twice. JSON
columns hold parameters, the history and library versions. ``load_results`` reads a store
back; ``export`` writes CSV, or Parquet when pyarrow is installed.
"""
from __future__ import annotations

import contextlib
import csv
import datetime
import json
import os
import pathlib
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .tasks import Task

__all__ = ["COLUMNS", "Store", "StoreConflict", "export", "load_results"]

#: The columns of a task row, in order (JSON columns hold text).
COLUMNS = {
    "suite": "TEXT NOT NULL", "key": "TEXT NOT NULL", "config": "TEXT", "optimizer": "TEXT",
    "algorithm": "TEXT", "params": "TEXT", "problem": "TEXT", "problem_params": "TEXT",
    "init": "TEXT", "init_params": "TEXT", "replicate": "INTEGER", "seed": "INTEGER",
    "budget": "INTEGER", "status": "TEXT", "stop": "TEXT", "fun": "REAL", "f_opt": "REAL",
    "nfev": "INTEGER", "nit": "INTEGER", "dim": "INTEGER", "kind": "TEXT",
    "wall_time": "REAL", "versions": "TEXT", "history": "TEXT", "error": "TEXT",
    "finished": "TEXT", "extra": "TEXT",
}
_JSON = ("params", "problem_params", "init_params", "versions", "history", "extra")
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS tasks (
    {", ".join(f'"{name}" {kind}' for name, kind in COLUMNS.items())},
    PRIMARY KEY (suite, key));
CREATE TABLE IF NOT EXISTS suites (name TEXT PRIMARY KEY, spec TEXT, updated TEXT);
"""


class StoreConflict(RuntimeError):
    """The store holds results of a different version of the suite."""


class Store:
    """A results database (``path``, or ``":memory:"``).

    ``readonly=True`` opens an existing database for reading only (as ``report`` and
    ``export`` do): nothing is written to it, so a database on a read-only file system, or
    one the user may not write, can still be read.

    Examples
    --------
    >>> with Store(":memory:") as store:
    ...     store.suites()
    []
    """

    def __init__(self, path: str | os.PathLike = ":memory:", *,
                 readonly: bool = False) -> None:
        self.path = str(path)
        self.readonly = readonly
        if readonly:
            self._db = _open_readonly(self.path)
            self._db.row_factory = sqlite3.Row
            return
        if self.path != ":memory:":
            pathlib.Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=60, isolation_level=None,
                                   check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        # Durable against a killed process (not against power loss), at a fraction of FULL's
        # cost per commit.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        present = {row[1] for row in self._db.execute("PRAGMA table_info(tasks)")}
        for name in COLUMNS.keys() - present:  # a store written by an older version
            self._db.execute(f'ALTER TABLE tasks ADD COLUMN "{name}" {COLUMNS[name]}')

    # --- writing -----------------------------------------------------------------------------
    def begin(self, suite: dict, tasks: Iterable[Task], fresh: bool = False) -> set:
        """Record ``suite`` (its ``to_dict()``) and return the keys of its tasks already done.

        Raises StoreConflict when stored rows belong to another version of the suite (a
        changed parameter, a removed entry): rerun with ``fresh=True`` to start over.
        """
        name = suite["name"]
        with self._transaction():
            if fresh:
                self._db.execute("DELETE FROM tasks WHERE suite = ?", (name,))
            stored = dict(self._db.execute("SELECT key, config FROM tasks WHERE suite = ?",
                                           (name,)).fetchall())
            wanted = {t.key: t.config for t in tasks}
            changed = [k for k, config in stored.items() if wanted.get(k, config) != config]
            removed = [k for k in stored if k not in wanted]
            if changed or removed:
                raise StoreConflict(_conflict(self.path, name, changed, removed))
            self._db.execute("INSERT OR REPLACE INTO suites VALUES (?, ?, ?)",
                             (name, json.dumps(suite, default=str), _now()))
        return set(stored)

    @contextlib.contextmanager
    def _transaction(self):
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def put(self, record: dict) -> None:
        """Store one task's record (replacing an earlier row of the same task)."""
        row = dict(record, finished=_now())
        values = [json.dumps(row.get(c), sort_keys=True) if c in _JSON and
                  not isinstance(row.get(c), (str, type(None))) else row.get(c)
                  for c in COLUMNS]
        names = ", ".join(f'"{c}"' for c in COLUMNS)
        self._db.execute(f"INSERT OR REPLACE INTO tasks ({names}) "
                         f"VALUES ({', '.join('?' * len(COLUMNS))})", values)

    def delete_failed(self, suite: str) -> set:
        """Forget the failed tasks of ``suite`` (so that they run again); return their keys."""
        with self._transaction():
            keys = {r[0] for r in self._db.execute(
                "SELECT key FROM tasks WHERE suite = ? AND status = 'failed'", (suite,))}
            self._db.execute("DELETE FROM tasks WHERE suite = ? AND status = 'failed'",
                             (suite,))
        return keys

    # --- reading -----------------------------------------------------------------------------
    def suites(self) -> list[str]:
        """Names of the suites with results here, in the order they were last run."""
        rows = self._db.execute("SELECT name FROM suites ORDER BY updated, name").fetchall()
        return [r[0] for r in rows]

    def suite(self, name: str | None = None) -> dict:
        """The stored description of suite ``name`` (the only or latest one by default)."""
        names = self.suites()
        if not names:
            raise LookupError(f"{self.path} holds no suite results")
        if name is None:
            name = names[-1]
        row = self._db.execute("SELECT spec FROM suites WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise LookupError(f"{self.path} has no suite {name!r}; it has "
                              f"{', '.join(map(repr, names))}")
        return json.loads(row[0])

    def records(self, suite: str | None = None) -> list[dict]:
        """Every task row (of ``suite``, or of all suites), JSON columns decoded."""
        return [{k: (json.loads(v) if k in _JSON and v is not None else v)
                 for k, v in row.items()} for row in self.raw_rows(suite)]

    def raw_rows(self, suite: str | None = None) -> list[dict]:
        """Task rows as stored (JSON columns as text): for export and comparison. Columns a
        store written by an older version lacks are None."""
        query, args = "SELECT * FROM tasks", ()
        if suite is not None:
            query, args = query + " WHERE suite = ?", (suite,)
        return [{c: None for c in COLUMNS} | dict(r)
                for r in self._db.execute(query + " ORDER BY suite, key", args)]

    def counts(self, suite: str) -> dict:
        """``{status: number of tasks}`` of ``suite``."""
        rows = self._db.execute("SELECT status, COUNT(*) FROM tasks WHERE suite = ? "
                                "GROUP BY status", (suite,)).fetchall()
        return dict(rows)

    def close(self) -> None:
        self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _open_readonly(path: str) -> sqlite3.Connection:
    """A read-only connection to the existing database ``path``. A database in WAL mode
    whose folder cannot be written (a read-only file system) is opened as immutable."""
    if not pathlib.Path(path).is_file():
        raise FileNotFoundError(f"no results database at {path}")
    uri = pathlib.Path(path).resolve().as_uri()
    db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=60, check_same_thread=False)
    try:
        db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        db.close()
        db = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    return db


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")


def _conflict(path, name, changed, removed) -> str:
    parts = []
    if changed:
        parts.append(f"{len(changed)} task(s) changed since they ran (e.g. {changed[0]!r})")
    if removed:
        parts.append(f"{len(removed)} stored task(s) are no longer in the suite "
                     f"(e.g. {removed[0]!r})")
    return (f"{path} holds results of another version of suite {name!r}: "
            f"{'; '.join(parts)}. Start over with --fresh (fresh=True), or use another "
            "database (--db).")


@contextlib.contextmanager
def _reading(db):
    """The Store ``db`` (a Store, or the path of an existing database, closed afterwards)."""
    if isinstance(db, Store):
        yield db
        return
    store = Store(db, readonly=True)
    try:
        yield store
    finally:
        store.close()


def load_results(db: str | os.PathLike | Store, suite: str | None = None, *,
                 frame: bool | None = None) -> Any:
    """The task rows of a store, one per task, JSON columns decoded.

    Parameters
    ----------
    db : path or Store
    suite : str, optional
        Only this suite's rows.
    frame : bool, optional
        True: a pandas DataFrame; False: a list of dicts. By default a DataFrame when pandas
        is installed, else the list.
    """
    with _reading(db) as store:
        records = store.records(suite)
    if frame is False:
        return records
    try:
        import pandas
    except ImportError:
        if frame:
            raise ImportError("load_results(frame=True) needs pandas: pip install pandas") \
                from None
        return records
    return pandas.DataFrame.from_records(records, columns=list(COLUMNS))


def export(db: str | os.PathLike | Store, path: str | os.PathLike | None = None, *,
           format: str = "csv", suite: str | None = None) -> pathlib.Path:
    """Write the task rows to CSV or Parquet (JSON columns as text); return the file's path.

    ``path`` defaults to the database's name with the format's suffix. Parquet needs pyarrow.
    """
    if format not in ("csv", "parquet"):
        raise ValueError(f"format must be 'csv' or 'parquet', got {format!r}")
    if format == "parquet":
        try:
            import pyarrow
            import pyarrow.parquet
        except ImportError:
            raise ImportError("Parquet export needs pyarrow: pip install pyarrow") from None
    with _reading(db) as store:
        rows = store.raw_rows(suite)
    path = pathlib.Path(path) if path else pathlib.Path(store.path).with_suffix("." + format)
    path.parent.mkdir(parents=True, exist_ok=True)
    if format == "csv":
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
            writer.writeheader()
            writer.writerows(rows)
    else:
        schema = pyarrow.schema([(c, pyarrow.int64() if t == "INTEGER" else pyarrow.float64()
                                  if t == "REAL" else pyarrow.string())
                                 for c, t in COLUMNS.items()])
        table = pyarrow.Table.from_pylist(rows, schema=schema)
        pyarrow.parquet.write_table(table, path)
    return path
