"""Every Python example of each page of docs/guide/ runs, in order, in one namespace per page
and in a scratch folder: the guides cannot drift from the code."""
import importlib.util
import pathlib
import re
import warnings

import pytest

GUIDES = sorted((pathlib.Path(__file__).resolve().parents[1] / "docs" / "guide").glob("*.md"))


@pytest.mark.parametrize("page", GUIDES, ids=[p.stem for p in GUIDES])
def test_guide_examples_run(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)                  # pages write files (checkpoints, results)
    text = page.read_text()
    if page.stem == "results-pandas" and importlib.util.find_spec("pandas") is None:
        pytest.skip("this page reads results with pandas, which is not installed")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert blocks, f"{page.name} has no Python example"
    namespace = {"__name__": "__guide__"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # the pages show the warnings they mention
        for block in blocks:
            exec(compile(block, str(page), "exec"), namespace)  # noqa: S102
