"""The `stochsearch` command: help everywhere, list, run, bench, report, export, the exit codes
scripts rely on, and Ctrl-C keeping every finished result."""
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from stochsearch.cli import main

from .suite.conftest import SLOW, tiny, write_suite  # noqa: F401 - fixtures

COMMANDS = ["list", "run", "bench", "report", "export", "demo"]


@pytest.mark.parametrize("command", [None] + COMMANDS)
def test_help_everywhere(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(([command] if command else []) + ["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "exit codes:\n  0    success" in out and "130  interrupted by Ctrl-C" in out


def test_no_command_prints_help_and_fails(capsys):
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().out


def test_list_names_everything_with_parameters(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "optimizers:" in out and "problems:" in out and "initializers:" in out
    assert "SimulatedAnnealing(move=None, schedule='exponential', t0='auto'" in out
    assert "Rastrigin(dim=None, shift=False, rotate=False, seed=0)" in out
    assert main(["list", "initializers"]) == 0
    out = capsys.readouterr().out
    assert "center" in out and "optimizers:" not in out


def test_list_names_the_kinds_of_space_in_one_order_everywhere(capsys):
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    order = ["Real", "Binary", "Permutation", "Integer"]
    labels = [line.split("[", 1)[1].split("]", 1)[0] for line in lines if "[" in line
              and line.startswith("  ") and not line.startswith("   ")]
    seen = [[order.index(k.split(" ")[0]) for k in label.split(", ")
             if k.split(" ")[0] in order] for label in labels]
    assert any(len(kinds) >= 3 for kinds in seen)     # optimizers and initializers alike
    assert all(kinds == sorted(kinds) for kinds in seen), labels
    ga = next(line for line in lines if line.startswith("  ga "))
    assert "[Real, Binary, Permutation, Integer]" in ga and "every kind of space" in ga


def test_run_prints_the_result(capsys):
    code = main(["run", "sa", "sphere", "--budget", "2000", "--seed", "3", "-P", "dim=3",
                 "-P", "shift=true", "-p", "t0=0", "--init", "center"])
    assert code == 0
    out = capsys.readouterr().out
    assert out.startswith("SimulatedAnnealing(t0=0) on sphere-3-shift0, seed 3, init 'center'")
    assert "nfev    2000" in out and "status MAX_EVALS" in out and "f - f* =" in out


@pytest.mark.parametrize("args, message", [
    (["run", "sa2", "sphere"], "unknown optimizer 'sa2'; did you mean 'sa'?"),
    (["run", "sa", "sphere", "-p", "t00=1"], "'sa' has no parameter 't00'; did you mean 't0'?"),
    (["run", "sa", "sphere", "-p", "t0=-1"], "t0 must be a non-negative number, got -1.0"),
    (["run", "sa", "sphere", "--budget", "0"], "budget must be a positive integer, got 0"),
    (["run", "sa", "sphere", "-p", "t0"], "--param takes KEY=VALUE, got 't0'"),
    (["run", "sa", "sphere", "--init", "zeroes"], "did you mean 'zeros'?"),
])
def test_run_refuses_bad_input_with_exit_code_2(args, message, capsys):
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_bench_runs_resumes_and_reports(tiny, tmp_path, capsys):  # noqa: F811
    out = tmp_path / "out"
    assert main(["bench", str(tiny), "--jobs", "0", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "tiny: 24 tasks on InProcessExecutor" in captured.out
    assert "24 tasks run (0 failed), 0 already stored" in captured.out
    assert "stochsearch: 24/24 tasks" in captured.err  # plain progress lines: not a terminal
    assert "stochsearch: compiling the kernels" in captured.err  # before the tasks
    assert "stochsearch: drawing the report: done in" in captured.err
    assert (out / "results.db").is_file() and (out / "report.html").is_file()
    assert main(["bench", str(tiny), "--jobs", "0", "--out", str(out), "--no-report"]) == 0
    assert "0 tasks run (0 failed), 24 already stored" in capsys.readouterr().out

    assert main(["export", str(out / "results.db")]) == 0
    assert capsys.readouterr().out.strip().endswith("results.csv")
    assert len((out / "results.csv").read_text().splitlines()) == 25


def test_export_to_parquet_or_say_what_is_missing(tiny, tmp_path, capsys):  # noqa: F811
    db = tmp_path / "r.db"
    assert main(["bench", str(tiny), "--jobs", "0", "--db", str(db), "--no-report"]) == 0
    code = main(["export", str(db), "--format", "parquet", "--out", str(tmp_path / "r.pq")])
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        assert code == 3 and "pip install pyarrow" in capsys.readouterr().err
    else:
        assert code == 0 and (tmp_path / "r.pq").is_file()


def test_bench_exit_codes(write_suite, tmp_path, capsys):  # noqa: F811
    invalid = write_suite('[suite]\nbudget = 10\n[optimizers.sa]\nparams = { t00 = 1 }\n'
                          '[problems.sphere]\n', name="invalid.toml")
    assert main(["bench", str(invalid), "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "the suite does not validate; nothing ran" in err
    assert f"{invalid}: optimizers.sa.params.t00: 'sa' has no parameter 't00'" in err
    assert not (tmp_path / "x").exists()

    failing = write_suite('[suite]\nbudget = 200\nseeds = 2\n[optimizers.sa]\n'
                          '[problems.crash]\nproblem = "userprobs:Fragile"\n'
                          'params = { after = 20 }\n', name="failing.toml")
    db = tmp_path / "f.db"
    assert main(["bench", str(failing), "--jobs", "0", "--db", str(db), "--no-report"]) == 1
    assert "2 tasks failed" in capsys.readouterr().err

    assert main(["report", str(db), "--out", str(tmp_path / "report")]) == 0
    assert (tmp_path / "report" / "report.md").is_file()
    assert "report: " in capsys.readouterr().out

    changed = write_suite(failing.read_text().replace("200", "300"), name="failing.toml")
    assert main(["bench", str(changed), "--jobs", "0", "--db", str(db), "--no-report"]) == 2
    assert "Start over with --fresh" in capsys.readouterr().err
    assert main(["bench", str(changed), "--jobs", "-1"]) == 2

    assert main(["report", str(tmp_path / "missing.db"), "--out", str(tmp_path)]) == 3
    assert main(["export", str(tmp_path / "missing.db")]) == 3
    not_a_db = tmp_path / "text.db"
    not_a_db.write_text("hello")
    assert main(["report", str(not_a_db), "--out", str(tmp_path)]) == 3
    assert "no results database" in capsys.readouterr().err


def test_bench_on_dask_without_dask_says_what_to_install(tiny, monkeypatch,  # noqa: F811
                                                         capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)
    assert main(["bench", str(tiny), "--scheduler", "local"]) == 3
    assert "pip install 'stochsearch[dask]'" in capsys.readouterr().err




def test_ctrl_c_stops_cleanly_and_keeps_every_finished_result(write_suite, tmp_path):  # noqa: F811
    suite = write_suite(SLOW)
    db = tmp_path / "slow.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "stochsearch.cli", "bench", str(suite), "--db", str(db),
         "--jobs", "2", "--no-report"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with sqlite3.connect(db) as connection:
                if connection.execute("SELECT COUNT(*) FROM tasks").fetchone()[0] >= 3:
                    break
        except sqlite3.OperationalError:
            pass
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    stored = sqlite3.connect(db).execute("SELECT COUNT(*) FROM tasks").fetchone()[0]
    assert 3 <= stored < 24
    assert f"interrupted: {stored} of 24 tasks are in {db}" in err


def test_python_dash_m_runs_the_same_command_line():
    done = subprocess.run([sys.executable, "-m", "stochsearch", "run", "sa", "sphere",
                           "--budget", "200", "--seed", "1"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("SimulatedAnnealing() on sphere-10, seed 1")
    assert "nfev    200" in done.stdout


def test_study_runs_one_study_and_all_of_them(tmp_path, monkeypatch, capsys):
    import stochsearch.studies as studies

    out = tmp_path / "studies"
    assert main(["study", "landscape", "--quick", "--jobs", "0", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Landscape: what the other results depend on" in printed
    assert (out / "landscape.md").is_file() and (out / "figures" / "landscape.png").is_file()
    # 'all' runs every study of the registry (here only this one) and writes the document
    monkeypatch.setattr(studies, "STUDIES", {"landscape": studies.STUDIES["landscape"]})
    assert main(["study", "all", "--quick", "--jobs", "0", "--out", str(out)]) == 0
    document = (out / "studies.md").read_text()
    assert document.startswith("# What the studies show")
    assert "`stochsearch study all --quick --out " in document
    assert "![landscape](figures/landscape.png)" in document


def test_study_refuses_an_unknown_name_with_exit_code_2(capsys):
    assert main(["study", "symetry"]) == 2
    assert "unknown study 'symetry'; did you mean 'symmetry'?" in capsys.readouterr().err


PLANE = """
[suite]
name = "plane"
budget = 200
seeds = 1
[optimizers.sa]
[problems.sphere]
params = { dim = 2 }
"""


def _tamper(db, problem: str, ref: str, params: dict) -> None:
    """Make the stored suite name its problem ``ref`` with ``params``, as a hostile database
    would."""
    import json

    with sqlite3.connect(db) as connection:
        (spec,), = connection.execute("SELECT spec FROM suites").fetchall()
        spec = json.loads(spec)
        spec["problems"][problem].update(ref=ref, params=params)
        connection.execute("UPDATE suites SET spec = ?", (json.dumps(spec),))


def test_a_results_database_never_runs_code(write_suite, tmp_path, capsys):  # noqa: F811
    db = tmp_path / "r.db"
    assert main(["bench", str(write_suite(PLANE)), "--jobs", "0", "--db", str(db),
                 "--no-report"]) == 0
    marker = tmp_path / "code-ran"
    _tamper(db, "sphere", "os:system", {"command": f"touch '{marker}'"})
    assert main(["report", str(db), "--out", str(tmp_path / "report")]) == 0
    assert main(["export", str(db)]) == 0
    assert not marker.exists()
    text = (tmp_path / "report" / "report.md").read_text()
    assert "sphere: not drawn. The database names its problem as the code reference " \
           "'os:system', and a report never runs code named by a database; pass --trust" in text
    # With --trust the user takes responsibility: the reference is imported (and here runs).
    assert main(["report", str(db), "--out", str(tmp_path / "trusted"), "--trust"]) == 0
    assert marker.exists()


def test_a_suite_name_becomes_one_safe_folder_under_results(write_suite, tmp_path,  # noqa: F811
                                                          monkeypatch, capsys):
    from stochsearch.cli import folder_name

    assert folder_name("../../x") == "x" and folder_name("..") == "suite"
    assert folder_name("my suite/v2") == "my-suite-v2" and folder_name("a.b_c-1") == "a.b_c-1"
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    suite = write_suite(PLANE.replace('name = "plane"', 'name = "../../escaped"'))
    assert main(["bench", str(suite), "--jobs", "0", "--no-report"]) == 0
    assert (work / "results" / "escaped" / "results.db").is_file()
    assert not (tmp_path / "escaped").exists()


def _read_only_below(monkeypatch, folder):
    """Make creating anything below ``folder`` fail as on a read-only file system (the
    tests run as root, whom chmod does not stop)."""
    import errno
    import pathlib

    mkdir = pathlib.Path.mkdir

    def refuse(self, *args, **kwargs):
        if pathlib.Path(self).resolve().is_relative_to(pathlib.Path(folder).resolve()):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))
        return mkdir(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "mkdir", refuse)


def test_out_on_a_read_only_file_system_is_an_environment_error(tiny, tmp_path,  # noqa: F811
                                                                monkeypatch, capsys):
    _read_only_below(monkeypatch, tmp_path / "ro")
    assert main(["bench", str(tiny), "--jobs", "0", "--out", str(tmp_path / "ro" / "o")]) == 3
    err = capsys.readouterr().err
    assert f"stochsearch bench: cannot write to {tmp_path / 'ro' / 'o'}: read-only file " \
           f"system" in err and "Traceback" not in err


def test_report_and_export_open_the_database_read_only(write_suite, tmp_path,  # noqa: F811
                                                       monkeypatch, capsys):
    import hashlib

    db = tmp_path / "r.db"
    assert main(["bench", str(write_suite(PLANE)), "--jobs", "0", "--db", str(db),
                 "--no-report"]) == 0
    with sqlite3.connect(db) as connection:  # a store of an older version, without 'extra'
        connection.execute('ALTER TABLE tasks DROP COLUMN "extra"')
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    connect = sqlite3.connect

    def read_only_file(database, *args, **kwargs):  # as on a read-only file system
        if not str(database).startswith("file:") or "mode=ro" not in str(database):
            if os.path.abspath(str(database)) == str(db):
                raise sqlite3.OperationalError("attempt to write a readonly database")
        return connect(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", read_only_file)
    assert main(["report", str(db), "--out", str(tmp_path / "report")]) == 0
    assert main(["export", str(db), "--out", str(tmp_path / "rows.csv")]) == 0
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert "extra" in (tmp_path / "rows.csv").read_text().splitlines()[0]


def test_a_report_into_a_read_only_folder_blames_the_folder(write_suite, tmp_path,  # noqa: F811
                                                            monkeypatch, capsys):
    db = tmp_path / "r.db"
    assert main(["bench", str(write_suite(PLANE)), "--jobs", "0", "--db", str(db),
                 "--no-report"]) == 0
    capsys.readouterr()
    _read_only_below(monkeypatch, tmp_path / "ro")
    assert main(["report", str(db), "--out", str(tmp_path / "ro")]) == 3
    err = capsys.readouterr().err
    assert f"cannot write the report into {tmp_path / 'ro'}: read-only file system" in err
    assert "cannot read" not in err and str(db) not in err


def test_study_out_on_a_read_only_file_system_is_an_environment_error(tmp_path, monkeypatch,
                                                                      capsys):
    _read_only_below(monkeypatch, tmp_path / "ro")
    assert main(["study", "landscape", "--quick", "--jobs", "0", "--out",
                 str(tmp_path / "ro" / "studies")]) == 3
    err = capsys.readouterr().err
    assert f"stochsearch study: cannot write to {tmp_path / 'ro' / 'studies'}: read-only " \
           "file system" in err
