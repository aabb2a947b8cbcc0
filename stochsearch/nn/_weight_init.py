"""What every weight initializer shares: Keras's fan computation, exact truncated normals, the
base class that fills a network's parameter vector layer by layer (``WeightInitializer``), and
the table of names that ``resolve`` reads (``NAMES``, filled by ``initializers.py`` as it
defines each initializer, so this module never imports it). ``initializers.py`` re-exports
these names."""
from __future__ import annotations

import math
import numbers

import numpy as np

from .._validation import check_choice, describe
from ..initialization import Initializer

__all__ = ["NAMES", "TRUNCATION_STD", "WeightInitializer", "compute_fans", "resolve",
           "truncated_normal"]

#: name -> initializer class; ``initializers.py`` fills it (Keras's names, then the others).
NAMES: dict[str, type] = {}

#: Standard deviation of a standard normal truncated to [-2, 2] (Keras's correction).
TRUNCATION_STD = 0.87962566103423978


def compute_fans(shape) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a tensor shape, as Keras computes them: ``(1, 1)`` for a
    scalar, ``(n, n)`` for a vector, ``(shape[0], shape[1])`` for a matrix, and for more
    dimensions the last two times the receptive field (the product of the others)."""
    shape = tuple(int(s) for s in shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    field = math.prod(shape[:-2])
    return shape[-2] * field, shape[-1] * field


def truncated_normal(rng, shape, mean: float = 0.0, stddev: float = 1.0) -> np.ndarray:
    """Normal values redrawn until within two standard deviations of the mean (rejection, so
    the cut is exact)."""
    z = rng.standard_normal(shape)
    bad = np.abs(z) > 2.0
    while bad.any():
        z[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(z) > 2.0
    return mean + stddev * z


class WeightInitializer(Initializer):
    """Base class: ``sample(rng, shape)`` fills one tensor.

    Parameters
    ----------
    bias : initializer, name, number or None
        What fills the biases of a network; None is zeros.
    """

    #: True when the formula needs a layer's fan-in or fan-out.
    needs_layers: bool = False
    always_valid = True

    def __init__(self, bias=None):
        self.bias = bias

    def sample(self, rng: np.random.Generator, shape) -> np.ndarray:
        raise NotImplementedError

    def __call__(self, rng, space, n):
        if getattr(space, "layers", None) is None:
            if space.kind != "real":
                raise ValueError(f"init={self!r} fills real weights, not points of {space!r}")
            if self.needs_layers:
                raise ValueError(f"init={self!r} needs the layer shapes of a network (fan-in "
                                 f"and fan-out), and {space!r} is a plain box: use the space "
                                 "of a network problem (stochsearch.nn.WeightSpace)")
            return space.clip(np.asarray(self.sample(rng, (n, space.dim)), dtype=float))
        X = np.empty((n, space.dim))
        for w in X:
            self._fill(rng, space, w)
        return space.clip(X)

    def _fill(self, rng, space, w) -> None:
        """Fill the parameter vector ``w`` of ``space``'s network, layer by layer."""
        for shape, offset in space.layers:
            size = shape[0] * shape[1]
            w[offset:offset + size] = np.asarray(self.sample(rng, shape), float).ravel()
            w[offset + size:offset + size + shape[1]] = self._bias(rng, shape)

    def _bias(self, rng, kernel_shape) -> np.ndarray:
        return np.asarray(resolve(self.bias, "bias").sample(rng, (kernel_shape[1],)), float)


def resolve(spec, parameter: str = "init") -> WeightInitializer:
    """A weight initializer from None (zeros), a number (a constant), a name of ``NAMES``,
    ``{"name": ..., **arguments}`` or an instance."""
    if spec is None:
        return NAMES["zeros"]()
    if isinstance(spec, WeightInitializer):
        return spec
    if isinstance(spec, numbers.Real) and not isinstance(spec, bool):
        return NAMES["constant"](spec)
    if isinstance(spec, str):
        return NAMES[check_choice(parameter, spec, NAMES)]()
    if isinstance(spec, dict) and "name" in spec:
        arguments = {k: v for k, v in spec.items() if k != "name"}
        return NAMES[check_choice(parameter, spec["name"], NAMES)](**arguments)
    raise TypeError(f"{parameter} must be a weight initializer, one of its names "
                    f"({', '.join(map(repr, NAMES))}) or a number, got {describe(spec)}")
