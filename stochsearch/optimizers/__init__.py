"""The optimizers, each in its own module; importing this package registers them."""
from .annealing import SimulatedAnnealing
from .base import Optimizer
from .hill_climbing import RandomRestartHillClimbing
from .random_search import RandomSearch

__all__ = ["Optimizer", "RandomRestartHillClimbing", "RandomSearch", "SimulatedAnnealing"]
