"""What no optimizer may do without a word (issue 13): report a point it never evaluated, take
a non-number as an objective value, or ignore a callback's StopIteration. The property test runs
every optimizer on random boxes, budgets and seeds, objectives that are sometimes or always NaN
or infinite included."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import stochsearch as ss


@pytest.mark.parametrize("name", ["random", "rhc", "sa", "ga"])
@pytest.mark.parametrize("kind", ["real", "binary", "permutation", "integer"])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_with_no_finite_value_x_is_a_point_that_was_evaluated(name, kind, bad):
    space = {"real": ss.Real(3.0, 7.0, dim=4), "binary": ss.Binary(6),
             "permutation": ss.Permutation(5), "integer": ss.Integer(-3, 4, dim=4)}[kind]
    seen = []

    def never_finite(x):
        seen.append(np.array(x))
        return bad

    result = ss.OPTIMIZERS.get(name)().run(ss.Problem(space, fun=never_finite), 50, rng=0)
    assert space.contains(result.x[None, :])[0]
    assert any(np.array_equal(result.x, x) for x in seen)
    assert result.fun == np.inf and not result.success
    assert "no evaluated point had a finite value" in result.message


@pytest.mark.parametrize("values", [[None], ["1.5"], [object()]])
def test_tell_refuses_values_that_are_not_numbers(values):
    optimizer = ss.RandomSearch(batch_size=1)
    state = optimizer.init(ss.Real(0.0, 1.0, dim=2), 10, rng=0)
    X = optimizer.ask(state)
    with pytest.raises(TypeError, match="tell\\(\\) needs real numbers as objective values"):
        optimizer.tell(state, X, values)


def test_a_callback_raising_stopiteration_stops_the_run_as_in_scipy():
    def stop_after_50(intermediate):
        if intermediate.nfev >= 50:
            raise StopIteration

    problem = ss.problems.Sphere(3)
    result = ss.SimulatedAnnealing().run(problem, 10_000, rng=0, callback=stop_after_50)
    assert result.status == ss.Status.CALLBACK and 50 <= result.nfev < 10_000


_KINDS = st.sampled_from(["random", "rhc", "sa", "ga"])


@st.composite
def _boxes(draw):
    dim = draw(st.integers(1, 4))
    centre = draw(st.floats(-1e6, 1e6))
    widths = draw(st.lists(st.sampled_from([1e-9, 1e-3, 1.0, 1e3, 1e12]), min_size=dim,
                           max_size=dim))
    lower = centre - np.array(widths) / 2
    return ss.Real(lower, lower + np.array(widths))


@settings(max_examples=40)
@given(name=_KINDS, space=_boxes(), budget=st.integers(1, 300), seed=st.integers(0, 2**32),
       behaviour=st.sampled_from(["finite", "nan", "inf", "sometimes"]))
def test_any_valid_box_budget_seed_and_objective(name, space, budget, seed, behaviour):
    calls = [0]

    def objective(x):
        calls[0] += 1
        # "sometimes": NaN on a third of the box, a function of x (so both runs see the same).
        where = float((x[0] - space.lower[0]) / space.width[0])
        if behaviour == "nan" or (behaviour == "sometimes" and (7 * where) % 1.0 < 0.33):
            return float("nan")
        if behaviour == "inf":
            return float("inf")
        return float(np.sum((x - space.lower) ** 2))

    problem = ss.Problem(space, fun=objective)
    optimizer = ss.OPTIMIZERS.get(name)()
    result = optimizer.run(problem, budget, rng=seed)
    again = optimizer.run(problem, budget, rng=seed)
    assert result.nfev <= budget and calls[0] == 2 * result.nfev
    assert space.contains(result.x[None, :])[0]
    if np.isfinite(result.fun):
        assert result.fun == float(np.sum((result.x - space.lower) ** 2))
    else:
        assert not result.success
    np.testing.assert_array_equal(result.x, again.x)
    assert result.fun == again.fun or (np.isnan(result.fun) and np.isnan(again.fun))
