"""Studies: designed experiments that show, with numbers and figures, why random
initialization and random search steps help.

Each study is a module here, built on the benchmark-suite runner and store (so it runs in
parallel, on Dask, and resumes), and states its findings in sentences computed from its data.

    stochsearch study escape --quick
    stochsearch study all --out docs          # docs/studies.md with every figure
"""
from __future__ import annotations

import importlib
import pathlib

from .._optional import require

require("matplotlib", "Drawing the studies' figures")
from ._base import Finding, Section, Study  # noqa: E402

__all__ = ["STUDIES", "Finding", "Section", "Study", "get_study", "run_all", "run_study"]

#: study name -> module (each defines ``STUDY``), in the order of the document.
STUDIES = {
    "symmetry": "stochsearch.studies.symmetry",
    "signal": "stochsearch.studies.signal",
    "restarts": "stochsearch.studies.restarts",
    "order": "stochsearch.studies.order",
    "seed": "stochsearch.studies.seed",
    "escape": "stochsearch.studies.escape",
    "weights": "stochsearch.studies.weights",
    "landscape": "stochsearch.studies.landscape",
}


def get_study(name: str) -> Study:
    """The study called ``name``."""
    from .._validation import suggest
    if name not in STUDIES:
        raise ValueError(f"unknown study {name!r}{suggest(name, STUDIES) or '.'} Known: "
                         f"{', '.join(STUDIES)}.")
    return importlib.import_module(STUDIES[name]).STUDY


def run_study(name: str, **options) -> Section:
    """Run one study (options as ``Study.run``)."""
    return get_study(name).run(**options)


def run_all(out="results/studies", **options) -> list[Section]:
    """Run every study and write ``out/studies.md`` with all their sections."""
    sections = [run_study(name, out=out, **options) for name in STUDIES]
    out = pathlib.Path(out)
    contents = "\n".join(f"- [{s.title}](#{_anchor(s.title)})" for s in sections)
    quick = options.get("quick", False)
    header = ["# What the studies show", "",
              ("Every figure and finding below comes from one run of "
              f"`stochsearch study all{' --quick' if quick else ''} --out {out.as_posix()}`; "
              "each finding is a sentence computed from the data, flagged when the data "
              "disagree with what the literature leads one to expect."), "", contents, ""]
    (out / "studies.md").write_text("\n".join(header + [s.markdown for s in sections]))
    return sections


def _anchor(title: str) -> str:
    return "".join(c for c in title.lower().replace(" ", "-") if c.isalnum() or c == "-")
