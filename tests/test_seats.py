"""Seats beside the principals: third parties, spoilers and advisers that act, notes out of turn."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from parley.engine import Action, Kind, Question, Settings, drive
from parley.engine.drive import answers_in
from parley.errors import IllegalActionError, StrategyError
from parley.play import resume, run, start
from parley.scenario import Scenario, from_data
from tests.scenario_factory import xy_prefs


def scenario(
    *, third: dict[str, Any] | None = None, spoiler: dict[str, Any] | None = None,
    protocol: str = "shuttle", seated: dict[str, str] | None = None, rounds: int = 8,
) -> Scenario:  # fmt: skip
    """A and B split X and Y (A wants low options, B high); T, S and V (A's adviser) judge by
    their own preferences."""
    issues = [
        {"id": i, "name": i, "options": [{"id": f"{i}{k}", "label": str(k)} for k in range(3)]}
        for i in ("X", "Y")
    ]
    parties = [
        {"name": "A", "role": "principal", "preferences": xy_prefs([1, 0.6, 0], [1, 0.6, 0], 0.3)},
        {"name": "B", "role": "principal", "preferences": xy_prefs([0, 0.6, 1], [0, 0.6, 1], 0.3)},
        {"name": "M", "role": "mediator"},
        {"name": "T", "role": "third-party",
         "preferences": third or xy_prefs([0, 1, 0], [0, 1, 0], 0.0)},
        {"name": "S", "role": "spoiler",
         "preferences": spoiler or xy_prefs([1, 0, 0], [1, 0, 0], 0.9)},
        {"name": "V", "role": "adviser", "advises": "A",
         "preferences": xy_prefs([1, 0.5, 0], [1, 0.5, 0], 0.4)},
    ]  # fmt: skip
    doc = {
        "name": "seats",
        "title": "Seats",
        "issues": issues,
        "parties": parties,
        "protocol": {
            "kind": protocol,
            "rounds": rounds,
            "mediator_strategy": "hill-climb" if protocol == "single-text" else "relay",
            "strategies": {"T": "framework", "S": "watchful", "V": "counsel", **(seated or {})},
            "default_strategy": "hardliner",
        },
    }
    return from_data(doc, "seats")


@pytest.mark.parametrize("protocol", ["direct", "shuttle", "single-text"])
def test_a_framework_every_principal_endorses_is_the_agreement(protocol: str) -> None:
    # T's best package (X1 Y1) is worth 0.6 to both, above their reservations of 0.3; they sign
    # whatever they may sign, and the spoiler is content with anything.
    calm = xy_prefs([1, 1, 1], [1, 1, 1], 0.0)
    signing = {"A": "random:p_accept=1", "B": "random:p_accept=1"}
    sc = scenario(protocol=protocol, spoiler=calm, seated=signing)
    s = run(sc, Settings.from_scenario(sc), 0)
    framework = [m for m in s.transcript if m.kind == Kind.FRAMEWORK]
    assert framework
    assert framework[0].public
    assert framework[0].outcome == (1, 1)
    endorsements = [m for m in s.transcript if m.kind == Kind.ENDORSE]
    assert {m.sender for m in endorsements} == {"A", "B"}
    assert all(m.to == ("T",) for m in endorsements)
    assert s.result().agreement == (1, 1)


def test_a_declined_framework_is_revised_away_from_what_was_declined() -> None:
    # T likes packages A cannot sign (X2 Y2, below A's reservation): A declines, T revises.
    third = xy_prefs([0, 0.5, 1], [0, 0.5, 1], 0.0)
    calm = xy_prefs([1, 1, 1], [1, 1, 1], 0.0)
    sc = scenario(third=third, spoiler=calm, protocol="direct")
    s = run(sc, Settings.from_scenario(sc), 0)
    tabled = [m.outcome for m in s.transcript if m.kind == Kind.FRAMEWORK]
    assert tabled[0] == (2, 2)
    assert len(tabled) >= 2
    assert tabled[1] != tabled[0]
    assert any(m.kind == Kind.DECLINE and m.sender == "A" for m in s.transcript)


def test_endorsing_is_withheld_when_the_framework_crosses_the_reservation() -> None:
    third = xy_prefs([0, 0.5, 1], [0, 0.5, 1], 0.0)
    sc = scenario(third=third, protocol="direct")
    session, seats = start(sc, Settings.from_scenario(sc), 0)
    while session.pending is not None and session.pending.question != Question.ENDORSE:
        ask = session.pending
        session.submit(ask.party, seats[ask.party].act(session.view(ask.party), ask))
    ask = session.pending
    assert ask is not None
    assert (ask.party, ask.offer) == ("A", (2, 2))
    assert ask.allowed == {Kind.DECLINE}
    with pytest.raises(IllegalActionError, match="reservation"):
        session.submit("A", Action(Kind.ENDORSE))


def test_a_spoiler_threatens_then_strikes_when_the_public_text_hurts_it() -> None:
    sc = scenario(protocol="single-text", seated={"T": "framework:revisions=0"})
    s = run(sc, Settings.from_scenario(sc), 0)
    moves = [(m.round, m.kind) for m in s.transcript if m.sender == "S"]
    threat = next(r for r, k in moves if k == Kind.THREATEN)
    strike = next(r for r, k in moves if k == Kind.STRIKE)
    assert strike == threat + 1  # patience 1
    result = s.result()
    assert (result.ended, result.ended_by) == ("cancelled", "S")
    assert all(m.public for m in s.transcript if m.sender == "S")


def test_a_spoiler_holds_off_while_nothing_public_hurts_it() -> None:
    sc = scenario(protocol="shuttle", seated={"T": "framework:at=99"})
    s = run(sc, Settings.from_scenario(sc), 0)
    assert {m.kind for m in s.transcript if m.sender == "S"} == {Kind.PASS}
    assert s.result().ended != "cancelled"


@pytest.mark.parametrize("protocol", ["direct", "shuttle", "single-text"])
def test_an_adviser_counsels_its_own_principal_alone_before_it_answers(protocol: str) -> None:
    sc = scenario(protocol=protocol, seated={"T": "framework:at=99"})
    s = run(sc, Settings.from_scenario(sc), 1)
    advice = [m for m in s.transcript if m.kind == Kind.ADVISE]
    assert advice
    assert all(m.sender == "V" and m.to == ("A",) and not m.public for m in advice)
    for other in ("B", "M", "T", "S"):
        assert not any(m.kind == Kind.ADVISE for m in s.view(other).messages)
    # Each piece of advice comes right before A's own answer to the same package.
    for m in advice:
        after = s.transcript[m.seq + 1]
        assert after.sender == "A"
        assert after.kind in {Kind.ACCEPT, Kind.REJECT, Kind.COUNTER, Kind.ENDORSE, Kind.DECLINE}


def test_outside_seats_without_strategies_take_no_turn() -> None:
    sc = scenario(protocol="shuttle")
    plain = replace(Settings.from_scenario(sc), strategies={
        p: spec for p, spec in Settings.from_scenario(sc).strategies.items()
        if p in {"A", "B", "M"}})  # fmt: skip
    s = run(sc, plain, 0)
    assert not any(m.sender in {"T", "S", "V"} for m in s.transcript)


def test_a_third_party_strategy_needs_preferences_of_its_own() -> None:
    sc = scenario()
    doc = sc.doc.model_dump(mode="json", exclude_none=True)
    for party in doc["parties"]:
        if party["name"] == "T":
            del party["preferences"]
    bare = from_data(doc, "bare")
    with pytest.raises(StrategyError, match="T: the framework strategy"):
        start(bare, Settings.from_scenario(bare), 0)


def test_a_note_out_of_turn_reaches_the_mediator_alone_and_replays() -> None:
    sc = scenario(protocol="shuttle", seated={"T": "framework:at=99", "S": "watchful"})
    session, seats = start(sc, Settings.from_scenario(sc), 0)
    ask = session.pending
    assert ask is not None
    note = session.note("B", "We could move on sanctions if enrichment is capped.")
    assert session.pending == ask  # no turn taken
    assert note.to == ("M",)
    assert not note.public
    assert [p for p in "ABMSTV" if note in session.view(p).messages] == ["B", "M"]
    drive(session, seats)
    rebuilt, _ = resume(sc, session.settings, 0, session.transcript)
    assert rebuilt.transcript == session.transcript
    assert [a.turn for a in answers_in(session.transcript)].count(None) == 1


def test_notes_need_a_mediator_and_a_principal() -> None:
    sc = scenario(protocol="direct")
    session, _ = start(sc, Settings.from_scenario(sc), 0)
    with pytest.raises(IllegalActionError, match="no mediator"):
        session.note("A", "hello")
    sc = scenario(protocol="shuttle")
    session, _ = start(sc, Settings.from_scenario(sc), 0)
    with pytest.raises(IllegalActionError):
        session.note("T", "hello")
