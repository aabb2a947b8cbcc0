"""stochsearch.plot: the lines drawn are the results' histories (Agg backend), gaps below
the solved threshold sit on its line, and importing stochsearch does not import matplotlib."""
import subprocess
import sys

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import stochsearch as ss  # noqa: E402
from stochsearch.problems import OneMax, Sphere  # noqa: E402
from stochsearch.result import History, OptimizeResult, Status  # noqa: E402


@pytest.fixture(scope="module")
def sphere_runs():
    problem = Sphere(3, shift=True)
    return problem, [ss.SimulatedAnnealing().run(problem, 3_000, rng=seed) for seed in (0, 1)]


def _axes():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure()
    FigureCanvasAgg(figure)
    return figure.subplots()


def test_convergence_draws_the_history_as_a_step_curve(sphere_runs):
    problem, (result, _) = sphere_runs
    ax = ss.plot.convergence(result, _axes())
    (line,) = ax.get_lines()
    assert line.get_xdata() == pytest.approx(result.history.nfev)
    assert line.get_ydata() == pytest.approx(result.history.fun)
    assert line.get_drawstyle() == "steps-post"
    assert line.get_label() == "sa" and ax.get_title() == problem.name
    assert ax.get_xlabel() == "evaluations" and ax.get_ylabel() == "best f so far"


def test_convergence_of_the_gap_clips_solved_gaps_at_the_threshold():
    history = History(nfev=np.array([1, 10, 100, 1000]),
                      fun=np.array([5.0, 0.5, 1e-12, 0.0]) + 2.0)
    result = OptimizeResult(x=np.zeros(2), fun=2.0, nfev=1000, nit=1000, success=True,
                            message="", status=Status.MAX_EVALS, history=history,
                            optimizer="rhc")
    ax = ss.plot.convergence(result, _axes(), f_opt=2.0, solved=1e-6, color="C3")
    line, threshold = ax.get_lines()
    assert line.get_ydata() == pytest.approx([5.0, 0.5, 1e-6, 1e-6])
    assert threshold.get_ydata() == pytest.approx([1e-6, 1e-6])
    assert threshold.get_label() == "solved: gap ≤ 1e-6"
    assert ax.get_yscale() == "log" and line.get_color() == "C3"
    assert ax.get_ylabel() == "best f - f* so far"


def test_compare_draws_one_line_per_result_with_its_seed(sphere_runs):
    _, results = sphere_runs
    ax = ss.plot.compare(results, _axes())
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == [f"sa (seed {r.seed})" for r in results]
    for line, result in zip(lines, results):
        assert line.get_ydata() == pytest.approx(result.history.fun)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == \
        [line.get_label() for line in lines]


def test_negative_values_stay_on_a_linear_axis():
    result = ss.GeneticAlgorithm().run(OneMax(30), 2_000, rng=0)
    ax = ss.plot.convergence(result, _axes())
    assert ax.get_yscale() == "linear"
    assert ax.get_lines()[0].get_ydata() == pytest.approx(result.history.fun)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="at least one result"):
        ss.plot.compare([], _axes())
    with pytest.raises(ValueError, match="labels must have one entry per result"):
        ss.plot.compare([object()], _axes(), labels=["a", "b"])


def test_without_axes_a_new_figure_is_made(sphere_runs):
    import matplotlib.pyplot as plt

    _, (result, _) = sphere_runs
    ax = ss.plot.convergence(result)
    assert ax.figure is not None and len(ax.get_lines()) == 1
    plt.close(ax.figure)


def test_importing_stochsearch_does_not_import_matplotlib():
    code = ("import sys, stochsearch, stochsearch.plot; "
            "print(any(m.startswith('matplotlib') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
