import gc
import pickle

import numpy as np
import pytest

from stochsearch._kernels.addresses import generator_from_handle
from stochsearch._kernels.jit import jit
from stochsearch import _rng
from stochsearch._rng import as_generator, generator_handle, seed_for_key, spawn


def test_seeds_are_interpreted_once_and_recorded():
    gen, seed = as_generator(12)
    assert seed == 12 and gen.random() == np.random.default_rng(12).random()
    gen, seed = as_generator(None)
    assert isinstance(seed, int)
    assert as_generator(seed)[0].random() == gen.random()
    existing = np.random.default_rng(1)
    assert as_generator(existing) == (existing, None)
    with pytest.raises(TypeError, match="rng must be None, an integer seed"):
        as_generator(1.5)
    with pytest.raises(ValueError, match="non-negative"):
        as_generator(-3)


def test_task_seeds_depend_on_the_key_only():
    a = seed_for_key(0, ("sa", "rastrigin-10", 3))
    b = seed_for_key(0, ("sa", "rastrigin-10", 3))
    c = seed_for_key(0, ("sa", "rastrigin-10", 4))
    assert a.generate_state(4).tolist() == b.generate_state(4).tolist()
    assert a.generate_state(4).tolist() != c.generate_state(4).tolist()
    assert seed_for_key(1, ("sa",)).generate_state(1) != seed_for_key(0, ("sa",)).generate_state(1)


def test_spawned_streams_are_independent_and_reproducible():
    first = [g.random() for g in spawn(np.random.default_rng(5), 3)]
    again = [g.random() for g in spawn(np.random.default_rng(5), 3)]
    assert first == again and len(set(first)) == 3


def test_handle_draws_equal_numpy_draws_and_advance_the_generator():
    @jit
    def draw(handle):
        rng = generator_from_handle(handle)
        return (rng.random(), rng.standard_normal(), rng.standard_cauchy(),
                rng.integers(0, 1000), rng.uniform(-2.0, 3.0))

    ours, theirs = np.random.default_rng(42), np.random.default_rng(42)
    got = draw(generator_handle(ours))
    expected = (theirs.random(), theirs.standard_normal(), theirs.standard_cauchy(),
                theirs.integers(0, 1000), theirs.uniform(-2.0, 3.0))
    assert got == expected
    assert ours.random() == theirs.random()


def test_handle_keeps_its_generator_alive():
    handle = generator_handle(np.random.default_rng(3))
    gc.collect()
    @jit
    def draw(h):
        return generator_from_handle(h).random()

    assert draw(handle) == np.random.default_rng(3).random()


@pytest.mark.parametrize("make", [
    lambda: 5, lambda: np.uint16(5), lambda: [5, 6], lambda: (5, 6), lambda: np.array([5, 6]),
    lambda: np.random.SeedSequence(5), lambda: np.random.PCG64(5),
    lambda: np.random.Philox(5), lambda: np.random.default_rng(5)],
    ids=["int", "numpy-int", "list", "tuple", "array", "SeedSequence", "PCG64", "Philox",
         "Generator"])
def test_rng_accepts_what_default_rng_accepts_with_the_same_stream(make):
    ours, _ = as_generator(make())
    theirs = np.random.default_rng(make())
    assert ours.random(4).tolist() == theirs.random(4).tolist()


@pytest.mark.parametrize("bad,error,message", [
    (1.5, TypeError, "got 1.5"), ("7", TypeError, "got '7'"), (True, TypeError, "got True"),
    (np.random.RandomState(0), TypeError, "RandomState"), ([1, -2], ValueError, "non-negative"),
    ([], ValueError, "sequence"), ([1.5, 2.0], ValueError, "integer seeds")])
def test_rng_refuses_the_rest_with_a_clear_error(bad, error, message):
    with pytest.raises(error, match=message):
        as_generator(bad)


_LARGE = [2**31 - 1, 2**32 - 1, 2**32, 2**32 + 1, 2**63 - 1, 2**63, 2**64 - 1, 2**64,
          2**64 + 7, 2**96 + 12345, 2**127 + 5, 2**128 - 1, 2**128, 2**200 + 3, 10**40]


@pytest.mark.parametrize("cached", [True, False], ids=["remembered", "computed"])
def test_integer_seeds_give_default_rngs_stream_exactly(cached, monkeypatch):
    # The fast seeding of integer seeds (_rng._Seeds) must be default_rng(seed), bit for bit:
    # the PCG64 state it sets and the draws after it, for small, 32/64/128-bit and larger
    # seeds and numpy integers, whether its words come from the cache or are computed.
    if not cached:
        monkeypatch.setattr(_rng, "_KEEP", 0)     # cleared before every insertion
    assert _rng._RESTORE                      # the fast path is taken with this numpy
    seeds = list(range(2000)) + _LARGE + [np.uint64(2**64 - 1), np.int32(7), np.int64(2**40)]
    for _ in range(2 if cached else 1):
        for seed in seeds:
            ours, recorded = as_generator(seed)
            theirs = np.random.default_rng(seed)
            assert recorded == int(seed)
            assert ours.bit_generator.state == theirs.bit_generator.state, seed
    for seed in _LARGE + [0, 99]:
        ours, theirs = as_generator(seed)[0], np.random.default_rng(seed)
        mine, numpys = ours.bit_generator.seed_seq, theirs.bit_generator.seed_seq
        assert mine.state == numpys.state and mine.pool.tolist() == numpys.pool.tolist()
        for a, b in zip(ours.spawn(2), theirs.spawn(2)):
            assert a.random(2).tolist() == b.random(2).tolist()
        assert mine.state == numpys.state       # both spawned two
        assert ours.random(3).tolist() == theirs.random(3).tolist()
        assert ours.integers(0, 2**62, 3).tolist() == theirs.integers(0, 2**62, 3).tolist()


def test_fast_seeding_stays_a_seed_sequence():
    ours, theirs = as_generator(2**70 + 1)[0], np.random.default_rng(2**70 + 1)
    mine, numpys = ours.bit_generator.seed_seq, theirs.bit_generator.seed_seq
    assert isinstance(mine, np.random.SeedSequence) and mine.state == numpys.state
    # Other requests of its state are numpy's.
    for n, dtype in ((4, np.uint64), (4, np.uint32), (8, np.uint64), (3, np.uint32)):
        assert mine.generate_state(n, dtype).tolist() == numpys.generate_state(n, dtype).tolist()
    # A caller changing the words it got does not change the next Generator of that seed.
    mine.generate_state(4, np.uint64)[:] = 0
    assert as_generator(2**70 + 1)[0].random() == np.random.default_rng(2**70 + 1).random()
    # Spawned children, and their children, draw as numpy's.
    for a, b in zip(ours.spawn(3), theirs.spawn(3)):
        assert a.random(2).tolist() == b.random(2).tolist()
        assert a.spawn(1)[0].random() == b.spawn(1)[0].random()
    child, numpys_child = mine.spawn(2)[1], numpys.spawn(2)[1]
    assert child.generate_state(2).tolist() == numpys_child.generate_state(2).tolist()
    # Pickles hold numpy's own SeedSequence, and resume the stream.
    copy = pickle.loads(pickle.dumps(ours))
    assert type(copy.bit_generator.seed_seq) is np.random.SeedSequence
    assert copy.bit_generator.seed_seq.state == mine.state
    assert copy.random(3).tolist() == ours.random(3).tolist()
    assert type(pickle.loads(pickle.dumps(mine))) is np.random.SeedSequence


def test_handle_words_of_pcg64_equal_the_capsules():
    # handle_words reads numpy's PCG64 without ctypes once it has learnt its layout: the
    # words must be those of the bitgen_t struct read through the capsule, for every one.
    generators = [as_generator(seed)[0] for seed in range(40)] + [
        np.random.default_rng(np.random.SeedSequence(3).spawn(2)[1]), np.random.default_rng()]
    for rng in generators * 2:
        expected = np.zeros(5, dtype=np.uint64)
        _rng._read_handle(rng.bit_generator, expected)
        assert _rng.handle_words(rng).tolist() == expected.tolist()
    assert len(_rng._PCG64_LAYOUT) == 5        # the fast path was taken
    for seed in range(40):                     # Generators freed at once (addresses reused)
        rng = as_generator(seed)[0]
        expected = np.zeros(5, dtype=np.uint64)
        _rng._read_handle(rng.bit_generator, expected)
        assert _rng.handle_words(rng).tolist() == expected.tolist()
        del rng
    for bit_generator in (np.random.Philox(1), np.random.MT19937(2)):
        rng = np.random.Generator(bit_generator)
        expected = np.zeros(5, dtype=np.uint64)
        _rng._read_handle(rng.bit_generator, expected)
        assert _rng.handle_words(rng).tolist() == expected.tolist()
