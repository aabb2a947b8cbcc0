"""A local polish on Real spaces: quasi-Newton descent (BFGS) from a point, with gradients by
forward differences, one evaluation per step, so that it runs inside a search's state machine
(fused or through ask/tell alike).

It finishes what a stochastic search leaves rough: the search finds a basin, the polish reaches
the bottom of it to the precision of the differences, as the L-BFGS-B local searches of
scipy's ``dual_annealing`` do. Steps are projected into the box: a coordinate at a bound is held
there while the direction points outward.

The caller's record ``s`` holds the ``pol_*`` fields of ``FIELDS``; the float block ``pol``
holds, for ``n`` coordinates, the base point, its gradient, the next gradient, the direction,
the previous base point, the box's lower and upper bounds, and the inverse Hessian estimate
(``n * n``, row-major), in that order (``block_length``).
"""
from __future__ import annotations

import numpy as np

from . import moves
from .jit import kernel

I, F = np.int64, np.float64
FIELDS = [("pol_phase", I),          # IDLE, GRADIENT, LINE or EXPAND
          ("pol_i", I),              # the coordinate whose difference is being measured
          ("pol_iter", I),           # quasi-Newton iterations done in this polish
          ("pol_left", I),           # evaluations this polish may still spend
          ("pol_tries", I),          # step halvings in this line search
          ("pol_fb", F),             # value at the base point
          ("pol_alpha", F),          # step length being tried
          ("pol_gd", F),             # directional derivative g . d at the base point
          ("pol_radius", F)]         # length of a first step down the gradient

IDLE = 0
GRADIENT = 1
LINE = 2
EXPAND = 3
_MAX_EXPANSIONS = 10

XB, G, GN, D, XP, LO, HI, H = range(8)
_H_EPS = np.sqrt(np.finfo(np.float64).eps)
_MAX_TRIES = 20


def block_length(n: int) -> int:
    """Floats the ``pol`` block needs for ``n`` coordinates."""
    return 7 * n + n * n


def pack(lower, upper) -> np.ndarray:
    """A ``pol`` block with the box written in and the rest zero."""
    n = len(lower)
    out = np.zeros(block_length(n))
    out[LO * n:(LO + 1) * n] = lower
    out[HI * n:(HI + 1) * n] = upper
    return out


@kernel(inline=True)
def _vec(pol, which, n):
    return pol[which * n:(which + 1) * n]


@kernel(inline=True)
def _difference_step(pol, i, n):
    """The forward-difference step of coordinate ``i`` (backward at the upper bound)."""
    xb = pol[XB * n + i]
    h = _H_EPS * max(abs(xb), 1.0)
    if xb + h > pol[HI * n + i]:
        h = -h
    return h


@kernel(inline=True)
def begin(s, pol, best, radius, budget):
    """Start a polish from ``best`` (its value is ``s.best_f``), spending at most ``budget``
    evaluations. The first step down the gradient has length ``radius``: the box's diagonal
    is scale-free and too long rather than too short (the line search cuts it back in a few
    evaluations; a short one leaves the inverse Hessian estimate too small to learn the flat
    directions: 28 iterations instead of 22 on a 6-D quadratic of condition 1e4)."""
    n = best.size
    xb = _vec(pol, XB, n)
    for i in range(n):
        xb[i] = best[i]
    s.pol_fb = s.best_f
    s.pol_iter = 0
    s.pol_i = 0
    s.pol_left = budget
    s.pol_radius = radius
    s.pol_phase = GRADIENT


@kernel(inline=True)
def propose(s, pol, y, move):
    """Write the next point the polish needs into ``y`` (all coordinates may change)."""
    n = y.size
    if s.pol_phase == GRADIENT:
        for i in range(n):
            y[i] = pol[XB * n + i]
        i = s.pol_i
        y[i] = pol[XB * n + i] + _difference_step(pol, i, n)
    else:
        alpha = s.pol_alpha
        origin = XB if s.pol_phase == LINE else XP
        for i in range(n):
            v = pol[origin * n + i] + alpha * pol[D * n + i]
            y[i] = min(max(v, pol[LO * n + i]), pol[HI * n + i])
    move[moves.KIND] = moves.REAL_STEP
    move[moves.COUNT] = moves.RANGE
    move[moves.LO] = 0
    move[moves.HI] = n


@kernel(inline=True)
def _bfgs_update(pol, n):
    """Update the inverse Hessian estimate with the last step and gradient change (skipped
    when the curvature ``s . y`` is not positive). The estimate starts as ``r / |g| I``
    (``_reset_hessian``), not as ``s . y / y . y I`` (Nocedal & Wright, eq. 6.20): that scale is
    the stiffest direction's, and on an ill-conditioned quadratic it made the flat directions'
    steps too short to learn (36 iterations instead of 15 in 6-D at condition 1e4)."""
    sy = 0.0
    yy = 0.0
    for i in range(n):
        sk = pol[XB * n + i] - pol[XP * n + i]
        yk = pol[GN * n + i] - pol[G * n + i]
        sy += sk * yk
        yy += yk * yk
    if not (sy > 1e-300) or not (yy > 0.0):
        return
    hess = pol[H * n:H * n + n * n]
    # H <- (I - rho s y^T) H (I - rho y s^T) + rho s s^T, with hy = H y:
    # H - rho (s hy^T + hy s^T) + (rho^2 y^T H y + rho) s s^T.
    rho = 1.0 / sy
    hy = pol[D * n:(D + 1) * n]               # the direction's slot is free here
    yhy = 0.0
    for i in range(n):
        total = 0.0
        for j in range(n):
            total += hess[i * n + j] * (pol[GN * n + j] - pol[G * n + j])
        hy[i] = total
        yhy += total * (pol[GN * n + i] - pol[G * n + i])
    c = rho * rho * yhy + rho
    for i in range(n):
        si = pol[XB * n + i] - pol[XP * n + i]
        for j in range(n):
            sj = pol[XB * n + j] - pol[XP * n + j]
            hess[i * n + j] += c * si * sj - rho * (si * hy[j] + hy[i] * sj)


@kernel(inline=True)
def _direction(pol, n):
    """``d = -H g``, with the coordinates held at a bound that ``d`` would cross set to zero;
    returns ``g . d``."""
    gd = 0.0
    for i in range(n):
        total = 0.0
        for j in range(n):
            total -= pol[H * n + i * n + j] * pol[G * n + j]
        xb = pol[XB * n + i]
        if (xb <= pol[LO * n + i] and total < 0.0) or (xb >= pol[HI * n + i] and total > 0.0):
            total = 0.0
        pol[D * n + i] = total
        gd += total * pol[G * n + i]
    return gd


@kernel(inline=True)
def _reset_hessian(s, pol, n):
    """The inverse Hessian estimate becomes ``r / |g| I``: a step of length ``r`` (the first
    step's) down the gradient, whatever the objective's scale."""
    norm = 0.0
    for i in range(n):
        norm += pol[G * n + i] * pol[G * n + i]
    scale = s.pol_radius / np.sqrt(norm) if norm > 0.0 else 1.0
    hess = pol[H * n:H * n + n * n]
    for k in range(n * n):
        hess[k] = 0.0
    for i in range(n):
        hess[i * n + i] = scale


@kernel(inline=True)
def _line_search(s, pol, n):
    """Choose the direction at a new base point and the first step to try; False when there is
    no descent direction left (the polish ends)."""
    if s.pol_iter == 0:
        _reset_hessian(s, pol, n)
    gd = _direction(pol, n)
    if not (gd < 0.0):
        _reset_hessian(s, pol, n)
        gd = _direction(pol, n)
        if not (gd < 0.0):
            return False
    s.pol_gd = gd
    s.pol_tries = 0
    s.pol_alpha = 1.0
    s.pol_phase = LINE
    return True


@kernel(inline=True)
def take(s, pol, y, value, max_iter):
    """Take the value of the point ``propose`` wrote; returns False when the polish is over."""
    n = y.size
    s.pol_left -= 1
    if s.pol_phase == GRADIENT:
        i = s.pol_i
        h = y[i] - pol[XB * n + i]
        if np.isfinite(value) and h != 0.0:
            pol[GN * n + i] = (value - s.pol_fb) / h
        else:
            pol[GN * n + i] = 0.0
        s.pol_i = i + 1
        if s.pol_i < n:
            return s.pol_left > 0
        if s.pol_iter > 0:
            _bfgs_update(pol, n)
        for j in range(n):
            pol[G * n + j] = pol[GN * n + j]
        if s.pol_iter >= max_iter:
            s.pol_phase = IDLE
            return False
        if not _line_search(s, pol, n):
            s.pol_phase = IDLE
            return False
        return s.pol_left > 0
    if s.pol_phase == EXPAND:
        # A longer step along the same direction from the previous base point: kept while it
        # is lower still.
        s.pol_tries += 1
        if value < s.pol_fb:
            for j in range(n):
                pol[XB * n + j] = y[j]
            s.pol_fb = value
            if s.pol_tries < _MAX_EXPANSIONS:
                s.pol_alpha *= 2.0
                return s.pol_left > 0
        s.pol_i = 0
        s.pol_phase = GRADIENT
        return s.pol_left > 0
    # LINE: Armijo's sufficient decrease on the projected step.
    if value < s.pol_fb and value <= s.pol_fb + 1e-4 * s.pol_alpha * s.pol_gd:
        # A step shorter than the difference steps in every coordinate: the gradient cannot
        # resolve further progress (steps then shrink to rounding, 1e-16, and crawl).
        converged = True
        for j in range(n):
            if abs(y[j] - pol[XB * n + j]) > _H_EPS * max(abs(pol[XB * n + j]), 1.0):
                converged = False
                break
        for j in range(n):
            pol[XP * n + j] = pol[XB * n + j]
            pol[XB * n + j] = y[j]
        s.pol_fb = value
        s.pol_iter += 1
        s.pol_i = 0
        if converged:
            s.pol_phase = IDLE
            return False
        if s.pol_tries == 0:
            # The full step was taken at once: try twice as long (the estimate of the inverse
            # Hessian starts small in the directions it has not yet seen).
            s.pol_alpha *= 2.0
            s.pol_phase = EXPAND
        else:
            s.pol_phase = GRADIENT
        return s.pol_left > 0
    s.pol_tries += 1
    if s.pol_tries >= _MAX_TRIES:
        s.pol_phase = IDLE
        return False
    # The minimum of the quadratic through f(xb), its slope and f(xb + alpha d), kept within
    # a tenth and a half of the step.
    alpha = s.pol_alpha
    curvature = value - s.pol_fb - s.pol_gd * alpha if np.isfinite(value) else np.inf
    trial = -s.pol_gd * alpha * alpha / (2.0 * curvature) if curvature > 0.0 else 0.5 * alpha
    s.pol_alpha = min(max(trial, 0.1 * alpha), 0.5 * alpha)
    return s.pol_left > 0
