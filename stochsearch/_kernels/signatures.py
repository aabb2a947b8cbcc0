"""The fixed signatures of functions that kernels take by address, per kind of space.

A kernel never receives a jitted function as an ordinary argument (that would specialize and
recompile it per function, DESIGN.md section 5). It receives the address of the function compiled
for one fixed signature of its *role* (objective, incremental delta, gradient, neighbourhood
proposal, cooling schedule...) and rebuilds it with ``_kernels.addresses.load_function``. This
module names those signatures and takes the addresses.
"""
from __future__ import annotations

import weakref

import numba
from numba import types
from numba.experimental.function_type import _get_jit_address

__all__ = ["ELEMENT_TYPES", "F64", "GENERATOR", "I64", "SIGNATURES", "function_address",
           "kind_of", "per_kind", "register_role", "signature"]

#: numba element type of a point, per space kind. Integer and Permutation points are both int64,
#: so their signatures are the same and kernels compiled for one serve the other.
ELEMENT_TYPES = {"real": types.float64, "binary": types.int8, "permutation": types.int64,
                 "integer": types.int64}

#: numba types that role signatures are made of: the Generator, float64 and int64 vectors.
GENERATOR = types.NumPyRandomGeneratorType("NumPyRandomGeneratorType")
F64 = types.float64[::1]
I64 = types.int64[::1]


def per_kind(build):
    """``{kind: build(point_type)}`` for every space kind: a role whose signature takes points."""
    return {kind: build(element[::1]) for kind, element in ELEMENT_TYPES.items()}


#: role -> space kind -> numba signature. Other modules add roles with ``register_role``.
SIGNATURES: dict[str, dict[str, numba.core.typing.Signature]] = {
    # f(x, data) -> value
    "objective": per_kind(lambda x: types.float64(x, F64)),
    # f_new = delta(x_old, x_new, move, data, f_old): incremental evaluation of a move
    "delta": per_kind(lambda x: types.float64(x, x, I64, F64, types.float64)),
    # propose(x, y, move, params, rng): y (equal to x on entry) becomes a neighbour of x
    "propose": per_kind(lambda x: types.none(x, x, I64, F64, GENERATOR)),
    # value = gradient(x, data, out): writes the gradient of f at x into out
    "gradient": {"real": types.float64(F64, F64, F64)},
    # t = temperature(t0, t, step, steps, uphill_acceptance, params)
    "temperature": {kind: types.float64(types.float64, types.float64, types.int64,
                                        types.int64, types.float64, F64)
                    for kind in ELEMENT_TYPES},
}


def register_role(role: str, by_kind: dict) -> None:
    """Declare a new role (e.g. a crossover) with its signature per space kind."""
    if role in SIGNATURES:
        raise ValueError(f"role {role!r} is already declared")
    SIGNATURES[role] = dict(by_kind)


def kind_of(element_type) -> str:
    """The (first) space kind whose points have numba element type ``element_type``: int64 gives
    ``"permutation"``, whose signatures are also the ``"integer"`` ones."""
    for kind, element in ELEMENT_TYPES.items():
        if element == element_type:
            return kind
    raise TypeError(f"no space kind has elements of type {element_type}")


def signature(role: str, kind: str):
    """The numba signature a function of ``role`` must have on a space of ``kind``."""
    try:
        return SIGNATURES[role][kind]
    except KeyError:
        raise ValueError(f"no {role} functions exist for {kind} spaces") from None


def function_address(func, role: str, kind: str) -> int:
    """Compile ``func`` (a numba dispatcher) for its role's signature and return its address.

    Raises
    ------
    TypeError
        If ``func`` is not a numba-jitted function or does not compile for the signature, with
        the signature it must have.
    """
    key = (role, kind)
    known = _ADDRESSES.get(func)
    if known is not None and key in known:
        return known[key]
    sig = signature(role, kind)
    if not isinstance(func, numba.core.registry.CPUDispatcher):
        raise TypeError(f"the {role} must be a numba.njit function with signature {sig}, "
                        f"got {type(func).__name__}")
    try:
        address = int(_get_jit_address(func, sig))
    except numba.core.errors.NumbaError as error:
        name = getattr(func, "__name__", func)
        reason = _reason(str(error))
        if "No conversion from array" in reason and "to float64" in reason:
            reason = "it returns an array where a scalar is needed"
        raise TypeError(f"the {role} {name!r} does not compile with the signature {sig} that "
                        f"{kind} spaces require: {reason}") from None
    _ADDRESSES.setdefault(func, {})[key] = address
    return address


# dispatcher -> {(role, kind): address}; weak, so that a user's function can still be freed.
_ADDRESSES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _reason(message: str) -> str:
    """The informative line of a numba typing error (not its 'Failed in ... pipeline' header)."""
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    for line in lines:
        if not line.startswith(("Failed in", "During:", "File ", "<source")):
            return line
    return lines[0] if lines else "unknown numba error"
