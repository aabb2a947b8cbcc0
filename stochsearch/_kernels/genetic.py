"""The genetic algorithm as a state machine (see ``optimizers.genetic``).

Phases: START evaluates the initial population (drawn by the initializer, ``POP`` rows);
EVOLVE takes the values of the offspring just evaluated, replaces members of the population with
them, and breeds the next offspring into the batch rows: parents chosen by the selection
operator (all of them in one call), paired in order, crossed with probability ``PC`` (else
copied), and mutated. Generational replacement keeps the ``ELITES`` best members and breeds
``POP - ELITES`` children a step; steady-state replacement breeds two children a step, and each
replaces the worst member unless it is worse than it.

The population is ``POP`` rows of ``points`` (``ROW_POP``) with its values in ``floats``
(``OFF_POPF``); an odd number of children leaves the second child of the last pair in a spare
row (``ROW_SPARE``), unmutated and never evaluated.
"""
from __future__ import annotations

from . import book
# The operator modules declare the roles "select", "crossover" and "mutate".
from . import crossover as _crossover, mutation as _mutation, selection as _selection  # noqa: F401
from .jit import kernel
from .moves import copy_into
from .native import generator_from_handle, load_function

# ints
PHASE = book.ALG + 0
POP = book.ALG + 1
ELITES = book.ALG + 2
STEADY = book.ALG + 3
ROW_POP = book.ALG + 4
ROW_SPARE = book.ALG + 5
OFF_POPF = book.ALG + 6          # floats offset: values of the population
OFF_PARENTS = book.ALG + 7       # POP + 1 indices chosen by selection
OFF_IWORK = book.ALG + 8         # 2 * POP ints of selection scratch
OFF_FWORK = book.ALG + 9         # POP floats of selection scratch
OFF_CWORK = book.ALG + 10        # 2 * dim ints of crossover scratch
OFF_SP = book.ALG + 11           # floats offsets and lengths of the operators' parameters
N_SP = book.ALG + 12
OFF_CP = book.ALG + 13
N_CP = book.ALG + 14
OFF_MP = book.ALG + 15
N_MP = book.ALG + 16
GENERATIONS = book.ALG + 17      # replacements done
CROSSINGS = book.ALG + 18        # pairs crossed
N_INTS = 19
# floats
PC = book.F_ALG + 0
N_FLOATS = 1
# functions
FN_SELECT = book.FN_ALG + 0
FN_CROSSOVER = book.FN_ALG + 1
FN_MUTATE = book.FN_ALG + 2
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
def _replace(ints, floats, points, pop, popf):
    """Put the offspring just evaluated into the population."""
    m = ints[book.M]
    f_slot = ints[book.OFF_F]
    if ints[STEADY] == 1:
        for r in range(m):
            worst = 0
            for i in range(1, popf.size):
                if popf[i] > popf[worst]:
                    worst = i
            if floats[f_slot + r] <= popf[worst]:
                copy_into(points[r], pop[worst])
                popf[worst] = floats[f_slot + r]
        return
    elites = ints[ELITES]
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
    ints[GENERATIONS] += 1


@kernel(inline=True)
def _breed(ints, floats, points, pop, popf, parents, iwork, fwork, cwork, sp, cp, mp, m, rng,
           select, crossover, mutate):
    """Fill batch rows 0 .. m-1 with children of the population."""
    chosen = parents[:m + (m & 1)]
    select(popf, chosen, iwork, fwork, sp, rng)
    pc = floats[PC]
    spare = points[ints[ROW_SPARE]]
    for p in range(0, m, 2):
        a = pop[chosen[p]]
        b = pop[chosen[p + 1]]
        c = points[p]
        d = points[p + 1] if p + 1 < m else spare
        if pc >= 1.0 or (pc > 0.0 and rng.random() < pc):
            crossover(a, b, c, d, cp, cwork, rng)
            ints[CROSSINGS] += 1
        else:
            copy_into(a, c)
            copy_into(b, d)
        mutate(c, mp, rng)
        if p + 1 < m:
            mutate(d, mp, rng)


@kernel(inline=True)
def _step(ints, floats, points, pop, popf, parents, iwork, fwork, cwork, sp, cp, mp, rng,
          select, crossover, mutate):
    """Take the values of the batch just evaluated; breed the next batch."""
    if book.record_batch(ints, floats, points) != book.RUNNING:
        return ints[book.STATUS]
    if ints[PHASE] == START:
        f_slot = ints[book.OFF_F]
        for r in range(ints[book.M]):
            copy_into(points[r], pop[r])
            popf[r] = floats[f_slot + r]
        ints[PHASE] = EVOLVE
    else:
        _replace(ints, floats, points, pop, popf)
    wanted = 2 if ints[STEADY] == 1 else ints[POP] - ints[ELITES]
    m = book.ask_rows(ints, wanted)
    if m > 0:
        _breed(ints, floats, points, pop, popf, parents, iwork, fwork, cwork, sp, cp, mp, m, rng,
               select, crossover, mutate)
    return book.RUNNING


@kernel
def _operators(ints, dtype):
    return (load_function(book.function_address(ints, FN_SELECT), "select", dtype),
            load_function(book.function_address(ints, FN_CROSSOVER), "crossover", dtype),
            load_function(book.function_address(ints, FN_MUTATE), "mutate", dtype))


@kernel
def _run(ints, floats, points, data, handle, evaluate):
    """Steps until a pause (``evaluate``: evaluate each batch first; otherwise take the values
    already given and make one step)."""
    n_pop = ints[POP]
    dim = points.shape[1]
    pop = points[ints[ROW_POP]:ints[ROW_POP] + n_pop]
    popf = floats[ints[OFF_POPF]:ints[OFF_POPF] + n_pop]
    parents = ints[ints[OFF_PARENTS]:ints[OFF_PARENTS] + n_pop + 1]
    iwork = ints[ints[OFF_IWORK]:ints[OFF_IWORK] + 2 * n_pop]
    fwork = floats[ints[OFF_FWORK]:ints[OFF_FWORK] + n_pop]
    cwork = ints[ints[OFF_CWORK]:ints[OFF_CWORK] + 2 * dim]
    sp = floats[ints[OFF_SP]:ints[OFF_SP] + ints[N_SP]]
    cp = floats[ints[OFF_CP]:ints[OFF_CP] + ints[N_CP]]
    mp = floats[ints[OFF_MP]:ints[OFF_MP] + ints[N_MP]]
    select, crossover, mutate = _operators(ints, points.dtype)
    objective = load_function(book.function_address(ints, book.FN_OBJECTIVE), "objective",
                              points.dtype)
    rng = generator_from_handle(handle)
    f_slot = ints[book.OFF_F]
    while True:
        if evaluate:
            for r in range(ints[book.M]):
                floats[f_slot + r] = objective(points[r], data)
        _step(ints, floats, points, pop, popf, parents, iwork, fwork, cwork, sp, cp, mp, rng,
              select, crossover, mutate)
        if not evaluate or book.should_pause(ints):
            return ints[book.STATUS]


@kernel
def advance(ints, floats, points, handle):
    """One step with the values of the batch evaluated outside (ask/tell)."""
    return _run(ints, floats, points, floats[:0], handle, False)


@kernel
def fused(ints, floats, points, data, handle):
    """Evaluate and breed until a pause."""
    return _run(ints, floats, points, data, handle, True)
