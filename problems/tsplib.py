"""Reading TSPLIB files (Reinelt 1991): symmetric TSP instances and tours.

Supported: ``TYPE: TSP`` with ``EDGE_WEIGHT_TYPE`` EUC_2D, CEIL_2D, ATT, GEO, MAN_2D, MAX_2D
(coordinates, distances computed by TSPLIB's rounding rules) or EXPLICIT (``FULL_MATRIX``, and
the upper/lower triangles by rows or columns, with or without the diagonal); ``TYPE: TOUR``
files. A file that does not parse raises ``ValueError`` naming the file, the line and why.
"""
from __future__ import annotations

import math
import pathlib
from types import SimpleNamespace

import numpy as np

__all__ = ["read_tour", "read_tsplib", "tsplib_distances"]

_COORDINATE_TYPES = ("EUC_2D", "CEIL_2D", "ATT", "GEO", "MAN_2D", "MAX_2D")
# A symmetric matrix listed by columns is the transposed listing by rows.
_FORMATS = {"FULL_MATRIX": "FULL_MATRIX", "UPPER_ROW": "UPPER_ROW", "LOWER_ROW": "LOWER_ROW",
            "UPPER_DIAG_ROW": "UPPER_DIAG_ROW", "LOWER_DIAG_ROW": "LOWER_DIAG_ROW",
            "UPPER_COL": "LOWER_ROW", "LOWER_COL": "UPPER_ROW",
            "UPPER_DIAG_COL": "LOWER_DIAG_ROW", "LOWER_DIAG_COL": "UPPER_DIAG_ROW"}


class _Reader:
    """The lines of a file, with errors that say where."""

    def __init__(self, path):
        self.path = pathlib.Path(path)
        try:
            text = self.path.read_text()
        except (OSError, UnicodeDecodeError) as error:
            raise ValueError(f"cannot read the TSPLIB file '{self.path}': {error}") from None
        self.lines = text.splitlines()
        self.i = 0

    def fail(self, reason: str):
        raise ValueError(f"cannot read the TSPLIB file '{self.path}': line {self.i}: {reason}")

    def header(self) -> tuple[dict, str | None]:
        """The ``KEY : VALUE`` lines up to the first section; returns them and the section."""
        keys = {}
        while self.i < len(self.lines):
            line = self.lines[self.i].strip()
            self.i += 1
            if not line or line == "EOF":
                continue
            if ":" in line:
                key, value = line.split(":", 1)
                keys[key.strip().upper()] = value.strip()
            elif line.upper().endswith("_SECTION"):
                return keys, line.upper()
            else:
                self.fail(f"expected 'KEY : VALUE' or a section name, got {line!r}")
        return keys, None

    def numbers(self, count: int, what: str) -> np.ndarray:
        """The next ``count`` numbers, across as many lines as they take."""
        values = []
        while len(values) < count:
            if self.i >= len(self.lines):
                self.fail(f"the file ends after {len(values)} of the {count} {what}")
            line = self.lines[self.i].strip()
            self.i += 1
            if not line:
                continue
            try:
                values.extend(float(v) for v in line.split())
            except ValueError:
                self.fail(f"expected numbers ({what}), got {line!r}")
        if len(values) != count:
            self.fail(f"expected {count} {what}, got {len(values)}")
        return np.array(values)


def read_tsplib(path) -> SimpleNamespace:
    """Read a symmetric TSP file: ``name``, ``comment``, ``coords`` (None for EXPLICIT
    weights) and the integer ``distances`` matrix."""
    reader = _Reader(path)
    keys, section = reader.header()
    kind = keys.get("TYPE", "TSP").split()[0].upper()
    if kind != "TSP":
        reader.fail(f"TYPE {kind} is not supported; only symmetric TSP files are")
    try:
        n = int(keys["DIMENSION"])
    except (KeyError, ValueError):
        reader.fail(f"DIMENSION must be a positive integer, got {keys.get('DIMENSION')!r}")
    if n < 2:
        reader.fail(f"DIMENSION must be at least 2, got {n}")
    weight_type = keys.get("EDGE_WEIGHT_TYPE", "").upper()
    coords = None
    if weight_type in _COORDINATE_TYPES:
        if section != "NODE_COORD_SECTION":
            reader.fail(f"expected NODE_COORD_SECTION for EDGE_WEIGHT_TYPE {weight_type}, "
                        f"got {section}")
        rows = reader.numbers(3 * n, "node numbers and coordinates").reshape(n, 3)
        if not np.array_equal(np.sort(rows[:, 0]), np.arange(1, n + 1)):
            reader.fail(f"the nodes must be numbered 1 .. {n}")
        coords = rows[np.argsort(rows[:, 0]), 1:]
        distances = tsplib_distances(coords, weight_type)
    elif weight_type == "EXPLICIT":
        fmt = _FORMATS.get(keys.get("EDGE_WEIGHT_FORMAT", "").upper())
        if fmt is None:
            reader.fail(f"EDGE_WEIGHT_FORMAT must be one of {', '.join(_FORMATS)}, got "
                        f"{keys.get('EDGE_WEIGHT_FORMAT')!r}")
        if section != "EDGE_WEIGHT_SECTION":
            reader.fail(f"expected EDGE_WEIGHT_SECTION for EXPLICIT weights, got {section}")
        distances = _explicit(reader, n, fmt)
    else:
        reader.fail(f"EDGE_WEIGHT_TYPE must be one of {', '.join(_COORDINATE_TYPES)} or "
                    f"EXPLICIT, got {weight_type or 'nothing'}")
    return SimpleNamespace(name=keys.get("NAME", reader.path.stem), comment=keys.get("COMMENT"),
                           coords=coords, distances=distances)


def _explicit(reader: _Reader, n: int, fmt: str) -> np.ndarray:
    diagonal = "DIAG" in fmt
    if fmt == "FULL_MATRIX":
        matrix = reader.numbers(n * n, "matrix entries").reshape(n, n)
        if not np.array_equal(matrix, matrix.T):
            reader.fail("the FULL_MATRIX is not symmetric")
        return matrix
    count = n * (n + 1) // 2 if diagonal else n * (n - 1) // 2
    values = reader.numbers(count, "matrix entries")
    matrix = np.zeros((n, n))
    upper = fmt.startswith("UPPER")
    rows, cols = np.triu_indices(n, 0 if diagonal else 1) if upper else \
        np.tril_indices(n, 0 if diagonal else -1)
    matrix[rows, cols] = values
    matrix[cols, rows] = values
    return matrix


def tsplib_distances(coords: np.ndarray, weight_type: str = "EUC_2D") -> np.ndarray:
    """The integer distance matrix of TSPLIB's ``weight_type`` between ``coords``."""
    x, y = coords[:, 0], coords[:, 1]
    dx, dy = x[:, None] - x[None, :], y[:, None] - y[None, :]
    if weight_type == "EUC_2D":
        return np.floor(np.sqrt(dx * dx + dy * dy) + 0.5)
    if weight_type == "CEIL_2D":
        return np.ceil(np.sqrt(dx * dx + dy * dy))
    if weight_type == "MAN_2D":
        return np.floor(np.abs(dx) + np.abs(dy) + 0.5)
    if weight_type == "MAX_2D":
        return np.maximum(np.floor(np.abs(dx) + 0.5), np.floor(np.abs(dy) + 0.5))
    if weight_type == "ATT":
        r = np.sqrt((dx * dx + dy * dy) / 10.0)
        t = np.floor(r + 0.5)
        return np.where(t < r, t + 1.0, t)
    if weight_type == "GEO":
        def radians(v):
            degrees = np.trunc(v)
            return math.pi * (degrees + 5.0 * (v - degrees) / 3.0) / 180.0
        lat, lon = radians(x), radians(y)
        q1 = np.cos(lon[:, None] - lon[None, :])
        q2 = np.cos(lat[:, None] - lat[None, :])
        q3 = np.cos(lat[:, None] + lat[None, :])
        d = np.floor(6378.388 * np.arccos(np.clip(0.5 * ((1 + q1) * q2 - (1 - q1) * q3),
                                                  -1.0, 1.0)) + 1.0)
        np.fill_diagonal(d, 0.0)
        return d
    raise ValueError(f"weight_type must be one of {', '.join(_COORDINATE_TYPES)}, got "
                     f"{weight_type!r}")


def read_tour(path) -> np.ndarray:
    """A TSPLIB tour file (1-based city numbers ended by -1) as a 0-based permutation."""
    reader = _Reader(path)
    keys, section = reader.header()
    if section != "TOUR_SECTION":
        reader.fail(f"expected TOUR_SECTION, got {section}")
    cities = []
    for line in reader.lines[reader.i:]:
        reader.i += 1
        for token in line.split():
            if token in ("-1", "EOF"):
                break
            if not token.lstrip("-").isdigit():
                reader.fail(f"expected a city number, got {token!r}")
            cities.append(int(token) - 1)
        else:
            continue
        break
    tour = np.array(cities, dtype=np.int64)
    if not np.array_equal(np.sort(tour), np.arange(len(tour))):
        reader.fail("the tour is not a permutation of the cities 1 .. n")
    return tour
