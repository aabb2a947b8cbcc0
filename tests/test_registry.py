import pytest

import stochsearch as ss
from stochsearch.registry import Registry


def test_names_resolve_and_collisions_raise():
    registry = Registry("widget")
    registry.register("a", int)
    registry.register("a", int)  # the same object again is harmless
    with pytest.raises(ValueError, match="already registered"):
        registry.register("a", float)
    with pytest.raises(ValueError, match="unknown widget 'b'. Known: 'a'."):
        registry.get("b")


def test_built_ins_are_registered():
    assert {"random", "rhc", "sa"} <= set(ss.OPTIMIZERS.names())
    assert {"uniform", "zeros", "center", "normal", "constant"} <= set(ss.INITIALIZERS.names())
    assert {"gaussian", "cauchy"} <= set(ss.NEIGHBORHOODS.names())
    assert {"sphere", "rastrigin"} <= set(ss.PROBLEMS.names())
    for name in ss.OPTIMIZERS.names():
        assert ss.OPTIMIZERS.get(name).name == name
