"""The TSPLIB reader (problems/tsplib.py): coordinate and explicit instances, tours, and one
clear sentence for a file that does not parse."""
from __future__ import annotations

import numpy as np
import pytest

from stochsearch.problems.permutations import TSP
from stochsearch.problems.tsplib import read_tour, read_tsplib, tsplib_distances

MATRIX = np.array([[0, 3, 5, 9], [3, 0, 4, 7], [5, 4, 0, 2], [9, 7, 2, 0]])
LISTINGS = {
    "FULL_MATRIX": MATRIX.ravel(),
    "UPPER_ROW": MATRIX[np.triu_indices(4, 1)],
    "LOWER_ROW": MATRIX[np.tril_indices(4, -1)],
    "UPPER_DIAG_ROW": MATRIX[np.triu_indices(4)],
    "LOWER_DIAG_ROW": MATRIX[np.tril_indices(4)],
    "UPPER_COL": MATRIX[np.tril_indices(4, -1)],
    "LOWER_DIAG_COL": MATRIX[np.triu_indices(4)],
}


def write(tmp_path, text, name="x.tsp"):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("fmt", LISTINGS)
def test_explicit_matrices_in_every_listing(tmp_path, fmt):
    values = " ".join(str(v) for v in LISTINGS[fmt])
    path = write(tmp_path, f"NAME: four\nTYPE: TSP\nDIMENSION: 4\nEDGE_WEIGHT_TYPE: EXPLICIT\n"
                           f"EDGE_WEIGHT_FORMAT: {fmt}\nEDGE_WEIGHT_SECTION\n{values}\nEOF\n")
    data = read_tsplib(path)
    np.testing.assert_array_equal(data.distances, MATRIX)
    problem = TSP(instance=str(path))
    assert problem.name == "tsp-four" and problem([0, 1, 2, 3]) == 3 + 4 + 2 + 9


def test_coordinates_and_rounding_rules(tmp_path):
    path = write(tmp_path, "NAME : tri\nCOMMENT : three cities\nTYPE : TSP\nDIMENSION : 3\n"
                           "EDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n2 3.0 4.0\n"
                           "1 0 0\n3 0.6 0\nEOF\n")
    data = read_tsplib(path)
    np.testing.assert_array_equal(data.coords, [[0, 0], [3, 4], [0.6, 0]])
    np.testing.assert_array_equal(data.distances, [[0, 5, 1], [5, 0, 5], [1, 5, 0]])
    coords = np.array([[0.0, 0.0], [3.0, 4.0]])
    assert tsplib_distances(coords, "CEIL_2D")[0, 1] == 5
    assert tsplib_distances(coords, "MAN_2D")[0, 1] == 7
    assert tsplib_distances(coords, "MAX_2D")[0, 1] == 4
    assert tsplib_distances(coords, "ATT")[0, 1] == 2      # sqrt(2.5) = 1.58 -> 2
    geo = tsplib_distances(np.array([[0.0, 0.0], [0.0, 1.0]]), "GEO")
    assert geo[0, 1] == 112 and geo[0, 0] == 0          # one degree along the equator


def test_tours(tmp_path):
    path = write(tmp_path, "NAME: t\nTYPE: TOUR\nDIMENSION: 4\nTOUR_SECTION\n3\n1 4\n2\n-1\nEOF\n",
                 "t.tour")
    np.testing.assert_array_equal(read_tour(path), [2, 0, 3, 1])


@pytest.mark.parametrize("text,reason", [
    ("NAME: a\nTYPE: ATSP\nDIMENSION: 3\n", "line 3: TYPE ATSP is not supported"),
    ("NAME: a\nDIMENSION: three\n", "DIMENSION must be a positive integer, got 'three'"),
    ("DIMENSION: 3\nEDGE_WEIGHT_TYPE: XRAY\nNODE_COORD_SECTION\n",
     "EDGE_WEIGHT_TYPE must be one of EUC_2D, .* or EXPLICIT, got XRAY"),
    ("DIMENSION: 3\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 1 x\n",
     r"line 5: expected numbers \(node numbers and coordinates\), got '2 1 x'"),
    ("DIMENSION: 3\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 1 1\n",
     "the file ends after 6 of the 9 node numbers and coordinates"),
    ("DIMENSION: 2\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n3 1 1\n",
     r"the nodes must be numbered 1 \.\. 2"),
    ("DIMENSION: 2\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: FULL_MATRIX\n"
     "EDGE_WEIGHT_SECTION\n0 1 2 0\n", "the FULL_MATRIX is not symmetric"),
    ("DIMENSION: 2\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: DIAGONAL\n",
     "EDGE_WEIGHT_FORMAT must be one of FULL_MATRIX"),
    ("this is not a TSPLIB file\n", "line 1: expected 'KEY : VALUE' or a section name"),
])
def test_a_file_that_does_not_parse_is_refused_in_one_sentence(tmp_path, text, reason):
    path = write(tmp_path, text)
    with pytest.raises(ValueError, match=f"cannot read the TSPLIB file '{path}': .*{reason}"):
        TSP(instance=str(path))


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(ValueError, match="cannot read the TSPLIB file .*nowhere.tsp"):
        read_tsplib(tmp_path / "nowhere.tsp")
