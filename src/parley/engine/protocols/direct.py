"""Direct talks: alternating offers among the principals (two or more).

Each round every principal acts once, in order. Facing no standing offer a party proposes;
facing one it accepts, counters, rejects it (leaving the table empty) or walks away. A standing
offer becomes the agreement once every other principal has accepted it.
"""

from __future__ import annotations

from parley.engine.messages import PROPOSING, Kind, Outcome, Question
from parley.engine.protocols.base import Protocol
from parley.engine.table import Flow, Table

OPEN = frozenset({Kind.PROPOSE, Kind.WALK_AWAY})
REVIEW = frozenset({Kind.ACCEPT, Kind.COUNTER, Kind.REJECT, Kind.WALK_AWAY})


def direct(table: Table) -> Flow:
    table.set_phase("direct", "The principals negotiate face to face.")
    yield from alternating_offers(table, first_round=1)


def alternating_offers(
    table: Table,
    first_round: int,
    opening: Outcome | None = None,
    proposer: str | None = None,
    chair: str | None = None,
) -> Flow:
    """Alternating offers from ``first_round`` on, optionally continuing from an opening offer;
    a ``chair`` (the mediator, when shuttle talks turn direct) hears every exchange."""
    parties = table.principals
    standing, endorsed = opening, ({proposer} if proposer else set())
    start = (parties.index(proposer) + 1) % len(parties) if proposer in parties else 0
    turn_order = parties[start:] + parties[:start]
    others = {
        party: (*(p for p in parties if p != party), *((chair,) if chair else ()))
        for party in parties
    }
    to_open = {party: f"{party}: put a package on the table" for party in parties}
    to_answer = {party: f"{party}: answer the package on the table" for party in parties}
    number = first_round
    while number <= table.deadline:
        if not (yield from table.open_round(number)):
            return
        table.set_phase("direct")
        for party in turn_order:
            if standing is None:
                action = yield table.ask(
                    party,
                    Question.PROPOSE,
                    OPEN,
                    others[party],
                    to_open[party],
                )
            else:
                action = yield table.ask(
                    party,
                    Question.REVIEW,
                    REVIEW,
                    others[party],
                    to_answer[party],
                    offer=standing,
                )
            if action.kind == Kind.WALK_AWAY:
                table.end("walk-away", f"{party} walked away", by=party)
                return
            if action.kind in PROPOSING:
                standing, endorsed = action.outcome, {party}
            elif action.kind == Kind.REJECT:
                standing, endorsed = None, set()
            else:
                endorsed.add(party)
                if standing is not None and endorsed >= set(parties) and table.conclude(standing):
                    return
        number += 1


DIRECT = Protocol("direct", direct, mediated=False, summary="alternating offers, face to face")
