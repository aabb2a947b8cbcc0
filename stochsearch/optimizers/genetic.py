"""The genetic algorithm: a population evolved by selection, crossover and mutation."""
from __future__ import annotations

from .._kernels import book
from .._kernels import genetic as kernel
from .._validation import check_choice, check_int, check_probability
from ..operators.crossover import resolve_crossover
from ..operators.mutation import resolve_mutation
from ..operators.selection import resolve_selection
from ..registry import OPTIMIZERS
from .base import Optimizer, Settings

__all__ = ["GeneticAlgorithm"]


@OPTIMIZERS.register("ga")
class GeneticAlgorithm(Optimizer):
    """Genetic algorithm (Holland 1975; Goldberg 1989) on Real, Binary and Permutation spaces.

    The initial population is drawn by the initializer (``init=`` of ``run``). Each step breeds
    children: parents chosen by ``selection``, paired in order, crossed with probability
    ``crossover_rate`` (else copied) and mutated. The operators are small objects
    (``stochsearch.operators``) that can be swapped, or written by a user.

    Parameters
    ----------
    pop_size : int
        Members of the population (at least 2).
    selection : str or Selection
        ``"tournament"`` (default, ``Tournament(k=3)``), ``"rank"``, ``"proportional"``,
        ``"truncation"``, or an instance such as ``Tournament(k=5)``.
    crossover : str or Crossover, optional
        Real: ``"sbx"`` (default), ``"blx"``, ``"uniform"``, ``"one_point"``, ``"two_point"``;
        Binary: ``"two_point"`` (default), ``"one_point"``, ``"uniform"``; Permutation:
        ``"ox"`` (default), ``"pmx"``. A crossover that does not fit the space is refused when
        the run starts.
    mutation : str or Mutation, optional
        Real: ``"polynomial"`` (default), ``"gaussian"``; Binary: ``"bitflip"``; Permutation:
        ``"inversion"`` (default), ``"swap"``, ``"insert"``.
    crossover_rate : float
        Probability that a pair of parents is crossed rather than copied.
    mutation_rate : float, optional
        Probability per gene (a bit flips, a Real gene moves, a position of a permutation
        starts a move); default ``1 / n``.
    elitism : int
        With generational replacement, the number of best members carried over unchanged
        (the others are replaced by ``pop_size - elitism`` children each generation). The
        default 2 (not 1): on FourPeaks-100, whose runs end either near the global optimum
        or on the 100 plateau, it doubles how often a run keeps a good building block
        (median 189 instead of 141.5 over 20 seeds, bench/perf_discrete.py's setting).
    replacement : {"generational", "steady-state"}
        ``"steady-state"`` breeds two children a step, each replacing the worst member unless
        it is worse (so the best members always survive; ``elitism`` does not apply).

    Notes
    -----
    The randomness dial at zero is ``mutation_rate=0`` with a population of copies of one
    point (``init=x0``): every child is then a copy of ``x0``.

    Examples
    --------
    >>> from stochsearch.problems import OneMax
    >>> result = GeneticAlgorithm(pop_size=50).run(OneMax(30), budget=5_000, rng=0)
    >>> result.fun
    -30.0
    """

    name = "ga"
    alg_ints = kernel.N_INTS
    alg_floats = kernel.N_FLOATS
    _advance = kernel.advance
    _fused = kernel.fused

    def __init__(self, pop_size: int = 100, selection="tournament", crossover=None,
                 mutation=None, crossover_rate: float = 0.9, mutation_rate: float | None = None,
                 elitism: int = 2, replacement: str = "generational"):
        self.pop_size = pop_size
        self.selection = selection
        self.crossover = crossover
        self.mutation = mutation
        self.crossover_rate = crossover_rate
        self.mutation_rate = mutation_rate
        self.elitism = elitism
        self.replacement = replacement

    def _settings(self, space):
        pop_size = check_int("pop_size", self.pop_size, low=2)
        selection = resolve_selection(self.selection, space)
        selection.check_population(pop_size)
        crossover = resolve_crossover(self.crossover, space)
        mutation = resolve_mutation(self.mutation, space)
        mutation_params = mutation.pack(space)
        if self.mutation_rate is not None:
            mutation_params[0] = check_probability("mutation_rate", self.mutation_rate)
        return Settings(
            functions=[(selection.select, "select"), (crossover.crossover, "crossover"),
                       (mutation.mutate, "mutate")],
            pop_size=pop_size, selection=selection, crossover=crossover, mutation=mutation,
            crossover_rate=check_probability("crossover_rate", self.crossover_rate),
            elitism=check_int("elitism", self.elitism, low=0, high=pop_size - 1),
            steady=check_choice("replacement", self.replacement,
                                ["generational", "steady-state"]) == "steady-state",
            params={"sp": selection.pack(space), "cp": crossover.pack(space),
                    "mp": mutation_params})

    def _batch_rows(self, settings, space):
        return settings.pop_size

    def _allocate(self, layout, space, settings):
        n = settings.pop_size
        offsets = {"pop": layout.rows(n), "spare": layout.rows(1), "popf": layout.floats(n),
                   "parents": layout.ints(n + 1), "iwork": layout.ints(2 * n),
                   "fwork": layout.floats(n), "cwork": layout.ints(2 * space.dim)}
        for key, values in settings.params.items():
            offsets[key] = layout.floats(len(values))
        return offsets

    def _start(self, state):
        s, i, f, off = state.settings, state.ints, state.floats, state.offsets
        i[kernel.POP] = s.pop_size
        i[kernel.ELITES] = s.elitism
        i[kernel.STEADY] = s.steady
        i[kernel.ROW_POP] = off["pop"]
        i[kernel.ROW_SPARE] = off["spare"]
        for slot, key in ((kernel.OFF_POPF, "popf"), (kernel.OFF_PARENTS, "parents"),
                          (kernel.OFF_IWORK, "iwork"), (kernel.OFF_FWORK, "fwork"),
                          (kernel.OFF_CWORK, "cwork")):
            i[slot] = off[key]
        for slot, key in ((kernel.OFF_SP, "sp"), (kernel.OFF_CP, "cp"), (kernel.OFF_MP, "mp")):
            values = s.params[key]
            i[slot], i[slot + 1] = off[key], len(values)
            f[off[key]:off[key] + len(values)] = values
        f[kernel.PC] = s.crossover_rate
        i[kernel.PHASE] = kernel.START
        i[book.M] = state.batch_rows
        i[book.REQUEST] = book.REQUEST_SAMPLE

    def _info(self, state):
        return {"generations": int(state.ints[kernel.GENERATIONS]),
                "crossovers": int(state.ints[kernel.CROSSINGS])}
