"""The special points and how ties between outcomes are broken.

With ``u`` the principals' utilities of an outcome in the ZOPA and ``d`` their reservations:

- Nash: the largest product of gains, prod_i (u_i - d_i).
- utilitarian: the largest sum of utilities, sum_i u_i.
- egalitarian: the largest smallest gain, min_i (u_i - d_i).
- Kalai-Smorodinsky (GENIUS's discrete convention): among Pareto-frontier outcomes in the ZOPA,
  the one whose normalized gains g_i = (u_i - d_i) / (ideal_i - d_i) are most nearly equal
  (smallest max_i g_i - min_i g_i), where ideal_i is the best u_i in the ZOPA; g_i = 0 when
  ideal_i == d_i.

Every tie goes to the larger sum of utilities, then to the lowest outcome number.

Utilities are compared on a grid of 2**-30 (about 1e-9; ``quantize``), so that rounding noise
in a float sum does not decide whether an outcome reaches a reservation value or ties another:
in Nash's barter, Bill keeping book, whip, ball, bat and box (2+2+2+2+4 of his 34 units) sums
to one unit in the last place below his reservation of 12/34. On the grid, sums and
differences of utilities are exact. Reported utilities are the floats as computed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from parley.preferences import RESOLUTION  # one comparison grid for analysis and engine

Matrix = NDArray[np.float64]
Vector = NDArray[np.float64]
Numbers = NDArray[np.int64]


@dataclass(frozen=True)
class Point:
    """One outcome (option indices) with its principals' utilities, in principal order."""

    outcome: tuple[int, ...]
    utilities: tuple[float, ...]


def quantize(utilities: Matrix) -> Matrix:
    """Utilities rounded to the comparison grid (multiples of ``RESOLUTION``)."""
    snapped: Matrix = np.rint(utilities / RESOLUTION) * RESOLUTION
    return snapped


def meets_reservations(utilities: Matrix, reservations: Vector) -> NDArray[np.bool_]:
    """For each row: does every principal get at least their reservation, on the grid?"""
    return np.asarray((quantize(utilities) >= quantize(reservations)).all(axis=-1))


Score = Callable[[Matrix, Vector], Vector]
"""Scores a batch of ZOPA outcomes from (utilities, reservations); higher is better."""


def nash_score(utilities: Matrix, reservations: Vector) -> Vector:
    product: Vector = np.prod(utilities - reservations, axis=1)
    return product


def utilitarian_score(utilities: Matrix, reservations: Vector) -> Vector:
    del reservations  # the sum of utilities needs no reference point
    total: Vector = utilities.sum(axis=1)
    return total


def egalitarian_score(utilities: Matrix, reservations: Vector) -> Vector:
    least: Vector = np.min(utilities - reservations, axis=1)
    return least


SCORES: dict[str, Score] = {
    "nash": nash_score,
    "utilitarian": utilitarian_score,
    "egalitarian": egalitarian_score,
}
"""The points chosen by a score over the whole ZOPA (Kalai needs the frontier first)."""


def kalai_score(utilities: Matrix, reservations: Vector, ideal: Vector) -> Vector:
    """Minus the spread of normalized gains: higher means the gains are more nearly equal."""
    span = ideal - reservations
    safe = np.where(span > 0, span, 1.0)
    gains = np.where(span > 0, (utilities - reservations) / safe, 0.0)
    spread: Vector = gains.max(axis=1) - gains.min(axis=1)
    return -spread


def best_row(scores: Vector, sums: Vector, numbers: Numbers) -> int:
    """Index of the best-scoring row; ties: larger sum, then lower outcome number."""
    rows = np.flatnonzero(scores == scores.max())
    rows = rows[sums[rows] == sums[rows].max()]
    return int(rows[np.argmin(numbers[rows])])
