"""The one place where a seed is interpreted.

``rng`` may be anything ``numpy.random.default_rng`` accepts: ``None``, an ``int``, a sequence
of ints, a ``SeedSequence``, a ``BitGenerator`` or a ``Generator`` (scipy's SPEC 7 convention). It becomes a ``numpy.random.Generator`` once, at the start of a run; from then on
randomness flows from that Generator, through sub-streams that are spawned, never derived from
thread ids or scheduling order. Kernels receive the same Generator as a *handle* (raw addresses
of its bit generator), because numba's own unboxing of a Generator costs about 7 microseconds per
call, more than a step of most algorithms; see ``stochsearch._kernels.addresses``.
"""
from __future__ import annotations

import ctypes
import hashlib
import numbers
from collections.abc import Sequence
from typing import TypeAlias, Union

import numpy as np

from ._validation import describe

#: What ``rng=`` accepts everywhere: the types ``numpy.random.default_rng`` accepts.
RNGLike: TypeAlias = Union[None, int, Sequence[int], np.random.SeedSequence,
                           np.random.BitGenerator, np.random.Generator]

__all__ = ["RNGLike", "as_generator", "generator_handle", "handle_words", "seed_for_key", "spawn"]


def as_generator(rng: RNGLike = None) -> tuple[np.random.Generator, int | None]:
    """Turn ``rng`` into a Generator and the seed that reproduces it.

    Parameters
    ----------
    rng : None, int, sequence of int, SeedSequence, BitGenerator or Generator
        Whatever ``numpy.random.default_rng`` accepts (scipy's SPEC 7), with the same meaning:
        ``None`` draws fresh entropy from the operating system, which is returned as the seed so
        that the run can still be reproduced; a Generator is used as it is (and advanced); a
        BitGenerator is wrapped in a Generator (and advanced).

    Returns
    -------
    generator : numpy.random.Generator
    seed : int or None
        An integer that reproduces the stream with ``as_generator(seed)``, or ``None`` when it
        cannot be told (a Generator or BitGenerator, a sequence of ints, a spawned
        SeedSequence).

    Raises
    ------
    TypeError
        For anything ``numpy.random.default_rng`` would not accept (floats, strings, booleans,
        the legacy ``RandomState``).
    ValueError
        For a negative integer seed.

    Examples
    --------
    >>> gen, seed = as_generator(7)
    >>> seed, gen.integers(0, 100) == as_generator(7)[0].integers(0, 100)
    (7, np.True_)
    >>> as_generator([1, 2])[0].integers(0, 100) == np.random.default_rng([1, 2]).integers(0, 100)
    np.True_
    """
    if type(rng) is int and rng >= 0:       # the common case, without the ABC checks below
        return np.random.Generator(np.random.PCG64(_Seeds.of(rng))), rng
    if isinstance(rng, np.random.Generator):
        return rng, None
    if isinstance(rng, np.random.BitGenerator):
        return np.random.Generator(rng), None
    if rng is None:
        rng = np.random.SeedSequence()
    if isinstance(rng, np.random.SeedSequence):
        seed = rng.entropy if not rng.spawn_key and isinstance(rng.entropy, int) else None
        return np.random.Generator(np.random.PCG64(rng)), seed
    if isinstance(rng, bool):
        raise TypeError(f"rng must be None, an integer seed, a sequence of integer seeds, a "
                        f"numpy SeedSequence, BitGenerator or Generator, got {describe(rng)}")
    if isinstance(rng, numbers.Integral):
        if rng < 0:
            raise ValueError(f"rng must be a non-negative integer seed, got {rng}")
        return np.random.Generator(np.random.PCG64(_Seeds.of(int(rng)))), int(rng)
    if isinstance(rng, (Sequence, np.ndarray)) and not isinstance(rng, (str, bytes)):
        words = np.asarray(rng)
        if (words.ndim == 1 and words.size and words.dtype.kind in "iu"
                and not (words < 0).any()):
            return np.random.default_rng([int(w) for w in words]), None
        raise ValueError(f"rng as a sequence must hold non-negative integer seeds, got "
                         f"{describe(rng)}")
    raise TypeError("rng must be None, an integer seed, a sequence of integer seeds, a numpy "
                    f"SeedSequence, BitGenerator or Generator, got {describe(rng)}")


class _Seeds(np.random.SeedSequence):
    """``numpy.random.SeedSequence`` of an integer seed, made at a fraction of the cost for
    recent seeds: ``Generator(PCG64(_Seeds.of(seed)))`` is ``numpy.random.default_rng(seed)``
    draw for draw, in 1.7 instead of 7 microseconds (a fifth of a short run).

    Two things are remembered per seed (studies and benchmarks rerun the same seeds many
    times): the entropy pool ``SeedSequence.__init__`` computes, which a new instance gets
    through Cython's own unpickling (``__setstate_cython__``), and the four words of the PCG64
    state (``generate_state(4, np.uint64)``), which for a new seed are computed in plain Python
    at a third of numpy's cost. It is a SeedSequence in every other respect (``spawn``,
    ``state``, other ``generate_state`` requests), and it pickles as numpy's own SeedSequence.
    """

    __slots__ = ()

    @classmethod
    def of(cls, seed: int) -> _Seeds:
        """The SeedSequence of the non-negative integer ``seed``."""
        kept = _KEPT.get(seed)
        if kept is None or not _RESTORE:
            return cls(seed)
        seeds = cls.__new__(cls)
        seeds.__setstate_cython__((seed, 0, kept[0].copy(), 4, ()))
        return seeds

    def generate_state(self, n_words, dtype=np.uint32):
        if n_words == 4 and dtype is np.uint64 and not self.spawn_key \
                and self.pool_size == 4 and type(self.entropy) is int:
            kept = _KEPT.get(self.entropy)
            if kept is None:
                if len(_KEPT) >= _KEEP:
                    _KEPT.clear()
                kept = _KEPT[self.entropy] = (self.pool.copy(),
                                              _pcg64_words(self.pool.tolist()))
            return np.array(kept[1], dtype=np.uint64)
        return super().generate_state(n_words, dtype)

    def __reduce__(self):
        # As the SeedSequence it is (Cython's pickling of the class, naming numpy's class).
        function, (_, checksum, state), contents = super().__reduce_cython__()
        return function, (np.random.SeedSequence, checksum, state), contents


#: integer seed -> (entropy pool, PCG64 state words), for recent seeds
_KEPT: dict = {}
_KEEP = 4096


def _restores() -> bool:
    """Whether ``__setstate_cython__`` takes (entropy, n_children_spawned, pool, pool_size,
    spawn_key), as ``_Seeds.of`` assumes (the fields of numpy's SeedSequence, in Cython's
    order): checked once on a SeedSequence that spawned."""
    try:
        reference = np.random.SeedSequence(2**70 + 12345)
        reference.spawn(3)
        state = reference.__reduce_cython__()[2]
        if not (len(state) == 5 and state[0] == reference.entropy and state[1] == 3
                and state[2] is reference.pool and state[3] == 4 and state[4] == ()):
            return False
        copy = _Seeds.__new__(_Seeds)
        copy.__setstate_cython__((reference.entropy, 3, reference.pool.copy(), 4, ()))
        return copy.state == reference.state and \
            copy.spawn(1)[0].generate_state(4).tolist() == \
            reference.spawn(1)[0].generate_state(4).tolist()
    except Exception:  # noqa: BLE001 - another numpy: build each SeedSequence in full
        return False


def _pcg64_words(pool: list) -> list:
    """``SeedSequence.generate_state(4, np.uint64)`` from the four 32-bit words of its pool:
    numpy's hash (``bit_generator.pyx``), unrolled, on Python integers."""
    a, b, c, d = pool
    out = []
    hash_const = _INIT_B
    for value in (a, b, c, d, a, b, c, d):
        value ^= hash_const
        hash_const = (hash_const * _MULT_B) & _MASK32
        value = (value * hash_const) & _MASK32
        out.append(value ^ (value >> 16))
    return [out[0] | out[1] << 32, out[2] | out[3] << 32,
            out[4] | out[5] << 32, out[6] | out[7] << 32]


_INIT_B, _MULT_B, _MASK32 = 0x8B51F9DD, 0x58F38DED, 0xFFFFFFFF
_RESTORE = _restores()


def spawn(rng: np.random.Generator, n: int) -> list[np.random.Generator]:
    """``n`` independent child Generators of ``rng`` (one per restart, replicate or task)."""
    return rng.spawn(n)


def seed_for_key(seed: int, key) -> np.random.SeedSequence:
    """A SeedSequence derived from a suite ``seed`` and a task ``key`` (strings and ints).

    The derivation hashes the key's text, so it depends neither on the order in which tasks are
    scheduled nor on the process that runs them, nor on Python's per-process string hashing.
    """
    text = "\x1f".join(str(part) for part in key).encode("utf-8")
    digest = hashlib.sha256(text).digest()
    words = [int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4)]
    return np.random.SeedSequence(entropy=int(seed), spawn_key=tuple(words))


def generator_handle(rng: np.random.Generator) -> np.ndarray:
    """Raw addresses of ``rng``'s bit generator for ``_kernels.addresses.generator_from_handle``.

    The handle array keeps ``rng`` alive (through its ``base``), so its addresses stay valid
    as long as it exists. Draws made through the handle advance ``rng`` itself and equal
    numpy's draws.
    """
    return np.asarray(_HandleOwner(rng, handle_words(rng)))


def handle_words(rng: np.random.Generator, out: np.ndarray | None = None) -> np.ndarray:
    """The words of ``generator_handle(rng)`` as a plain array (it does not keep ``rng`` alive),
    written to ``out`` (five uint64 words) when given.

    Read from the bit generator's ``bitgen_t`` struct (its capsule): ``state``,
    ``next_uint64``, ``next_uint32``, ``next_double``, and the struct's own address. These are
    the values ``bit_generator.ctypes`` exposes, at a tenth of the cost of building that
    interface for a new Generator (a few microseconds of every run).
    """
    bit_generator = rng.bit_generator
    if out is None:
        out = np.empty(5, dtype=np.uint64)
    if type(bit_generator) is np.random.PCG64 and len(_PCG64_LAYOUT) == 5:
        # numpy's PCG64 keeps its bitgen_t and its state inside the object, at fixed offsets
        # from its address (id), and its functions are the same for all: no ctypes needed.
        at = id(bit_generator)
        state, next_uint64, next_uint32, next_double, struct = _PCG64_LAYOUT
        out[:] = (at + state, next_uint64, next_uint32, next_double, at + struct)
        return out
    _read_handle(bit_generator, out)
    if type(bit_generator) is np.random.PCG64 and not _PCG64_LAYOUT:
        _learn_pcg64_layout()
    return out


def _read_handle(bit_generator, out: np.ndarray) -> None:
    address = _capsule_pointer(bit_generator.capsule, b"BitGenerator")
    out[:4] = _BITGEN.from_address(address)
    out[4] = address


#: (state - id, next_uint64, next_uint32, next_double, bitgen_t - id) of numpy's PCG64, learnt
#: from two of them alive at once, read through their capsules; (None,) if they disagree
_PCG64_LAYOUT: list = []


def _learn_pcg64_layout() -> None:
    first, second = np.random.PCG64(1), np.random.PCG64(2)      # at two addresses
    layouts = []
    for bit_generator in (first, second):
        words = np.empty(5, dtype=np.uint64)
        _read_handle(bit_generator, words)
        at = id(bit_generator)
        layouts.append((int(words[0]) - at, int(words[1]), int(words[2]), int(words[3]),
                        int(words[4]) - at))
    _PCG64_LAYOUT[:] = layouts[0] if layouts[0] == layouts[1] else (None,)


_BITGEN = ctypes.c_uint64 * 4      # the first four fields of numpy's bitgen_t
_capsule_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_capsule_pointer.restype = ctypes.c_void_p
_capsule_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]


class _HandleOwner:
    """Base object of a handle array: it keeps the Generator alive as long as the handle."""

    def __init__(self, rng, words):
        self.rng = rng
        self.words = words
        self.__array_interface__ = words.__array_interface__
