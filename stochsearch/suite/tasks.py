"""One benchmark task: what it is, how a suite expands into tasks and seeds them, how its
objects are built, and how it runs.

A ``Task`` carries names and parameters only (never live objects), so it pickles cheaply to a
worker process or a Dask cluster; the worker builds the problem, optimizer and initializer
itself, for every task, and returns a plain ``dict`` record, the row the store writes. Names
are registry keys (``"sa"``, ``"rastrigin"``) or ``module:attribute`` references to a user's
own code, looked up first in a file beside the suite, then as an importable module.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib
import importlib.util
import inspect
import json
import math
import pathlib
import platform
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field

import numpy as np

from .._rng import seed_for_key
from .._validation import check_keywords, suggest
from ..registry import INITIALIZERS, NEIGHBORHOODS, OPTIMIZERS, PROBLEMS

__all__ = ["Task", "build_initializer", "build_optimizer", "build_problem", "expand",
           "failed_record", "library_versions", "resolve", "run_task", "task_seed"]

#: Record fields that depend only on the task, never on the machine, the executor or the
#: clock: the same suite stores the same values in them on every executor.
RESULT_FIELDS = ("suite", "key", "config", "optimizer", "algorithm", "params", "problem",
                 "problem_params", "init", "init_params", "replicate", "seed", "budget",
                 "status", "stop", "fun", "f_opt", "nfev", "nit", "dim", "kind", "history",
                 "error", "extra")


@dataclass(frozen=True)
class Task:
    """One run of the suite: an optimizer variant on a problem from an initializer, one seed.

    ``key`` names the task in the store (``variant|problem|init|replicate``); ``config`` is a
    hash of everything that determines its result, so a changed suite is noticed on resume.
    """

    suite: str
    key: str
    optimizer: str
    algorithm: str
    params: dict
    problem: str
    problem_ref: str
    problem_params: dict
    init: str
    init_ref: str
    init_params: dict
    replicate: int
    seed: int
    budget: int
    history: int
    record_x: bool
    f_opt: float | None = None
    base_dir: str | None = None
    measure: str | None = None
    config: str = field(default="", compare=False)
    #: Seconds the task may run (None: no limit). Not part of ``config``: a limit changes
    #: no result, it only turns a run that exceeds it into a failed task.
    timeout: float | None = field(default=None, compare=False)


def expand(suite) -> list[Task]:
    """The tasks of ``suite``, one per (optimizer, problem, initializer, replicate).

    Each task's seed is derived from the suite's seed and the task's names alone, so it does
    not depend on the order in which tasks are listed or scheduled; its ``config`` is a hash of
    everything that decides its result.
    """
    info = suite.problem_info()
    out = []
    for ov, pv, iv in suite.combinations():
        record_x = suite.trajectories and info[pv.name]["kind"] == "real" \
            and info[pv.name]["dim"] == 2
        for replicate in suite.seeds:
            names = (ov.name, pv.name, iv.name, replicate)
            task = Task(suite=suite.name, key="|".join(map(str, names)), optimizer=ov.name,
                        algorithm=ov.ref, params=ov.params, problem=pv.name,
                        problem_ref=pv.ref, problem_params=pv.params, init=iv.name,
                        init_ref=iv.ref, init_params=iv.params, replicate=replicate,
                        seed=task_seed(suite.seed, names), budget=pv.budget or suite.budget,
                        history=suite.history, record_x=record_x, f_opt=pv.f_opt,
                        base_dir=suite.base_dir, measure=suite.measure,
                        timeout=ov.timeout or suite.timeout)
            out.append(_with_config(task))
    return out


def task_seed(suite_seed: int, names) -> int:
    """The seed of the task named ``names`` in a suite seeded ``suite_seed`` (63 bits)."""
    sequence = seed_for_key(suite_seed, names)
    return int(sequence.generate_state(1, np.uint64)[0] >> np.uint64(1))


def _with_config(task: Task) -> Task:
    fields = {k: getattr(task, k) for k in (
        "algorithm", "params", "problem_ref", "problem_params", "init_ref", "init_params",
        "seed", "budget", "history", "record_x", "f_opt", "measure")}
    digest = hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode())
    return Task(**{**vars(task), "config": digest.hexdigest()[:16]})


# --- resolving names -----------------------------------------------------------------------
_REGISTRIES = {"optimizer": OPTIMIZERS, "problem": PROBLEMS, "initializer": INITIALIZERS}


def resolve(ref: str, kind: str, base_dir: str | None = None):
    """The object a suite names: a registry key of ``kind``, or ``module:attribute`` (the only
    form for a ``measure``).

    ``module`` is looked up as a file (``module.py``, dots as folders) in ``base_dir`` first,
    then imported normally.
    """
    if ":" not in ref:
        return _REGISTRIES[kind].get(ref)
    module_name, _, attribute = ref.partition(":")
    module = _import(module_name, base_dir)
    try:
        obj = module
        for part in attribute.split("."):
            obj = getattr(obj, part)
    except AttributeError:
        names = [n for n in dir(module) if not n.startswith("_")]
        raise ValueError(f"module {module_name!r} has no attribute {attribute!r}"
                         f"{suggest(attribute, names) or '.'}") from None
    return obj


def _import(module_name: str, base_dir: str | None):
    if base_dir is not None:
        module = _load_beside(pathlib.Path(base_dir).resolve(), module_name)
        if module is not None:
            return module
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name != module_name.split(".")[0] and error.name != module_name:
            raise
        where = (f"neither a file beside the suite ({base_dir}) nor an importable module"
                 if base_dir else "not an importable module")
        raise ValueError(f"cannot find module {module_name!r}: it is {where}") from None


def _load_beside(folder: pathlib.Path, module_name: str):
    """The module ``module_name`` of a file (or package) in the suite's folder, loaded from
    its path under a private name, or None when there is no such file.

    The folder is never put first on ``sys.path``: a ``threadpoolctl.py`` or ``matplotlib.py``
    beside a suite must not replace the library of that name in the driver or the workers.
    It is appended, so that the suite's modules can import their own helpers beside them.
    """
    top, *rest = module_name.split(".")
    package = folder / top / "__init__.py"
    path = package if package.is_file() else folder / f"{top}.py"
    if not path.is_file() or not top.isidentifier():
        return None
    digest = hashlib.sha1(str(folder).encode()).hexdigest()[:12]
    private = f"_stochsearch_suite_{digest}_{top}"
    stamp = path.stat().st_mtime_ns, path.stat().st_size
    module = sys.modules.get(private)
    if module is None or getattr(module, "__suite_stamp__", None) != stamp:
        for name in [n for n in sys.modules if n == private or n.startswith(private + ".")]:
            del sys.modules[name]
        spec = importlib.util.spec_from_file_location(
            private, path, submodule_search_locations=[str(path.parent)] if path is package
            else None)
        module = importlib.util.module_from_spec(spec)
        module.__suite_stamp__ = stamp
        if str(folder) not in sys.path:
            sys.path.append(str(folder))
        sys.modules[private] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[private]
            raise
    return importlib.import_module(".".join([private, *rest])) if rest else module


# --- building --------------------------------------------------------------------------------
def _construct(obj, ref: str, params: dict):
    """``obj(**params)``, refusing unknown parameter names with the closest valid one."""
    check_keywords(ref, obj, params)
    return obj(**params)


def _built(ref: str, kind: str, params: dict, base_dir, expected: type):
    """The object a ``kind`` entry builds (an instance of ``expected``), or the instance
    itself when the name refers to one (then without parameters)."""
    obj = resolve(ref, kind, base_dir)
    if isinstance(obj, expected):
        if params:
            raise ValueError(f"{ref!r} is a {expected.__name__} object and takes no "
                             "parameters")
        return obj
    built = _construct(obj, ref, params)
    if not isinstance(built, expected):
        raise TypeError(f"{ref!r} must build a stochsearch {expected.__name__}, got "
                        f"{type(built).__name__}")
    return built


def build_problem(ref: str, params: dict, base_dir: str | None = None):
    """The Problem a suite entry describes."""
    from ..problem import Problem

    return _built(ref, "problem", params, base_dir, Problem)


def build_optimizer(ref: str, params: dict, base_dir: str | None = None):
    """The Optimizer a suite entry describes (a ``move`` given as a table names a
    neighbourhood with its parameters: ``move = { name = "gaussian", scale = 0.05 }``)."""
    from ..optimizers.base import Optimizer

    params = dict(params)
    if isinstance(params.get("move"), dict):
        move = dict(params["move"])
        params["move"] = NEIGHBORHOODS.get(move.pop("name", None))(**move)
    return _built(ref, "optimizer", params, base_dir, Optimizer)


def build_initializer(ref: str, params: dict, base_dir: str | None = None):
    """The ``init=`` value of a suite entry: an Initializer, or a user's callable."""
    from ..initialization import Initializer

    obj = resolve(ref, "initializer", base_dir)
    if isinstance(obj, Initializer) or not (params or inspect.isclass(obj)):
        if params:
            raise ValueError(f"{ref!r} is an initializer object and takes no parameters")
        return obj  # an Initializer, or a callable (rng, space, n) -> X
    return _construct(obj, ref, params)  # a class, or a factory returning an initializer


# --- running ---------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def library_versions() -> str:
    """Versions of the libraries a result depends on, as JSON."""
    import numba
    import numpy
    import scipy

    from .. import __version__

    return json.dumps({"stochsearch": __version__, "numpy": numpy.__version__,
                       "numba": numba.__version__, "scipy": scipy.__version__,
                       "python": platform.python_version()}, sort_keys=True)


def run_task(task: Task) -> dict:
    """Run one task and return its record. An exception raised by the objective (or while
    building the task's objects) is caught: the record says ``failed`` and keeps the
    traceback and whatever the run had found."""
    started = time.perf_counter()
    problem = result = error = extra = None
    try:
        with _time_limit(task.timeout) as termination:
            # Built afresh for every task (0.2 ms for a landscape): a problem that keeps
            # state between evaluations then gives the same result on every executor.
            problem = build_problem(task.problem_ref, task.problem_params, task.base_dir)
            optimizer = build_optimizer(task.algorithm, task.params, task.base_dir)
            init = build_initializer(task.init_ref, task.init_params, task.base_dir)
            if task.measure is None:
                result = optimizer.run(problem, task.budget, rng=task.seed, init=init,
                                       history=task.history, record_x=task.record_x,
                                       termination=termination)
                if termination is not None and result.status.name == "WALL_TIME":
                    raise TaskTimeout(task.timeout, result)
            else:
                # A study's own experiment on the task's objects: (OptimizeResult or None, a
                # JSON-able dict of whatever it measured).
                measure = resolve(task.measure, "measure", task.base_dir)
                result, extra = measure(problem, optimizer, init, task)
    except Exception as exc:  # noqa: BLE001 - any failure of user code is data for the store
        # The first line says what happened; the traceback follows.
        error = f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc()}"
        result = getattr(exc, "partial_result", None)
    f_opt = task.f_opt if task.f_opt is not None else getattr(problem, "f_opt", None)
    if error is None and result is not None and below_optimum(result.fun, f_opt):
        error = below_optimum_message(task.problem, result.fun, f_opt)
    record = _record(task, result, error, time.perf_counter() - started)
    record["extra"] = extra
    if problem is not None:
        record["dim"], record["kind"] = problem.space.dim, problem.space.kind
        if record["f_opt"] is None and problem.f_opt is not None:
            record["f_opt"] = problem.f_opt
    return record


def below_optimum(fun, f_opt) -> bool:
    """Whether ``fun`` lies below the stated optimum ``f_opt`` by more than rounding: then the
    problem's definition is wrong, not the run."""
    if fun is None or f_opt is None or not math.isfinite(float(fun)):
        return False
    return float(fun) < f_opt - 1e-9 * max(1.0, abs(f_opt))


def below_optimum_message(problem: str, fun, f_opt) -> str:
    """The error of a run that went below its problem's stated optimum."""
    return (f"ProblemDefinitionError: problem {problem!r} states the optimum f_opt = "
            f"{f_opt:g}, but this run found f = {float(fun)!r}, below it (a negative gap of "
            f"{float(fun) - f_opt:.6g}): the problem's f_opt is wrong. f_opt is the optimum "
            "of the problem as minimized; for a fitness to maximize, minus its maximum (give "
            "as_problem(..., maximize=True, f_opt=...) the maximum itself).")


class TaskTimeout(Exception):
    """A task ran longer than its suite's ``timeout``."""

    def __init__(self, seconds: float, partial_result=None):
        super().__init__(f"the task ran out of its time limit of {seconds:g} s (timeout = "
                         f"{seconds:g} in the suite); the best point found so far is kept")
        self.partial_result = partial_result


@contextlib.contextmanager
def _time_limit(seconds: float | None):
    """Raise TaskTimeout in the block after ``seconds``. In the main thread of a process (this
    process, or a local worker) a timer signal interrupts even an objective that never
    returns; elsewhere (a Dask worker's thread) the run gets a WallTime termination, which
    stops it between evaluations. Yields that termination, or None."""
    if seconds is None:
        yield None
        return
    if not hasattr(signal, "setitimer") or \
            threading.current_thread() is not threading.main_thread():
        from ..termination import WallTime

        yield WallTime(seconds)
        return

    def expire(signum, frame):
        raise TaskTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def failed_record(task: Task, message: str) -> dict:
    """The record of a task that could not run at all (e.g. its worker kept dying)."""
    return _record(task, None, message, 0.0)


def _record(task: Task, result, error: str | None, wall_time: float) -> dict:
    record = {name: getattr(task, name) for name in (
        "suite", "key", "config", "optimizer", "algorithm", "params", "problem",
        "problem_params", "init", "init_params", "replicate", "seed", "budget")}
    record.update(status="failed" if error else "ok", stop=None, fun=None, f_opt=task.f_opt,
                  nfev=0, nit=0, dim=None, kind=None, history=None, error=error, extra=None,
                  wall_time=wall_time, versions=library_versions())
    if result is not None:
        history = result.history
        record.update(
            stop=result.status.name, fun=_number(result.fun), nfev=int(result.nfev),
            nit=int(result.nit),
            history={"nfev": history.nfev.tolist(), "fun": history.fun.tolist(),
                     "x": None if history.x is None else history.x.tolist()})
    return record


def _number(value) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value
