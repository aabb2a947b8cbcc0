"""A custom problem in numba: the whole run executes in compiled code.

The objective takes one point and the problem's data (a float64 array holding the instance);
``ss.jit`` compiles it with the project's numba settings. The same objective then serves
``minimize``, an optimizer's ``run`` and a ``Problem`` subclass with a known optimum.
"""
import numpy as np

import stochsearch as ss


@ss.jit
def weighted_sphere(x, data):
    """Sum of w_i (x_i - c_i)^2, with data = [c_1..c_n, w_1..w_n]."""
    n = x.size
    total = 0.0
    for i in range(n):
        total += data[n + i] * (x[i] - data[i]) ** 2
    return total


class WeightedSphere(ss.Problem):
    """The objective as a reusable problem, with its optimum known (for targets and gaps)."""

    def __init__(self, dim=6, seed=0):
        rng = np.random.default_rng(seed)
        centre = rng.uniform(-3, 3, dim)
        weights = 10.0 ** np.linspace(0, 2, dim)
        super().__init__(ss.Real(-5, 5, dim=dim), objective=weighted_sphere,
                         data=np.concatenate([centre, weights]), f_opt=0.0, x_opt=centre,
                         name=f"weighted-sphere-{dim}")


def main(budget=20_000):
    problem = WeightedSphere()
    print(problem.path)                         # 'fused': no Python call per evaluation
    res = ss.RandomRestartHillClimbing().run(problem, budget, rng=0,
                                             termination=ss.TargetValue(1e-6))
    print(res.status.name, res.fun, res.nfev)
    assert res.success and res.fun <= 1e-6
    # The same objective through minimize, with the data given there.
    again = ss.minimize(weighted_sphere, bounds=[(-5, 5)] * 6, data=problem.data,
                        method="rhc", budget=budget, rng=0, termination=ss.TargetValue(1e-6))
    assert again.fun == res.fun
    return res


if __name__ == "__main__":
    main()
