"""The genetic algorithm as a state machine (see ``optimizers.genetic``).

Phases: START evaluates the initial population (drawn by the initializer, ``pop`` rows);
EVOLVE takes the values of the offspring just evaluated, replaces members of the population with
them, and breeds the next offspring into the batch rows: parents chosen by the selection
operator (all of them in one call), paired in order, crossed with probability ``pc`` (else
copied), and varied (``_vary``: mutated; mutated again, at most ``MAX_REDRAWS`` times, while it
is a copy of its first parent when ``redraw_copies`` and the rate ``mp[0] > 0``; then, on Real
spaces with ``diff_weight > 0``, moved by ``diff_weight`` times the difference of two distinct
random members and clipped to the box). With ``whole_batch`` all pairs are bred first and the
batch is then mutated as one string (``_breed``). Generational replacement keeps the
``elites`` best members and breeds ``pop - elites`` children a step; plus replacement
((mu + lambda), ``plus``) breeds ``lam`` children a step, and each in turn replaces the worst
member (``_worst``) unless it is worse than it; ties go to offspring: among equal values an
old member goes first, and a child does not replace an equal child of the same step
(steady-state replacement is plus replacement with ``lam = 2``).

Success rule (``adapt`` != 0, Real spaces): a child succeeds when its value is below its first
parent's (child ``r`` of the batch was bred from ``pop[parents[r]]``). After each step the
mutation's strength multiplier ``mutation_scale`` becomes ``mutation_scale * exp(damping * (ps -
target_rate) / (1 - target_rate))``, ``ps`` the step's fraction of successes (Rechenberg's 1/5th
rule per generation), capped at ``scale_max``, and the strength entry of the mutation's
parameters (``mp[STRENGTH]``) is rewritten from its base value ``strength``: a spread (Gaussian
``sigma``) is multiplied by the scale (``adapt == 1``), a distribution index (polynomial ``eta``)
becomes ``(strength + 1) / scale - 1`` (``adapt == 2``: its steps are about proportional to
``1 / (eta + 1)``).

The population is ``pop`` rows of ``points`` (``row_pop``) with its values in a ``floats``
block (``popf``); an odd number of children leaves the second child of the last pair in a spare
row (``row_spare``), unmutated and never evaluated.
"""
from __future__ import annotations

import numpy as np

from . import draws, run_state
# The operator modules declare the roles "select", "crossover" and "mutate".
from . import crossover as _crossover, mutation as _mutation, selection as _selection  # noqa: F401
from .addresses import generator_from_handle, load_function
from .discrete_steps import distinct_pair
from .jit import kernel
from .moves import copy_into

I, F = np.int64, np.float64
STATE = run_state.declare(
    [("phase", I), ("pop", I), ("elites", I),
     ("plus", I),                     # 1: (mu + lambda) replacement, else generational
     ("lam", I),                      # children a step with plus replacement
     ("adapt", I),                    # 0: fixed strength; 1: spread; 2: distribution index
     ("generations", I),              # replacements done
     ("crossings", I),                # pairs crossed
     ("successes", I),                # children better than their first parent
     ("redraw_copies", I),            # 1: mutate again a child equal to its parent
     ("whole_batch", I),              # 1: mutate the batch's children as one string
     ("uniform_inline", I),           # 1: the crossover is uniform, its body inlined
     ("pc", F),                       # crossover probability
     ("strength", F),                 # the mutation's base strength (sigma or eta)
     ("mutation_scale", F),           # its current multiplier (success rule)
     ("scale_max", F),                # the largest multiplier
     ("target_rate", F),              # the success rate the rule aims at
     ("damping", F),                  # the rule's log-step at ps = 1
     ("diff_weight", F)],             # weight of the difference of two members (0: none)
    int_blocks=("parents",            # pop + 1 indices chosen by selection
                "iwork",              # 2 * pop ints of selection scratch
                "cwork"),             # 2 * dim ints of crossover scratch
    float_blocks=("popf",             # values of the population
                  "fwork",            # pop floats of selection scratch
                  "sp", "cp", "mp",   # the operators' parameters
                  "box"),             # Real: lower bounds, then upper bounds
    rows=("pop", "spare"), functions=("select", "crossover", "mutate"))

# phases
START = 0
EVOLVE = 1
# adapt
FIXED = 0
SPREAD = 1
INDEX = 2
#: the most mutations drawn again for a child that stayed a copy of its parent
MAX_REDRAWS = 100
#: the strength entry of the built-in Real mutations' parameters (sigma or eta)
STRENGTH = 3


@kernel(inline=True)
def _swap_rows(pop, popf, i, j):
    for k in range(pop.shape[1]):
        gene = pop[i, k]
        pop[i, k] = pop[j, k]
        pop[j, k] = gene
    value = popf[i]
    popf[i] = popf[j]
    popf[j] = value


@kernel(inline=True)
def _adapt(s, floats, popf, parents, mp):
    """The success rule: count the children better than their first parent, update the
    mutation's strength."""
    m = s.m
    f_slot = s.f_at
    wins = 0
    for r in range(m):  # a sum, not a branch: whether a child wins is a coin toss
        wins += np.int64(floats[f_slot + r] < popf[parents[r]])
    s.successes += wins
    if s.adapt == FIXED:
        return
    target = s.target_rate
    scale = s.mutation_scale * np.exp(s.damping * (wins / m - target) / (1.0 - target))
    scale = min(scale, s.scale_max)
    s.mutation_scale = scale
    if s.adapt == SPREAD:
        mp[STRENGTH] = s.strength * scale
    else:
        mp[STRENGTH] = (s.strength + 1.0) / scale - 1.0


@kernel(inline=True)
def _worst(popf, fresh):
    """The member a child replaces: the largest value; among equal values an old member
    before a child of this step (ties go to offspring), the last index first."""
    worst = 0
    for i in range(1, popf.size):
        if popf[i] > popf[worst] or (popf[i] == popf[worst] and fresh[i] <= fresh[worst]):
            worst = i
    return worst


@kernel(inline=True)
def _replace(s, floats, points, pop, popf, parents, iwork, mp):
    """Put the offspring just evaluated into the population."""
    _adapt(s, floats, popf, parents, mp)
    m = s.m
    f_slot = s.f_at
    s.generations += 1
    if s.plus == 1:
        fresh = iwork[:popf.size]  # selection scratch, free until the next breeding
        for i in range(popf.size):
            fresh[i] = 0
        worst = _worst(popf, fresh)  # changes only when a child comes in
        for r in range(m):
            value = floats[f_slot + r]
            top = popf[worst]
            if value < top or (value == top and fresh[worst] == 0):
                copy_into(points[r], pop[worst])
                popf[worst] = value
                fresh[worst] = 1
                # Nothing is above ``top``: the next old member equal to it, below the slot
                # just filled, is the next worst (a full scan otherwise).
                i = worst - 1
                while i >= 0 and (fresh[i] == 1 or popf[i] != top):
                    i -= 1
                worst = i if i >= 0 else _worst(popf, fresh)
        return
    elites = s.elites
    for i in range(elites):  # the best members move to the front, in order
        best = i
        for j in range(i + 1, popf.size):
            if popf[j] < popf[best]:
                best = j
        if best != i:
            _swap_rows(pop, popf, i, best)
    # The children are rows 0 .. m-1 and take rows elites .. elites+m-1: one contiguous block
    # each, copied as one loop (row by row, a child of 100 bits cost 11 ns; as a block, 3).
    n = pop.shape[1]
    copy_into(points[:m].reshape(m * n), pop[elites:elites + m].reshape(m * n))
    for r in range(m):
        popf[elites + r] = floats[f_slot + r]


@kernel(inline=True)
def _differ(c, pop, box, weight, rng):
    """Add ``weight`` times the difference of two random members (the population's shape)."""
    i, j = distinct_pair(pop.shape[0], rng)
    n = c.size
    for k in range(n):
        c[k] = min(max(c[k] + weight * (pop[i, k] - pop[j, k]), box[k]), box[n + k])


@kernel(inline=True)
def _same(x, y):
    for k in range(x.size):
        if x[k] != y[k]:
            return False
    return True


@kernel(inline=True)
def _redraw(c, a, mp, rng, mutate):
    """Mutate child ``c`` again while it is a copy of its first parent ``a`` (at most
    ``MAX_REDRAWS`` times)."""
    tries = 0
    while tries < MAX_REDRAWS and _same(c, a):
        mutate(c, mp, rng)
        tries += 1


@kernel(inline=True)
def _vary(s, c, a, pop, mp, box, rng, mutate):
    """Mutate child ``c`` of parent ``a`` (again while it is a copy of ``a``, at most
    ``MAX_REDRAWS`` times, when ``redraw_copies``), then add the difference term."""
    mutate(c, mp, rng)
    if s.redraw_copies == 1 and mp[0] > 0.0:
        _redraw(c, a, mp, rng, mutate)
    if s.diff_weight > 0.0:
        _differ(c, pop, box, s.diff_weight, rng)


@kernel(inline=True)
def _breed(s, points, pop, popf, parents, iwork, fwork, cwork, sp, cp, mp, box, m, rng,
           select, crossover, mutate):
    """Fill batch rows 0 .. m-1 with children of the population.

    With ``whole_batch`` (a mutation whose genes change independently, the same way at every
    position: bit flips), the children are all bred first and then mutated by one call on
    rows 0 .. m-1 as one string of ``m n`` genes: each gene has the same independent chance as
    child by child, for one draw per mutated gene and one a batch (instead of one more a
    child), and without a loop whose end is a coin toss per child (a mispredicted branch
    costs more than the draws: 24 -> 8 ns a child of OneMax-100). Copies of their first
    parent are then mutated again child by child (``redraw_copies``). The uniform crossover
    (``uniform_inline``) is inlined rather than called by address."""
    chosen = parents[:m + (m & 1)]
    select(popf, chosen, iwork, fwork, sp, rng)
    pc = s.pc
    spare = points[s.row_spare]
    whole = s.whole_batch == 1
    for p in range(0, m, 2):
        a = pop[chosen[p]]
        b = pop[chosen[p + 1]]
        c = points[p]
        d = points[p + 1] if p + 1 < m else spare
        if pc >= 1.0 or (pc > 0.0 and draws.uniform01(rng) < pc):
            if s.uniform_inline == 1:
                _crossover.uniform_pair(a, b, c, d, rng)
            else:
                crossover(a, b, c, d, cp, cwork, rng)
            s.crossings += 1
        else:
            copy_into(a, c)
            copy_into(b, d)
        if not whole:
            _vary(s, c, a, pop, mp, box, rng, mutate)
            if p + 1 < m:
                _vary(s, d, b, pop, mp, box, rng, mutate)
    if whole:
        mutate(points[:m].reshape(m * points.shape[1]), mp, rng)
        if s.redraw_copies == 1 and mp[0] > 0.0:
            for r in range(m):
                _redraw(points[r], pop[chosen[r]], mp, rng, mutate)


@kernel(inline=True)
def _step(s, ints, floats, points, pop, popf, parents, iwork, fwork, cwork, sp, cp, mp, box,
          rng, select, crossover, mutate):
    """Take the values of the batch just evaluated; breed the next batch."""
    if run_state.record_batch(s, ints, floats, points) != run_state.RUNNING:
        return s.status
    if s.phase == START:
        for r in range(s.m):
            copy_into(points[r], pop[r])
            popf[r] = floats[s.f_at + r]
        s.phase = EVOLVE
    else:
        _replace(s, floats, points, pop, popf, parents, iwork, mp)
    wanted = s.lam if s.plus == 1 else s.pop - s.elites
    m = run_state.ask_rows(s, wanted)
    if m > 0:
        _breed(s, points, pop, popf, parents, iwork, fwork, cwork, sp, cp, mp, box, m, rng,
               select, crossover, mutate)
    return run_state.RUNNING


@kernel
def _run(state, ints, floats, points, data, evaluate):
    """Steps until a pause (``evaluate``: evaluate each batch first; otherwise take the values
    already given and make one step)."""
    s = state[0]
    pop = points[s.row_pop:s.row_pop + s.pop]
    popf = floats[s.popf_at:s.popf_at + s.pop]
    parents = ints[s.parents_at:s.parents_at + s.parents_n]
    iwork = ints[s.iwork_at:s.iwork_at + s.iwork_n]
    fwork = floats[s.fwork_at:s.fwork_at + s.fwork_n]
    cwork = ints[s.cwork_at:s.cwork_at + s.cwork_n]
    sp = floats[s.sp_at:s.sp_at + s.sp_n]
    cp = floats[s.cp_at:s.cp_at + s.cp_n]
    mp = floats[s.mp_at:s.mp_at + s.mp_n]
    box = floats[s.box_at:s.box_at + s.box_n]
    select = load_function(s.fn_select, "select", points.dtype)
    crossover = load_function(s.fn_crossover, "crossover", points.dtype)
    mutate = load_function(s.fn_mutate, "mutate", points.dtype)
    objective = load_function(s.fn_objective, "objective", points.dtype)
    rng = generator_from_handle(s.handle)
    while True:
        if evaluate:
            for r in range(s.m):
                floats[s.f_at + r] = objective(points[r], data)
        _step(s, ints, floats, points, pop, popf, parents, iwork, fwork, cwork, sp, cp, mp, box, rng,
              select, crossover, mutate)
        if not evaluate or run_state.should_pause(s):
            return s.status


@kernel
def advance(state, ints, floats, points):
    """One step with the values of the batch evaluated outside (ask/tell)."""
    return _run(state, ints, floats, points, floats[:0], False)


@kernel
def fused(state, ints, floats, points, data):
    """Evaluate and breed until a pause."""
    return _run(state, ints, floats, points, data, True)
