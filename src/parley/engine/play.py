"""Driving sessions with built-in strategies, and rebuilding them from recorded answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np

from parley.engine import messages as m
from parley.engine.messages import Action, Message
from parley.engine.session import Listener, Result, Session, as_recorded
from parley.engine.settings import Settings
from parley.engine.strategies import Strategy, build
from parley.errors import EngineError
from parley.scenario import Scenario


def seat_strategies(session: Session) -> dict[str, Strategy]:
    """A strategy for every seat not held by a person (``settings.people``), each with its own
    seeded generator."""
    people = set(session.settings.people)
    seats: dict[str, Strategy] = {}
    names = [p.name for p in session.scenario.parties]
    for party, spec in session.settings.strategies.items():
        role = session.scenario.party(party).role
        if party in people or (role == "mediator" and session.settings.protocol == "direct"):
            continue  # a person answers, or the mediator has no part in direct talks
        rng = np.random.default_rng(np.random.SeedSequence([session.seed, 1 + names.index(party)]))
        seats[party] = build(spec, role, session.settings.protocol, rng)
    return seats


def play(session: Session, seats: Mapping[str, Strategy]) -> Result:
    """Run ``session`` to its end with built-in strategies answering every ask."""
    while session.pending is not None:
        ask = session.pending
        session.submit(ask.party, seats[ask.party].act(session.view(ask.party), ask))
    return session.result()


def run(
    scenario: Scenario,
    settings: Settings,
    seed: int,
    listeners: Sequence[Listener] = (),
) -> Session:
    """A finished session of ``scenario`` under ``settings``, every seat played by its strategy."""
    session = Session(scenario, settings, seed)
    seats = seat_strategies(session)
    for message in session.transcript:  # messages posted before the first ask
        for listener in listeners:
            listener(message)
    session.listeners.extend(listeners)
    play(session, seats)
    return session


def resume(
    scenario: Scenario,
    settings: Settings,
    seed: int,
    recorded: Sequence[Message],
) -> tuple[Session, dict[str, Strategy]]:
    """Rebuild a session from a recorded transcript (whole or cut short).

    Every recorded answer is submitted again. Built-in strategies are asked too, so that their
    internal state is what it was; a strategy answering differently means the transcript was
    not produced by these settings, and the engine's own messages must match the record.
    """
    session = Session(scenario, settings, seed)
    seats = seat_strategies(session)
    answers = _answers_by_turn(recorded)
    last_turn = max(answers, default=0)
    while session.pending is not None and session.pending.turn in answers:
        ask = session.pending
        action = answers[ask.turn]
        strategy = seats.get(ask.party)
        if strategy is not None:
            own = as_recorded(ask, strategy.act(session.view(ask.party), ask))
            if (
                ask.turn == last_turn
                and not action.statement
                and replace(own, statement="", public=False) == action
            ):
                action = own  # the record was cut between an answer and its attached statement
            if own != action:
                raise EngineError(
                    f"transcript turn {ask.turn}: {ask.party}'s strategy answers "
                    f"{own.kind} where the record says {action.kind}"
                )
        session.submit(ask.party, action)
    _check_same(session.transcript, recorded)
    return session, seats


def _answers_by_turn(recorded: Sequence[Message]) -> dict[int, Action]:
    main: dict[int, Message] = {}
    statements: dict[int, Message] = {}
    for msg in recorded:
        if msg.turn is None:
            continue
        (statements if msg.kind == m.STATEMENT else main)[msg.turn] = msg
    answers = {}
    for turn, msg in main.items():
        said = statements.get(turn)
        answers[turn] = Action(
            msg.kind,
            msg.outcome,
            msg.text,
            said.text if said else "",
            said.public if said else False,
            dict(msg.data),
        )
    return answers


def _check_same(rebuilt: Sequence[Message], recorded: Sequence[Message]) -> None:
    for mine, theirs in zip(rebuilt, recorded, strict=False):
        if mine != theirs:
            raise EngineError(
                f"the transcript diverges from the rebuilt session at message {mine.seq}"
            )
    if len(recorded) > len(rebuilt):
        raise EngineError(
            f"the transcript has {len(recorded) - len(rebuilt)} message(s) after the session ended"
        )
