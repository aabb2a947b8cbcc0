"""Every public signature carries type hints (py.typed promises them to type checkers)."""
import importlib
import inspect

import pytest

MODULES = ["stochsearch", "stochsearch.suite", "stochsearch.termination",
           "stochsearch.initialization", "stochsearch.moves", "stochsearch.nn",
           "stochsearch.nn.datasets", "stochsearch.operators"]
# Numba-compiled kernels of the operators (called by compiled code, never by users) and the
# scikit-learn estimator, whose signature follows scikit-learn's conventions, are left out.
SKIP_METHODS = {"propose", "temperature", "mutate", "cross", "select", "update", "rate",
                "apply", "kernel", "crossover", "batch_gradient"}


def _unhinted(qualname, func, bound):
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return []
    params = list(sig.parameters.values())[1 if bound else 0:]
    missing = [p.name for p in params if p.annotation is inspect.Parameter.empty]
    if sig.return_annotation is inspect.Signature.empty and not qualname.endswith("__init__"):
        missing.append("return")
    return [f"{qualname}: {', '.join(missing)}"] if missing else []


def _public_signatures(module_name):
    module = importlib.import_module(module_name)
    for name in module.__all__:
        obj = getattr(module, name)
        if inspect.ismodule(obj):
            continue
        if inspect.isfunction(obj):
            yield f"{module_name}.{name}", obj, False
        elif inspect.isclass(obj):
            for attr, value in vars(obj).items():
                if (attr.startswith("_") and attr != "__init__") or attr in SKIP_METHODS:
                    continue
                where = f"{module_name}.{name}.{attr}"
                if isinstance(value, staticmethod):
                    yield where, value.__func__, False
                elif isinstance(value, classmethod):
                    yield where, value.__func__, True
                elif isinstance(value, property) and value.fget is not None:
                    yield where, value.fget, True
                elif inspect.isfunction(value):
                    yield where, value, True


@pytest.mark.parametrize("module_name", MODULES)
def test_public_signatures_are_typed(module_name):
    missing = [line for where, func, bound in _public_signatures(module_name)
               for line in _unhinted(where, func, bound)]
    assert not missing, "\n".join(missing)
