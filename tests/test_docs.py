"""The documentation builds without a warning (Sphinx with ``-W``), as CI builds it:

    python -m sphinx -W --keep-going -b html docs docs/_build/html
"""
import importlib.util
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
TOOLS = ("sphinx", "numpydoc", "myst_parser")


@pytest.mark.skipif(any(importlib.util.find_spec(t) is None for t in TOOLS),
                    reason="the docs build needs sphinx, numpydoc and myst-parser "
                           "(pip install -e '.[test]')")
def test_docs_build_without_warnings(tmp_path):
    out = tmp_path / "html"
    run = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q",
                          "-b", "html", "-d", str(tmp_path / "doctrees"), str(DOCS), str(out)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr + run.stdout
    api = (out / "api.html").read_text(encoding="utf-8")
    for name in ("stochsearch.minimize", "stochsearch.OptimizeResult", "stochsearch.Real",
                 "stochsearch.SimulatedAnnealing", "stochsearch.suite.run_suite"):
        assert f'id="{name}"' in api, f"{name} is missing from the API reference"
    # numpydoc rendered the Parameters sections (not left as plain text).
    assert "Parameters" in api and 'class="field-list' in api
    guide = {p.stem for p in (out / "guide").glob("*.html")}
    assert {"custom-problems", "suite-format", "checkpointing", "results-pandas"} <= guide


# The guide pages' code runs in tests/test_guides.py.


def test_the_suite_format_example_uses_every_key_and_validates(tmp_path):
    """The guide's example suite is valid as written (with the example problem module beside
    it), and it shows every key the parser accepts."""
    import tomllib

    from stochsearch.suite import load_suite, spec

    page = (DOCS / "guide" / "suite-format.md").read_text()
    (toml,) = re.findall(r"```toml\n(.*?)```", page, flags=re.DOTALL)
    (tmp_path / "my_problems.py").write_text(
        (ROOT / "examples" / "custom_numba_problem.py").read_text())
    (tmp_path / "suite.toml").write_text(toml)
    suite = load_suite(tmp_path / "suite.toml")
    suite.check()
    assert len(suite.tasks()) == 175 and [g.name for g in suite.grids] == ["landscapes",
                                                                           "my problem"]
    document = tomllib.loads(toml)
    shown = set(document["suite"]) | {"measure"}       # measure is shown commented out
    assert set(spec._SUITE) <= shown
    for table, keys in spec._ENTRY.items():
        used = set().union(*(entry.keys() for entry in document[table].values()))
        assert set(keys) <= used, f"[{table}] example lacks {set(keys) - used}"
        for key in keys:
            assert f"`{key}`" in page, f"{table} key {key} is not described"
    assert {"name", "optimizers", "problems", "initializers"} <= set().union(
        *(g.keys() for g in document["grid"]))
    for key in spec._SUITE:
        assert f"| `{key}` |" in page, f"suite key {key} is not described"
