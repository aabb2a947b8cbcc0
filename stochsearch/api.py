"""``minimize``: the one-line entry point, in the manner of ``scipy.optimize.minimize``."""
from __future__ import annotations

from ._validation import check_keywords, describe
from .optimizers.base import Optimizer
from .problem import as_problem
from .registry import OPTIMIZERS

__all__ = ["minimize"]


def minimize(fun, bounds=None, *, method="sa", budget: int | None = None, rng=None,
             init="uniform", x0=None, space=None, data=None, termination=None, callback=None,
             vectorized: bool = False, maximize: bool = False, options: dict | None = None,
             history: int = 100, record_x: bool = False, workers=None,
             batch: int | None = None):
    """Minimize a function with a stochastic search method.

    Parameters
    ----------
    fun : callable, numba function or Problem
        ``fun(x) -> float``. A numba-jitted ``fun`` runs entirely in compiled code.
    bounds : sequence of (low, high) pairs, optional
        The box to search (for Real spaces); or give ``space``.
    method : str or Optimizer
        A registry name (``"sa"``, ``"rhc"``, ``"random"``, ...; see
        ``stochsearch.OPTIMIZERS.names()``) or an Optimizer instance.
    budget : int
        Maximum number of objective evaluations.
    rng : None, int, SeedSequence or Generator
        Source of randomness; an int gives the same result every time.
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
    """
    if x0 is not None:
        if not (isinstance(init, str) and init == "uniform"):
            raise ValueError("give either x0 or init, not both")
        init = x0
    if not isinstance(maximize, bool):
        raise TypeError(f"maximize must be True or False, got {describe(maximize)}")
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
