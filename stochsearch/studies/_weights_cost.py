"""What an SGD epoch costs in forward passes: the weights study counts an epoch of
sample-gradients as one pass over the training data, like one full-loss evaluation of the
gradient-free searches, and states how far that flatters SGD from this figure.

The figure is measured by ``python bench/perf_epoch.py`` (interleaved rounds, CPU time, a ratio
to a forward pass) and shipped with the package as ``epoch_cost.json``: the study never times
anything, so its findings, and the tests that rerun it, do not depend on the machine's load.
"""
from __future__ import annotations

import json
import pathlib
from importlib import resources

__all__ = ["epoch_cost"]


def epoch_cost(path: pathlib.Path, problem: str = "moons-mlp", batch: int = 32) -> dict:
    """``{"gradient", "with_loss", "epoch_from_python", ...}``: the time of one epoch of
    minibatch gradients (every training sample once) in units of one full-loss evaluation (a
    forward pass over every training sample), alone and with the full-loss evaluation SGD
    makes after each epoch to keep its best weights, as ``bench/perf_epoch.py`` measured it.
    Also written to ``path``, beside the study's results."""
    stored = json.loads(resources.files(__package__).joinpath("epoch_cost.json").read_text())
    setting = {"problem": problem, "batch": batch}
    if stored["setting"] != setting:
        raise ValueError(f"the packaged epoch cost is of {stored['setting']}, not {setting}: "
                         f"measure it with python bench/perf_epoch.py")
    pathlib.Path(path).write_text(json.dumps(stored, indent=1) + "\n")
    return stored
