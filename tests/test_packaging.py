"""A non-editable install ships the catalogue as stochsearch.problems (and nothing under the
bare name `problems`), with every module of the package."""
import pathlib
import re
import subprocess
import sys
import zipfile

import pytest

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
    # Typed, licensed, and the main job's suite inside the package.
    assert {"stochsearch/py.typed", "stochsearch/suite/suites/default.toml"} <= names
    assert any(n.endswith(".dist-info/licenses/LICENSE") or n.endswith(".dist-info/LICENSE")
               for n in names)


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
    assert names.index("ProvidedLocator") < names.index("InstalledPackageLocator") \
        < names.index("CheckoutLocator") < names.index("InTreeCacheLocator")


def test_the_packaged_default_suite_is_the_main_job():
    # `stochsearch bench default` runs the suite the README's first command runs; the copy in
    # the package must follow bench/default.toml (copy it over after editing that file).
    packaged = ROOT / "stochsearch" / "suite" / "suites" / "default.toml"
    assert packaged.read_bytes() == (ROOT / "bench" / "default.toml").read_bytes(), \
        "cp bench/default.toml stochsearch/suite/suites/default.toml"


def test_bench_default_resolves_to_the_packaged_suite_from_any_folder(tmp_path, monkeypatch):
    from stochsearch.suite import SuiteError, load_suite

    monkeypatch.chdir(tmp_path)
    suite = load_suite("default")
    assert suite.name == "default" and len(suite.tasks()) == 1690
    (tmp_path / "default").mkdir()      # a folder of that name is not a suite file
    with pytest.raises(SuiteError, match="shipped with stochsearch, by name: default"):
        load_suite("nope")


def test_metadata_has_a_slim_core_and_extras():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    core = {re.split(r"[<>=\[ ]", d)[0] for d in project["dependencies"]}
    assert core == {"numpy", "numba", "scipy", "tqdm", "threadpoolctl"}
    extras = project["optional-dependencies"]
    assert any(d.startswith("matplotlib") for d in extras["report"])
    assert any(d.startswith("scikit-learn") for d in extras["nn"])
    assert extras["all"] == ["stochsearch[report,nn]"]
    assert {"sphinx", "numpydoc", "myst-parser"} <= {re.split(r"[<>=]", d)[0]
                                                      for d in extras["test"]}
    assert project["authors"] and "Typing :: Typed" in project["classifiers"]
    assert (ROOT / "LICENSE").read_text().startswith("BSD 3-Clause License")


def test_import_and_minimize_load_neither_matplotlib_nor_sklearn():
    code = ("import sys, numpy as np, stochsearch as ss\n"
            "ss.minimize(lambda x: float(x @ x), [(-1, 1)] * 2, budget=50, rng=0)\n"
            "from stochsearch.problems import Rastrigin\n"
            "ss.minimize(Rastrigin(2), method='ga', budget=200, rng=0)\n"
            "import stochsearch.suite\n"
            "print(sorted(m for m in ('matplotlib', 'sklearn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"


def _without(monkeypatch, module):
    """Pretend ``module`` is not installed (and forget the modules that imported it)."""
    monkeypatch.setitem(sys.modules, module, None)
    names = [n for n in sys.modules if n.startswith(("stochsearch.suite.plots",
                                                     "stochsearch.suite.report",
                                                     "stochsearch.studies",
                                                     "stochsearch.nn.estimator"))]
    for name in sorted(names, reverse=True):            # a package's modules before it
        monkeypatch.delitem(sys.modules, name, raising=False)
        # `from . import plots` reads the parent package's attribute before sys.modules.
        parent, _, child = name.rpartition(".")
        package = sys.modules.get(parent)
        if package is not None and child in vars(package):
            monkeypatch.delattr(package, child)


def test_a_missing_extra_is_named_with_its_install_command(monkeypatch):
    from stochsearch._optional import MissingExtra

    _without(monkeypatch, "matplotlib")
    with pytest.raises(MissingExtra, match=r"report's figures needs matplotlib, which is not "
                                           r'installed: pip install "stochsearch\[report\]"'):
        import stochsearch.suite.report  # noqa: F401
    with pytest.raises(MissingExtra, match=r"stochsearch\[report\]"):
        import stochsearch.studies  # noqa: F401
    _without(monkeypatch, "sklearn")
    import stochsearch.nn
    with pytest.raises(MissingExtra, match=r'needs scikit-learn.*pip install "stochsearch\[nn\]"'):
        stochsearch.nn.MLPClassifier
    with pytest.raises(MissingExtra, match=r"digits dataset.*stochsearch\[nn\]"):
        stochsearch.nn.datasets.digits()


def test_bench_without_matplotlib_keeps_the_results_and_says_what_to_install(
        tmp_path, monkeypatch, capsys):
    from stochsearch import cli
    from stochsearch.suite import load_results

    _without(monkeypatch, "matplotlib")
    suite = tmp_path / "tiny.toml"
    suite.write_text('[suite]\nbudget = 100\nseeds = 2\n[optimizers.rhc]\n'
                     '[problems.sphere]\nparams = { dim = 2 }\n')
    code = cli.main(["bench", str(suite), "--out", str(tmp_path / "out"), "--jobs", "0"])
    err = capsys.readouterr().err
    assert code == 0 and 'pip install "stochsearch[report]"' in err
    assert "stochsearch report" in err
    assert len(load_results(tmp_path / "out" / "results.db", frame=False)) == 2
