"""What each mediator would have achieved: the same talks rerun under every built-in mediator.

``parley run`` shows this after its own result (``--no-compare`` turns it off). Every run uses
the same scenario, seed, deadline and principals' strategies; only the protocol and the
mediator's strategy change, so the table compares mediators and nothing else.

When a random outside event (a spoiler's strike, say) ends every one of those runs, the table
would only repeat that event. The comparison is then run again with that event silenced: it
keeps its place in the timeline with probability 0, so every other event fires exactly as
before, and the table says which event was left out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from rich import box
from rich.table import Table

from parley.analysis import Analysis
from parley.engine import Result, Settings
from parley.engine.protocols import MEDIATED
from parley.play import run
from parley.scenario import Scenario
from parley.strategies import MEDIATORS

PROTOCOLS = tuple(sorted(MEDIATED, reverse=True))  # single-text, then shuttle


@dataclass(frozen=True, slots=True)
class MediatorRun:
    protocol: str
    mediator: str
    result: Result

    def nash_ratio(self, analysis: Analysis | None) -> float | None:
        """See ``Analysis.nash_ratio`` (None without an analysis)."""
        if analysis is None:
            return None
        agreed = self.result.agreement is not None
        return analysis.nash_ratio(self.result.utilities if agreed else None)

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
            "utilities": None if utilities is None else [figure(u) for u in utilities],
            "nash_ratio": figure(self.nash_ratio(analysis)),
            "distance_to_pareto": figure(self.distance(analysis)),
        }


def figure(value: float | None) -> float | None:
    """A utility, ratio or distance as JSON gives it to people: six decimals, no float noise
    (0.44999999999999996 is 0.45)."""
    return None if value is None else round(value, 6)


@dataclass(frozen=True, slots=True)
class Comparison:
    runs: list[MediatorRun]
    without: str | None = None
    """The random outside event left out, when it had ended every run (None: nothing left out)."""


def compare_mediators(scenario: Scenario, settings: Settings, seed: int) -> Comparison:
    """Every mediator's run (see ``mediator_runs``), or, when one random outside event ended all
    of them, every mediator's run without that event."""
    runs = mediator_runs(scenario, settings, seed)
    event = _common_cancellation(runs)
    if event is None:
        return Comparison(runs)
    without = scenario.without_events({event})
    if without.timeline == scenario.timeline:
        return Comparison(runs)  # a scheduled cancellation: part of the scenario, not chance
    return Comparison(mediator_runs(without, settings, seed), without=event)


def _common_cancellation(runs: list[MediatorRun]) -> str | None:
    """The event (its title) that cancelled every run, if one did."""
    if not runs or any(r.result.ended != "cancelled" for r in runs):
        return None
    reasons = {r.result.reason for r in runs}
    return reasons.pop() if len(reasons) == 1 else None


def mediator_runs(scenario: Scenario, settings: Settings, seed: int) -> list[MediatorRun]:
    """The talks of ``settings`` under every built-in mediator and each protocol it runs (none
    without a mediator seat): same deadline, seed, principals' strategies and hazards."""
    if not scenario.mediators:
        return []
    # Everyone but the mediator keeps its strategy: principals, third parties, spoilers, advisers.
    principals = {p: s for p, s in settings.strategies.items() if p != settings.mediator}
    runs = []
    for protocol in PROTOCOLS:
        for name, cls in MEDIATORS.items():
            if protocol not in cls.protocols:
                continue
            other = Settings.from_scenario(
                scenario, protocol=protocol, rounds=settings.rounds, mediator=name
            )
            other = replace(
                other, strategies={**other.strategies, **principals}, hazards=settings.hazards
            )
            runs.append(MediatorRun(protocol, name, run(scenario, other, seed).result()))
    return runs


def mediator_table(comparison: Comparison, analysis: Analysis | None, parties: list[str]) -> Table:
    title = "What each mediator would have achieved (same seed and strategies)"
    if comparison.without is not None:
        title += (
            f", had {comparison.without!r} not happened: it ended every run, so it is left out"
            " (every other event fires as before)"
        )
    # Light borders and headers that wrap between words: the table fits 80 columns.
    table = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    for column in ("mediator", "protocol", "ended", "rounds"):
        table.add_column(column, no_wrap=True)
    for party in parties:
        table.add_column(party.replace(" ", "\n"), justify="right", no_wrap=True)
    table.add_column("Nash\nratio", justify="right", no_wrap=True)
    table.add_column("to\nfrontier", justify="right", no_wrap=True)
    for r in comparison.runs:
        utilities = r.result.utilities if r.result.agreement is not None else None
        ratio, distance = r.nash_ratio(analysis), r.distance(analysis)
        table.add_row(
            r.mediator,
            r.protocol,
            "deal" if r.result.agreement is not None else r.result.ended,
            str(r.result.rounds),
            *(["-"] * len(parties) if utilities is None else [f"{u:.3f}" for u in utilities]),
            "-" if ratio is None else f"{ratio:.3f}",
            "-" if distance is None else f"{distance:.3f}",
        )
    return table


def why_not(comparison: Comparison) -> list[str]:
    """One line per way the mediators that reached no deal failed, naming them."""
    failed: dict[str, list[str]] = {}
    for r in comparison.runs:
        if r.result.agreement is None:
            failed.setdefault(r.result.reason, []).append(f"{r.mediator} ({r.protocol})")
    return [f"No deal with {', '.join(names)}: {reason}." for reason, names in failed.items()]
