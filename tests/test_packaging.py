"""A non-editable install ships the catalogue as stochsearch.problems (and nothing under the
bare name `problems`), with every module of the package."""
import pathlib
import subprocess
import sys
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_wheel_maps_problems_into_the_package(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w",
                    str(tmp_path), str(ROOT)], check=True)
    wheel = next(tmp_path.glob("stochsearch-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "stochsearch/problems/__init__.py" in names
    assert "stochsearch/problems/landscapes.py" in names
    assert not any(name.startswith("problems/") for name in names)
    sources = {str(p.relative_to(ROOT)) for p in (ROOT / "stochsearch").rglob("*.py")}
    sources |= {"stochsearch/problems/" + p.name for p in (ROOT / "problems").glob("*.py")}
    assert sources <= names, sorted(sources - names)
