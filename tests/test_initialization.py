import numpy as np
import pytest

import stochsearch as ss
from stochsearch.initialization import draw, resolve_initializer

REAL = ss.Real([-2.0, 1.0], [2.0, 5.0])


@pytest.mark.parametrize("spec,expected", [
    ("zeros", None), ("center", [[0.0, 3.0]] * 3), ({"name": "constant", "value": 3.0}, None),
    ([1.0, 2.0], [[1.0, 2.0]] * 3), (np.array([[1.0, 2.0], [0.0, 4.0]]),
                                     [[1.0, 2.0], [0.0, 4.0], [1.0, 2.0]]),
])
def test_deterministic_initializers(spec, expected):
    rng = np.random.default_rng(0)
    if expected is None:
        with pytest.raises(ValueError, match="must lie in Real"):
            draw(resolve_initializer(spec), rng, REAL, 3)
    else:
        np.testing.assert_array_equal(draw(resolve_initializer(spec), rng, REAL, 3), expected)


def test_random_initializers_stay_in_the_box_and_follow_the_seed():
    for spec in ("uniform", "normal", ss.Normal(mean=0.5, std=0.5)):
        a = draw(resolve_initializer(spec), np.random.default_rng(1), REAL, 200)
        b = draw(resolve_initializer(spec), np.random.default_rng(1), REAL, 200)
        np.testing.assert_array_equal(a, b)
        assert REAL.contains(a).all() and len(np.unique(a[:, 0])) > 100


def test_callable_initializer_and_its_errors():
    def corner(rng, space, n):
        return np.tile(space.lower, (n, 1))

    result = ss.minimize(lambda x: float(np.sum(x)), space=REAL, method="rhc", budget=50,
                         init=corner, rng=0)
    assert result.nfev == 50
    with pytest.raises(ValueError, match="must return 4 points, got 1"):
        draw(resolve_initializer(lambda rng, space, n: space.lower[None, :]), None, REAL, 4)
    with pytest.raises(ValueError, match="needs a value"):
        resolve_initializer("constant")
    with pytest.raises(ValueError, match="unknown initializer 'unifrom'; did you mean 'uniform'"):
        resolve_initializer("unifrom")
    with pytest.raises(TypeError, match="init must be a name"):
        resolve_initializer(3.5)
    with pytest.raises(ValueError, match="not a permutation"):
        draw(resolve_initializer("zeros"), None, ss.Permutation(3), 1)
    with pytest.raises(ValueError, match="only makes sense on Real"):
        draw(resolve_initializer("center"), None, ss.Binary(3), 1)


def test_x0_outside_the_bounds_fails_before_any_evaluation():
    calls = []
    with pytest.raises(ValueError, match="x0 must lie in Real"):
        ss.minimize(lambda x: calls.append(1) or 0.0, bounds=[(0, 1)] * 2, x0=[0.5, 3.0],
                    budget=10)
    assert calls == []


def test_fixed_start_is_the_dial_at_zero():
    # Greedy descent from a fixed start, without restarts: the same run whatever the seed.
    from stochsearch.operators import GaussianStep
    opt = ss.SimulatedAnnealing(t0=0.0, move=GaussianStep(scale=1e-9))
    runs = [opt.run(ss.as_problem(lambda x: float(np.sum(x ** 2)), space=REAL), 30,
                    init="center", rng=seed) for seed in range(2)]
    assert runs[0].history.fun[0] == runs[1].history.fun[0] == 9.0
