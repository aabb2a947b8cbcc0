"""Performance of the benchmark suite: how fast bench/default.toml runs, where its time goes.

    python bench/perf_suite.py          # ~5 minutes on 2 cores: bench/results/perf_suite.json
    python bench/perf_suite.py --quick  # a smoke run on a fraction of the tasks
    python bench/perf_suite.py --out DIR  # write DIR/perf_suite.json instead

Measured, on the tasks of bench/default.toml (numba's cache warm, workers started and warmed
before the clock starts; best of `--repeats` rounds, executors interleaved within a round
because the shared machine's speed drifts):
- tasks per second in one local process and in two (target: at least 1.7x from 1 to 2);
- the same tasks on a 2-worker Dask LocalCluster: the extra wall time per task over the
  2-process pool, and per task and worker (target: at most 5 ms);
- the cold start of a worker: a fresh process running one task of each optimizer of the
  suite with an empty numba cache (it compiles every kernel), and with the cache the driver
  warmed (it loads them).
The whole main job's times, cold and warm, are bench/main_job.py's (the README quotes them).
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

from stochsearch.suite import DaskExecutor, ProcessExecutor, load_suite
from stochsearch.suite.tasks import failed_record, run_task

ROOT = pathlib.Path(__file__).resolve().parents[1]
SUITE = ROOT / "bench" / "default.toml"
RESULTS = ROOT / "bench" / "results"

# One task of each optimizer of the suite, run by a fresh process: the cold start of a worker.
_WORKER = """
import json, sys, time
started = time.perf_counter()
from stochsearch.suite import load_suite
from stochsearch.suite.tasks import run_task
imported = time.perf_counter()
tasks = load_suite(sys.argv[1]).tasks()
built = time.perf_counter()
firsts = {}
for task in tasks:
    if task.optimizer not in firsts and task.problem == "rastrigin-10":
        t = time.perf_counter()
        run_task(task)
        firsts[task.optimizer] = time.perf_counter() - t
print(json.dumps({"import": imported - started, "build problems": built - imported,
                  "first task per optimizer": firsts,
                  "total": time.perf_counter() - started}))
"""


def throughput(executor, tasks) -> tuple[float, float]:
    """Seconds to run ``tasks`` on ``executor`` (its workers already started), and the sum of
    the tasks' own durations (inside the workers)."""
    started = time.perf_counter()
    busy = 0.0
    for record in executor.map_unordered(run_task, tasks, failed_record):
        assert record["status"] == "ok", record["error"]
        busy += record["wall_time"]
    return time.perf_counter() - started, busy


def start_workers(executor, tasks) -> None:
    """Start the executor's workers and let each load the kernels (not timed)."""
    throughput(executor, tasks[: 4 * executor.workers])


def measure_executors(tasks, repeats: int) -> dict:
    executors = {"1 process": ProcessExecutor(1), "2 processes": ProcessExecutor(2),
                 "dask, 2 workers": DaskExecutor("local", workers=2)}
    times = {name: [] for name in executors}
    busy = {name: [] for name in executors}
    loads = []
    try:
        for executor in executors.values():
            start_workers(executor, tasks)
        for _ in range(repeats):
            for name, executor in executors.items():
                loads.append(os.getloadavg()[0])
                elapsed, working = throughput(executor, tasks)
                times[name].append(elapsed)
                busy[name].append(working / elapsed)
                print(f"  {name}: {elapsed:.2f} s, workers busy {working / elapsed:.2f}, "
                      f"load average {loads[-1]:.1f}", flush=True)
    finally:
        for executor in executors.values():
            executor.close()
    best = {name: min(t) for name, t in times.items()}
    n = len(tasks)
    dask_extra = best["dask, 2 workers"] - best["2 processes"]
    return {
        "tasks": n, "repeats": repeats, "seconds": times,
        # Sum of the tasks' durations over the wall time: how many workers were computing at
        # once on average (2 = the pool never starves; on a shared machine each task also
        # runs slower when other processes take a core).
        "workers busy": busy,
        "load average (1 min) before each measurement": loads,
        "tasks per second": {name: n / t for name, t in best.items()},
        "speed-up 1 -> 2 processes": best["1 process"] / best["2 processes"],
        "dask extra wall time per task (ms)": 1e3 * dask_extra / n,
        "dask extra time per task and worker (ms)": 1e3 * dask_extra * 2 / n,
    }


def worker_cold_start() -> dict:
    """A fresh process's first tasks, with an empty numba cache and with a warm one."""
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        out = {}
        for label in ("empty cache (compiles)", "warm cache (loads)"):
            result = subprocess.run([sys.executable, "-c", _WORKER, str(SUITE)], env=env,
                                    capture_output=True, text=True, check=True)
            out[label] = json.loads(result.stdout)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a fraction of the tasks, once")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", default=str(RESULTS), help="folder of the JSON result")
    args = parser.parse_args()
    suite = load_suite(SUITE)
    tasks = suite.tasks()
    suite.check()
    suite.warm()
    if args.quick:
        tasks, args.repeats = tasks[::8], 1
    report = {"suite": str(SUITE.relative_to(ROOT)), "cores": os.cpu_count()}
    print(f"{len(tasks)} tasks of {SUITE.name}, best of {args.repeats}:", flush=True)
    report["executors"] = measure_executors(tasks, args.repeats)
    print("worker cold start:", flush=True)
    report["worker cold start (s)"] = worker_cold_start()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"perf_suite{'_quick' if args.quick else ''}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
