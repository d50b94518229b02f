"""Every strategy under every protocol on every built-in scenario obeys the engine's invariants:
the session ends, isolation holds at every turn, no agreement crosses a red line or falls below a
reservation value, and replaying the transcript gives the same result."""

from __future__ import annotations

import pytest

from parley.engine import Settings
from parley.play import resume
from parley.preferences import reaches
from parley.scenario import builtin_names, load
from parley.strategies import MEDIATORS, NEGOTIATORS
from parley.strategies.anac import AGENTS as ANAC_AGENTS
from tests.scenario_factory import random_scenario
from tests.test_isolation import check_channels, drive

COMPOSITIONS = [
    "boa:bidding=tit-for-tat,acceptance=ac-combi,model=bayesian:particles=50",
    "boa:bidding=random,acceptance=ac-time:at=0.5,model=learning",
]
"""Two BOA compositions beside the default one (``boa``): every other component once."""
ANAC = {cls.name for cls in ANAC_AGENTS}
ANAC_SCENARIO = "job-offer"
"""The ANAC agents play every protocol on this built-in only (red lines and reservations on
both sides; about 12 s for the ten); tests/test_anac_agents.py adds multilateral talks."""
COMBOS = [
    (scenario, protocol, mediator, negotiator)
    for scenario in builtin_names()
    for protocol in ("direct", "shuttle", "single-text")
    for mediator in (
        [None]
        if protocol == "direct"
        else sorted(n for n, cls in MEDIATORS.items() if protocol in cls.protocols)
    )
    for negotiator in [*sorted(NEGOTIATORS), *COMPOSITIONS]
    if negotiator not in ANAC or scenario == ANAC_SCENARIO
]


@pytest.mark.parametrize(("scenario", "protocol", "mediator", "negotiator"), COMBOS)
def test_conformance(scenario: str, protocol: str, mediator: str | None, negotiator: str) -> None:
    loaded = load(scenario)
    settings = Settings.from_scenario(
        loaded,
        protocol=protocol,
        mediator=mediator,
        strategies={p.name: negotiator for p in loaded.principals},
    )
    session = drive(loaded, settings, seed=3)
    result = session.result()
    assert result.ended in {"agreement", "deadline", "walk-away", "cancelled", "adjourned"}
    assert result.rounds <= session.deadline
    check_channels(session)
    if result.agreement is not None:
        for party in loaded.principals:
            prefs = party.preferences
            assert prefs is not None
            assert not prefs.crossed(result.agreement), f"{party.name}'s red line crossed"
            assert reaches(prefs.utility(result.agreement), session.reservation(party.name))
    replayed, _ = resume(loaded, session.settings, 3, session.transcript)
    assert replayed.done
    assert replayed.result() == result


@pytest.mark.parametrize(
    ("protocol", "mediator"),
    [("direct", None)]
    + [
        (protocol, name)
        for protocol in ("shuttle", "single-text")
        for name in sorted(n for n, cls in MEDIATORS.items() if protocol in cls.protocols)
    ],
)
def test_conformance_with_every_kind_of_seat(protocol: str, mediator: str | None) -> None:
    """A third party, a spoiler and an adviser seated beside principals of every negotiator."""
    names = sorted(NEGOTIATORS)
    for seed in range(max(12, len(names))):  # every negotiator at least once
        scenario = random_scenario(seed, outsiders=True)
        negotiator = names[seed % len(names)]
        settings = Settings.from_scenario(
            scenario,
            protocol=protocol,
            mediator=mediator,
            strategies={p.name: negotiator for p in scenario.principals},
        )
        session = drive(scenario, settings, seed=seed)
        result = session.result()
        check_channels(session)
        if result.agreement is not None:
            for party in scenario.principals:
                prefs = party.preferences
                assert prefs is not None
                assert not prefs.crossed(result.agreement)
                assert reaches(prefs.utility(result.agreement), session.reservation(party.name))
        replayed, _ = resume(scenario, session.settings, seed, session.transcript)
        assert replayed.transcript == session.transcript
