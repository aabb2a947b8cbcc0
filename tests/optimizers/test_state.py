"""``RunState`` and its named fields (``optimizers/_state.py``)."""
from __future__ import annotations

import numpy as np
import pytest

import stochsearch as ss
from tests.conftest import make_problem


@pytest.mark.parametrize("name", ["random", "rhc", "sa", "ga", "cmaes"])
def test_read_equals_reading_each_field_by_name(name):
    optimizer = ss.OPTIMIZERS.get(name)()
    state = optimizer.init(make_problem("real"), 300, rng=3)
    for _ in range(5):
        if state.done:
            break
        X = optimizer.ask(state)
        optimizer.tell(state, X, np.arange(len(X), dtype=float) + 1.0)
    fields = state.fields
    one_word = [n for n, (which, _, n_words) in fields.index.items()
                if n_words == 1 and which != 2]
    for names in (tuple(one_word), tuple(reversed(one_word)), ("best_f",), ("nfev", "nfev")):
        values = fields.read(names)
        expected = [getattr(fields, n).item() for n in names]
        assert list(values) == expected
        assert [type(v) for v in values] == [type(v) for v in expected]   # int and float
    fields.nit = 41                                     # reads see writes
    assert fields.read(("nit", "best_f")) == (41, state.best_f)


def test_read_names_a_field_it_cannot_read():
    optimizer = ss.RandomSearch()
    fields = optimizer.init(make_problem("real"), 10, rng=0).fields
    with pytest.raises(AttributeError, match="no field 'temperature'"):
        fields.read(("nfev", "temperature"))
    with pytest.raises(ValueError, match="'handle' is not one"):
        fields.read(("handle",))
