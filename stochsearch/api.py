"""``minimize``: the one-line entry point, in the manner of ``scipy.optimize.minimize``."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numba

from ._rng import RNGLike
from ._validation import check_keywords, describe
from .optimizers.base import Optimizer
from .problem import Problem, as_problem
from .result import OptimizeResult
from .spaces import Space
from .termination import Termination
from .registry import OPTIMIZERS

__all__ = ["minimize"]


def minimize(fun: Callable[..., Any] | Problem, bounds: Any = None, *,
             args: tuple = (), method: str | Optimizer | type[Optimizer] = "sa",
             budget: int | None = None, rng: RNGLike = None, init: Any = "uniform",
             x0: Any = None, space: Space | None = None, data: Any = None,
             termination: Termination | None = None,
             callback: Callable[[OptimizeResult], Any] | None = None,
             vectorized: bool = False, maximize: bool = False,
             options: dict[str, Any] | None = None, history: int = 100,
             record_x: bool = False, workers: Any = None,
             batch: int | None = None) -> OptimizeResult:
    """Minimize a function with a stochastic search method.

    Parameters
    ----------
    fun : callable, numba function or Problem
        ``fun(x) -> float``. A numba-jitted ``fun`` runs entirely in compiled code.
    bounds : sequence of (low, high) pairs or scipy.optimize.Bounds, optional
        The box to search (for Real spaces); or give ``space``.
    args : tuple, optional
        Extra arguments passed to a Python ``fun``: ``fun(x, *args)`` (``fun(X, *args)`` with
        ``vectorized=True``), as in scipy. A numba objective takes its instance as ``data``.
    method : str or Optimizer
        A registry name (``"sa"``, ``"rhc"``, ``"random"``, ...; see
        ``stochsearch.OPTIMIZERS.names()``) or an Optimizer instance.
    budget : int
        Maximum number of objective evaluations.
    rng : None, int, sequence of int, SeedSequence, BitGenerator or Generator
        Source of randomness, anything ``numpy.random.default_rng`` accepts (SPEC 7); an int
        gives the same result every time.
    init : str, array, Initializer or callable
        Where the search starts: ``"uniform"`` (default), ``"zeros"``, ``"center"``,
        ``"normal"``, an initializer object, or a callable ``(rng, space, n) -> X``.
    x0 : array_like, optional
        An explicit starting point (shortcut for ``init=x0``).
    space : Space, optional
        A Real, Integer, Binary or Permutation space instead of ``bounds``.
    data : array_like of float64, optional
        The instance data of a numba ``fun(x, data)``: required by one, refused otherwise.
    termination : Termination, optional
        Further stopping rules (``TargetValue``, ``Stagnation``, ``WallTime``...).
    callback : callable, optional
        Called with the intermediate result at each history checkpoint; True stops the run.
    vectorized : bool
        ``fun`` takes a batch ``X`` (one point per row) and returns one value per row.
    maximize : bool
        ``fun`` is a fitness to maximize: the search minimizes ``-fun``, and the result's
        ``fun`` (and ``history``) hold ``-fun``, so ``-result.fun`` is the best fitness found.
        A Problem given as ``fun`` is negated the same way.
    options : dict, optional
        Hyperparameters of the method, e.g. ``{"t0": 0}``.
    workers : None, int, concurrent.futures.Executor, dask.distributed.Client or "dask"
        Evaluate batches in parallel: an int is a process pool of that many workers (``fun``
        must be picklable), an executor or a Dask client is used as given; None or 1 is
        serial. The result is bit-identical to the serial run with the same seed.
    batch : int, optional
        Points evaluated together (default: the number of workers); annealing and hill
        climbing ask the extra points speculatively (see ``Optimizer.run``).

    Returns
    -------
    OptimizeResult

    Examples
    --------
    >>> import numpy as np
    >>> res = minimize(lambda x: float(np.sum(x ** 2)), bounds=[(-5.12, 5.12)] * 3,
    ...                method="rhc", budget=3_000, rng=0)
    >>> res.fun < 1e-6, res.nfev <= 3_000
    (True, True)

    Extra arguments reach the objective as in scipy, and the result reads like a dict:

    >>> res = minimize(lambda x, c: float(np.sum((x - c) ** 2)), bounds=[(-5, 5)] * 2,
    ...                args=(1.0,), method="rhc", budget=2_000, rng=0)
    >>> "fun" in res, sorted(res)[:3], bool(abs(res["x"] - 1).max() < 1e-3)
    (True, ['fun', 'history', 'info'], True)
    """
    if x0 is not None:
        if not (isinstance(init, str) and init == "uniform"):
            raise ValueError("give either x0 or init, not both")
        init = x0
    if not isinstance(maximize, bool):
        raise TypeError(f"maximize must be True or False, got {describe(maximize)}")
    fun = _with_args(fun, args)
    problem = as_problem(fun, space, bounds=bounds, data=data, vectorized=vectorized,
                         maximize=maximize)
    optimizer = _optimizer(method, options)
    return optimizer.run(problem, budget, rng=rng, init=init, termination=termination,
                         callback=callback, history=history, record_x=record_x,
                         workers=workers, batch=batch)


def _optimizer(method, options) -> Optimizer:
    if isinstance(method, Optimizer):
        if options:
            raise ValueError("options are for a method given by name; set the parameters of an "
                             "Optimizer instance in its constructor")
        return method
    if options is not None and not isinstance(options, dict):
        raise TypeError(f"options must be a dict of the method's parameters, got "
                        f"{describe(options)}")
    if isinstance(method, str):
        cls = OPTIMIZERS.get(method)
    elif isinstance(method, type) and issubclass(method, Optimizer):
        cls = method
    else:
        cls = None
    if cls is not None:
        check_keywords(method if isinstance(method, str) else cls.__name__, cls, options or {})
        return cls(**(options or {}))
    raise TypeError(f"method must be an optimizer name or an Optimizer, got {describe(method)}")


def _with_args(fun, args):
    """``fun`` with scipy's ``args`` bound after ``x``; checked for the kinds that take none."""
    if not isinstance(args, tuple):
        args = (args,)                   # scipy's rule: a single extra argument may stand alone
    if not args:
        return fun
    if isinstance(fun, Problem):
        raise ValueError("args cannot be given with a Problem: it holds its own objective")
    if isinstance(fun, numba.core.registry.CPUDispatcher):
        raise ValueError(f"args is for a Python objective; the numba objective "
                         f"{fun.__name__} takes its instance as data= (f(x, data))")
    if not callable(fun):
        raise TypeError(f"the objective must be callable, got {describe(fun)}")
    return _BoundArgs(fun, args)


class _BoundArgs:
    """``fun(x, *args)`` as a picklable callable named after ``fun`` (for the result and
    for worker processes, which receive the objective by pickling)."""

    def __init__(self, fun, args):
        self.fun, self.args = fun, args
        self.__name__ = getattr(fun, "__name__", type(fun).__name__)

    def __call__(self, x):
        return self.fun(x, *self.args)
