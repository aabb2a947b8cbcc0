"""Progress of a suite run: the estimate of the time left counts each kind of task at its
own cost (synthetic timings on an injected clock, never the wall clock), and the lines
show the steps before and after the tasks."""
import io

import pytest

from stochsearch.suite import InProcessExecutor, run_suite
from stochsearch.suite.progress import LineProgress, TimeLeft

from .conftest import tiny  # noqa: F401 - fixture


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_slow_tasks_at_the_end_are_counted_at_their_own_cost():
    # 90 fast tasks (1 s each) then 10 slow ones (60 s each), one worker.
    clock = Clock()
    kinds = [("sa", "sphere")] * 90 + [("sgd", "moons")] * 10
    eta = TimeLeft(kinds, clock)
    for _ in range(90):
        clock.now += 1.0
        eta.finished(("sa", "sphere"), 1.0)
    # Nothing is known of the slow kind yet: its problem and optimizer are unseen, so it
    # costs the mean of what was seen -- the only honest guess.
    assert eta.estimate() == pytest.approx(10 * 1.0)
    assert eta.untimed() == 10
    clock.now += 60.0
    eta.finished(("sgd", "moons"), 60.0)
    # Now 9 slow tasks remain at 60 s each; the mean over all finished tasks would say
    # 9 * 150 / 91 = 14.8 s.
    assert eta.estimate() == pytest.approx(9 * 60.0)
    assert eta.untimed() == 0


def test_unseen_kinds_borrow_the_cost_of_their_problem_then_their_optimizer():
    clock = Clock()
    eta = TimeLeft([("a", "p")] * 2 + [("b", "p")] + [("a", "q")], clock)
    clock.now += 10.0
    eta.finished(("a", "p"), 10.0)
    # ("a", "p") costs 10; ("b", "p") borrows the problem's 10; ("a", "q") the optimizer's.
    assert eta.estimate() == pytest.approx(3 * 10.0)
    clock.now += 2.0
    eta.finished(("b", "p"), 2.0)
    # problem p is now 6 s a task on average, optimizer a still 10 s: ("a", "q") costs 10.
    assert eta.estimate() == pytest.approx((10.0 + 10.0) * 12.0 / 12.0)


def test_parallel_workers_divide_the_time_left():
    # Two workers: 4 tasks of 10 s finish in 20 s of wall-clock time.
    clock = Clock()
    eta = TimeLeft([("a", "p")] * 8, clock)
    for _ in range(2):
        clock.now += 10.0
        eta.finished(("a", "p"), 10.0)
        eta.finished(("a", "p"), 10.0)
    assert eta.estimate() == pytest.approx(4 * 10.0 / 2)


def test_no_estimate_before_a_run_time_is_known():
    eta = TimeLeft([("a", "p")] * 3, Clock())
    assert eta.estimate() is None
    eta.finished(("a", "p"), None)  # a failed task without a run time
    assert eta.estimate() is None


def test_lines_show_the_estimate_per_kind():
    clock, stream = Clock(), io.StringIO()
    progress = LineProgress(stream, every=0.0, clock=clock)
    progress.expect([("sa", "sphere")] * 3 + [("sgd", "moons")])
    progress.start(total=4, done=0)
    for kind, seconds in [(("sa", "sphere"), 1.0), (("sgd", "moons"), 100.0)]:
        clock.now += seconds
        progress.update({"status": "ok", "optimizer": kind[0], "problem": kind[1],
                         "wall_time": seconds})
    progress.close()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "stochsearch: 0/4 tasks, 0 s elapsed"
    assert lines[1] == "stochsearch: 1/4 tasks, 1 s elapsed, about 3 s left (1 task of " \
                       "a kind not timed yet)"
    assert lines[2] == "stochsearch: 2/4 tasks, 1 min 41 s elapsed, about 2 s left"
    assert lines[-1] == "stochsearch: 2/4 tasks, 1 min 41 s elapsed, about 2 s left"


def test_steps_are_shown_with_their_count_and_time():
    clock, stream = Clock(), io.StringIO()
    progress = LineProgress(stream, every=5.0, clock=clock)
    steps = progress.steps("compiling", 3)
    for label in ("a", "b", "c"):
        clock.now += 3.0
        steps.advance(label)
    steps.close()
    assert stream.getvalue().splitlines() == [
        "stochsearch: compiling: 0/3", "stochsearch: compiling: 2/3 (b)",
        "stochsearch: compiling: done in 9 s"]


def test_a_suite_run_shows_the_compilation_and_the_tasks(tiny):  # noqa: F811
    stream = io.StringIO()
    run_suite(tiny, executor=InProcessExecutor(), progress=LineProgress(stream, every=1e9))
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("stochsearch: compiling the kernels")
    assert lines[0].endswith(": 0/12")  # a tiny run per (optimizer, problem, initializer)
    assert "compiling the kernels" in lines[1] and "done in" in lines[1]
    assert lines[2] == "stochsearch: 0/24 tasks, 0 s elapsed"
    assert lines[-1].startswith("stochsearch: 24/24 tasks")


def test_the_tqdm_bar_shows_the_per_kind_estimate_not_its_own():
    from stochsearch.suite.progress import TqdmProgress

    clock, stream = Clock(), io.StringIO()
    progress = TqdmProgress(stream, clock=clock)
    progress.expect([("sa", "sphere")] * 2 + [("sgd", "moons")] * 2)
    progress.start(total=4, done=0)
    for kind, seconds in [(("sa", "sphere"), 1.0), (("sgd", "moons"), 100.0)]:
        clock.now += seconds
        progress.update({"status": "ok", "optimizer": kind[0], "problem": kind[1],
                         "wall_time": seconds})
    steps = progress.steps("drawing the report")
    steps.advance("convergence")
    steps.close()
    progress.close()
    text = stream.getvalue()
    assert "left=~1 min 41 s" in text   # one of each kind left: 1 s + 100 s
    assert "drawing the report" in text and "convergence" in text
