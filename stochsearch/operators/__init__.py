"""Swappable pieces of algorithms: neighbourhoods and cooling schedules (and, for the genetic
algorithm, selection, crossover and mutation). Each owns its numba kernel, compiled for the
fixed signature of its role, and packs its parameters into a float64 array. A neighbourhood,
mutation or crossover may also be a plain Python function (``python``); the signatures of both
kinds are documented in one place, ``docs/guide/operators.md``."""
from .cooling import Adaptive, Cooling, Exponential, Linear, Logarithmic, resolve_cooling
from .crossover import (Blend, Crossover, OnePoint, Order, PartiallyMapped, SimulatedBinary,
                        TwoPoint, Uniform)
from .mutation import (BitFlip, GaussianMutation, InsertMutation, InversionMutation, Mutation,
                       PolynomialMutation, SwapMutation)
from .neighborhoods import (CauchyStep, CovarianceStep, Flip, GaussianStep, Insert,
                            Neighborhood, RealStep, Swap, TwoOpt, resolve_neighborhood)
from .neighborhoods import BitMutation, FastBitMutation, IntegerStep, PlusMinusOne, RandomReset
from .mutation import IntegerMutation, ResetMutation
from .crossover import RoundedSBX
from .selection import Proportional, Rank, Selection, Tournament, Truncation
from .learning_rates import (ConstantRate, CosineDecay, ExponentialDecay, InverseScaling,
                             LearningRate, StepDecay)
from .updates import AddNoise, Adam, ClipByNorm, ClipByValue, Momentum, UpdateRule, chain
from .python import (PythonCrossover, PythonMutation, PythonNeighborhood,
                     PythonOperatorWarning)

__all__ = ["Adaptive", "CauchyStep", "Cooling", "CovarianceStep", "Exponential", "GaussianStep",
           "Linear", "Logarithmic", "Neighborhood", "RealStep", "resolve_cooling",
           "resolve_neighborhood"]
# The genetic algorithm's operators and the discrete neighbourhoods.
__all__ += ["IntegerMutation", "IntegerStep", "PlusMinusOne", "RandomReset", "ResetMutation",
            "RoundedSBX"]
__all__ += ["BitFlip", "BitMutation", "Blend", "Crossover", "FastBitMutation", "Flip",
            "GaussianMutation", "Insert",
            "InsertMutation", "InversionMutation", "Mutation", "OnePoint", "Order",
            "PartiallyMapped", "PolynomialMutation", "Proportional", "Rank", "Selection",
            "SimulatedBinary", "Swap", "SwapMutation", "Tournament", "Truncation", "TwoOpt",
            "TwoPoint", "Uniform"]
# Operators written as plain Python functions (docs/guide/operators.md).
__all__ += ["PythonCrossover", "PythonMutation", "PythonNeighborhood", "PythonOperatorWarning"]
# SGD's update rules and learning-rate schedules.
__all__ += ["AddNoise", "Adam", "ClipByNorm", "ClipByValue", "ConstantRate", "CosineDecay",
            "ExponentialDecay", "InverseScaling", "LearningRate", "Momentum", "StepDecay",
            "UpdateRule", "chain"]
