"""Small suites written to a temporary folder, with a user module beside them whose problems
misbehave on purpose (raise, kill their worker), for the suite tests."""
from __future__ import annotations

import pathlib
import sys
import textwrap

import pytest

USER_MODULE = '''
import os
import pathlib

import numpy as np

import stochsearch as ss


class Fragile(ss.Problem):
    """A sphere whose objective raises after ``after`` evaluations (never when 0)."""

    def __init__(self, dim=2, after=0):
        self.after, self.calls = after, 0
        super().__init__(ss.Real(-5.0, 5.0, dim=dim), fun=self.value, f_opt=0.0,
                         name="fragile")

    def value(self, x):
        self.calls += 1
        if self.after and self.calls > self.after:
            raise ValueError("the simulator crashed")
        return float(np.sum(x * x))


class Deadly(ss.Problem):
    """A sphere whose objective kills its process: once if ``marker`` names a file that
    does not exist yet (it is created), always if ``marker`` is empty."""

    def __init__(self, marker=""):
        self.marker = marker
        super().__init__(ss.Real(-5.0, 5.0, dim=2), fun=self.value, f_opt=0.0, name="deadly")

    def value(self, x):
        if not self.marker:
            os._exit(13)
        if not pathlib.Path(self.marker).exists():
            pathlib.Path(self.marker).write_text("died once")
            os._exit(13)
        return float(np.sum(x * x))


class Slow(ss.Problem):
    """A plain-Python sphere: slow enough (a few microseconds a call) to interrupt a run."""

    def __init__(self, dim=4):
        super().__init__(ss.Real(-5.0, 5.0, dim=dim), fun=self.value, f_opt=0.0, name="slow")

    def value(self, x):
        return float(np.sum(x * x))
'''

TINY = """
[suite]
name = "tiny"
seed = 3
seeds = 2
budget = 400
history = 12
targets = [1.0, 1e-3]

[optimizers.rhc]

[optimizers.sa-greedy]
optimizer = "sa"
params = { t0 = 0 }
dial = "zero"

[optimizers.sa]

[problems.sphere-3]
problem = "sphere"
params = { dim = 3, shift = true }

[problems.rastrigin-2]
problem = "rastrigin"
params = { dim = 2, shift = true }

[initializers.uniform]

[initializers.center]
dial = "zero"
"""

# Plain-Python objectives: slow enough (a fraction of a second a task) to stop a run midway.
SLOW = """
[suite]
name = "slow"
seed = 5
seeds = 4
budget = 5_000
history = 10

[optimizers.sa]

[optimizers.random]
params = { batch_size = 100 }

[problems.slow-2]
problem = "userprobs:Slow"
params = { dim = 2 }

[problems.slow-4]
problem = "userprobs:Slow"

[problems.slow-6]
problem = "userprobs:Slow"
params = { dim = 6 }
"""


@pytest.fixture
def write_suite(tmp_path):
    """``write_suite(text, name="suite.toml")`` writes a suite (and the user module
    ``userprobs.py`` beside it) into a temporary folder and returns its path."""

    def write(text: str, name: str = "suite.toml") -> pathlib.Path:
        (tmp_path / "userprobs.py").write_text(USER_MODULE)
        # This process imports the module afresh from this folder (tracebacks name it).
        sys.modules.pop("userprobs", None)
        path = tmp_path / name
        path.write_text(textwrap.dedent(text))
        return path

    return write


@pytest.fixture
def tiny(write_suite):
    """A valid suite of 24 short tasks (3 optimizers, 2 problems, 2 initializers, 2 seeds)."""
    return write_suite(TINY)
