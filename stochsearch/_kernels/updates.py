"""Update rules of SGD: ``update(g, memory, step, rng)`` turns the gradient ``g`` (in place)
into the direction the parameters move along (``x -= learning_rate * g`` afterwards).

``memory`` holds the rule's parameters followed by its state (``operators.updates`` packs it);
``step`` counts updates from 1. SGD applies the rules of a ``chain()`` in order, each a function
called by address (role "update"), and the learning-rate schedule last (role "learning_rate":
``rate(step, epoch, progress, params)``, ``step`` counting from 0 and ``progress`` the spent
fraction of the budget).
"""
from __future__ import annotations

import math

from numba import types

from . import signatures
from .jit import kernel

signatures.register_role("update", {"real": types.none(
    types.float64[::1], types.float64[::1], types.int64, signatures.GENERATOR)})
signatures.register_role("learning_rate", {"real": types.float64(
    types.int64, types.int64, types.float64, types.float64[::1])})


# --- update rules -----------------------------------------------------------------------------
@kernel
def momentum(g, memory, step, rng):
    """Heavy ball (``memory = [beta, nesterov, v...]``): ``v = beta v + g``, then ``g = v``,
    or ``g + beta v`` with Nesterov's correction (PyTorch's and optax's form)."""
    beta = memory[0]
    nesterov = memory[1] != 0.0
    for i in range(g.size):
        v = beta * memory[2 + i] + g[i]
        memory[2 + i] = v
        g[i] = g[i] + beta * v if nesterov else v


@kernel
def adam(g, memory, step, rng):
    """Adam (Kingma and Ba 2015; ``memory = [b1, b2, eps, m..., v...]``): bias-corrected
    moving averages of the gradient and of its square, ``g = m_hat / (sqrt(v_hat) + eps)``."""
    b1, b2, eps = memory[0], memory[1], memory[2]
    n = g.size
    c1 = 1.0 - b1 ** float(step)      # float powers: libm's pow, as in Python
    c2 = 1.0 - b2 ** float(step)
    for i in range(n):
        m = b1 * memory[3 + i] + (1.0 - b1) * g[i]
        v = b2 * memory[3 + n + i] + (1.0 - b2) * g[i] * g[i]
        memory[3 + i] = m
        memory[3 + n + i] = v
        g[i] = (m / c1) / (math.sqrt(v / c2) + eps)


@kernel
def clip_by_norm(g, memory, step, rng):
    """Scale ``g`` down to Euclidean norm ``memory[0]`` if it is longer."""
    total = 0.0
    for i in range(g.size):
        total += g[i] * g[i]
    norm = math.sqrt(total)
    if norm > memory[0]:
        scale = memory[0] / norm
        for i in range(g.size):
            g[i] *= scale


@kernel
def clip_by_value(g, memory, step, rng):
    """Clip every component of ``g`` into ``[-memory[0], memory[0]]``."""
    limit = memory[0]
    for i in range(g.size):
        g[i] = min(max(g[i], -limit), limit)


@kernel
def add_noise(g, memory, step, rng):
    """Add ``N(0, eta / (1 + step)^gamma)`` to every component (Neelakantan et al. 2015;
    ``memory = [eta, gamma]``)."""
    std = math.sqrt(memory[0] / (1.0 + float(step)) ** memory[1])
    for i in range(g.size):
        g[i] += std * rng.standard_normal()


# --- learning-rate schedules ------------------------------------------------------------------
@kernel
def constant_rate(step, epoch, progress, params):
    """``params[0]``."""
    return params[0]


@kernel
def inverse_scaling(step, epoch, progress, params):
    """``rate / (step + 1)^power`` (``params = [rate, power]``)."""
    return params[0] / (float(step) + 1.0) ** params[1]


@kernel
def exponential_decay(step, epoch, progress, params):
    """``rate * factor^epoch`` (``params = [rate, factor]``)."""
    return params[0] * params[1] ** float(epoch)


@kernel
def step_decay(step, epoch, progress, params):
    """``rate * factor^(epoch // every)`` (``params = [rate, factor, every]``)."""
    return params[0] * params[1] ** float(epoch // int(params[2]))


@kernel
def cosine_decay(step, epoch, progress, params):
    """From ``rate`` down to ``rate * floor`` along half a cosine over the budget
    (``params = [rate, floor]``)."""
    shape = 0.5 * (1.0 + math.cos(math.pi * min(progress, 1.0)))
    return params[0] * (params[1] + (1.0 - params[1]) * shape)
