"""What an analysis found, for a whole scenario (``Analysis``) or one outcome (``OutcomeReport``).

Both are plain frozen records; ``to_json`` turns option indices into the issues' values
(option ids for discrete issues, numbers for integer and real ones) so the result can be read
without the scenario at hand.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from parley.analysis.points import Point, meets_reservations
from parley.outcomes import OutcomeSpace

SPECIAL_POINTS = {
    "nash": "Nash",
    "kalai": "Kalai",
    "utilitarian": "utilitarian",
    "egalitarian": "egalitarian",
}
"""The special points' field names and their names for people, in report order."""


@dataclass(frozen=True)
class Analysis:
    """Where the good deals are, for the principals in scenario order.

    ``pareto`` is sorted by the first principal's utility descending (then the next
    principals' descending, then outcome number). The four special points and ``ideal`` are
    None when the ZOPA is empty. ``method`` says how the space was covered. ``possible``
    counts the packages that break none of the scenario's constraints (None when it declares
    none; ``feasible`` counts those that also cross no principal's red line).
    """

    parties: tuple[str, ...]
    outcomes: int
    feasible: int
    zopa_size: int
    reservations: tuple[float, ...]
    ideal: tuple[float, ...] | None
    pareto: tuple[Point, ...]
    nash: Point | None
    kalai: Point | None
    utilitarian: Point | None
    egalitarian: Point | None
    method: str = "enumeration"
    possible: int | None = None

    @property
    def special(self) -> dict[str, Point | None]:
        """The four special points by name, in report order."""
        return {name: getattr(self, name) for name in SPECIAL_POINTS}

    def special_groups(self) -> list[tuple[Point, list[str]]]:
        """Each distinct special package once, with the names of the points there."""
        groups: dict[tuple[int, ...], tuple[Point, list[str]]] = {}
        for name, point in self.special.items():
            if point is not None:
                groups.setdefault(point.outcome, (point, []))[1].append(SPECIAL_POINTS[name])
        return list(groups.values())

    @cached_property
    def _frontier(self) -> NDArray[np.float64]:
        return np.array([p.utilities for p in self.pareto], dtype=np.float64).reshape(
            len(self.pareto), len(self.parties)
        )

    def meets_reservations(self, utilities: Sequence[float]) -> bool:
        """Every principal gets at least their reservation (compared on the grid)."""
        u = np.asarray(utilities, dtype=np.float64)
        return bool(meets_reservations(u, np.asarray(self.reservations, dtype=np.float64)))

    def distance_to_pareto(self, utilities: Sequence[float]) -> float:
        """Euclidean distance in utility space to the nearest frontier point (inf if none)."""
        if not self.pareto:
            return math.inf
        gaps = self._frontier - np.asarray(utilities, dtype=np.float64)
        return float(np.sqrt((gaps * gaps).sum(axis=1).min()))

    def nash_ratio(self, utilities: Sequence[float] | None) -> float | None:
        """An agreement's product of gains over the reservations, over the Nash point's (0 for
        no agreement, ``utilities`` None; None when there is no Nash point to compare with)."""
        if self.nash is None:
            return None
        if utilities is None:
            return 0.0
        floors = self.reservations
        best = math.prod(n - r for n, r in zip(self.nash.utilities, floors, strict=True))
        if best <= 0:
            return None
        return math.prod(max(0.0, u - r) for u, r in zip(utilities, floors, strict=True)) / best

    def to_json(self, space: OutcomeSpace) -> dict[str, Any]:
        special = {name: self._point_json(space, p) for name, p in self.special.items()}
        return {
            "parties": list(self.parties),
            "outcomes": self.outcomes,
            "possible": self.outcomes if self.possible is None else self.possible,
            "feasible": self.feasible,
            "zopa_size": self.zopa_size,
            "reservations": list(self.reservations),
            "ideal": None if self.ideal is None else list(self.ideal),
            "method": self.method,
            "pareto_size": len(self.pareto),
            **special,
            "pareto": [point_json(space, p) for p in self.pareto],
        }

    def _point_json(self, space: OutcomeSpace, point: Point | None) -> dict[str, Any] | None:
        if point is None:
            return None
        gains = [u - d for u, d in zip(point.utilities, self.reservations, strict=True)]
        return {**point_json(space, point), "gains": gains}


def point_json(space: OutcomeSpace, point: Point) -> dict[str, Any]:
    return {"outcome": space.to_values(point.outcome), "utilities": list(point.utilities)}


@dataclass(frozen=True)
class CrossedRedLine:
    """A red line an outcome crosses, and whose it is."""

    party: str
    description: str


@dataclass(frozen=True)
class OutcomeReport:
    """One outcome seen against the analysis.

    ``feasible`` and ``in_zopa`` concern the principals; ``crossed`` lists the red lines of
    every party with preferences (a spoiler's red line does not make an outcome infeasible);
    ``broken`` the reasons of the scenario's constraints it breaks (it cannot exist).
    """

    outcome: tuple[int, ...]
    parties: tuple[str, ...]
    utilities: tuple[float, ...]
    distance_to_pareto: float
    feasible: bool
    in_zopa: bool
    crossed: tuple[CrossedRedLine, ...]
    broken: tuple[str, ...] = ()

    @property
    def on_pareto(self) -> bool:
        # an infeasible outcome can match a frontier vector without being on the frontier
        return self.feasible and self.distance_to_pareto == 0.0

    def to_json(self, space: OutcomeSpace) -> dict[str, Any]:
        distance = self.distance_to_pareto
        return {
            "outcome": space.to_values(self.outcome),
            "parties": list(self.parties),
            "utilities": list(self.utilities),
            "distance_to_pareto": distance if math.isfinite(distance) else None,
            "feasible": self.feasible,
            "in_zopa": self.in_zopa,
            "crossed": [{"party": c.party, "description": c.description} for c in self.crossed],
            "broken": list(self.broken),
        }
