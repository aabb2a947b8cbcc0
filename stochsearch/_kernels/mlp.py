"""numba kernels of a multilayer perceptron on one flat float64 parameter vector.

Parameters, layer by layer: the kernel ``W_l`` of shape ``(n_in, n_out)`` row by row (Keras's
layout), then the bias ``b_l``. Everything else a kernel needs is in the float64 ``data`` array,
so that a network problem's objective has the standard Real signature ``objective(w, data)``
and kernels can call it by address (DESIGN.md section 5)::

    data = [header (HEADER values), sizes_0 .. sizes_L, X (n x d, row by row), Y (n x k)]

``Y`` holds one-hot rows for a softmax output, 0/1 targets for sigmoid outputs, and targets for a
linear output (``stochsearch.nn.MLP.data`` writes it). A ``data`` without samples is a network's
*layout*, enough to predict on other inputs.

Samples are processed in blocks of ``BLOCK``, one row of a block per unit, so that the inner loops
run along the samples and LLVM vectorizes them; the exponentials inside tanh, the sigmoid and the
losses are computed by ``_vmath`` in plain arithmetic that vectorizes too (libm's tanh costs
13 ns a call, which would be most of a sample's time). Each sample's loss depends only on that
sample and blocks are summed in order, so a full-batch gradient returns exactly the objective.
"""
from __future__ import annotations

import math

import numpy as np

from . import _vmath as vm
from .jit import jit, kernel

# --- data header ----------------------------------------------------------------------------
N_LAYERS = 0      # weight layers L (sizes has L + 1 entries)
ACTIVATION = 1    # hidden activation (code below)
OUTPUT = 2        # output and loss (code below)
L2 = 3            # coefficient of 0.5 * L2 * sum of squared kernel weights (biases excluded)
N_SAMPLES = 4
OFF_X = 5         # offset of the inputs, n x sizes_0
OFF_Y = 6         # offset of the targets, n x sizes_L
N_UNITS = 7       # sizes_0 + ... + sizes_L
N_PARAMS = 8
HEADER = 9        # sizes_0 .. sizes_L follow

# --- hidden activations ---------------------------------------------------------------------
ACTIVATIONS = ("tanh", "relu", "leaky_relu", "sigmoid", "softsign", "elu", "linear")
TANH, RELU, LEAKY_RELU, SIGMOID, SOFTSIGN, ELU, LINEAR = range(7)
LEAKY_SLOPE = 0.01   # PyTorch's default negative slope
# --- outputs and their losses ---------------------------------------------------------------
OUTPUTS = ("softmax", "sigmoid", "linear")
SOFTMAX_CE, SIGMOID_BCE, LINEAR_MSE = range(3)

BLOCK = 64        # samples per block


@jit(inline="always")
def offsets(data):
    """First unit of each layer (``L + 2`` values, the last is the total) and first parameter
    of each layer's kernel (``L + 1`` values, the last is the total), in one allocation."""
    n_layers = int(data[N_LAYERS])
    index = np.empty(2 * n_layers + 3, np.int64)
    units, params = index[:n_layers + 2], index[n_layers + 2:]
    units[0] = 0
    params[0] = 0
    for layer in range(n_layers + 1):
        units[layer + 1] = units[layer] + int(data[HEADER + layer])
    for layer in range(n_layers):
        n_in, n_out = int(data[HEADER + layer]), int(data[HEADER + layer + 1])
        params[layer + 1] = params[layer] + (n_in + 1) * n_out
    return units, params


# --- activations, row by row ------------------------------------------------------------------
@kernel(inline=True)
def _activate(code, Z, A, first, last, S, bits, fbits):
    """``A[u, :S] = f(Z[u, :S])`` for the units ``first <= u < last`` and the hidden
    activation ``code``."""
    if code == TANH:
        vm.tanh_rows(Z, A, first, last, S, bits, fbits)
    elif code == SIGMOID:
        vm.sigmoid_rows(Z, A, first, last, S, bits, fbits)
    elif code == ELU:
        vm.exp_rows(Z, A, first, last, S, bits, fbits, 1.0)
    for u in range(first, last):
        if code == ELU:
            for s in range(S):
                A[u, s] = Z[u, s] if Z[u, s] > 0.0 else A[u, s]
        elif code == RELU:
            for s in range(S):
                A[u, s] = max(Z[u, s], 0.0)
        elif code == LEAKY_RELU:
            for s in range(S):
                A[u, s] = Z[u, s] if Z[u, s] > 0.0 else LEAKY_SLOPE * Z[u, s]
        elif code == SOFTSIGN:
            for s in range(S):
                A[u, s] = Z[u, s] / (1.0 + abs(Z[u, s]))
        elif code == LINEAR:
            for s in range(S):
                A[u, s] = Z[u, s]


@kernel(inline=True)
def _derivative(code, Z, A, D, u, S):
    """``D[u, :S] *= f'(Z[u, :S])`` (written with the values ``A`` where cheaper)."""
    if code == TANH:
        for s in range(S):
            D[u, s] *= 1.0 - A[u, s] * A[u, s]
    elif code == SIGMOID:
        for s in range(S):
            D[u, s] *= A[u, s] * (1.0 - A[u, s])
    elif code == ELU:
        for s in range(S):
            D[u, s] *= 1.0 if Z[u, s] > 0.0 else A[u, s] + 1.0
    elif code == RELU:
        for s in range(S):
            D[u, s] *= 1.0 if Z[u, s] > 0.0 else 0.0
    elif code == LEAKY_RELU:
        for s in range(S):
            D[u, s] *= 1.0 if Z[u, s] > 0.0 else LEAKY_SLOPE
    elif code == SOFTSIGN:
        for s in range(S):
            t = 1.0 + abs(Z[u, s])
            D[u, s] /= t * t


@kernel(inline=True)
def _dot(X, u, Y, v, S):
    """``sum_s X[u, s] * Y[v, s]`` with eight running sums (they run in parallel)."""
    a0 = a1 = a2 = a3 = a4 = a5 = a6 = a7 = 0.0
    s = 0
    while s + 8 <= S:
        a0 += X[u, s] * Y[v, s]
        a1 += X[u, s + 1] * Y[v, s + 1]
        a2 += X[u, s + 2] * Y[v, s + 2]
        a3 += X[u, s + 3] * Y[v, s + 3]
        a4 += X[u, s + 4] * Y[v, s + 4]
        a5 += X[u, s + 5] * Y[v, s + 5]
        a6 += X[u, s + 6] * Y[v, s + 6]
        a7 += X[u, s + 7] * Y[v, s + 7]
        s += 8
    total = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))
    while s < S:
        total += X[u, s] * Y[v, s]
        s += 1
    return total


# --- one block of samples ---------------------------------------------------------------------
@jit(inline="always")
def workspace(data, count):
    """Rows for blocks of ``min(BLOCK, count)`` samples, in one allocation: pre-activations
    ``Z``, activations ``A`` and deltas ``D`` (one row per unit), temporaries ``T`` (loss,
    log-sum-exp, sum, target) and the scratch row of ``_vmath`` (as int64 ``bits`` and float64
    ``fbits``)."""
    units, params = offsets(data)
    n = units[-1]
    rows = np.empty((3 * n + 5, max(1, min(BLOCK, count))))
    fbits = rows[3 * n + 4]
    return (units, params, rows[:n], rows[n:2 * n], rows[2 * n:3 * n], rows[3 * n:3 * n + 4],
            fbits.view(np.int64), fbits)


@kernel(inline=True)
def _row(rows, i):
    return rows[i] if rows.size else i


@kernel(inline=True)
def _load(src, off, rows, start, S, d, A):
    """``A[i, s] = src[off + r * d + i]`` for sample rows ``r = rows[start + s]`` (or
    ``start + s`` when ``rows`` is empty)."""
    for s in range(S):
        base = off + _row(rows, start + s) * d
        for i in range(d):
            A[i, s] = src[base + i]


@kernel
def _forward(w, data, units, params, Z, A, S, bits, fbits):
    """Forward pass of the block in ``A[:d, :S]``: pre-activations into ``Z``, activations into
    ``A``; the output layer's ``A`` holds its pre-activations (the logits)."""
    n_layers = int(data[N_LAYERS])
    code = int(data[ACTIVATION])
    for layer in range(n_layers):
        u_in, u_out = units[layer], units[layer + 1]
        n_in, n_out = u_out - u_in, units[layer + 2] - u_out
        p = params[layer]
        for j in range(n_out):
            u = u_out + j
            bias = w[p + n_in * n_out + j]
            for s in range(S):
                Z[u, s] = bias
            for i in range(n_in):
                wij = w[p + i * n_out + j]
                for s in range(S):
                    Z[u, s] += wij * A[u_in + i, s]
        hidden = layer < n_layers - 1
        _activate(code if hidden else LINEAR, Z, A, u_out, u_out + n_out, S, bits, fbits)


@kernel(inline=True)
def _softmax(A, D, T, first, k, S, bits, fbits):
    """Probabilities of the logits ``A[first:first+k]`` into ``D[first:first+k]``, and the
    log-sum-exp of each sample into ``T[1]`` (``T[2]`` is scratch)."""
    for s in range(S):
        T[1, s] = A[first, s]
        T[2, s] = 0.0
    for j in range(1, k):
        for s in range(S):
            T[1, s] = max(T[1, s], A[first + j, s])
    for j in range(k):
        for s in range(S):
            D[first + j, s] = A[first + j, s] - T[1, s]
    vm.exp_rows(D, D, first, first + k, S, bits, fbits, 0.0)
    for j in range(k):
        for s in range(S):
            T[2, s] += D[first + j, s]
    for s in range(S):
        T[1, s] += math.log(T[2, s])
    for j in range(k):
        for s in range(S):
            D[first + j, s] /= T[2, s]


@kernel(inline=True)
def _targets(T, Y, off, rows, start, S, k, j):
    """Target ``j`` of the block's samples into ``T[3]`` (one gather, so that the loss loops
    run on contiguous rows)."""
    for s in range(S):
        T[3, s] = Y[off + _row(rows, start + s) * k + j]


@kernel
def _losses(output, A, D, T, first, k, Y, off, rows, start, S, want_delta, bits, fbits):
    """Per-sample losses of the block into ``T[0, :S]`` from its logits ``A[first:first+k]``
    and the targets ``Y[off + r * k:]``; with ``want_delta``, d loss / d logits into
    ``D[first:first+k]``. Stable forms: log-sum-exp for softmax, ``max(v, 0) - v t +
    log(1 + exp(-|v|))`` for sigmoid outputs."""
    for s in range(S):
        T[0, s] = 0.0
    if output == SOFTMAX_CE:
        _softmax(A, D, T, first, k, S, bits, fbits)
        for j in range(k):
            _targets(T, Y, off, rows, start, S, k, j)
            for s in range(S):
                T[0, s] += T[3, s] * (T[1, s] - A[first + j, s])
                D[first + j, s] -= T[3, s]
    elif output == SIGMOID_BCE:
        vm.log1p_exp_rows(A, D, first, first + k, S, bits, fbits)
        for j in range(k):
            _targets(T, Y, off, rows, start, S, k, j)
            for s in range(S):
                v = A[first + j, s]
                T[0, s] += (max(v, 0.0) - v * T[3, s]) + D[first + j, s]
        if want_delta:
            vm.sigmoid_rows(A, D, first, first + k, S, bits, fbits)
            for j in range(k):
                _targets(T, Y, off, rows, start, S, k, j)
                for s in range(S):
                    D[first + j, s] -= T[3, s]
    else:
        for j in range(k):
            _targets(T, Y, off, rows, start, S, k, j)
            for s in range(S):
                e = A[first + j, s] - T[3, s]
                T[0, s] += 0.5 * e * e
                D[first + j, s] = e


@kernel
def _backward(w, data, units, params, Z, A, D, S, grad):
    """Back-propagate the output deltas in ``D`` through the block, adding its summed
    gradient to ``grad`` and writing every hidden layer's deltas into ``D``."""
    code = int(data[ACTIVATION])
    for layer in range(int(data[N_LAYERS]) - 1, -1, -1):
        u_in, u_out = units[layer], units[layer + 1]
        n_in, n_out = u_out - u_in, units[layer + 2] - u_out
        p = params[layer]
        for j in range(n_out):
            total = 0.0
            for s in range(S):
                total += D[u_out + j, s]
            grad[p + n_in * n_out + j] += total
        for i in range(n_in):
            for j in range(n_out):
                grad[p + i * n_out + j] += _dot(A, u_in + i, D, u_out + j, S)
        if layer == 0:
            break
        for i in range(n_in):
            u = u_in + i
            for s in range(S):
                D[u, s] = 0.0
            for j in range(n_out):
                wij = w[p + i * n_out + j]
                for s in range(S):
                    D[u, s] += wij * D[u_out + j, s]
            _derivative(code, Z, A, D, u, S)


@kernel(inline=True)
def _penalty(w, data, params, grad):
    """``0.5 * L2 * sum W^2`` over the kernels (not the biases), its gradient added to ``grad``
    unless ``grad`` is empty."""
    l2 = data[L2]
    if l2 == 0.0:
        return 0.0
    total = 0.0
    for layer in range(int(data[N_LAYERS])):
        start = params[layer]
        stop = start + int(data[HEADER + layer]) * int(data[HEADER + layer + 1])
        for i in range(start, stop):
            total += w[i] * w[i]
            if grad.size:
                grad[i] += l2 * w[i]
    return 0.5 * l2 * total


@kernel
def _sum_losses(w, data, rows, count, grad, units, params, Z, A, D, T, bits, fbits):
    """Sum of the losses of samples ``rows[:count]`` (the first ``count`` samples in order when
    ``rows`` is empty), their gradients summed into ``grad`` unless ``grad`` is empty."""
    d, first = units[1], units[-2]
    k = units[-1] - first
    output = int(data[OUTPUT])
    off_x, off_y = int(data[OFF_X]), int(data[OFF_Y])
    total = 0.0
    block = Z.shape[1]
    for start in range(0, count, block):
        S = min(block, count - start)
        _load(data, off_x, rows, start, S, d, A)
        _forward(w, data, units, params, Z, A, S, bits, fbits)
        _losses(output, A, D, T, first, k, data, off_y, rows, start, S, grad.size > 0, bits,
                fbits)
        for s in range(S):
            total += T[0, s]
        if grad.size:
            _backward(w, data, units, params, Z, A, D, S, grad)
    return total


@kernel
def _mean_gradient(w, data, rows, count, out, units, params, Z, A, D, T, bits, fbits):
    for i in range(out.size):
        out[i] = 0.0
    total = _sum_losses(w, data, rows, count, out, units, params, Z, A, D, T, bits, fbits)
    for i in range(out.size):
        out[i] /= count
    return total / count + _penalty(w, data, params, out)


@kernel
def _predict(w, data, flat, Zout, Aout, no_rows, units, params, Z, A, D, T, bits, fbits):
    d, first = units[1], units[-2]
    n_units = units[-1]
    output = int(data[OUTPUT])
    block = Z.shape[1]
    for start in range(0, Zout.shape[0], block):
        S = min(block, Zout.shape[0] - start)
        _load(flat, 0, no_rows, start, S, d, A)
        _forward(w, data, units, params, Z, A, S, bits, fbits)
        if output == SOFTMAX_CE:
            _softmax(A, D, T, first, n_units - first, S, bits, fbits)
        elif output == SIGMOID_BCE:
            vm.sigmoid_rows(Z, D, first, n_units, S, bits, fbits)
        else:
            for u in range(first, n_units):
                for s in range(S):
                    D[u, s] = A[u, s]
        for s in range(S):
            for u in range(n_units):
                Zout[start + s, u] = Z[u, s] if u >= d else A[u, s]
                Aout[start + s, u] = A[u, s] if u < first else D[u, s]


@kernel
def _deltas(w, data, rows, Dout, grad, units, params, Z, A, D, T, bits, fbits):
    d, first = units[1], units[-2]
    n_units = units[-1]
    output = int(data[OUTPUT])
    off_x, off_y = int(data[OFF_X]), int(data[OFF_Y])
    block = Z.shape[1]
    for start in range(0, rows.size, block):
        S = min(block, rows.size - start)
        _load(data, off_x, rows, start, S, d, A)
        _forward(w, data, units, params, Z, A, S, bits, fbits)
        _losses(output, A, D, T, first, n_units - first, data, off_y, rows, start, S, True,
                bits, fbits)
        _backward(w, data, units, params, Z, A, D, S, grad)
        for s in range(S):
            for u in range(d, n_units):
                Dout[start + s, u] = D[u, s]


# --- the functions problems and optimizers call (they allocate the work rows) ----------------
@jit
def loss(w, data):
    """Mean loss over the samples of ``data`` plus the L2 penalty: a network problem's
    objective (the Real signature ``objective(x, data)``)."""
    n = int(data[N_SAMPLES])
    units, params, Z, A, D, T, bits, fbits = workspace(data, n)
    total = _sum_losses(w, data, units[:0], n, w[:0], units, params, Z, A, D, T, bits, fbits)
    return total / n + _penalty(w, data, params, w[:0])


@jit
def loss_gradient(w, data, out):
    """The gradient of ``loss`` into ``out``; returns ``loss(w, data)`` (role "gradient")."""
    units, params, Z, A, D, T, bits, fbits = workspace(data, int(data[N_SAMPLES]))
    return _mean_gradient(w, data, units[:0], int(data[N_SAMPLES]), out, units, params, Z, A,
                          D, T, bits, fbits)


@jit
def batch_gradient(w, data, batch, out):
    """The gradient of the mean loss over the samples ``batch`` (plus the penalty) into
    ``out``; returns that loss (role "batch_gradient")."""
    units, params, Z, A, D, T, bits, fbits = workspace(data, batch.size)
    return _mean_gradient(w, data, batch, batch.size, out, units, params, Z, A, D, T, bits,
                          fbits)


@jit
def forward_rows(w, data, X, Zout, Aout):
    """Forward pass of each row of ``X``: pre-activations into ``Zout`` and activations into
    ``Aout`` (one row per input, one column per unit). The output layer's activations are the
    outputs: probabilities for softmax and sigmoid outputs, values for a linear one."""
    units, params, Z, A, D, T, bits, fbits = workspace(data, X.shape[0])
    _predict(w, data, np.ascontiguousarray(X).ravel(), Zout, Aout, units[:0], units, params, Z,
             A, D, T, bits, fbits)


@jit
def delta_rows(w, data, rows, Dout, grad):
    """Back-propagated deltas (d loss / d pre-activation) of the samples ``rows`` of ``data``,
    one row of ``Dout`` per sample (input units left at zero); their summed parameter gradient
    (without the penalty) is added to ``grad``."""
    units, params, Z, A, D, T, bits, fbits = workspace(data, rows.size)
    _deltas(w, data, rows, Dout, grad, units, params, Z, A, D, T, bits, fbits)
