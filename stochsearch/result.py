"""What a run returns: ``OptimizeResult`` with scipy's field names, its ``History`` and
``Status``."""
from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

__all__ = ["History", "OptimizeResult", "Status"]


class Status(enum.IntEnum):
    """Why a run stopped. The integer values are the status codes kernels return."""

    RUNNING = 0
    MAX_EVALS = 1      #: the evaluation budget is spent
    TARGET = 2         #: the best value reached the target
    STAGNATION = 3     #: no improvement for the given number of evaluations
    CONVERGED = 4      #: the algorithm has nothing left to try (e.g. no restarts left)
    WALL_TIME = 5      #: the time limit passed
    CALLBACK = 6       #: the callback returned True
    DIVERGED = 7       #: the iterates became non-finite (e.g. SGD with too large a step)

    @property
    def message(self) -> str:
        """Why the run stopped, in words."""
        return _MESSAGES[self]

    @property
    def success(self) -> bool:
        """Whether stopping this way counts as success, in the sense of scipy's global
        optimizers: a met target or the search's own convergence test (``TARGET``,
        ``STAGNATION``, ``CONVERGED``) is; a spent budget, a time limit, a callback's stop
        and divergence are not."""
        return self in _SUCCESSFUL


_MESSAGES = {
    Status.RUNNING: "The run has not finished.",
    Status.MAX_EVALS: "The evaluation budget was spent before any stopping test was met.",
    Status.TARGET: "The target value was reached.",
    Status.STAGNATION: "The best value stagnated for the allowed number of evaluations.",
    Status.CONVERGED: "The search converged: no improvement and no restarts left.",
    Status.WALL_TIME: "The time limit was reached before any stopping test was met.",
    Status.CALLBACK: "The callback asked to stop.",
    Status.DIVERGED: "The iterates diverged to non-finite values.",
}
_SUCCESSFUL = frozenset({Status.TARGET, Status.STAGNATION, Status.CONVERGED})


@dataclass
class History:
    """Best-so-far objective value against the number of evaluations, at checkpoints.

    Attributes
    ----------
    nfev : ndarray of int64
        Evaluation counts of the checkpoints (increasing); the last one is the run's ``nfev``.
    fun : ndarray of float64
        Best value found within the first ``nfev[i]`` evaluations (non-increasing).
    x : ndarray or None
        Best point at each checkpoint, one row per checkpoint, when the run recorded points
        (``record_x=True``); else None.
    """

    nfev: np.ndarray
    fun: np.ndarray
    x: np.ndarray | None = None

    @classmethod
    def _of(cls, nfev: np.ndarray, fun: np.ndarray, x: np.ndarray | None) -> History:
        """``History(nfev, fun, x)`` without the dataclass's keyword handling."""
        history = object.__new__(cls)
        history.__dict__ = {"nfev": nfev, "fun": fun, "x": x}
        return history

    def __len__(self) -> int:
        return len(self.nfev)

    def first_hit(self, target: float) -> int | None:
        """Evaluations at the first checkpoint where the best value was ``<= target``."""
        hits = np.flatnonzero(self.fun <= target)
        return int(self.nfev[hits[0]]) if hits.size else None

    def value_at(self, nfev: int) -> float:
        """Best value after ``nfev`` evaluations (at the last checkpoint not beyond it)."""
        i = np.searchsorted(self.nfev, nfev, side="right") - 1
        return float(self.fun[i]) if i >= 0 else float("inf")


@dataclass(repr=False)
class OptimizeResult(Mapping):
    """The result of a run.

    It reads like scipy's ``OptimizeResult``: by attribute (``res.fun``) or by key
    (``res["fun"]``, ``"fun" in res``, ``dict(res)``, ``res.keys()``), and ``success`` has the
    meaning scipy's global optimizers give it.

    Attributes
    ----------
    x : ndarray
        Best point found.
    fun : float
        Its objective value.
    nfev : int
        Objective evaluations spent (for SGD: sample-gradients).
    nit : int
        Iterations of the algorithm (steps, generations or minibatches).
    success : bool
        True when a target value was met or the search stopped by its own convergence test
        (``status`` ``TARGET``, ``STAGNATION`` or ``CONVERGED``) with a finite best value;
        False when the budget or the time ran out, the callback stopped the run or the
        iterates diverged. As with scipy's ``differential_evolution``, spending the budget is
        not success: give a ``TargetValue`` to say what success is.
    message : str
        Why it stopped, in words.
    status : Status
        Why it stopped, as data.
    history : History
        Best-so-far value against evaluations.
    seed : int or None
        The seed that reproduces the run (``rng=seed``), when known.
    optimizer : str
        Registry name of the optimizer.
    params : dict
        The optimizer's hyperparameters.
    nnan : int
        Evaluations that returned NaN, counted as +inf.
    problem : str
        The problem's name.
    wall_time : float
        Seconds the run took.
    info : dict
        Algorithm-specific facts (e.g. the initial temperature, the number of restarts).
    """

    x: np.ndarray
    fun: float
    nfev: int
    nit: int
    success: bool
    message: str
    status: Status
    history: History
    seed: int | None = None
    optimizer: str = ""
    params: dict = field(default_factory=dict)
    nnan: int = 0
    problem: str = ""
    wall_time: float = 0.0
    info: dict = field(default_factory=dict)

    @classmethod
    def _of(cls, fields: dict) -> OptimizeResult:
        """The result holding ``fields`` (every field, in the class's order): what the
        dataclass's ``__init__`` does, without its keyword handling (half the cost of
        building the result of a short run)."""
        result = object.__new__(cls)
        result.__dict__ = fields
        return result

    def __getitem__(self, key: str) -> Any:
        """Dictionary-style access, as with scipy's OptimizeResult."""
        if key not in _FIELDS:
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        """The field names, in scipy's order first (``x, fun, nfev, nit, success, message``)."""
        return iter(_FIELDS)

    def __len__(self) -> int:
        return len(_FIELDS)

    def __contains__(self, key: object) -> bool:
        return key in _FIELDS

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(_FIELDS))

    def __repr__(self) -> str:
        x = np.array2string(np.asarray(self.x), threshold=8, edgeitems=3, precision=6)
        return (f"OptimizeResult(fun={self.fun!r}, nfev={self.nfev}, nit={self.nit}, "
                f"status={self.status.name}, optimizer={self.optimizer!r}, "
                f"problem={self.problem!r}, seed={self.seed!r},\n               x={x})")


_FIELDS = tuple(f.name for f in fields(OptimizeResult))
