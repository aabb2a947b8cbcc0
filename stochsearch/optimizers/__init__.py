"""The optimizers, each in its own module; importing this package registers them."""
from .annealing import SimulatedAnnealing
from .base import Optimizer
from .cma import CMAES
from .genetic import GeneticAlgorithm
from .hill_climbing import RandomRestartHillClimbing
from .random_search import RandomSearch
from .sgd import SGD

__all__ = ["CMAES", "GeneticAlgorithm", "Optimizer", "RandomRestartHillClimbing",
           "RandomSearch", "SGD", "SimulatedAnnealing"]
