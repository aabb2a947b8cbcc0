"""OptimizeResult reads like scipy's, and ``success`` means what scipy's global optimizers
mean: a met target or a convergence test, never a spent budget."""
import pickle

import numpy as np
import pytest

import stochsearch as ss
from stochsearch.result import Status


def sphere(x):
    return float(np.sum((x - 0.3) ** 2))


@pytest.fixture(scope="module")
def result():
    return ss.minimize(sphere, [(-1, 1)] * 3, method="rhc", budget=400, rng=3)


def test_the_result_is_a_read_only_mapping_like_scipys(result):
    assert "fun" in result and "x" in result and "nope" not in result
    as_dict = dict(result)
    assert list(as_dict)[:6] == ["x", "fun", "nfev", "nit", "success", "message"]
    assert set(result.keys()) == set(as_dict) and len(result) == len(as_dict)
    for key, value in result.items():
        assert value is getattr(result, key) is result[key]
    assert result.get("nope", 7) == 7 and result.get("nfev") == 400
    with pytest.raises(KeyError):
        result["nope"]
    with pytest.raises(KeyError):      # methods are not keys
        result["keys"]
    assert "fun" in dir(result)


def test_the_result_pickles_with_its_fields(result):
    again = pickle.loads(pickle.dumps(result))
    assert dict(again).keys() == dict(result).keys()
    assert again.fun == result.fun and np.array_equal(again.x, result.x)


def test_spending_the_budget_is_not_success(result):
    assert result.status is Status.MAX_EVALS and not result.success
    assert "budget (400)" in result.message and "no target" in result.message
    missed = ss.minimize(sphere, [(-1, 1)] * 3, method="rhc", budget=400, rng=3,
                         termination=ss.TargetValue(-1.0))
    assert not missed.success and "before the target -1 was met" in missed.message


def test_a_met_target_is_success():
    res = ss.minimize(sphere, [(-1, 1)] * 3, method="rhc", budget=5_000, rng=3,
                      termination=ss.TargetValue(1e-3))
    assert res.status is Status.TARGET and res.success and res.fun <= 1e-3
    assert res.nfev < 5_000 and res.message == Status.TARGET.message


def test_stopping_by_a_convergence_test_is_success_and_a_callback_stop_is_not():
    res = ss.minimize(sphere, [(-1, 1)] * 3, method="rhc", budget=50_000, rng=3,
                      options={"restarts": 0, "patience": 30})
    assert res.status in (Status.CONVERGED, Status.STAGNATION) and res.success
    stopped = ss.minimize(sphere, [(-1, 1)] * 3, method="sa", budget=50_000, rng=3,
                          callback=lambda r: True)
    assert stopped.status is Status.CALLBACK and not stopped.success


@pytest.mark.parametrize("status", list(Status))
def test_every_status_says_whether_it_is_success(status):
    expected = status in (Status.TARGET, Status.STAGNATION, Status.CONVERGED)
    assert status.success is expected and status.message.endswith(".")


@pytest.mark.parametrize("record_x", [False, True])
def test_a_runs_result_is_the_dataclass_its_fields_make(record_x):
    # Runs build results without the dataclass's __init__ (OptimizeResult._of): the same
    # object as OptimizeResult(**fields) and History(**fields) would be, field for field.
    import dataclasses

    from stochsearch.problems import Rastrigin
    from stochsearch.result import History, OptimizeResult

    run = ss.SimulatedAnnealing().run(Rastrigin(4), 300, rng=1, record_x=record_x)
    fields = {f.name: getattr(run, f.name) for f in dataclasses.fields(OptimizeResult)}
    built = OptimizeResult(**fields)
    assert type(run) is OptimizeResult and type(run.history) is History
    assert list(vars(run)) == list(vars(built)) == list(fields)
    assert all(vars(run)[k] is vars(built)[k] for k in fields)
    history = {f.name: getattr(run.history, f.name) for f in dataclasses.fields(History)}
    assert list(vars(run.history)) == list(vars(History(**history))) == ["nfev", "fun", "x"]
    assert (run.history.x is not None) == record_x
    assert dataclasses.asdict(run).keys() == fields.keys()
    assert repr(run) == repr(built)
    assert dataclasses.replace(run, fun=1.0).fun == 1.0 and run.fun != 1.0
    again = pickle.loads(pickle.dumps(run))
    assert np.array_equal(again.history.fun, run.history.fun) and again.info == run.info
