"""A party's private preferences: utility, red lines, reservation value (BATNA), discount.

Each model offers a scalar path (``utility`` for one outcome, for strategies and readers) and a
batch path (``utilities`` over an array of outcomes, for analysis); tests hold them equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from parley.outcomes import Combination, Mask, OutcomeRows

Utilities = NDArray[np.float64]

RESOLUTION = 2.0**-30
"""Utilities closer than this compare equal: float rounding must not decide whether a package
reaches a reservation value (Bill's status quo in Nash's barter sums to one unit in the last
place below his reservation). Analysis and engine compare on the same grid."""


def reaches(utility: float, level: float) -> bool:
    """Is ``utility`` at least ``level``, on the comparison grid?"""
    return round(utility / RESOLUTION) >= round(level / RESOLUTION)


def reaches_rows(utilities: Utilities, level: float) -> Mask:
    """``reaches`` for a batch of utilities."""
    return np.asarray(np.rint(utilities / RESOLUTION) >= np.rint(level / RESOLUTION))


@dataclass(frozen=True)
class RedLine(Combination):
    """A combination the party will never accept (``Combination``: the outcome crosses the red
    line when, on every issue listed in ``conditions``, it takes one of the listed option
    indices)."""


@dataclass(frozen=True)
class Preferences:
    """Base for preference models: what every model shares beyond its utility function."""

    sizes: tuple[int, ...]
    reservation: float = 0.0
    discount: float = 1.0
    red_lines: tuple[RedLine, ...] = field(default=())

    def utility(self, outcome: Sequence[int]) -> float:
        """Utility of one outcome (option indices), undiscounted."""
        raise NotImplementedError

    def utilities(self, rows: OutcomeRows) -> Utilities:
        """Utilities of a batch of outcomes, undiscounted."""
        raise NotImplementedError

    def crossed(self, outcome: Sequence[int]) -> list[RedLine]:
        """The red lines this outcome crosses."""
        return [line for line in self.red_lines if line.crossed_by(outcome)]

    def crosses(self, rows: OutcomeRows) -> Mask:
        """For each outcome in the batch: does it cross any red line?"""
        hit = np.zeros(rows.shape[0], dtype=np.bool_)
        for line in self.red_lines:
            hit |= line.crossed_by_rows(rows, self.sizes)
        return hit

    def acceptable(self, outcome: Sequence[int], reservation: float | None = None) -> bool:
        """Crosses no red line and is worth at least ``reservation`` (default: the profile's own
        reservation value; outside events may have moved a seat's current one)."""
        return not self.objection(outcome, reservation)

    def objection(
        self, outcome: Sequence[int], reservation: float | None = None, worth: float | None = None
    ) -> str:
        """Why the party may not sign ``outcome`` ('' when it may): the one rule for what a
        party may sign, which the kernel's seats, views and strategies all ask. ``worth`` is
        the outcome's utility when the caller knows it already."""
        if self.red_lines:
            crossed = self.crossed(outcome)
            if crossed:
                return f"it crosses its red line {crossed[0].description!r}"
        level = self.reservation if reservation is None else reservation
        value = self.utility(outcome) if worth is None else worth
        if not reaches(value, level):
            return f"it is worth {value:.3f} to it, below its reservation value {level:.3f}"
        return ""

    def acceptable_rows(self, rows: OutcomeRows) -> Mask:
        return ~self.crosses(rows) & reaches_rows(self.utilities(rows), self.reservation)

    def discounted(self, utility: float, time: float) -> float:
        """``utility`` at normalized time ``time`` in [0, 1] (GENIUS: u * d**t)."""
        return utility * float(self.discount**time)  # float ** float is typed Any


@dataclass(frozen=True)
class LinearAdditive(Preferences):
    """u(outcome) = sum over issues of weight[issue] * value[issue][option].

    ``values[j]`` holds one value per option index of issue ``j`` (numeric issues are
    evaluated on their enumeration grid when the model is built).
    """

    weights: tuple[float, ...] = ()
    values: tuple[tuple[float, ...], ...] = ()

    def __post_init__(self) -> None:
        if not (len(self.weights) == len(self.values) == len(self.sizes)):
            raise ValueError("weights, values and sizes must have one entry per issue")
        for j, (table, size) in enumerate(zip(self.values, self.sizes, strict=True)):
            if len(table) != size:
                raise ValueError(f"issue {j}: {len(table)} values for {size} options")

    @property
    def weighted_tables(self) -> tuple[NDArray[np.float64], ...]:
        """Per issue, weight * value for each option: the model's whole content."""
        cached: tuple[NDArray[np.float64], ...] | None = self.__dict__.get("_weighted")
        if cached is None:
            cached = tuple(
                w * np.asarray(v, dtype=np.float64)
                for w, v in zip(self.weights, self.values, strict=True)
            )
            object.__setattr__(self, "_weighted", cached)
        return cached

    def utility(self, outcome: Sequence[int]) -> float:
        # Same products, added in the same order, as ``utilities``: the two paths agree exactly.
        tables = self.scalar_tables
        total = tables[0][outcome[0]]
        for column in range(1, len(tables)):
            total += tables[column][outcome[column]]
        return total

    @property
    def scalar_tables(self) -> tuple[tuple[float, ...], ...]:
        """``weighted_tables`` as Python floats, for the scalar path."""
        cached: tuple[tuple[float, ...], ...] | None = self.__dict__.get("_scalar")
        if cached is None:
            cached = tuple(tuple(float(x) for x in t) for t in self.weighted_tables)
            object.__setattr__(self, "_scalar", cached)
        return cached

    def utilities(self, rows: OutcomeRows) -> Utilities:
        tables = self.weighted_tables
        total = tables[0][rows[:, 0]].copy()
        for column in range(1, len(tables)):
            total += tables[column][rows[:, column]]
        return total

    def best_value(self) -> float:
        """Highest utility any outcome reaches (red lines aside)."""
        return float(sum(t.max() for t in self.weighted_tables))

    def worst_value(self) -> float:
        return float(sum(t.min() for t in self.weighted_tables))
