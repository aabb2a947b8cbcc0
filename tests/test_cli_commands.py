"""`stochsearch list` (a line of description and the space kinds of every entry, read from
the objects) and `stochsearch run` (kernels compiled before the clock starts, progress on
long runs, the same result as the API)."""
import io
import re

import stochsearch as ss
from stochsearch import _cli_commands as commands
from stochsearch.cli import main
from stochsearch.registry import OPTIMIZERS, PROBLEMS
from stochsearch.spaces import Space


def test_list_gives_a_description_and_the_space_kinds_of_every_entry(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^  sa +\[Real, Binary, Permutation, Integer\] Simulated annealing "
                     r"\(Kirkpatrick, Gelatt & Vecchi 1983\)\.$", out, re.M)
    assert re.search(r"^  sgd +\[Real\] Minibatch stochastic gradient descent", out, re.M)
    assert re.search(r"^  onemax +\[Binary\] OneMax", out, re.M)
    assert re.search(r"^  tsp +\[Permutation\] ", out, re.M)
    assert re.search(r"^  uniform +\[Real, Binary, Permutation, Integer\] Uniform over the space",
                     out, re.M)
    assert re.search(r"^  zeros +\[Real, Binary, Integer\] ", out, re.M)
    assert re.search(r"^  glorot_uniform +\[Real \(network weights\)\] ", out, re.M)
    assert re.search(r"^  constant +\[needs parameters or a particular space to tell\] ",
                     out, re.M)
    entries = [line for line in out.splitlines() if re.match(r"^  \S", line)]
    assert len(entries) == len(OPTIMIZERS.names()) + len(PROBLEMS.names()) + \
        len(ss.INITIALIZERS.names())
    assert all(len(line) <= 120 for line in entries)


def test_a_problem_class_declares_the_kind_of_its_instances_space():
    declaring = {}
    for name, cls in PROBLEMS.items():
        owner = next((c for c in cls.__mro__ if "space_kind" in vars(c)), None)
        assert owner is not None, name
        declaring.setdefault(owner, name)
    for owner, name in declaring.items():   # one instance per declaring class: cheap
        assert PROBLEMS.get(name)().space.kind == owner.space_kind, name


def test_kinds_come_from_the_space_classes_not_a_list():
    class Ternary(Space):
        kind = "ternary"

    class Fake:
        spaces = ("real", "ternary")

    assert commands.space_names()["ternary"] == "Ternary"
    kinds = commands.entry_kinds("optimizers", Fake)
    assert [commands._kind_label(k, commands.space_names()) for k in kinds] == \
        ["Real", "Ternary"]

    class Undeclared(ss.Problem):  # no space_kind: an instance built with defaults tells
        def __init__(self):
            super().__init__(ss.Binary(3), fun=lambda x: 0.0)

    assert commands.entry_kinds("problems", Undeclared) == ["binary"]


def test_describe_takes_the_first_sentence_on_one_line():
    def f():
        """First sentence spans
        two lines. Second sentence.

        Details."""

    assert commands.describe(f) == "First sentence spans two lines."
    assert commands.describe(lambda: 0) == ""
    assert len(commands.describe(ss.problems.Ackley, width=40)) == 40


def test_run_prints_the_api_result_and_times_only_the_run(capsys):
    args = ["run", "sa", "rastrigin", "--budget", "5000", "--seed", "4", "-P", "dim=4",
            "-P", "shift=true"]
    assert main(args) == 0
    out = capsys.readouterr().out
    expected = ss.SimulatedAnnealing().run(ss.problems.Rastrigin(4, shift=True), 5000, rng=4)
    assert f"  fun     {expected.fun!r}" in out
    assert re.search(r"  time    \d+\.\d{3} s \(the run; compiling or loading its kernels "
                     r"took \d+\.\d\d s before\)", out)


def test_run_writes_a_solved_gap_as_the_report_does(capsys):
    assert main(["run", "rhc", "sphere", "--budget", "5000", "-P", "dim=2"]) == 0
    assert "(f - f* = ≤ 1e-8)" in capsys.readouterr().out


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_run_progress_stays_silent_on_short_runs_and_reports_long_ones():
    clock, stream = Clock(), io.StringIO()
    progress = commands._RunProgress(1000, stream, delay=2.0, every=10.0, clock=clock)
    partial = ss.OptimizeResult(x=None, fun=3.5, nfev=100, nit=100, success=True, message="",
                                status=ss.Status.RUNNING, history=None)
    clock.now = 1.0
    assert progress(partial) is False and stream.getvalue() == ""  # a short run: silence
    clock.now, partial.nfev = 4.0, 400
    progress(partial)
    clock.now, partial.nfev = 8.0, 600        # less than `every` after the last line
    progress(partial)
    clock.now, partial.nfev, partial.fun = 15.0, 900, 1.25
    progress(partial)
    assert stream.getvalue().splitlines() == [
        "stochsearch run: 400/1,000 evaluations, best 3.5, 4 s elapsed, about 6 s left",
        "stochsearch run: 900/1,000 evaluations, best 1.25, 15 s elapsed, about 2 s left"]


def test_timed_run_compiles_before_the_clock_starts():
    ticks = iter([0.0, 5.0, 5.5])
    seen = []
    problem = ss.problems.Sphere(2)
    stream = io.StringIO()
    result, compiling, seconds = commands.timed_run(
        ss.RandomSearch(), problem, 3000, 0, "uniform", progress=seen.append,
        clock=lambda: next(ticks), stream=stream, notice_after=None)
    assert (compiling, seconds) == (5.0, 0.5)
    assert stream.getvalue().startswith("stochsearch run: compiling the kernels")
    assert seen and seen[-1].nfev <= result.nfev == 3000
    assert result.fun == ss.RandomSearch().run(problem, 3000, rng=0).fun
