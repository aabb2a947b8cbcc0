"""What every study shares: it is a benchmark suite (so it runs on any executor, in parallel,
on Dask, and resumes), whose records it turns into figures, a Markdown section and findings.

A finding is a sentence computed from the data together with whether the expectation it tests
held: when the data disagree with the expectation, the sentence says so.
"""
from __future__ import annotations

import json
import pathlib
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Finding", "Section", "Study", "bootstrap_band", "fmt"]


@dataclass
class Finding:
    """One conclusion of a study: the sentence, and whether the expected result held (None
    when the study expects nothing in particular)."""

    text: str
    holds: bool | None = None
    #: a name that stays the same between the quick and the full run, by which recorded flags
    #: are compared (default: the first five words of the text without numbers; a study whose
    #: sentences start with numbers, or whose quick run states fewer findings, names them)
    key: str | None = None

    def markdown(self) -> str:
        mark = {True: "", False: " **(contrary to the expectation)**", None: ""}[self.holds]
        return f"- {self.text}{mark}"


@dataclass
class Section:
    """What a study produced: its Markdown text, figures, findings and the key numbers
    (``numbers``) that tests and the README read."""

    name: str
    title: str
    markdown: str
    figures: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    numbers: dict = field(default_factory=dict)
    #: the one figure and the one finding the README's gallery shows
    figure: str | None = None
    headline: str = ""

    def record(self) -> dict:
        """What ``studies.json`` keeps of this section: the flags of its findings by key, its
        gallery figure and headline (plain data, no code)."""
        return {"title": self.title, "figures": list(self.figures), "figure": self.figure,
                "headline": self.headline,
                "findings": [{"key": f.key, "text": f.text,
                              "holds": None if f.holds is None else bool(f.holds)}
                             for f in self.findings]}


class Study:
    """Base class. A study defines ``name``, ``title``, ``question``, ``command``,
    ``suite(quick)`` (a suite document, as ``parse_suite`` takes) and ``analyze(records,
    figures, quick)`` returning ``(findings, numbers, body)``, where ``body`` is the Markdown
    between the question and the findings and figures are written into ``figures``."""

    name = ""
    title = ""
    question = ""
    #: the gallery's figure (a file name in ``figures/``; default: the study's first figure)
    gallery_figure: str | None = None
    #: the key of the finding the gallery quotes (default: the first finding)
    headline_key: str | None = None
    #: BLAS threads this process may use while the suite is checked and run (None: no limit);
    #: 1 for studies whose initializers run QR decompositions (orthogonal, LSUV), which
    #: OpenBLAS threads spinning against each other on a busy machine slowed 40-fold
    blas_threads: int | None = None

    def headline(self, findings: list, numbers: dict) -> str:
        """The one finding the README's gallery quotes: the one keyed ``headline_key``, else
        the first."""
        chosen = [f for f in findings if f.key == self.headline_key] or findings[:1]
        return chosen[0].text if chosen else ""

    def suite(self, quick: bool) -> dict:
        raise NotImplementedError

    def analyze(self, records: list, figures: pathlib.Path, quick: bool):
        raise NotImplementedError

    def suite_name(self, quick: bool) -> str:
        return f"study-{self.name}" + ("-quick" if quick else "")

    def run(self, *, quick: bool = False, executor=None, out="results/studies",
            fresh: bool = False, progress=None) -> Section:
        """Run the study's suite into ``out/results.db`` (resuming), then analyze it into
        ``out/NAME.md`` and ``out/figures/``."""
        if self.blas_threads is None:
            return self._run(quick=quick, executor=executor, out=out, fresh=fresh,
                             progress=progress)
        from threadpoolctl import threadpool_limits

        with threadpool_limits(self.blas_threads):
            return self._run(quick=quick, executor=executor, out=out, fresh=fresh,
                             progress=progress)

    def _run(self, *, quick, executor, out, fresh, progress) -> Section:
        from ..suite import Store, parse_suite, run_suite

        out = pathlib.Path(out)
        figures = out / "figures"
        figures.mkdir(parents=True, exist_ok=True)
        document = self.suite(quick)
        document.setdefault("suite", {})["name"] = self.suite_name(quick)
        suite = parse_suite(document, name=self.suite_name(quick))
        store = Store(out / "results.db")
        try:
            run_suite(suite, executor=executor, store=store, fresh=fresh, progress=progress)
            records = [r for r in store.records(suite.name) if r["status"] == "ok"]
        finally:
            store.close()
        findings, numbers, body = self.analyze(records, figures, quick)
        seen = set()
        for finding in findings:
            key = finding.key or _slug(finding.text)
            while key in seen:
                key += "+"
            finding.key = key
            seen.add(key)
        pictures = sorted(p.relative_to(out).as_posix()
                          for p in figures.glob(f"{self.name}-*.png"))
        if (figures / f"{self.name}.png").exists():
            pictures.insert(0, f"figures/{self.name}.png")
        figure = (f"figures/{self.gallery_figure}" if self.gallery_figure
                  else pictures[0] if pictures else None)
        command = f"stochsearch study {self.name}" + (" --quick" if quick else "")
        text = "\n".join([f"## {self.title}", "", f"*{self.question}*", "",
                          f"Reproduce: `{command}`", "", body.strip(), "",
                          "**Findings**", "", *[f.markdown() for f in findings], "",
                          *[f"![{self.name}]({p})" for p in pictures], ""])
        (out / f"{self.name}.md").write_text(text)
        section = Section(self.name, self.title, text, pictures, findings, numbers, figure,
                          self.headline(findings, numbers))
        record = {"quick": quick, "command": command, **section.record()}
        (out / f"{self.name}.json").write_text(json.dumps(record, indent=1))
        return section


def _slug(text: str, words: int = 5) -> str:
    """``from-zeros-the-hidden-units``: the first ``words`` words of ``text`` made only of
    letters (numbers differ between a quick and a full run; the words do not)."""
    import re
    return "-".join(re.findall(r"[A-Za-z][A-Za-z']*", text.lower())[:words])


def bootstrap_band(values: np.ndarray, statistic=np.median, confidence: float = 0.95,
                   resamples: int = 2000, seed: int = 0) -> tuple[float, float]:
    """A percentile bootstrap interval of ``statistic`` over ``values`` (seeded)."""
    values = np.asarray(values, dtype=float)
    if values.size < 2:
        v = float(statistic(values)) if values.size else float("nan")
        return v, v
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, values.size, size=(resamples, values.size))
    stats = statistic(values[picks], axis=1)
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(stats, [tail, 1.0 - tail])
    return float(low), float(high)


def fmt(value: float, digits: int = 3) -> str:
    """A number for a sentence: ``0.012``, ``3.1e-08``, ``1.2e+03``."""
    value = float(value)
    if value == 0 or not np.isfinite(value):
        return f"{value:g}"
    return f"{value:.{digits}g}"
