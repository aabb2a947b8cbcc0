"""What the study tests share: a quick run of a study into a temporary folder, and the check
that running it again there (a resume) runs no task and finds the same."""
import pytest

from stochsearch.studies import get_study
from stochsearch.suite import InProcessExecutor


def run_quick(name, tmp_path_factory):
    """``(section, out)``: the study ``name`` run with ``quick=True`` in process."""
    out = tmp_path_factory.mktemp(name)
    return get_study(name).run(quick=True, executor=InProcessExecutor(), out=out), out


def assert_resumes_without_running(name, section, out, monkeypatch):
    """Running the study again into ``out`` runs no task and states the same findings."""
    from stochsearch.suite import runner
    monkeypatch.setattr(runner, "run_task", lambda task: pytest.fail("ran again"))
    again = get_study(name).run(quick=True, executor=InProcessExecutor(), out=out)
    assert [f.text for f in again.findings] == [f.text for f in section.findings]
