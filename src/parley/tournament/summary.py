"""The summary of a tournament's rows: one line per strategy and one per mediator.

A strategy is scored over every seat it held (a negotiation between two boulware
negotiators counts twice for boulware); a mediator over every negotiation it mediated
(direct talks are grouped as "(direct)"). Failed negotiations count only in ``failures``;
means are over the others. ``anac_ranking`` scores agents as the ANAC competitions do
(``parley.tournament.scores``): mean discounted utility, social welfare, Nash distance and
agreement rate.
"""

from __future__ import annotations

import math
import statistics
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


@dataclass
class AnacLine:
    """One agent's ANAC scores over every seat it held (failed negotiations only counted)."""

    name: str
    negotiations: int = 0
    failures: int = 0
    agreements: int = 0
    scores: list[float] = field(default_factory=list)
    """The agent's discounted utility in each negotiation it played (its ANAC score's terms)."""
    welfare: list[float] = field(default_factory=list)
    nash_distances: list[float] = field(default_factory=list)
    model_pearson: list[float] = field(default_factory=list)
    """Its opponent models' Pearson correlation with the truth, where it had a model."""

    def add(self, row: Mapping[str, Any], seat: int) -> None:
        self.negotiations += 1
        if row["failure"] is not None:
            self.failures += 1
            return
        self.agreements += bool(row["agreed"])
        self.scores.append(float(row["discounted"][seat]))
        self.welfare.append(float(row["welfare"]))
        if row["nash_distance"] is not None:
            self.nash_distances.append(float(row["nash_distance"]))
        models = row.get("model_pearson")
        if models is not None and models[seat] is not None:
            self.model_pearson.append(float(models[seat]))

    @property
    def played(self) -> int:
        return self.negotiations - self.failures

    @property
    def score(self) -> float | None:
        """Mean individual (discounted) utility: the ANAC ranking's score."""
        return _mean(self.scores)

    @property
    def score_error(self) -> float | None:
        """Standard error of ``score`` (None with fewer than two negotiations)."""
        if len(self.scores) < 2:
            return None
        return statistics.stdev(self.scores) / math.sqrt(len(self.scores))

    @property
    def mean_welfare(self) -> float | None:
        return _mean(self.welfare)

    @property
    def mean_nash_distance(self) -> float | None:
        return _mean(self.nash_distances)

    @property
    def agreement_rate(self) -> float | None:
        return self.agreements / self.played if self.played else None

    @property
    def mean_model_pearson(self) -> float | None:
        return _mean(self.model_pearson)


def anac_ranking(rows: Iterable[Mapping[str, Any]]) -> list[AnacLine]:
    """Every agent ranked by mean discounted utility, best first (names break ties)."""
    lines: dict[str, AnacLine] = {}
    for row in rows:
        for seat, name in enumerate(row["strategies"]):
            lines.setdefault(name, AnacLine(name)).add(row, seat)
    return sorted(lines.values(), key=lambda line: (-(line.score or 0.0), line.name))


def _mean(values: list[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None
