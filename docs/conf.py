"""Sphinx configuration: an API reference from the numpydoc docstrings and a user guide in
MyST Markdown. Build with ``python -m sphinx -W --keep-going -b html docs docs/_build/html``."""
import importlib.metadata
import pathlib

project = "stochsearch"
author = "The stochsearch developers"
copyright = "2026, The stochsearch developers"
release = importlib.metadata.version("stochsearch")
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_parser",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
# Pages of the documentation at the top level; the others there (studies.md and the per-study
# pages that `stochsearch study --out docs` writes) are published as files in the repository,
# not as pages, so that a regenerated study never breaks the build. The guide is guide/*.md.
_PAGES = {"index.md", "api.md", "architecture.md"}
exclude_patterns = ["_build", "figures"] + sorted(
    p.name for p in pathlib.Path(__file__).parent.glob("*.md") if p.name not in _PAGES)

# autodoc: members in the order of the source; the public names of a module are its __all__.
autodoc_member_order = "bysource"
autodoc_typehints = "none"          # numpydoc's Parameters sections say the types
autodoc_default_options = {"members": True, "show-inheritance": True}

# numpydoc: no autosummary stub tables of class members (autodoc lists the members).
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

intersphinx_mapping = {}            # no network during the build (CI and tests run offline)

html_theme = "alabaster"
html_title = "stochsearch"
