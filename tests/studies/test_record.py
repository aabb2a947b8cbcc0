"""The studies' record: ``docs/studies.json`` keeps the finding flags that ``docs/studies.md``
states, a quick run of every registered study finds the same flags, and the README's gallery
is generated from the registry."""
import json
import pathlib

import pytest

from stochsearch.studies import (STUDIES, Finding, Section, gallery_markdown, read_record,
                                 update_readme, write_record)
from stochsearch.studies.__init__ import GALLERY_END, GALLERY_START

from .conftest import run_quick

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def _section(name, flags, figure="figures/x-1.png"):
    findings = [Finding(f"finding {i}", holds, key=str(i)) for i, holds in enumerate(flags)]
    return Section(name, name.title(), f"## {name}\n", [figure], findings, {}, figure,
                   f"{name} headline")


def test_the_record_keeps_each_findings_flag_by_key(tmp_path):
    write_record([_section("a", [True, None]), _section("b", [False])], tmp_path)
    record = read_record(tmp_path)
    assert record["quick"] is False
    assert [f["holds"] for f in record["studies"]["a"]["findings"]] == [True, None]
    assert record["studies"]["b"]["findings"][0] == {"key": "0", "holds": False,
                                                      "text": "finding 0"}
    assert record["studies"]["b"]["headline"] == "b headline"


def test_the_gallery_has_one_figure_and_headline_per_study_in_registry_order(tmp_path):
    out = tmp_path / "docs"
    out.mkdir()
    sections = [_section("b", [True]), _section("a", [True], "figures/a.png")]
    text = gallery_markdown(sections, out, relative_to=tmp_path)
    assert text.index("**b** — b headline") < text.index("**a** — a headline")
    assert "![b](docs/figures/x-1.png)" in text and "![a](docs/figures/a.png)" in text
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n## What the studies show\n\n{GALLERY_START}\nold\n"
                      f"{GALLERY_END}\n\n## Next\n")
    assert update_readme(readme, text)
    new = readme.read_text()
    assert "old" not in new and text in new and new.endswith(f"{GALLERY_END}\n\n## Next\n")
    assert not update_readme(readme, text)                      # idempotent
    plain = tmp_path / "OTHER.md"
    plain.write_text("no markers\n")
    assert not update_readme(plain, text) and plain.read_text() == "no markers\n"


def test_the_readme_gallery_is_the_one_the_record_describes():
    record = read_record(DOCS)["studies"]
    readme = (ROOT / "README.md").read_text()
    start, end = readme.index(GALLERY_START), readme.index(GALLERY_END)
    gallery = readme[start:end]
    for name, study in record.items():
        assert f"**{name}** — {study['headline']}" in gallery
        assert f"![{name}](docs/{study['figure']})" in gallery
        assert (DOCS / study["figure"]).exists()


def test_the_record_covers_every_registered_study_and_matches_studies_md():
    record = read_record(DOCS)
    assert record["quick"] is False
    missing = [name for name in STUDIES if name not in record["studies"]]
    assert not missing, (f"docs/studies.json has no record of {missing}: rerun "
                         "`stochsearch study all --jobs 2 --out docs`")
    text = (DOCS / "studies.md").read_text()
    for study in record["studies"].values():
        for finding in study["findings"]:
            mark = " **(contrary to the expectation)**" if finding["holds"] is False else ""
            assert f"- {finding['text']}{mark}\n" in text


@pytest.mark.parametrize("name", list(STUDIES))
def test_a_quick_run_finds_the_flags_recorded_in_the_docs(name, tmp_path_factory):
    """Every finding the quick run states (by key) carries the flag that the full run in
    ``docs/studies.md`` gave it: the quick runs are small, but they must not disagree."""
    if name == "seed":
        pytest.importorskip("distributed")
    recorded = read_record(DOCS)["studies"].get(name)
    if recorded is None:
        pytest.fail(f"docs/studies.json has no record of {name!r}: rerun "
                    "`stochsearch study all --jobs 2 --out docs`")
    section, out = run_quick(name, tmp_path_factory)
    full = {f["key"]: f["holds"] for f in recorded["findings"]}
    quick = {f.key: f.holds for f in section.findings}
    assert set(quick) <= set(full), f"findings the full run does not state: {set(quick) - set(full)}"
    disagree = {k: (quick[k], full[k]) for k in quick if quick[k] != full[k]}
    assert not disagree, f"quick vs docs flags differ (quick, docs): {disagree}"
    assert json.loads((out / f"{name}.json").read_text())["findings"] == \
        section.record()["findings"]
