"""Direct talks: alternating offers among the principals (two or more).

Each round every principal acts once, in order. Facing no standing offer a party proposes;
facing one it accepts, counters, rejects it (leaving the table empty) or walks away. A standing
offer becomes the agreement once every other principal has accepted it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from parley.engine import messages as m
from parley.engine.messages import Outcome

if TYPE_CHECKING:
    from parley.engine.session import Flow, Session


def direct(session: Session) -> Flow:
    session.set_phase("direct", "The principals negotiate face to face.")
    yield from alternating_offers(session, first_round=1)


def alternating_offers(
    session: Session,
    first_round: int,
    opening: Outcome | None = None,
    proposer: str | None = None,
) -> Flow:
    """Alternating offers from ``first_round`` on, optionally continuing from an opening offer."""
    parties = session.principals
    standing, endorsed = opening, ({proposer} if proposer else set())
    start = (parties.index(proposer) + 1) % len(parties) if proposer in parties else 0
    turn_order = parties[start:] + parties[:start]
    number = first_round
    while number <= session.deadline:
        if not session.begin_round(number):
            return
        session.set_phase("direct")
        for party in turn_order:
            others = tuple(p for p in parties if p != party)
            if standing is None:
                allowed: tuple[str, ...] = (m.PROPOSE, m.WALK_AWAY)
                prompt = f"{party}: put a package on the table"
            else:
                allowed = (m.ACCEPT, m.COUNTER, m.REJECT, m.WALK_AWAY)
                prompt = f"{party}: answer the package on the table"
            action = yield session.ask(party, allowed, others, prompt, offer=standing)
            if action.kind == m.WALK_AWAY:
                session.end("walk-away", f"{party} walked away", by=party)
                return
            if action.kind in (m.PROPOSE, m.COUNTER):
                standing, endorsed = action.outcome, {party}
            elif action.kind == m.REJECT:
                standing, endorsed = None, set()
            else:
                endorsed.add(party)
                if standing is not None and endorsed >= set(parties) and session.conclude(standing):
                    return
        number += 1
