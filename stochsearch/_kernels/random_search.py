"""Random search: evaluate batches drawn from the initializer (drawn in Python, on request)."""
from __future__ import annotations

from . import book
from .jit import kernel

BATCH = book.ALG + 0
N_INTS = 1
N_FLOATS = 0


@kernel
def advance(ints, floats, points, handle):
    if book.record_batch(ints, floats, points) != book.RUNNING:
        return ints[book.STATUS]
    book.ask_rows(ints, ints[BATCH])
    ints[book.REQUEST] = book.REQUEST_SAMPLE
    return book.RUNNING


@kernel
def fused(ints, floats, points, data, handle):
    while True:
        book.evaluate_batch(ints, floats, points, data)
        advance(ints, floats, points, handle)
        if book.should_pause(ints):
            return ints[book.STATUS]
