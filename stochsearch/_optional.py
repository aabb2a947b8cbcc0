"""Optional dependencies: the core (``import stochsearch``, ``minimize``, the optimizers, the
catalogue and benchmark suites) needs only numpy, numba and scipy (and tqdm and threadpoolctl,
for the suite's progress bar and worker processes). Figures need matplotlib (the ``report``
extra), the scikit-learn estimators and bundled datasets need scikit-learn (the ``nn``
extra). Modules that need one import it through ``require``, which says what to install.
"""
from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["MissingExtra", "require"]

#: module -> (distribution, extra of stochsearch that installs it)
EXTRAS = {"matplotlib": ("matplotlib", "report"), "sklearn": ("scikit-learn", "nn")}


class MissingExtra(ImportError):
    """An optional dependency is not installed; the message names the extra to install."""


def require(module: str, purpose: str) -> ModuleType:
    """Import ``module`` (a top-level name of ``EXTRAS``), or raise ``MissingExtra`` saying
    that ``purpose`` needs it and how to install it.

    Examples
    --------
    >>> require("sklearn", "MLPClassifier").__name__
    'sklearn'
    """
    try:
        return importlib.import_module(module)
    except ImportError as error:
        distribution, extra = EXTRAS[module]
        raise MissingExtra(f"{purpose} needs {distribution}, which is not installed: "
                           f'pip install "stochsearch[{extra}]"', name=module) from error
