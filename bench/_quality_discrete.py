"""The discrete half of ``quality.py``: bitstring problems (n = 16, 64, 100; budget
``min(100 n^2, 1e5)``) and the reference algorithms, jitted with ``stochsearch.jit``.

A run returns its best-so-far trajectory as the evaluations at which the best value improved
(the library's from its history at 200 log-spaced checkpoints), so that targets can be set after
the fact between a random point's value and the optimum (known, or the best seen by any system).

References (each starts from a uniform random string and stops at the optimum when it is known):
- ``rls``: random local search, flip one uniformly chosen bit, accept if not worse;
- ``ea``: the (1+1) EA, standard bit mutation at rate 1/n, accept if not worse; the number of
  flipped bits is drawn from Bin(n, 1/n) conditioned on at least one (a copy is never evaluated);
- ``fea``: the fast (1+1) EA of Doerr, Le, Makhmara & Nguyen (2017): the rate is alpha/n with
  alpha drawn from the power law P(alpha = k) ~ k^-1.5 on 1..n/2, at least one bit flipped;
- ``mulga``: a (mu+lambda) GA, mu = lambda = 10: each offspring is, with probability 1/2, the
  uniform crossover of two parents drawn uniformly, then standard bit mutation as in ``ea``;
  the best mu of parents and offspring survive, ties going to offspring.
"""
from __future__ import annotations

import numpy as np

import stochsearch as ss
from stochsearch import jit
from stochsearch import problems as P
from stochsearch._kernels.addresses import load_function
from stochsearch._kernels.signatures import function_address

LIBRARY = ("rhc", "sa", "ga")
REFERENCES = ("rls", "ea", "fea", "mulga")
SYSTEMS = LIBRARY + REFERENCES
SIZES = (16, 64, 100)
#: Relative gaps (f - f*) / (f_random - f*) of the targets: 20 log-spaced from 1 to 1e-2, and 0.
RELATIVE_TARGETS = np.r_[10.0 ** np.linspace(0, -2, 20), 0.0]


def _w(base, mu=1, nu=1, gamma=1):
    return lambda n, i: P.WModel(n, base, mu=mu, nu=nu, gamma=gamma, shift=True, seed=i)


#: label -> constructor(n, instance)
PROBLEMS = {
    "onemax": _w("onemax"),
    "onemax-neutral": _w("onemax", mu=2),
    "onemax-epistatic": _w("onemax", nu=4),
    "onemax-rugged": _w("onemax", gamma=2),
    "leadingones": _w("leadingones"),
    "leadingones-neutral": _w("leadingones", mu=2),
    "leadingones-epistatic": _w("leadingones", nu=4),
    "leadingones-rugged": _w("leadingones", gamma=2),
    "trap-4": lambda n, i: P.Trap(n, k=4),
    "nk-k2": lambda n, i: P.NK(n, k=2, seed=i),
    "nk-k4": lambda n, i: P.NK(n, k=4, seed=i),
    "maxsat": lambda n, i: P.MaxSat(n, seed=i),
    "knapsack": lambda n, i: P.Knapsack(n, seed=i),
    "labs": lambda n, i: P.LABS(n, shift=True, seed=i),
    "ising-ring": lambda n, i: P.IsingRing(n, shift=True, seed=i),
    "ising-torus": lambda n, i: P.IsingTorus(n, shift=True, seed=i),
}
QUICK_PROBLEMS = ("onemax", "leadingones-rugged", "nk-k2", "labs", "ising-torus")


def budget_of(n: int) -> int:
    return int(min(100 * n * n, 100_000))


def random_value(problem, instance: int) -> float:
    """The mean value of 100 uniform random strings (the same for every system)."""
    rng = np.random.default_rng([instance, problem.dim, 12])
    return float(problem.evaluate(rng.integers(0, 2, (100, problem.dim))).mean())


# --- the references ---------------------------------------------------------------------------
@jit
def _flips(rng, n, rate):
    """Bin(n, rate) conditioned on at least one."""
    while True:
        k = rng.binomial(n, rate)
        if k > 0:
            return k


@jit
def _mutate(x, y, k, rng):
    """``y = x`` with ``k`` distinct random bits flipped."""
    n = x.size
    y[:] = x
    order = np.arange(n)
    for j in range(k):
        r = j + int(rng.random() * (n - j))
        order[j], order[r] = order[r], order[j]
        y[order[j]] ^= np.int8(1)


@jit
def one_plus_one(address, data, n, budget, f_stop, algorithm, rng):
    """RLS (algorithm 0), the (1+1) EA (1) or the fast (1+1) EA (2); returns the evaluations
    and values at which the best improved."""
    at = np.empty(budget, dtype=np.int64)
    values = np.empty(budget)
    alphas = np.arange(1, max(n // 2, 1) + 1).astype(np.float64)
    cdf = np.cumsum(alphas ** -1.5)
    cdf /= cdf[-1]
    x = (rng.random(n) < 0.5).astype(np.int8)
    y = x.copy()
    objective = load_function(address, "objective", x.dtype)
    fx = objective(x, data)
    at[0], values[0], count = 1, fx, 1
    for evaluation in range(2, budget + 1):
        if fx <= f_stop:
            break
        if algorithm == 0:
            k = 1
        elif algorithm == 1:
            k = _flips(rng, n, 1.0 / n)
        else:
            alpha = alphas[np.searchsorted(cdf, rng.random())]
            k = _flips(rng, n, min(alpha / n, 1.0))
        _mutate(x, y, k, rng)
        fy = objective(y, data)
        if fy <= fx:
            if fy < fx:
                at[count], values[count] = evaluation, fy
                count += 1
            x[:] = y
            fx = fy
    return at[:count].copy(), values[:count].copy()


@jit
def mu_plus_lambda(address, data, n, budget, f_stop, mu, lam, rng):
    """The (mu+lambda) GA of the module docstring; returns the improvements as above."""
    at = np.empty(budget, dtype=np.int64)
    values = np.empty(budget)
    pop = (rng.random((mu + lam, n)) < 0.5).astype(np.int8)
    objective = load_function(address, "objective", pop.dtype)
    f = np.empty(mu + lam)
    best, count, evaluation = np.inf, 0, 0
    for i in range(mu):
        f[i] = objective(pop[i], data)
        evaluation += 1
        if f[i] < best:
            best = f[i]
            at[count], values[count] = evaluation, best
            count += 1
    child = np.empty(n, dtype=np.int8)
    while evaluation + lam <= budget and best > f_stop:
        for c in range(lam):
            a = pop[int(rng.random() * mu)]
            if rng.random() < 0.5:
                b = pop[int(rng.random() * mu)]
                for j in range(n):
                    child[j] = a[j] if rng.random() < 0.5 else b[j]
            else:
                child[:] = a
            _mutate(child, pop[mu + c], _flips(rng, n, 1.0 / n), rng)
            f[mu + c] = objective(pop[mu + c], data)
            evaluation += 1
            if f[mu + c] < best:
                best = f[mu + c]
                at[count], values[count] = evaluation, best
                count += 1
        # Offspring first, then a stable sort: ties go to offspring.
        order = np.concatenate((np.arange(mu, mu + lam), np.arange(mu)))
        order = order[np.argsort(f[order], kind="mergesort")]
        pop[:] = pop[order].copy()
        f[:] = f[order].copy()
    return at[:count].copy(), values[:count].copy()


def _address(problem) -> int:
    """The objective by address, as the library's kernels take it: a reference that took the
    jitted function itself would be compiled per objective and cannot be cached reliably."""
    return function_address(problem.objective, "objective", "binary")


def run(system: str, label: str, n: int, instance: int, seed: int) -> dict:
    """One run: its improvements ``[[nfev, f], ...]``, plus the instance's random value and
    known optimum (None if unknown)."""
    problem = PROBLEMS[label](n, instance)
    budget = budget_of(n)
    f_stop = -np.inf if problem.f_opt is None else problem.f_opt
    if system in LIBRARY:
        termination = None if problem.f_opt is None else ss.TargetValue(problem.f_opt)
        result = ss.OPTIMIZERS.get(system)().run(problem, budget, rng=seed, history=200,
                                                 termination=termination)
        at, values = result.history.nfev, result.history.fun
        keep = np.r_[True, values[1:] < values[:-1]]
        at, values = at[keep], values[keep]
    else:
        rng = np.random.default_rng(seed)
        if system == "mulga":
            at, values = mu_plus_lambda(_address(problem), problem.data, n, budget, f_stop,
                                        10, 10, rng)
        else:
            at, values = one_plus_one(_address(problem), problem.data, n, budget, f_stop,
                                      REFERENCES.index(system), rng)
    return {"trajectory": [[int(a), float(v)] for a, v in zip(at, values)],
            "random": random_value(problem, instance), "f_opt": problem.f_opt,
            "budget": budget}
