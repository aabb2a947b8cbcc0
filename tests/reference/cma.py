"""Slow, plain-Python reference of the CMA-ES kernel (``stochsearch._kernels.cma``): Hansen's
tutorial (2016) with active CMA, IPOP restarts, reflection into the box or pycma's
BoundPenalty, and pycma's stopping rules, written as documented in
``optimizers.cma``, with the same Generator draws in the same order and every sum taken in the
same order, so that the kernel must reproduce it exactly."""
from __future__ import annotations

import math

import numpy as np

from tests.reference.local_search import _Book

MAX_GROWTHS, MAX_COORDINATES = 9, 1 << 21


def clip01(v: float) -> float:
    return min(max(v, 0.0), 1.0)


def reflect01(v: float) -> float:
    """``v`` mirrored into [0, 1] at its ends."""
    if 0.0 <= v <= 1.0:
        return v
    t = math.fmod(v, 2.0)
    t = t + 2.0 if t < 0.0 else t
    return clip01(2.0 - t if t > 1.0 else t)


def jacobi(C, Q=None):
    """Eigenvalues and eigenvectors (columns) of the symmetric ``C`` by cyclic Jacobi
    rotations of ``Q^T C Q`` (``Q``: the identity, or the previous eigenvectors), skipping
    rotations below 1e-18 sqrt(|a_pp a_qq|); None if 50 sweeps do not converge."""
    n = len(C)
    V = [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)] if Q is None else \
        [list(row) for row in Q]
    T = [[_dot(C[i], [V[k][j] for k in range(n)]) for j in range(n)] for i in range(n)]
    A = [[_dot([V[k][i] for k in range(n)], [T[k][j] for k in range(n)]) for j in range(n)]
         for i in range(n)]
    for _ in range(50):
        rotated = False
        for p in range(n - 1):
            for q in range(p + 1, n):
                apq, app, aqq = A[p][q], A[p][p], A[q][q]
                if abs(apq) <= 1e-18 * math.sqrt(abs(app * aqq)) or apq == 0.0:
                    continue
                rotated = True
                theta = (aqq - app) / (2.0 * apq)
                if abs(theta) > 1e150:
                    t = 0.5 / theta
                else:
                    t = 1.0 / (abs(theta) + math.sqrt(theta * theta + 1.0))
                    t = -t if theta < 0.0 else t
                c = 1.0 / math.sqrt(t * t + 1.0)
                s = t * c
                for k in range(n):   # A J
                    A[k][p], A[k][q] = c * A[k][p] - s * A[k][q], s * A[k][p] + c * A[k][q]
                for k in range(n):   # J^T (A J)
                    A[p][k], A[q][k] = c * A[p][k] - s * A[q][k], s * A[p][k] + c * A[q][k]
                A[p][q] = A[q][p] = 0.0
                for k in range(n):   # V J
                    V[k][p], V[k][q] = c * V[k][p] - s * V[k][q], s * V[k][p] + c * V[k][q]
        if not rotated:
            return [A[i][i] for i in range(n)], V
    return None


def _median(values):
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else 0.5 * (v[n // 2 - 1] + v[n // 2])


def _dot(a, b):
    acc = 0.0
    for x, y in zip(a, b):
        acc += x * y
    return acc


def cma_es(fun, lower, upper, budget, rng, *, pop_size=None, sigma0=0.25, pop_factor=2.0,
           restarts=None, adapt_step=True, adapt_covariance=True, tol_fun=1e-12, tol_x=1e-12,
           boundary="reflect", active=True):
    """CMA-ES with IPOP restarts exactly as documented in ``optimizers.cma``; returns the best
    value, the best point, the best-so-far trace and the number of restarts."""
    lower, upper = np.asarray(lower, float), np.asarray(upper, float)
    width, n = upper - lower, len(lower)
    lam = pop_size or 4 + math.floor(3.0 * math.log(n))
    lam_max = lam
    for _ in range(MAX_GROWTHS):
        grown = max(int(lam_max * pop_factor), lam_max)
        if grown * n > MAX_COORDINATES:
            break
        lam_max = grown
    # every 5th generation's values kept for the stagnation rule
    keep_max = max(2000, 2 * (int(100 + 100 * n ** 1.5 / lam) // 10) + 4)
    book = _Book(fun, budget)
    done_restarts = 0
    while True:
        x0 = rng.uniform(lower, upper, size=(1, n))[0]
        book.evaluate(x0)
        if book.spent:
            break
        reason = _one_run(book, x0, lower, upper, width, n, lam, rng, sigma0, adapt_step,
                          adapt_covariance, tol_fun, tol_x, boundary == "reflect", active,
                          keep_max)
        if reason is None or restarts is not None and done_restarts == restarts:
            break
        done_restarts += 1
        lam = min(max(int(lam * pop_factor), lam), lam_max)
    return book.best_f, book.best_x, book.trace, done_restarts


def _one_run(book, x0, lower, upper, width, n, lam, rng, sigma0, adapt_step, adapt_covariance,
             tol_fun, tol_x, reflect, active, keep_max):
    """One run of CMA-ES; returns the stopping rule that ended it, or None when the budget
    did."""
    # --- parameters (tutorial, Table 1)
    mu = lam // 2
    w = [math.log((lam + 1) / 2.0) - math.log(i + 1.0) for i in range(mu)]
    total = 0.0
    for v in w:
        total += v
    w = [v / total for v in w]
    mueff = 1.0 / _dot(w, w)
    cs = (mueff + 2.0) / (n + mueff + 5.0)
    ds = 1.0 + 2.0 * max(0.0, math.sqrt((mueff - 1.0) / (n + 1.0)) - 1.0) + cs
    cc = (4.0 + mueff / n) / (n + 4.0 + 2.0 * mueff / n)
    c1 = 2.0 / ((n + 1.3) * (n + 1.3) + mueff)
    cmu = min(1.0 - c1, 2.0 * (0.25 + mueff - 2.0 + 1.0 / mueff) / ((n + 2.0) * (n + 2.0) + mueff))
    # active CMA: the worse half gets negative weights (tutorial, eqs. 50-53)
    weight_sum = 1.0
    w += [0.0] * (lam - mu)
    if active and lam > mu:
        raw = [math.log((lam + 1) / 2.0) - math.log(i + 1.0) for i in range(mu, lam)]
        negative = squares = 0.0
        for v in raw:
            negative -= v
            squares += v * v
        mueff_minus = negative * negative / squares
        scale = min(1.0 + c1 / cmu, 1.0 + 2.0 * mueff_minus / (mueff + 2.0),
                    (1.0 - c1 - cmu) / (n * cmu))
        w[mu:] = [scale * v / negative for v in raw]
        weight_sum = 1.0 - scale
    chi_n = math.sqrt(n) * (1.0 - 1.0 / (4.0 * n) + 1.0 / (21.0 * n * n))
    eig_gap = 1.0 / ((c1 + cmu) * n * 10.0)
    # --- state, in box coordinates u = (x - lower) / width
    mean = [clip01((x0[i] - lower[i]) / width[i]) for i in range(n)]
    sigma = sigma0
    C = [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)]
    B = [row[:] for row in C]
    d = [1.0] * n
    pc, ps = [0.0] * n, [0.0] * n
    gen = eig_gen = 0
    penalty = _BoundPenalty(n, lam, mueff)
    recent_best, best_hist, median_hist = [], [], []
    run_best, run_best_gen, flat = math.inf, 0, 0
    while True:
        # --- sample: y = B (d * z), x = the clipped mean + sigma y
        m = min(lam, book.budget - book.nfev)
        Y, f = [], []
        for _ in range(m):
            z = [rng.standard_normal() for _ in range(n)]
            if adapt_covariance:
                dz = [d[j] * z[j] for j in range(n)]
                y = [_dot(B[i], dz) for i in range(n)]
            else:
                y = z
            x = np.empty(n)
            for i in range(n):
                u = mean[i] + sigma * y[i]
                u = reflect01(u) if reflect else u
                x[i] = lower[i] if u <= 0.0 else upper[i] if u >= 1.0 else \
                    min(max(lower[i] + width[i] * u, lower[i]), upper[i])
            Y.append(y)
            f.append(x)
        f = [book.evaluate(x) for x in f]
        if book.spent:
            return None
        # --- BoundPenalty (pycma): weights from the median interquartile range
        if reflect:
            fit = list(f)
        else:
            fit = penalty(f, Y, mean, sigma, C, gen)
        order = sorted(range(lam), key=lambda k: fit[k])     # stable
        # --- recombination, cumulation, step size, covariance (tutorial eqs. 39-53)
        yw = []
        for i in range(n):
            acc = 0.0
            for r in range(mu):
                acc += w[r] * Y[order[r]][i]
            yw.append(acc)
            mean[i] += sigma * acc
        factor = math.sqrt(cs * (2.0 - cs) * mueff)
        if adapt_covariance:
            tmp = [_dot([B[i][j] for i in range(n)], yw) / d[j] for j in range(n)]
            step = [_dot(B[i], tmp) for i in range(n)]
        else:
            step = yw
        ps = [(1.0 - cs) * ps[i] + factor * step[i] for i in range(n)]
        norm = math.sqrt(_dot(ps, ps))
        gen += 1
        hsig = norm / math.sqrt(1.0 - (1.0 - cs) ** (2.0 * gen)) / chi_n < 1.4 + 2.0 / (n + 1)
        factor = math.sqrt(cc * (2.0 - cc) * mueff) if hsig else 0.0
        pc = [(1.0 - cc) * pc[i] + factor * yw[i] for i in range(n)]
        if adapt_covariance:
            keep = 1.0 - c1 - cmu * weight_sum + (0.0 if hsig else c1 * cc * (2.0 - cc))
            ranked = lam if active else mu
            wo = w[:ranked]
            for r in range(mu, ranked):   # negative weights scaled by n / |C^(-1/2) y|^2
                whitened = [_dot([B[i][j] for i in range(n)], Y[order[r]]) / d[j]
                            for j in range(n)]
                wo[r] = w[r] * n / _dot(whitened, whitened)
            for i in range(n):
                for j in range(i, n):
                    acc = 0.0
                    for r in range(ranked):
                        acc += wo[r] * Y[order[r]][i] * Y[order[r]][j]
                    C[i][j] = C[j][i] = keep * C[i][j] + c1 * pc[i] * pc[j] + cmu * acc
        if adapt_step:
            sigma = sigma * math.exp(min(1.0, (cs / ds) * (norm / chi_n - 1.0)))
        # --- lazy eigendecomposition
        if adapt_covariance and gen - eig_gen > eig_gap:
            eig_gen = gen
            decomposition = jacobi(C, B)
            if decomposition is None or not all(v > 0.0 for v in decomposition[0]):
                return "eigen"
            values, B = decomposition
            d = [math.sqrt(v) for v in values]
            if max(values) > 1e14 * min(values):
                return "conditioncov"
        # --- stopping rules of the run (pycma's)
        best = fit[order[0]]
        if best < run_best:
            run_best, run_best_gen = best, gen
        recent_best.append(best)
        span = 10 + math.ceil(30.0 * n / lam)
        if gen >= span:
            recent = recent_best[-span:] + f
            if max(recent) - min(recent) < tol_fun:
                return "tolfun"
        flat = 0 if best < fit[order[int(0.75 * lam)]] else flat + 1
        if flat > 1:
            return "tolflatfitness"
        if all(sigma * max(abs(pc[i]), math.sqrt(C[i][i])) < tol_x for i in range(n)):
            return "tolx"
        axis = gen % n
        if all(mean[i] + 0.1 * sigma * d[axis] * B[i][axis] == mean[i] for i in range(n)):
            return "noeffectaxis"
        if any(mean[i] + 0.2 * sigma * math.sqrt(C[i][i]) == mean[i] for i in range(n)):
            return "noeffectcoord"
        if sigma * max(d) > 1e3:
            return "tolupsigma"
        if gen % 5 == 0:    # tolstagnation on every 5th generation's best and median values
            i = lam // 2
            best_hist.append(best)
            median_hist.append(fit[order[i]] if lam % 2 else
                               0.5 * (fit[order[i - 1]] + fit[order[i]]))
            kept = min(len(best_hist), keep_max)
            period = int(100.0 + 100.0 * n ** 1.5 / lam)
            part = int(max(period / 10.0, kept / 10.0))
            if gen > n * (5.0 + 100.0 / lam) and gen - run_best_gen > period / 2.0 and \
                    kept > 100 and 2 * part < kept and \
                    all(_median(h[-part:]) >= _median(h[-2 * part:-part])
                        for h in (median_hist, best_hist)):
                return "stagnation"


class _BoundPenalty:
    """pycma's BoundPenalty on the unit box: ``f + sum(gamma (u - clip(u))^2) / n``, the
    weights ``gamma`` following the median interquartile range of recent generations."""

    def __init__(self, n, lam, mueff):
        self.n, self.lam, self.mueff = n, lam, mueff
        self.iqr_hist, self.gamma, self.gamma_set = [], [0.0] * n, False

    def __call__(self, f, Y, mean, sigma, C, gen):
        n, lam, mueff, gamma = self.n, self.lam, self.mueff, self.gamma
        varis = [sigma * sigma * C[i][i] for i in range(n)]
        mean_var = 0.0
        for v in varis:
            mean_var += v
        mean_var /= n
        outside = any(mean[i] != clip01(mean[i]) for i in range(n))
        fs = sorted(f)
        value = (fs[min(3 * (lam + 1) // 4, lam - 1)] - fs[(lam + 1) // 4]) / mean_var
        hist = self.iqr_hist
        if math.isfinite(value) and value > 0.0 or value == math.inf and len(hist) > 1:
            hist.insert(0, max(hist) if value == math.inf else value)
            if len(hist) > 20.0 + 3.0 * n / lam:
                hist.pop()
        if hist:
            dfit = _median(hist)
            damp = min(1.0, mueff / 10.0 / n)
            if outside and (not self.gamma_set or gen == 1):
                gamma[:], self.gamma_set = [2.0 * dfit] * n, True
            if self.gamma_set:
                allowed = 3.0 * max(1.0, math.sqrt(n) / mueff)
                for i in range(n):
                    edist = abs(mean[i] - clip01(mean[i])) / math.sqrt(varis[i]) - allowed
                    if edist > 0.0:
                        gamma[i] *= math.exp(math.tanh(edist / 3.0) / 2.0) ** damp
                    if gamma[i] > 5.0 * dfit:
                        gamma[i] *= math.exp(-1.0 / 3.0) ** damp
        fit = []
        for k in range(lam):
            pen = 0.0
            if self.gamma_set:
                for i in range(n):
                    u = mean[i] + sigma * Y[k][i]
                    pen += gamma[i] * (u - clip01(u)) * (u - clip01(u))
                pen /= n
            fit.append(f[k] + pen)
        return fit
