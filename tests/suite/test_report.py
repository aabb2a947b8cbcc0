"""The report: its HTML parses, every image it references exists and is a valid PNG, and every
figure has a title, labelled axes and a legend."""
import base64
import html.parser
import io
import re

import matplotlib.image
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
