import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import stochsearch as ss


def test_real_bounds_are_validated():
    with pytest.raises(ValueError, match="lower < upper in every coordinate; coordinate 1"):
        ss.Real([0, 1], [1, 1])
    with pytest.raises(ValueError, match="same length"):
        ss.Real([0, 0], [1, 1, 1])
    with pytest.raises(ValueError, match="dim is needed"):
        ss.Real(0, 1)
    with pytest.raises(ValueError, match="finite"):
        ss.Real(-np.inf, 1, dim=2)
    with pytest.raises(ValueError, match=r"\(low, high\) pairs, one per coordinate"):
        ss.Real.from_bounds([(0, 1, 2)])
    with pytest.raises(ValueError, match=r"\(low, high\) pairs"):
        ss.Real.from_bounds("abc")


def test_real_from_scipy_bounds_and_pairs_agree():
    from scipy.optimize import Bounds
    assert ss.Real.from_bounds([(0, 1), (-2, 2)]) == ss.Real.from_bounds(Bounds([0, -2], [1, 2]))


@given(st.integers(1, 6), st.integers(1, 20), st.integers(0, 2**32 - 1))
@settings(max_examples=40, deadline=None)
def test_samples_are_points_of_their_space(dim, n, seed):
    rng = np.random.default_rng(seed)
    spaces = [ss.Real(-1.5, 3.0, dim=dim), ss.Binary(dim)]
    if dim >= 2:
        spaces.append(ss.Permutation(dim))
    for space in spaces:
        X = space.sample(rng, n)
        assert X.shape == (n, dim) and X.dtype == space.dtype
        assert space.contains(X).all()
        np.testing.assert_array_equal(space.as_points(X), X)


def test_as_points_explains_what_is_wrong():
    space = ss.Real(0, 1, dim=3)
    with pytest.raises(ValueError, match=r"length 3 or an array of shape \(n, 3\)"):
        space.as_points(np.zeros(4))
    with pytest.raises(ValueError, match="row 1 does not"):
        space.as_points([[0.5, 0.5, 0.5], [0.5, 2.0, 0.5]])
    with pytest.raises(ValueError, match="must lie in Permutation"):
        ss.Permutation(3).as_points([0, 0, 1])
    with pytest.raises(ValueError, match="integers for a binary space"):
        ss.Binary(2).as_points([0.5, 1.0])


def test_spaces_compare_and_pickle():
    import pickle
    for space in (ss.Real([0, -1], [1, 1]), ss.Binary(5), ss.Permutation(4)):
        assert pickle.loads(pickle.dumps(space)) == space
        assert hash(pickle.loads(pickle.dumps(space))) == hash(space)
    assert ss.Binary(5) != ss.Binary(6)
    assert ss.Real(0, 1, dim=2) != ss.Real(0, 2, dim=2)


@pytest.mark.filterwarnings("error")
def test_a_box_whose_width_overflows_is_refused_in_one_sentence():
    # Each bound is finite, but upper - lower is inf: sampling would search at inf.
    with pytest.raises(ValueError, match=r"finite width .* coordinate 0 .* overflows to inf"):
        ss.Real.from_bounds([(-1e308, 1e308)])
    with pytest.raises(ValueError, match="coordinate 1"):
        ss.Real([0.0, -1e308], [1.0, 1e308])
    assert ss.Real(-1e307, 1e307, dim=2).width[0] == 2e307  # wide but finite is fine


@ss.jit
def _minus_ones_numba(x, data):
    return -np.sum(x)


def test_the_natural_bitstring_objective_just_works_in_python_and_numba():
    # On unsigned bytes -np.sum(x) wrapped around to about 1.8e19 and every search was blind.
    for problem in (ss.Problem(ss.Binary(30), fun=lambda x: -np.sum(x)),
                    ss.Problem(ss.Binary(30), objective=_minus_ones_numba)):
        assert problem(np.ones(30)) == -30.0 and problem(np.zeros(30)) == 0.0
        for name in ("rhc", "sa", "ga"):
            assert ss.OPTIMIZERS.get(name)().run(problem, 4000, rng=0).fun == -30.0


@pytest.mark.parametrize("n", [2, 3, 50, 257])
def test_one_permutation_is_drawn_as_the_general_form_draws_it(n):
    """``sample(rng, 1)`` (a shuffle of one row) gives the same permutation and leaves the
    Generator in the same state as the general form (``permuted`` over rows)."""
    for seed in range(20):
        one, general = np.random.default_rng(seed), np.random.default_rng(seed)
        x = ss.Permutation(n).sample(one, 1)
        y = general.permuted(np.tile(np.arange(n, dtype=np.int64), (1, 1)), axis=1)
        assert x.dtype == y.dtype and x.shape == (1, n)
        np.testing.assert_array_equal(x, y)
        assert one.random() == general.random()


@pytest.mark.parametrize("bit_generator", [np.random.PCG64, np.random.Philox, np.random.MT19937,
                                           np.random.SFC64])
def test_binary_samples_are_numpys_draws(bit_generator):
    # Binary.sample draws in compiled code: the same bits as numpy's
    # rng.integers(0, 2, size=(n, dim), dtype=np.int8), and the Generator left in the same
    # state, after earlier draws of other sizes (numpy buffers 32-bit words within a call).
    for seed in range(60):
        for n, dim in ((1, 100), (3, 7), (2, 13), (5, 1), (0, 4), (4, 33)):
            ours = np.random.Generator(bit_generator(seed))
            theirs = np.random.Generator(bit_generator(seed))
            for rng in (ours, theirs):
                rng.random(seed % 3)
                rng.integers(0, 5, seed % 4, dtype=np.int32)
            got = ss.Binary(dim).sample(ours, n)
            expected = theirs.integers(0, 2, size=(n, dim), dtype=np.int8)
            assert got.dtype == np.int8 and got.shape == (n, dim) and got.flags.c_contiguous
            assert np.array_equal(got, expected)
            following = [(rng.integers(0, 200, 3, dtype=np.int16).tolist(),   # 32-bit
                          rng.random(2).tolist()) for rng in (ours, theirs)]  # 64-bit draws
            assert following[0] == following[1]
