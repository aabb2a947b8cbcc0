"""Every Python example of each page of docs/guide/ runs, in order, in one namespace per page:
the guides cannot drift from the code."""
import pathlib
import re
import warnings

import pytest

GUIDES = sorted((pathlib.Path(__file__).resolve().parents[1] / "docs" / "guide").glob("*.md"))


@pytest.mark.parametrize("page", GUIDES, ids=[p.stem for p in GUIDES])
def test_guide_examples_run(page):
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(), flags=re.DOTALL)
    assert blocks, f"{page.name} has no Python example"
    namespace = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # the pages show the warnings they mention
        for block in blocks:
            exec(compile(block, str(page), "exec"), namespace)  # noqa: S102
