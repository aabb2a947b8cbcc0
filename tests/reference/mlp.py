"""A slow, obviously-correct MLP in plain numpy: the reference the kernels of
stochsearch/_kernels/mlp.py are checked against (matrix products instead of per-sample loops,
so they agree to rounding, not bit for bit)."""
from __future__ import annotations

import numpy as np

ACTIVATIONS = {
    "tanh": (np.tanh, lambda z, a: 1.0 - a ** 2),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z, a: (z > 0).astype(float)),
    "leaky_relu": (lambda z: np.where(z > 0, z, 0.01 * z), lambda z, a: np.where(z > 0, 1.0, 0.01)),
    "sigmoid": (lambda z: 1.0 / (1.0 + np.exp(-z)), lambda z, a: a * (1.0 - a)),
    "softsign": (lambda z: z / (1.0 + np.abs(z)), lambda z, a: 1.0 / (1.0 + np.abs(z)) ** 2),
    "elu": (lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0.0))),
            lambda z, a: np.where(z > 0, 1.0, a + 1.0)),
    "linear": (lambda z: z, lambda z, a: np.ones_like(z)),
}


def unpack(sizes, w):
    layers, offset = [], 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        W = w[offset:offset + n_in * n_out].reshape(n_in, n_out)
        b = w[offset + n_in * n_out:offset + (n_in + 1) * n_out]
        layers.append((W, b))
        offset += (n_in + 1) * n_out
    return layers


def forward(sizes, activation, w, X):
    """Pre-activations and activations of every layer (lists of arrays, input first)."""
    f = ACTIVATIONS[activation][0]
    Z, A = [X], [X]
    layers = unpack(sizes, w)
    for layer, (W, b) in enumerate(layers):
        z = A[-1] @ W + b
        Z.append(z)
        A.append(f(z) if layer < len(layers) - 1 else z)
    return Z, A


def outputs(sizes, activation, output, w, X):
    logits = forward(sizes, activation, w, X)[1][-1]
    if output == "softmax":
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    if output == "sigmoid":
        return 1.0 / (1.0 + np.exp(-logits))
    return logits


def per_sample_loss(output, logits, Y):
    if output == "softmax":
        top = logits.max(axis=1, keepdims=True)
        log_p = logits - top - np.log(np.exp(logits - top).sum(axis=1, keepdims=True))
        return -(Y * log_p).sum(axis=1)
    if output == "sigmoid":
        return (np.maximum(logits, 0) - logits * Y + np.log1p(np.exp(-np.abs(logits)))).sum(1)
    return 0.5 * ((logits - Y) ** 2).sum(axis=1)


def loss(sizes, activation, output, l2, w, X, Y):
    logits = forward(sizes, activation, w, X)[1][-1]
    penalty = 0.5 * l2 * sum((W ** 2).sum() for W, _ in unpack(sizes, w))
    return per_sample_loss(output, logits, Y).mean() + penalty


def gradient(sizes, activation, output, l2, w, X, Y):
    """``(loss, gradient)`` by back-propagation in matrix form."""
    fprime = ACTIVATIONS[activation][1]
    Z, A = forward(sizes, activation, w, X)
    n = X.shape[0]
    logits = A[-1]
    if output == "softmax":
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        delta = e / e.sum(axis=1, keepdims=True) - Y
    elif output == "sigmoid":
        delta = 1.0 / (1.0 + np.exp(-logits)) - Y
    else:
        delta = logits - Y
    layers = unpack(sizes, w)
    grads = []
    for layer in range(len(layers) - 1, -1, -1):
        W, _ = layers[layer]
        grads.append((A[layer].T @ delta / n + l2 * W, delta.sum(axis=0) / n))
        if layer > 0:
            delta = (delta @ W.T) * fprime(Z[layer], A[layer])
    flat = np.concatenate([np.concatenate([gW.ravel(), gb]) for gW, gb in reversed(grads)])
    return loss(sizes, activation, output, l2, w, X, Y), flat
