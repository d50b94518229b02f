"""The shuttle's blind mediator, bridging: it finds the Nash point the parties would not.

Oracles: ``analyze`` enumerates every package for the Nash point; the categorical case is
the textbook one where the compromise both rank second is not between their positions.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from parley.analysis import analyze
from parley.engine import Settings, StrategySpec
from parley.engine.messages import Kind
from parley.play import run
from parley.scenario import Scenario, from_data

VENUES = ("Geneva", "Oslo", "Muscat")


def _scenario(issues: dict[str, list[str]], profiles: dict[str, dict[str, Any]]) -> Scenario:
    doc = {
        "name": "bridging-case",
        "title": "A small case with a known Nash point",
        "issues": [
            {"id": issue, "name": issue, "options": [{"id": o, "label": o} for o in options]}
            for issue, options in issues.items()
        ],
        "parties": [
            *(
                {"name": name, "role": "principal", "preferences": prefs}
                for name, prefs in profiles.items()
            ),
            {"name": "M", "role": "mediator"},
        ],
        "protocol": {"kind": "shuttle", "rounds": 30},
    }
    return from_data(doc, "test")


def _run(scenario: Scenario, seed: int, rounds: int = 30, questions: int = 0, **params: str) -> Any:
    base = Settings.from_scenario(scenario, protocol="shuttle", rounds=rounds)
    strategies = dict(base.strategies)
    assert base.mediator is not None
    strategies[base.mediator] = StrategySpec("nash-bridging", params)
    for party in scenario.principals:
        strategies[party.name] = StrategySpec("boulware")
    return run(scenario, replace(base, strategies=strategies, questions=questions), seed)


def _venue_case() -> Scenario:
    """Each side's first choice is the other's last; both rank Geneva, listed first, second."""
    return _scenario(
        {"venue": list(VENUES)},
        {
            "A": {"issues": {"venue": {"weight": 1.0, "values": {"Geneva": 0.8, "Oslo": 1.0,
                                                                    "Muscat": 0.0}}}},
            "B": {"issues": {"venue": {"weight": 1.0, "values": {"Geneva": 0.8, "Oslo": 0.0,
                                                                    "Muscat": 1.0}}}},
        },
    )  # fmt: skip


@pytest.mark.parametrize("seed", range(4))
def test_it_bridges_outside_the_positions_to_the_categorical_compromise(seed: int) -> None:
    scenario = _venue_case()
    nash = analyze(scenario).nash
    assert nash is not None
    assert nash.outcome == (0,)  # Geneva: 0.64 against 0 for either side's first choice
    session = _run(scenario, seed)
    latest: dict[str, tuple[int, ...]] = {}
    outside = False
    for msg in session.transcript:
        if msg.kind in {Kind.PROPOSE, Kind.COUNTER} and msg.outcome is not None:
            latest[msg.sender] = msg.outcome
        elif msg.sender == "M" and msg.kind == Kind.DRAFT and len(latest) == 2:
            low, high = sorted(p[0] for p in latest.values())
            outside = outside or not low <= msg.outcome[0] <= high
    assert outside, "the mediator never brought a package outside the latest positions"
    assert session.result().agreement == nash.outcome


def _logroll_case(seed: int) -> Scenario:
    """Two issues of four options each way round, random values: A cares more for X, B for Y."""
    rng = np.random.default_rng(seed)
    issues = {"X": [f"X{k}" for k in range(4)], "Y": [f"Y{k}" for k in range(4)]}

    def profile(wx: float) -> dict[str, Any]:
        values = {i: dict(zip(opts, rng.permutation([0.0, 0.3, 0.7, 1.0]).tolist(), strict=True))
                  for i, opts in issues.items()}  # fmt: skip
        return {"issues": {"X": {"weight": wx, "values": values["X"]},
                           "Y": {"weight": 1 - wx, "values": values["Y"]}}}  # fmt: skip

    return _scenario(issues, {"A": profile(0.75), "B": profile(0.25)})


@pytest.mark.parametrize("seed", range(6))
def test_it_reaches_the_brute_forced_nash_point_on_a_small_agenda(seed: int) -> None:
    """Learning by sampled optima (``opening=sample``): on 16 packages the default opening,
    which relays the positions first, can let Boulware parties settle among themselves
    before the mediator tables anything (docs/mediators.md)."""
    scenario = _logroll_case(seed)
    nash = analyze(scenario).nash
    assert nash is not None
    result = _run(scenario, seed, rounds=100, opening="sample").result()
    assert result.agreement == nash.outcome
