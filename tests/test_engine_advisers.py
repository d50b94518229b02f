"""An adviser's word out of turn (``Session.note``): a seated adviser writes to its own principal
at any time, under any protocol; only that delegation reads it, it takes no turn, and a
transcript holding it replays to the same record."""

from __future__ import annotations

import dataclasses

import pytest

from parley.engine import Session, Settings
from parley.errors import IllegalActionError
from parley.play import resume
from parley.scenario import load
from parley.strategies.seating import seat

TEAM, IRAN = "Iran's technical team", "Iran"


@pytest.mark.parametrize("protocol", ["shuttle", "direct"])
def test_an_advisers_note_reaches_its_delegation_alone_and_takes_no_turn(protocol: str) -> None:
    scenario = load("muscat-2026")
    session = Session(scenario, Settings.from_scenario(scenario, protocol=protocol), 0)
    pending = session.pending
    note = session.note(TEAM, "Hold firm on enrichment.")
    assert session.pending == pending
    assert note.to == (IRAN,)
    readers = {name for name, seat in session.seats.items() if note in seat.seen}
    assert readers == {IRAN, TEAM}


def test_an_adviser_writes_only_to_its_own_principal_and_only_when_seated() -> None:
    scenario = load("muscat-2026")
    settings = Settings.from_scenario(scenario, protocol="shuttle")
    session = Session(scenario, settings, 0)
    with pytest.raises(IllegalActionError):
        session.note(TEAM, "to the mediator", "Oman")
    with pytest.raises(IllegalActionError):
        session.note(TEAM, "   ")
    unseated = dataclasses.replace(
        settings, strategies={k: v for k, v in settings.strategies.items() if k != TEAM}
    )
    with pytest.raises(IllegalActionError, match="not seated"):
        Session(scenario, unseated, 0).note(TEAM, "hello")


def test_a_transcript_with_an_advisers_note_replays_to_the_same_record() -> None:
    scenario = load("muscat-2026")
    settings = Settings.from_scenario(scenario, protocol="shuttle")
    session = Session(scenario, settings, 3)
    session.note(TEAM, "Before anything: hold firm.")
    strategies = seat(scenario, settings, 3)
    for _ in range(12):
        ask = session.pending
        if ask is None:
            break
        session.submit(ask.party, strategies[ask.party].act(session.view(ask.party), ask))
        if ask.party == IRAN:
            session.note(TEAM, "After Iran's answer.")
    assert sum(m.sender == TEAM for m in session.transcript) >= 2
    replayed, _ = resume(scenario, settings, 3, session.transcript)
    assert replayed.transcript == session.transcript
