"""The single-run commands of ``stochsearch``: ``list`` (every registered entry with one line
of description, the kinds of space it works on, and its parameters) and ``run`` (one
optimizer on one problem, with the kernels compiled before the clock starts and progress
shown on long runs)."""
from __future__ import annotations

import inspect
import sys
import time

import numpy as np

from .spaces import Space

__all__ = ["describe", "entry_kinds", "print_listing", "space_names", "timed_run"]

_WIDTH = 120  # the longest line `list` prints for an entry


def space_names() -> dict:
    """``{kind: class name}`` of every space class that defines its own kind
    (``{"real": "Real", "binary": "Binary", ...}``), found from ``Space``'s subclasses."""
    names, todo = {}, list(Space.__subclasses__())
    while todo:
        cls = todo.pop(0)
        todo += cls.__subclasses__()
        if "kind" in vars(cls) and cls.kind and not cls.__name__.startswith("_"):
            names.setdefault(cls.kind, cls.__name__)
    return names


def describe(obj, width: int = 100) -> str:
    """The first sentence of ``obj``'s docstring, on one line of at most ``width``
    characters."""
    doc = inspect.getdoc(obj) or ""
    paragraph = " ".join(doc.split("\n\n")[0].split())
    end = paragraph.find(". ")
    sentence = paragraph[:end + 1] if end >= 0 else paragraph
    return sentence if len(sentence) <= width else sentence[:width - 3].rstrip() + "..."


def _examples() -> list:
    """A small space of every kind (and a network's weights), to try initializers on."""
    from .nn.mlp import MLP
    from .nn.space import WeightSpace

    spaces = []
    for kind, name in space_names().items():
        cls = next(c for c in _all_spaces() if c.__name__ == name)
        for args, kwargs in (((4,), {}), ((-1.0, 1.0), {"dim": 4}), ((0, 3), {"dim": 4})):
            try:
                spaces.append(cls(*args, **kwargs))
                break
            except Exception:  # noqa: BLE001, S112 - try the next constructor form
                continue
    return spaces + [WeightSpace(MLP([3, 4, 2]))]


def _all_spaces() -> list:
    out, todo = [], list(Space.__subclasses__())
    while todo:
        cls = todo.pop(0)
        todo += cls.__subclasses__()
        out.append(cls)
    return out


def entry_kinds(registry_kind: str, obj, examples=None) -> list[str] | None:
    """The kinds of space an entry works on, read from the object: an optimizer's
    ``spaces``; a problem class's ``space_kind`` (else the space of an instance built with
    its defaults); an initializer's by drawing from a small space of every kind. None when
    it cannot be told (an entry that needs parameters to be built)."""
    if registry_kind == "optimizers":
        return list(getattr(obj, "spaces", ()) or ()) or None
    if registry_kind == "problems":
        kind = getattr(obj, "space_kind", None)
        if kind is None:
            try:
                kind = obj().space.kind
            except Exception:  # noqa: BLE001 - needs parameters
                return None
        return [kind]
    try:
        init = obj()
    except Exception:  # noqa: BLE001 - needs parameters (e.g. constant's value)
        return None
    kinds = []
    for space in examples if examples is not None else _examples():
        try:
            init(np.random.default_rng(0), space, 2)
        except Exception:  # noqa: BLE001, S112 - not on this kind of space
            continue
        label = space.kind if type(space).__name__ in space_names().values() else \
            f"{space.kind} (network weights)"
        if label not in kinds and space.kind not in kinds:
            kinds.append(label)
    return kinds or None


def _signature(cls) -> str:
    parameters = inspect.signature(cls.__init__).parameters.values()
    return ", ".join(p.name if p.default is inspect.Parameter.empty else
                     f"{p.name}={p.default!r}" for p in parameters
                     if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD))


def print_listing(only: str | None = None, out=None) -> None:
    """Print every registered optimizer, problem and initializer (or only one kind)."""
    from .registry import INITIALIZERS, OPTIMIZERS, PROBLEMS

    out = out or sys.stdout
    names = space_names()
    examples = None
    for kind, registry in (("optimizers", OPTIMIZERS), ("problems", PROBLEMS),
                           ("initializers", INITIALIZERS)):
        if only not in (None, kind):
            continue
        if kind == "initializers":
            examples = _examples()
        print(f"{kind}:", file=out)
        entries = registry.items()
        width = max(len(name) for name, _ in entries)
        for name, obj in entries:
            kinds = sorted(entry_kinds(kind, obj, examples) or (), key=_kind_order)
            spaces = ", ".join(_kind_label(k, names) for k in kinds) if kinds else \
                "needs parameters or a particular space to tell"
            line = f"  {name:<{width}}  [{spaces}] "
            print(line + describe(obj, max(40, _WIDTH - len(line))), file=out)
            print(f"  {'':<{width}}  {obj.__name__}({_signature(obj)})", file=out)


_KIND_ORDER = ("real", "binary", "permutation", "integer")


def _kind_order(kind: str) -> int:
    """Kinds of space listed in one order for every entry (a kind not known here last)."""
    base = kind.partition(" ")[0]
    return _KIND_ORDER.index(base) if base in _KIND_ORDER else len(_KIND_ORDER)


def _kind_label(kind: str, names: dict) -> str:
    base, _, rest = kind.partition(" ")
    return names.get(base, base) + (f" {rest}" if rest else "")


class _RunProgress:
    """Evaluations done, best value and time left of a long run: nothing for a run shorter
    than ``delay`` seconds; then a tqdm bar on a terminal, else a line every ``every``
    seconds, on ``stream``."""

    def __init__(self, budget: int, stream=None, delay: float = 2.0, every: float = 10.0,
                 clock=time.monotonic):
        self.budget, self.delay, self.every, self.clock = budget, delay, every, clock
        self.stream = stream or sys.stderr
        self.started = self.last = clock()
        self.bar = None
        self.tty = getattr(self.stream, "isatty", lambda: False)()

    def __call__(self, result) -> bool:
        now = self.clock()
        elapsed = now - self.started
        if elapsed < self.delay:
            return False
        if self.tty:
            if self.bar is None:
                from tqdm import tqdm

                self.bar = tqdm(total=self.budget, unit="eval", unit_scale=True,
                                file=self.stream, dynamic_ncols=True)
            self.bar.set_postfix(best=f"{result.fun:.6g}", refresh=False)
            self.bar.update(result.nfev - self.bar.n)
        elif now - self.last >= self.every or self.last == self.started:
            self.last = now
            left = elapsed * (self.budget - result.nfev) / result.nfev if result.nfev else 0
            print(f"stochsearch run: {result.nfev:,}/{self.budget:,} evaluations, best "
                  f"{result.fun:.6g}, {elapsed:.0f} s elapsed, about {left:.0f} s left",
                  file=self.stream, flush=True)
        return False

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def timed_run(optimizer, problem, budget: int, seed: int, init, progress=None,
              clock=time.perf_counter, stream=None, notice_after: float | None = 1.0):
    """Run after a tiny warm-up run that compiles (or loads from numba's cache) the kernels
    this run needs, so that the run's time is the search's alone. A warm-up longer than
    ``notice_after`` seconds (a first run compiling) says so on ``stream`` (stderr); None
    says it at once.

    Returns ``(result, compile_seconds, run_seconds)``.
    """
    import threading

    from .suite.spec import _WARM_BUDGET

    stream = stream or sys.stderr

    def notice():
        print("stochsearch run: compiling the kernels (a first run; later runs load them "
              "from numba's cache)...", file=stream, flush=True)

    timer = None
    if notice_after is None:
        notice()
    else:
        timer = threading.Timer(notice_after, notice)
        timer.daemon = True
        timer.start()
    started = clock()
    try:
        optimizer.run(problem, min(budget, _WARM_BUDGET), rng=seed, init=init, history=2)
    finally:
        if timer is not None:
            timer.cancel()
    compiled = clock()
    progress = progress if progress is not None else _RunProgress(budget)
    try:
        result = optimizer.run(problem, budget, rng=seed, init=init, callback=progress)
    finally:
        if hasattr(progress, "close"):
            progress.close()
    return result, compiled - started, clock() - compiled
