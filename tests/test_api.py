import traceback

import numpy as np
import pytest

import stochsearch as ss


def sphere(x):
    return float(np.sum((x - 0.3) ** 2))


def test_minimize_accepts_names_instances_and_problems():
    by_name = ss.minimize(sphere, [(-1, 1)] * 3, method="sa", budget=500, rng=1,
                          options={"t0": 0.0})
    by_instance = ss.minimize(sphere, [(-1, 1)] * 3, method=ss.SimulatedAnnealing(t0=0.0),
                              budget=500, rng=1)
    problem = ss.as_problem(sphere, bounds=[(-1, 1)] * 3)
    by_problem = ss.minimize(problem, method="sa", budget=500, rng=1, options={"t0": 0.0})
    assert by_name.fun == by_instance.fun == by_problem.fun
    assert by_name.optimizer == "sa" and by_name.params["t0"] == 0.0
    assert by_name["fun"] == by_name.fun  # scipy-style access


@pytest.mark.parametrize("kwargs,error,message", [
    (dict(method="annealing"), ValueError, "unknown optimizer 'annealing'"),
    (dict(method="sa2"), ValueError, "did you mean 'sa'"),
    (dict(method=3), TypeError, "method must be an optimizer name"),
    (dict(budget=-5), ValueError, "budget must be a positive integer, got -5"),
    (dict(budget=0), ValueError, "budget must be a positive integer, got 0"),
    (dict(method=ss.SimulatedAnnealing(), options={"t0": 1}), ValueError, "options are for"),
    (dict(options={"t0": -1.0}), ValueError, "t0 must be a non-negative number, got -1.0"),
    (dict(options={"t0": "hot"}), ValueError, "t0 must be a non-negative number or 'auto'"),
    (dict(options={"schedule": "exponentail"}), ValueError, "did you mean 'exponential'"),
    (dict(options={"temperature": 3}), ValueError, "'sa' has no parameter 'temperature'"),
    (dict(options={"t00": 1}), ValueError, r"'sa' has no parameter 't00'; did you mean 't0'\?"),
    (dict(options=[("t0", 1)]), TypeError, "options must be a dict"),
    (dict(method="simulated_anealing"), ValueError,
     r"unknown optimizer 'simulated_anealing'; did you mean 'sa' \(SimulatedAnnealing\)\?"),
    (dict(budget=2**63), ValueError,
     r"budget must be a positive integer of at most 2\*\*62 .*, got 9223372036854775808"),
    (dict(budget=2.0**70), TypeError, "budget must be"),
    (dict(x0=[0.0, 0.0], init="zeros"), ValueError, "either x0 or init"),
    (dict(rng="seed"), TypeError, "rng must be None, an integer seed"),
])
def test_bad_input_fails_before_any_work(kwargs, error, message):
    calls = []

    def counted(x):
        calls.append(1)
        return sphere(x)

    arguments = dict(bounds=[(-1, 1)] * 2, budget=100) | kwargs
    with pytest.raises(error, match=message):
        ss.minimize(counted, **arguments)
    assert calls == []


@pytest.mark.parametrize("bounds,message", [
    ([(1, 0)], "lower < upper"),
    ([(0, 1, 2)], r"\(low, high\) pairs"),
    ([], r"\(low, high\) pairs"),
    ([(0, np.inf)], "finite"),
])
def test_bad_bounds_are_named(bounds, message):
    with pytest.raises(ValueError, match=message):
        ss.minimize(sphere, bounds, budget=10)


def test_user_exceptions_keep_their_traceback_and_the_partial_result():
    def fails_late(x):
        if fails_late.calls == 150:
            raise ZeroDivisionError("user bug")
        fails_late.calls += 1
        return sphere(x)

    fails_late.calls = 0
    with pytest.raises(ZeroDivisionError, match="user bug") as info:
        ss.minimize(fails_late, [(-1, 1)] * 2, budget=1000, rng=0)
    frames = [frame.name for frame in traceback.extract_tb(info.value.__traceback__)]
    assert frames[-1] == "fails_late"
    partial = info.value.partial_result
    assert partial.nfev == 150 and np.isfinite(partial.fun)


def test_numba_objective_exceptions_propagate():
    import numba

    @numba.njit
    def strict(x):
        if x[0] > 0.9:
            raise ValueError("x[0] too large")
        return np.sum(x ** 2)

    with pytest.raises(ValueError, match="x\\[0\\] too large") as info:
        ss.minimize(strict, [(-1, 1)] * 2, method="random", budget=10_000, rng=0)
    assert info.value.partial_result.nfev >= 0


def test_ask_tell_misuse_is_explained():
    opt = ss.SimulatedAnnealing()
    state = opt.init(ss.Real(-1, 1, dim=2), budget=5, rng=0)
    with pytest.raises(RuntimeError, match="tell\\(\\) must follow ask\\(\\)"):
        opt.tell(state, np.zeros((1, 2)), [0.0])
    X = opt.ask(state)
    with pytest.raises(ValueError, match="differ from the last ask"):
        opt.tell(state, X + 1.0, [0.0])
    with pytest.raises(ValueError, match="one objective value per asked point"):
        opt.tell(state, X, [0.0, 1.0])
    with pytest.raises(TypeError, match="RunState returned by this optimizer"):
        ss.RandomSearch().ask(state)
    while not state.done:
        opt.tell(state, X, [sphere(X[0])])
        if not state.done:
            X = opt.ask(state)
    with pytest.raises(RuntimeError, match="has stopped"):
        opt.ask(state)
    assert opt.result(state).nfev == 5
    with pytest.raises(TypeError, match="run needs a Problem"):
        opt.run(ss.Real(-1, 1, dim=2), budget=5)


def test_optimizer_parameters_follow_scikit_learn_conventions():
    opt = ss.SimulatedAnnealing(t0=2.0, schedule="linear")
    assert opt.get_params()["t0"] == 2.0 and "move" in opt.get_params()
    assert repr(opt) == "SimulatedAnnealing(schedule='linear', t0=2.0)"
    assert opt.set_params(t0=0.0) is opt and opt.t0 == 0.0
    with pytest.raises(ValueError, match="has no parameter 'temperature'"):
        opt.set_params(temperature=1.0)
    # Constructor arguments are stored as given and only checked when a run starts.
    lazy = ss.RandomRestartHillClimbing(patience=-1)
    with pytest.raises(ValueError, match="patience must be a positive integer, got -1"):
        lazy.run(ss.as_problem(sphere, bounds=[(0, 1)]), budget=10)


def test_ctrl_c_stops_a_long_fused_run_and_keeps_its_partial_result():
    import signal
    import subprocess
    import sys

    script = (
        "import stochsearch as ss\n"
        "from stochsearch.problems import Sphere\n"
        "def announce(result):\n"
        "    if result.nfev > 1000 and not announce.done:\n"
        "        print('started', flush=True)\n"
        "        announce.done = True\n"
        "announce.done = False\n"
        "try:\n"
        "    ss.SimulatedAnnealing().run(Sphere(5), 10**12, rng=0, callback=announce)\n"
        "except KeyboardInterrupt as stop:\n"
        "    print('stopped after', stop.partial_result.nfev, flush=True)\n")
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    first = child.stdout.readline().strip()
    if first != "started":                    # the child failed: show why
        child.kill()
        assert first == "started", child.communicate()[1]
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=120)  # a safety net, not a measurement
    assert out.startswith("stopped after") and int(out.split()[-1]) > 0, (out, err)


@pytest.mark.parametrize("method", ["sa", "SA", "simulated_annealing", "SimulatedAnnealing",
                                    "simulated-annealing"])
def test_method_is_found_by_any_spelling_of_its_name(method):
    result = ss.minimize(sphere, [(-1, 1)] * 2, method=method, budget=50, rng=0)
    assert result.optimizer == "sa"


def test_an_objective_returning_a_string_is_refused_like_one_returning_none():
    for value in (None, "1.5", b"1.5"):
        with pytest.raises(TypeError, match="the objective must return a real number, got"):
            ss.minimize(lambda x, v=value: v, [(-1, 1)] * 2, budget=10, rng=0)


def test_a_numba_objective_taking_data_needs_data():
    import numba

    @numba.njit
    def shifted(x, data):
        return float(np.sum((x - data) ** 2))

    with pytest.raises(ValueError, match=r"^data must be given for the numba objective "
                                         r"shifted\(x, data\).*got none"):
        ss.minimize(shifted, [(-1, 1)] * 2, budget=10, rng=0)
    result = ss.minimize(shifted, [(-1, 1)] * 2, data=np.array([0.5, -0.5]), method="rhc",
                         budget=2_000, rng=0)
    assert result.fun < 1e-6 and np.allclose(result.x, [0.5, -0.5], atol=1e-3)
    with pytest.raises(ValueError, match="data is only for a numba objective"):
        ss.minimize(sphere, [(-1, 1)] * 2, data=np.zeros(2), budget=10)


def shifted(x, shift, scale=1.0):
    return scale * float(np.sum((x - shift) ** 2))


def test_args_reach_the_objective_as_in_scipy():
    res = ss.minimize(shifted, [(-1, 1)] * 2, args=(0.5, 2.0), method="rhc", budget=3_000,
                      rng=0)
    same = ss.minimize(lambda x: shifted(x, 0.5, 2.0), [(-1, 1)] * 2, method="rhc",
                       budget=3_000, rng=0)
    assert res.fun == same.fun and np.abs(res.x - 0.5).max() < 1e-2
    assert res.problem == "shifted"
    single = ss.minimize(shifted, [(-1, 1)] * 2, args=0.5, method="rhc", budget=300, rng=0)
    assert single.fun == ss.minimize(shifted, [(-1, 1)] * 2, args=(0.5,), method="rhc",
                                     budget=300, rng=0).fun
    batch = ss.minimize(lambda X, c: np.sum((X - c) ** 2, axis=1), [(-1, 1)] * 2, args=(0.5,),
                        vectorized=True, method="random", budget=300, rng=0)
    assert np.isclose(batch.fun, shifted(batch.x, 0.5))


def test_args_are_refused_where_they_cannot_go():
    with pytest.raises(ValueError, match="args cannot be given with a Problem"):
        ss.minimize(ss.as_problem(sphere, bounds=[(-1, 1)]), args=(1,), budget=10)

    @ss.jit
    def jitted(x, data):
        return x[0] ** 2

    with pytest.raises(ValueError, match="takes its instance as data="):
        ss.minimize(jitted, [(-1, 1)], data=np.zeros(1), args=(1,), budget=10)


@pytest.mark.parametrize("rng", [[1, 2], np.random.SeedSequence(4), np.random.PCG64(4)])
def test_minimize_takes_every_spec7_rng(rng):
    first = ss.minimize(sphere, [(-1, 1)] * 2, method="sa", budget=200, rng=rng)
    assert first.nfev == 200


def test_bounds_may_be_scipy_bounds():
    from scipy.optimize import Bounds
    res = ss.minimize(sphere, Bounds([-1, -1], [1, 1]), method="rhc", budget=300, rng=0)
    assert res.x.shape == (2,) and np.all(np.abs(res.x) <= 1)
