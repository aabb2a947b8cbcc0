"""The problem catalogue, installed as ``stochsearch.problems``.

Every problem here is written with the public API only, exactly as a user would write a custom
one, and registered by name (``stochsearch.PROBLEMS``) for benchmark suites and the CLI.
"""
from .landscapes import *  # noqa: F401,F403
from .landscapes import __all__ as _landscapes
from .bitstrings import *  # noqa: F401,F403
from .bitstrings import __all__ as _bitstrings
from .permutations import *  # noqa: F401,F403
from .permutations import __all__ as _permutations
from .networks import *  # noqa: F401,F403
from .networks import __all__ as _networks

__all__ = list(_landscapes)
__all__ += _bitstrings + _permutations
__all__ += _networks
