"""Minimize a plain Python function, the way ``scipy.optimize`` users do.

``args`` reaches the objective after ``x``, ``rng`` takes an int (or anything
``numpy.random.default_rng`` takes), and the result reads like scipy's ``OptimizeResult``.
"""
import numpy as np

import stochsearch as ss


def rastrigin(x, shift):
    z = x - shift
    return 10 * z.size + float(np.sum(z ** 2 - 10 * np.cos(2 * np.pi * z)))


def main(budget=20_000):
    res = ss.minimize(rastrigin, bounds=[(-5.12, 5.12)] * 4, args=(1.0,), method="cmaes",
                      budget=budget, rng=0, termination=ss.TargetValue(1e-8))
    print(res.message)
    print({key: res[key] for key in ("fun", "nfev", "success")})
    print("x =", np.round(res.x, 4))
    assert "fun" in res and dict(res)["nfev"] == res.nfev <= budget
    assert res.success == (res.fun <= 1e-8)
    return res


if __name__ == "__main__":
    main()
