"""Plain numpy references of the BBOB-style landscapes (problems/bbob_functions.py), written from
the formulas of Hansen et al. (2009) with no attention to speed, on one point ``x`` and the
instance's shift ``s``, rotation ``R`` (None if unrotated) and extra data, passed explicitly."""
from __future__ import annotations

import numpy as np


def z_of(x, s, R):
    z = np.asarray(x, float) - s
    return z if R is None else R @ z


def lam(n, alpha):
    return alpha ** (0.5 * np.arange(n) / (n - 1)) if n > 1 else np.ones(1)


def bent_cigar(z):
    return z[0] ** 2 + 1e6 * np.sum(z[1:] ** 2)


def discus(z):
    return 1e6 * z[0] ** 2 + np.sum(z[1:] ** 2)


def different_powers(z):
    n = z.size
    powers = 2 + 4 * np.arange(n) / (n - 1) if n > 1 else np.full(1, 2.0)
    return np.sqrt(np.sum(np.abs(z) ** powers))


def sharp_ridge(z):
    return z[0] ** 2 + 100 * np.sqrt(np.sum(z[1:] ** 2))


def attractive_sector(z):
    z = lam(z.size, 10) * z
    return np.sum(np.where(z > 0, 100 * z, z) ** 2) ** 0.9


def step_ellipsoid(z):
    n = z.size
    z = lam(n, 10) * z
    rounded = np.where(np.abs(z) > 0.5, np.floor(0.5 + z), np.floor(0.5 + 10 * z) / 10)
    weights = 10 ** (2 * np.arange(n) / (n - 1)) if n > 1 else np.ones(1)
    return 0.1 * max(abs(z[0]) / 1e4, np.sum(weights * rounded ** 2))


def schaffer_f7(z):
    z = lam(z.size, 10) * z
    r = np.sqrt(z[:-1] ** 2 + z[1:] ** 2)
    return np.mean(np.sqrt(r) + np.sqrt(r) * np.sin(50 * r ** 0.2) ** 2) ** 2


def weierstrass(z):
    z = lam(z.size, 0.01) * z
    k = np.arange(12)
    inner = np.sum(0.5 ** k * np.cos(2 * np.pi * 3.0 ** k * (z[:, None] + 0.5)))
    floor = np.sum(0.5 ** k * np.cos(np.pi * 3.0 ** k))
    return 10 * (inner / z.size - floor) ** 3


def gallagher(z, heights, centres, widths):
    n = z.size
    values = heights * np.exp(-np.sum(widths * (z - centres) ** 2, axis=1) / (2 * n))
    return (10 - values.max()) ** 2


def lunacek(z, u):
    n = z.size
    s = 1 - 1 / (2 * np.sqrt(n + 20) - 8.2)
    return (min(np.sum(z ** 2), n + s * np.sum((z - u) ** 2))
            + 10 * np.sum(1 - np.cos(2 * np.pi * z)))


def linear_slope(x, x_opt):
    n = x.size
    weights = 10 ** (np.arange(n) / (n - 1)) if n > 1 else np.ones(1)
    return np.sum(weights * np.maximum(np.sign(x_opt) * (x_opt - x), 0))
