"""Project rules that code review would otherwise have to remember (DESIGN.md sections 4, 5)."""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]
SOURCES = [p for folder in ("stochsearch", "problems", "bench") for p in (ROOT / folder).rglob("*.py")]


def _offenders(pattern):
    regex = re.compile(pattern, re.MULTILINE)
    return [str(p.relative_to(ROOT)) for p in SOURCES if regex.search(p.read_text())]


def test_no_global_random_state():
    assert _offenders(r"np\.random\.seed\(|numpy\.random\.seed\(") == []
    assert _offenders(r"^\s*(import random\b|from random import)") == []
    assert _offenders(r"np\.random\.(rand|randn|randint|uniform|normal|choice|shuffle)\(") == []


def test_numba_options_are_set_in_one_place():
    options = r"fastmath|cache\s*=|nogil\s*=|parallel\s*=|error_model|boundscheck|_nrt\s*="
    assert set(_offenders(options)) <= {"stochsearch/_kernels/jit.py"}


def test_numba_is_compiled_through_the_house_decorators():
    # jit/kernel set the flags (cache, nogil, error model) every compiled function needs.
    bare = (r"@numba\.n?jit\b|numba\.n?jit\(|^\s*@n?jit\(.*(cache|nopython)"
            r"|from numba import[^\n]*\bn?jit\b")
    assert set(_offenders(bare)) <= {"stochsearch/_kernels/jit.py"}
