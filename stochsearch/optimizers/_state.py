"""The state of one run: the named record the kernels read and write (``_kernels.run_state``),
its variable-length blocks, and the points.

``RunState`` is what ``Optimizer.init`` returns and ``ask``/``tell`` take. It owns the
Generator of the run (the record holds only its raw addresses) and the problem or space. It is
plain data: it pickles, and a run resumed from the copy ends bit-identically.
"""
from __future__ import annotations

import functools
import time

import numpy as np

from .._kernels import run_state
from .._kernels.signatures import function_address
from .._rng import generator_handle
from ..initialization import draw
from ..result import Status

__all__ = ["Fields", "RunState", "checkpoints"]


def checkpoints(budget: int, n: int) -> np.ndarray:
    """About ``n`` log-spaced evaluation counts from 1 to ``budget`` (always including both);
    every count when ``n >= budget``."""
    if n >= budget:
        return np.arange(1, budget + 1, dtype=np.int64)
    if n <= 1:
        return np.array([budget], dtype=np.int64)
    points = np.unique(np.round(np.geomspace(1, budget, n)).astype(np.int64))
    return np.union1d(points, [budget]).astype(np.int64)


class Fields:
    """Named access to the record of a run from Python: ``state.fields.temperature``."""

    __slots__ = ("_record",)

    def __init__(self, record: np.ndarray):
        object.__setattr__(self, "_record", record[0])

    def __getattr__(self, name):
        try:
            return self._record[name]
        except (KeyError, ValueError):
            raise AttributeError(f"the run state has no field {name!r}") from None

    def __setattr__(self, name, value):
        try:
            self._record[name] = value
        except (KeyError, ValueError):
            raise AttributeError(f"the run state has no field {name!r}") from None

    def __repr__(self):
        names = self._record.dtype.names
        return "Fields(" + ", ".join(f"{n}={self._record[n]!r}" for n in names) + ")"


class RunState:
    """One run in progress.

    Attributes
    ----------
    space, problem : the search space, and the problem (None when ``init`` got only a space)
    rng : numpy.random.Generator of the run
    seed : int or None, the seed that reproduces the run
    record : structured array of length one, the named state the kernels work on
    fields : named access to ``record`` from Python
    ints, floats, points : the variable-length blocks and the point rows
    """

    def __init__(self, optimizer, space, problem, rules, rng, seed, initializer, settings,
                 *, layout: run_state.StateLayout, blocks: dict, batch_rows: int,
                 n_checkpoints: int, record_x: bool):
        self.optimizer = optimizer
        self.space = space
        self.problem = problem
        self.rules = rules
        self.rng = rng
        self.seed = seed
        self.initializer = initializer
        self.settings = settings
        self.layout = layout
        hist = checkpoints(rules.budget, n_checkpoints)
        self.batch_rows = min(batch_rows, rules.budget)
        # Field values are gathered here and written to the record at once (one assignment
        # costs what three field writes do).
        values = dict(budget=rules.budget, m_max=self.batch_rows,
                      stagnation=rules.stagnation or 0, has_target=rules.target is not None,
                      pause_at=rules.budget, hist_x=bool(record_x), best_f=np.inf,
                      target=np.inf if rules.target is None else rules.target,
                      stag_tol=rules.stagnation_tol, stag_ref=np.inf)
        #: block name -> (which array, offset, length), for Python's views of the blocks
        self.blocks = {}
        # Blocks: the header's, then the algorithm's (an int for a size, an array for contents).
        self.ints = self._pack("ints", {"hist_at": hist} | {
            name: blocks[name] for name in layout.int_blocks}, np.int64, values)
        self.floats = self._pack("floats", {"f": self.batch_rows, "hist_f": len(hist)} | {
            name: blocks[name] for name in layout.float_blocks}, np.float64, values)
        n_rows = self.batch_rows     # the batch is rows 0 .. batch_rows - 1
        values["row_best"] = n_rows
        values["row_hist"] = n_rows + 1
        n_rows += 1 + (len(hist) if record_x else 0)
        for name in layout.rows:
            values[f"row_{name}"] = n_rows
            n_rows += blocks[name]
        self.points = np.zeros((n_rows, space.dim), dtype=space.dtype)
        self.data = problem.data if problem is not None else np.zeros(0)
        self.record = np.zeros(1, dtype=layout.dtype)
        self._views()
        self.write(values | self._addresses())
        self.started = time.perf_counter()
        self.elapsed = 0.0
        self.asked = False
        self.wall_status = None

    def _pack(self, which: str, blocks: dict, dtype, values: dict) -> np.ndarray:
        """One array holding ``blocks`` end to end; their offsets and lengths go to the record."""
        sizes = {name: (b if np.isscalar(b) else len(b)) for name, b in blocks.items()}
        out = np.zeros(sum(sizes.values()), dtype=dtype)
        at = 0
        for name, block in blocks.items():
            n = sizes[name]
            values[f"{name}_at"] = at
            values[f"{name}_n"] = n
            self.blocks[name] = (which, at, n)
            if not np.isscalar(block):
                out[at:at + n] = block
            at += n
        return out

    def _views(self) -> None:
        """Fields as Python sees them: by name, and the hot ones as one-element views."""
        record = self.record
        self.fields = Fields(record)
        self._m, self._status, self._request, self._nfev, self._best_f = (
            record[name] for name in ("m", "status", "request", "nfev", "best_f"))

    def _addresses(self) -> dict:
        """The addresses valid in this process, by field: the Generator's and the functions'
        (and the function blocks' contents, written here)."""
        kind = self.space.kind
        values = {"handle": generator_handle(self.rng)}
        addresses = self.problem.addresses() if self.problem is not None else {}
        for role in ("objective", "delta", "gradient"):
            values[f"fn_{role}"] = addresses.get(role, 0)
        for name, (func, role) in self.settings.functions().items():
            values[f"fn_{name}"] = function_address(func, role, kind)
        for name, functions in self.settings.function_blocks().items():
            block = self.block(name)
            for k, (func, role) in enumerate(functions):
                block[k] = function_address(func, role, kind)
        return values

    def write(self, values: dict) -> None:
        """Set the record's fields named in ``values``."""
        index = _index(self.record.dtype)
        row = list(self.record[0].item())
        for name, value in values.items():
            try:
                row[index[name]] = value
            except KeyError:
                raise AttributeError(f"the run state has no field {name!r}; its fields are "
                                     f"{', '.join(index)}") from None
        self.record[0] = tuple(row)

    # --- views ------------------------------------------------------------------------------
    def block(self, name: str) -> np.ndarray:
        """The block ``name`` of ``ints`` or ``floats`` (a view)."""
        which, at, n = self.blocks[name]
        return getattr(self, which)[at:at + n]

    def row(self, name: str) -> np.ndarray:
        """The first point row of the row block ``name`` (a view)."""
        return self.points[int(getattr(self.fields, f"row_{name}"))]

    @property
    def m(self) -> int:
        return int(self._m[0])

    @property
    def X(self) -> np.ndarray:
        """The batch to evaluate next (a view)."""
        return self.points[:self._m[0]]

    @property
    def F(self) -> np.ndarray:
        """Where the batch's values go (a view)."""
        at = self.blocks["f"][1]
        return self.floats[at:at + self._m[0]]

    @property
    def status(self) -> Status:
        status = int(self._status[0])
        if self.wall_status is not None and status == run_state.RUNNING:
            return self.wall_status
        return _STATUSES[status]

    @property
    def done(self) -> bool:
        """True once the run has stopped."""
        return self.status != Status.RUNNING

    @property
    def nfev(self) -> int:
        return int(self._nfev[0])

    @property
    def best_f(self) -> float:
        return float(self._best_f[0])

    @property
    def best_x(self) -> np.ndarray:
        return self.points[int(self.fields.row_best)].copy()

    def history_arrays(self):
        """(nfev, fun, x) at the checkpoints reached, plus the final point if it is not one."""
        k = int(self.fields.hist_ptr)
        at = self.block("hist_at")[:k].copy()
        fun = self.block("hist_f")[:k].copy()
        x = None
        if self.fields.hist_x:
            row = int(self.fields.row_hist)
            x = self.points[row:row + k].copy()
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
        request = self._request[0]
        if request == run_state.REQUEST_SAMPLE:
            m = self.m
            self.points[:m] = draw(self.initializer, self.rng, self.space, m)
        elif request != run_state.REQUEST_NONE:
            raise RuntimeError(f"unknown kernel request {request}")
        self._request[0] = run_state.REQUEST_NONE

    # --- pickling: the record holds addresses, valid only in this process ------------------
    def __getstate__(self):
        state = dict(self.__dict__)
        for name in ("fields", "_m", "_status", "_request", "_nfev", "_best_f"):
            del state[name]
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._views()
        self.write(self._addresses())


_STATUSES = {int(status): status for status in Status}


@functools.lru_cache(maxsize=None)
def _index(dtype: np.dtype) -> dict[str, int]:
    """Field name -> position in the record's tuple."""
    return {name: k for k, name in enumerate(dtype.names)}
