"""Single negotiating text: the mediator holds one draft and improves it round by round.

Each round the mediator tables a draft to every principal; each answers accept or reject,
optionally with feedback (better / same / worse than the previous draft, or than an earlier
draft the mediator names in its draft's ``against`` field). A draft every principal accepts is
the agreement. When the mediator holds confidences, round 1 opens with each principal's
invitation to confide (``protocols.confide``), before the first draft.
"""

from __future__ import annotations

from parley.engine.messages import Kind, Outcome, Question
from parley.engine.protocols.base import Protocol
from parley.engine.protocols.confide import confidences
from parley.engine.table import Flow, Table

ANSWER = frozenset({Kind.ACCEPT, Kind.REJECT, Kind.WALK_AWAY})


def single_text(session: Table) -> Flow:
    mediator = session.mediator
    assert mediator is not None  # Settings refuses a mediated protocol without one
    previous: Outcome | None = None
    session.set_phase("single-text", f"{mediator} holds the single negotiating text.")
    number = 1
    while number <= session.deadline:
        if not (yield from session.open_round(number)):
            return
        if number == 1:
            yield from confidences(session)
        tabled = yield session.ask(
            mediator,
            Question.DRAFT,
            (Kind.DRAFT,),
            session.principals,
            f"{mediator} tables this round's draft",
            previous=previous,
        )
        draft = tabled.outcome
        previous = _reference(session, mediator, tabled.data.get("against"), previous)
        accepted = set()
        for party in session.principals:
            action = yield session.ask(
                party,
                Question.REVIEW,
                ANSWER,
                (mediator,),
                f"{party} answers the draft",
                offer=draft,
                previous=previous,
            )
            if action.kind == Kind.WALK_AWAY:
                session.end("walk-away", f"{party} walked away", by=party)
                return
            if action.kind == Kind.ACCEPT:
                accepted.add(party)
        if draft is not None and accepted >= set(session.principals) and session.conclude(draft):
            return
        previous = draft
        number += 1


def _reference(
    session: Table, mediator: str, against: object, default: Outcome | None
) -> Outcome | None:
    """The draft the parties compare this one with: the one the mediator names, else the last."""
    if (
        isinstance(against, int)
        and not isinstance(against, bool)
        and 0 <= against < len(session.transcript)
    ):
        named = session.transcript[against]
        if named.sender == mediator and named.kind == Kind.DRAFT:
            return named.outcome
    return default


SINGLE_TEXT = Protocol(
    "single-text",
    single_text,
    mediated=True,
    summary="the mediator improves one draft",
    default_mediator="hill-climb",
)
