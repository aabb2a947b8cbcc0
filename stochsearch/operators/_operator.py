"""What the genetic algorithm's operators share: the space kinds they fit, a parameter array,
equality by parameters, and turning a name or an instance into an operator."""
from __future__ import annotations

import numpy as np

from .._validation import check_choice, describe
from ..spaces import Space

ALL_KINDS = ("real", "binary", "permutation", "integer")


class Operator:
    """Base class of selection, crossover and mutation operators.

    Attributes
    ----------
    kinds : tuple of str
        The space kinds the operator works on.
    role : str
        What it is, for messages ("selection", "crossover", "mutation").
    """

    kinds: tuple[str, ...] = ALL_KINDS
    role: str = "operator"

    def pack(self, space: Space) -> np.ndarray:
        """The float64 parameter array the kernel reads, for ``space``."""
        return np.zeros(1)

    def check(self, space: Space) -> None:
        """Raise if the operator does not fit ``space``."""
        if space.kind not in self.kinds:
            kinds = list(self.kinds)
            listed = kinds[0] if len(kinds) == 1 else f"{', '.join(kinds[:-1])} and {kinds[-1]}"
            raise ValueError(f"the {self.role} {self!r} works on {listed} spaces, not on "
                             f"{space!r}")

    def __repr__(self):
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({params})"

    def __eq__(self, other):
        return type(self) is type(other) and vars(self) == vars(other)

    __hash__ = object.__hash__


def resolve(spec, base: type, names: dict, parameter: str, space: Space,
            defaults: dict | None = None) -> Operator:
    """Turn the value of ``parameter`` (None for the default of the space kind, a name in
    ``names``, an instance of ``base``, or a plain Python function: ``operators.python``) into
    an operator that fits ``space``."""
    if spec is None and defaults is not None:
        spec = defaults[space.kind]
    if isinstance(spec, str):
        spec = names[check_choice(parameter, spec, names)]()
    if not isinstance(spec, base):
        from .python import wrap
        spec = wrap(spec, base.role, space) or spec
    if not isinstance(spec, base):
        function = " or a Python function" if base.role in ("mutation", "crossover") else ""
        raise TypeError(f"{parameter} must be one of {', '.join(map(repr, names))} or a "
                        f"{base.__name__}{function}, got {describe(spec)}")
    spec.check(space)
    return spec


def box(space: Space) -> list:
    """``[lower..., width...]`` of a Real space, for kernels that keep points in the box."""
    return [*space.lower, *space.width]
