"""The classic black-box benchmark functions the catalogue's landscapes lack: ill-conditioned
(bent cigar, discus, different powers, sharp ridge, attractive sector, step ellipsoid), a linear
slope, and multimodal ones (Schaffer F7, Weierstrass, Gallagher's random peaks, Lunacek's
bi-Rastrigin), as defined by BBOB (Hansen et al. 2009), without its oscillation/asymmetry
transformations. Each is a ``Landscape``: seeded ``shift`` and ``rotate`` (an instance is a seed),
a numba objective with the fixed ``f(x, data)`` signature, and ``f_opt = 0``. They have no
gradient (several are not differentiable at their optimum). Kernels: ``_bbob_kernels.py``.
"""
from __future__ import annotations

import numpy as np

from . import _bbob_kernels as kernels
from .landscapes import Landscape, _register

__all__ = [
    "AttractiveSector", "BentCigar", "DifferentPowers", "Discus", "Gallagher", "LinearSlope",
    "LunacekBiRastrigin", "SchafferF7", "SharpRidge", "StepEllipsoid", "Weierstrass",
]


class _Bbob(Landscape):
    """A BBOB-style landscape on ``[-5, 5]^n`` with its optimum (value 0) at ``z = 0``."""

    bounds = (-5.0, 5.0)
    gradient = None

    def _append(self, extra) -> None:
        """Add the function's own instance data after the rotation (see ``_bbob_kernels``)."""
        self.data = np.ascontiguousarray(np.concatenate([self.data, extra]), dtype=np.float64)


@_register
class BentCigar(_Bbob):
    """Bent cigar ``z_0^2 + 1e6 sum_{i>0} z_i^2``: a thin ridge, condition number 1e6 in all
    directions but one."""

    key = "bent-cigar"
    objective = staticmethod(kernels.bent_cigar)


@_register
class Discus(_Bbob):
    """Discus (tablet) ``1e6 z_0^2 + sum_{i>0} z_i^2``: one short axis, condition 1e6."""

    key = "discus"
    objective = staticmethod(kernels.discus)


@_register
class DifferentPowers(_Bbob):
    """Different powers ``sqrt(sum |z_i|^(2 + 4 i / (n - 1)))``: the sensitivity to each
    coordinate vanishes at a different rate near the optimum."""

    key = "different-powers"
    objective = staticmethod(kernels.different_powers)


@_register
class SharpRidge(_Bbob):
    """Sharp ridge ``z_0^2 + 100 sqrt(sum_{i>0} z_i^2)``: a non-differentiable ridge that has
    to be followed along ``z_0``."""

    key = "sharp-ridge"
    objective = staticmethod(kernels.sharp_ridge)


@_register
class AttractiveSector(_Bbob):
    """Attractive sector ``(sum (s_i z_i)^2)^0.9``, ``s_i = 100`` where ``z_i > 0``, after a
    conditioning of 10: the optimum is the tip of a cone, in a sector of tiny volume."""

    key = "attractive-sector"
    objective = staticmethod(kernels.attractive_sector)


@_register
class StepEllipsoid(_Bbob):
    """Step ellipsoid: an ellipsoid (condition 100) of rounded coordinates, made of plateaus,
    with a slight slope along the first axis so that the optimum is one point."""

    key = "step-ellipsoid"
    objective = staticmethod(kernels.step_ellipsoid)


@_register
class SchafferF7(_Bbob):
    """Schaffer F7 on neighbouring pairs (conditioning 10): rings of local minima whose
    amplitude shrinks towards the optimum. ``n >= 2``."""

    key = "schaffer-f7"
    min_dim = 2
    objective = staticmethod(kernels.schaffer_f7)


@_register
class Weierstrass(_Bbob):
    """Weierstrass (12 terms, conditioning 1/100): rugged everywhere, periodic with period 1 in
    ``z``, so every integer point of ``z`` is a global optimum (``x_opt`` is the one at 0)."""

    key = "weierstrass"
    objective = staticmethod(kernels.weierstrass)


@_register
class Gallagher(_Bbob):
    """Gallagher's Gaussian peaks: ``peaks`` peaks (101 or 21 in BBOB) at random places with
    random heights in [1.1, 9.1], and the global one of height 10 at the optimum; each peak has
    its own axis ratios (up to ``1000`` for 101 peaks, ``1000^2`` for 21, as in BBOB) in the
    rotated coordinates. ``f = (10 - max_p peak_p(x))^2``.

    The other peaks are drawn uniformly in the box (in ``x``), their shapes from
    ``default_rng([seed, 2])``.
    """

    key = "gallagher"
    objective = staticmethod(kernels.gallagher)

    def __init__(self, dim: int | None = None, *, peaks: int = 101, shift=False,
                 rotate: bool = False, seed: int = 0):
        if int(peaks) < 2:
            raise ValueError(f"peaks must be at least 2, got {peaks}")
        super().__init__(dim, shift=shift, rotate=rotate, seed=seed)
        self.peaks = peaks = int(peaks)
        self.name = f"{self.name}-p{peaks}"
        n = self.dim
        rng = np.random.default_rng([seed, 2])
        top = 1000.0 if peaks > 21 else 1000.0 ** 2
        others = rng.uniform(-4.9, 4.9, size=(peaks - 1, n))
        s = self.data[1:1 + n]
        rotation = self.data[1 + n:1 + n + n * n].reshape(n, n) if rotate else np.eye(n)
        centres = np.vstack([np.zeros(n), (others - s) @ rotation.T])
        heights = np.r_[10.0, 1.1 + 8.0 * np.arange(peaks - 1) / max(peaks - 2, 1)]
        ratios = np.r_[top, 1000.0 ** (2.0 * rng.permutation(peaks - 1) / max(peaks - 2, 1))]
        widths = np.array([a ** (0.5 * rng.permutation(n) / max(n - 1, 1)) / a ** 0.25
                           for a in ratios])
        self._append(np.r_[peaks, heights, centres.ravel(), widths.ravel()])

    def __reduce__(self):
        return (_rebuild_gallagher, (self.dim, self.peaks, self.shift, self.rotate, self.seed))


def _rebuild_gallagher(dim, peaks, shift, rotate, seed):
    return Gallagher(dim, peaks=peaks, shift=shift, rotate=rotate, seed=seed)


@_register
class LunacekBiRastrigin(_Bbob):
    """Lunacek's bi-Rastrigin: two funnels covered by Rastrigin ripples, the optimal one at
    ``x_opt`` and a wider, shallower one (depth ``n``, width ``s = 1 - 1 / (2 sqrt(n + 20) -
    8.2)``) at ``x_opt + (mu_1 - mu_0) sign(x_opt)``, ``mu_0 = 2.5``, ``mu_1 = -sqrt((mu_0^2 - 1)
    / s)``, as in BBOB. ``shift=True`` puts ``x_opt`` at ``mu_0`` times seeded random signs
    (BBOB's placement: both funnels in the box); without a shift ``x_opt = (2.5, ..., 2.5)``."""

    key = "lunacek"

    def __init__(self, dim: int | None = None, *, shift=False, rotate: bool = False,
                 seed: int = 0):
        n = 10 if dim is None else int(dim)
        if shift is True or isinstance(shift, np.bool_) and shift:
            signs = np.where(np.random.default_rng([seed, 1]).random(n) < 0.5, -1.0, 1.0)
            shift = 2.5 * signs
        elif shift is False or shift is None:
            shift = np.full(n, 2.5)
        super().__init__(dim, shift=shift, rotate=rotate, seed=seed)
        s = 1.0 - 1.0 / (2.0 * np.sqrt(n + 20.0) - 8.2)
        mu1 = -np.sqrt((2.5 ** 2 - 1.0) / s)
        signs = np.where(self.x_opt < 0, -1.0, 1.0)
        rotation = self.data[1 + n:1 + n + n * n].reshape(n, n) if rotate else np.eye(n)
        self._append(rotation @ ((mu1 - 2.5) * signs))

    objective = staticmethod(kernels.lunacek)


@_register
class LinearSlope(_Bbob):
    """Linear slope ``sum 10^(i / (n - 1)) (distance of x_i to the optimum's bound)``: the
    optimum is a corner of the box (``x_opt_i = +-5``, value 0) and the function is flat beyond
    it. ``shift=True`` draws the corner from the seed; without it ``x_opt = (5, ..., 5)``.
    Separable by definition: it cannot be rotated."""

    key = "linear-slope"

    def __init__(self, dim: int | None = None, *, shift=False, rotate: bool = False,
                 seed: int = 0):
        if rotate:
            raise ValueError("LinearSlope cannot be rotated (its optimum is a corner of the "
                             "box), got rotate=True")
        n = 10 if dim is None else int(dim)
        if shift is True or isinstance(shift, np.bool_) and shift:
            shift = 5.0 * np.where(np.random.default_rng([seed, 1]).random(n) < 0.5, -1.0, 1.0)
        elif shift is False or shift is None:
            shift = np.full(n, 5.0)
        super().__init__(dim, shift=shift, rotate=False, seed=seed)

    objective = staticmethod(kernels.linear_slope)
