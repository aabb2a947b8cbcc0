"""Train a small network's weights with SGD, and search the same weight space without
gradients (simulated annealing): one flat weight vector is a point of a Real space."""
import stochsearch as ss
from stochsearch.nn import MLP, NetworkProblem, datasets


def main(epochs=30):
    data = datasets.moons(300, noise=0.2, rng=0)
    net = MLP((2, 8, 1), activation="tanh", output="sigmoid")
    problem = NetworkProblem(net, data.X_train, data.y_train, X_test=data.X_test,
                             y_test=data.y_test)
    sgd = ss.SGD(learning_rate=0.1, batch_size=16).run(
        problem, budget=epochs * problem.n_samples, rng=0, init="glorot_uniform")
    annealed = ss.SimulatedAnnealing().run(problem, 5_000, rng=0, init="glorot_uniform")
    for name, res in (("SGD", sgd), ("annealing", annealed)):
        print(f"{name:10s} loss {res.fun:.4f}  test accuracy {res.info['test_accuracy']:.2f}")
    assert sgd.info["test_accuracy"] > 0.8
    return sgd


if __name__ == "__main__":
    main()
