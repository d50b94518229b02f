"""What each mediator would have achieved: the same talks rerun under every built-in mediator.

``parley run`` shows this after its own result (``--no-compare`` turns it off). Every run uses
the same scenario, seed, deadline and principals' strategies; only the protocol and the
mediator's strategy change, so the table compares mediators and nothing else.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from rich.table import Table

from parley.analysis import Analysis
from parley.engine import Result, Settings, run
from parley.engine.strategies import MEDIATORS
from parley.scenario import Scenario

PROTOCOLS = ("single-text", "shuttle")


@dataclass(frozen=True, slots=True)
class MediatorRun:
    protocol: str
    mediator: str
    result: Result

    def nash_ratio(self, analysis: Analysis | None) -> float | None:
        """Product of gains over the reservations at the agreement, over that at the Nash point
        (0 without agreement; None without a Nash point to compare with)."""
        if analysis is None or analysis.nash is None:
            return None
        utilities = self.result.utilities
        if self.result.agreement is None or utilities is None:
            return 0.0
        floors = analysis.reservations
        best = math.prod(n - r for n, r in zip(analysis.nash.utilities, floors, strict=True))
        got = math.prod(max(0.0, u - r) for u, r in zip(utilities, floors, strict=True))
        return got / best if best > 0 else None

    def distance(self, analysis: Analysis | None) -> float | None:
        utilities = self.result.utilities
        if analysis is None or self.result.agreement is None or utilities is None:
            return None
        return analysis.distance_to_pareto(utilities)

    def to_json(self, analysis: Analysis | None) -> dict[str, Any]:
        utilities = self.result.utilities
        return {
            "protocol": self.protocol,
            "mediator": self.mediator,
            "agreement": self.result.agreement is not None,
            "ended": self.result.ended,
            "rounds": self.result.rounds,
            "utilities": None if utilities is None else list(utilities),
            "nash_ratio": self.nash_ratio(analysis),
            "distance_to_pareto": self.distance(analysis),
        }


def compare_mediators(scenario: Scenario, settings: Settings, seed: int) -> list[MediatorRun]:
    """The talks of ``settings`` under every built-in mediator and each protocol it runs (none
    without a mediator seat): same deadline, seed and principals' strategies."""
    if not scenario.mediators:
        return []
    principals = {p.name: settings.strategies[p.name] for p in scenario.principals}
    runs = []
    for protocol in PROTOCOLS:
        for name, cls in MEDIATORS.items():
            if protocol not in cls.protocols:
                continue
            other = Settings.from_scenario(
                scenario, protocol=protocol, rounds=settings.rounds, mediator=name
            )
            other = replace(other, strategies={**other.strategies, **principals})
            runs.append(MediatorRun(protocol, name, run(scenario, other, seed).result()))
    return runs


def mediator_table(runs: list[MediatorRun], analysis: Analysis | None, parties: list[str]) -> Table:
    table = Table(
        title="What each mediator would have achieved (same seed and strategies)",
        title_justify="left",
    )
    for column in ("mediator", "protocol", "agreement", "rounds", *parties):
        table.add_column(column, no_wrap=column in {"mediator", "protocol"})
    table.add_column("Nash ratio", justify="right")
    table.add_column("to frontier", justify="right")
    for r in runs:
        utilities = r.result.utilities if r.result.agreement is not None else None
        ratio, distance = r.nash_ratio(analysis), r.distance(analysis)
        table.add_row(
            r.mediator,
            r.protocol,
            "yes" if r.result.agreement is not None else f"no: {r.result.ended}",
            str(r.result.rounds),
            *(["-"] * len(parties) if utilities is None else [f"{u:.3f}" for u in utilities]),
            "-" if ratio is None else f"{ratio:.3f}",
            "-" if distance is None else f"{distance:.3f}",
        )
    return table
