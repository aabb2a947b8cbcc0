"""Every Python example of README.md runs, in order, in one namespace: the README cannot drift
from the code."""
import os
import pathlib
import re
import subprocess
import sys

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def _blocks(language):
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(), flags=re.DOTALL)


def test_readme_examples_run():
    namespace = {}
    blocks = _blocks("python")
    assert len(blocks) >= 4
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)  # noqa: S102


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second():
    commands = _blocks("bash")[0].strip().splitlines()
    assert commands[0].endswith("stochsearch bench bench/default.toml")
    assert commands[1].endswith("python -m pytest")
    ci = (README.parent / ".ci" / "run").read_text()
    test_command = commands[1].split("&& ", 2)[-1]
    assert test_command in ci


def test_the_cli_demo_runs():
    out = subprocess.run([sys.executable, "-m", "stochsearch.cli", "demo", "--budget", "300",
                          "--seeds", "2", "--dim", "2"], capture_output=True, text=True,
                         check=True).stdout
    assert "rastrigin-2-shift0" in out and "annealing" in out
    bad = subprocess.run([sys.executable, "-m", "stochsearch.cli", "demo", "--seeds", "0"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "--seeds must be a positive integer" in bad.stderr


def test_the_readme_suite_runs_beside_the_example_modules_it_names():
    # Its module:attribute references name files of bench/examples/, where it validates as
    # written (a newcomer who copies it there gets a suite that runs).
    import tomllib

    from stochsearch.suite import parse_suite

    (block,) = [b for b in _blocks("toml") if "[suite]" in b]
    suite = parse_suite(tomllib.loads(block),
                        path=README.parent / "bench" / "examples" / "readme.toml")
    refs = [v.ref for _, v in suite.entries("problems") if ":" in v.ref]
    assert refs and all((README.parent / "bench" / "examples" /
                         f"{ref.partition(':')[0]}.py").is_file() for ref in refs)
    assert suite.tasks()


def test_ci_also_runs_the_readme_commands_in_order_in_one_folder():
    ci = (README.parent / ".ci" / "run").read_text()
    script = README.parent / ".ci" / "readme-install"
    assert ".ci/readme-install" in ci and os.access(script, os.X_OK)
    text = script.read_text()
    assert "stochsearch bench bench/default.toml" in text and "python -m pytest" in text


def test_the_main_job_figures_are_the_ones_its_command_last_measured():
    # bench/main_job.py runs `stochsearch bench bench/default.toml` cold and warm, writes
    # bench/results/main_job.json and copies the headline figure into docs/. The README quotes
    # that run, and both must be redone when the suite changes.
    import hashlib
    import importlib.util
    import json

    root = README.parent
    spec = importlib.util.spec_from_file_location("main_job", root / "bench" / "main_job.py")
    main_job = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(main_job)
    measured = json.loads((root / "bench" / "results" / "main_job.json").read_text())
    cold = main_job.duration(measured["seconds"][main_job.COLD])
    warm = main_job.duration(measured["seconds"][main_job.WARM])
    text = " ".join(README.read_text().split())
    assert f"{cold} on a 2-core machine from a cold start" in text, cold
    assert f"numba caches them: {warm} on later runs" in text, warm
    # The performance table's row, as bench/perf_table.py writes it from the same JSON.
    spec = importlib.util.spec_from_file_location("perf_table", root / "bench" / "perf_table.py")
    perf_table = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(perf_table)
    (row,) = perf_table.main_job(measured)
    assert row[1] == f"{cold}; {warm}" and "| " + " | ".join(row) + " |" in text
    sha = {name: hashlib.sha256((root / path).read_bytes()).hexdigest()
           for name, path in (("suite", "bench/default.toml"),
                              ("headline figure", measured["headline figure"]))}
    assert measured["suite sha256"] == sha["suite"], \
        "bench/default.toml changed since the README's figures: run python bench/main_job.py"
    assert measured["headline figure sha256"] == sha["headline figure"], \
        "docs/figures/default_randomness.png is not the one the main job drew"
    assert f"]({measured['headline figure']})" in text
    assert main_job.duration(137.5) == "2 min 17 s" and main_job.duration(45.2) == "45 s"
