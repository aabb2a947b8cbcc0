"""One way of writing a gap: solved gaps (within the threshold of zero, rounding below it
included) as '≤ 1e-8', others with their digits, gaps further below zero (a wrong f_opt) as
numbers."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stochsearch.demo import format_table
from stochsearch.suite.gaps import clip, gap_text, solved_text, threshold_text


@pytest.mark.parametrize("threshold, text", [(1e-8, "1e-8"), (1e-3, "0.001"),
                                             (2.5e-6, "2.5e-6"), (1.0, "1"), (1e-10, "1e-10")])
def test_threshold_text(threshold, text):
    assert threshold_text(threshold) == text
    assert solved_text(threshold) == f"≤ {text}"


@pytest.mark.parametrize("gap, text", [
    (0.0, "≤ 1e-8"), (1e-8, "≤ 1e-8"), (3e-12, "≤ 1e-8"), (1.1e-8, "1.1e-08"),
    (12.3456, "12.3"), (-0.5, "-0.5"), (-2e-8, "-2e-08"), (math.inf, "inf"),
    (-4.4e-16, "≤ 1e-8"),  # rounding below the optimum: solved
    (math.nan, "-"), (None, "-"), (np.float64(2e-9), "≤ 1e-8")])
def test_gap_text(gap, text):
    assert gap_text(gap, 1e-8) == text


@given(st.floats(0, 1e3), st.sampled_from([1e-8, 1e-5, 1e-2]))
def test_a_gap_is_written_solved_exactly_when_it_is_at_most_the_threshold(gap, threshold):
    assert (gap_text(gap, threshold) == solved_text(threshold)) == (gap <= threshold)
    assert clip([gap], threshold)[0] == max(gap, threshold)


def test_the_demo_table_writes_solved_gaps_the_same_way():
    rows = [{"problem": "sphere", "optimizer": "sa", "median": 3e-9, "iqr": 0.0,
             "solved": 10, "seeds": 10, "seconds": 0.5},
            {"problem": "sphere", "optimizer": "random", "median": 0.25, "iqr": 0.1,
             "solved": 0, "seeds": 10, "seconds": 0.5}]
    lines = format_table(rows).splitlines()
    assert "≤ 1e-6" in lines[2] and "0.25" in lines[3]
