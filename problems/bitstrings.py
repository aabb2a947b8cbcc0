"""Bitstring problems: the classic pseudo-Boolean test functions, NK landscapes, 0/1 knapsack,
MAX-3-SAT and graph colouring, each with a numba objective and its known optimum.

Problems are minimized: a fitness to maximize (OneMax, the peaks functions...) is defined as its
negative, and ``f_opt`` is the negative of the best fitness. Instances are seeded. The kernels
are in ``_bitstring_kernels.py``, the seeded instance generators in ``_instances.py``.

The peaks functions (De Bonet, Isbell & Viola 1997, as mlrose defines them) have a threshold
``t`` (default ``ceil(n / 10)``, mlrose's ``t_pct=0.1``) and a reward of ``n`` for strings that
are "two-sided" beyond it: their optimum ``2 n - t - 1`` (maximized) is ``t + 1`` ones followed
by zeros, and the all-ones and all-zeros strings are wide local optima of value ``n``. When
``2 (t + 1) > n`` the reward is out of reach and the optimum is ``n``.
"""
from __future__ import annotations

import math

import numpy as np

from stochsearch import Binary
from stochsearch._validation import check_choice, check_int, check_real

from . import _bitstring_kernels as kernels
from . import _instances
from ._catalogue import Catalogued, register

__all__ = ["ContinuousPeaks", "FlipFlop", "FourPeaks", "Knapsack", "LeadingOnes", "MaxKColor",
           "MaxSat", "NK", "OneMax", "SixPeaks", "Trap"]


class _Bitstring(Catalogued):
    """A problem on ``Binary(n)``, named ``key-n`` unless given a name."""

    space_kind = Binary.kind

    def __init__(self, n, *, objective, data=(), delta=None, f_opt=None, x_opt=None,
                 name=None, built_with=None):
        self._built_with = built_with or ((n,), {})
        super().__init__(Binary(n), objective=objective, data=np.asarray(data, float),
                         delta=delta, f_opt=f_opt, x_opt=x_opt,
                         name=name or f"{self.key}-{n}")


@register
class OneMax(_Bitstring):
    """OneMax: the number of ones (maximized; minimized as its negative). ``f_opt = -n`` at
    the all-ones string. Incremental evaluation of any move."""

    key = "onemax"

    def __init__(self, n: int = 100):
        n = check_int("n", n, low=1)
        super().__init__(n, objective=kernels.one_max, delta=kernels.one_max_delta,
                         f_opt=-n, x_opt=np.ones(n))


@register
class LeadingOnes(_Bitstring):
    """LeadingOnes: the number of ones before the first zero. ``f_opt = -n``."""

    key = "leadingones"

    def __init__(self, n: int = 100):
        n = check_int("n", n, low=1)
        super().__init__(n, objective=kernels.leading_ones, f_opt=-n, x_opt=np.ones(n))


class _Peaks(_Bitstring):
    """The peaks functions (module docstring); subclasses name their kernel."""

    kernel = None

    def __init__(self, n: int = 100, t: int | None = None):
        n = check_int("n", n, low=1)
        t = math.ceil(n / 10) if t is None else check_int("t", t, low=0)
        reachable = 2 * (t + 1) <= n
        x_opt = np.r_[np.ones(t + 1), np.zeros(n - t - 1)] if reachable else np.ones(n)
        super().__init__(n, objective=type(self).kernel, data=[t],
                         f_opt=-(2 * n - t - 1) if reachable else -n, x_opt=x_opt,
                         name=f"{self.key}-{n}-t{t}", built_with=((n, t), {}))
        self.t = t


@register
class FourPeaks(_Peaks):
    """FourPeaks(n, t): ``max(head(1, x), tail(0, x))`` plus the reward ``n`` when both
    exceed ``t`` (module docstring). ``f_opt = -(2 n - t - 1)``."""

    key = "fourpeaks"
    kernel = staticmethod(kernels.four_peaks)


@register
class SixPeaks(_Peaks):
    """SixPeaks(n, t): FourPeaks whose reward is also earned by more than ``t`` leading zeros
    and more than ``t`` trailing ones. ``f_opt = -(2 n - t - 1)``."""

    key = "sixpeaks"
    kernel = staticmethod(kernels.six_peaks)


@register
class ContinuousPeaks(_Peaks):
    """ContinuousPeaks(n, t): the longest run of equal bits, plus the reward ``n`` when the
    longest runs of zeros and of ones both exceed ``t``. ``f_opt = -(2 n - t - 1)``."""

    key = "continuouspeaks"
    kernel = staticmethod(kernels.continuous_peaks)


@register
class FlipFlop(_Bitstring):
    """FlipFlop: the number of neighbouring bits that differ. ``f_opt = -(n - 1)`` at the two
    alternating strings."""

    key = "flipflop"

    def __init__(self, n: int = 100):
        n = check_int("n", n, low=2)
        super().__init__(n, objective=kernels.flip_flop, f_opt=-(n - 1),
                         x_opt=np.arange(n) % 2)


@register
class Trap(_Bitstring):
    """Concatenated deceptive traps (Deb & Goldberg 1993): blocks of ``k`` bits each score
    ``k`` when all ones and ``k - 1 - ones`` otherwise, so every block leads away from its
    optimum. ``f_opt = -n`` at the all-ones string."""

    key = "trap"

    def __init__(self, n: int = 100, k: int = 5):
        n = check_int("n", n, low=1)
        k = check_int("k", k, low=1)
        if n % k:
            raise ValueError(f"n must be a multiple of the trap size k={k}, got {n}")
        super().__init__(n, objective=kernels.trap, data=[k], f_opt=-n, x_opt=np.ones(n),
                         name=f"trap-{n}-k{k}", built_with=((n, k), {}))


@register
class NK(_Bitstring):
    """NK landscape (Kauffman 1989): gene ``i`` contributes a random value in [0, 1) that
    depends on its own bit and those of ``k`` neighbours; the fitness is the mean
    contribution. ``k = 0`` is separable (one peak); ``k = n - 1`` is a random landscape.

    Parameters
    ----------
    n, k : int
        Genes and neighbours per gene (``0 <= k < n``).
    neighbors : {"adjacent", "random"}
        The ``k`` genes that follow ``i`` (cyclically), or ``k`` distinct others at random.
    seed : int
        Seed of the tables (and of random neighbourhoods).

    Notes
    -----
    Contributions are multiples of ``2^-20`` and the objective divides their integer sum by
    ``n * 2^20`` once, so the incremental ``delta`` of a move (which recomputes only the
    contributions that read a changed gene) equals a full evaluation exactly. ``f_opt`` is
    exact for ``k = 0`` and, by dynamic programming over the cycle, for adjacent
    neighbourhoods with small ``k``; it is None otherwise.
    """

    key = "nk"

    def __init__(self, n: int = 20, k: int = 2, neighbors: str = "adjacent", seed: int = 0):
        n = check_int("n", n, low=1)
        k = check_int("k", k, low=0)
        if k >= n:
            raise ValueError(f"k must be less than n={n} in an NK landscape (a gene has n - 1 "
                             f"others to depend on), got {k}")
        neighbors = check_choice("neighbors", neighbors, ["adjacent", "random"])
        instance = _instances.nk_instance(n, k, neighbors, np.random.default_rng(seed))
        super().__init__(n, objective=kernels.nk, delta=kernels.nk_delta, data=instance.data,
                         f_opt=instance.f_opt, x_opt=instance.x_opt,
                         name=f"nk-{n}-k{k}-{neighbors}-seed{seed}",
                         built_with=((n, k), dict(neighbors=neighbors, seed=seed)))
        self.k, self.neighbors, self.seed = k, neighbors, seed


@register
class Knapsack(_Bitstring):
    """0/1 knapsack on a seeded random instance: maximize the value of the chosen items
    within the capacity (minimized as the negative value).

    Parameters
    ----------
    n : int
        Items; weights and values are random integers in [1, 100] (uncorrelated instances).
    capacity : float
        Fraction of the total weight that fits.
    constraint : {"penalty", "repair"}
        ``"penalty"``: an overweight choice scores ``excess * (sum of values + 1) - value``,
        worse than every feasible one. ``"repair"``: an overweight choice is scored as if the
        items of least value per weight were dropped until it fits.
    seed : int

    ``f_opt`` is exact (dynamic programming over the integer capacity), with its ``x_opt``.
    """

    key = "knapsack"

    def __init__(self, n: int = 50, capacity: float = 0.5, constraint: str = "penalty",
                 seed: int = 0):
        n = check_int("n", n, low=1)
        capacity = check_real("capacity", capacity, low=0.0, high=1.0, low_open=True)
        constraint = check_choice("constraint", constraint, ["penalty", "repair"])
        rng = np.random.default_rng(seed)
        weights = rng.integers(1, 101, n).astype(float)
        values = rng.integers(1, 101, n).astype(float)
        limit = math.floor(capacity * weights.sum())
        best, x_opt = _instances.knapsack_optimum(weights, values, limit)
        order = np.argsort(values / weights, kind="stable")
        data = np.r_[n, limit, constraint == "repair", values.sum() + 1.0, weights, values,
                     order]
        super().__init__(n, objective=kernels.knapsack, data=data, f_opt=-best, x_opt=x_opt,
                         name=f"knapsack-{n}-{constraint}-seed{seed}",
                         built_with=((n,), dict(capacity=capacity, constraint=constraint,
                                                seed=seed)))
        self.weights, self.values, self.capacity = weights, values, limit


@register
class MaxSat(_Bitstring):
    """Random MAX-3-SAT: the number of unsatisfied clauses of ``m`` random 3-literal clauses
    over ``n`` variables (default ``m = round(4.26 n)``, the hardest ratio).

    With ``planted=True`` (default) every clause is drawn among those a hidden random
    assignment satisfies, so ``f_opt = 0`` and ``x_opt`` is that assignment; otherwise the
    optimum is unknown.
    """

    key = "maxsat"

    def __init__(self, n: int = 50, m: int | None = None, planted: bool = True,
                 seed: int = 0):
        n = check_int("n", n, low=3)
        m = round(4.26 * n) if m is None else check_int("m", m, low=1)
        literals, hidden = _instances.three_sat(n, m, bool(planted),
                                                np.random.default_rng(seed))
        super().__init__(n, objective=kernels.max_sat, data=np.r_[n, m, literals],
                         f_opt=0.0 if planted else None, x_opt=hidden,
                         name=f"maxsat-{n}-m{m}-seed{seed}",
                         built_with=((n, m), dict(planted=planted, seed=seed)))


@register
class MaxKColor(_Bitstring):
    """Max-K-Color: colour the vertices of a seeded random graph with ``k`` colours so that
    as few edges as possible join two vertices of one colour (the value).

    Encoding: each vertex has ``ceil(log2 k)`` bits whose binary number, modulo ``k``, is its
    colour. Every bitstring is then a colouring and every colouring is reachable, so the
    bitstring operators (flips, crossovers) apply unchanged; the price is that when ``k`` is
    not a power of two some colours have two codes. (A one-hot encoding would make most
    strings invalid; an integer space does not exist here.)

    Parameters
    ----------
    vertices, k : int
    edges : int, optional
        Number of edges (default ``2 * vertices``: average degree 4).
    planted : bool
        Draw edges only between vertices of different colours of a hidden colouring, so that
        ``f_opt = 0`` (and ``x_opt`` encodes it); otherwise the optimum is unknown.
    seed : int
    """

    key = "maxkcolor"

    def __init__(self, vertices: int = 30, k: int = 3, edges: int | None = None,
                 planted: bool = True, seed: int = 0):
        vertices = check_int("vertices", vertices, low=2)
        k = check_int("k", k, low=2)
        edges = 2 * vertices if edges is None else check_int("edges", edges, low=1)
        bits = math.ceil(math.log2(k))
        pairs, colors = _instances.random_graph(vertices, k, edges, bool(planted),
                                                np.random.default_rng(seed))
        x_opt = None
        if colors is not None:
            x_opt = ((colors[:, None] >> np.arange(bits - 1, -1, -1)) & 1).ravel()
        super().__init__(vertices * bits, objective=kernels.max_k_color,
                         data=np.r_[vertices, k, bits, len(pairs), pairs.ravel()],
                         f_opt=0.0 if planted else None, x_opt=x_opt,
                         name=f"maxkcolor-{vertices}-k{k}-seed{seed}",
                         built_with=((vertices, k, edges), dict(planted=planted, seed=seed)))
        self.edges = pairs
