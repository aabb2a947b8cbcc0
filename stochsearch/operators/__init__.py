"""Swappable pieces of algorithms: neighbourhoods and cooling schedules (and, for the genetic
algorithm, selection, crossover and mutation). Each owns its numba kernel, compiled for the
fixed signature of its role, and packs its parameters into a float64 array."""
from .cooling import Adaptive, Cooling, Exponential, Linear, Logarithmic, resolve_cooling
from .neighborhoods import (CauchyStep, GaussianStep, Neighborhood, RealStep,
                            resolve_neighborhood)

__all__ = ["Adaptive", "CauchyStep", "Cooling", "Exponential", "GaussianStep", "Linear",
           "Logarithmic", "Neighborhood", "RealStep", "resolve_cooling", "resolve_neighborhood"]
