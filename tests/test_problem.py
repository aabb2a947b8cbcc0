import pickle

import numba
import numpy as np
import pytest

import stochsearch as ss
from stochsearch.operators import Flip, Insert, Swap, TwoOpt


def test_as_problem_tells_the_path():
    python = ss.as_problem(lambda x: float(np.sum(x ** 2)), bounds=[(-1, 1)] * 3)
    assert python.path == "python"

    @numba.njit
    def one_argument(x):
        return np.sum(x ** 2)

    @numba.njit
    def two_arguments(x, data):
        return np.sum((x - data[0]) ** 2)

    assert ss.as_problem(one_argument, bounds=[(-1, 1)] * 3).path == "fused"
    with_data = ss.Problem(ss.Real(-1, 1, dim=3), objective=two_arguments, data=[0.5])
    assert with_data.path == "fused"
    assert with_data([0.5, 0.5, 0.5]) == 0.0
    assert python([0.5, 0.0, 0.0]) == ss.as_problem(one_argument, bounds=[(-1, 1)] * 3)(
        [0.5, 0.0, 0.0])


def test_vectorized_problems_evaluate_batches():
    calls = []

    def batch(X):
        calls.append(X.shape)
        return np.sum(X ** 2, axis=1)

    problem = ss.as_problem(batch, bounds=[(-1, 1)] * 2, vectorized=True)
    np.testing.assert_array_equal(problem.evaluate(np.ones((4, 2))), np.full(4, 2.0))
    result = ss.RandomSearch(batch_size=50).run(problem, 120, rng=0)
    assert result.nfev == 120 and calls[1:] == [(50, 2), (50, 2), (20, 2)]
    wrong = ss.as_problem(lambda X: np.zeros(3), bounds=[(-1, 1)] * 2, vectorized=True)
    with pytest.raises(ValueError, match="one value per row"):
        ss.RandomSearch(batch_size=5).run(wrong, 10, rng=0)


def test_non_scalar_objectives_are_refused_clearly():
    vector = ss.as_problem(lambda x: x * 2, bounds=[(-1, 1)] * 2)
    with pytest.raises(TypeError, match=r"must return a scalar, got an array of shape \(2,\)"):
        ss.minimize(vector, budget=10, rng=0)

    @numba.njit
    def vector_numba(x):
        return x * 2

    with pytest.raises(TypeError, match="returns an array where a scalar is needed"):
        ss.as_problem(vector_numba, bounds=[(-1, 1)] * 2)
    with pytest.raises(TypeError, match="must return a real number"):
        ss.as_problem(lambda x: "high", bounds=[(0, 1)]).evaluate([0.5])


def test_negate_maximizes():
    fitness = ss.as_problem(lambda x: float(-np.sum((x - 0.5) ** 2)), bounds=[(0, 1)] * 2,
                            maximize=True, name="peak")
    assert fitness.name == "-peak"
    result = ss.minimize(fitness, method="rhc", budget=2000, rng=0)
    np.testing.assert_allclose(result.x, [0.5, 0.5], atol=1e-4)

    @numba.njit
    def peak(x):
        return -np.sum((x - 0.5) ** 2)

    negated = ss.as_problem(peak, bounds=[(0, 1)] * 2).negate()
    assert negated.path == "fused" and negated([0.0, 0.0]) == 0.5


def test_problems_pickle():
    @numba.njit
    def square(x, data):
        return (x[0] - data[0]) ** 2

    problem = ss.Problem(ss.Real(-1, 1, dim=1), objective=square, data=[0.25], f_opt=0.0)
    clone = pickle.loads(pickle.dumps(problem))
    assert clone([0.25]) == 0.0 and clone.f_opt == 0.0


def test_problem_arguments_are_checked():
    with pytest.raises(ValueError, match="needs an objective"):
        ss.Problem(ss.Binary(3))
    with pytest.raises(ValueError, match="only defined on Real spaces"):
        ss.Problem(ss.Binary(3), fun=sum, gradient=lambda x: x)
    with pytest.raises(ValueError, match="needs a space"):
        ss.as_problem(lambda x: 0.0)
    with pytest.raises(TypeError, match="must be callable"):
        ss.as_problem(3, bounds=[(0, 1)])


def test_maximize_takes_f_opt_in_the_fitness_own_sign_once():
    fitness = ss.as_problem(lambda x: float(np.sum(x)), ss.Binary(6), maximize=True, f_opt=6)
    assert fitness.f_opt == -6.0  # the maximum 6, stored negated once with the objective
    result = ss.minimize(lambda x: float(np.sum(x)), space=ss.Binary(6), maximize=True,
                         method="rhc", budget=500, rng=0)
    assert result.fun == -6.0 and fitness(result.x) == -6.0
    by_problem = ss.minimize(ss.as_problem(lambda x: float(np.sum(x)), ss.Binary(6)),
                             maximize=True, method="rhc", budget=500, rng=0)
    assert by_problem.fun == result.fun
    with pytest.raises(ValueError, match="f_opt, x_opt, data and vectorized cannot be given with a "
                                         "Problem"):
        ss.as_problem(fitness, f_opt=-6)
    with pytest.raises(TypeError, match="maximize must be True or False, got 'yes'"):
        ss.minimize(lambda x: 0.0, [(0, 1)], maximize="yes", budget=10)


def test_ss_jit_compiles_code_from_a_file_that_does_not_exist_without_caching_it(tmp_path):
    # exec of a document under a made-up .py name: numba cannot cache it ("no locator"), so
    # ss.jit must not ask it to.
    source = "def twice(x, data):\n    return 2.0 * x[0]\n"
    namespace = {"__name__": "made_up"}
    filename = str(tmp_path / "nowhere" / "objective.py")
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102
    twice = ss.jit(namespace["twice"])
    assert twice(np.array([1.5]), np.zeros(0)) == 3.0


def test_a_problem_names_its_natural_neighbourhood():
    @numba.njit
    def tour(x, data):
        return float(np.sum(np.abs(np.diff(x))))

    plain = ss.Problem(ss.Permutation(6), objective=tour)
    assert plain.neighborhood is None
    problem = ss.Problem(ss.Permutation(6), objective=tour, neighborhood="2opt")
    assert problem.neighborhood == TwoOpt()                    # a name becomes the operator
    for kept in (pickle.loads(pickle.dumps(problem)), problem.negate(),
                 pickle.loads(pickle.dumps(problem.negate())), ss.as_problem(problem),
                 ss.as_problem(problem, maximize=True)):
        assert kept.neighborhood == TwoOpt()
    problem.neighborhood = Insert()                            # set later, checked the same way
    assert pickle.loads(pickle.dumps(problem.negate())).neighborhood == Insert()
    assert ss.as_problem(sum, ss.Permutation(6), neighborhood=Swap()).neighborhood == Swap()
    with pytest.raises(ValueError, match=r"works on permutation spaces, not on Binary\(4\)"):
        ss.Problem(ss.Binary(4), fun=sum, neighborhood="2opt")
    with pytest.raises(ValueError, match="works on binary spaces"):
        problem.neighborhood = Flip()
    with pytest.raises(ValueError, match="unknown neighbourhood '3opt'"):
        ss.as_problem(sum, ss.Permutation(4), neighborhood="3opt")
    with pytest.raises(TypeError, match="neighborhood must be a neighbourhood name or a "
                                        "Neighborhood, got 2"):
        ss.Problem(ss.Permutation(4), fun=sum, neighborhood=2)
    with pytest.raises(ValueError, match="neighborhood cannot be given with a Problem"):
        ss.as_problem(problem, neighborhood="swap")


def test_catalogue_problems_name_their_measured_neighbourhoods():
    from stochsearch.problems import TSP, NQueens, OneMax

    berlin = TSP(instance="berlin52")
    assert berlin.neighborhood == TwoOpt() and NQueens(8).neighborhood == Swap()
    assert OneMax(8).neighborhood is None                      # the optimizer's default
    berlin.neighborhood = "insert"
    assert pickle.loads(pickle.dumps(berlin)).neighborhood == Insert()
    assert pickle.loads(pickle.dumps(TSP(12))).neighborhood == TwoOpt()
