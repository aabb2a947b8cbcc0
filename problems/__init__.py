"""The problem catalogue, installed as ``stochsearch.problems``.

Every problem here is written with the public API only, exactly as a user would write a custom
one, and registered by name (``stochsearch.PROBLEMS``) for benchmark suites and the CLI.
"""
from .landscapes import *  # noqa: F401,F403
from .landscapes import __all__ as _landscapes
from .bbob_functions import *  # noqa: F401,F403
from .bbob_functions import __all__ as _bbob_functions
from .bitstrings import *  # noqa: F401,F403
from .bitstrings import __all__ as _bitstrings
from .bitstring_models import *  # noqa: F401,F403
from .bitstring_models import __all__ as _bitstring_models
from .permutations import *  # noqa: F401,F403
from .permutations import __all__ as _permutations
from .integers import *  # noqa: F401,F403
from .integers import __all__ as _integers
from .networks import *  # noqa: F401,F403
from .networks import __all__ as _networks

__all__ = list(_landscapes) + _bbob_functions
__all__ += _bitstrings + _bitstring_models + _permutations
__all__ += _integers + _networks
