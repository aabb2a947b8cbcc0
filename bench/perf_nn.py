"""Neural-network performance: SGD, and gradient-free search on a small network's weights, side
by side in one run with scikit-learn, PyTorch (CPU, one thread) and mlrose-ky.

    python -m venv /tmp/vnn && . /tmp/vnn/bin/activate
    pip install -e . mlrose-ky && pip install torch==2.13.0  # the peers are this benchmark's,
    python bench/perf_nn.py        # ~6 minutes               # not dependencies of stochsearch
    python bench/perf_nn.py --quick                           # a smoke run (~30 s)

The task: two moons (500 samples, noise 0.2, standardized; 376 for training and 124 for
testing, drawn and split anew by each seed) and a 2-10-1 network, tanh hidden units and a
sigmoid output with binary cross-entropy. Every figure is the median over 5 seeds; the systems
run interleaved, seed by seed in an order rotated from seed to seed, so that a slow phase of the
shared machine hits them alike, timed in CPU time of the process (all its threads: PyTorch is
given one, scikit-learn's BLAS calls may use more; wall time on the shared machine counted the
other jobs' time), and a run shorter than a quarter of a second is repeated until that much
time has passed.

SGD: batch 32 and batch 200 (the batch decides the ratio: a peer's cost per batch is spread over
more samples at 200), learning rate 0.1, no momentum, 200 epochs, shuffled every epoch, Glorot-uniform
weights. stochsearch's ``SGD`` (fused); scikit-learn's ``MLPClassifier(solver="sgd")``
with the same batch, rate and epochs (momentum 0, alpha 0, no early stop); PyTorch's
``nn.Sequential`` with ``BCEWithLogitsLoss``, ``torch.optim.SGD`` and ``torch.randperm``
minibatches, in float32 (its default) on one thread. Speed is sample-gradients per second of the
training call alone; stochsearch's time includes the evaluations of the full training loss it
makes after every epoch (they pick its best weights).

Gradient-free: 1,000 iterations of hill climbing, simulated annealing and a genetic algorithm
(population 20, so 20,000 evaluations) on the same network's weights in [-5, 5]. stochsearch's
``RandomRestartHillClimbing``, ``SimulatedAnnealing`` and ``GeneticAlgorithm`` with their
defaults and Glorot-uniform starts (fused: the network's loss is a numba objective);
mlrose-ky's ``NeuralNetwork`` with ``random_hill_climb``, ``simulated_annealing`` and
``genetic_alg``, ``clip_max=5``, ``max_attempts`` equal to the iterations (so every run makes
them all) and its defaults otherwise. Speed is objective evaluations per second, mlrose's
counted as calls of its network's loss (``NetworkWeights.evaluate``).

Quality: the test accuracy of the weights each system returns, and their training loss (binary
cross-entropy on the training set, which is what every system minimizes).
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import pathlib
import time
import warnings

import numpy as np

import stochsearch as ss
from stochsearch.nn import MLP, NetworkProblem, datasets
from stochsearch.optimizers import SGD

HIDDEN, LEARNING_RATE, BATCH, BOUND, POPULATION = 10, 0.1, 32, 5.0, 20
BATCHES = (32, 200)  # the batch decides the ratio: per-batch overhead against per-sample work


def moons(seed):
    return datasets.moons(500, noise=0.2, rng=seed)


def _problem(data):
    return NetworkProblem(MLP((2, HIDDEN, 1), activation="tanh", output="sigmoid"),
                          data.X_train, data.y_train, X_test=data.X_test, y_test=data.y_test,
                          bound=BOUND)


# --- SGD: each returns (sample-gradients, test accuracy, training loss) -----------------------
def stochsearch_sgd(data, seed, epochs, batch=BATCH):
    problem = _problem(data)
    result = SGD(learning_rate=LEARNING_RATE, batch_size=batch).run(
        problem, epochs * problem.n_samples, rng=seed, init="glorot_uniform")
    return result.nfev, result.info["test_accuracy"], result.info["train_loss"]


def sklearn_sgd(data, seed, epochs, batch=BATCH):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    model = MLPClassifier((HIDDEN,), activation="tanh", solver="sgd", batch_size=batch,
                          learning_rate_init=LEARNING_RATE, momentum=0.0, alpha=0.0,
                          max_iter=epochs, tol=0.0, n_iter_no_change=epochs + 1,
                          random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(data.X_train, data.y_train)
    return epochs * len(data.y_train), model.score(data.X_test, data.y_test), \
        _cross_entropy(data.y_train, model.predict_proba(data.X_train)[:, 1])


def torch_sgd(data, seed, epochs, batch=BATCH):
    import torch
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    X, y = torch.tensor(data.X_train, dtype=torch.float32), \
        torch.tensor(data.y_train, dtype=torch.float32).reshape(-1, 1)
    model = torch.nn.Sequential(torch.nn.Linear(2, HIDDEN), torch.nn.Tanh(),
                                torch.nn.Linear(HIDDEN, 1))
    for layer in (model[0], model[2]):
        torch.nn.init.xavier_uniform_(layer.weight)
        torch.nn.init.zeros_(layer.bias)
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    loss = torch.nn.BCEWithLogitsLoss()
    n = len(y)
    for _ in range(epochs):
        order = torch.randperm(n)
        for start in range(0, n, batch):
            rows = order[start:start + batch]
            optimizer.zero_grad(set_to_none=True)
            loss(model(X[rows]), y[rows]).backward()
            optimizer.step()
    with torch.no_grad():
        predicted = model(torch.tensor(data.X_test, dtype=torch.float32))[:, 0] > 0
        train_loss = float(loss(model(X), y))
    return epochs * n, float(np.mean(predicted.numpy() == data.y_test)), train_loss


# --- gradient-free: each returns (evaluations, test accuracy, training loss) ------------------
def stochsearch_search(make, per_iteration):
    def run(data, seed, iterations):
        problem = _problem(data)
        result = make().run(problem, per_iteration * iterations, rng=seed,
                            init="glorot_uniform")
        return result.nfev, result.info["test_accuracy"], result.fun
    return run


def mlrose_search(algorithm, **options):
    def run(data, seed, iterations):
        import mlrose_ky as mlrose
        count = [0]
        evaluate = mlrose.NetworkWeights.evaluate

        def counted(self, state):  # every evaluation of the network's loss
            count[0] += 1
            return evaluate(self, state)
        model = mlrose.NeuralNetwork(hidden_nodes=[HIDDEN], activation="tanh",
                                     algorithm=algorithm, max_iters=iterations, bias=True,
                                     is_classifier=True, clip_max=BOUND,
                                     max_attempts=iterations, random_state=seed, curve=True,
                                     **options)
        mlrose.NetworkWeights.evaluate = counted
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model.fit(data.X_train, data.y_train)
        finally:
            mlrose.NetworkWeights.evaluate = evaluate
        model.predict(data.X_train)
        train_loss = _cross_entropy(data.y_train, np.asarray(model.predicted_probs).ravel())
        predicted = np.asarray(model.predict(data.X_test)).ravel()
        return count[0], float(np.mean(predicted == data.y_test)), \
            train_loss
    return run


SGD_PEERS = ("scikit-learn MLPClassifier sgd", "PyTorch SGD (CPU, 1 thread)")
SGD_SYSTEMS = {f"{name}, batch {batch}": functools.partial(fn, batch=batch)
               for batch in BATCHES
               for name, fn in (("stochsearch SGD", stochsearch_sgd), (SGD_PEERS[0], sklearn_sgd),
                                (SGD_PEERS[1], torch_sgd))}
SEARCH_SYSTEMS = {
    "stochsearch hill climbing": stochsearch_search(ss.RandomRestartHillClimbing, 1),
    "mlrose-ky random_hill_climb": mlrose_search("random_hill_climb"),
    "stochsearch SA": stochsearch_search(ss.SimulatedAnnealing, 1),
    "mlrose-ky simulated_annealing": mlrose_search("simulated_annealing"),
    # Generational with fixed operators, as mlrose-ky's GA (the defaults adapt since issue 12).
    "stochsearch GA": stochsearch_search(lambda: ss.GeneticAlgorithm(
        pop_size=POPULATION, replacement="generational", adapt_mutation=False,
        differential=0.0), POPULATION),
    "mlrose-ky genetic_alg": mlrose_search("genetic_alg", pop_size=POPULATION),
}


def _cross_entropy(y, p):
    p = np.clip(p, 1e-15, 1.0 - 1e-15)
    return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log1p(-p)))


def measure(systems, work, seeds, minimum=0.25):
    """Per system: the median over seeds of work units per second (a run shorter than
    ``minimum`` seconds repeated until that much time has passed), of test accuracy and of
    training loss."""
    rows = {}
    speed, work_done, accuracy, losses = ({name: [] for name in systems} for _ in range(4))
    for name, fn in systems.items():
        try:
            fn(moons(10**6), 0, 2)          # imports and compilation outside the timing
        except ImportError as error:
            rows[name] = {"system": name, "skipped": f"not installed ({error.name})"}
    active = [name for name in systems if name not in rows]
    for seed in range(seeds):
        data = moons(seed)
        k = seed % len(active)  # the order rotates from seed to seed
        for name in active[k:] + active[:k]:
            runs, units, started = 0, 0, time.process_time()
            while True:
                done, acc, train_loss = systems[name](data, seed, work)
                runs, units = runs + 1, units + done
                elapsed = time.process_time() - started
                if elapsed >= minimum:
                    break
            speed[name].append(units / elapsed)
            work_done[name].append(units / runs)
            accuracy[name].append(acc)
            losses[name].append(train_loss)
    for name in active:
        rows[name] = {"system": name, "per_second": float(np.median(speed[name])),
                      "work_per_run": float(np.median(work_done[name])),
                      "test_accuracy": float(np.median(accuracy[name])),
                      "test_accuracies": accuracy[name],
                      "train_loss": float(np.median(losses[name])), "seeds": seeds}
    return [rows[name] for name in systems]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 epochs, 100 iterations, 2 seeds")
    parser.add_argument("--out", default=str(pathlib.Path(__file__).parent / "results"))
    args = parser.parse_args(argv)
    epochs, iterations, seeds = (20, 100, 2) if args.quick else (200, 1000, 5)
    sgd = measure(SGD_SYSTEMS, epochs, seeds)
    search = measure(SEARCH_SYSTEMS, iterations, seeds)
    rate = {r["system"]: r.get("per_second") for r in sgd + search}
    ratios = {f"SGD / {peer}, batch {batch}": _ratio(rate, f"stochsearch SGD, batch {batch}",
                                                     f"{peer}, batch {batch}")
              for batch in BATCHES for peer in SGD_PEERS}
    for ours, theirs in (("hill climbing", "random_hill_climb"), ("SA", "simulated_annealing"),
                         ("GA", "genetic_alg")):
        ratios[f"{ours} / mlrose-ky {theirs}"] = _ratio(rate, f"stochsearch {ours}",
                                                        f"mlrose-ky {theirs}")
    print(f"SGD, {epochs} epochs (sample-gradients per second; medians over {seeds} seeds):")
    for row in sgd:
        print("  " + _format(row, "sample-gradients/s"))
    print(f"gradient-free search, {iterations} iterations (evaluations per second):")
    for row in search:
        print("  " + _format(row, "evaluations/s"))
    print("speed ratios (stochsearch / peer):")
    for key, value in ratios.items():
        print(f"  {key:<50} {value:8.1f}" if value else f"  {key:<50}      n/a")
    pathlib.Path(args.out).mkdir(parents=True, exist_ok=True)
    path = pathlib.Path(args.out) / ("perf_nn_quick.json" if args.quick else "perf_nn.json")
    path.write_text(json.dumps({"epochs": epochs, "iterations": iterations, "seeds": seeds,
                                "sgd": sgd, "search": search, "ratios": ratios,
                                "machine": os.uname().machine, "cpus": os.cpu_count()},
                               indent=2))
    print(f"written to {path}")


def _ratio(rate, a, b):
    return rate[a] / rate[b] if rate.get(a) and rate.get(b) else None


def _format(row, unit):
    if "skipped" in row:
        return f"{row['system']:<32} skipped: {row['skipped']}"
    return (f"{row['system']:<32} {row['per_second']:>12,.0f} {unit}  test accuracy "
            f"{row['test_accuracy']:.3f}  training loss {row['train_loss']:.4f}")


if __name__ == "__main__":
    main()
