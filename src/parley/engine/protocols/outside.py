"""The turns of seats outside the principals' exchange, taken at the opening of every round.

Under every protocol, once a round's outside events have fired:

- each seated **third party** may table (or revise) a framework text in public, or pass; when
  it tables one, every principal is asked to endorse it or decline (answers to the third party
  alone). A framework may cover some issues only (``data["covers"]``, issue ids): when every
  principal endorses it, its items bind the agreement (``Table.bind``); a framework covering
  every issue that every principal endorses is the agreement.
- each seated **spoiler** watches what is public and holds off, threatens (in public), or
  strikes, which cancels the talks.

Seats without a strategy or a person (``Settings.seated``) take no turn, so scenarios that
keep their third parties and spoilers on the timeline run as before.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence

from parley.engine.messages import Action, Ask, Kind, Question
from parley.engine.table import Table

Turns = Generator[Ask, Action, bool]


def framework_turns(table: Table, third_parties: Sequence[str]) -> Turns:
    for party in third_parties:
        action = yield table.ask(
            party,
            Question.INTERVENE,
            (Kind.FRAMEWORK, Kind.PASS),
            (),
            f"{party} may table or revise a framework text",
            public=True,
        )
        if action.kind != Kind.FRAMEWORK or action.outcome is None:
            continue
        covers = table.covered(action.data.get("covers"))
        endorsed = set()
        for principal in table.principals:
            reply = yield table.ask(
                principal,
                Question.ENDORSE,
                (Kind.ENDORSE, Kind.DECLINE),
                (party,),
                f"{party} asks {principal} to endorse its framework",
                offer=action.outcome,
                about=party,
                covers=covers,
            )
            if reply.kind == Kind.ENDORSE:
                endorsed.add(principal)
        if endorsed < set(table.principals):
            continue
        if covers is None:
            if table.conclude(action.outcome):
                return False
        else:
            table.bind(party, action.outcome, covers)
    return True


def spoiler_turns(table: Table, spoilers: Sequence[str]) -> Turns:
    for party in spoilers:
        action = yield table.ask(
            party,
            Question.WATCH,
            (Kind.PASS, Kind.THREATEN, Kind.STRIKE),
            (),
            f"{party} watches the talks",
            public=True,
        )
        if action.kind == Kind.STRIKE:
            reason = action.text or f"{party} strikes"
            table.end("cancelled", reason.rstrip("."), by=party)
            return False
    return True
