"""The report: its HTML parses, every image it references exists and is a valid PNG, and every
figure has a title, labelled axes and a legend."""
import base64
import html.parser
import io
import re

import matplotlib.image
import numpy as np
import pytest
from matplotlib.figure import Figure

from stochsearch.suite import InProcessExecutor, Store, run_suite
from stochsearch.suite.report import write_report

from .conftest import TINY, USER_MODULE

PNG = b"\x89PNG\r\n\x1a\n"
VOID = {"img", "meta", "br", "hr", "link", "input"}


class Checker(html.parser.HTMLParser):
    """Collects images and headings, and checks that every element is closed in order."""

    def __init__(self):
        super().__init__()
        self.stack, self.images, self.headings, self.text = [], [], [], []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs)["src"])
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] in ("h1", "h2", "h3"):
            self.headings.append(data)


def valid_png(data: bytes) -> bool:
    image = matplotlib.image.imread(io.BytesIO(data), format="png")
    return data.startswith(PNG) and image.shape[0] > 100 and image.shape[1] > 100


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    (folder / "userprobs.py").write_text(USER_MODULE)
    path = folder / "suite.toml"
    tiny = TINY.replace("params = { dim = 2, shift = true }",
                        "params = { dim = 2, shift = true }\ntargets = [0.5]")
    path.write_text(tiny + '\n[problems.crashing]\nproblem = "userprobs:Fragile"\n'
                           'params = { after = 30 }\n')
    store = Store(folder / "results.db")
    run_suite(path, executor=InProcessExecutor(), store=store)
    figures = []
    original = Figure.savefig

    def capture(self, *args, **kwargs):
        figures.append(self)
        return original(self, *args, **kwargs)

    Figure.savefig = capture
    try:
        paths = write_report(store, folder / "report")
    finally:
        Figure.savefig = original
    return paths, figures


def test_the_html_parses_and_embeds_valid_pngs(report):
    paths, figures = report
    checker = Checker()
    checker.feed(paths["html"].read_text())
    checker.close()
    assert checker.stack == []
    assert len(checker.images) == len(paths["figures"]) == len(figures) >= 6
    for src in checker.images:
        assert src.startswith("data:image/png;base64,")
        assert valid_png(base64.b64decode(src.split(",", 1)[1]))
    for heading in ["Benchmark report: tiny", "Where randomness helped", "Convergence",
                    "Runtime distributions", "Final values", "Trajectories on the 2-D "
                    "landscapes", "Significant pairwise differences", "Failed tasks (12)"]:
        assert heading in checker.headings, heading


def test_the_markdown_references_pngs_that_exist(report):
    paths, _ = report
    text = paths["markdown"].read_text()
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(links) == len(paths["figures"])
    for link in links:
        image = paths["markdown"].parent / link
        assert image.is_file() and valid_png(image.read_bytes())
    assert "ValueError: the simulator crashed" in text
    assert "| sa / uniform |" in text  # the statistics tables name every configuration
    assert "succ / ERT 0.001 |" in text and "succ / ERT 0.5 |" in text  # a problem's targets


def test_every_figure_has_a_title_labelled_axes_and_a_legend(report):
    _, figures = report
    for figure in figures:
        axes = [ax for ax in figure.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]
        title = figure._suptitle.get_text() if figure._suptitle else ""
        assert title or all(ax.get_title() for ax in axes)
        for ax in axes:
            assert ax.get_xlabel() and ax.get_ylabel(), (title, ax.get_title())
        legend = figure.legends or any(ax.get_legend() for ax in axes)
        colorbar = any(ax.get_label() == "<colorbar>" for ax in figure.axes)
        assert legend or colorbar, title


def test_a_report_of_a_suite_without_results_says_so(tmp_path):
    store = Store(tmp_path / "empty.db")
    store.begin({"name": "empty", "seeds": [0], "budget": 10, "targets": [1.0],
                 "optimizers": {}, "problems": {}, "initializers": {}}, [])
    paths = write_report(store, tmp_path / "out")
    assert "No task has finished yet" in paths["markdown"].read_text()


def _store_runs(paths):
    from stochsearch.suite import stats

    with Store(paths["markdown"].parent.parent / "results.db", readonly=True) as store:
        return stats.runs(store.records("tiny"))


def _figure_titled(figures, start):
    return next(f for f in figures if f._suptitle and f._suptitle.get_text().startswith(start))


def test_the_html_opens_with_a_table_of_contents_linking_every_section(report):
    paths, _ = report
    text = paths["html"].read_text()
    nav = re.search(r'<nav class="toc">(.*?)</nav>', text).group(1)
    anchors = re.findall(r'<h[23] id="([^"]+)">', text)
    links = re.findall(r'href="#([^"]+)"', nav)
    assert links == anchors and len(set(anchors)) == len(anchors)
    assert "Where randomness helped" in nav and "sphere-3" in nav
    assert text.index('<nav class="toc">') < text.index("<h2")


def test_every_run_is_drawn_over_the_box_plots(report):
    paths, figures = report
    figure = _figure_titled(figures, "Final gaps to the optimum per problem")
    runs = _store_runs(paths)
    for ax in figure.axes:
        if not ax.get_visible() or not ax.get_title():
            continue
        points = np.concatenate([np.asarray(c.get_offsets())[:, 1] for c in ax.collections
                                 if c.get_offsets().size])
        gaps = np.maximum([r.gap for r in runs if r.problem == ax.get_title()], 1e-3)
        assert np.sort(points) == pytest.approx(np.sort(gaps[np.isfinite(gaps)]))


def test_a_critical_difference_diagram_ranks_the_configurations(report):
    paths, figures = report
    from stochsearch.suite import ranks

    figure = _figure_titled(figures, "Average ranks of the configurations")
    runs = _store_runs(paths)
    problems = sorted({r.problem for r in runs} - {"crashing"})
    table = {p: {c: max(float(np.median([r.gap for r in runs if r.problem == p
                                         and r.config == c])), 1e-3)
                 for c in {r.config for r in runs}} for p in problems}
    expected = ranks.friedman(table)
    title = figure.axes[0].get_title()
    assert f"Friedman p = {expected.p:.2g}" in title
    assert f"Nemenyi CD = {ranks.nemenyi_cd(6, 2):.2f}" in title
    labels = {t.get_text() for t in figure.axes[0].texts}
    for config, rank in expected.ranks.items():
        assert f"{config} ({rank:.2f})" in labels
    assert "Critical-difference diagrams (Demšar 2006)" in paths["markdown"].read_text()


def test_too_few_seeds_are_said_plainly(report):
    paths, figures = report
    text = paths["markdown"].read_text()
    # 2 seeds: the smallest two-sided Mann-Whitney p is 2 / C(4, 2) = 0.33.
    assert text.count("**Too few seeds for significance.** With 2 runs per configuration, "
                      "the smallest p-value a two-sided Mann-Whitney test can give is "
                      "0.33") == 2  # the randomness comparisons and the pairwise ones
    heat = next(f for f in figures if f.axes and f.axes[0].get_title().startswith("Where randomness"))
    legend = [t.get_text() for t in heat.legends[0].get_texts()]
    assert legend == ["too few seeds: no test can reach significance (see the report)"]


def test_gaps_below_the_solved_threshold_are_written_one_way(report):
    paths, figures = report
    text = paths["markdown"].read_text()
    assert "≤ 0.001" in text
    for table in re.findall(r"(\| [^\n]+\|\n\|(?:---\|)+\n(?:\|[^\n]+\|\n?)+)", text):
        lines = table.strip().splitlines()
        header = [h.strip() for h in lines[0].strip("|").split("|")]
        columns = [i for i, h in enumerate(header) if "gap" in h or h.startswith("median")]
        for line in lines[2:]:
            cells = [c.strip() for c in line.strip("|").split("|")]
            for i in columns:
                try:
                    value = float(cells[i])
                except ValueError:
                    continue
                assert not 0 <= value <= 1e-3, (header[i], line)
    gap_map = next(f for f in figures if f.axes and f.axes[0].get_title().startswith("Median final gap"))
    cells = {t.get_text() for t in gap_map.axes[0].texts}
    assert "≤ 0.001" in cells
