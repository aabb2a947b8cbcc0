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


def test_requires_python_covers_the_standard_library_the_code_imports():
    # tomllib is new in Python 3.11: a 3.10 that pyproject allowed crashed on
    # `stochsearch --help`. The floor must be one the code (and CI) actually runs on.
    import re
    import tomllib

    floor = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    version = tuple(int(v) for v in re.fullmatch(r">=\s*(\d+)\.(\d+)", floor).groups())
    uses_tomllib = [p for p in (ROOT / "stochsearch").rglob("*.py")
                    if re.search(r"^\s*import tomllib", p.read_text(), flags=re.M)]
    if uses_tomllib:
        assert version >= (3, 11), f"{uses_tomllib[0]} imports tomllib, but {floor!r}"
    assert sys.version_info[:2] >= version


def test_an_installed_copy_caches_compiled_code_outside_its_package(tmp_path, monkeypatch):
    # numba's cache files in site-packages/stochsearch/**/__pycache__ outlive `pip uninstall`
    # and turn the leftover folder into a namespace package that shadows the next install.
    from stochsearch._kernels import jit

    package = tmp_path / "venv" / "lib" / "site-packages" / "stochsearch"
    (package / "_kernels").mkdir(parents=True)
    inside, outside = package / "_kernels" / "mod.py", tmp_path / "user.py"
    for path in (inside, outside):
        path.write_text("def f(x):\n    return x\n")
    monkeypatch.setattr(jit, "_PACKAGE", package.resolve())
    monkeypatch.setattr(jit, "_INSTALLED", True)
    namespace = {}
    exec(compile(inside.read_text(), str(inside), "exec"), namespace)  # noqa: S102
    locator = jit._InstalledPackageLocator.from_function(namespace["f"], str(inside))
    cache = pathlib.Path(locator.get_cache_path()).resolve()
    assert not cache.is_relative_to(package.resolve()) and cache.name.startswith("_kernels_")
    assert jit._InstalledPackageLocator.from_function(namespace["f"], str(outside)) is None
    # numba asks this locator after NUMBA_CACHE_DIR's and before the one that writes in-tree.
    names = [k.__name__.lstrip("_") for k in jit._Impl._locator_classes]
    assert names.index("UserProvidedCacheLocator") < names.index("InstalledPackageLocator") \
        < names.index("InTreeCacheLocator")
