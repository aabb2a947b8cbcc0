"""Progress of a suite run: a tqdm bar on a terminal, plain periodic lines otherwise (logs,
CI, pipes), both on stderr.

Besides the tasks, a progress object shows the steps before and after them (compiling the
kernels on a first run, drawing the report) through ``steps(title, total)``, and estimates
the time left with ``TimeLeft``: from the cost of each kind of task (optimizer x problem)
seen so far and how many of each kind remain, so that slow tasks at the end of a suite are
counted at their own cost, not at the mean of the fast ones that finished first.
"""
from __future__ import annotations

import sys
import time
from collections import Counter, defaultdict

__all__ = ["LineProgress", "TimeLeft", "TqdmProgress", "make_progress", "task_kind"]


def task_kind(item) -> tuple[str, str]:
    """The kind of a task or of a stored record: ``(optimizer variant, problem)``."""
    if isinstance(item, dict):
        return item["optimizer"], item["problem"]
    return item.optimizer, item.problem


class TimeLeft:
    """Estimate of the time a run has left, from the cost of each kind of task.

    Each finished task reports its own run time (seconds of one worker). A kind not seen yet
    costs the mean of the seen tasks on the same problem, else of the same optimizer, else
    of all seen tasks. The remaining cost (summed over the remaining tasks) is turned into
    wall-clock time by the ratio of elapsed time to the run time finished so far, which
    measures the parallelism and the overheads of this run.

    Parameters
    ----------
    kinds : iterable of hashable
        The kind of every task still to run, e.g. ``(optimizer, problem)`` pairs.
    clock : callable
        Returns the current time in seconds (``time.monotonic``; tests pass their own).
    """

    def __init__(self, kinds, clock=time.monotonic):
        self.clock = clock
        self.started = clock()
        self.left = Counter(kinds)
        self.cost = defaultdict(lambda: [0.0, 0])  # kind -> [seconds, tasks]

    def finished(self, kind, seconds: float | None) -> None:
        """One task of ``kind`` finished after ``seconds`` of run time (None: unknown)."""
        if self.left[kind] > 0:
            self.left[kind] -= 1
        if seconds is not None and seconds >= 0:
            entry = self.cost[kind]
            entry[0] += seconds
            entry[1] += 1

    def _mean(self, kind) -> float:
        if kind in self.cost:
            seconds, n = self.cost[kind]
            return seconds / n
        for position in (1, 0):  # the same problem, then the same optimizer
            if isinstance(kind, tuple) and len(kind) == 2:
                same = [v for k, v in self.cost.items()
                        if isinstance(k, tuple) and len(k) == 2 and k[position] == kind[position]]
                if same:
                    return sum(s for s, _ in same) / sum(n for _, n in same)
        return sum(s for s, _ in self.cost.values()) / sum(n for _, n in self.cost.values())

    def untimed(self) -> int:
        """Remaining tasks of kinds no finished task has timed yet: their cost is borrowed,
        so the estimate may be far off until one of each has finished."""
        return sum(n for kind, n in self.left.items() if n > 0 and kind not in self.cost)

    def estimate(self) -> float | None:
        """Seconds left, or None before any task with a known run time has finished."""
        done = sum(s for s, _ in self.cost.values())
        if not self.cost or done <= 0:
            return None
        remaining = sum(n * self._mean(kind) for kind, n in self.left.items() if n > 0)
        return remaining * (self.clock() - self.started) / done


class LineProgress:
    """Prints ``done/total`` with failures, elapsed time and an estimate of the time left,
    at most every ``every`` seconds, and once at the end; steps (compiling, drawing the
    report) the same way."""

    def __init__(self, stream=None, every: float = 10.0, prefix: str = "stochsearch",
                 clock=time.monotonic):
        self.stream = stream or sys.stderr
        self.every = every
        self.prefix = prefix
        self.clock = clock
        self.kinds = None

    def expect(self, kinds) -> None:
        """The kinds of the tasks about to run (see ``task_kind``), for the estimate."""
        self.kinds = list(kinds)

    def start(self, total: int, done: int) -> None:
        self.total, self.done, self.first, self.failed = total, done, done, 0
        self.started = self.last = self.clock()
        self.eta = TimeLeft(self.kinds if self.kinds is not None else [None] * (total - done),
                            self.clock)
        self._print()

    def update(self, record: dict) -> None:
        self.done += 1
        self.failed += record["status"] != "ok"
        self.eta.finished(task_kind(record) if self.kinds is not None else None,
                          record.get("wall_time"))
        if self.clock() - self.last >= self.every:
            self._print()

    def close(self) -> None:
        if hasattr(self, "total"):
            self._print()

    def steps(self, title: str, total: int | None = None) -> _LineSteps:
        """Show the steps of ``title`` (e.g. compiling the kernels): call ``advance(label)``
        after each, ``close()`` at the end."""
        return _LineSteps(self, title, total)

    def _print(self) -> None:
        self.last = self.clock()
        elapsed = self.last - self.started
        left = self.eta.estimate()
        eta = ""
        if left is not None and self.done < self.total:
            untimed = self.eta.untimed() if self.kinds is not None else 0
            eta = f", about {_duration(left)} left" + (
                f" ({untimed} {'task of a kind' if untimed == 1 else 'tasks of kinds'} not "
                f"timed yet)"
                if untimed else "")
        failed = f", {self.failed} failed" if self.failed else ""
        self._line(f"{self.done}/{self.total} tasks{failed}, {_duration(elapsed)} elapsed{eta}")

    def _line(self, text: str) -> None:
        print(f"{self.prefix}: {text}", file=self.stream, flush=True)


class _LineSteps:
    def __init__(self, owner: LineProgress, title: str, total: int | None):
        self.owner, self.title, self.total, self.done = owner, title, total, 0
        self.started = self.last = owner.clock()
        owner._line(f"{title}..." if total is None else f"{title}: 0/{total}")

    def advance(self, label: str = "") -> None:
        self.done += 1
        now = self.owner.clock()
        if now - self.last >= self.owner.every:
            self.last = now
            count = f"{self.done}/{self.total}" if self.total is not None else f"{self.done}"
            self.owner._line(f"{self.title}: {count}" + (f" ({label})" if label else ""))

    def close(self) -> None:
        elapsed = self.owner.clock() - self.started
        self.owner._line(f"{self.title}: done in {_duration(elapsed)}")


class TqdmProgress:
    """A tqdm bar with the number of failures and a time left from ``TimeLeft``."""

    def __init__(self, stream=None, clock=time.monotonic):
        self.stream = stream or sys.stderr
        self.clock = clock
        self.bar = None
        self.kinds = None

    def expect(self, kinds) -> None:
        self.kinds = list(kinds)

    def start(self, total: int, done: int) -> None:
        from tqdm import tqdm

        self.failed = 0
        self.eta = TimeLeft(self.kinds if self.kinds is not None else [None] * (total - done),
                            self.clock)
        # tqdm's own remaining time is a mean over finished tasks: show ours instead.
        self.bar = tqdm(total=total, initial=done, unit="task", file=self.stream,
                        dynamic_ncols=True,
                        bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}{postfix}]")

    def update(self, record: dict) -> None:
        if record["status"] != "ok":
            self.failed += 1
        self.eta.finished(task_kind(record) if self.kinds is not None else None,
                          record.get("wall_time"))
        left = self.eta.estimate()
        postfix = {}
        if left is not None:
            postfix["left"] = f"~{_duration(left)}"
        if self.failed:
            postfix["failed"] = self.failed
        self.bar.set_postfix(postfix, refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()

    def steps(self, title: str, total: int | None = None):
        from tqdm import tqdm

        bar = tqdm(total=total, desc=title, unit="step", file=self.stream, dynamic_ncols=True)
        return _TqdmSteps(bar)


class _TqdmSteps:
    def __init__(self, bar):
        self.bar = bar

    def advance(self, label: str = "") -> None:
        if label:
            self.bar.set_postfix_str(label, refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


def make_progress(stream=None, every: float = 10.0):
    """A tqdm bar when ``stream`` (default stderr) is a terminal, else periodic lines."""
    stream = stream or sys.stderr
    isatty = getattr(stream, "isatty", lambda: False)
    return TqdmProgress(stream) if isatty() else LineProgress(stream, every)


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes} min {seconds:02d} s" if minutes < 60 else \
        f"{minutes // 60} h {minutes % 60:02d} min"
