"""The state of one run: the named record the kernels read and write (``_kernels.run_state``),
its variable-length blocks, and the points.

``RunState`` is what ``Optimizer.init`` returns and ``ask``/``tell`` take. It owns the
Generator of the run (the record holds only its raw addresses) and the problem or space. It is
plain data: it pickles, and a run resumed from the copy ends bit-identically.
"""
from __future__ import annotations

import functools
import operator
import time

import numpy as np

from .._kernels import run_state
from .._kernels.signatures import function_address
from .._rng import handle_words
from ..operators.python import register_generator
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
    """Named access to the record of a run from Python: ``state.fields.temperature``.

    Reads and writes go through views of the record's 8-byte words (every field is an int64,
    a float64 or, for the Generator's handle, uint64 words): a few times cheaper than numpy's
    field lookup, which matters for runs of a few evaluations and for ask/tell.
    """

    __slots__ = ("_words",)
    # Per type of record (set on its subclass by ``_fields_class``): field name -> (kind of
    # word, first word, words); the record's dtype; ``read``'s plans by names.
    _index: dict = {}
    _dtype: np.dtype | None = None
    _reads: dict = {}

    def __new__(cls, words: np.ndarray, dtype: np.dtype):
        # An instance of the subclass of ``dtype``, whose fields are properties: reading one
        # then costs a third of a lookup through ``__getattr__``.
        return object.__new__(_fields_class(dtype) if cls is Fields else cls)

    def __init__(self, words: np.ndarray, dtype: np.dtype):
        views = (words, words.view(np.float64), words.view(np.uint64))
        object.__setattr__(self, "_words", views)

    def __getattr__(self, name):        # only for names that are not fields
        try:
            which, at, n = self._index[name]
        except KeyError:
            raise AttributeError(f"the run state has no field {name!r}") from None
        words = self._words[which]
        return words[at] if n == 1 else words[at:at + n]

    def __setattr__(self, name, value):
        try:
            which, at, n = self._index[name]
        except KeyError:
            raise AttributeError(f"the run state has no field {name!r}; its fields are "
                                 f"{', '.join(self._index)}") from None
        if n == 1:
            self._words[which][at] = value
        else:
            self._words[which][at:at + n] = value

    def over(self, words: np.ndarray) -> Fields:
        """The same named access to another record of the same type, held in ``words``."""
        fields = object.__new__(type(self))
        views = (words, words.view(np.float64), words.view(np.uint64))
        object.__setattr__(fields, "_words", views)
        return fields

    def read(self, names: tuple) -> list:
        """The values of the one-word fields ``names`` as Python ints and floats, in order:
        one numpy read per kind of word (cheaper than a read by name each from four fields
        on)."""
        plan = self._reads.get(names)
        if plan is None:
            plan = _read_plan(self._dtype, names)
            if len(self._reads) < 256:
                self._reads[names] = plan
        ints, floats, order = plan
        values = self._words[0][ints].tolist() + self._words[1][floats].tolist()
        return order(values)

    def words(self, which: int) -> np.ndarray:
        """The record as int64 (0), float64 (1) or uint64 (2) words (a view)."""
        return self._words[which]

    @property
    def index(self) -> dict:
        """Field name -> (kind of word, first word, number of words)."""
        return self._index

    def update(self, values: dict) -> None:
        """Set every field named in ``values`` (one numpy assignment per kind of word)."""
        try:
            scalars, arrays = _plan(self._dtype, tuple(values))
        except KeyError as error:
            raise AttributeError(f"the run state has no field {error.args[0]!r}; its fields "
                                 f"are {', '.join(self._index)}") from None
        listed = list(values.values())
        for which, (words, positions) in enumerate(scalars):
            if positions:
                self._words[which][words] = [listed[k] for k in positions]
        for k, which, at, n in arrays:
            self._words[which][at:at + n] = listed[k]

    def __repr__(self):
        return "Fields(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in self._index) + ")"


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
    pending : the batches of a speculative ``ask(state, n)`` until ``tell`` (else None)
    discarded : speculative values discarded so far (None: the run never speculated)
    """

    # Class defaults too, so that a state pickled before these existed still resumes.
    pending = None
    discarded = None

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
        self.python_operators = settings.python_operators()
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
        # The record lives in int64 words (allocating a structured array directly costs more),
        # seen as the record by the kernels and as words by ``fields``.
        self.words = np.zeros(layout.dtype.itemsize // 8, dtype=np.int64)
        self._views()
        self.write(values | self._addresses())
        self.started = time.perf_counter()
        self.elapsed = 0.0
        self.asked = False
        self.wall_status = None
        self.pending = None         # the batches of a speculative ask, until tell
        self.discarded = None       # speculated values discarded (None: never speculated)

    def _pack(self, which: str, blocks: dict, dtype, values: dict) -> np.ndarray:
        """One array holding ``blocks`` end to end; their offsets and lengths go to the record."""
        sizes = {name: (b if isinstance(b, int) else len(b)) for name, b in blocks.items()}
        out = np.zeros(sum(sizes.values()), dtype=dtype)
        at = 0
        for name, block in blocks.items():
            n = sizes[name]
            values[f"{name}_at"] = at
            values[f"{name}_n"] = n
            self.blocks[name] = (which, at, n)
            if not isinstance(block, int):
                out[at:at + n] = block
            at += n
        return out

    @classmethod
    def from_template(cls, template: RunState, optimizer, problem, rules, rng, seed,
                      initializer) -> RunState:
        """A new run whose state starts as ``template``'s (a state built by ``__init__`` and
        its optimizer's ``_start``, whose points were not drawn yet): its arrays are copied,
        never shared, and the Generator's handle is written for ``rng``. ``problem`` is the
        template's problem (or None, as the template's); ``rules`` equal the template's but
        for the wall time, which the record does not hold."""
        self = cls.__new__(cls)
        # The template's attributes in one copy of its __dict__, then this run's.
        attributes = template.__dict__.copy()
        words = template.words.copy()
        fields = template.fields.over(words)
        views = fields._words
        attributes.update(
            optimizer=optimizer, problem=problem, rules=rules, rng=rng, seed=seed,
            initializer=initializer, data=problem.data if problem is not None else template.data,
            words=words, ints=template.ints.copy(), floats=template.floats.copy(),
            points=template.points.copy(), fields=fields, _ints_view=words,
            _floats_view=views[1],
            # _views(), but for the field positions, which are the template's.
            record=np.ndarray((1,), template.layout.dtype, words))
        self.__dict__ = attributes
        at = template._handle
        handle_words(rng, views[2][at:at + 5])
        if self.python_operators:
            register_generator(rng)
        self.started = time.perf_counter()
        return self

    def _views(self) -> None:
        """Fields as Python sees them: by name, and the hot ones as one-element views."""
        # The record over the words, built directly (``words.view(dtype)`` runs numpy's
        # Python-level safety check of structured views: 1.3 against 0.2 us).
        self.record = np.ndarray((1,), self.layout.dtype, self.words)
        self.fields = fields = Fields(self.words, self.layout.dtype)
        self._ints_view, self._floats_view = fields.words(0), fields.words(1)
        index = fields.index
        (self._m, self._status, self._request, self._nfev, self._best_f, self._handle,
         self._pause_at) = (index[name][1] for name in ("m", "status", "request", "nfev",
                                                        "best_f", "handle", "pause_at"))

    def _addresses(self) -> dict:
        """The addresses valid in this process, by field: the Generator's and the functions'
        (and the function blocks' contents, written here)."""
        kind = self.space.kind
        values = {} if self.rng is None else {"handle": handle_words(self.rng)}
        addresses = self.problem.addresses() if self.problem is not None else {}
        for role in ("objective", "delta", "gradient"):
            values[f"fn_{role}"] = addresses.get(role, 0)
        if self.python_operators:
            values["fn_delta"] = 0      # a Python move's record is not one a delta reads
            if self.rng is not None:
                register_generator(self.rng)
        for name, (func, role) in self.settings.functions().items():
            values[f"fn_{name}"] = function_address(func, role, kind)
        for name, functions in self.settings.function_blocks().items():
            block = self.block(name)
            for k, (func, role) in enumerate(functions):
                block[k] = function_address(func, role, kind)
        return values

    def write(self, values: dict) -> None:
        """Set the record's fields named in ``values``."""
        self.fields.update(values)

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
        return int(self._ints_view[self._m])

    @property
    def X(self) -> np.ndarray:
        """The batch to evaluate next (a view)."""
        return self.points[:self._ints_view[self._m]]

    @property
    def F(self) -> np.ndarray:
        """Where the batch's values go (a view)."""
        at = self.blocks["f"][1]
        return self.floats[at:at + self._ints_view[self._m]]

    @property
    def status(self) -> Status:
        status = int(self._ints_view[self._status])
        if self.wall_status is not None and status == run_state.RUNNING:
            return self.wall_status
        return _STATUSES[status]

    @property
    def done(self) -> bool:
        """True once the run has stopped."""
        return self.status != Status.RUNNING

    @property
    def nfev(self) -> int:
        return int(self._ints_view[self._nfev])

    @property
    def best_f(self) -> float:
        return float(self._floats_view[self._best_f])

    @property
    def best_x(self) -> np.ndarray:
        return self.points[int(self.fields.row_best)].copy()

    def history_arrays(self, fields: tuple | None = None):
        """(nfev, fun, x) at the checkpoints reached, plus the final point if it is not one.

        ``fields``: the values of ``HISTORY_FIELDS`` if the caller has read them already."""
        if fields is None:
            fields = self.fields.read(HISTORY_FIELDS)
        k, hist_x, row, row_best, nfev, best_f = fields
        ints, floats = self.ints, self.floats
        at0 = self.blocks["hist_at"][1]
        f0 = self.blocks["hist_f"][1]
        # One more entry for the final point when it is not a checkpoint.
        extra = int(nfev > 0 and (k == 0 or ints[at0 + k - 1] != nfev))
        if not extra and not hist_x:
            return ints[at0:at0 + k].copy(), floats[f0:f0 + k].copy(), None
        at = np.empty(k + extra, dtype=np.int64)
        at[:k] = ints[at0:at0 + k]
        fun = np.empty(k + extra)
        fun[:k] = floats[f0:f0 + k]
        x = None
        if hist_x:
            x = np.empty((k + extra, self.space.dim), dtype=self.points.dtype)
            x[:k] = self.points[row:row + k]
        if extra:
            at[k] = nfev
            fun[k] = best_f
            if x is not None:
                x[k] = self.points[row_best]
        return at, fun, x

    # --- requests ---------------------------------------------------------------------------
    def serve(self) -> None:
        """Do what the kernel asked for before the next batch can be evaluated."""
        request = self._ints_view[self._request]
        if request == run_state.REQUEST_SAMPLE:
            m = self.m
            self.points[:m] = draw(self.initializer, self.rng, self.space, m)
        elif request != run_state.REQUEST_NONE:
            raise RuntimeError(f"unknown kernel request {request}")
        self._ints_view[self._request] = run_state.REQUEST_NONE

    # --- pickling: the record holds addresses, valid only in this process ------------------
    def __getstate__(self):
        state = dict(self.__dict__)
        for name in ("record", "fields", "_ints_view", "_floats_view"):
            del state[name]
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._views()
        self.write(self._addresses())


_STATUSES = {int(status): status for status in Status}
#: the fields ``history_arrays`` reads
HISTORY_FIELDS = ("hist_ptr", "hist_x", "row_hist", "row_best", "nfev", "best_f")


@functools.lru_cache(maxsize=None)
def _fields_class(dtype: np.dtype) -> type:
    """The subclass of ``Fields`` for records of ``dtype``: one read-only property a field
    (writes go through ``Fields.__setattr__``)."""
    def read(which, at, n):
        if n == 1:
            return property(lambda self: self._words[which][at])
        return property(lambda self: self._words[which][at:at + n])

    index = _word_index(dtype)
    body = {name: read(*where) for name, where in index.items()}
    return type("Fields", (Fields,), {"__slots__": (), "_index": index, "_dtype": dtype,
                                      "_reads": {}, **body})


@functools.lru_cache(maxsize=4096)
def _plan(dtype: np.dtype, names: tuple) -> tuple:
    """How to write the fields ``names`` of a record of ``dtype``: for each kind of word, the
    words of its one-word fields and the positions of their values in ``names``; and the
    fields of several words, as (position, kind, first word, words)."""
    index = _word_index(dtype)
    words, positions, arrays = ([], [], []), ([], [], []), []
    for k, name in enumerate(names):
        which, at, n = index[name]
        if n == 1:
            words[which].append(at)
            positions[which].append(k)
        else:
            arrays.append((k, which, at, n))
    scalars = tuple((np.array(words[i], dtype=np.intp), positions[i]) for i in range(3))
    return scalars, tuple(arrays)


def _read_plan(dtype: np.dtype, names: tuple) -> tuple:
    index = _word_index(dtype)
    positions = ([], [])
    for name in names:
        try:
            which, at, n = index[name]
        except KeyError:
            raise AttributeError(f"the run state has no field {name!r}") from None
        if n != 1 or which == 2:
            raise ValueError(f"Fields.read reads one-word int64 and float64 fields; {name!r} "
                             "is not one")
        positions[which].append(at)
    ints, floats = positions
    # The values come as ints then floats: where each name's is.
    where, k_int, k_float = [], 0, len(ints)
    for name in names:
        if index[name][0] == 0:
            where.append(k_int)
            k_int += 1
        else:
            where.append(k_float)
            k_float += 1
    order = operator.itemgetter(*where) if len(where) > 1 else \
        (lambda values, k=where[0]: (values[k],))
    return np.array(ints, dtype=np.intp), np.array(floats, dtype=np.intp), order


@functools.lru_cache(maxsize=None)
def _word_index(dtype: np.dtype) -> dict[str, tuple[int, int, int]]:
    """Field name -> (0 for int64, 1 for float64, 2 for uint64 words; first word; words)."""
    kinds = {np.dtype(np.int64): 0, np.dtype(np.float64): 1, np.dtype(np.uint64): 2}
    index = {}
    for name in dtype.names:
        field, offset = dtype.fields[name][:2]
        base, shape = (field.subdtype if field.subdtype else (field, ()))
        index[name] = (kinds[base], offset // 8, int(np.prod(shape, dtype=int)))
    return index
