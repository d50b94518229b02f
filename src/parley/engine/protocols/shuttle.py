"""Shuttle diplomacy: the principals never address each other; the mediator meets each in turn.

A round is one cycle of caucuses in the scenario's order, unless the scenario scripts its
phases (``protocol.script``, ``engine.script``): then round k follows the k-th phase's steps,
and the default cycle resumes after the last phase. When the mediator holds confidences,
round 1 opens with each principal's invitation to confide (``protocols.confide``).

In the default cycle, the first delegation hands the mediator its proposal; in every later
caucus the mediator brings the delegation the package from the previous caucus (verbatim,
reframed, or as its own bridging draft) and the delegation accepts, rejects or counters it, or
walks away. Scripted steps are the same moves, named: a **caucus** hears one delegation's
position; a **carry** brings one delegation's standing position to another, who reviews it; a
**consultation** is a private word in which the mediator may float an idea of its own (the
delegation answers it) or listen (the delegation restates or revises its position); a **joint**
meeting seats every delegation in one room, each answering what is on the table.

With caucus questions on (``questions = k``), each caucus ends with up to k "what if...?"
questions: the mediator names a package, and the delegation says, to the mediator alone,
whether it is better, the same or worse than the package before it (the one it just answered,
then the previous question's). The engine asks them, so the limit holds whatever the mediator.

A proposal counts as its author's acceptance; a package accepted by every principal is the
agreement. After any round, the escalation rule can turn the talks direct when positions have
come close (or from a set round): the remaining rounds are alternating offers face to face,
the mediator chairing (it hears every exchange).
"""

from __future__ import annotations

from collections.abc import Mapping

from parley.engine.messages import ENDORSING, Action, Kind, Outcome, Question
from parley.engine.protocols.base import Protocol
from parley.engine.protocols.confide import confidences
from parley.engine.protocols.direct import alternating_offers
from parley.engine.script import Step
from parley.engine.table import Flow, Table

OPEN = frozenset({Kind.PROPOSE, Kind.WALK_AWAY})
CARRY = frozenset({Kind.RELAY, Kind.REFRAME, Kind.DRAFT})
REVIEW = frozenset({Kind.ACCEPT, Kind.REJECT, Kind.COUNTER, Kind.WALK_AWAY})
FLOAT = frozenset({Kind.DRAFT, Kind.PASS})
HEARD = frozenset({Kind.ACCEPT, Kind.REJECT, Kind.COUNTER})
RESTATE = frozenset({Kind.PROPOSE})
INQUIRE = frozenset({Kind.WHAT_IF, Kind.PASS})
COMPARE = frozenset({Kind.COMPARE})


class Shuttle:
    """The state of the talks between steps: positions, what is on the table, who accepted."""

    def __init__(self, table: Table, mediator: str) -> None:
        self.table = table
        self.mediator = mediator
        self.latest: dict[str, Outcome] = {}
        self.endorsed: dict[Outcome, set[str]] = {}
        self.on_table: Outcome | None = None
        self.source: str | None = None

    def resume(self, standing: Mapping[str, Outcome]) -> None:
        """Start from the standing positions carried from an earlier session: the last in
        the order is on the table, to be carried to the first."""
        self.latest.update(standing)
        for party in reversed(self.table.principals):
            if party in standing:
                self.on_table, self.source = standing[party], party
                return

    def step(self, step: Step) -> Flow:
        """One step; the talks may end on the way (``table.ended`` says so)."""
        if step.kind == "joint":
            yield from self.joint()
            return
        assert step.party is not None
        if step.kind == "visit":  # the default cycle's caucus
            yield from self.visit(step.party)
        elif step.kind == "caucus":
            yield from self.caucus(step.party)
        elif step.kind == "carry":
            assert step.to is not None
            yield from self.carry(step.party, step.to)
        elif step.kind == "consult":
            yield from self.consult(step.party)
        else:
            raise AssertionError(f"unknown step {step.kind!r}")

    def visit(self, party: str) -> Flow:
        """The default caucus: hear a first proposal, or bring what is on the table."""
        if self.on_table is None:
            yield from self.caucus(party)
        else:
            assert self.source is not None
            yield from self.carry(self.source, party, self.on_table)

    def caucus(self, party: str) -> Flow:
        table = self.table
        table.set_phase(f"caucus:{party}")
        action = yield table.ask(
            party, Question.PROPOSE, OPEN, (self.mediator,),
            f"{self.mediator} asks {party} for its proposal",
        )  # fmt: skip
        self.answered(party, action, action.outcome)
        yield from self.questions(party, action.outcome)

    def carry(self, source: str, party: str, package: Outcome | None = None) -> Flow:
        table = self.table
        if package is None:
            package = self.latest.get(source)
        if package is None:  # nothing stated yet: the mediator hears the source first
            yield from self.caucus(source)
            if table.done_talking():
                return
            package = self.latest.get(source)
        table.set_phase(f"caucus:{party}")
        carried = yield table.ask(
            self.mediator, Question.CARRY, CARRY, (party,),
            f"{self.mediator} carries {source}'s position to {party}",
            offer=package, about=source,
        )  # fmt: skip
        action = yield table.ask(
            party, Question.REVIEW, REVIEW, (self.mediator,),
            f"{self.mediator} brings {party} a package",
            offer=carried.outcome, about=source,
        )  # fmt: skip
        self.answered(party, action, carried.outcome)
        yield from self.questions(party, action.outcome or carried.outcome)

    def questions(self, party: str, reference: Outcome | None) -> Flow:
        """Up to ``questions`` what-if questions to ``party``, each compared with the package
        before it (first ``reference``, what it just answered); the mediator may stop early."""
        table = self.table
        for _ in range(table.settings.questions):
            if table.done_talking() or reference is None:
                return
            question = yield table.ask(
                self.mediator, Question.INQUIRE, INQUIRE, (party,),
                f"{self.mediator} may ask {party} what it would think of a package",
                offer=reference,
            )  # fmt: skip
            if question.kind != Kind.WHAT_IF or question.outcome is None:
                return
            yield table.ask(
                party, Question.WHAT_IF, COMPARE, (self.mediator,),
                f"{self.mediator} asks {party}: what if the package were this one?",
                offer=question.outcome, previous=reference, about=self.mediator,
            )  # fmt: skip
            reference = question.outcome

    def consult(self, party: str) -> Flow:
        table = self.table
        table.set_phase(f"consult:{party}")
        idea = yield table.ask(
            self.mediator, Question.CONSULT, FLOAT, (party,),
            f"{self.mediator} confers with {party} in private: float an idea, or listen",
            offer=self.on_table, about=self.source,
        )  # fmt: skip
        if idea.kind == Kind.DRAFT and idea.outcome is not None:
            action = yield table.ask(
                party, Question.REVIEW, HEARD, (self.mediator,),
                f"{self.mediator} sounds {party} out on an idea of its own",
                offer=idea.outcome, about=self.mediator,
            )  # fmt: skip
            self.answered(party, action, idea.outcome)
        else:
            action = yield table.ask(
                party, Question.PROPOSE, RESTATE, (self.mediator,),
                f"{party} tells {self.mediator} in confidence where it stands",
            )  # fmt: skip
            self.answered(party, action, action.outcome)

    def joint(self) -> Flow:
        table = self.table
        table.set_phase("joint")
        for party in table.principals:
            room = (*(p for p in table.principals if p != party), self.mediator)
            if self.on_table is None:
                action = yield table.ask(
                    party, Question.PROPOSE, OPEN, room,
                    f"{party} speaks in the joint meeting, {self.mediator} chairing",
                )  # fmt: skip
                package = action.outcome
            else:
                action = yield table.ask(
                    party, Question.REVIEW, REVIEW, room,
                    f"{party} answers the package on the table in the joint meeting",
                    offer=self.on_table, about=self.source,
                )  # fmt: skip
                package = self.on_table
            self.answered(party, action, package)
            if table.done_talking():
                return

    def answered(self, party: str, action: Action, package: Outcome | None) -> None:
        """What a delegation's answer does: ends the talks, states a position, accepts."""
        table = self.table
        if action.kind == Kind.WALK_AWAY:
            table.end("walk-away", f"{party} walked away", by=party)
            return
        if action.kind in (Kind.PROPOSE, Kind.COUNTER):
            assert action.outcome is not None
            self.latest[party] = package = action.outcome
        if action.kind in ENDORSING and package is not None:
            supporters = self.endorsed.setdefault(package, set())
            supporters.add(party)
            if supporters >= set(table.principals) and table.conclude(package):
                return
        if action.kind == Kind.REJECT:
            package = self.latest.get(party, package)
        self.on_table, self.source = package, party


def shuttle(table: Table) -> Flow:
    mediator = table.mediator
    assert mediator is not None  # Settings refuses a mediated protocol without one
    talks = Shuttle(table, mediator)
    script = table.settings.script
    number = 1
    while number <= table.deadline:
        if not (yield from table.open_round(number)):
            return
        if number == 1:
            yield from confidences(table)
            talks.resume(table.standing)
        if number <= len(script):
            phase = script[number - 1]
            table.set_phase("", phase.title)
            steps = phase.steps
        else:
            steps = tuple(Step("visit", party) for party in table.principals)
        for step in steps:
            yield from talks.step(step)
            if table.done_talking():
                return
        if number < table.deadline and _escalates(table, talks.latest, number):
            table.turn_direct(number + 1)
            yield from alternating_offers(
                table, number + 1, talks.on_table, talks.source, chair=mediator
            )
            return
        number += 1


def _escalates(table: Table, latest: dict[str, Outcome], number: int) -> bool:
    settings = table.settings
    if settings.escalate_after is not None and number >= settings.escalate_after:
        return True
    if settings.escalate_gap is None or len(latest) < len(table.principals):
        return False
    return _gap(table, latest) < settings.escalate_gap


def _gap(table: Table, latest: dict[str, Outcome]) -> float:
    """Largest loss any principal would take moving from its own position to another's."""
    return max(
        table.utility(p, latest[p]) - table.utility(p, latest[q])
        for p in table.principals
        for q in table.principals
    )


SHUTTLE = Protocol(
    "shuttle",
    shuttle,
    mediated=True,
    summary="the mediator meets each delegation in turn",
    default_mediator="relay",
    scripted=True,
)
