"""The public move-record contract (stochsearch.moves): what a user's delta reads is what the
neighbourhoods write."""
from __future__ import annotations

import numpy as np

import stochsearch as ss
from stochsearch import moves
from stochsearch._kernels import moves as kernel_moves
from stochsearch.operators import Flip, Swap, TwoOpt
from tests import kernel_calls


def test_the_public_names_are_the_layout_the_kernels_use():
    for name in moves.__all__:
        assert getattr(moves, name) is getattr(kernel_moves, name)
    assert moves.move_length(7) == moves.MOVE_HEADER + 7


def _changed(move):
    if move[moves.COUNT] == moves.RANGE:
        return set(range(move[moves.LO], move[moves.HI]))
    return set(move[moves.MOVE_HEADER:moves.MOVE_HEADER + move[moves.COUNT]].tolist())


def test_a_move_record_lists_exactly_the_changed_positions():
    rng = np.random.default_rng(0)
    for neighborhood, space, kind in ((Flip(), ss.Binary(12), moves.FLIP),
                                      (Swap(), ss.Permutation(9), moves.SWAP),
                                      (TwoOpt(), ss.Permutation(9), moves.REVERSE)):
        for _ in range(20):
            x = space.sample(rng, 1)[0]
            y, move = kernel_calls.propose(neighborhood, space, x, rng)
            assert move[moves.KIND] == kind
            assert set(np.flatnonzero(x != y).tolist()) <= _changed(move)


def test_a_user_delta_written_against_the_contract_runs_incrementally():
    @ss.jit
    def ones(x, data):
        return -float(np.sum(x.astype(np.int64)))

    @ss.jit
    def ones_delta(x_old, x_new, move, data, f_old):
        f = f_old
        ranged = move[moves.COUNT] == moves.RANGE
        lo = move[moves.LO] if ranged else moves.MOVE_HEADER
        hi = move[moves.HI] if ranged else moves.MOVE_HEADER + move[moves.COUNT]
        for c in range(lo, hi):
            i = c if ranged else move[c]
            f -= float(x_new[i]) - float(x_old[i])
        return f

    plain = ss.Problem(ss.Binary(30), objective=ones)
    incremental = ss.Problem(ss.Binary(30), objective=ones, delta=ones_delta)
    a = ss.SimulatedAnnealing().run(plain, 3000, rng=1)
    b = ss.SimulatedAnnealing().run(incremental, 3000, rng=1)
    assert a.fun == b.fun == -30.0
    np.testing.assert_array_equal(a.x, b.x)
