"""SGD's update rules: their kernels against the references of tests/reference/sgd.py,
chains, names and errors."""
from __future__ import annotations

import numpy as np
import pytest

import stochsearch as ss
from stochsearch.operators import AddNoise, Adam, ClipByNorm, ClipByValue, Momentum, chain
from stochsearch.operators.updates import Chain, resolve_update
from tests.reference import sgd as ref

SPACE = ss.Real(-1.0, 1.0, dim=4)


@pytest.mark.parametrize("rule,reference", [
    (Momentum(0.7), lambda: ref.momentum(4, 0.7)),
    (Momentum(0.7, nesterov=True), lambda: ref.momentum(4, 0.7, True)),
    (Adam(0.8, 0.95, 1e-7), lambda: ref.adam(4, 0.8, 0.95, 1e-7)),
    (ClipByNorm(0.5), lambda: ref.clip_by_norm(0.5)),
    (ClipByValue(0.3), lambda: ref.clip_by_value(0.3)),
    (AddNoise(0.2, 0.55), lambda: ref.add_noise(0.2, 0.55)),
], ids=repr)
def test_rule_kernels_match_references(rule, reference):
    memory = rule.pack(SPACE)
    expected_rule = reference()
    rng, ref_rng = np.random.default_rng(0), np.random.default_rng(0)
    gradients = np.random.default_rng(1).normal(size=(5, 4))
    for step, g in enumerate(gradients, start=1):
        mine, theirs = g.copy(), list(g)
        rule.update(mine, memory, step, rng)
        expected_rule(theirs, step, ref_rng)
        np.testing.assert_array_equal(mine, theirs)


def test_chain_flattens_and_names_resolve():
    inner = chain(ClipByNorm(1.0), Momentum(0.5))
    outer = chain(AddNoise(), inner, Adam())
    assert [type(r) for r in outer.rules] == [AddNoise, ClipByNorm, Momentum, Adam]
    assert chain().rules == [] and resolve_update(None) == Chain()
    assert resolve_update("nesterov").rules == [Momentum(0.9, nesterov=True)]
    assert resolve_update(Adam()).rules == [Adam()]
    assert repr(chain(Momentum(0.5))) == "chain(Momentum(beta=0.5, nesterov=False))"


@pytest.mark.parametrize("make,message", [
    (lambda: resolve_update("adamw"), "update must be one of 'sgd', 'momentum', 'nesterov', "
                                      "'adam', got 'adamw'; did you mean 'adam'?"),
    (lambda: resolve_update(0.9), "update must be one of"),
    (lambda: chain(Momentum(), "adam"), "chain() takes update rules"),
    (lambda: Momentum(beta=1.0), "beta must be a finite number >= 0.0 and < 1.0, got 1.0"),
    (lambda: ClipByNorm(0.0), "max_norm must be a positive number, got 0.0"),
])
def test_errors_are_one_clear_sentence(make, message):
    with pytest.raises((ValueError, TypeError)) as info:
        make()
    assert message in str(info.value)
