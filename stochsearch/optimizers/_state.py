"""The state of one run, packed into the arrays that kernels take (see ``_kernels.book``).

``RunState`` is what ``Optimizer.init`` returns and ``ask``/``tell`` take. It owns the
Generator of the run (the kernels hold only its handle) and the problem or space.
"""
from __future__ import annotations

import time

import numpy as np

from .._kernels import book
from .._rng import generator_handle
from .._signatures import function_address
from ..initialization import draw
from ..result import Status

__all__ = ["Layout", "RunState", "checkpoints"]


def checkpoints(budget: int, n: int) -> np.ndarray:
    """About ``n`` log-spaced evaluation counts from 1 to ``budget`` (always including both);
    every count when ``n >= budget``."""
    if n >= budget:
        return np.arange(1, budget + 1, dtype=np.int64)
    if n <= 1:
        return np.array([budget], dtype=np.int64)
    points = np.unique(np.round(np.geomspace(1, budget, n)).astype(np.int64))
    return np.union1d(points, [budget]).astype(np.int64)


class Layout:
    """Allocates slots and blocks in the ``ints``, ``floats`` and ``points`` arrays."""

    def __init__(self, alg_ints: int, alg_floats: int):
        self.n_ints = book.HEADER + alg_ints
        self.n_floats = book.F_HEADER + alg_floats
        self.n_rows = 0

    def ints(self, n: int) -> int:
        """Reserve ``n`` int64 values; return their offset."""
        offset, self.n_ints = self.n_ints, self.n_ints + n
        return offset

    def floats(self, n: int) -> int:
        """Reserve ``n`` float64 values; return their offset."""
        offset, self.n_floats = self.n_floats, self.n_floats + n
        return offset

    def rows(self, n: int) -> int:
        """Reserve ``n`` point rows; return the first."""
        offset, self.n_rows = self.n_rows, self.n_rows + n
        return offset


class RunState:
    """One run in progress.

    Attributes
    ----------
    space, problem : the search space, and the problem (None when ``init`` got only a space)
    rng : numpy.random.Generator of the run
    seed : int or None, the seed that reproduces the run
    ints, floats, points : the packed state the kernels work on
    """

    def __init__(self, optimizer, space, problem, rules, rng, seed, initializer, settings,
                 *, batch_rows, alg_ints, alg_floats, n_checkpoints, record_x):
        self.optimizer = optimizer
        self.space = space
        self.problem = problem
        self.rules = rules
        self.rng = rng
        self.seed = seed
        self.initializer = initializer
        self.settings = settings
        self.layout = layout = Layout(alg_ints, alg_floats)
        hist = checkpoints(rules.budget, n_checkpoints)
        self.batch_rows = min(batch_rows, rules.budget)
        row_x = layout.rows(self.batch_rows)
        assert row_x == 0, "the batch must be the first rows"
        row_best = layout.rows(1)
        row_hist = layout.rows(len(hist) if record_x else 0)
        off_f = layout.floats(self.batch_rows)
        off_hist_at = layout.ints(len(hist))
        off_hist_f = layout.floats(len(hist))
        off_fns = layout.ints(book.FN_ALG + len(settings.functions))
        self.offsets = optimizer._allocate(layout, space, settings)
        self.ints = np.zeros(layout.n_ints, dtype=np.int64)
        self.floats = np.zeros(layout.n_floats, dtype=np.float64)
        self.points = np.zeros((layout.n_rows, space.dim), dtype=space.dtype)
        i, f = self.ints, self.floats
        i[book.BUDGET] = rules.budget
        i[book.M_MAX] = self.batch_rows
        i[book.STAGNATION] = rules.stagnation or 0
        i[book.HAS_TARGET] = rules.target is not None
        i[book.PAUSE_AT] = rules.budget
        i[book.HIST_N] = len(hist)
        i[book.HIST_X] = bool(record_x)
        i[book.OFF_HIST_AT] = off_hist_at
        i[off_hist_at:off_hist_at + len(hist)] = hist
        i[book.OFF_HIST_F] = off_hist_f
        i[book.OFF_F] = off_f
        i[book.ROW_BEST] = row_best
        i[book.ROW_HIST] = row_hist
        i[book.OFF_FNS] = off_fns
        f[book.BEST_F] = np.inf
        f[book.TARGET] = np.inf if rules.target is None else rules.target
        f[book.STAG_TOL] = rules.stagnation_tol
        f[book.STAG_REF] = np.inf
        self.data = problem.data if problem is not None else np.zeros(0)
        self._functions = self._function_table(settings)
        i[off_fns:off_fns + len(self._functions)] = self._functions
        self.handle = generator_handle(rng)
        self.started = time.perf_counter()
        self.elapsed = 0.0
        self.asked = False
        self.wall_status = None

    def _function_table(self, settings) -> list[int]:
        addresses = self.problem.addresses() if self.problem is not None else {}
        table = [addresses.get("objective", 0), addresses.get("delta", 0),
                 addresses.get("gradient", 0)]
        kind = self.space.kind
        return table + [function_address(func, role, kind) for func, role in settings.functions]

    # --- views ------------------------------------------------------------------------------
    @property
    def m(self) -> int:
        return int(self.ints[book.M])

    @property
    def X(self) -> np.ndarray:
        """The batch to evaluate next (a view)."""
        return self.points[:self.ints[book.M]]

    @property
    def F(self) -> np.ndarray:
        """Where the batch's values go (a view)."""
        start = self.ints[book.OFF_F]
        return self.floats[start:start + self.ints[book.M]]

    @property
    def status(self) -> Status:
        if self.wall_status is not None and self.ints[book.STATUS] == book.RUNNING:
            return self.wall_status
        return Status(int(self.ints[book.STATUS]))

    @property
    def done(self) -> bool:
        """True once the run has stopped."""
        return self.status != Status.RUNNING

    @property
    def nfev(self) -> int:
        return int(self.ints[book.NFEV])

    @property
    def best_f(self) -> float:
        return float(self.floats[book.BEST_F])

    @property
    def best_x(self) -> np.ndarray:
        return self.points[self.ints[book.ROW_BEST]].copy()

    def history_arrays(self):
        """(nfev, fun, x) at the checkpoints reached, plus the final point if it is not one."""
        i = self.ints
        k = int(i[book.HIST_PTR])
        at = i[i[book.OFF_HIST_AT]:i[book.OFF_HIST_AT] + k].copy()
        fun = self.floats[i[book.OFF_HIST_F]:i[book.OFF_HIST_F] + k].copy()
        x = None
        if i[book.HIST_X]:
            x = self.points[i[book.ROW_HIST]:i[book.ROW_HIST] + k].copy()
        nfev = self.nfev
        if nfev > 0 and (k == 0 or at[-1] != nfev):
            at = np.append(at, nfev)
            fun = np.append(fun, self.best_f)
            if x is not None:
                x = np.vstack([x, self.best_x])
        return at, fun, x

    # --- requests ---------------------------------------------------------------------------
    def serve(self) -> None:
        """Do what the kernel asked for before the next batch can be evaluated."""
        request = self.ints[book.REQUEST]
        if request == book.REQUEST_SAMPLE:
            m = self.m
            self.points[:m] = draw(self.initializer, self.rng, self.space, m)
        elif request != book.REQUEST_NONE:
            raise RuntimeError(f"unknown kernel request {request}")
        self.ints[book.REQUEST] = book.REQUEST_NONE

    # --- pickling: the handle holds addresses, valid only in this process ------------------
    def __getstate__(self):
        state = dict(self.__dict__)
        del state["handle"]
        state["_functions"] = None
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.handle = generator_handle(self.rng)
        self._functions = self._function_table(self.settings)
        off = self.ints[book.OFF_FNS]
        self.ints[off:off + len(self._functions)] = self._functions
