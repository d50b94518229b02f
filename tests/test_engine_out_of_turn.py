"""What happens out of turn, in the engine: the mediator's word to one principal
(``Session.note`` with ``to``) and outside events put in live (``Session.inject``). Whatever is
done out of turn, and wherever, the transcript replays to itself (``play.resume``), no turn is
taken, and the other principal never sees a word meant for one side."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.engine import Settings
from parley.engine.messages import Kind
from parley.engine.session import Session
from parley.errors import EngineError, UnknownPartyError
from parley.play import resume, start
from parley.scenario import load
from parley.scenario.events import Event


@dataclass(frozen=True)
class Interjection:
    """Done before the answer to the ``at``-th ask: a reply to principal ``to`` (0 or 1), or an
    outside event."""

    at: int
    reply: bool
    to: int
    delta: float


interjections = st.lists(
    st.builds(
        Interjection,
        at=st.integers(0, 40),
        reply=st.booleans(),
        to=st.integers(0, 1),
        delta=st.sampled_from([-0.05, 0.0, 0.02]),
    ),
    max_size=6,
)


def talks(done: list[Interjection]) -> Session:
    """Job-offer shuttle talks, every seat a built-in strategy, with ``done`` interjected."""
    scenario = load("job-offer")
    session, seats = start(scenario, Settings.from_scenario(scenario, protocol="shuttle"), 3)
    assert session.mediator is not None
    asked = 0
    while (ask := session.pending) is not None:
        for item in (d for d in done if d.at == asked):
            to = session.principals[item.to]
            if item.reply:
                session.note(session.mediator, f"word {asked} to {to}", to)
            elif item.delta:
                session.inject(Event("shift-reservation", f"pressure {asked}", party=to,
                                     delta=item.delta))
            else:
                session.inject(Event("move-deadline", f"more time {asked}", rounds=1))
            assert session.pending == ask  # no turn taken
        session.submit(ask.party, seats[ask.party].act(session.view(ask.party), ask))
        asked += 1
    return session


@settings(max_examples=25, deadline=None)
@given(interjections)
def test_whatever_is_done_out_of_turn_the_transcript_replays_to_itself(
    done: list[Interjection],
) -> None:
    session = talks(done)
    rebuilt, _ = resume(session.scenario, session.settings, session.seed, session.transcript)
    assert rebuilt.transcript == session.transcript
    assert rebuilt.ended == session.ended
    for party in session.principals:
        assert rebuilt.reservation(party) == session.reservation(party)


@settings(max_examples=25, deadline=None)
@given(interjections)
def test_a_word_to_one_side_never_reaches_the_other(done: list[Interjection]) -> None:
    session = talks(done)
    for one, other in (session.principals, reversed(session.principals)):
        words = [m for m in session.transcript if m.kind == Kind.NOTE and m.to == (one,)]
        seen = session.view(other).messages
        assert not [m for m in words if m in seen]
        assert all(m in session.view(one).messages for m in words)
        shifts = [m for m in session.transcript
                  if m.data.get("effect") == "reservation" and m.data.get("party") == one]
        assert not [m for m in shifts if m in seen]  # a reservation is private


def test_a_shift_moves_the_reservation_by_its_delta_and_a_cancellation_ends_the_talks() -> None:
    scenario = load("job-offer")
    session, _ = start(scenario, Settings.from_scenario(scenario, protocol="shuttle"), 0)
    before = session.reservation("Candidate")
    session.inject(Event("shift-reservation", "A rival offer", party="Candidate", delta=0.1))
    assert session.reservation("Candidate") == pytest.approx(before + 0.1)
    session.inject(Event("cancel", "The post is frozen", party="Employer"))
    assert session.pending is None
    assert session.ended == "cancelled"
    with pytest.raises(EngineError):
        session.inject(Event("note", "too late"))


def test_only_the_mediator_replies_and_only_to_a_principal() -> None:
    scenario = load("job-offer")
    session, _ = start(scenario, Settings.from_scenario(scenario, protocol="shuttle"), 0)
    mediator = session.mediator
    assert mediator is not None
    for party, to in ((mediator, mediator), (mediator, None), (mediator, "Nobody"),
                      ("Candidate", "Employer")):
        with pytest.raises(EngineError):
            session.note(party, "hello", to)
    with pytest.raises(EngineError):
        session.note(mediator, "   ", "Candidate")
    with pytest.raises(UnknownPartyError):
        session.inject(Event("table-draft", "x", party="Nobody", draft=(0, 0, 0, 0)))
    sent = session.note(mediator, "A word", "Candidate")
    assert (sent.sender, sent.to, sent.turn) == (mediator, ("Candidate",), None)
