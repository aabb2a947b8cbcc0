"""Progress of a suite run: a tqdm bar on a terminal, plain periodic lines otherwise (logs,
CI, pipes), both on stderr."""
from __future__ import annotations

import sys
import time

__all__ = ["LineProgress", "TqdmProgress", "make_progress"]


class LineProgress:
    """Prints ``done/total`` with failures, elapsed time and an estimate of the time left,
    at most every ``every`` seconds, and once at the end."""

    def __init__(self, stream=None, every: float = 10.0, prefix: str = "stochsearch"):
        self.stream = stream or sys.stderr
        self.every = every
        self.prefix = prefix

    def start(self, total: int, done: int) -> None:
        self.total, self.done, self.first, self.failed = total, done, done, 0
        self.started = self.last = time.monotonic()
        self._print()

    def update(self, record: dict) -> None:
        self.done += 1
        self.failed += record["status"] != "ok"
        if time.monotonic() - self.last >= self.every:
            self._print()

    def close(self) -> None:
        if hasattr(self, "total"):
            self._print()

    def _print(self) -> None:
        self.last = time.monotonic()
        elapsed = self.last - self.started
        ran = self.done - self.first
        left = (self.total - self.done) * elapsed / ran if ran else None
        eta = f", about {_duration(left)} left" if left is not None and self.done < self.total \
            else ""
        failed = f", {self.failed} failed" if self.failed else ""
        print(f"{self.prefix}: {self.done}/{self.total} tasks{failed}, "
              f"{_duration(elapsed)} elapsed{eta}", file=self.stream, flush=True)


class TqdmProgress:
    """A tqdm bar with the number of failures."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.bar = None

    def start(self, total: int, done: int) -> None:
        from tqdm import tqdm

        self.failed = 0
        self.bar = tqdm(total=total, initial=done, unit="task", file=self.stream,
                        dynamic_ncols=True)

    def update(self, record: dict) -> None:
        if record["status"] != "ok":
            self.failed += 1
            self.bar.set_postfix(failed=self.failed)
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
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
