"""When a run stops: composable termination objects, not strings.

``MaxEvals(n) | TargetValue(0.0)`` stops at whichever comes first. The evaluation budget is
counted the same way for every algorithm: one objective evaluation is one unit (SGD counts one
gradient on one sample as one unit).
"""
from __future__ import annotations

from dataclasses import dataclass

from ._validation import check_int, check_real, describe

__all__ = ["AnyOf", "MaxEvals", "Stagnation", "TargetValue", "Termination", "WallTime"]

#: The largest budget: evaluation counts are int64 in the kernels, which add one to it.
MAX_BUDGET = 2**62


class Termination:
    """Base class; combine with ``|``."""

    def __or__(self, other: "Termination") -> "AnyOf":
        return AnyOf(self, other)

    def _terms(self):
        return (self,)


@dataclass(frozen=True)
class MaxEvals(Termination):
    """Stop after ``n`` objective evaluations."""

    n: int

    def __post_init__(self):
        _check_budget("MaxEvals.n", self.n)


@dataclass(frozen=True)
class TargetValue(Termination):
    """Stop once the best value is ``<= f``."""

    f: float

    def __post_init__(self):
        if self.f != self.f:
            raise ValueError("TargetValue.f must be a number, got nan")


@dataclass(frozen=True)
class Stagnation(Termination):
    """Stop after ``n`` evaluations without an improvement of the best value by more than
    ``tol``."""

    n: int
    tol: float = 0.0

    def __post_init__(self):
        check_int("Stagnation.n", self.n, low=1)
        check_real("Stagnation.tol", self.tol, low=0.0)


@dataclass(frozen=True)
class WallTime(Termination):
    """Stop after ``seconds`` of wall-clock time (checked between chunks of evaluations)."""

    seconds: float

    def __post_init__(self):
        check_real("WallTime.seconds", self.seconds, low=0.0, low_open=True)


class AnyOf(Termination):
    """Stop when any of the given terminations fires."""

    def __init__(self, *terms: Termination):
        for term in terms:
            if not isinstance(term, Termination):
                raise TypeError(f"AnyOf takes Termination objects, got {describe(term)}")
        self.terms = tuple(t for term in terms for t in term._terms())

    def _terms(self):
        return self.terms

    def __repr__(self):
        return " | ".join(repr(t) for t in self.terms)

    def __eq__(self, other):
        return isinstance(other, AnyOf) and self.terms == other.terms


@dataclass(frozen=True)
class StopRules:
    """The stopping rules of one run, reduced to what the kernels and the driver check."""

    budget: int
    target: float | None
    stagnation: int | None
    stagnation_tol: float
    wall_time: float | None


def _check_budget(name: str, value) -> int:
    value = check_int(name, value, low=1)
    if value > MAX_BUDGET:
        raise ValueError(f"{name} must be a positive integer of at most 2**62 "
                         f"({MAX_BUDGET}, the largest count the kernels hold), got {value}")
    return value


def stop_rules(budget, termination) -> StopRules:
    """Combine ``budget`` and a termination (object, list of objects or None) into StopRules.

    A ``MaxEvals`` lowers the budget; of several rules of one type, the strictest holds.
    """
    if termination is None:
        terms = ()
    elif isinstance(termination, Termination):
        terms = termination._terms()
    elif isinstance(termination, (list, tuple)):
        terms = AnyOf(*termination).terms
    else:
        raise TypeError("termination must be a Termination (MaxEvals, TargetValue, Stagnation, "
                        f"WallTime, or several joined with |), got {describe(termination)}")
    limits = [t.n for t in terms if isinstance(t, MaxEvals)]
    if budget is not None:
        limits.append(_check_budget("budget", budget))
    if not limits:
        raise ValueError("budget must be given (a positive integer number of evaluations), "
                         "or a MaxEvals termination")
    targets = [t.f for t in terms if isinstance(t, TargetValue)]
    stagnations = [t for t in terms if isinstance(t, Stagnation)]
    times = [t.seconds for t in terms if isinstance(t, WallTime)]
    stagnation = min(stagnations, key=lambda t: t.n) if stagnations else None
    return StopRules(budget=min(limits), target=max(targets) if targets else None,
                     stagnation=stagnation.n if stagnation else None,
                     stagnation_tol=stagnation.tol if stagnation else 0.0,
                     wall_time=min(times) if times else None)
