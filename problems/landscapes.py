"""Continuous test landscapes, each with a numba objective, a numba gradient, standard bounds
and its known optimum.

Every landscape can be shifted and rotated (seeded): ``Rastrigin(10, shift=True)`` moves the
optimum to a random point away from both the origin and the centre of the box, because without
that a zero or centre start lands on the optimum of most of these functions by accident, which
would make every comparison of initializations meaningless. A landscape evaluates
``g(R (x - s))`` where ``g`` is the textbook function; the data array passed to the kernels holds
``[rotated, s_0 .. s_{n-1}, R row by row]``. The kernels are in ``_landscape_kernels.py``
and ``_landscape_kernels_2d.py``; an unrotated landscape's problem gets the kernel written for it
(``unrotated``), which costs what a plain loop of the formula costs.

Schwefel, Michalewicz and Eggholder take lower values outside their natural box, which a shift or
a rotation would bring into the search box. They evaluate ``g(clip(z)) + |z - clip(z)|^2``
instead (clipped to the natural box): the same function inside the box, continuous, and with its
optimum unchanged, because the penalty is positive wherever the clipped point differs from ``z``.
"""
from __future__ import annotations

import functools

import numpy as np

from stochsearch import PROBLEMS, Problem, Real

from . import _landscape_kernels as kernels
from . import _landscape_kernels_2d as kernels_2d

__all__ = [
    "Ackley", "Branin", "Eggholder", "Ellipsoid", "Griewank", "Himmelblau", "Landscape", "Levy",
    "Michalewicz", "Rastrigin", "Rosenbrock", "Schwefel", "SixHumpCamel", "Sphere",
    "StyblinskiTang", "Zakharov",
]


class Landscape(Problem):
    """Base class of the continuous landscapes.

    Parameters
    ----------
    dim : int
        Dimension (fixed for the 2-D landscapes).
    shift : bool or array_like
        ``True`` moves the optimum to a seeded random point whose every coordinate lies between
        10% and 40% of the box width away from the centre (so also away from the bounds);
        an array gives the optimum's new location explicitly. ``False`` keeps the textbook
        function.
    rotate : bool
        Apply a seeded random rotation around the optimum (breaks separability).
    seed : int
        Seed of the shift and the rotation.

    Subclasses define ``key``, ``bounds`` (low, high: two floats, or two tuples for
    per-coordinate bounds), the numba ``objective`` and ``gradient`` (and optionally
    ``unrotated``, the objective specialized for unrotated instances), the textbook optimum
    ``z_star`` (one value for every coordinate, or a tuple) and its value ``f_star`` (or override
    ``z_opt(dim)`` and ``f_opt_of(dim)`` where they depend on the dimension otherwise), and
    ``fixed_dim`` for fixed-dimension landscapes or ``min_dim`` for a smallest dimension.
    """

    space_kind = Real.kind  # every landscape lives on a box (read by `stochsearch list`)

    key: str = ""
    bounds: tuple = (-5.0, 5.0)
    z_star: float | tuple = 0.0
    f_star: float = 0.0
    fixed_dim: int | None = None
    min_dim: int = 1
    unrotated = None

    def __init__(self, dim: int | None = None, *, shift=False, rotate: bool = False,
                 seed: int = 0):
        if self.fixed_dim is not None:
            if dim not in (None, self.fixed_dim):
                raise ValueError(f"{type(self).__name__} is {self.fixed_dim}-dimensional, got "
                                 f"dim={dim}")
            dim = self.fixed_dim
        elif dim is None:
            dim = 10
        elif isinstance(dim, (int, np.integer)) and dim < self.min_dim:
            raise ValueError(f"dim must be at least {self.min_dim} for {type(self).__name__}, "
                             f"got {dim}")
        space = Real(*self.bounds, dim=dim) if np.ndim(self.bounds[0]) == 0 else \
            Real(*self.bounds)
        self.shift, self.rotate, self.seed = shift, rotate, seed
        rng = np.random.default_rng(seed)
        rotation = _random_rotation(rng, dim) if rotate else None
        z_opt = np.asarray(self.z_opt(dim), dtype=float)
        if isinstance(shift, (bool, np.bool_)) or shift is None:
            x_opt = _away_from_centre(rng, space) if shift else None
        else:
            x_opt = space.as_points(shift, name="shift")[0].astype(float)
        if x_opt is None:
            # Unshifted: rotate about the textbook optimum, which stays where it is.
            x_opt = z_opt
            s = z_opt - (rotation.T @ z_opt if rotate else z_opt)
        else:
            s = x_opt - (rotation.T @ z_opt if rotate else z_opt)
        data = np.concatenate([[1.0 if rotate else 0.0], s,
                               rotation.ravel() if rotate else []])
        suffix = "".join([f"-shift{seed}" if shift is not False and shift is not None else "",
                          f"-rot{seed}" if rotate else ""])
        objective = type(self).objective
        if not rotate and type(self).unrotated is not None:
            objective = type(self).unrotated
        super().__init__(space, objective=objective, gradient=type(self).gradient,
                         data=data, f_opt=self.f_opt_of(dim), x_opt=x_opt,
                         name=f"{self.key}-{dim}{suffix}")

    @classmethod
    def z_opt(cls, dim: int) -> np.ndarray:
        """The optimum of the textbook function."""
        return np.broadcast_to(np.asarray(cls.z_star, dtype=float), (dim,)).copy()

    @classmethod
    def f_opt_of(cls, dim: int) -> float | None:
        """The optimal value (None where unknown)."""
        return cls.f_star

    def __reduce__(self):
        return (_rebuild, (type(self), self.dim, self.shift, self.rotate, self.seed))


def _rebuild(cls, dim, shift, rotate, seed):
    return cls(None if cls.fixed_dim else dim, shift=shift, rotate=rotate, seed=seed)


def _away_from_centre(rng, space: Real) -> np.ndarray:
    magnitude = rng.uniform(0.1, 0.4, size=space.dim) * space.width
    sign = np.where(rng.random(space.dim) < 0.5, -1.0, 1.0)
    return space.center + sign * magnitude


def _random_rotation(rng, dim: int) -> np.ndarray:
    """A uniformly random rotation: QR of a Gaussian matrix with the sign correction (a
    uniformly random orthogonal matrix), its first column flipped if needed so that the
    determinant is +1."""
    q, r = np.linalg.qr(rng.standard_normal((dim, dim)))
    q = q * np.sign(np.diag(r))
    if np.linalg.det(q) < 0:
        q[:, 0] = -q[:, 0]
    return q


def _register(cls):
    PROBLEMS.register(cls.key, cls)
    return cls


def _landscape(objective, gradient, unrotated):
    """The class attributes naming a landscape's kernels."""
    return staticmethod(objective), staticmethod(gradient), staticmethod(unrotated)


# --- any dimension ----------------------------------------------------------------------------
@_register
class Sphere(Landscape):
    """Sphere ``sum z_i^2`` on ``[-5.12, 5.12]^n``: the easiest landscape, one basin.
    ``x_opt = 0``, ``f_opt = 0``."""

    key = "sphere"
    bounds = (-5.12, 5.12)
    objective, gradient, unrotated = _landscape(
        kernels.sphere, kernels.sphere_gradient, kernels.sphere_unrotated)


@_register
class Ellipsoid(Landscape):
    """Ellipsoid ``sum 10^(6 i / (n - 1)) z_i^2`` (``i = 0 .. n-1``) on ``[-5.12, 5.12]^n``:
    one basin with condition number 1e6. ``x_opt = 0``, ``f_opt = 0``."""

    key = "ellipsoid"
    bounds = (-5.12, 5.12)
    objective, gradient, unrotated = _landscape(
        kernels.ellipsoid, kernels.ellipsoid_gradient, kernels.ellipsoid_unrotated)


@_register
class Rastrigin(Landscape):
    """Rastrigin ``10 n + sum (z_i^2 - 10 cos(2 pi z_i))`` on ``[-5.12, 5.12]^n``: a regular
    grid of about 10^n local minima around one global minimum. ``x_opt = 0``, ``f_opt = 0``."""

    key = "rastrigin"
    bounds = (-5.12, 5.12)
    objective, gradient, unrotated = _landscape(
        kernels.rastrigin, kernels.rastrigin_gradient, kernels.rastrigin_unrotated)


@_register
class Rosenbrock(Landscape):
    """Rosenbrock ``sum_{i<n-1} 100 (z_{i+1} - z_i^2)^2 + (1 - z_i)^2`` on ``[-5, 10]^n``
    (``n >= 2``): a curved, narrow valley. ``x_opt = (1, ..., 1)``, ``f_opt = 0``."""

    key = "rosenbrock"
    bounds = (-5.0, 10.0)
    min_dim = 2
    z_star = 1.0
    objective, gradient, unrotated = _landscape(
        kernels.rosenbrock, kernels.rosenbrock_gradient, kernels.rosenbrock_unrotated)


@_register
class Ackley(Landscape):
    """Ackley ``20 + e - 20 exp(-0.2 sqrt(mean z_i^2)) - exp(mean cos(2 pi z_i))`` on
    ``[-32.768, 32.768]^n``: a nearly flat outer region with a funnel of ripples around the
    optimum, which is a kink. ``x_opt = 0``, ``f_opt = 0``."""

    key = "ackley"
    bounds = (-32.768, 32.768)
    objective, gradient, unrotated = _landscape(
        kernels.ackley, kernels.ackley_gradient, kernels.ackley_unrotated)


@_register
class Griewank(Landscape):
    """Griewank ``1 + sum z_i^2 / 4000 - prod cos(z_i / sqrt(i + 1))`` on ``[-600, 600]^n``:
    a wide bowl covered with many shallow local minima. ``x_opt = 0``, ``f_opt = 0``."""

    key = "griewank"
    bounds = (-600.0, 600.0)
    objective, gradient, unrotated = _landscape(
        kernels.griewank, kernels.griewank_gradient, kernels.griewank_unrotated)


@_register
class Schwefel(Landscape):
    """Schwefel 2.26 ``418.98288727243370 n - sum z_i sin(sqrt|z_i|)`` on ``[-500, 500]^n``,
    clipped to that box with a quadratic penalty outside (module docstring): the best local
    minima lie far apart, the global one near a corner. ``x_opt = (420.968746359982, ...)``,
    ``f_opt = 0``."""

    key = "schwefel"
    bounds = (-500.0, 500.0)
    # The root of sin(u) + u cos(u) / 2 = 0 (u = sqrt z) near u = 20.5, squared.
    z_star = 420.96874635998205
    objective, gradient, unrotated = _landscape(
        kernels.schwefel, kernels.schwefel_gradient, kernels.schwefel_unrotated)


@_register
class Levy(Landscape):
    """Levy ``sin^2(pi w_0) + sum_{i<n-1} (w_i - 1)^2 (1 + 10 sin^2(pi w_i + 1))
    + (w_{n-1} - 1)^2 (1 + sin^2(2 pi w_{n-1}))`` with ``w = 1 + (z - 1) / 4`` on
    ``[-10, 10]^n``. ``x_opt = (1, ..., 1)``, ``f_opt = 0``."""

    key = "levy"
    bounds = (-10.0, 10.0)
    z_star = 1.0
    objective, gradient, unrotated = _landscape(
        kernels.levy, kernels.levy_gradient, kernels.levy_unrotated)


@_register
class StyblinskiTang(Landscape):
    """Styblinski-Tang ``sum (z_i^4 - 16 z_i^2 + 5 z_i) / 2`` on ``[-5, 5]^n``: 2^n basins, the
    deepest in the negative corner. ``x_opt = (-2.903534027771177, ...)``,
    ``f_opt = -39.16616570377141 n``."""

    key = "styblinski-tang"
    bounds = (-5.0, 5.0)
    # The root of 4 z^3 - 32 z + 5 near -2.9.
    z_star = -2.903534027771177
    objective, gradient, unrotated = _landscape(
        kernels.styblinski_tang, kernels.styblinski_tang_gradient, kernels.styblinski_tang_unrotated)

    @classmethod
    def f_opt_of(cls, dim):
        return -39.16616570377141 * dim


@_register
class Michalewicz(Landscape):
    """Michalewicz ``-sum sin(z_i) sin^20((i + 1) z_i^2 / pi)`` on ``[0, pi]^n``, clipped to that
    box with a quadratic penalty outside (module docstring): steep, narrow valleys. The function
    is separable, so ``x_opt`` is found coordinate by coordinate (``x_opt = (2.2029055201726,
    pi / 2, ...)``) and ``f_opt`` is the value there (-1.80130341009855 for n = 2,
    -4.68765817908815 for 5, -9.66015171564134 for 10)."""

    key = "michalewicz"
    bounds = (0.0, np.pi)
    objective, gradient, unrotated = _landscape(
        kernels.michalewicz, kernels.michalewicz_gradient, kernels.michalewicz_unrotated)

    @classmethod
    def z_opt(cls, dim):
        return np.array([_michalewicz_coordinate(i) for i in range(1, dim + 1)])

    @classmethod
    def f_opt_of(cls, dim):
        z = cls.z_opt(dim)
        return float(-np.sum(np.sin(z) * np.sin(np.arange(1, dim + 1) * z ** 2 / np.pi) ** 20))


@functools.lru_cache(maxsize=None)
def _michalewicz_coordinate(i: int) -> float:
    """The maximizer of ``h(x) = sin(x) sin^20(i x^2 / pi)`` on ``[0, pi]``.

    ``log h`` is strictly concave between consecutive zeros of ``sin(i x^2 / pi)`` (its second
    derivative is negative there), so each such interval holds one local maximum: the root of
    ``(log h)'``, found by bisection. Only intervals whose bound ``max sin(x)`` can beat the best
    value at a peak of ``sin^20`` (where it is 1) are searched.
    """
    from scipy.optimize import brentq

    edges = np.pi * np.sqrt(np.arange(i + 1) / i)
    peaks = np.pi * np.sqrt((np.arange(i) + 0.5) / i)
    upper = np.maximum(np.sin(edges[:-1]), np.sin(edges[1:]))
    upper[(edges[:-1] <= np.pi / 2) & (edges[1:] >= np.pi / 2)] = 1.0

    def slope(x):
        return 1.0 / np.tan(x) + 40.0 * i * x / (np.pi * np.tan(i * x * x / np.pi))

    def h(x):
        return np.sin(x) * np.sin(i * x * x / np.pi) ** 20

    best, best_x = -1.0, np.pi / 2
    for k in np.flatnonzero(upper >= np.sin(peaks).max()):
        margin = 1e-6 * (edges[k + 1] - edges[k])
        x = brentq(slope, edges[k] + margin, edges[k + 1] - margin, xtol=1e-15,
                   rtol=4 * np.finfo(float).eps)
        if h(x) > best:
            best, best_x = h(x), x
    return float(best_x)


@_register
class Zakharov(Landscape):
    """Zakharov ``sum z_i^2 + S^2 + S^4`` with ``S = sum (i + 1) z_i / 2`` on ``[-5, 10]^n``:
    one basin, a plate that steepens along the weighted diagonal. ``x_opt = 0``,
    ``f_opt = 0``."""

    key = "zakharov"
    bounds = (-5.0, 10.0)
    objective, gradient, unrotated = _landscape(
        kernels.zakharov, kernels.zakharov_gradient, kernels.zakharov_unrotated)


# --- two-dimensional --------------------------------------------------------------------------
@_register
class Himmelblau(Landscape):
    """Himmelblau ``(z_0^2 + z_1 - 11)^2 + (z_0 + z_1^2 - 7)^2`` on ``[-5, 5]^2``: four global
    minima of value 0; ``x_opt = (3, 2)`` is one of them, ``f_opt = 0``."""

    key = "himmelblau"
    bounds = (-5.0, 5.0)
    fixed_dim = 2
    z_star = (3.0, 2.0)
    objective, gradient, unrotated = _landscape(
        kernels_2d.himmelblau, kernels_2d.himmelblau_gradient, kernels_2d.himmelblau_unrotated)


@_register
class SixHumpCamel(Landscape):
    """Six-hump camel ``(4 - 2.1 u^2 + u^4 / 3) u^2 + u v + (4 v^2 - 4) v^2`` on
    ``[-3, 3] x [-2, 2]``: six local minima, two of them global; ``x_opt =
    (0.08984201310031806, -0.7126564030207396)`` (the other is ``-x_opt``),
    ``f_opt = -1.0316284534898774``."""

    key = "six-hump-camel"
    bounds = ((-3.0, -2.0), (3.0, 2.0))
    fixed_dim = 2
    z_star = (0.08984201310031806, -0.7126564030207396)
    f_star = -1.0316284534898774
    objective, gradient, unrotated = _landscape(
        kernels_2d.six_hump_camel, kernels_2d.six_hump_camel_gradient, kernels_2d.six_hump_camel_unrotated)


@_register
class Branin(Landscape):
    """Branin ``(v - 5.1 u^2 / (4 pi^2) + 5 u / pi - 6)^2 + 10 (1 - 1 / (8 pi)) cos(u) + 10`` on
    ``[-5, 10] x [0, 15]``: three global minima in the box; ``x_opt = (pi, 2.275)`` is one of
    them, ``f_opt = 5 / (4 pi) = 0.3978873577297383``."""

    key = "branin"
    bounds = ((-5.0, 0.0), (10.0, 15.0))
    fixed_dim = 2
    z_star = (np.pi, 2.275)
    f_star = 0.3978873577297383
    objective, gradient, unrotated = _landscape(
        kernels_2d.branin, kernels_2d.branin_gradient, kernels_2d.branin_unrotated)


@_register
class Eggholder(Landscape):
    """Eggholder ``-(v + 47) sin(sqrt|v + u / 2 + 47|) - u sin(sqrt|u - v - 47|)`` on
    ``[-512, 512]^2``, clipped to that box with a quadratic penalty outside (module docstring):
    rugged, with the optimum on the edge of the box; ``x_opt = (512, 404.2318051137578)``,
    ``f_opt = -959.6406627208509``."""

    key = "eggholder"
    bounds = (-512.0, 512.0)
    fixed_dim = 2
    z_star = (512.0, 404.2318051137578)
    f_star = -959.6406627208509
    objective, gradient, unrotated = _landscape(
        kernels_2d.eggholder, kernels_2d.eggholder_gradient, kernels_2d.eggholder_unrotated)
