"""Update rules of SGD, combined with ``chain()`` as optax combines gradient transformations.

A rule turns the minibatch gradient into the direction of the step: ``Momentum``, ``Adam``,
``ClipByNorm``, ``ClipByValue``, ``AddNoise``. ``SGD(update=chain(ClipByNorm(1.0),
Momentum(0.9, nesterov=True)))`` clips, then applies Nesterov momentum; the learning rate (or its
schedule) scales the result last. Each rule owns a numba kernel (role "update",
``stochsearch._kernels.updates``) and packs its parameters and state into one float64 array;
SGD calls the kernels of a chain in order, by address, inside its compiled loop.
"""
from __future__ import annotations

import numpy as np

from .._kernels import updates as kernels
from .._validation import check_choice, check_real, describe
from ..spaces import Space
from ._operator import Operator

__all__ = ["AddNoise", "Adam", "Chain", "ClipByNorm", "ClipByValue", "Momentum", "UPDATES",
           "UpdateRule", "chain", "resolve_update"]


class UpdateRule(Operator):
    """Base class: ``update(g, memory, step, rng)`` is the kernel, ``pack(space)`` its memory
    (parameters, then zeroed state) for the parameter vectors of ``space``."""

    kinds = ("real",)
    role = "update rule"
    update = None

    @property
    def rules(self) -> list["UpdateRule"]:
        """The rules to apply in order (one, or those of a chain)."""
        return [self]


class Momentum(UpdateRule):
    """Heavy-ball momentum ``v = beta v + g`` (the step follows ``v``); with ``nesterov=True``
    it follows ``g + beta v`` (Sutskever et al. 2013, in PyTorch's form)."""

    update = staticmethod(kernels.momentum)

    def __init__(self, beta: float = 0.9, nesterov: bool = False):
        self.beta = check_real("beta", beta, low=0.0, high=1.0, high_open=True)
        self.nesterov = bool(nesterov)

    def pack(self, space: Space) -> np.ndarray:
        return np.concatenate([[self.beta, float(self.nesterov)], np.zeros(space.dim)])


class Adam(UpdateRule):
    """Adam (Kingma and Ba 2015): the gradient divided by the root of its running second
    moment, both averages bias-corrected."""

    update = staticmethod(kernels.adam)

    def __init__(self, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8):
        self.b1 = check_real("b1", b1, low=0.0, high=1.0, high_open=True)
        self.b2 = check_real("b2", b2, low=0.0, high=1.0, high_open=True)
        self.eps = check_real("eps", eps, low=0.0, low_open=True)

    def pack(self, space: Space) -> np.ndarray:
        return np.concatenate([[self.b1, self.b2, self.eps], np.zeros(2 * space.dim)])


class ClipByNorm(UpdateRule):
    """Rescale the gradient to Euclidean norm ``max_norm`` when it is longer."""

    update = staticmethod(kernels.clip_by_norm)

    def __init__(self, max_norm: float = 1.0):
        self.max_norm = check_real("max_norm", max_norm, low=0.0, low_open=True)

    def pack(self, space: Space) -> np.ndarray:
        return np.array([self.max_norm])


class ClipByValue(UpdateRule):
    """Clip each component of the gradient into ``[-max_value, max_value]``."""

    update = staticmethod(kernels.clip_by_value)

    def __init__(self, max_value: float = 1.0):
        self.max_value = check_real("max_value", max_value, low=0.0, low_open=True)

    def pack(self, space: Space) -> np.ndarray:
        return np.array([self.max_value])


class AddNoise(UpdateRule):
    """Add Gaussian noise of variance ``eta / (1 + t)^gamma`` at step ``t`` (Neelakantan et
    al. 2015): the randomness of SGD on a landscape, which has no minibatches."""

    update = staticmethod(kernels.add_noise)

    def __init__(self, eta: float = 0.01, gamma: float = 0.55):
        self.eta = check_real("eta", eta, low=0.0)
        self.gamma = check_real("gamma", gamma, low=0.0)

    def pack(self, space: Space) -> np.ndarray:
        return np.array([self.eta, self.gamma])


class Chain(UpdateRule):
    """Rules applied one after the other (``chain(...)`` builds it)."""

    def __init__(self, *rules: UpdateRule):
        flat = []
        for rule in rules:
            if not isinstance(rule, UpdateRule):
                raise TypeError(f"chain() takes update rules such as Momentum() or Adam(), got "
                                f"{describe(rule)}")
            flat.extend(rule.rules)
        self._rules = flat

    @property
    def rules(self):
        return list(self._rules)

    def pack(self, space: Space) -> np.ndarray:
        raise TypeError("a chain has no memory of its own; its rules do")

    def __repr__(self):
        return f"chain({', '.join(map(repr, self._rules))})"


def chain(*rules: UpdateRule) -> Chain:
    """The rules applied in order, e.g. ``chain(ClipByNorm(1.0), AddNoise(0.01), Adam())``;
    ``chain()`` is plain gradient descent."""
    return Chain(*rules)


UPDATES = {"sgd": Chain, "momentum": Momentum,
           "nesterov": lambda: Momentum(nesterov=True), "adam": Adam}


def resolve_update(spec) -> Chain:
    """Turn an ``update=`` value (None, a name in ``UPDATES``, a rule or a chain) into a
    chain."""
    if spec is None:
        return Chain()
    if isinstance(spec, str):
        return chain(UPDATES[check_choice("update", spec, UPDATES)]())
    if isinstance(spec, UpdateRule):
        return chain(spec)
    raise TypeError(f"update must be one of {', '.join(map(repr, UPDATES))}, an update rule or "
                    f"a chain of them, got {describe(spec)}")
