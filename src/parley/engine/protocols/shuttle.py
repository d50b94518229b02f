"""Shuttle diplomacy: the principals never address each other; the mediator meets each in turn.

A round is one cycle of caucuses in the scenario's order. When the mediator holds confidences,
round 1 opens with each principal's invitation to confide (``protocols.confide``). In the first
caucus the first delegation hands the mediator its proposal. In every later caucus the mediator
brings the delegation the package from the previous caucus (verbatim, reframed, or as its own
bridging draft) and the delegation accepts, rejects or counters it, or walks away. A proposal
counts as its author's acceptance; a package accepted by every principal is the agreement. An
escalation rule can turn the talks direct when positions have come close (or after a set round).
"""

from __future__ import annotations

from parley.engine.messages import ENDORSING, Kind, Outcome, Question
from parley.engine.protocols.base import Protocol
from parley.engine.protocols.confide import confidences
from parley.engine.protocols.direct import alternating_offers
from parley.engine.table import Flow, Table

OPEN = frozenset({Kind.PROPOSE, Kind.WALK_AWAY})
CARRY = frozenset({Kind.RELAY, Kind.REFRAME, Kind.DRAFT})
REVIEW = frozenset({Kind.ACCEPT, Kind.REJECT, Kind.COUNTER, Kind.WALK_AWAY})


def shuttle(session: Table) -> Flow:
    mediator = session.mediator
    assert mediator is not None  # Settings refuses a mediated protocol without one
    latest: dict[str, Outcome] = {}
    endorsed: dict[Outcome, set[str]] = {}
    on_table: Outcome | None = None
    source: str | None = None
    number = 1
    while number <= session.deadline:
        if not (yield from session.open_round(number)):
            return
        if number == 1:
            yield from confidences(session)
        for party in session.principals:
            session.set_phase(f"caucus:{party}")
            if on_table is None:
                action = yield session.ask(
                    party,
                    Question.PROPOSE,
                    OPEN,
                    (mediator,),
                    f"{mediator} asks {party} for its proposal",
                )
                package = action.outcome
            else:
                carry = yield session.ask(
                    mediator,
                    Question.CARRY,
                    CARRY,
                    (party,),
                    f"{mediator} carries {source}'s position to {party}",
                    offer=on_table,
                    about=source,
                )
                action = yield session.ask(
                    party,
                    Question.REVIEW,
                    REVIEW,
                    (mediator,),
                    f"{mediator} brings {party} a package",
                    offer=carry.outcome,
                    about=source,
                )
                package = carry.outcome if action.kind != Kind.COUNTER else action.outcome
            if action.kind == Kind.WALK_AWAY:
                session.end("walk-away", f"{party} walked away", by=party)
                return
            if action.kind in (Kind.PROPOSE, Kind.COUNTER):
                assert action.outcome is not None
                latest[party] = action.outcome
            if action.kind in ENDORSING and package is not None:
                supporters = endorsed.setdefault(package, set())
                supporters.add(party)
                if supporters >= set(session.principals) and session.conclude(package):
                    return
            on_table = package if action.kind != Kind.REJECT else latest.get(party, package)
            source = party
        if _escalates(session, latest, number):
            session.set_phase("direct", "Positions have come close: the talks turn direct.")
            yield from alternating_offers(session, number + 1, on_table, source)
            return
        number += 1


def _escalates(session: Table, latest: dict[str, Outcome], number: int) -> bool:
    settings = session.settings
    if settings.escalate_after is not None and number >= settings.escalate_after:
        return True
    if settings.escalate_gap is None or len(latest) < len(session.principals):
        return False
    return _gap(session, latest) < settings.escalate_gap


def _gap(session: Table, latest: dict[str, Outcome]) -> float:
    """Largest loss any principal would take moving from its own position to another's."""
    return max(
        session.utility(p, latest[p]) - session.utility(p, latest[q])
        for p in session.principals
        for q in session.principals
    )


SHUTTLE = Protocol(
    "shuttle",
    shuttle,
    mediated=True,
    summary="the mediator meets each delegation in turn",
    default_mediator="relay",
)
