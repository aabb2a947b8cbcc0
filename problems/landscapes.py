"""Continuous test landscapes, each with a numba objective, a numba gradient, standard bounds
and its known optimum.

Every landscape can be shifted and rotated (seeded): ``Rastrigin(10, shift=True)`` moves the
optimum to a random point away from both the origin and the centre of the box, because without
that a zero or centre start lands on the optimum of most of these functions by accident, which
would make every comparison of initializations meaningless. A landscape evaluates
``g(R (x - s))`` where ``g`` is the textbook function; the data array passed to the kernels holds
``[rotated, s_0 .. s_{n-1}, R row by row]``.
"""
from __future__ import annotations

import numpy as np

from stochsearch import PROBLEMS, Problem, Real, jit

__all__ = ["Landscape", "Rastrigin", "Sphere"]


# --- the transformation z = R (x - s), shared by all landscapes -------------------------------
@jit
def to_z(x, data):
    """``z = R (x - s)`` (a new array)."""
    n = x.size
    z = np.empty(n)
    for i in range(n):
        z[i] = x[i] - data[1 + i]
    if data[0] == 0.0:
        return z
    rotated = np.zeros(n)
    base = 1 + n
    for i in range(n):
        acc = 0.0
        for j in range(n):
            acc += data[base + i * n + j] * z[j]
        rotated[i] = acc
    return rotated


@jit
def pull_back(gz, data, out):
    """``out = R^T gz``: the gradient with respect to ``x`` from the one with respect to ``z``."""
    n = gz.size
    if data[0] == 0.0:
        for i in range(n):
            out[i] = gz[i]
        return
    base = 1 + n
    for j in range(n):
        acc = 0.0
        for i in range(n):
            acc += data[base + i * n + j] * gz[i]
        out[j] = acc


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

    Subclasses define ``bounds`` (low, high), ``z_opt(dim)``, ``f_opt_of(dim)``, the numba
    ``objective`` and ``gradient`` and, for fixed-dimension landscapes, ``fixed_dim``.
    """

    bounds: tuple[float, float] = (-5.0, 5.0)
    fixed_dim: int | None = None
    key: str = ""

    def __init__(self, dim: int | None = None, *, shift=False, rotate: bool = False,
                 seed: int = 0):
        if self.fixed_dim is not None:
            if dim not in (None, self.fixed_dim):
                raise ValueError(f"{type(self).__name__} is {self.fixed_dim}-dimensional, got "
                                 f"dim={dim}")
            dim = self.fixed_dim
        elif dim is None:
            dim = 10
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
        super().__init__(space, objective=type(self).objective, gradient=type(self).gradient,
                         data=data, f_opt=self.f_opt_of(dim), x_opt=x_opt,
                         name=f"{self.key}-{dim}{suffix}")

    @staticmethod
    def z_opt(dim: int) -> np.ndarray:
        """The optimum of the textbook function."""
        return np.zeros(dim)

    @staticmethod
    def f_opt_of(dim: int) -> float | None:
        """The optimal value (None where unknown)."""
        return 0.0

    def __reduce__(self):
        return (_rebuild, (type(self), self.dim, self.shift, self.rotate, self.seed))


def _rebuild(cls, dim, shift, rotate, seed):
    return cls(None if cls.fixed_dim else dim, shift=shift, rotate=rotate, seed=seed)


def _away_from_centre(rng, space: Real) -> np.ndarray:
    magnitude = rng.uniform(0.1, 0.4, size=space.dim) * space.width
    sign = np.where(rng.random(space.dim) < 0.5, -1.0, 1.0)
    return space.center + sign * magnitude


def _random_rotation(rng, dim: int) -> np.ndarray:
    """A uniformly random rotation (QR of a Gaussian matrix with the sign correction)."""
    q, r = np.linalg.qr(rng.standard_normal((dim, dim)))
    return q * np.sign(np.diag(r))


def _register(cls):
    PROBLEMS.register(cls.key, cls)
    return cls


# --- Sphere ----------------------------------------------------------------------------------
@jit
def sphere(x, data):
    z = to_z(x, data)
    return np.sum(z * z)


@jit
def sphere_gradient(x, data, out):
    z = to_z(x, data)
    pull_back(2.0 * z, data, out)
    return np.sum(z * z)


@_register
class Sphere(Landscape):
    """``sum z_i^2`` on ``[-5.12, 5.12]^n``: the easiest landscape, one basin."""

    key = "sphere"
    bounds = (-5.12, 5.12)
    objective = staticmethod(sphere)
    gradient = staticmethod(sphere_gradient)


# --- Rastrigin -------------------------------------------------------------------------------
@jit
def rastrigin(x, data):
    z = to_z(x, data)
    total = 10.0 * z.size
    for i in range(z.size):
        total += z[i] * z[i] - 10.0 * np.cos(2.0 * np.pi * z[i])
    return total


@jit
def rastrigin_gradient(x, data, out):
    z = to_z(x, data)
    gz = np.empty(z.size)
    total = 10.0 * z.size
    for i in range(z.size):
        total += z[i] * z[i] - 10.0 * np.cos(2.0 * np.pi * z[i])
        gz[i] = 2.0 * z[i] + 20.0 * np.pi * np.sin(2.0 * np.pi * z[i])
    pull_back(gz, data, out)
    return total


@_register
class Rastrigin(Landscape):
    """``10 n + sum (z_i^2 - 10 cos(2 pi z_i))`` on ``[-5.12, 5.12]^n``: a regular grid of
    about 10^n local minima around one global minimum."""

    key = "rastrigin"
    bounds = (-5.12, 5.12)
    objective = staticmethod(rastrigin)
    gradient = staticmethod(rastrigin_gradient)
