"""Problems: a search space and an objective to minimize.

A ``Problem`` holds its objective in up to three forms (DESIGN.md section 3): a Python callable
(run through the ask/tell loop), a numba-jitted scalar ``objective(x, data)`` with the fixed
signature of its space kind (run entirely inside numba, the *fused* path), and optionally a
``gradient(x, data, out)`` and an incremental ``delta``. ``as_problem`` builds one from whatever a
user has and says which path it will run on.
"""
from __future__ import annotations

import inspect
import numbers
from collections.abc import Callable
from typing import Any

import numba
import numpy as np
from numpy.typing import ArrayLike

from ._kernels import signatures
from ._kernels.evaluate import evaluate_rows
from ._kernels.jit import jit
from ._validation import describe
from .operators.neighborhoods import Neighborhood
from .registry import NEIGHBORHOODS
from .spaces import Real, Space

__all__ = ["Problem", "as_problem"]

_NO_DATA = np.zeros(0)


class Problem:
    """An objective to minimize over a search space.

    Parameters
    ----------
    space : Space
        Where the search happens.
    fun : callable, optional
        Python objective ``fun(x) -> float`` on one point (or ``fun(X) -> f`` on a batch when
        ``vectorized=True``).
    objective : numba function, optional
        ``objective(x, data) -> float`` compiled with numba; with it, runs execute entirely in
        compiled code. Its signature per space kind is fixed (``stochsearch._kernels.signatures``).
    data : array_like of float64, optional
        The instance data passed to ``objective``, ``gradient`` and ``delta``.
    gradient : numba function, optional
        ``gradient(x, data, out) -> float`` writes the gradient at ``x`` into ``out`` and returns
        the objective value (Real spaces only).
    delta : numba function, optional
        ``delta(x_old, x_new, move, data, f_old) -> f_new``: incremental evaluation of a
        neighbourhood move; the kernels use it instead of ``objective`` where offered.
    vectorized : bool
        Whether ``fun`` takes a batch.
    f_opt : float, optional
        The known optimal value of the problem as minimized (for success rates and targets):
        no point may have a lower value. For a fitness to maximize, that is minus its maximum
        (OneMax(100) has ``f_opt = -100``).
    x_opt : array_like, optional
        A known optimal point.
    name : str, optional
    neighborhood : str or Neighborhood, optional
        The problem's natural neighbourhood (a registered name such as ``"2opt"``, turned into
        that neighbourhood with its default parameters, or a ``Neighborhood``), checked against
        the space kind: the move that hill climbing and annealing use when they are given none
        (the TSP names 2-opt, whose moves keep most of a tour's edges). None (default) leaves
        the choice to the optimizer. Kept by pickling, ``negate()`` and ``as_problem``; it can
        also be set later (``problem.neighborhood = "2opt"``), with the same check.

    Notes
    -----
    Problems are always minimized; ``negate()`` turns a fitness to maximize into one to minimize.
    An objective value of NaN counts as +inf (and is counted in ``OptimizeResult.nnan``).
    """

    def __init__(self, space: Space, *, fun: Callable[..., Any] | None = None,
                 objective: Any = None, data: ArrayLike | None = None, gradient: Any = None,
                 delta: Any = None, vectorized: bool = False, f_opt: float | None = None,
                 x_opt: ArrayLike | None = None, name: str | None = None,
                 neighborhood: str | Neighborhood | None = None) -> None:
        if not isinstance(space, Space):
            raise TypeError(f"space must be a Real, Integer, Binary or Permutation space, got "
                            f"{describe(space)}")
        if fun is None and objective is None:
            raise ValueError("a Problem needs an objective: give fun (Python) or objective "
                             "(numba)")
        if fun is not None and not callable(fun):
            raise TypeError(f"fun must be callable, got {describe(fun)}")
        if gradient is not None and space.kind != "real":
            raise ValueError(f"gradient is only defined on Real spaces, got a {space!r}")
        self.space = space
        self.fun = fun
        self.vectorized = bool(vectorized)
        self.objective = objective
        self.gradient = gradient
        self.delta = delta
        self.data = _NO_DATA if data is None else np.ascontiguousarray(data, dtype=np.float64)
        if self.data.ndim != 1:
            raise ValueError(f"data must be a 1-D float64 array, got {describe(self.data)}")
        self.f_opt = None if f_opt is None else float(f_opt)
        self.x_opt = None if x_opt is None else np.asarray(x_opt, dtype=space.dtype)
        self.name = name or getattr(fun or objective, "__name__", type(self).__name__)
        self.neighborhood = neighborhood
        # Compile now, so that a bad numba objective is reported before any work.
        self.addresses()

    # A class default, so that problems pickled before the attribute existed still read None.
    _neighborhood: Neighborhood | None = None

    @property
    def neighborhood(self) -> Neighborhood | None:
        """The problem's natural neighbourhood, or None (see the class docstring)."""
        return self._neighborhood

    @neighborhood.setter
    def neighborhood(self, value) -> None:
        if value is not None:
            if isinstance(value, str):
                value = NEIGHBORHOODS.get(value)()
            if not isinstance(value, Neighborhood):
                raise TypeError(f"neighborhood must be a neighbourhood name or a Neighborhood, "
                                f"got {describe(value)}")
            value.check(self.space)
        self._neighborhood = value

    @property
    def path(self) -> str:
        """``"fused"`` when runs execute entirely in numba, ``"python"`` otherwise."""
        return "fused" if self.objective is not None else "python"

    @property
    def dim(self) -> int:
        return self.space.dim

    def addresses(self) -> dict[str, int]:
        """Addresses of the compiled objective, delta and gradient (0 where absent)."""
        kind = self.space.kind
        out = {}
        for role in ("objective", "delta", "gradient"):
            func = getattr(self, role)
            out[role] = 0 if func is None else signatures.function_address(func, role, kind)
        return out

    def evaluate(self, X: ArrayLike) -> np.ndarray:
        """Objective values of a batch of points (rows of ``X``), as float64."""
        X = self.space.as_points(X)
        if self.fun is None:
            out = np.empty(X.shape[0])
            evaluate_rows(self.addresses()["objective"], X, self.data, out)
            return out
        if self.vectorized:
            f = np.asarray(self.fun(X), dtype=float)
            if f.shape != (X.shape[0],):
                raise ValueError(f"the vectorized objective must return one value per row, "
                                 f"shape ({X.shape[0]},), got {describe(f)}")
            return f
        return np.array([scalar_value(self.fun(x)) for x in X], dtype=float)

    def __call__(self, x) -> float:
        """The objective value at one point."""
        return float(self.evaluate(x)[0])

    def negate(self) -> "Problem":
        """The problem of minimizing ``-f``: use it to maximize a fitness."""
        return _Negated(self)

    def __repr__(self):
        return (f"{type(self).__name__}(name={self.name!r}, space={self.space!r}, "
                f"path={self.path!r})")


def scalar_value(value) -> float:
    """``value`` as a float, or a clear error when an objective returned something else."""
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, (str, bytes)):  # float("1.5") would succeed: a string is no value
        raise TypeError(f"the objective must return a real number, got {describe(value)}")
    if np.ndim(value) != 0:
        raise TypeError(f"the objective must return a scalar, got {describe(np.asarray(value))}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"the objective must return a real number, got {describe(value)}") from None


class _Negated(Problem):
    def __init__(self, base: Problem):
        self.base = base
        fun = None
        if base.fun is not None:
            fun = (lambda X: -np.asarray(base.fun(X), dtype=float)) if base.vectorized \
                else (lambda x: -scalar_value(base.fun(x)))
        objective = None if base.objective is None else _negate_jitted(base.objective)
        super().__init__(base.space, fun=fun, vectorized=base.vectorized, objective=objective,
                         data=base.data, f_opt=None if base.f_opt is None else -base.f_opt,
                         x_opt=base.x_opt, name=f"-{base.name}",
                         neighborhood=base.neighborhood)

    def __reduce__(self):
        return (_rebuild_negated, (self.base, self.neighborhood))


def _rebuild_negated(base: Problem, neighborhood) -> Problem:
    negated = _Negated(base)
    negated.neighborhood = neighborhood
    return negated


def _negate_jitted(objective):
    inner = objective

    @jit
    def negated(x, data):
        return -inner(x, data)

    return negated


def as_problem(fun: Callable[..., Any] | Problem, space: Space | None = None, *,
               bounds: Any = None, data: ArrayLike | None = None, vectorized: bool = False,
               maximize: bool = False, f_opt: float | None = None,
               x_opt: ArrayLike | None = None, name: str | None = None,
               neighborhood: str | Neighborhood | None = None) -> Problem:
    """Make a Problem from a user's objective.

    Parameters
    ----------
    fun : Problem, callable or numba function
        A Problem is returned unchanged. A numba function ``f(x)`` or ``f(x, data)`` runs on the
        fused path; any other callable ``f(x) -> float`` (or ``f(X) -> f`` with
        ``vectorized=True``) runs through the ask/tell loop.
    space : Space, optional
        The search space; or give ``bounds``.
    bounds : sequence of (low, high) pairs, optional
        Shortcut for ``space=Real.from_bounds(bounds)``.
    data : array_like of float64, optional
        The instance passed to a numba ``f(x, data)`` (required by one, refused otherwise).
    maximize : bool
        If True, ``fun`` is a fitness to maximize and the problem minimizes ``-fun``.
    f_opt : float, optional
        The best value of ``fun`` as written: its minimum, or with ``maximize=True`` its
        maximum. The problem stores it negated with the objective (``problem.f_opt`` is
        always the minimized value), so give it once, in ``fun``'s own sign.
    neighborhood : str or Neighborhood, optional
        The problem's natural neighbourhood (``Problem``); a Problem keeps its own, also when
        negated by ``maximize=True``.

    Examples
    --------
    >>> p = as_problem(lambda x: float((x ** 2).sum()), bounds=[(-1, 1)] * 3)
    >>> p.path, p([0.5, 0.0, 0.0])
    ('python', 0.25)
    """
    if isinstance(fun, Problem):
        if space is not None or bounds is not None:
            raise ValueError("space and bounds cannot be given with a Problem: it has its own")
        if f_opt is not None or x_opt is not None or vectorized or data is not None:
            raise ValueError("f_opt, x_opt, data and vectorized cannot be given with a "
                             "Problem: it has its own")
        if neighborhood is not None:
            raise ValueError("neighborhood cannot be given with a Problem: it has its own "
                             "(set problem.neighborhood to change it)")
        return fun.negate() if maximize else fun
    if space is not None and bounds is not None:
        raise ValueError("give either space or bounds, not both")
    if space is None:
        if bounds is None:
            raise ValueError("as_problem needs a space (Real, Integer, Binary or Permutation) or bounds")
        space = Real.from_bounds(bounds)
    if not isinstance(space, Space):
        raise TypeError(f"space must be a Real, Integer, Binary or Permutation space, got {describe(space)}")
    if not callable(fun):
        raise TypeError(f"the objective must be callable, got {describe(fun)}")
    if isinstance(fun, numba.core.registry.CPUDispatcher):
        if vectorized:
            raise ValueError("vectorized=True is for Python functions of a batch; a numba "
                             "objective takes one point")
        takes_data = _arity(fun.py_func) >= 2
        if takes_data and data is None:
            raise ValueError(f"data must be given for the numba objective {fun.__name__}"
                             "(x, data), which takes the problem's data as its second argument, "
                             "got none (pass data= a 1-D float64 array, or write f(x))")
        if not takes_data and data is not None:
            raise ValueError(f"data is given but the numba objective {fun.__name__}(x) takes "
                             "no data argument")
        objective = fun if takes_data else _with_data_argument(fun)
        problem = Problem(space, objective=objective, data=data, f_opt=f_opt, x_opt=x_opt,
                          name=name or fun.__name__, neighborhood=neighborhood)
    else:
        if data is not None:
            raise ValueError("data is only for a numba objective f(x, data); a Python "
                             "function can hold its own data (a closure, functools.partial)")
        problem = Problem(space, fun=fun, vectorized=vectorized, f_opt=f_opt, x_opt=x_opt,
                          name=name, neighborhood=neighborhood)
    return problem.negate() if maximize else problem


def _arity(func) -> int:
    try:
        parameters = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return 1
    return sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in parameters)


def _with_data_argument(func):
    inner = func

    @jit
    def objective(x, data):
        return inner(x)

    return objective

