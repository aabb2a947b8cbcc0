"""Tests of the bitstring problems (problems/bitstrings.py): agreement with the references,
known optima, incremental evaluation equal to full evaluation, seeded instances, errors."""
from __future__ import annotations

import itertools
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stochsearch as ss
from stochsearch import PROBLEMS
from stochsearch.operators import BitMutation, FastBitMutation, Flip
from stochsearch.problems import _bitstring_kernels as bitstring_kernels
from stochsearch.problems import bitstring_models, bitstrings
from stochsearch.problems._instances import UNIT
from stochsearch.problems.bitstrings import (NK, ContinuousPeaks, FlipFlop, FourPeaks, Knapsack,
                                              LeadingOnes, MaxKColor, MaxSat, OneMax, SixPeaks,
                                              Trap)
from tests import kernel_calls
from tests.reference import discrete as ref


def nk_reference(p):
    n, k = int(p.data[0]), int(p.data[1])
    links = p.data[3:3 + n * k].astype(int).reshape(n, k)
    tables = p.data[3 + n * k:3 + n * k + n * 2 ** (k + 1)].reshape(n, -1)
    return lambda x: ref.nk(x, links, tables, UNIT)


def knapsack_reference(p, repair):
    return lambda x: ref.knapsack(x, p.weights, p.values, p.capacity, repair)


INSTANCES = {
    "onemax": (OneMax(23), ref.one_max),
    "leadingones": (LeadingOnes(23), ref.leading_ones),
    "fourpeaks": (FourPeaks(23, t=3), lambda x: ref.four_peaks(x, 3)),
    "sixpeaks": (SixPeaks(23, t=3), lambda x: ref.six_peaks(x, 3)),
    "continuouspeaks": (ContinuousPeaks(23, t=3), lambda x: ref.continuous_peaks(x, 3)),
    "flipflop": (FlipFlop(23), ref.flip_flop),
    "trap": (Trap(24, k=4), lambda x: ref.trap(x, 4)),
    "nk-adjacent": (NK(16, 3, seed=1), None),
    "nk-random": (NK(16, 4, neighbors="random", seed=2), None),
    "knapsack-penalty": (Knapsack(20, seed=3), None),
    "knapsack-repair": (Knapsack(20, constraint="repair", seed=3), None),
    "maxsat": (MaxSat(20, seed=4), None),
    "maxkcolor": (MaxKColor(12, k=3, seed=5), None),
}
REFERENCES = {
    "nk-adjacent": nk_reference(INSTANCES["nk-adjacent"][0]),
    "nk-random": nk_reference(INSTANCES["nk-random"][0]),
    "knapsack-penalty": knapsack_reference(INSTANCES["knapsack-penalty"][0], False),
    "knapsack-repair": knapsack_reference(INSTANCES["knapsack-repair"][0], True),
    "maxsat": lambda x: ref.max_sat(x, INSTANCES["maxsat"][0].data[2:].astype(int)
                                    .reshape(-1, 3)),
    "maxkcolor": lambda x: ref.max_k_color(x, INSTANCES["maxkcolor"][0].edges, 3),
}


def reference_of(name):
    return INSTANCES[name][1] or REFERENCES[name]


def special_points(n):
    half = np.r_[np.ones(n // 2), np.zeros(n - n // 2)]
    return np.array([np.zeros(n), np.ones(n), np.arange(n) % 2, half, half[::-1]],
                    dtype=np.int8)


@pytest.mark.parametrize("name", INSTANCES)
def test_objective_matches_the_reference(name):
    problem, reference = INSTANCES[name][0], reference_of(name)
    X = np.vstack([special_points(problem.dim),
                   problem.space.sample(np.random.default_rng(0), 200)])
    np.testing.assert_array_equal(problem.evaluate(X), [reference(x) for x in X])


@pytest.mark.parametrize("name", INSTANCES)
def test_known_optimum_is_the_value_at_x_opt_and_a_lower_bound(name):
    problem = INSTANCES[name][0]
    if problem.f_opt is None:
        pytest.skip("no known optimum")
    if problem.x_opt is not None:
        assert problem(problem.x_opt) == problem.f_opt
    X = problem.space.sample(np.random.default_rng(1), 500)
    assert problem.evaluate(X).min() >= problem.f_opt


@pytest.mark.parametrize("n,k", [(10, 0), (10, 2), (11, 3), (8, 4), (9, 1), (12, 5)])
def test_nk_optimum_by_dynamic_programming_equals_brute_force(n, k):
    X = np.array(list(itertools.product([0, 1], repeat=n)), dtype=np.int8)
    for seed in range(2):
        problem = NK(n, k, seed=seed)
        if 2 * k > n:
            assert problem.f_opt is None
            continue
        assert problem.f_opt == problem.evaluate(X).min()


def test_knapsack_optimum_equals_brute_force():
    X = np.array(list(itertools.product([0, 1], repeat=12)), dtype=np.int8)
    for constraint in ("penalty", "repair"):
        problem = Knapsack(12, constraint=constraint, seed=7)
        assert problem.f_opt == problem.evaluate(X).min() == problem(problem.x_opt)
    values = Knapsack(12, seed=7).evaluate(X)
    feasible = X @ Knapsack(12, seed=7).weights <= Knapsack(12, seed=7).capacity
    assert values[~feasible].min() > 0 >= values[feasible].max()


@pytest.mark.parametrize("name", ["onemax", "nk-adjacent", "nk-random"])
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(1, 20))
@settings(max_examples=60, deadline=None)
def test_incremental_evaluation_equals_full_evaluation(name, seed, k):
    problem = INSTANCES[name][0]
    rng = np.random.default_rng(seed)
    x = problem.space.sample(rng, 1)[0]
    for _ in range(20):
        y, move = kernel_calls.propose(Flip(k), problem.space, x, rng)
        f_x = problem(x)
        assert problem.delta(x, y, move, problem.data, f_x) == problem(y)
        x = y


def _bitstring_problems_with_a_delta():
    """Every bitstring problem of the catalogue that offers an incremental ``delta``, built
    small, with its variants (NK's neighbourhoods and a larger k)."""
    out = []
    for module in (bitstrings, bitstring_models):
        for name in module.__all__:
            cls = getattr(module, name)
            special = {MaxKColor: dict(vertices=12), Trap: dict(n=36, k=4)}
            problem = cls(**special.get(cls, dict(n=36)))
            if problem.delta is not None:
                out.append(problem)
    out += [NK(36, k=4, neighbors="random", seed=2), NK(36, k=1, seed=3)]
    return out


WITH_DELTA = _bitstring_problems_with_a_delta()


def test_the_bitstring_problems_with_a_delta_are_known():
    """If a problem gains a delta, it joins the multi-bit test below automatically."""
    assert {type(p).__name__ for p in WITH_DELTA} == {"OneMax", "NK"}


@pytest.mark.parametrize("problem", WITH_DELTA, ids=lambda p: p.name)
@pytest.mark.parametrize("move", [BitMutation(), BitMutation(rate=0.2), BitMutation(rate=0.7),
                                  FastBitMutation()], ids=repr)
def test_incremental_evaluation_of_multi_bit_moves_equals_full_evaluation(problem, move):
    """Standard bit mutation lists several flipped positions in one FLIP record (more than 16
    at rate 0.7, where NK falls back to a full evaluation)."""
    rng = np.random.default_rng(11)
    x = problem.space.sample(rng, 1)[0]
    counts = set()
    for _ in range(200):
        y, move_record = kernel_calls.propose(move, problem.space, x, rng)
        counts.add(int(move_record[1]))
        f_x = problem(x)
        assert problem.delta(x, y, move_record, problem.data, f_x) == problem(y)
        x = y
    assert max(counts) >= 2


@pytest.mark.parametrize("optimizer", [ss.SimulatedAnnealing(), ss.RandomRestartHillClimbing(),
                                       ss.SimulatedAnnealing(move=Flip(3)),
                                       ss.SimulatedAnnealing(move=BitMutation()),
                                       ss.RandomRestartHillClimbing(move=FastBitMutation())],
                         ids=repr)
@pytest.mark.parametrize("name", ["onemax", "nk-random"])
def test_runs_with_incremental_evaluation_equal_runs_without(optimizer, name):
    problem = INSTANCES[name][0]
    plain = ss.Problem(problem.space, objective=problem.objective, data=problem.data)
    a, b = optimizer.run(problem, 3000, rng=1), optimizer.run(plain, 3000, rng=1)
    assert a.fun == b.fun and a.nfev == b.nfev == 3000
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.history.fun, b.history.fun)


@pytest.mark.parametrize("seed", range(3))
def test_annealing_solves_onemax_100_and_leadingones_50(seed):
    sa = ss.SimulatedAnnealing()
    assert sa.run(OneMax(100), 20_000, rng=seed).fun == -100
    assert sa.run(LeadingOnes(50), 50_000, rng=seed).fun == -50


@pytest.mark.parametrize("seed", range(3))
def test_hill_climbing_solves_nk_with_k_zero_exactly(seed):
    problem = NK(60, 0, seed=seed)
    result = ss.RandomRestartHillClimbing(restarts=0).run(problem, 20_000, rng=seed)
    assert result.fun == problem.f_opt and result.status == ss.Status.CONVERGED


def test_instances_are_seeded_pickled_and_registered():
    for problem, _ in INSTANCES.values():
        clone = pickle.loads(pickle.dumps(problem))
        assert clone.name == problem.name and np.array_equal(clone.data, problem.data)
        assert PROBLEMS.get(problem.name.split("-")[0]) is type(problem)
    assert not np.array_equal(NK(16, 3, seed=1).data, NK(16, 3, seed=2).data)
    assert set(bitstrings.__all__) <= set(ss.problems.__all__)


def test_peaks_threshold_and_optimum():
    assert FourPeaks(100).t == 10 and FourPeaks(100).f_opt == -189
    assert FourPeaks(10, t=5).f_opt == -10   # the reward is out of reach


@pytest.mark.parametrize("build,message", [
    (lambda: NK(10, 10), "k must be less than n=10 in an NK landscape .*, got 10"),
    (lambda: NK(10, -1), "k must be a non-negative integer, got -1"),
    (lambda: NK(10, 2, neighbors="ring"), "neighbors must be one of 'adjacent', 'random'"),
    (lambda: Trap(10, k=3), "n must be a multiple of the trap size k=3, got 10"),
    (lambda: OneMax(0), "n must be a positive integer, got 0"),
    (lambda: Knapsack(10, capacity=1.5), "capacity must be a finite number > 0.0"),
    (lambda: MaxKColor(4, k=2, edges=10), r"edges must be at most \d+ .*, got 10"),
    (lambda: MaxKColor(4, k=1), "k must be an integer >= 2, got 1"),
])
def test_bad_parameters_are_refused(build, message):
    with pytest.raises(ValueError, match=message):
        build()


@ss.jit
def _runs(x, bit):
    return bitstring_kernels.head(x, bit), bitstring_kernels.tail(x, bit)


@settings(max_examples=300, deadline=None)
@given(lead=st.integers(0, 40), middle=st.lists(st.integers(0, 1), max_size=12),
       trail=st.integers(0, 40), bit=st.integers(0, 1))
def test_head_and_tail_read_by_words_count_runs_as_a_loop_over_bits_does(lead, middle, trail,
                                                                        bit):
    x = np.array([bit] * lead + middle + [1 - bit] * trail, dtype=np.int8)
    expected_head = next((i for i, v in enumerate(x) if v != bit), x.size)
    expected_tail = next((i for i, v in enumerate(x[::-1]) if v != bit), x.size)
    assert _runs(x, bit) == (expected_head, expected_tail)
    assert _runs(x.astype(np.int64), bit) == (expected_head, expected_tail)   # no word reads
