"""CMA-ES with IPOP restarts as a state machine (see ``optimizers.cma``).

The search works in box coordinates ``u = (x - lower) / width`` (the box is [0, 1]^D there).
Phases: START evaluates the mean drawn by the initializer; SEARCH samples a generation of
``lam`` points ``u = mean + sigma B (d * z)`` and updates mean, paths, sigma and C as in
Hansen's tutorial (2016), with active CMA (negative weights). A sample outside the box is
evaluated where it is reflected into the box (``reflect``), or at its clipped point and ranked
with pycma's BoundPenalty (Hansen et al. 2009). When a stopping rule of the restart
fires, the search restarts from a new initializer point with ``lam`` multiplied by
``pop_factor`` (IPOP, Auger & Hansen 2005), or the run stops (CONVERGED) if no restarts are
left. The eigendecomposition of C is a cyclic Jacobi method working in place (``dense``).
"""
from __future__ import annotations

import math

import numpy as np

from . import run_state
from .addresses import generator_from_handle, load_function
from .dense import congruence, jacobi_eigen, median, sort_by
from .jit import kernel

I, F = np.int64, np.float64
STATE = run_state.declare(
    [("phase", I), ("dim", I), ("lam", I), ("lam_max", I), ("mu", I), ("gen", I),
     ("eig_gen", I), ("restarts_left", I),     # -1: unlimited
     ("restarts", I), ("adapt_step", I), ("adapt_cov", I), ("n_iqr", I), ("gamma_set", I),
     ("reason", I),                            # stopping rule of the last restart (REASONS)
     ("reflect", I),                           # 1: reflect samples into the box; 0: penalty
     ("n_hist", I), ("run_best_gen", I), ("run_best", F),
     ("n_flat", I),                            # generations in a row with flat values
     ("active", I), ("weight_sum", F),         # active CMA; sum of all weights
     ("sigma", F), ("sigma0", F), ("pop_factor", F), ("mueff", F), ("cs", F), ("ds", F),
     ("cc", F), ("c1", F), ("cmu", F), ("chi_n", F), ("eig_gap", F), ("tol_fun", F),
     ("tol_x", F)],
    int_blocks=("order", "merge"),
    float_blocks=("weights", "wo", "fit", "hrecent", "hbest", "hmed", "iqr", "scratch"),
    rows=("bounds", "vec", "cov", "basis", "work", "temp", "ys"))

# phases
START = 0
SEARCH = 1

# rows of the "vec" block
MEAN, DIAG, PC, PS, GAMMA, YW, TMP = range(7)
N_VEC = 7
# rows of the "bounds" block
LOWER, UPPER, WIDTH = range(3)

# stopping rules of a restart (field ``reason``)
REASONS = ("", "tolfun", "tolx", "noeffectaxis", "noeffectcoord", "conditioncov",
           "stagnation", "tolupsigma", "eigen", "tolflatfitness")
MAX_CONDITION = 1e14


@kernel(inline=True)
def _clip01(v):
    return min(max(v, 0.0), 1.0)


@kernel(inline=True)
def _reflect01(v):
    """``v`` mirrored into [0, 1] at its ends, as many times as needed."""
    if 0.0 <= v <= 1.0:
        return v
    t = np.fmod(v, 2.0)
    if t < 0.0:
        t += 2.0
    if t > 1.0:
        t = 2.0 - t
    return min(max(t, 0.0), 1.0)


@kernel
def _begin(s, x0, bounds, vec, cov, basis, weights):
    """A new restart around ``x0`` with the current ``lam``: the tutorial's default
    parameters, sigma0, C = I and zero paths."""
    n = s.dim
    lam = s.lam
    mu = lam // 2
    s.mu = mu
    total = 0.0
    for i in range(mu):
        weights[i] = math.log((lam + 1) / 2.0) - math.log(i + 1.0)
        total += weights[i]
    squares = 0.0
    for i in range(mu):
        weights[i] = weights[i] / total
        squares += weights[i] * weights[i]
    mueff = 1.0 / squares
    s.mueff = mueff
    s.cs = (mueff + 2.0) / (n + mueff + 5.0)
    s.ds = 1.0 + 2.0 * max(0.0, math.sqrt((mueff - 1.0) / (n + 1.0)) - 1.0) + s.cs
    s.cc = (4.0 + mueff / n) / (n + 4.0 + 2.0 * mueff / n)
    s.c1 = 2.0 / ((n + 1.3) * (n + 1.3) + mueff)
    s.cmu = min(1.0 - s.c1, 2.0 * (0.25 + mueff - 2.0 + 1.0 / mueff) /
                ((n + 2.0) * (n + 2.0) + mueff))
    # active CMA (tutorial, eqs. 50-53): the worse half gets negative weights
    s.weight_sum = 1.0
    for i in range(mu, lam):
        weights[i] = 0.0
    if s.active == 1 and lam > mu:
        negative = 0.0
        squares = 0.0
        for i in range(mu, lam):
            weights[i] = math.log((lam + 1) / 2.0) - math.log(i + 1.0)
            negative -= weights[i]
            squares += weights[i] * weights[i]
        mueff_minus = negative * negative / squares
        scale = min(1.0 + s.c1 / s.cmu, 1.0 + 2.0 * mueff_minus / (mueff + 2.0),
                    (1.0 - s.c1 - s.cmu) / (n * s.cmu))
        for i in range(mu, lam):
            weights[i] = scale * weights[i] / negative
        s.weight_sum = 1.0 - scale
    s.chi_n = math.sqrt(n) * (1.0 - 1.0 / (4.0 * n) + 1.0 / (21.0 * n * n))
    s.eig_gap = 1.0 / ((s.c1 + s.cmu) * n * 10.0)
    s.sigma = s.sigma0
    s.gen = 0
    s.eig_gen = 0
    s.n_iqr = 0
    s.n_hist = 0
    s.n_flat = 0
    s.run_best = np.inf
    s.run_best_gen = 0
    s.gamma_set = 0
    for i in range(n):
        vec[MEAN, i] = _clip01((x0[i] - bounds[LOWER, i]) / bounds[WIDTH, i])
        vec[DIAG, i] = 1.0
        vec[PC, i] = 0.0
        vec[PS, i] = 0.0
        vec[GAMMA, i] = 0.0
        for j in range(n):
            cov[i, j] = 1.0 if i == j else 0.0
            basis[i, j] = 1.0 if i == j else 0.0


@kernel(inline=True)
def _sample(s, points, bounds, vec, basis, ys, rng):
    """Draw the next generation: ``y = B (d * z)`` in row ``ys[k]``, the clipped point
    ``mean + sigma y`` in batch row ``k``."""
    n = s.dim
    m = run_state.ask_rows(s, s.lam)
    z = vec[TMP]
    sigma = s.sigma
    for k in range(m):
        for i in range(n):
            z[i] = rng.standard_normal()
        y = ys[k]
        if s.adapt_cov == 1:
            for i in range(n):
                z[i] = vec[DIAG, i] * z[i]
            for i in range(n):
                acc = 0.0
                for j in range(n):
                    acc += basis[i, j] * z[j]
                y[i] = acc
        else:
            for i in range(n):
                y[i] = z[i]
        x = points[k]
        for i in range(n):
            u = vec[MEAN, i] + sigma * y[i]
            if s.reflect == 1:
                u = _reflect01(u)
            if u <= 0.0:
                x[i] = bounds[LOWER, i]
            elif u >= 1.0:
                x[i] = bounds[UPPER, i]
            else:
                x[i] = min(max(bounds[LOWER, i] + bounds[WIDTH, i] * u, bounds[LOWER, i]),
                           bounds[UPPER, i])


@kernel
def _bound_penalty(s, f, fit, vec, cov, ys, order, merge, iqr, scratch):
    """``fit = f + penalty``: pycma's BoundPenalty. The weights ``gamma`` follow the median
    interquartile range of recent generations and grow for coordinates whose mean lies
    outside the box by more than 3 standard deviations."""
    n = s.dim
    lam = s.lam
    sigma = s.sigma
    mean_var = 0.0
    outside = False
    for i in range(n):
        mean_var += sigma * sigma * cov[i, i]
        if vec[MEAN, i] != _clip01(vec[MEAN, i]):
            outside = True
    mean_var /= n
    sort_by(f, order, merge, lam)
    value = (f[order[min(3 * (lam + 1) // 4, lam - 1)]] - f[order[(lam + 1) // 4]]) / mean_var
    limit = 20.0 + 3.0 * n / lam
    if math.isfinite(value) and value > 0.0 or value == np.inf and s.n_iqr > 1:
        if value == np.inf:
            value = iqr[0]
            for k in range(1, s.n_iqr):
                value = max(value, iqr[k])
        for k in range(s.n_iqr, 0, -1):
            iqr[k] = iqr[k - 1]
        iqr[0] = value
        s.n_iqr += 1
        if s.n_iqr > limit:
            s.n_iqr -= 1
    if s.n_iqr > 0:
        dfit = median(iqr, s.n_iqr, scratch)
        damp = min(1.0, s.mueff / 10.0 / n)
        if outside and (s.gamma_set == 0 or s.gen == 1):
            for i in range(n):
                vec[GAMMA, i] = 2.0 * dfit
            s.gamma_set = 1
        if s.gamma_set == 1:
            allowed = 3.0 * max(1.0, math.sqrt(n) / s.mueff)
            for i in range(n):
                dmean = abs(vec[MEAN, i] - _clip01(vec[MEAN, i])) / math.sqrt(
                    sigma * sigma * cov[i, i])
                edist = dmean - allowed
                if edist > 0.0:
                    vec[GAMMA, i] *= math.exp(math.tanh(edist / 3.0) / 2.0) ** damp
                if vec[GAMMA, i] > 5.0 * dfit:
                    vec[GAMMA, i] *= math.exp(-1.0 / 3.0) ** damp
    for k in range(lam):
        pen = 0.0
        if s.gamma_set == 1:
            for i in range(n):
                u = vec[MEAN, i] + sigma * ys[k, i]
                excess = u - _clip01(u)
                pen += vec[GAMMA, i] * excess * excess
            pen /= n
        fit[k] = f[k] + pen


@kernel
def _update(s, fit, order, vec, cov, basis, ys, weights, wo):
    """Recombination, cumulation, step size and covariance (tutorial, eqs. 39-47)."""
    n = s.dim
    mu = s.mu
    sigma = s.sigma
    yw = vec[YW]
    for i in range(n):
        acc = 0.0
        for r in range(mu):
            acc += weights[r] * ys[order[r], i]
        yw[i] = acc
        vec[MEAN, i] += sigma * acc
    cs = s.cs
    factor = math.sqrt(cs * (2.0 - cs) * s.mueff)
    norm = 0.0
    if s.adapt_cov == 1:       # ps uses C^(-1/2) yw = B diag(1/d) B^T yw
        tmp = vec[TMP]
        for j in range(n):
            acc = 0.0
            for i in range(n):
                acc += basis[i, j] * yw[i]
            tmp[j] = acc / vec[DIAG, j]
        for i in range(n):
            acc = 0.0
            for j in range(n):
                acc += basis[i, j] * tmp[j]
            vec[PS, i] = (1.0 - cs) * vec[PS, i] + factor * acc
            norm += vec[PS, i] * vec[PS, i]
    else:
        for i in range(n):
            vec[PS, i] = (1.0 - cs) * vec[PS, i] + factor * yw[i]
            norm += vec[PS, i] * vec[PS, i]
    norm = math.sqrt(norm)
    s.gen += 1
    hsig = norm / math.sqrt(1.0 - (1.0 - cs) ** (2.0 * s.gen)) / s.chi_n < \
        1.4 + 2.0 / (n + 1.0)
    cc = s.cc
    factor = math.sqrt(cc * (2.0 - cc) * s.mueff) if hsig else 0.0
    for i in range(n):
        vec[PC, i] = (1.0 - cc) * vec[PC, i] + factor * yw[i]
    if s.adapt_cov == 1:
        c1 = s.c1
        cmu = s.cmu
        keep = 1.0 - c1 - cmu * s.weight_sum + (0.0 if hsig else c1 * cc * (2.0 - cc))
        ranked = s.lam if s.active == 1 else mu
        for r in range(ranked):     # negative weights scaled by n / |C^(-1/2) y|^2
            wo[r] = weights[r]
            if r >= mu:
                k = order[r]
                norm2 = 0.0
                for j in range(n):
                    acc = 0.0
                    for i in range(n):
                        acc += basis[i, j] * ys[k, i]
                    acc = acc / vec[DIAG, j]
                    norm2 += acc * acc
                wo[r] = weights[r] * n / norm2
        for i in range(n):
            for j in range(i, n):
                acc = 0.0
                for r in range(ranked):
                    k = order[r]
                    acc += wo[r] * ys[k, i] * ys[k, j]
                value = keep * cov[i, j] + c1 * vec[PC, i] * vec[PC, j] + cmu * acc
                cov[i, j] = value
                cov[j, i] = value
    if s.adapt_step == 1:
        s.sigma = sigma * math.exp(min(1.0, (cs / s.ds) * (norm / s.chi_n - 1.0)))


@kernel
def _decompose(s, vec, cov, basis, work, temp):
    """``C = B diag(d^2) B^T`` once enough generations have passed (lazy update, tutorial
    p. 37), by Jacobi rotations of ``B^T C B`` from the last basis (C changes little between
    decompositions, so a sweep or two suffice); returns a stopping reason (0: none)."""
    if s.adapt_cov == 0 or s.gen - s.eig_gen <= s.eig_gap:
        return 0
    s.eig_gen = s.gen
    n = s.dim
    congruence(cov, basis, temp, work, n)
    if jacobi_eigen(work, basis, n) < 0:
        return 8
    low = np.inf
    high = 0.0
    for i in range(n):
        value = work[i, i]
        if not value > 0.0:
            return 8
        vec[DIAG, i] = math.sqrt(value)
        low = min(low, value)
        high = max(high, value)
    if high > MAX_CONDITION * low:
        return 5
    return 0


@kernel
def _stop_reason(s, f, fit, order, vec, cov, basis, hrecent, hbest, hmed, scratch):
    """Record this generation in the histories and check the restart's stopping rules
    (Auger & Hansen 2005 and pycma's defaults); returns a reason (0: go on)."""
    n = s.dim
    lam = s.lam
    gen = s.gen
    best = fit[order[0]]
    if best < s.run_best:
        s.run_best = best
        s.run_best_gen = gen
    recent = hrecent.size
    hrecent[(gen - 1) % recent] = best
    sigma = s.sigma
    # tolfun: the recent best values and this generation's values all within tol_fun
    span = 10 + int(math.ceil(30.0 * n / lam))
    if gen >= span:
        low = np.inf
        high = -np.inf
        for r in range(span):
            v = hrecent[(gen - 1 - r) % recent]
            low = min(low, v)
            high = max(high, v)
        for k in range(lam):
            low = min(low, f[k])
            high = max(high, f[k])
        if high - low < s.tol_fun:
            return 1
    # flat fitness (pycma's tolflatfitness): the best value equals the 75th percentile in
    # two generations in a row
    if best < fit[order[int(0.75 * lam)]]:
        s.n_flat = 0
    else:
        s.n_flat += 1
        if s.n_flat > 1:
            return 9
    # tolx: every coordinate's standard deviation and pc below tol_x
    small = True
    for i in range(n):
        if sigma * max(abs(vec[PC, i]), math.sqrt(cov[i, i])) >= s.tol_x:
            small = False
            break
    if small:
        return 2
    # no effect of a step of 0.1 standard deviations along a principal axis
    axis = gen % n
    same = True
    for i in range(n):
        mean = vec[MEAN, i]
        if mean + 0.1 * sigma * vec[DIAG, axis] * basis[i, axis] != mean:
            same = False
            break
    if same:
        return 3
    high = 0.0
    for i in range(n):
        mean = vec[MEAN, i]
        if mean + 0.2 * sigma * math.sqrt(cov[i, i]) == mean:
            return 4
        high = max(high, vec[DIAG, i])
    if sigma * high > 1e3:     # the distribution is a thousand boxes wide: no progress left
        return 7
    # stagnation (pycma's tolstagnation): every 5th generation's best and median values are
    # kept; the run stops when its best is older than half of 100 + 100 n^1.5 / lam
    # generations and the medians of the newest l kept values are no better than those of the
    # l before them (l: a tenth of that period, or of the values kept)
    if gen % 5 == 0:
        cap = hbest.size
        at = s.n_hist % cap
        hbest[at] = best
        i = lam // 2
        hmed[at] = fit[order[i]] if lam % 2 == 1 else 0.5 * (fit[order[i - 1]] + fit[order[i]])
        s.n_hist += 1
        kept = min(s.n_hist, cap)
        period = int(100.0 + 100.0 * n ** 1.5 / lam)
        part = int(max(period / 10.0, kept / 10.0))
        if gen > n * (5.0 + 100.0 / lam) and gen - s.run_best_gen > period / 2.0 and \
                kept > 100 and 2 * part < kept:
            last = s.n_hist - 1
            for hist in (hmed, hbest):
                for r in range(part):
                    scratch[part + r] = hist[(last - r) % cap]
                new = median(scratch[part:], part, scratch)
                for r in range(part):
                    scratch[part + r] = hist[(last - part - r) % cap]
                old = median(scratch[part:], part, scratch)
                if new < old:
                    return 0
            return 6
    return 0


@kernel(inline=True)
def _restart_or_stop(s, reason):
    s.reason = reason
    if s.restarts_left == 0:
        s.status = run_state.CONVERGED
        return
    if s.restarts_left > 0:
        s.restarts_left -= 1
    s.restarts += 1
    s.lam = min(max(int(s.lam * s.pop_factor), s.lam), s.lam_max)
    s.phase = START
    run_state.ask_rows(s, 1)
    s.request = run_state.REQUEST_SAMPLE


@kernel(inline=True)
def _step(s, ints, floats, points, blocks, rng):
    """Take the values of the batch just evaluated; prepare the next batch."""
    if run_state.record_batch(s, ints, floats, points) != run_state.RUNNING:
        return s.status
    (bounds, vec, cov, basis, work, temp, ys, order, merge, weights, wo, fit, hrecent, hbest,
     hmed, iqr, scratch) = blocks
    if s.phase == START:
        _begin(s, points[0], bounds, vec, cov, basis, weights)
        s.phase = SEARCH
    else:
        f = floats[s.f_at:s.f_at + s.lam]
        if s.reflect == 1:
            for k in range(s.lam):
                fit[k] = f[k]
        else:
            _bound_penalty(s, f, fit, vec, cov, ys, order, merge, iqr, scratch)
        sort_by(fit, order, merge, s.lam)
        _update(s, fit, order, vec, cov, basis, ys, weights, wo)
        reason = _decompose(s, vec, cov, basis, work, temp)
        if reason == 0:
            reason = _stop_reason(s, f, fit, order, vec, cov, basis, hrecent, hbest, hmed,
                                  scratch)
        if reason != 0:
            _restart_or_stop(s, reason)
            return s.status
    _sample(s, points, bounds, vec, basis, ys, rng)
    return run_state.RUNNING


@kernel
def _run(state, ints, floats, points, data, evaluate):
    """Steps until a pause (``evaluate``: evaluate each batch first; otherwise take the values
    already given and make one step)."""
    s = state[0]
    n = s.dim
    blocks = (points[s.row_bounds:s.row_bounds + 3], points[s.row_vec:s.row_vec + N_VEC],
              points[s.row_cov:s.row_cov + n], points[s.row_basis:s.row_basis + n],
              points[s.row_work:s.row_work + n], points[s.row_temp:s.row_temp + n],
              points[s.row_ys:s.row_ys + s.lam_max],
              ints[s.order_at:s.order_at + s.order_n], ints[s.merge_at:s.merge_at + s.merge_n],
              floats[s.weights_at:s.weights_at + s.weights_n],
              floats[s.wo_at:s.wo_at + s.wo_n],
              floats[s.fit_at:s.fit_at + s.fit_n],
              floats[s.hrecent_at:s.hrecent_at + s.hrecent_n],
              floats[s.hbest_at:s.hbest_at + s.hbest_n],
              floats[s.hmed_at:s.hmed_at + s.hmed_n], floats[s.iqr_at:s.iqr_at + s.iqr_n],
              floats[s.scratch_at:s.scratch_at + s.scratch_n])
    rng = generator_from_handle(s.handle)
    objective = load_function(s.fn_objective, "objective", points.dtype)
    while True:
        if evaluate:
            for r in range(s.m):
                floats[s.f_at + r] = objective(points[r], data)
        _step(s, ints, floats, points, blocks, rng)
        if not evaluate or run_state.should_pause(s):
            return s.status


@kernel
def advance(state, ints, floats, points):
    """One step with the values of the batch evaluated outside (ask/tell)."""
    return _run(state, ints, floats, points, floats[:0], False)


@kernel
def fused(state, ints, floats, points, data):
    """Evaluate and step until a pause."""
    return _run(state, ints, floats, points, data, True)
