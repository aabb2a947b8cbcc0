"""The main job's figures for the README: its run time and its headline figure.

    python bench/main_job.py     # ~4 minutes on 2 cores: bench/results/main_job.json and
                                 # docs/figures/default_randomness.png

Runs `stochsearch bench bench/default.toml` end to end twice, as a newcomer would: from a cold
start (an empty numba cache: validation, compilation, every task, the report) and again with
the cache warm, and copies the report's headline figure (where randomness helped) into docs/.
The README quotes both times and shows that figure; tests/test_readme.py fails when the README,
the figure or bench/default.toml drift from the JSON this writes. Rerun it after changing the
suite (or the code, when the times move), then copy the times it prints into the README.
"""
from __future__ import annotations

import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
SUITE = ROOT / "bench" / "default.toml"
RESULT = ROOT / "bench" / "results" / "main_job.json"
HEADLINE = ROOT / "docs" / "figures" / "default_randomness.png"
COLD, WARM = "cold start (empty numba cache)", "warm numba cache"


def sha256(path: pathlib.Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def duration(seconds: float) -> str:
    """``137.5`` -> ``"2 min 17 s"``, ``45.2`` -> ``"45 s"``: how the README writes a time (whole
    seconds, truncated, as bench/perf_table.py writes the performance table's row)."""
    if seconds < 60:
        return f"{int(seconds)} s"
    return f"{int(seconds // 60)} min {int(seconds % 60)} s"


def main() -> None:
    out = {"command": f"stochsearch bench {SUITE.relative_to(ROOT)}", "cores": os.cpu_count(),
           "seconds": {}, "load average (1 min) before": {}}
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        for label in (COLD, WARM):
            command = [sys.executable, "-m", "stochsearch.cli", "bench", str(SUITE), "--out",
                       folder, "--fresh"]
            out["load average (1 min) before"][label] = os.getloadavg()[0]
            started = time.perf_counter()
            subprocess.run(command, env=env, check=True, capture_output=True)
            out["seconds"][label] = time.perf_counter() - started
            print(f"main job, {label}: {out['seconds'][label]:.1f} s "
                  f"({duration(out['seconds'][label])})", flush=True)
        shutil.copyfile(pathlib.Path(folder, "figures", "randomness.png"), HEADLINE)
    out["suite sha256"] = sha256(SUITE)
    out["headline figure"] = str(HEADLINE.relative_to(ROOT))
    out["headline figure sha256"] = sha256(HEADLINE)
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(out, indent=2) + "\n")
    print(f"written to {RESULT} and {HEADLINE}")


if __name__ == "__main__":
    main()
