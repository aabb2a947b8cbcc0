"""Integer spaces: neighbourhood proposals (+-k steps and random resets) and the genetic
algorithm's integer mutation.

Points are int64 vectors inside ``lower .. upper`` (both included). Every bound fits exactly in
a float64 (``spaces.INTEGER_BOUND``), so bounds travel in the float64 ``params`` array.

Neighbourhood ``params`` (``operators.neighborhoods.IntegerStep.pack``):
``[unused, coords, reset, step, lower_0 .. lower_{n-1}, width_0 .. width_{n-1}]``. A move
changes ``coords`` random coordinates (all of them when ``coords >= n``); each is reset to
another value of its range, drawn uniformly, with probability ``reset``, else moved by ``+-d``
with ``d`` uniform in ``1 .. step`` and reflected at the bounds (from ``upper``, ``+1`` gives
``upper - 1``). A coordinate with ``lower == upper`` never changes. Slot 0 is the step size of
Real neighbourhoods; it is never read here. The move record is an ``INTEGER_STEP`` listing the
chosen coordinates (a ``RANGE`` over all of them when ``coords >= n``). A step ``d`` (at most
the coordinate's width) that would leave the box goes the other way, and if that leaves it too,
stops at the bound it was heading for (``bounce``): for ``+-1``, mirror reflection; every move
changes each coordinate it lists unless ``lower == upper`` there.

Mutation ``params`` (``operators.mutation.IntegerMutation.pack``): ``[rate, cached rate, scale,
sigma, lower_0 .. lower_{n-1}, width_0 .. width_{n-1}, reset]``: each gene mutates with
probability ``rate`` (``mutation._each_gene``); a mutating gene is reset to another value of its
range with probability ``reset``, else it creeps by ``round(|sigma * width * z|)`` steps with
``z ~ N(0, 1)``, at least one and at most ``width``, in the direction of ``z`` (``bounce`` at the
bounds).
"""
from __future__ import annotations

import numpy as np

from . import moves
from .crossover import _quotient_by_pow
from .jit import kernel
from .mutation import P_HEADER as M_HEADER
from .mutation import _each_gene
from .real_steps import _choose_coordinates

RESET = 2            # neighbourhood params: probability of a random reset
STEP = 3             # largest +-step
P_HEADER = 4         # then lower bounds, then widths


@kernel(inline=True)
def reset_value(value, lower, width, rng):
    """A value of ``lower .. lower + width`` other than ``value``, uniformly (one draw);
    ``width >= 1``."""
    v = lower + int(rng.random() * width)
    if v >= value:
        v += 1
    return v


@kernel(inline=True)
def bounce(value, d, lower, upper):
    """``value + d`` kept in ``lower .. upper`` and different from ``value`` (for
    ``0 < |d| <= upper - lower``): a step that would leave the box goes the other way, and if
    that leaves it too, it stops at the bound it was heading for. For ``+-1`` this is mirror
    reflection: from ``upper``, ``+1`` gives ``upper - 1``."""
    v = value + d
    if lower <= v <= upper:
        return v
    v = value - d
    if lower <= v <= upper:
        return v
    return upper if d > 0 else lower


@kernel(inline=True)
def _move_one(x, y, i, reset, step, params, rng):
    n = x.size
    lower = int(params[P_HEADER + i])
    width = int(params[P_HEADER + n + i])
    if width == 0:
        return
    if reset >= 1.0 or (reset > 0.0 and rng.random() < reset):
        y[i] = reset_value(x[i], lower, width, rng)
        return
    j = int(rng.random() * (2 * min(step, width)))   # one draw: the sign and the size
    d = j // 2 + 1
    if j % 2 == 1:
        d = -d
    y[i] = bounce(x[i], d, lower, lower + width)


@kernel
def integer_step(x, y, move, params, rng):
    """Move ``coords`` random coordinates by ``+-1 .. +-step`` (reflected at the bounds) or,
    each with probability ``reset``, reset it to another value of its range."""
    listed = _choose_coordinates(x.size, move, params, rng)
    move[moves.KIND] = moves.INTEGER_STEP
    reset = params[RESET]
    step = int(params[STEP])
    count = x.size if listed == 0 else listed
    for c in range(count):
        i = c if listed == 0 else move[moves.MOVE_HEADER + c]
        _move_one(x, y, i, reset, step, params, rng)


@kernel(inline=True)
def _integer_gene(x, i, params, rng):
    n = x.size
    lower = int(params[M_HEADER + i])
    width = int(params[M_HEADER + n + i])
    if width == 0:
        return
    reset = params[M_HEADER + 2 * n]
    if reset >= 1.0 or (reset > 0.0 and rng.random() < reset):
        x[i] = reset_value(x[i], lower, width, rng)
        return
    z = rng.standard_normal()
    size = min(np.round(abs(params[3] * width * z)), float(width))
    d = max(int(size), 1)
    if z < 0.0:
        d = -d
    x[i] = bounce(x[i], d, lower, lower + width)


@kernel
def integer_mutation(x, params, rng):
    """Mutate each gene with probability ``rate``: a random reset (probability ``reset``) or a
    creep by a rounded Gaussian step of at least one (module docstring)."""
    _each_gene(x, params, rng, _integer_gene)


@kernel
def rounded_sbx(a, b, c, d, params, work, rng):
    """SBX on integer genes, rounded: each gene whose parents differ crosses with probability
    1/2 (one uniform ``r``: crosses when ``r < 1/2``, and the children exchange their values
    when ``r < 1/4``), then one uniform for its spread (distribution index ``params[0]``,
    bounded as in Deb's code); the children's values are rounded to the nearest integer
    (half to even) in the box. ``params``: ``[eta, lower_0 .., width_0 ..]``."""
    n = a.size
    eta = params[0]
    for i in range(n):
        c[i] = a[i]
        d[i] = b[i]
    for i in range(n):
        if a[i] == b[i]:
            continue
        r = rng.random()
        if r >= 0.5:
            continue
        lower = params[1 + i]
        upper = lower + params[1 + n + i]
        x1 = float(min(a[i], b[i]))
        x2 = float(max(a[i], b[i]))
        scale = 2.0 / (x2 - x1)
        rand = rng.random()
        q1 = _quotient_by_pow(rand, 1.0 + (x1 - lower) * scale, eta)
        q2 = _quotient_by_pow(rand, 1.0 + (upper - x2) * scale, eta)
        y1 = np.round(min(max(0.5 * (x1 + x2 - q1 * (x2 - x1)), lower), upper))
        y2 = np.round(min(max(0.5 * (x1 + x2 + q2 * (x2 - x1)), lower), upper))
        if r < 0.25:
            c[i] = int(y2)
            d[i] = int(y1)
        else:
            c[i] = int(y1)
            d[i] = int(y2)
