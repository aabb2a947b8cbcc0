"""Small dense routines that kernels run in place, without allocating: a stable sort of
indices by key, the median of a few values, and the eigendecomposition of a symmetric matrix
by cyclic Jacobi rotations (numpy's ``argsort`` and ``eigh`` allocate, so kernels compiled
without reference counting cannot call them)."""
from __future__ import annotations

import math

from .jit import kernel

MAX_SWEEPS = 50


@kernel
def sort_by(keys, order, merge, n):
    """``order[:n]``: the indices 0 .. n - 1 sorted by ``keys`` (stable bottom-up merge sort,
    ties in index order; ``merge`` is scratch)."""
    for i in range(n):
        order[i] = i
    width = 1
    into_merge = True
    while width < n:
        src = order if into_merge else merge
        dst = merge if into_merge else order
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            i, j, k = lo, mid, lo
            while i < mid and j < hi:
                if keys[src[j]] < keys[src[i]]:
                    dst[k] = src[j]
                    j += 1
                else:
                    dst[k] = src[i]
                    i += 1
                k += 1
            while i < mid:
                dst[k] = src[i]
                i += 1
                k += 1
            while j < hi:
                dst[k] = src[j]
                j += 1
                k += 1
        into_merge = not into_merge
        width *= 2
    if not into_merge:
        for i in range(n):
            order[i] = merge[i]


@kernel
def median(values, n, scratch):
    """Median of ``values[:n]``, sorted by heapsort in ``scratch[:n]``."""
    for i in range(n):
        scratch[i] = values[i]
    for start in range(n // 2 - 1, -1, -1):
        _sift(scratch, start, n)
    for end in range(n, 1, -1):
        top = scratch[0]
        scratch[0] = scratch[end - 1]
        scratch[end - 1] = top
        _sift(scratch, 0, end - 1)
    if n % 2 == 1:
        return scratch[n // 2]
    return 0.5 * (scratch[n // 2 - 1] + scratch[n // 2])


@kernel(inline=True)
def _sift(heap, root, end):
    """Restore the max-heap property below ``root`` in ``heap[:end]``."""
    while 2 * root + 1 < end:
        child = 2 * root + 1
        if child + 1 < end and heap[child] < heap[child + 1]:
            child += 1
        if heap[root] < heap[child]:
            top = heap[root]
            heap[root] = heap[child]
            heap[child] = top
            root = child
        else:
            return


@kernel
def jacobi_eigen(A, V, n):
    """Diagonalize the symmetric ``A[:n, :n]`` in place by cyclic Jacobi rotations ``J``
    (``A <- J^T A J``), also applied to the orthogonal ``V`` (``V <- V J``): with ``V = I`` on
    entry, the diagonal of ``A`` ends as the eigenvalues and the columns of ``V`` as the
    eigenvectors; with ``A = Q^T M Q`` and ``V = Q`` (``congruence``), those of ``M``, in far
    fewer sweeps when ``Q`` nearly diagonalizes ``M``. A rotation is skipped when ``|a_pq|`` is
    below 1e-18 sqrt(|a_pp a_qq|) (relative accuracy for small eigenvalues); returns the number
    of sweeps, or -1 if a sweep limit was reached."""
    for sweep in range(MAX_SWEEPS):
        rotated = False
        for p in range(n - 1):
            for q in range(p + 1, n):
                apq = A[p, q]
                app = A[p, p]
                aqq = A[q, q]
                if abs(apq) <= 1e-18 * math.sqrt(abs(app * aqq)) or apq == 0.0:
                    continue
                rotated = True
                theta = (aqq - app) / (2.0 * apq)
                if abs(theta) > 1e150:
                    t = 0.5 / theta
                else:
                    t = 1.0 / (abs(theta) + math.sqrt(theta * theta + 1.0))
                    if theta < 0.0:
                        t = -t
                c = 1.0 / math.sqrt(t * t + 1.0)
                s = t * c
                for k in range(n):
                    akp = A[k, p]
                    akq = A[k, q]
                    A[k, p] = c * akp - s * akq
                    A[k, q] = s * akp + c * akq
                for k in range(n):
                    apk = A[p, k]
                    aqk = A[q, k]
                    A[p, k] = c * apk - s * aqk
                    A[q, k] = s * apk + c * aqk
                A[p, q] = 0.0
                A[q, p] = 0.0
                for k in range(n):
                    vkp = V[k, p]
                    vkq = V[k, q]
                    V[k, p] = c * vkp - s * vkq
                    V[k, q] = s * vkp + c * vkq
        if not rotated:
            return sweep + 1
    return -1


@kernel
def congruence(M, Q, T, A, n):
    """``A = Q^T M Q`` for ``n x n`` matrices (``T`` is scratch: ``M Q``)."""
    for i in range(n):
        for j in range(n):
            acc = 0.0
            for k in range(n):
                acc += M[i, k] * Q[k, j]
            T[i, j] = acc
    for i in range(n):
        for j in range(n):
            acc = 0.0
            for k in range(n):
                acc += Q[k, i] * T[k, j]
            A[i, j] = acc
