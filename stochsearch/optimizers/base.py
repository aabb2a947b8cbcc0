"""The Optimizer contract: ``run``, ``init``/``ask``/``tell`` and a fused numba path.

An algorithm is a state machine written once, in numba (``_kernels``): ``advance`` takes the
values of the batch just evaluated and prepares the next batch. The fused path loops
``evaluate; advance`` inside numba; the ask/tell path calls the same ``advance`` once per batch
from Python. Both consume the run's Generator in the same order, so they return identical
results for the same seed. A subclass declares its hyperparameters in ``__init__`` (stored
unmodified, scikit-learn's rule), validates them into its ``Settings`` in ``_settings``, sizes
the blocks of its declared state in ``_blocks``, writes its first named fields in ``_start``,
and names its state declaration and its two kernels.
"""
from __future__ import annotations

import dataclasses
import functools
import inspect
import operator
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._kernels import run_state
from .._rng import RNGLike, as_generator
from .._validation import check_int, describe
from ..initialization import resolve_initializer
from ..problem import Problem
from ..result import History, OptimizeResult, Status
from ..spaces import Space
from ..termination import Termination, stop_rules
from . import _drive
from ._state import HISTORY_FIELDS, RunState
from ._templates import _CACHE, _CACHE_ENTRIES, _Snapshot

__all__ = ["Optimizer", "Settings"]


@dataclasses.dataclass(frozen=True)
class Settings:
    """Validated hyperparameters of one run; each optimizer declares its own dataclass.

    ``functions()`` names the compiled functions the kernels call by address, as
    ``{name: (numba function, role)}`` (the record's ``fn_<name>`` fields), and
    ``function_blocks()`` lists of them held in an int block of the state (``{block: [...]}``).
    """

    def functions(self) -> dict:
        return {}

    def function_blocks(self) -> dict:
        return {}

    def python_operators(self) -> bool:
        """Whether an operator is a Python function (``operators.python``): its run then
        registers its Generator for it, and a problem's ``delta`` is not used."""
        from ..operators.python import uses_python
        return uses_python(self.functions().values())


class Optimizer:
    """Base class of all optimizers.

    Subclasses set ``name`` (the registry key), ``spaces`` (the space kinds they support),
    ``state`` (their kernel module's ``STATE`` declaration) and ``_advance``/``_fused`` (their
    kernels), and implement ``_settings``, ``_blocks``, ``_start`` and ``_batch_rows``.
    Gradient methods set ``uses_gradient`` and implement ``_tell_gradient``.
    """

    name: str = ""
    spaces: tuple[str, ...] = ("real", "binary", "permutation", "integer")
    uses_gradient: bool = False
    state: run_state.StateLayout = run_state.declare()
    _advance = None
    _fused = None

    # --- parameters (scikit-learn conventions) ------------------------------------------------
    @classmethod
    def _param_names(cls) -> list[str]:
        return _parameter_names(cls)

    def get_params(self, deep: bool = True) -> dict:
        """The hyperparameters, as given to the constructor."""
        names, values = _parameter_getter(type(self))
        return dict(zip(names, values(self)))

    def set_params(self, **params: Any) -> "Optimizer":
        """Set hyperparameters (validated when the next run starts); return self."""
        names = self._param_names()
        for key, value in params.items():
            if key not in names:
                raise ValueError(f"{type(self).__name__} has no parameter {key!r}; its "
                                 f"parameters are {', '.join(names)}")
            setattr(self, key, value)
        return self

    def __repr__(self):
        defaults = inspect.signature(type(self).__init__).parameters
        changed = [f"{k}={v!r}" for k, v in self.get_params().items()
                   if defaults[k].default is inspect.Parameter.empty
                   or not _equal(v, defaults[k].default)]
        return f"{type(self).__name__}({', '.join(changed)})"

    def __eq__(self, other):
        if type(self) is not type(other):
            return False
        mine, theirs = self.get_params().values(), other.get_params().values()
        return all(_equal(a, b) for a, b in zip(mine, theirs, strict=True))

    __hash__ = object.__hash__

    def __getstate__(self):
        # The run templates are a cache of this process: never pickled nor copied.
        state = dict(self.__dict__)
        state.pop(_CACHE, None)
        return state

    # --- public API --------------------------------------------------------------------------
    def run(self, problem: Problem | Space, budget: int | None = None, *,
            rng: RNGLike = None, init: Any = "uniform", termination: Termination | None = None,
            callback: Callable[[OptimizeResult], Any] | None = None, history: int = 100,
            record_x: bool = False, workers: Any = None,
            batch: int | None = None) -> OptimizeResult:
        """Minimize ``problem`` within ``budget`` objective evaluations.

        Parameters
        ----------
        problem : Problem
            What to minimize (see ``as_problem``). With a numba objective the whole run executes
            in compiled code; with a Python objective it runs through the ask/tell loop.
        budget : int
            Maximum number of objective evaluations.
        rng : None, int, SeedSequence or Generator
            Source of randomness; an int gives the same result every time.
        init : str, dict, array, Initializer or callable
            Where the search starts (see ``stochsearch.initialization``).
        termination : Termination, optional
            Further stopping rules: ``TargetValue``, ``Stagnation``, ``WallTime``...
        callback : callable, optional
            ``callback(intermediate_result)`` at each history checkpoint; returning True stops
            the run.
        history : int
            Number of (log-spaced) checkpoints of the best-so-far history.
        record_x : bool
            Also record the best point at each checkpoint (``result.history.x``).
        workers : None, int, concurrent.futures.Executor, dask.distributed.Client or "dask"
            Evaluate the batches in parallel: an int starts a process pool of that many workers
            for the run (the objective must be picklable), an executor or a Dask client is
            used as given. None or 1: serial, in this process. The result is bit-identical to
            the serial run with the same seed.
        batch : int, optional
            Points evaluated together (default: the number of workers). An algorithm that asks
            fewer at a time (annealing, first-improvement hill climbing) asks the next ones
            speculatively, as if the previous were rejected; the values of those its chain
            does not take are discarded (``result.info["discarded_evaluations"]``) and count
            neither in ``nfev`` nor in the budget. See ``ask``.

        Returns
        -------
        OptimizeResult
        """
        if workers is not None or batch is not None:
            from ._speculation import run_parallel
            return run_parallel(self, problem, budget, rng=rng, init=init,
                                termination=termination, callback=callback, history=history,
                                record_x=record_x, workers=workers, batch=batch)
        state = self.init(problem, budget, rng=rng, init=init, termination=termination,
                          history=history, record_x=record_x)
        if state.problem is None:
            raise TypeError(f"run needs a Problem, got a space {state.space!r}; use "
                            "init/ask/tell to evaluate the objective yourself")
        try:
            if self._runs_fused(state):
                _drive.drive_fused(self, state, callback)
            else:
                _drive.drive_python(self, state, callback)
        except BaseException as error:
            _drive.attach_partial_result(error, self, state)
            raise
        return self.result(state)

    def init(self, problem: Problem | Space, budget: int | None = None, *,
             rng: RNGLike = None, init: Any = "uniform", termination: Termination | None = None,
             history: int = 100, record_x: bool = False) -> RunState:
        """Start a run whose objective is evaluated outside: then ``ask``, ``tell``, ``result``.

        ``problem`` may be a Problem or just a Space. The other arguments are those of ``run``.
        """
        if isinstance(problem, Space):
            space, problem = problem, None
        elif isinstance(problem, Problem):
            space = problem.space
        else:
            raise TypeError("problem must be a Problem (see stochsearch.as_problem) or a Space, "
                            f"got {describe(problem)}")
        if space.kind not in self.spaces:
            hint = ""
            if space.kind == "integer" and self.spaces == ("real",):
                hint = ("; an Integer space needs 'random', 'rhc', 'sa' or 'ga' (or a Real "
                        "box whose objective rounds x)")
            raise ValueError(f"{type(self).__name__} does not work on {space!r}; it supports "
                             f"{', '.join(self.spaces)} spaces{hint}")
        rules = _stop_rules(budget, termination)
        if type(history) is not int or history < 1:
            history = check_int("history", history, low=1)
        template = self._template(space, problem, rules, history, bool(record_x))
        initializer = resolve_initializer(init)
        generator, seed = as_generator(rng)
        state = RunState.from_template(template, self, problem, rules, generator, seed,
                                       initializer)
        state.serve()
        return state

    def _template(self, space, problem, rules, history: int, record_x: bool) -> RunState:
        """The state a run starts from before its first points are drawn: validated settings,
        blocks, function addresses and ``_start``'s fields, built once and kept (a few entries
        per optimizer) for as long as the parameters, the problem (or space) and these
        arguments are the same. ``init`` copies it; it is never handed out."""
        subject = space if problem is None else problem
        key = (id(subject), rules.budget, rules.target, rules.stagnation,
               rules.stagnation_tol, history, record_x)
        attributes = self.__dict__          # the parameters, and whatever else it holds
        kept = attributes.get(_CACHE)
        if kept is None:
            kept = attributes[_CACHE] = {}
        entry = kept.get(key)
        if entry is not None and entry.valid(attributes, subject):
            return entry.template
        settings = self._budget_settings(self._problem_settings(self._settings(space), problem),
                                         rules.budget)
        template = RunState(None, space, problem, rules, None, None, None, settings,
                            batch_rows=self._batch_rows(settings, space), layout=self.state,
                            blocks=self._blocks(settings, space), n_checkpoints=history,
                            record_x=record_x)
        template.write(self._start(template))
        snapshot = _Snapshot.take(attributes, subject, template)
        if snapshot is not None:
            kept.pop(key, None)
            while len(kept) >= _CACHE_ENTRIES:
                del kept[next(iter(kept))]
            kept[key] = snapshot
        return template

    def ask(self, state: RunState, n: int | None = None) -> np.ndarray:
        """The next points to evaluate, one per row (a copy).

        With ``n``, up to ``n`` points to evaluate together: the batch the algorithm asks now
        (all of it, even if larger than ``n``), then the batches it would ask next were every
        point before them rejected (speculation: a chain such as annealing proposes its next
        moves from the same point). ``tell`` takes their values in order while each batch is
        the one the run asks, and discards the rest, so the run is the same as with
        ``ask()``; discarded values count neither in ``nfev`` nor in the budget.
        """
        self._check_state(state)
        if state.done:
            raise RuntimeError(f"the run has stopped ({state.status.name}); call result(state)")
        if n is None:
            state.pending = None
            state.asked = True
            return state.X.copy()
        n = check_int("n", n, low=1)
        if self.uses_gradient:
            raise ValueError(f"{type(self).__name__} uses gradients: ask() cannot speculate "
                             f"batches (n={n}); call ask(state)")
        from ._speculation import speculate
        state.pending = speculate(self, state, n)
        state.asked = True
        return np.concatenate(state.pending)

    def tell(self, state: RunState, X: ArrayLike, f: ArrayLike, *,
             grad: ArrayLike | None = None) -> None:
        """Report the objective values ``f`` of the points ``X`` returned by the last ``ask``,
        and for gradient methods (``uses_gradient``) their gradients ``grad``, one row per
        point (other optimizers ignore ``grad``). After ``ask(state, n)``, the values are
        taken in order while each batch is the one the run asks; the rest are discarded."""
        self._check_state(state)
        if not state.asked:
            raise RuntimeError("tell() must follow ask(): there are no points waiting for values")
        pending = state.pending
        asked = state.X if pending is None else np.concatenate(pending)
        X = np.asarray(X)
        # The same bytes, or else the same values (-0.0 for 0.0, another dtype).
        if X.shape != asked.shape or not (
                (X.dtype == asked.dtype and X.tobytes() == asked.tobytes())
                or bool((X == asked).all())):
            raise ValueError(f"tell() got points that differ from the last ask(): expected "
                             f"shape {asked.shape}, got {describe(X)}")
        raw = np.asarray(f)
        if raw.dtype.kind not in "biuf":     # None, strings, objects: never silently NaN
            raise TypeError(f"tell() needs real numbers as objective values, got "
                            f"{describe(f)}")
        m = len(asked)
        if raw.size != m:
            raise ValueError(f"tell() needs one objective value per asked point ({m}), "
                             f"got {describe(raw)}")
        if pending is not None:
            from ._speculation import replay
            state.asked = False
            state.pending = None
            replay(self, state, pending, raw.reshape(-1).astype(float))
            return
        if self.uses_gradient:
            self._tell_gradient(state, grad)
        at = state.blocks["f"][1]
        state.floats[at:at + m] = raw.reshape(-1)     # as float64, as astype(float) converts
        state.asked = False
        type(self)._advance(state.record, state.ints, state.floats, state.points)
        if state._ints_view[state._request]:
            state.serve()
        if state.rules.wall_time is not None or state.wall_status is not None:
            _drive.check_wall_time(state)

    def _told(self, state: RunState, f) -> None:
        """Store the values of the batch asked (checked) and advance the run."""
        at = state.blocks["f"][1]
        state.floats[at:at + len(f)] = f        # as float64, as astype(float) converts
        type(self)._advance(state.record, state.ints, state.floats, state.points)
        if state._ints_view[state._request]:
            state.serve()
        if state.rules.wall_time is not None or state.wall_status is not None:
            _drive.check_wall_time(state)

    def result(self, state: RunState) -> OptimizeResult:
        """The result of a run (final, or intermediate while it goes on)."""
        self._check_state(state)
        values = state.fields.read(_RESULT_FIELDS)
        nfev_at, fun, x = state.history_arrays(values[:len(HISTORY_FIELDS)])
        *_, row_best, nfev, best_f, nit, nnan = values
        status = state.status
        elapsed = state.elapsed or time.perf_counter() - state.started
        problem, rules = state.problem, state.rules
        best_x = state.points[row_best].copy() if nfev else np.full(state.space.dim, np.nan)
        success, message = _MESSAGES.get((status, rules.budget, rules.target)) or \
            _message_of(status, rules)
        if nfev and not (-np.inf < best_f < np.inf):
            success = False
            message += ("; no evaluated point had a finite value (x is the first point "
                        "evaluated)")
        info = self._info(state)
        if state.discarded is not None:
            info = info | {"discarded_evaluations": int(state.discarded)}
        if getattr(problem, "report", None) is not None:
            info = info | _report(problem, best_x)
        history = History._of(nfev_at, fun, x)
        return OptimizeResult._of({
            "x": best_x, "fun": best_f, "nfev": nfev, "nit": nit, "success": success,
            "message": message, "status": status, "history": history, "seed": state.seed,
            "optimizer": self.name, "params": self.get_params(), "nnan": nnan,
            "problem": problem.name if problem is not None else repr(state.space),
            "wall_time": elapsed, "info": info})

    # --- drivers -----------------------------------------------------------------------------
    def _check_state(self, state) -> None:
        if not isinstance(state, RunState) or state.optimizer is not self:
            if isinstance(state, RunState) and type(state.optimizer) is type(self):
                # An unpickled state (a checkpoint) carries its own copy of the optimizer.
                raise TypeError("state belongs to another optimizer object (an unpickled "
                                "state carries its own copy): continue it with "
                                "state.optimizer.ask(state), .tell(state, ...) and "
                                ".result(state)")
            raise TypeError("state must be the RunState returned by this optimizer's init()")

    # --- hooks for subclasses ----------------------------------------------------------------
    def _settings(self, space: Space) -> Settings:
        """Validate the hyperparameters for ``space``; raise with a clear sentence."""
        return Settings()

    def _problem_settings(self, settings: Settings, problem: Problem | None) -> Settings:
        """Complete ``settings`` with what depends on the problem (None when ``init`` got only
        a space), e.g. its number of samples; return them."""
        return settings

    def _budget_settings(self, settings: Settings, budget: int) -> Settings:
        """Complete ``settings`` with what depends on the evaluation budget (e.g. storage no
        run of ``budget`` evaluations can use); it must not change what a run does."""
        return settings

    def _runs_fused(self, state: RunState) -> bool:
        """Whether ``run`` executes in compiled code (else through the ask/tell loop)."""
        return state.problem.objective is not None

    def _tell_gradient(self, state: RunState, grad) -> None:
        """Check ``grad`` (given to ``tell``) and store it where the kernels read it."""
        raise NotImplementedError

    def _batch_rows(self, settings: Settings, space: Space) -> int:
        """The largest batch the algorithm asks for."""
        return 1

    def _blocks(self, settings: Settings, space: Space) -> dict:
        """The size (an int) or the initial contents (an array) of each block of ``state``,
        and the number of rows of each row block, by name."""
        return {}

    def _start(self, state: RunState) -> dict:
        """The initial values of the algorithm's fields, by name (with the first batch's size
        ``m`` and its ``request``). It may also fill blocks and rows. It runs once per run
        template (see ``_template``), so it must depend only on the settings, the space, the
        stopping rules and the blocks, and draw nothing: ``state.rng`` is None there."""
        raise NotImplementedError

    def _info(self, state: RunState) -> dict:
        """Algorithm-specific facts for ``OptimizeResult.info``."""
        return {}


@functools.lru_cache(maxsize=None)
def _parameter_getter(cls) -> tuple:
    """The parameter names of ``cls`` and a function reading their values as a tuple."""
    names = tuple(cls._param_names())
    if not names:
        return names, lambda self: ()
    getter = operator.attrgetter(*names)
    return names, (getter if len(names) > 1 else lambda self: (getter(self),))


@functools.lru_cache(maxsize=None)
def _parameter_names(cls) -> list[str]:
    signature = inspect.signature(cls.__init__)
    return [p.name for p in signature.parameters.values()
            if p.name != "self" and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)]


_RULES: dict = {}


#: the record's fields a result reads
_RESULT_FIELDS = HISTORY_FIELDS + ("nit", "nnan")
#: (status, budget, target) -> (success, message), for recent budgets and targets
_MESSAGES: dict = {}


def _message_of(status: Status, rules) -> tuple[bool, str]:
    """``status.success`` and ``_message``, kept for the status, budget and target."""
    found = (status.success, _message(status, rules))
    if len(_MESSAGES) >= 1024:
        _MESSAGES.clear()
    _MESSAGES[(status, rules.budget, rules.target)] = found
    return found


def _message(status: Status, rules) -> str:
    """Why the run stopped, in words, with the budget and target it was held to."""
    if status is not Status.MAX_EVALS:
        return status.message
    if rules.target is None:
        return (f"The evaluation budget ({rules.budget}) was spent; no target was given "
                "(termination=TargetValue(f)) to count as success.")
    return (f"The evaluation budget ({rules.budget}) was spent before the target "
            f"{rules.target:g} was met.")


def _stop_rules(budget, termination):
    """``stop_rules``, kept for a plain integer budget (the rules are immutable)."""
    if termination is not None or type(budget) is not int:
        return stop_rules(budget, termination)
    rules = _RULES.get(budget)
    if rules is None:
        rules = stop_rules(budget, None)
        if len(_RULES) >= 1024:
            _RULES.clear()
        _RULES[budget] = rules
    return rules


def _equal(a, b) -> bool:
    try:
        return bool(np.all(a == b)) if type(a) is type(b) else False
    except Exception:  # noqa: BLE001 - arbitrary user objects in parameters
        return a is b


def _report(problem, x) -> dict:
    """What the problem reports about the best point (``problem.report(x)``, e.g. a network
    problem's test accuracy), for ``OptimizeResult.info``."""
    report = getattr(problem, "report", None)
    return report(x) if report is not None and np.all(np.isfinite(x)) else {}
