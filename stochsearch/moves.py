"""Move records: the public contract between neighbourhoods and incremental ``delta`` functions.

A neighbourhood's ``propose(x, y, move, params, rng)`` turns ``y`` (equal to ``x`` on entry)
into a neighbour of ``x`` and describes the change in ``move``, an int64 vector of length
``move_length(dim)``. A problem's ``delta(x_old, x_new, move, data, f_old)`` reads it to compute
``f(x_new)`` from ``f(x_old)`` in time proportional to the change. The layout:

- ``move[KIND]``: which neighbourhood made the move (``REAL_STEP``, ``FLIP``, ``SWAP``,
  ``INSERT``, ``REVERSE``, ``INTEGER_STEP``; a delta may dispatch on it; ``CUSTOM``: a
  neighbourhood written in Python, with which no delta is called);
- ``move[COUNT] >= 0``: the changed positions are listed in
  ``move[MOVE_HEADER:MOVE_HEADER + move[COUNT]]``;
- ``move[COUNT] == RANGE``: the changed positions are ``move[LO] .. move[HI] - 1``;
- ``move[LO]``, ``move[HI]``: the range; when positions are listed instead, two free arguments
  of the move (e.g. the two positions of a swap).

This layout is stable: a user's ``delta`` written against these names keeps working.

Examples
--------
A delta for OneMax (minimizing minus the number of ones) reads the flipped bits:

>>> import stochsearch as ss
>>> from stochsearch import moves
>>> @ss.jit
... def onemax_delta(x_old, x_new, move, data, f_old):
...     f = f_old
...     if move[moves.COUNT] == moves.RANGE:
...         lo, hi = move[moves.LO], move[moves.HI]
...     else:
...         lo, hi = moves.MOVE_HEADER, moves.MOVE_HEADER + move[moves.COUNT]
...     for c in range(lo, hi):
...         i = c if move[moves.COUNT] == moves.RANGE else move[c]
...         f -= float(x_new[i]) - float(x_old[i])
...     return f
"""
from ._kernels.moves import (COUNT, CUSTOM, FLIP, HI, INSERT, INTEGER_STEP, KIND, LO,
                             MOVE_HEADER, RANGE, REAL_STEP, REVERSE, SWAP, move_length)

__all__ = ["COUNT", "CUSTOM", "FLIP", "HI", "INSERT", "INTEGER_STEP", "KIND", "LO", "MOVE_HEADER",
           "RANGE", "REAL_STEP", "REVERSE", "SWAP", "move_length"]
