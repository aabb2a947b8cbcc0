"""The geometry of the *minima* study: reorder a network's hidden units (``permute_units``), find
the order that matches them to another network's (``match_units``), the loss along the straight
line between two weight vectors (``interpolate``, ``barrier``), a plane through three of them
(``plane``) and Li et al.'s (2018) filter-normalized random directions (``filter_normalized``).

Hidden unit ``j`` of a layer owns column ``j`` of the layer's kernel, entry ``j`` of its bias and
row ``j`` of the next kernel: permuting all three together leaves the function unchanged.
"""
from __future__ import annotations

import numpy as np

from .._kernels import mlp as kernels

__all__ = ["barrier", "filter_normalized", "hidden_activations", "interpolate", "loss_at",
           "match_units", "permute_units", "plane"]


def hidden_activations(network, w, X) -> list[np.ndarray]:
    """The activations of each hidden layer on the rows of ``X``: one ``(n, units)`` array per
    hidden layer."""
    _, A = network.forward(w, X)
    bounds = np.cumsum(network.sizes)
    return [A[:, bounds[i - 1]:bounds[i]] for i in range(1, len(network.sizes) - 1)]


def permute_units(network, w, perms) -> np.ndarray:
    """``w`` with the hidden units of layer ``l`` reordered by ``perms[l]``: unit ``j`` of the
    result is unit ``perms[l][j]`` of ``w``. The network computes the same function."""
    layers = [(W.copy(), b.copy()) for W, b in network.unpack(w)]
    if len(perms) != len(layers) - 1:
        raise ValueError(f"perms must give one permutation per hidden layer "
                         f"({len(layers) - 1}), got {len(perms)}")
    for l, perm in enumerate(perms):
        perm = np.asarray(perm)
        if sorted(perm.tolist()) != list(range(layers[l][1].size)):
            raise ValueError(f"perms[{l}] must be a permutation of 0..{layers[l][1].size - 1}, "
                             f"got {perm.tolist()}")
        W, b = layers[l]
        layers[l] = (W[:, perm], b[perm])
        layers[l + 1] = (layers[l + 1][0][perm, :], layers[l + 1][1])
    return network.pack(layers)


def match_units(network, w_a, w_b, X) -> list[np.ndarray]:
    """The permutations that reorder the hidden units of ``w_b`` to match those of ``w_a``:
    in each hidden layer, the assignment that maximizes the summed correlation of the paired
    units' activations on ``X`` (``scipy.optimize.linear_sum_assignment``). Apply them with
    ``permute_units(network, w_b, perms)``.

    A unit's activations do not depend on how the units of earlier layers are ordered, so
    every layer is matched on ``w_b``'s own activations. A constant unit (a dead ReLU)
    correlates with nothing (0); ties such units leave are broken by the cosine similarity of
    the units' incoming weights and biases (weighted 1e-9, far below any difference of
    correlations that decides), layer by layer after the earlier layers are matched."""
    from scipy.optimize import linear_sum_assignment

    perms = []
    w_b = np.array(w_b, dtype=float)
    pairs = zip(hidden_activations(network, w_a, X), hidden_activations(network, w_b, X))
    for l, (H_a, H_b) in enumerate(pairs):
        (W_a, b_a), (W_b, b_b) = network.unpack(w_a)[l], network.unpack(w_b)[l]
        score = _correlation(H_a, H_b) + 1e-9 * _cosine(np.vstack([W_a, b_a]),
                                                       np.vstack([W_b, b_b]))
        rows, cols = linear_sum_assignment(score, maximize=True)
        perm = np.empty(rows.size, dtype=np.int64)
        perm[rows] = cols
        perms.append(perm)
        # The next layer's incoming weights in w_a's order of this layer's units.
        identity = [np.arange(n) for n in network.sizes[1:-1]]
        w_b = permute_units(network, w_b, identity[:l] + [perm] + identity[l + 1:])
    return perms


def _cosine(U, V) -> np.ndarray:
    """Cosine similarity of the columns of ``U`` and ``V`` (0 for a zero column)."""
    norm_u, norm_v = np.linalg.norm(U, axis=0), np.linalg.norm(V, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = (U.T @ V) / np.outer(norm_u, norm_v)
    return np.where(np.isfinite(cos), cos, 0.0)


def _correlation(H_a, H_b) -> np.ndarray:
    A, B = H_a - H_a.mean(axis=0), H_b - H_b.mean(axis=0)
    norm_a, norm_b = np.linalg.norm(A, axis=0), np.linalg.norm(B, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = (A.T @ B) / np.outer(norm_a, norm_b)
    return np.where(np.isfinite(corr), corr, 0.0)


def loss_at(problem, w) -> float:
    """The training loss of ``problem`` at ``w`` (infinite when it is not finite)."""
    value = float(kernels.loss(np.ascontiguousarray(w), problem.data))
    return value if np.isfinite(value) else float("inf")


def interpolate(problem, w_a, w_b, alphas) -> np.ndarray:
    """The training loss of ``problem`` at ``(1 - alpha) w_a + alpha w_b`` for each alpha."""
    return np.array([loss_at(problem, (1.0 - a) * w_a + a * w_b) for a in alphas])


def barrier(alphas, losses) -> float:
    """The loss barrier of a path: the largest excess of the loss over the straight line
    between the losses at its ends (Frankle et al. 2020); 0 when the loss never rises above
    it."""
    alphas, losses = np.asarray(alphas, float), np.asarray(losses, float)
    line = (1.0 - alphas) * losses[0] + alphas * losses[-1]
    return float(max(0.0, np.max(losses - line)))


def plane(problem, w0, w1, w2, steps: int = 31, margin: float = 0.25):
    """The training loss on the plane through ``w0``, ``w1`` and ``w2``: orthonormal
    coordinates with ``w0`` at the origin, ``w1`` on the first axis and ``w2`` in the upper
    half. Returns ``(u, v, loss, points)``: grid coordinates, the ``(steps, steps)`` losses
    (rows follow ``v``) and the three points' coordinates."""
    d1, d2 = w1 - w0, w2 - w0
    e1 = d1 / np.linalg.norm(d1)
    rest = d2 - (d2 @ e1) * e1
    e2 = rest / np.linalg.norm(rest)
    points = np.array([[0.0, 0.0], [d1 @ e1, 0.0], [d2 @ e1, d2 @ e2]])
    low, high = points.min(axis=0), points.max(axis=0)
    pad = margin * (high - low).max()
    u = np.linspace(low[0] - pad, high[0] + pad, steps)
    v = np.linspace(low[1] - pad, high[1] + pad, steps)
    loss = np.array([[loss_at(problem, w0 + a * e1 + b * e2) for a in u] for b in v])
    return u, v, loss, points


def filter_normalized(network, w, rng) -> np.ndarray:
    """A random Gaussian direction with each hidden or output unit's incoming weights (its
    "filter", a column of the kernel) scaled to the norm of that unit's weights in ``w``, and
    zero for the biases (Li et al. 2018, for dense layers)."""
    rng = np.random.default_rng(rng)
    parts = []
    for W, b in network.unpack(w):
        d = rng.standard_normal(W.shape)
        d *= np.linalg.norm(W, axis=0) / np.maximum(np.linalg.norm(d, axis=0), 1e-300)
        parts.append((d, np.zeros_like(b)))
    return network.pack(parts)
