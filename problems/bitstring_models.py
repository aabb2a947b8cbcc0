"""Tunable and physics-born bitstring problems: the W-model layers (neutrality, epistasis,
ruggedness) over OneMax and LeadingOnes, low-autocorrelation binary sequences (LABS) and
ferromagnetic Ising models on a ring and a torus. Each has a numba objective with the fixed
``f(x, data)`` signature of a Binary space (kernels in ``_bitstring_model_kernels.py``), its known
optimum where one is known, and seeded instances: ``shift=True`` XORs every point with a mask
drawn from ``seed`` (the landscape is the same up to relabelling, but the optimum moves away from
the all-ones or all-zeros string that a fixed start or a biased operator would favour).
"""
from __future__ import annotations

import math

import numpy as np

from stochsearch._validation import check_choice, check_int

from . import _bitstring_model_kernels as kernels
from ._catalogue import register
from .bitstrings import _Bitstring

__all__ = ["IsingRing", "IsingTorus", "LABS", "WModel"]

#: LABS lengths up to which the constructor finds the optimum by enumeration.
LABS_ENUMERATED = 20


def _mask(n: int, shift: bool, seed: int) -> np.ndarray:
    if not shift:
        return np.zeros(n)
    return np.random.default_rng([seed, 3]).integers(0, 2, n).astype(float)


def _suffix(shift: bool, seed: int) -> str:
    return f"-shift{seed}" if shift else ""


@register
class WModel(_Bitstring):
    """The W-model of Weise & Wu (2018), in a variant with documented, exactly bijective layers:
    maximize ``r(base(e(v(x))))`` (minimized negated), ``f_opt = -n / mu``.

    Parameters
    ----------
    n : int
        Length of the bitstring (a multiple of ``mu``).
    base : {"onemax", "leadingones"}
        The count of correct bits, or of leading correct bits, of the reduced string.
    mu : int
        Neutrality: each block of ``mu`` bits counts as one bit, its majority (ties count as
        1), so most single flips change nothing.
    nu : int
        Epistasis: within consecutive blocks of ``nu`` reduced bits (the last one shorter), every
        bit is replaced by the XOR of the block's other bits (a bijection for an even number of
        bits; an odd block keeps its last bit as it is, and a block of fewer than 4 bits is left
        unchanged): one flip changes ``nu - 1`` bits. ``nu = 1`` turns it off.
    gamma : int
        Ruggedness: the levels ``0 .. m - 1`` of the count (``m = n / mu``) are reversed within
        consecutive groups of ``gamma`` (the best level ``m`` stays on top), so that one more
        correct bit often lowers the fitness and ``m / gamma`` local optima need a jump of up to
        ``gamma`` bits. ``gamma = 1`` turns it off.
    shift : bool
        XOR the string with a seeded mask (module docstring).
    seed : int
    """

    key = "wmodel"

    def __init__(self, n: int = 100, base: str = "onemax", mu: int = 1, nu: int = 1,
                 gamma: int = 1, shift: bool = False, seed: int = 0):
        n = check_int("n", n, low=1)
        base = check_choice("base", base, ["onemax", "leadingones"])
        mu = check_int("mu", mu, low=1)
        nu = check_int("nu", nu, low=1)
        gamma = check_int("gamma", gamma, low=1)
        if n % mu:
            raise ValueError(f"n must be a multiple of the neutrality mu={mu}, got {n}")
        m = n // mu
        levels = np.arange(m + 1, dtype=float)
        for start in range(0, m, gamma):
            stop = min(start + gamma, m)
            levels[start:stop] = levels[start:stop][::-1]
        mask = _mask(n, shift, seed)
        data = np.r_[base == "leadingones", mu, nu, m, mask, levels]
        name = f"wmodel-{base}-{n}-mu{mu}-nu{nu}-g{gamma}{_suffix(shift, seed)}"
        super().__init__(n, objective=kernels.w_model, data=data, f_opt=-m,
                         x_opt=1 - mask, name=name,
                         built_with=((n,), dict(base=base, mu=mu, nu=nu, gamma=gamma,
                                                shift=shift, seed=seed)))
        self.base, self.mu, self.nu, self.gamma = base, mu, nu, gamma


@register
class LABS(_Bitstring):
    """Low-autocorrelation binary sequences (Bernasconi 1987): minimize the energy
    ``E = sum_{k=1}^{n-1} C_k^2`` of the +-1 sequence read from the bits (``s_i = 1 - 2 x_i``),
    ``C_k = sum_i s_i s_{i+k}``. The merit factor is ``n^2 / (2 E)``. A hard landscape with
    a golf-course optimum; ``f_opt`` is found by enumeration for ``n <= 20`` and is None
    beyond (the known optima up to n = 66 come from weeks of branch and bound)."""

    key = "labs"

    def __init__(self, n: int = 64, shift: bool = False, seed: int = 0):
        n = check_int("n", n, low=2)
        mask = _mask(n, shift, seed)
        f_opt = float(kernels.labs_optimum(n)) if n <= LABS_ENUMERATED else None
        super().__init__(n, objective=kernels.labs, data=mask, f_opt=f_opt,
                         name=f"labs-{n}{_suffix(shift, seed)}",
                         built_with=((n,), dict(shift=shift, seed=seed)))


@register
class IsingRing(_Bitstring):
    """Ferromagnetic Ising model on a ring: maximize the number of neighbouring spins
    ``(i, i + 1 mod n)`` that agree (minimized negated); ``f_opt = -n``, reached by the
    mask and its complement (all spins aligned). Long plateaus of equal value: a domain wall
    moves without changing the value."""

    key = "ising-ring"

    def __init__(self, n: int = 100, shift: bool = False, seed: int = 0):
        n = check_int("n", n, low=3)
        mask = _mask(n, shift, seed)
        super().__init__(n, objective=kernels.ising, data=np.r_[0, n, mask], f_opt=-n,
                         x_opt=mask, name=f"ising-ring-{n}{_suffix(shift, seed)}",
                         built_with=((n,), dict(shift=shift, seed=seed)))


@register
class IsingTorus(_Bitstring):
    """Ferromagnetic Ising model on a ``side x side`` torus (``n = side^2`` bits, bonds to the
    right and below, wrapping around): maximize the agreeing bonds; ``f_opt = -2 n``."""

    key = "ising-torus"

    def __init__(self, n: int = 100, shift: bool = False, seed: int = 0):
        n = check_int("n", n, low=9)
        side = math.isqrt(n)
        if side * side != n:
            raise ValueError(f"n must be a square (the torus is side x side), got {n}")
        mask = _mask(n, shift, seed)
        super().__init__(n, objective=kernels.ising, data=np.r_[1, side, mask], f_opt=-2 * n,
                         x_opt=mask, name=f"ising-torus-{n}{_suffix(shift, seed)}",
                         built_with=((n,), dict(shift=shift, seed=seed)))
