"""The genetic algorithm as a state machine (see ``optimizers.genetic``).

Phases: START evaluates the initial population (drawn by the initializer, ``pop`` rows);
EVOLVE takes the values of the offspring just evaluated, replaces members of the population with
them, and breeds the next offspring into the batch rows: parents chosen by the selection
operator (all of them in one call), paired in order, crossed with probability ``pc`` (else
copied), and mutated. Generational replacement keeps the ``elites`` best members and breeds
``pop - elites`` children a step; steady-state replacement breeds two children a step, and each
replaces the worst member unless it is worse than it.

The population is ``pop`` rows of ``points`` (``row_pop``) with its values in a ``floats``
block (``popf``); an odd number of children leaves the second child of the last pair in a spare
row (``row_spare``), unmutated and never evaluated.
"""
from __future__ import annotations

import numpy as np

from . import run_state
# The operator modules declare the roles "select", "crossover" and "mutate".
from . import crossover as _crossover, mutation as _mutation, selection as _selection  # noqa: F401
from .addresses import generator_from_handle, load_function
from .jit import kernel
from .moves import copy_into

I, F = np.int64, np.float64
STATE = run_state.declare(
    [("phase", I), ("pop", I), ("elites", I), ("steady", I),
     ("generations", I),              # replacements done
     ("crossings", I),                # pairs crossed
     ("pc", F)],                      # crossover probability
    int_blocks=("parents",            # pop + 1 indices chosen by selection
                "iwork",              # 2 * pop ints of selection scratch
                "cwork"),             # 2 * dim ints of crossover scratch
    float_blocks=("popf",             # values of the population
                  "fwork",            # pop floats of selection scratch
                  "sp", "cp", "mp"),  # the operators' parameters
    rows=("pop", "spare"), functions=("select", "crossover", "mutate"))

# phases
START = 0
EVOLVE = 1


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
def _replace(s, floats, points, pop, popf):
    """Put the offspring just evaluated into the population."""
    m = s.m
    f_slot = s.f_at
    if s.steady == 1:
        for r in range(m):
            worst = 0
            for i in range(1, popf.size):
                if popf[i] > popf[worst]:
                    worst = i
            if floats[f_slot + r] <= popf[worst]:
                copy_into(points[r], pop[worst])
                popf[worst] = floats[f_slot + r]
        return
    elites = s.elites
    for i in range(elites):  # the best members move to the front, in order
        best = i
        for j in range(i + 1, popf.size):
            if popf[j] < popf[best]:
                best = j
        if best != i:
            _swap_rows(pop, popf, i, best)
    for r in range(m):
        copy_into(points[r], pop[elites + r])
        popf[elites + r] = floats[f_slot + r]
    s.generations += 1


@kernel(inline=True)
def _breed(s, points, pop, popf, parents, iwork, fwork, cwork, sp, cp, mp, m, rng,
           select, crossover, mutate):
    """Fill batch rows 0 .. m-1 with children of the population."""
    chosen = parents[:m + (m & 1)]
    select(popf, chosen, iwork, fwork, sp, rng)
    pc = s.pc
    spare = points[s.row_spare]
    for p in range(0, m, 2):
        a = pop[chosen[p]]
        b = pop[chosen[p + 1]]
        c = points[p]
        d = points[p + 1] if p + 1 < m else spare
        if pc >= 1.0 or (pc > 0.0 and rng.random() < pc):
            crossover(a, b, c, d, cp, cwork, rng)
            s.crossings += 1
        else:
            copy_into(a, c)
            copy_into(b, d)
        mutate(c, mp, rng)
        if p + 1 < m:
            mutate(d, mp, rng)


@kernel(inline=True)
def _step(s, ints, floats, points, pop, popf, parents, iwork, fwork, cwork, sp, cp, mp, rng,
          select, crossover, mutate):
    """Take the values of the batch just evaluated; breed the next batch."""
    if run_state.record_batch(s, ints, floats, points) != run_state.RUNNING:
        return s.status
    if s.phase == START:
        for r in range(s.m):
            copy_into(points[r], pop[r])
            popf[r] = floats[s.f_at + r]
        s.phase = EVOLVE
    else:
        _replace(s, floats, points, pop, popf)
    wanted = 2 if s.steady == 1 else s.pop - s.elites
    m = run_state.ask_rows(s, wanted)
    if m > 0:
        _breed(s, points, pop, popf, parents, iwork, fwork, cwork, sp, cp, mp, m, rng,
               select, crossover, mutate)
    return run_state.RUNNING


@kernel
def _run(state, ints, floats, points, data, evaluate):
    """Steps until a pause (``evaluate``: evaluate each batch first; otherwise take the values
    already given and make one step)."""
    s = state[0]
    pop = points[s.row_pop:s.row_pop + s.pop]
    popf = floats[s.popf_at:s.popf_at + s.popf_n]
    parents = ints[s.parents_at:s.parents_at + s.parents_n]
    iwork = ints[s.iwork_at:s.iwork_at + s.iwork_n]
    fwork = floats[s.fwork_at:s.fwork_at + s.fwork_n]
    cwork = ints[s.cwork_at:s.cwork_at + s.cwork_n]
    sp = floats[s.sp_at:s.sp_at + s.sp_n]
    cp = floats[s.cp_at:s.cp_at + s.cp_n]
    mp = floats[s.mp_at:s.mp_at + s.mp_n]
    select = load_function(s.fn_select, "select", points.dtype)
    crossover = load_function(s.fn_crossover, "crossover", points.dtype)
    mutate = load_function(s.fn_mutate, "mutate", points.dtype)
    objective = load_function(s.fn_objective, "objective", points.dtype)
    rng = generator_from_handle(s.handle)
    while True:
        if evaluate:
            for r in range(s.m):
                floats[s.f_at + r] = objective(points[r], data)
        _step(s, ints, floats, points, pop, popf, parents, iwork, fwork, cwork, sp, cp, mp, rng,
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
