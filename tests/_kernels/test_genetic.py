"""The genetic algorithm's kernel against the plain-Python reference of
tests/reference/genetic.py: same draws, same arithmetic, identical trajectories, on every space
kind, with each selection, both replacements and the dial at zero."""
from __future__ import annotations

import numpy as np
import pytest

import stochsearch as ss
from stochsearch.operators import (Blend, GaussianMutation, InsertMutation, IntegerMutation,
                                   OnePoint, PartiallyMapped, Proportional, Rank, ResetMutation,
                                   RoundedSBX, SwapMutation, Tournament, Truncation)
from tests.conftest import make_problem
from tests.reference import genetic as ref
from tests.reference import integer as integer_ref

SPACES = {"real": None, "binary": None, "permutation": None, "integer": None}


def reference_operators(kind, space, case):
    """The reference functions for the operators a case uses (defaults by space), and the
    success rule (None when the mutation's strength is fixed)."""
    rate = case.get("mutation_rate", 1.0 / space.dim)
    selection = case.get("selection", Tournament())
    select = {Tournament: lambda s: ref.tournament(s.k), Rank: lambda s: ref.rank(s.pressure),
              Proportional: lambda s: ref.proportional,
              Truncation: lambda s: ref.truncation(s.fraction)}[type(selection)](selection)
    crossover = case.get("crossover")
    mutation = case.get("mutation")
    adapt = None
    if kind == "real":
        lo, up = space.lower, space.upper
        cross = {None: ref.simulated_binary(15.0, lo, up), "blx": ref.blend(0.5, lo, up),
                 "uniform": ref.uniform}[crossover if not isinstance(crossover, Blend)
                                         else "blx"]
        if isinstance(mutation, GaussianMutation):
            def make(sigma):
                return ref.gaussian(rate, sigma, lo, up)
            rule = ("spread", mutation.sigma, 1.0 / mutation.sigma)
        else:
            def make(eta):
                return ref.polynomial(rate, eta, lo, up)
            rule = ("index", 20.0, 21.0)
        mutate = make(rule[1])
        if case.get("adapt_mutation", True):
            adapt = ref.success_rule(rule[0], rule[1], 0.2, 1.0, rule[2], make)
    elif kind == "binary":
        cross = {None: ref.two_point, "uniform": ref.uniform}.get(
            crossover, ref.one_point if isinstance(crossover, OnePoint) else None)
        mutate = ref.bit_flip(rate)
    elif kind == "integer":
        cross = ref.one_point if isinstance(crossover, OnePoint) else ref.uniform
        if isinstance(crossover, RoundedSBX):
            cross = integer_ref.rounded_sbx(crossover.eta, space.lower, space.upper)
        mutation = mutation or IntegerMutation()
        mutate = integer_ref.integer_mutation(rate, mutation.sigma, mutation.reset,
                                              space.lower, space.upper)
    else:
        cross = ref.partially_mapped if isinstance(crossover, PartiallyMapped) else ref.order
        mutate = {type(None): ref.inversion_mutation, SwapMutation: ref.swap_mutation,
                  InsertMutation: ref.insert_mutation}[type(mutation)](rate)
    return select, cross, mutate, adapt


def reference_run(kind, problem, params, budget, result):
    """The reference run of ``params`` (the defaults filled in as documented)."""
    space = problem.space
    select, cross, mutate, adapt = reference_operators(kind, space, params)
    replacement = params.get("replacement", "auto")
    if replacement == "auto":
        replacement = "generational" if kind == "permutation" else "plus"
    offspring = 2 if replacement == "steady-state" else params.get("offspring")
    cap = params.get("pop_size", 100 if kind == "permutation" else min(200, 5 * space.dim + 10))
    pop_size = result.info["pop_size"]
    rate = params.get("mutation_rate", 1.0 / space.dim)
    real = kind == "real"
    return ref.genetic_algorithm(
        problem.fun, space.sample, budget, np.random.default_rng(4),
        pop_size=pop_size, select=select, crossover=cross, mutate=mutate,
        crossover_rate=params.get("crossover_rate", 0.9), elitism=params.get("elitism", 2),
        plus=replacement != "generational", offspring=offspring or pop_size, adapt=adapt,
        batch_rows=max(cap, offspring or 0),
        differential=params.get("differential", min(0.5, 1.3 / np.sqrt(space.dim)))
        if real else 0.0,
        lower=space.lower if real else None, upper=space.upper if real else None,
        redraw=params.get("redraw_copies", kind == "binary") and rate > 0.0,
        whole_batch=kind == "binary")  # bit flips: the batch mutated as one string


CASES = {
    "defaults": ("all", dict()),
    "dial at zero": ("all", dict(mutation_rate=0.0)),
    "generational": ("all", dict(pop_size=20, replacement="generational")),
    "steady-state": ("all", dict(pop_size=7, replacement="steady-state")),
    "plus, fewer offspring": ("all", dict(pop_size=9, replacement="plus", offspring=5,
                                          redraw_copies=True)),
    "plus, more offspring": ("all", dict(pop_size=6, replacement="plus", offspring=11,
                                         redraw_copies=False)),
    "rank": ("all", dict(pop_size=11, selection=Rank(pressure=1.8), elitism=0,
                         replacement="generational")),
    "proportional": ("all", dict(pop_size=10, selection=Proportional(), elitism=4,
                                 crossover_rate=0.5, mutation_rate=0.3,
                                 replacement="generational")),
    "truncation": ("all", dict(pop_size=9, selection=Truncation(fraction=0.3),
                               crossover_rate=1.0)),
    "no crossover": ("all", dict(pop_size=6, crossover_rate=0.0, elitism=2)),
    "real blend gaussian": ("real", dict(pop_size=8, crossover=Blend(),
                                         mutation=GaussianMutation())),
    "real fixed strength": ("real", dict(pop_size=8, adapt_mutation=False, differential=0.0,
                                         replacement="generational")),
    "real gaussian fixed": ("real", dict(mutation=GaussianMutation(sigma=0.3),
                                         adapt_mutation=False, differential=0.9)),
    "real uniform": ("real", dict(pop_size=8, crossover="uniform")),
    "binary one-point": ("binary", dict(pop_size=12, crossover=OnePoint())),
    "binary uniform": ("binary", dict(pop_size=12, crossover="uniform", mutation_rate=0.2)),
    "pmx swap": ("permutation", dict(pop_size=10, crossover=PartiallyMapped(),
                                      mutation=SwapMutation())),
    "integer one-point reset": ("integer", dict(pop_size=10, crossover=OnePoint(),
                                                mutation=ResetMutation(), mutation_rate=0.3)),
    "integer rounded sbx": ("integer", dict(pop_size=8, crossover=RoundedSBX(eta=3.0))),
    "integer creep": ("integer", dict(pop_size=8, mutation=IntegerMutation(sigma=0.5,
                                                                            reset=0.0))),
    "ox insert": ("permutation", dict(pop_size=10, mutation=InsertMutation(),
                                       mutation_rate=0.4)),
}


@pytest.mark.parametrize("budget", [1, 50, 777])
@pytest.mark.parametrize("case", [pytest.param((kind, name), id=f"{name}-{kind}")
                                  for name, (kinds, _) in CASES.items()
                                  for kind in (SPACES if kinds == "all" else [kinds])])
def test_genetic_algorithm_matches_reference(case, budget):
    kind, name = case
    params = CASES[name][1]
    problem = make_problem(kind, dim=7, python=True, seed=2)
    result = ss.GeneticAlgorithm(**params).run(problem, budget, rng=4, history=budget)
    best, x, trace = reference_run(kind, problem, params, budget, result)
    assert result.fun == best
    np.testing.assert_array_equal(result.x, x)
    assert np.array_equal(result.history.nfev, np.arange(1, result.nfev + 1))
    np.testing.assert_array_equal(result.history.fun, trace)


def test_whole_batch_bit_flips_are_binomial_per_child():
    """A batch mutated as one string: each child's flips (against the parent it was copied
    from, crossover off) are Binomial(n, rate), and every position flips alike."""
    from scipy import stats
    n, rate, flips = 50, 0.04, []
    opt = ss.GeneticAlgorithm(pop_size=40, crossover_rate=0.0, redraw_copies=False,
                              replacement="generational", elitism=0, mutation_rate=rate)
    for seed in range(100):
        state = opt.init(ss.Binary(n), 1000, rng=seed)
        opt.tell(state, opt.ask(state), np.zeros(40))
        children = opt.ask(state)
        assert int(state.fields.whole_batch) == 1
        row = int(state.fields.row_pop)
        parents = state.points[row:row + 40][state.block("parents")[:40]]
        flips.append(children != parents)
    flips = np.concatenate(flips).astype(float)
    counts = flips.sum(axis=1).astype(int)
    expected = stats.binom(n, rate)
    top = int(expected.ppf(0.999))
    observed = np.bincount(np.minimum(counts, top), minlength=top + 1)
    probabilities = np.append(expected.pmf(np.arange(top)), expected.sf(top - 1))
    assert stats.chisquare(observed, probabilities * len(flips)).pvalue > 1e-3
    assert abs(flips.mean(axis=0) - rate).max() < 5 * np.sqrt(rate * (1 - rate) / len(flips))


@pytest.mark.parametrize("redraw", [False, True])
def test_whole_batch_mutation_keeps_the_statistics_of_child_by_child(redraw):
    """The reference GA with its children mutated child by child (the draw order before the
    batch-wide bit flips) and as one string: over 120 seeds each, the final best values and
    the best values halfway agree in distribution (Kolmogorov-Smirnov and Mann-Whitney)."""
    from scipy import stats
    problem = make_problem("binary", dim=30, python=True, seed=1)
    budget = 300

    def runs(whole_batch, seeds):
        finals, halfway = [], []
        for seed in seeds:
            _, _, trace = ref.genetic_algorithm(
                problem.fun, problem.space.sample, budget, np.random.default_rng(seed),
                pop_size=12, select=ref.tournament(3), crossover=ref.uniform,
                mutate=ref.bit_flip(1 / 30), redraw=redraw, whole_batch=whole_batch)
            finals.append(trace[-1])
            halfway.append(trace[budget // 2])
        return np.array(finals), np.array(halfway)

    before = runs(False, range(120))
    after = runs(True, range(1000, 1120))
    for b, a in zip(before, after, strict=True):
        assert np.std(b) > 0  # the comparison has something to compare
        assert stats.ks_2samp(b, a).pvalue > 0.01
        assert stats.mannwhitneyu(b, a).pvalue > 0.01
