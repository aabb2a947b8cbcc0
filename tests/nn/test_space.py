"""WeightSpace: a Real box that carries its network (and optionally inputs)."""
from __future__ import annotations

import pickle

import numpy as np
import pytest

import stochsearch as ss
from stochsearch.nn import MLP, WeightSpace

NET = MLP((2, 3, 1), activation="elu", output="sigmoid", l2=0.1)


def test_a_real_box_with_layer_shapes():
    space = WeightSpace(NET, bound=3.0, inputs=np.ones((4, 2)))
    assert isinstance(space, ss.Real) and space.kind == "real" and space.dim == NET.n_params
    assert space.layers == NET.layers == [((2, 3), 0), ((3, 1), 9)]
    assert np.all(space.upper == 3.0) and np.all(space.lower == -3.0)
    assert repr(space) == f"WeightSpace({NET!r}, bound=3)"
    clone = pickle.loads(pickle.dumps(space))
    assert clone == space and np.array_equal(clone.inputs, space.inputs)
    assert space != WeightSpace(MLP((2, 3, 1)), bound=3.0) and space != ss.Real(-3, 3, dim=13)


@pytest.mark.parametrize("make,message", [
    (lambda: WeightSpace((2, 3, 1)), "network must be an MLP, got (2, 3, 1)"),
    (lambda: WeightSpace(NET, bound=-1.0), "bound must be a positive number, got -1.0"),
    (lambda: WeightSpace(NET, inputs=np.ones((4, 3))), "X must have shape (n, 2)"),
])
def test_errors(make, message):
    with pytest.raises((ValueError, TypeError)) as info:
        make()
    assert message in str(info.value)
