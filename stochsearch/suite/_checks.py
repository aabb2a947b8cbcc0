"""The checks behind suite validation: every error is collected as ``file: key: sentence``
and raised together, so a user fixes a suite in one pass."""
from __future__ import annotations

import numbers
from collections.abc import Iterable

from .._validation import suggest

__all__ = ["Checker", "SuiteError"]


class SuiteError(ValueError):
    """A suite that does not validate; ``errors`` lists one sentence per problem found."""

    def __init__(self, errors: Iterable[str]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


class Checker:
    """Collects the errors of one suite file (``where``)."""

    def __init__(self, where: str):
        self.where = where
        self.errors: list[str] = []

    def add(self, key: str, message: str) -> None:
        self.errors.append(f"{self.where}: {key}: {message}" if key else
                           f"{self.where}: {message}")

    def ok(self) -> bool:
        return not self.errors

    def raise_if_any(self) -> None:
        if self.errors:
            raise SuiteError(self.errors)

    @staticmethod
    def suggest(name: str, choices) -> str:
        return suggest(name, choices) or "."

    @staticmethod
    def _key(where: str, key: str) -> str:
        return f"{where}.{key}" if where else key

    def keys(self, table: dict, allowed, where: str) -> None:
        """Every key of ``table`` must be one of ``allowed``."""
        for key in table:
            if key not in allowed:
                self.add(self._key(where, key), f"unknown key{self.suggest(key, allowed)} "
                                                f"Valid keys: {', '.join(allowed)}.")

    def _get(self, table, key, where, default, required, what, test):
        if key not in table:
            if required:
                self.add(self._key(where, key), f"missing (must be {what})")
            return default
        value = table[key]
        if not test(value):
            self.add(self._key(where, key), f"must be {what}, got {value!r}")
            return default
        return value

    def table(self, table, key, where, required=False):
        return self._get(table, key, where, None, required, "a table",
                         lambda v: isinstance(v, dict))

    def string(self, table, key, where, default=None):
        return self._get(table, key, where, default, False, "a string",
                         lambda v: isinstance(v, str) and v != "")

    def boolean(self, table, key, where, default=None):
        return self._get(table, key, where, default, False, "true or false",
                         lambda v: isinstance(v, bool))

    def integer(self, table, key, where, low, default=None):
        what = "a positive integer" if low == 1 else f"an integer >= {low}"
        return self._get(table, key, where, default, False, what,
                         lambda v: _is_int(v) and v >= low)

    def number(self, table, key, where, default=None):
        return self._get(table, key, where, default, False, "a number",
                         lambda v: isinstance(v, numbers.Real) and not isinstance(v, bool))

    def seconds(self, table, key, where, default=None):
        return self._get(table, key, where, default, False, "a positive number of seconds",
                         lambda v: isinstance(v, numbers.Real) and not isinstance(v, bool)
                         and 0 < v < float("inf"))

    def choice(self, table, key, where, choices, default=None):
        value = table.get(key, default)
        if value not in choices:
            hint = self.suggest(value, choices) if isinstance(value, str) else "."
            self.add(self._key(where, key), f"must be one of {', '.join(map(repr, choices))}, "
                                            f"got {value!r}{hint[:-1] if hint != '.' else ''}")
            return default
        return value

    def targets(self, table, key, where, default=None):
        value = self._get(table, key, where, default, False,
                          "a non-empty list of positive numbers (precisions f - f_opt)",
                          lambda v: isinstance(v, list) and v and all(
                              isinstance(t, numbers.Real) and not isinstance(t, bool) and t > 0
                              for t in v))
        return None if value is None else tuple(sorted((float(t) for t in value), reverse=True))


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
