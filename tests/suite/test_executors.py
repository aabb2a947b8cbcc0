"""The three executors store identical results for the same suite; a worker that dies has its
task run again, and a task that keeps killing its worker is recorded as failed."""
import os
import pathlib
import signal
import subprocess
import sys
import time

import pytest

from stochsearch.suite import (DaskExecutor, InProcessExecutor, ProcessExecutor, Store,
                               make_executor, run_suite)
from stochsearch.suite.executors import cpu_count
from stochsearch.suite.tasks import RESULT_FIELDS

# A numba landscape, a plain-Python problem beside the suite, a 2-D trajectory and a task
# whose objective raises: every kind of record.
SUITE = """
[suite]
name = "executors"
seed = 11
seeds = 2
budget = 600
history = 10

[optimizers.rhc]
[optimizers.sa]
[optimizers.random]
params = { batch_size = 50 }

[problems.rastrigin-2]
problem = "rastrigin"
params = { dim = 2, shift = true }

[problems.slow]
problem = "userprobs:Slow"

[problems.crashing]
problem = "userprobs:Fragile"
params = { after = 100 }

[initializers.uniform]
[initializers.center]
"""


def results(store):
    return {r["key"]: {k: r[k] for k in RESULT_FIELDS} for r in store.raw_rows()}


@pytest.fixture(scope="module")
def dask_cluster():
    pytest.importorskip("distributed")
    executor = DaskExecutor("local", workers=2)
    yield executor
    executor.close()


@pytest.fixture
def suite_path(write_suite):
    return write_suite(SUITE)


@pytest.fixture
def reference(suite_path):
    return results(run_suite(suite_path, executor=InProcessExecutor()).store)


def test_local_processes_store_what_this_process_stores(suite_path, reference):
    with ProcessExecutor(2) as executor:
        summary = run_suite(suite_path, executor=executor)
    assert summary.ran == 36 and summary.failed == 12
    assert results(summary.store) == reference


def test_dask_stores_what_this_process_stores(suite_path, reference, dask_cluster):
    assert dask_cluster.workers == 2
    summary = run_suite(suite_path, executor=dask_cluster)
    assert results(summary.store) == reference


DEADLY = """
[suite]
budget = 200
seeds = 1
[optimizers.sa]
[problems.deadly]
problem = "userprobs:Deadly"
params = {{ marker = "{marker}" }}
[problems.sphere]
[problems.rastrigin]
{more}
"""


def test_a_worker_that_dies_has_its_task_run_again(write_suite, tmp_path):
    path = write_suite(DEADLY.format(marker=tmp_path / "died", more="""
        [problems.always-deadly]
        problem = "userprobs:Deadly"
        """))
    store = Store(":memory:")
    with ProcessExecutor(2, max_attempts=2) as executor:
        summary = run_suite(path, executor=executor, store=store)
    rows = {r["key"]: r for r in store.records()}
    assert summary.ran == len(rows) == 4
    assert (tmp_path / "died").exists()  # the task killed its worker once, then ran again
    assert {rows[f"sa|{p}|uniform|0"]["status"] for p in ("deadly", "sphere", "rastrigin")} \
        == {"ok"}
    row = rows["sa|always-deadly|uniform|0"]
    assert row["status"] == "failed"
    assert "worker process died while running this task, 2 times" in row["error"]


def test_dask_runs_the_task_of_a_dead_worker_again(write_suite, tmp_path, dask_cluster):
    path = write_suite(DEADLY.format(marker=tmp_path / "died", more=""))
    summary = run_suite(path, executor=dask_cluster)
    assert (tmp_path / "died").exists()
    assert summary.failed == 0 and summary.ran == 3


def test_make_executor_follows_the_command_line():
    assert isinstance(make_executor(0), InProcessExecutor)
    executor = make_executor(3)
    assert isinstance(executor, ProcessExecutor) and executor.workers == 3
    assert make_executor().workers >= 1


def _blas_threads(_task):
    from threadpoolctl import threadpool_info
    return max((pool["num_threads"] for pool in threadpool_info()
                if pool["user_api"] == "blas"), default=1)


def test_workers_share_the_cores_between_their_blas_threads():
    executor = ProcessExecutor(jobs=2)
    try:
        threads = list(executor.map_unordered(_blas_threads, [0, 1], lost=lambda task, why: None))
    finally:
        executor.close()
    assert threads == [max(1, cpu_count() // 2)] * 2


def test_a_local_dask_cluster_listens_on_loopback_only(monkeypatch):
    # The scheduler, the workers and the dashboard (when bokeh is installed) of the cluster
    # that `--scheduler local` starts bind to 127.0.0.1, never to every interface.
    import distributed

    seen = {}

    class Cluster:
        def __init__(self, **kwargs):
            seen.update(kwargs)

        def close(self):
            pass

    class Client:
        def __init__(self, cluster, **kwargs):
            pass

        def scheduler_info(self):
            return {"workers": {"w": {}}}

        def close(self):
            pass

    monkeypatch.setattr(distributed, "LocalCluster", Cluster)
    monkeypatch.setattr(distributed, "Client", Client)
    DaskExecutor("local", workers=1).close()
    assert seen["host"] == "127.0.0.1"
    assert seen["dashboard_address"] is None or \
        seen["dashboard_address"].startswith("127.0.0.1:")


DRIVER = """
import sys

from stochsearch.suite import ProcessExecutor, run_suite

if __name__ == "__main__":
    with ProcessExecutor(1) as executor:
        run_suite(sys.argv[1], executor=executor)
"""


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie, exited but not yet reaped, does not)."""
    try:
        state = pathlib.Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not pathlib.Path("/proc").is_dir(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("kill", [signal.SIGTERM, signal.SIGKILL])
def test_workers_do_not_outlive_a_killed_driver(write_suite, tmp_path, kill):
    from .test_runner import HANG

    (tmp_path / "hang.py").write_text(HANG)
    (tmp_path / "driver.py").write_text(DRIVER)
    pidfile = tmp_path / "worker.pid"
    suite = write_suite(f"""
        [suite]
        budget = 100
        seeds = 1
        [optimizers.sa]
        [problems.hang]
        problem = "hang:Hang"
        params = {{ pidfile = "{pidfile}" }}
        """)
    driver = subprocess.Popen([sys.executable, str(tmp_path / "driver.py"), str(suite)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(1200):  # the worker starts and enters the endless objective
            if pidfile.is_file() and pidfile.read_text():
                break
            assert driver.poll() is None, "the driver ended before its worker started"
            time.sleep(0.05)
        worker = int(pidfile.read_text())
        assert _alive(worker)
        driver.send_signal(kill)
        driver.wait(timeout=60)
        for _ in range(600):
            if not _alive(worker):
                break
            time.sleep(0.05)
        assert not _alive(worker), f"worker {worker} outlived its driver"
    finally:
        if driver.poll() is None:
            driver.kill()
        if pidfile.is_file() and pidfile.read_text() and _alive(int(pidfile.read_text())):
            os.kill(int(pidfile.read_text()), signal.SIGKILL)
