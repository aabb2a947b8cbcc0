"""Ask and tell: the objective is evaluated outside the optimizer.

Use it when values come from a simulator, another process or a cluster: ``ask`` gives a batch
of points (one per row), you evaluate them however you like, ``tell`` hands the values back.
The run is identical to ``optimizer.run`` on the same objective with the same seed.
"""
import numpy as np

import stochsearch as ss


def simulator(X):
    """Stands for an expensive, external evaluation of a whole batch."""
    return np.sum((X - 0.5) ** 2, axis=1) + 0.1 * np.sum(np.sin(5 * X), axis=1)


def main(budget=4_000):
    optimizer = ss.GeneticAlgorithm(pop_size=40)
    space = ss.Real(-2, 2, dim=5)
    state = optimizer.init(space, budget=budget, rng=1)
    batches = 0
    while not state.done:
        X = optimizer.ask(state)
        optimizer.tell(state, X, simulator(X))
        batches += 1
    res = optimizer.result(state)
    print(f"{batches} batches, nfev={res.nfev}, fun={res.fun:.6f}")
    same = optimizer.run(ss.as_problem(simulator, space, vectorized=True), budget, rng=1)
    assert same.fun == res.fun and np.array_equal(same.x, res.x)
    return res


if __name__ == "__main__":
    main()
