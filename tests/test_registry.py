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


def test_names_are_found_in_any_case_and_by_the_object_name():
    registry = Registry("widget")

    class GreatWidget:
        pass

    registry.register("gw", GreatWidget)
    registry.register("other", int)
    for name in ("gw", "GW", "great_widget", "GreatWidget", "great-widget"):
        assert registry.get(name) is GreatWidget
    assert ss.OPTIMIZERS.get("SA") is ss.OPTIMIZERS.get("simulated_annealing") is \
        ss.SimulatedAnnealing
    assert ss.OPTIMIZERS.get("Random_Search") is ss.RandomSearch
    with pytest.raises(ValueError, match="unknown widget 'great'"):
        registry.get("great")
