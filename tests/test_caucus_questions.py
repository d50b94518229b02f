"""Caucus questions (issue 19, item 3): the shuttle's mediator may ask a delegation "what if...?"
about up to k packages after each of its answers, off by default; the engine asks them, keeps
them between the mediator and that delegation, records them, and replays them."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.engine import Action, Ask, Session, Settings, View
from parley.engine import drive as engine_drive
from parley.engine.messages import Kind, Question
from parley.errors import IllegalActionError
from parley.play import play, resume, run, start
from parley.scenario import Scenario, from_data, load
from parley.strategies.base import Strategy
from tests.scenario_factory import random_scenario, xy_prefs
from tests.test_isolation import check_view


def _settings(scenario: Scenario, questions: int, mediator: str = "nash-bridging") -> Settings:
    base = Settings.from_scenario(scenario, protocol="shuttle", mediator=mediator)
    return replace(base, questions=questions)


def _xy(questions: int = 0) -> Scenario:
    options = {i: [{"id": f"{i}{k}", "label": f"{i}{k}"} for k in range(3)] for i in "XY"}
    a_prefs = xy_prefs([1, 0.5, 0], [0, 0.5, 1], 0)
    b_prefs = xy_prefs([0, 0.5, 1], [1, 0.5, 0], 0)
    doc = {
        "name": "xy",
        "title": "Two issues, three parties",
        "issues": [{"id": i, "name": i, "options": o} for i, o in options.items()],
        "parties": [
            {"name": "A", "role": "principal", "preferences": a_prefs},
            {"name": "B", "role": "principal", "preferences": b_prefs},
            {"name": "M", "role": "mediator"},
        ],
        "protocol": {"kind": "shuttle", "rounds": 8, "questions": questions},
    }
    return from_data(doc, "test")


def _asked(session: Session) -> list[tuple[int, str]]:
    return [(m.round, m.to[0]) for m in session.transcript if m.kind == Kind.WHAT_IF]


def test_questions_are_off_by_default() -> None:
    scenario = load("muscat-2026")
    settings = Settings.from_scenario(scenario, protocol="shuttle", mediator="nash-bridging")
    assert settings.questions == 0
    assert "questions" not in settings.to_json()  # transcripts made without them are unchanged
    kinds = {m.kind for m in run(scenario, settings, 3).transcript}
    assert not kinds & {Kind.WHAT_IF, Kind.COMPARE}


def test_the_scenario_file_turns_them_on_and_the_record_keeps_them() -> None:
    settings = Settings.from_scenario(_xy(2))
    assert settings.questions == 2
    assert Settings.from_json(settings.to_json()) == settings


class Asker(Strategy):
    """A mediator that relays and asks about the next package in outcome order, always."""

    name = "asker"
    role = "mediator"

    def __init__(self) -> None:
        super().__init__(np.random.default_rng(0))
        self.count = 0

    def act(self, view: View, ask: Ask) -> Action:
        if ask.question == Question.INQUIRE:
            self.count += 1
            return Action(Kind.WHAT_IF, (self.count % 3, (self.count // 3) % 3))
        return Action(Kind.RELAY)


@given(st.integers(min_value=1, max_value=4))
@settings(max_examples=4, deadline=None)
def test_the_engine_asks_at_most_k_questions_per_caucus(k: int) -> None:
    scenario = _xy(k)
    settings_ = _settings(scenario, k, "relay")
    session, seats = start(scenario, settings_, 0)
    engine_drive(session, {**seats, "M": Asker()})
    caucuses: dict[tuple[int, str], int] = {}
    for key in _asked(session):
        caucuses[key] = caucuses.get(key, 0) + 1
    assert caucuses, "a mediator that always asks was never asked"
    assert max(caucuses.values()) == k  # never more, and all k when it always asks
    # Each answer compares the package asked with the one before it, as the principal rates it.
    for ask_msg, answer in zip(
        [m for m in session.transcript if m.kind == Kind.WHAT_IF],
        [m for m in session.transcript if m.kind == Kind.COMPARE],
        strict=True,
    ):
        assert answer.outcome == ask_msg.outcome
        assert answer.sender == ask_msg.to[0]
        assert answer.data["feedback"] in ("better", "same", "worse")


def _pending(scenario: Scenario, question: Question) -> tuple[Session, Ask]:
    """A session driven until ``question`` is asked (mediator relays and asks as ``Asker``)."""
    session, seats = start(scenario, _settings(scenario, 1, "relay"), 0)
    asker = Asker()
    while session.pending is not None and session.pending.question != question:
        ask = session.pending
        player = asker if ask.party == "M" else seats[ask.party]
        session.submit(ask.party, player.act(session.view(ask.party), ask))
    assert session.pending is not None
    return session, session.pending


@pytest.mark.parametrize(
    ("question", "action", "says"),
    [
        (Question.INQUIRE, Action(Kind.WHAT_IF), "needs a package"),
        (Question.INQUIRE, Action(Kind.DRAFT, (0, 0)), "not 'draft'"),
        (Question.WHAT_IF, Action(Kind.COMPARE), "needs feedback"),
        (Question.WHAT_IF, Action(Kind.COMPARE, data={"feedback": "great"}), "must be one of"),
        (Question.WHAT_IF, Action(Kind.ACCEPT), "not 'accept'"),
    ],
)
def test_the_engine_refuses_a_malformed_question_or_answer(
    question: Question, action: Action, says: str
) -> None:
    session, ask = _pending(_xy(1), question)
    with pytest.raises(IllegalActionError, match=says):
        session.submit(ask.party, action)


def test_an_answer_compares_with_the_package_before_it() -> None:
    session, ask = _pending(_xy(1), Question.WHAT_IF)
    assert ask.offer is not None
    assert ask.previous is not None
    assert ask.to == ("M",)
    prefs = session.scenario.party(ask.party).preferences
    assert prefs is not None
    before, now = prefs.utility(ask.previous), prefs.utility(ask.offer)
    expected = "better" if now > before else "worse" if now < before else "same"
    _, seats = start(session.scenario, session.settings, 0)
    answer = seats[ask.party].act(session.view(ask.party), ask)
    assert answer.data["feedback"] == expected


@pytest.mark.parametrize("seed", range(6))
def test_questions_and_answers_stay_between_the_mediator_and_that_delegation(seed: int) -> None:
    scenario = random_scenario(seed, principals=2 + seed % 2, events=False)
    settings_ = _settings(scenario, 2)
    session = run(scenario, settings_, seed)
    private = [m for m in session.transcript if m.kind in {Kind.WHAT_IF, Kind.COMPARE}]
    assert private, "bridging asked nothing"
    mediator = settings_.mediator
    for msg in private:
        party = msg.to[0] if msg.kind == Kind.WHAT_IF else msg.sender
        assert not msg.public
        assert {msg.sender, *msg.to} == {mediator, party}
        for other in session.principals:
            assert msg.visible_to(other) == (other == party)
    for name in (p.name for p in scenario.parties):
        check_view(session, session.view(name))


@pytest.mark.parametrize("seed", range(3))
def test_talks_with_questions_replay_and_resume_from_any_cut(seed: int) -> None:
    scenario = random_scenario(seed, principals=2, events=False)
    whole = run(scenario, _settings(scenario, 3), seed)
    assert any(m.kind == Kind.COMPARE for m in whole.transcript)
    for cut in (0, len(whole.transcript) // 3, len(whole.transcript) - 1):
        session, seats = resume(scenario, whole.settings, seed, whole.transcript[:cut])
        if not session.done:
            play(session, seats)
        assert session.transcript == whole.transcript
        assert session.result() == whole.result()
