"""Every initializer: its mean and variance on a large draw within statistical tolerance of
its formula (fixed seed, five standard errors), its bounds, orthogonality, repeatability, its
errors, and its use as the init= of every optimizer on a network problem."""
from __future__ import annotations

import math

import numpy as np
import pytest

import stochsearch as ss
from stochsearch.nn import MLP, NetworkProblem, WeightSpace
from stochsearch.nn import initializers as I

SHAPE = (300, 200)          # 60,000 values; fan_in 300, fan_out 200
FAN_IN, FAN_OUT = SHAPE
TRUNC_VAR = I.TRUNCATION_STD ** 2


def _uniform(low, high):
    return (low + high) / 2, (high - low) ** 2 / 12, (low, high)


def _truncated(mean, std):
    return mean, std ** 2 * TRUNC_VAR, (mean - 2 * std, mean + 2 * std)


def _scaled(scale, n, distribution):
    variance = scale / n
    if distribution == "uniform":
        limit = math.sqrt(3 * variance)
        return 0.0, variance, (-limit, limit)
    if distribution == "truncated_normal":
        return _truncated(0.0, math.sqrt(variance) / I.TRUNCATION_STD)
    return 0.0, variance, (-np.inf, np.inf)


AVG = (FAN_IN + FAN_OUT) / 2
# initializer -> (mean, variance, (lowest, highest)) of its values on SHAPE
CASES = {
    "zeros": (I.Zeros(), (0.0, 0.0, (0.0, 0.0))),
    "ones": (I.Ones(), (1.0, 0.0, (1.0, 1.0))),
    "constant": (I.Constant(0.7), (0.7, 0.0, (0.7, 0.7))),
    "random_normal": (I.RandomNormal(0.1, 0.2), (0.1, 0.04, (-np.inf, np.inf))),
    "random_uniform": (I.RandomUniform(-0.3, 0.5), _uniform(-0.3, 0.5)),
    "truncated_normal": (I.TruncatedNormal(0.2, 0.5), _truncated(0.2, 0.5)),
    "vs-fan_out-untruncated": (I.VarianceScaling(3.0, "fan_out", "untruncated_normal"),
                               _scaled(3.0, FAN_OUT, "untruncated_normal")),
    "vs-fan_avg-truncated": (I.VarianceScaling(0.5, "fan_avg", "truncated_normal"),
                             _scaled(0.5, AVG, "truncated_normal")),
    "vs-fan_in-uniform": (I.VarianceScaling(2.5, "fan_in", "uniform"),
                          _scaled(2.5, FAN_IN, "uniform")),
    "glorot_uniform": (I.GlorotUniform(), _scaled(1.0, AVG, "uniform")),
    "glorot_normal": (I.GlorotNormal(), _scaled(1.0, AVG, "truncated_normal")),
    "he_uniform": (I.HeUniform(), _scaled(2.0, FAN_IN, "uniform")),
    "he_normal": (I.HeNormal(), _scaled(2.0, FAN_IN, "truncated_normal")),
    "lecun_uniform": (I.LecunUniform(), _scaled(1.0, FAN_IN, "uniform")),
    "lecun_normal": (I.LecunNormal(), _scaled(1.0, FAN_IN, "truncated_normal")),
    "orthogonal": (I.Orthogonal(gain=2.0), (0.0, 4.0 / FAN_IN, (-np.inf, np.inf))),
    "pytorch": (I.PyTorchDefault(), _uniform(-FAN_IN ** -0.5, FAN_IN ** -0.5)),
    "small_uniform": (I.SmallUniform(), _uniform(0.0, 0.1)),
    "standard": (I.Standard(), _uniform(-FAN_IN ** -0.5, FAN_IN ** -0.5)),
    "sparse": (I.Sparse(15, 0.5), (0.0, 15 / FAN_IN * 0.25, (-np.inf, np.inf))),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_moments_and_bounds_follow_the_formula(name):
    initializer, (mean, variance, (lowest, highest)) = CASES[name]
    values = initializer.sample(np.random.default_rng(0), SHAPE).ravel()
    n = values.size
    assert values.min() >= lowest and values.max() <= highest
    m2 = values.var()
    m4 = np.mean((values - values.mean()) ** 4)
    assert abs(values.mean() - mean) <= 5 * math.sqrt(m2 / n) + 1e-15
    assert abs(m2 - variance) <= 5 * math.sqrt(max(m4 - m2 ** 2, 0.0) / n) + 1e-15
    if lowest > -np.inf and name not in ("zeros", "ones", "constant"):
        span = highest - lowest
        assert values.min() - lowest < 0.01 * span and highest - values.max() < 0.01 * span


@pytest.mark.parametrize("shape", [(40, 40), (60, 25), (25, 60)])
def test_orthogonal_is_orthogonal(shape):
    W = I.Orthogonal(gain=1.5).sample(np.random.default_rng(1), shape)
    small = min(shape)
    gram = W.T @ W if shape[0] >= shape[1] else W @ W.T
    np.testing.assert_allclose(gram, 2.25 * np.eye(small), atol=1e-12)


def test_keras_fans():
    assert I.compute_fans(()) == (1, 1) and I.compute_fans((7,)) == (7, 7)
    assert I.compute_fans((3, 5)) == (3, 5) and I.compute_fans((2, 3, 4, 5)) == (24, 30)
    assert I.VarianceScaling(2.0, "fan_avg").variance((3, 5)) == 0.5
    assert I.TRUNCATION_STD == 0.87962566103423978


def test_sparse_has_that_many_incoming_weights_per_unit():
    W = I.Sparse(n_nonzero=4).sample(np.random.default_rng(2), (10, 7))
    assert np.all(np.count_nonzero(W, axis=0) == 4)
    assert np.all(np.count_nonzero(I.Sparse(15).sample(np.random.default_rng(2), (6, 3)),
                                   axis=0) == 6)


NET = MLP((3, 8, 5, 2), activation="tanh", output="softmax")
SPACE = WeightSpace(NET, bound=50.0, inputs=np.random.default_rng(0).normal(size=(300, 3)))


@pytest.mark.parametrize("name", sorted(I.NAMES))
def test_same_seed_same_weights_and_zero_biases(name):
    if name == "identity":
        pytest.skip("needs square layers (tested below)")
    initializer = I.resolve(name)
    a = initializer(np.random.default_rng(3), SPACE, 2)
    b = initializer(np.random.default_rng(3), SPACE, 2)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (2, NET.n_params) and np.all(SPACE.contains(a))
    biases = np.concatenate([b for _, b in NET.unpack(a[0])])
    if name != "pytorch":
        assert np.all(biases == 0.0)
    else:
        assert np.all(biases != 0.0)


def test_biases_take_their_own_initializer():
    X = I.GlorotUniform(bias=I.Constant(0.25))(np.random.default_rng(0), SPACE, 1)
    assert all(np.all(b == 0.25) for _, b in NET.unpack(X[0]))
    X = I.resolve({"name": "he_normal", "bias": "ones"})(np.random.default_rng(0), SPACE, 1)
    assert all(np.all(b == 1.0) for _, b in NET.unpack(X[0]))
    torch = I.PyTorchDefault()(np.random.default_rng(0), SPACE, 1)
    for (W, b), fan_in in zip(NET.unpack(torch[0]), NET.sizes[:-1]):
        assert np.abs(b).max() <= fan_in ** -0.5 and np.abs(W).max() <= fan_in ** -0.5


def test_lsuv_gives_unit_variance_layers():
    X = I.LSUV(tol=0.01, max_iter=20)(np.random.default_rng(4), SPACE, 1)
    Z, _ = NET.forward(X[0], SPACE.inputs)
    for start, stop in ((3, 11), (11, 16), (16, 18)):
        assert abs(Z[:, start:stop].var() - 1.0) < 0.01



def test_lsuv_equals_the_algorithm_with_a_full_forward_pass_per_step():
    """Mishkin & Matas's loop as written (the whole network evaluated at every rescaling)
    gives the same weights as the implementation, which carries each layer's input forward."""
    class FullPass(I.LSUV):
        def _fill(self, rng, space, w):
            I.WeightInitializer._fill(self, rng, space, w)
            X = space.inputs[np.sort(rng.choice(len(space.inputs), self.batch_size, False))] \
                if len(space.inputs) > self.batch_size else space.inputs
            first = space.network.sizes[0]
            for (n_in, n_out), offset in space.layers:
                for _ in range(self.max_iter):
                    Z, _ = space.network.forward(w, X)
                    variance = Z[:, first:first + n_out].var()
                    if abs(variance - 1.0) < self.tol:
                        break
                    w[offset:offset + n_in * n_out] /= math.sqrt(variance)
                first += n_out

    space = ss.PROBLEMS.get("moons-mlp")(hidden=[12, 12, 12]).space
    for options in ({}, {"tol": 1e-3, "max_iter": 3, "batch_size": 64}):
        np.testing.assert_array_equal(I.LSUV(**options)(np.random.default_rng(2), space, 2),
                                      FullPass(**options)(np.random.default_rng(2), space, 2))

def test_identity():
    space = WeightSpace(MLP((4, 4, 4), output="linear"))
    X = I.Identity(gain=0.5)(np.random.default_rng(0), space, 1)
    for W, b in space.network.unpack(X[0]):
        np.testing.assert_array_equal(W, 0.5 * np.eye(4))


@pytest.mark.parametrize("make,message", [
    (lambda: I.Identity()(np.random.default_rng(0), SPACE, 1),
     "Identity needs a square 2-D shape (a layer with as many inputs as units), got shape "
     "(3, 8)"),
    (lambda: I.Identity().sample(np.random.default_rng(0), (4, 4, 4)),
     "Identity needs a square 2-D shape (a layer with as many inputs as units), got shape "
     "(4, 4, 4)"),
    (lambda: I.Orthogonal().sample(np.random.default_rng(0), (5,)),
     "Orthogonal needs a shape of at least two dimensions, got (5,)"),
    (lambda: I.GlorotUniform()(np.random.default_rng(0), ss.Real(-1, 1, dim=3), 1),
     "init=GlorotUniform(bias=None) needs the layer shapes of a network (fan-in and fan-out), "
     "and Real(lower=[-1, -1, -1], upper=[1, 1, 1]) is a plain box"),
    (lambda: I.LSUV()(np.random.default_rng(0), WeightSpace(NET), 1),
     "init=LSUV() needs inputs to look at"),
    (lambda: I.VarianceScaling(mode="fan_sum"), "mode must be one of 'fan_in', 'fan_out', "
                                                "'fan_avg', got 'fan_sum'"),
    (lambda: I.resolve("xavier"), "init must be one of"),
])
def test_errors_are_one_clear_sentence(make, message):
    with pytest.raises(ValueError) as info:
        make()
    assert message in str(info.value)


def test_plain_boxes_take_the_distribution_only_initializers():
    box = ss.Real(-1.0, 1.0, dim=5)
    X = I.SmallUniform()(np.random.default_rng(0), box, 3)
    assert X.shape == (3, 5) and np.all((X >= 0) & (X <= 0.1))
    assert np.all(I.RandomNormal(stddev=10.0)(np.random.default_rng(0), box, 50) <= 1.0)


def test_registered_under_keras_names():
    for name in ("glorot_uniform", "he_normal", "lecun_uniform", "orthogonal", "identity",
                 "truncated_normal", "variance_scaling", "random_normal", "random_uniform",
                 "ones", "pytorch", "small_uniform", "standard", "sparse", "lsuv"):
        assert ss.INITIALIZERS.get(name) is I.NAMES[name]
    assert ss.INITIALIZERS.get("zeros") is ss.Zeros       # the core's, every coordinate


@pytest.mark.parametrize("optimizer", sorted(set(ss.OPTIMIZERS.names())))
def test_every_optimizer_starts_from_the_initializer(optimizer):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    problem = NetworkProblem(NET, X, (X[:, 0] > 0).astype(int))
    opt = ss.OPTIMIZERS.get(optimizer)()
    state = opt.init(problem, 100, rng=7, init="he_normal")
    asked = opt.ask(state)
    expected = I.HeNormal()(np.random.default_rng(7), problem.space, len(asked))
    np.testing.assert_array_equal(asked, expected)
    assert np.isfinite(opt.run(problem, 200, rng=7, init="lsuv").fun)
