"""How a gap to the optimum is shown, decided in one place for every table, figure and page.

A gap ``f - f*`` at or below the *solved threshold* (a suite's smallest target precision)
means the run solved the problem: below it, floating-point noise decides the digits, so they
are never printed. Tables write such a gap ``≤ 1e-8``, figures draw it at the threshold (with
a line marked the same way), and the tests count it as solved (see ``stats.final_gaps``).
So is a negative gap within the threshold (rounding: ``-4.4e-16``); a gap further below
zero is an error in the problem's stated optimum and is shown as a number.
"""
from __future__ import annotations

import math

import numpy as np

__all__ = ["DEFAULT_THRESHOLD", "clip", "gap_text", "solved_text", "threshold_text"]

DEFAULT_THRESHOLD = 1e-8  # when nothing names one (a single result, a suite without targets)


def threshold_text(threshold: float) -> str:
    """``1e-08`` -> ``"1e-8"``, ``0.001`` -> ``"0.001"``, ``2.5e-06`` -> ``"2.5e-6"``."""
    text = f"{threshold:g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text


def solved_text(threshold: float) -> str:
    """How a solved gap is written everywhere: ``"≤ 1e-8"``."""
    return f"≤ {threshold_text(threshold)}"


def gap_text(gap, threshold: float, digits: int = 3) -> str:
    """A gap for a table or a label: ``"≤ 1e-8"`` when solved (``|gap| <= threshold``),
    else ``digits`` significant digits; ``"-"`` for a missing value, ``"inf"`` for a run that found no finite value."""
    if gap is None or (isinstance(gap, float) and math.isnan(gap)):
        return "-"
    gap = float(gap)
    if math.isnan(gap):
        return "-"
    if math.isinf(gap):
        return "inf" if gap > 0 else "-inf"
    if -threshold <= gap <= threshold:
        return solved_text(threshold)
    return f"{gap:.{digits}g}"


def clip(gaps, threshold: float) -> np.ndarray:
    """Gaps for a figure on log axes: a solved (or negative) gap is drawn at the threshold."""
    return np.maximum(np.asarray(gaps, dtype=float), threshold)
