"""Parameter checks with one error-message format.

Every check raises ``ValueError`` or ``TypeError`` with one sentence naming the parameter,
what it must be, and what it got: ``budget must be a positive integer, got -5``.
"""
from __future__ import annotations

import difflib
import inspect
import numbers
from collections.abc import Iterable

import numpy as np

__all__ = [
    "accepted_parameters",
    "check_bool",
    "check_choice",
    "check_keywords",
    "check_int",
    "check_real",
    "check_probability",
    "describe",
    "suggest",
]


def describe(value) -> str:
    """Short description of a value for error messages."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, (list, tuple)) and len(value) > 6:
        return f"a {type(value).__name__} of length {len(value)}"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def suggest(name: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'sa'?"`` when a close match exists, else ``""``."""
    close = difflib.get_close_matches(str(name), list(choices), n=1, cutoff=0.5)
    return f"; did you mean {close[0]!r}?" if close else ""


def check_choice(name: str, value, choices: Iterable[str]) -> str:
    """Check that ``value`` is one of ``choices`` (strings) and return it."""
    choices = list(choices)
    if not isinstance(value, str) or value not in choices:
        hint = suggest(value, choices) if isinstance(value, str) else ""
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {options}, got {describe(value)}{hint}")
    return value


def check_int(name: str, value, *, low: int | None = None, high: int | None = None,
              allow_none: bool = False) -> int | None:
    """Check that ``value`` is an integer in ``[low, high]`` and return it as ``int``."""
    if value is None and allow_none:
        return None
    is_int = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        is_int, value = True, int(value)
    if not is_int:
        raise TypeError(f"{name} must be {_int_phrase(low, high)}, got {describe(value)}")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be {_int_phrase(low, high)}, got {value}")
    return value


def _int_phrase(low, high) -> str:
    if low == 1 and high is None:
        return "a positive integer"
    if low == 0 and high is None:
        return "a non-negative integer"
    if low is not None and high is not None:
        return f"an integer in [{low}, {high}]"
    if low is not None:
        return f"an integer >= {low}"
    return "an integer"


def check_real(name: str, value, *, low: float | None = None, high: float | None = None,
               low_open: bool = False, high_open: bool = False,
               allow_none: bool = False) -> float | None:
    """Check that ``value`` is a finite real number in the given interval."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {_real_phrase(low, high, low_open, high_open)}, "
                        f"got {describe(value)}")
    value = float(value)
    bad = not np.isfinite(value)
    if low is not None:
        bad |= value <= low if low_open else value < low
    if high is not None:
        bad |= value >= high if high_open else value > high
    if bad:
        raise ValueError(f"{name} must be {_real_phrase(low, high, low_open, high_open)}, "
                         f"got {value!r}")
    return value


def _real_phrase(low, high, low_open, high_open) -> str:
    if low == 0 and high is None:
        return "a positive number" if low_open else "a non-negative number"
    parts = []
    if low is not None:
        parts.append(f"{'>' if low_open else '>='} {low}")
    if high is not None:
        parts.append(f"{'<' if high_open else '<='} {high}")
    return "a finite number" + (" " + " and ".join(parts) if parts else "")


def check_bool(name: str, value) -> bool:
    """Check that ``value`` is True or False."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise TypeError(f"{name} must be True or False, got {describe(value)}")


def check_probability(name: str, value) -> float:
    """Check that ``value`` is a number in [0, 1]."""
    return check_real(name, value, low=0.0, high=1.0)


def accepted_parameters(obj) -> list[str] | None:
    """Keyword parameters of a class or factory; None when it takes ``**kwargs``."""
    target = obj.__init__ if inspect.isclass(obj) else obj
    try:
        parameters = inspect.signature(target).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind is p.VAR_KEYWORD for p in parameters):
        return None
    return [p.name for p in parameters if p.name != "self"
            and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]


def check_keywords(ref: str, obj, params: dict) -> None:
    """Refuse a parameter name that ``obj`` (a class or factory) does not take, with the
    closest valid one: ``'sa' has no parameter 't00'; did you mean 't0'?``."""
    accepted = accepted_parameters(obj)
    for key in params:
        if accepted is not None and key not in accepted:
            raise ValueError(f"{ref!r} has no parameter {key!r}{suggest(key, accepted) or '.'}"
                             f" Its parameters: {', '.join(accepted) or 'none'}.")
