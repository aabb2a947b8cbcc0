"""Initializers of network weights: Keras's, with their names, arguments and formulas, and the
classic schemes a study of initialization needs (PyTorch's default, small uniform, Glorot and
Bengio's "standard", sparse, LSUV).

Each one is an ``init=`` for every optimizer. On a network's space (``WeightSpace``) it fills
every layer's kernel with ``sample(rng, (n_in, n_out))`` and its bias with the initializer
``bias`` (zeros by default), layer by layer, point by point. On a plain ``Real`` box, the ones
that need no layer shapes fill each point as one tensor of shape ``(dim,)``; the others refuse
with a clear sentence. Values beyond the bounds of the box are clipped to them. Truncated normals
are sampled by rejection: no value lies beyond two standard deviations.

Registered names (``stochsearch.INITIALIZERS``) are Keras's (``"glorot_uniform"``,
``"he_normal"``...), plus ``"pytorch"``, ``"small_uniform"``, ``"standard"``, ``"sparse"`` and
``"lsuv"``. ``"zeros"`` and ``"constant"`` name the core initializers (every coordinate, biases
included); ``Zeros`` and ``Constant`` here are Keras's (kernels only, biases by ``bias``).
"""
from __future__ import annotations

import math

import numpy as np

from .._validation import check_choice, check_int, check_real
from ..registry import INITIALIZERS
from ._weight_init import (NAMES, TRUNCATION_STD, WeightInitializer, compute_fans, resolve,
                           truncated_normal)
from .mlp import MLP

__all__ = ["Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity",
           "LSUV", "LecunNormal", "LecunUniform", "NAMES", "Ones", "Orthogonal",
           "PyTorchDefault", "RandomNormal", "RandomUniform", "SmallUniform", "Sparse",
           "Standard", "TruncatedNormal", "VarianceScaling", "WeightInitializer", "Zeros",
           "compute_fans", "resolve", "truncated_normal"]

# --- Keras ------------------------------------------------------------------------------------
class Zeros(WeightInitializer):
    """All zeros."""

    def sample(self, rng, shape):
        return np.zeros(shape)


class Ones(WeightInitializer):
    """All ones."""

    def sample(self, rng, shape):
        return np.ones(shape)


class Constant(WeightInitializer):
    """All ``value``."""

    def __init__(self, value: float = 0.0, bias=None):
        self.value = check_real("value", value)
        self.bias = bias

    def sample(self, rng, shape):
        return np.full(shape, self.value)


class RandomNormal(WeightInitializer):
    """``N(mean, stddev^2)``."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, bias=None):
        self.mean = check_real("mean", mean)
        self.stddev = check_real("stddev", stddev, low=0.0)
        self.bias = bias

    def sample(self, rng, shape):
        return rng.normal(self.mean, self.stddev, shape)


class RandomUniform(WeightInitializer):
    """``U(minval, maxval)``."""

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, bias=None):
        self.minval = check_real("minval", minval)
        self.maxval = check_real("maxval", maxval, low=self.minval)
        self.bias = bias

    def sample(self, rng, shape):
        return rng.uniform(self.minval, self.maxval, shape)


class TruncatedNormal(WeightInitializer):
    """``N(mean, stddev^2)`` with values beyond two standard deviations redrawn."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, bias=None):
        self.mean = check_real("mean", mean)
        self.stddev = check_real("stddev", stddev, low=0.0)
        self.bias = bias

    def sample(self, rng, shape):
        return truncated_normal(rng, shape, self.mean, self.stddev)


class VarianceScaling(WeightInitializer):
    """Variance ``scale / n`` with ``n`` the fan-in, the fan-out or their mean (``mode``):
    ``distribution="truncated_normal"`` draws a normal truncated at two standard deviations,
    its standard deviation divided by 0.87962566103423978 so that the truncated variance is
    ``scale / n``; ``"untruncated_normal"`` a normal; ``"uniform"`` ``U(-l, l)`` with
    ``l = sqrt(3 scale / n)``."""

    needs_layers = True
    _modes = ("fan_in", "fan_out", "fan_avg")
    _distributions = ("truncated_normal", "untruncated_normal", "uniform")

    def __init__(self, scale: float = 1.0, mode: str = "fan_in",
                 distribution: str = "truncated_normal", bias=None):
        self.scale = check_real("scale", scale, low=0.0, low_open=True)
        self.mode = check_choice("mode", mode, self._modes)
        self.distribution = check_choice("distribution", distribution, self._distributions)
        self.bias = bias

    def variance(self, shape) -> float:
        """The variance of the values drawn for a tensor of ``shape``."""
        fan_in, fan_out = compute_fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}
        return self.scale / max(1.0, n[self.mode])

    def sample(self, rng, shape):
        variance = self.variance(shape)
        if self.distribution == "truncated_normal":
            return truncated_normal(rng, shape, 0.0, math.sqrt(variance) / TRUNCATION_STD)
        if self.distribution == "untruncated_normal":
            return rng.normal(0.0, math.sqrt(variance), shape)
        limit = math.sqrt(3.0 * variance)
        return rng.uniform(-limit, limit, shape)


class _Preset(VarianceScaling):
    """A VarianceScaling with fixed arguments (class attributes)."""

    def __init__(self, bias=None):
        self.bias = bias


class GlorotUniform(_Preset):
    """``U(-l, l)``, ``l = sqrt(6 / (fan_in + fan_out))`` (Glorot and Bengio 2010)."""

    scale, mode, distribution = 1.0, "fan_avg", "uniform"


class GlorotNormal(_Preset):
    """Truncated normal of variance ``2 / (fan_in + fan_out)``."""

    scale, mode, distribution = 1.0, "fan_avg", "truncated_normal"


class HeUniform(_Preset):
    """``U(-l, l)``, ``l = sqrt(6 / fan_in)`` (He et al. 2015)."""

    scale, mode, distribution = 2.0, "fan_in", "uniform"


class HeNormal(_Preset):
    """Truncated normal of variance ``2 / fan_in``."""

    scale, mode, distribution = 2.0, "fan_in", "truncated_normal"


class LecunUniform(_Preset):
    """``U(-l, l)``, ``l = sqrt(3 / fan_in)`` (LeCun et al. 1998)."""

    scale, mode, distribution = 1.0, "fan_in", "uniform"


class LecunNormal(_Preset):
    """Truncated normal of variance ``1 / fan_in``."""

    scale, mode, distribution = 1.0, "fan_in", "truncated_normal"


class Orthogonal(WeightInitializer):
    """``gain`` times a random orthogonal matrix (Saxe et al. 2014): the QR decomposition of a
    Gaussian matrix, with the signs of ``diag(R)`` moved onto ``Q`` so that it is uniformly
    distributed; rows or columns orthonormal, whichever are fewer."""

    needs_layers = True

    def __init__(self, gain: float = 1.0, bias=None):
        self.gain = check_real("gain", gain)
        self.bias = bias

    def sample(self, rng, shape):
        shape = tuple(shape)
        if len(shape) < 2:
            raise ValueError(f"Orthogonal needs a shape of at least two dimensions, got "
                             f"{shape}")
        rows, cols = math.prod(shape[:-1]), shape[-1]
        q, r = np.linalg.qr(rng.standard_normal((max(rows, cols), min(rows, cols))))
        q = q * np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return self.gain * q.reshape(shape)


class Identity(WeightInitializer):
    """``gain`` times the identity matrix: for square 2-D shapes only (as many inputs as
    units)."""

    needs_layers = True

    def __init__(self, gain: float = 1.0, bias=None):
        self.gain = check_real("gain", gain)
        self.bias = bias

    def sample(self, rng, shape):
        shape = tuple(shape)
        if len(shape) != 2 or shape[0] != shape[1]:
            raise ValueError(f"Identity needs a square 2-D shape (a layer with as many inputs "
                             f"as units), got shape {shape}")
        return self.gain * np.eye(shape[0])


# --- classic schemes --------------------------------------------------------------------------
class PyTorchDefault(WeightInitializer):
    """PyTorch's ``nn.Linear``: ``kaiming_uniform_(a=sqrt(5))``, i.e. ``U(-b, b)`` with
    ``b = 1 / sqrt(fan_in)``, and its bias rule: the same ``U(-b, b)`` for the biases (unless
    ``bias`` is given)."""

    needs_layers = True

    def sample(self, rng, shape):
        gain = math.sqrt(2.0 / (1.0 + 5.0))
        bound = gain * math.sqrt(3.0 / compute_fans(shape)[0])
        return rng.uniform(-bound, bound, shape)

    def _bias(self, rng, kernel_shape):
        if self.bias is not None:
            return super()._bias(rng, kernel_shape)
        bound = 1.0 / math.sqrt(kernel_shape[0])
        return rng.uniform(-bound, bound, kernel_shape[1])


class SmallUniform(WeightInitializer):
    """The "small random weights" of early neural-network practice: ``U(low, high)``, by
    default ``U(0, 0.1)``."""

    def __init__(self, low: float = 0.0, high: float = 0.1, bias=None):
        self.low = check_real("low", low)
        self.high = check_real("high", high, low=self.low)
        self.bias = bias

    def sample(self, rng, shape):
        return rng.uniform(self.low, self.high, shape)


class Standard(WeightInitializer):
    """The "commonly used heuristic" of Glorot and Bengio (2010, eq. 1):
    ``U(-1 / sqrt(n), 1 / sqrt(n))`` with ``n`` the size of the previous layer (fan-in)."""

    needs_layers = True

    def sample(self, rng, shape):
        bound = 1.0 / math.sqrt(compute_fans(shape)[0])
        return rng.uniform(-bound, bound, shape)


class Sparse(WeightInitializer):
    """Sparse initialization (Martens 2010): each unit gets ``n_nonzero`` incoming weights
    (all of them if it has fewer inputs) from ``N(0, stddev^2)`` on distinct random inputs,
    the others zero."""

    needs_layers = True

    def __init__(self, n_nonzero: int = 15, stddev: float = 1.0, bias=None):
        self.n_nonzero = check_int("n_nonzero", n_nonzero, low=1)
        self.stddev = check_real("stddev", stddev, low=0.0)
        self.bias = bias

    def sample(self, rng, shape):
        shape = tuple(shape)
        if len(shape) != 2:
            raise ValueError(f"Sparse needs a 2-D shape (inputs, units), got {shape}")
        n_in, n_out = shape
        k = min(self.n_nonzero, n_in)
        W = np.zeros(shape)
        for j in range(n_out):
            W[rng.choice(n_in, size=k, replace=False), j] = rng.normal(0.0, self.stddev, k)
        return W


class LSUV(WeightInitializer):
    """Layer-sequential unit-variance initialization (Mishkin and Matas 2016): start from
    ``base`` (orthogonal), then, layer after layer, divide the kernel by the standard deviation
    of the layer's outputs (pre-activations) on a batch of inputs, until their variance is
    within ``tol`` of 1 or after ``max_iter`` rounds.

    Parameters
    ----------
    base : initializer or name
    tol : float
    max_iter : int
    batch_size : int
        Inputs used (drawn without replacement when there are more).
    inputs : array_like, optional
        The inputs to look at; by default those the network problem's space carries.
    bias : initializer, name or None
    """

    needs_layers = True

    def __init__(self, base="orthogonal", tol: float = 0.1, max_iter: int = 10,
                 batch_size: int = 512, inputs=None, bias=None):
        self.base = base
        self.tol = check_real("tol", tol, low=0.0, low_open=True)
        self.max_iter = check_int("max_iter", max_iter, low=0)
        self.batch_size = check_int("batch_size", batch_size, low=2)
        self.inputs = inputs
        self.bias = bias

    def sample(self, rng, shape):
        return resolve(self.base, "base").sample(rng, shape)

    def _fill(self, rng, space, w):
        X = space.inputs if self.inputs is None else space.network.check_inputs(self.inputs)
        if X is None:
            raise ValueError("init=LSUV() needs inputs to look at: give LSUV(inputs=X), or use "
                             "the space of a network problem, which carries its training inputs")
        super()._fill(rng, space, w)
        if X.shape[0] > self.batch_size:
            X = X[np.sort(rng.choice(X.shape[0], self.batch_size, replace=False))]
        network, H = space.network, X
        for (n_in, n_out), offset in space.layers:
            # Only this layer's input matters, and the layers before it are final: carry that
            # input forward (one pass in all), through this layer and a dummy output.
            step = MLP([n_in, n_out, 1], network.activation, "linear")
            end = offset + (n_in + 1) * n_out
            kernel = w[offset:offset + n_in * n_out]
            for attempt in range(self.max_iter + 1):
                Z, A = step.forward(np.concatenate([w[offset:end], np.zeros(n_out + 1)]), H)
                variance = Z[:, n_in:n_in + n_out].var()
                if attempt == self.max_iter or not np.isfinite(variance) or variance == 0.0 or \
                        abs(variance - 1.0) < self.tol:
                    break
                kernel /= math.sqrt(variance)
            H = A[:, n_in:n_in + n_out]


# --- names ------------------------------------------------------------------------------------
KERAS = {"zeros": Zeros, "ones": Ones, "constant": Constant, "random_normal": RandomNormal,
         "random_uniform": RandomUniform, "truncated_normal": TruncatedNormal,
         "variance_scaling": VarianceScaling, "orthogonal": Orthogonal, "identity": Identity,
         "lecun_uniform": LecunUniform, "lecun_normal": LecunNormal,
         "glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal,
         "he_uniform": HeUniform, "he_normal": HeNormal}
#: Every name of this module (Keras's and the classic schemes), the table ``resolve`` reads.
NAMES.update({**KERAS, "pytorch": PyTorchDefault, "small_uniform": SmallUniform,
              "standard": Standard, "sparse": Sparse, "lsuv": LSUV})

for _name, _cls in NAMES.items():
    if _name not in ("zeros", "constant"):      # the core's names (every coordinate)
        INITIALIZERS.register(_name, _cls)
