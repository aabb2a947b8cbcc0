"""When can a test reach significance at all, and what the report says when none can; the
critical-difference panels group problems by their set of configurations."""
import pytest

from stochsearch.suite import _significance, ranks


def test_three_seeds_can_never_be_significant():
    # 2 / C(6, 3) = 0.1 > 0.05 even for a single comparison.
    found = _significance.unreachable([[(3, 3)]], 0.05)
    assert found == (pytest.approx(0.1), 1, 3)
    note = _significance.seeds_note(found, 0.05, "difference")
    assert "With 3 runs per configuration" in note and "is 0.1 " in note
    assert "4 seeds per configuration would make it possible" in note


def test_holm_over_many_comparisons_can_make_ten_seeds_too_few():
    # 10 seeds: smallest p = 2 / C(20, 10) = 1.08e-5; Holm over 5,000 tests: 0.054.
    assert _significance.unreachable([[(10, 10)] * 5000], 0.05) is not None
    assert _significance.unreachable([[(10, 10)] * 4000], 0.05) is None
    # Holm corrects within each family: many small families keep significance possible.
    assert _significance.unreachable([[(10, 10)] * 100] * 50, 0.05) is None
    assert _significance.unreachable([], 0.05) is None


def test_rank_panels_need_two_problems_sharing_their_configurations():
    medians = {("p", "a"): 1.0, ("p", "b"): 2.0, ("p", "c"): 3.0,
               ("q", "a"): 0.5, ("q", "b"): 0.1, ("q", "c"): 9.0,
               ("r", "a"): 1.0, ("r", "b"): 2.0}   # r lacks c: its own group of one
    panels, notes = _significance.rank_panels(medians, ["p", "q", "r"], ["a", "b", "c"],
                                              1e-8, 0.05)
    (panel,) = panels
    expected = ranks.friedman({p: {c: medians[(p, c)] for c in "abc"} for p in "pq"})
    assert panel["ranks"] == expected.ranks
    assert panel["cd"] == pytest.approx(ranks.nemenyi_cd(3, 2))
    assert "2 problems (p, q), 3 configurations" in panel["title"]
    # Two problems can never make Friedman's test significant with 3 configurations.
    assert "cannot reach significance here" in notes[0]


def test_solved_gaps_tie_in_the_ranking():
    medians = {(p, c): v for p, row in {"p": {"a": 1e-12, "b": 1e-10, "c": 1.0},
                                        "q": {"a": 1e-9, "b": 1e-15, "c": 2.0}}.items()
               for c, v in row.items()}
    (panel,), _ = _significance.rank_panels(medians, ["p", "q"], ["a", "b", "c"], 1e-8, 0.05)
    assert panel["ranks"] == {"a": 1.5, "b": 1.5, "c": 3.0}
