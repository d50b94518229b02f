"""The summary of a tournament's rows: one line per strategy and one per mediator.

A strategy is scored over every seat it held (a negotiation between two boulware
negotiators counts twice for boulware); a mediator over every negotiation it mediated
(direct talks are grouped as "(direct)"). Failed negotiations count only in ``failures``;
means are over the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

DIRECT = "(direct)"


@dataclass
class Line:
    """Running totals for one strategy or mediator."""

    name: str
    negotiations: int = 0
    failures: int = 0
    agreements: int = 0
    utility: float = 0.0
    rounds: int = 0
    nash: list[float] = field(default_factory=list)

    def add(self, row: Mapping[str, Any], utility: float | None) -> None:
        self.negotiations += 1
        if row["failure"] is not None:
            self.failures += 1
            return
        self.agreements += bool(row["agreed"])
        self.rounds += int(row["rounds"])
        if utility is not None:
            self.utility += utility
        if row["nash_ratio"] is not None:
            self.nash.append(float(row["nash_ratio"]))

    @property
    def played(self) -> int:
        return self.negotiations - self.failures

    @property
    def mean_utility(self) -> float | None:
        return self.utility / self.played if self.played else None

    @property
    def agreement_rate(self) -> float | None:
        return self.agreements / self.played if self.played else None

    @property
    def mean_nash_ratio(self) -> float | None:
        return sum(self.nash) / len(self.nash) if self.nash else None

    @property
    def mean_rounds(self) -> float | None:
        return self.rounds / self.played if self.played else None


def by_strategy(rows: Iterable[Mapping[str, Any]]) -> list[Line]:
    lines: dict[str, Line] = {}
    for row in rows:
        utilities = row["utilities"]
        for seat, name in enumerate(row["strategies"]):
            utility = None if utilities is None else float(utilities[seat])
            lines.setdefault(name, Line(name)).add(row, utility)
    return _ranked(lines)


def by_mediator(rows: Iterable[Mapping[str, Any]]) -> list[Line]:
    lines: dict[str, Line] = {}
    for row in rows:
        name = row["mediator"] or DIRECT
        utilities = row["utilities"]
        mean = None if utilities is None else sum(utilities) / len(utilities)
        lines.setdefault(name, Line(name)).add(row, mean)
    return _ranked(lines)


def _ranked(lines: Mapping[str, Line]) -> list[Line]:
    """Best mean utility first; names break ties so the order is always the same."""
    return sorted(lines.values(), key=lambda line: (-(line.mean_utility or 0.0), line.name))
