"""What the study tests share: a quick run of a study into a temporary folder (run once per
test session, whichever test asks first), and the check that running it again there (a resume)
runs no task and finds the same."""
import multiprocessing

import pytest

from stochsearch.studies import get_study
from stochsearch.suite import InProcessExecutor

#: study name -> (section, out, worker processes the run left behind)
_QUICK = {}


def run_quick(name, tmp_path_factory):
    """``(section, out)``: the study ``name`` run with ``quick=True`` in process (once per
    session: the tests of a study and the check of its recorded flags share the run)."""
    if name not in _QUICK:
        out = tmp_path_factory.mktemp(name)
        before = set(multiprocessing.active_children())
        section = get_study(name).run(quick=True, executor=InProcessExecutor(), out=out)
        _QUICK[name] = (section, out, set(multiprocessing.active_children()) - before)
    return _QUICK[name][:2]


def children_left(name):
    """The worker processes that the quick run of ``name`` left running."""
    return _QUICK[name][2]


def assert_resumes_without_running(name, section, out, monkeypatch):
    """Running the study again into ``out`` runs no task and states the same findings."""
    from stochsearch.suite import runner
    monkeypatch.setattr(runner, "run_task", lambda task: pytest.fail("ran again"))
    again = get_study(name).run(quick=True, executor=InProcessExecutor(), out=out)
    assert [f.text for f in again.findings] == [f.text for f in section.findings]
