"""The Integer space: validated bounds (one sentence per problem), uniform inclusive sampling,
membership, clipping, pickling, and the initializers on it."""
import pickle

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import stochsearch as ss


def test_integer_bounds_are_validated_in_one_sentence():
    with pytest.raises(ValueError, match="lower <= upper in every coordinate; coordinate 1 has "
                                         "lower=2 and upper=1"):
        ss.Integer([0, 2], [1, 1])
    with pytest.raises(ValueError, match="same length"):
        ss.Integer([0, 0], [1, 1, 1])
    with pytest.raises(ValueError, match="dim is needed"):
        ss.Integer(0, 1)
    with pytest.raises(ValueError, match="do not match dim=3"):
        ss.Integer([0, 0], 5, dim=3)
    with pytest.raises(ValueError, match="lower must be finite integers"):
        ss.Integer(-np.inf, 1, dim=2)
    with pytest.raises(ValueError, match="upper must be finite integers"):
        ss.Integer(0, [1, np.nan])
    with pytest.raises(ValueError, match="upper must hold integers, got non-integral"):
        ss.Integer(0, 2.5, dim=2)
    with pytest.raises(ValueError, match="lower must be an integer or a 1-D array"):
        ss.Integer([[0, 1]], [2, 3])
    with pytest.raises(ValueError, match="lower must be an integer or a 1-D array"):
        ss.Integer("a", 3, dim=1)
    with pytest.raises(ValueError, match=r"within \+-2\*\*52"):
        ss.Integer(0, 2**60, dim=1)
    with pytest.raises(ValueError, match="dim must be"):
        ss.Integer(0, 1, dim=0)
    space = ss.Integer(0.0, [3.0, 4.0])       # integral floats are fine
    assert space.lower.dtype == np.int64 and space.upper.tolist() == [3, 4]
    assert ss.Integer(2, 2, dim=1).width.tolist() == [0]   # a fixed coordinate is allowed


@given(st.integers(1, 5), st.integers(-100, 100), st.integers(0, 6), st.integers(0, 2**32 - 1))
@settings(max_examples=60, deadline=None)
def test_samples_are_int64_points_of_their_space(dim, low, width, seed):
    space = ss.Integer(low, low + width, dim=dim)
    X = space.sample(np.random.default_rng(seed), 30)
    assert X.shape == (30, dim) and X.dtype == np.int64
    assert space.contains(X).all()
    np.testing.assert_array_equal(space.as_points(X), X)


def test_sampling_is_uniform_on_both_bounds_included():
    from scipy import stats
    space = ss.Integer([-2, 10], [2, 11])
    X = space.sample(np.random.default_rng(0), 5000)
    counts = np.bincount(X[:, 0] + 2, minlength=5)
    assert counts.min() > 0 and X[:, 0].min() == -2 and X[:, 0].max() == 2
    assert stats.chisquare(counts).pvalue > 1e-3
    assert set(X[:, 1].tolist()) == {10, 11}


def test_membership_integrality_and_clip():
    space = ss.Integer(-3, 3, dim=2)
    assert space.contains(np.array([[0, 3], [-3, -3], [4, 0]])).tolist() == [True, True, False]
    assert space.contains(np.array([[0.5, 0.0], [1.0, 2.0]])).tolist() == [False, True]
    assert not space.contains(np.array([[np.nan, 0.0]]))[0]
    with pytest.raises(ValueError, match="integers for an integer space"):
        space.as_points([0.5, 1.0])
    with pytest.raises(ValueError, match="must lie in Integer"):
        space.as_points([0, 7])
    np.testing.assert_array_equal(space.clip([[-7.6, 1.4], [2.5, 9]]), [[-3, 1], [2, 3]])
    assert space.clip([1.6, 0]).dtype == np.int64
    assert space.center.tolist() == [0, 0]


def test_integer_spaces_compare_pickle_and_print():
    space = ss.Integer([0, -1], [5, 1])
    clone = pickle.loads(pickle.dumps(space))
    assert clone == space and hash(clone) == hash(space)
    assert space != ss.Integer([0, -1], [5, 2])
    assert space != ss.Real([0, -1], [5, 1])
    assert repr(space) == "Integer(lower=[ 0, -1], upper=[5, 1])"
    with pytest.raises(ValueError):
        clone.lower[0] = 3


def test_initializers_on_integer_spaces():
    space = ss.Integer([-4, 0], [4, 9])
    rng = np.random.default_rng(0)
    from stochsearch.initialization import draw, resolve_initializer
    assert draw(resolve_initializer("center"), rng, space, 2).tolist() == [[0, 4], [0, 4]]
    assert draw(resolve_initializer("zeros"), rng, space, 1).tolist() == [[0, 0]]
    assert draw(ss.Constant(3), rng, space, 1).tolist() == [[3, 3]]
    normal = draw(ss.Normal(0, 10), rng, space, 50)
    assert normal.dtype == np.int64 and space.contains(normal).all()
    with pytest.raises(ValueError, match="non-integral"):
        draw(ss.Constant(0.5), rng, space, 1)
    with pytest.raises(ValueError, match="must lie in Integer"):
        draw(resolve_initializer("zeros"), rng, ss.Integer(1, 3, dim=2), 1)
