"""The session kernel: a protocol generator, a transcript, the seats, and the rules every answer
must obey.

A protocol is a generator that yields ``Ask``s and receives the checked ``Action``s. The kernel
never waits on anyone: ``pending`` says who must act and what they may do, and ``submit``
takes the answer whenever it comes (at once from a built-in strategy, hours later from a
person). The kernel checks turn order, legality, red lines and reservation values; records
every answer as messages; fires the scenario's outside events; gives seated third parties,
spoilers and advisers their turns; and keeps each seat's view.

A session is a pure function of (scenario, settings, seed, answers): replaying the answers of
a transcript rebuilds it exactly.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import NamedTuple

import numpy as np

from parley.engine.messages import (
    ENGINE,
    NO_DATA,
    WORLD,
    Action,
    Ask,
    Kind,
    Message,
    Outcome,
    Question,
)
from parley.engine.protocols import protocol
from parley.engine.protocols.outside import framework_turns, spoiler_turns
from parley.engine.rules import can_exist, checked
from parley.engine.seats import Seat
from parley.engine.settings import Settings
from parley.engine.table import Flow, Opening
from parley.engine.view import NOTHING_CONFIDED, View
from parley.errors import IllegalActionError, SessionEndedError, UnknownPartyError
from parley.preferences import Preferences, RedLine
from parley.scenario import Scenario
from parley.scenario.events import Event

Listener = Callable[[Message], None]
ENDED = "The talks ended: {}."
"""The END message's text, around the reason."""
Data = Mapping[str, str | float | int | bool]
SIGNING = frozenset({Kind.ACCEPT, Kind.ENDORSE})
"""Answers a seat may give only to a package it may sign (withheld from its question if not)."""
ADVISED = frozenset({Question.REVIEW, Question.ENDORSE})
"""Questions before which a principal's seated advisers are asked."""
ADVISING = frozenset({Kind.ADVISE})
ADJOURNING = frozenset({Kind.ADJOURN, Kind.WALK_AWAY})
OWN_TEXT = frozenset({Kind.DRAFT, Kind.REFRAME})
"""A mediator's answers that are its own text (bound items are written into them)."""
STANDING = frozenset({Kind.PROPOSE, Kind.COUNTER, Kind.ACCEPT})
"""Answers that make a package the principal's standing position."""


@dataclass(frozen=True)
class Result:
    """How a session ended."""

    agreement: Outcome | None
    ended: str
    reason: str
    ended_by: str | None
    rounds: int
    seed: int
    parties: tuple[str, ...]
    utilities: tuple[float, ...] | None
    settled: tuple[int | None, ...] = ()
    """Per issue, the option agreed so far (None: still open): the whole package after a deal;
    after an adjournment the issues on which every principal's standing position meets, and
    items bound by an endorsed framework; empty after a breakdown."""
    bound: tuple[Binding, ...] = ()
    """The frameworks every principal endorsed, in order: their items bind the agreement."""
    direct_from: int | None = None
    """The round from which the talks were direct (escalation), if they turned direct."""

    @property
    def direct_rounds(self) -> int:
        return 0 if self.direct_from is None else max(0, self.rounds - self.direct_from + 1)

    @property
    def open_issues(self) -> tuple[int, ...]:
        return tuple(j for j, option in enumerate(self.settled) if option is None)


class Binding(NamedTuple):
    """A framework every principal endorsed: ``items`` (issue column, option) bind the deal."""

    by: str
    round: int
    items: tuple[tuple[int, int], ...]


class Session:
    """One negotiation in progress."""

    def __init__(self, scenario: Scenario, settings: Settings, seed: int) -> None:
        rules = protocol(settings.protocol)
        self.scenario = scenario
        self.settings = settings
        self.seed = seed
        self.space = scenario.space
        self.principals: tuple[str, ...] = settings.order
        self.mediator: str | None = settings.mediator if rules.mediated else None
        self.transcript: list[Message] = []
        self.round = 0
        self.phase = ""
        self.deadline = settings.rounds
        self.agreement: Outcome | None = None
        self.ended: str | None = None
        self.reason = ""
        self.ended_by: str | None = None
        self.pending: Ask | None = None
        self.listeners: list[Listener] = []
        self._turns = 0
        self.direct_from: int | None = None
        self.bindings: list[Binding] = []
        self.bound: dict[int, int] = {}
        """Items of endorsed frameworks: issue column -> option."""
        self.standing: dict[str, Outcome] = {}
        """Each principal's standing position: what it last proposed, countered or accepted."""
        self._opened = False
        self.seats: dict[str, Seat] = {
            p.name: Seat(
                p.name,
                p.role,
                p.preferences,
                p.preferences.reservation if p.preferences is not None else 0.0,
                p.advises,
            )
            for p in scenario.parties
        }
        seated = set(settings.seated)
        self._outside = {
            role: tuple(s.name for s in self.seats.values() if s.role == role and s.name in seated)
            for role in ("third-party", "spoiler", "adviser")
        }
        self._advisers = {
            name: tuple(a for a in self._outside["adviser"] if self.seats[a].advises == name)
            for name in self.seats
        }
        # Who receives what a party sends or is sent: itself and its seated advisers.
        self._delegation = {
            name: (seat, *(self.seats[a] for a in self._advisers[name]))
            for name, seat in self.seats.items()
        }
        self._audiences: dict[tuple[str, tuple[str, ...]], list[Seat]] = {}
        self._in_agenda: set[Outcome] = set()
        self._all = tuple(self.seats.values())
        # Advisers' questions wait here, asked before the principal's (held meanwhile).
        self._queue: deque[Ask] = deque()
        self._held: Ask | None = None
        # The outside events' own stream (made only when some event is random).
        self._events_rng = (
            np.random.default_rng(np.random.SeedSequence([seed, 0]))
            if any(e.probability is not None for e in scenario.timeline)
            else None
        )
        self._flow: Flow = self._close(rules.run(self))
        self._advance(None)

    # -- the loop a driver runs ------------------------------------------------------------

    @property
    def done(self) -> bool:
        return self.pending is None

    def submit(self, party: str, action: Action) -> None:
        """Take ``party``'s answer to the pending ask (checked, recorded, then acted on)."""
        ask = self.pending
        if ask is None or party != ask.party:
            self._not_yours(party)
        assert ask is not None
        if action.kind == Kind.FRAMEWORK:
            self.covered(action.data.get("covers"))  # unknown issues are refused here
        action = checked(ask, action, self.seats[party], self.space, self._in_agenda)
        action = self.taken(ask, action)
        self._record(ask, action)
        if action.kind == Kind.CONFIDE:
            self.seats[party].confided = True
        self._advance(action)

    def note(self, party: str, text: str, to: str | None = None) -> Message:
        """A word out of turn, under a mediated protocol: a principal's to the mediator, or the
        mediator's to one principal (``to``); under any protocol, a seated adviser's to its own
        principal. Seen by the writer, the one it is written to and their advisers; it takes no
        turn and changes nothing pending."""
        if self.pending is None:
            raise SessionEndedError(f"the session has ended ({self.reason})")
        seat = self._seat(party)
        if seat.role == "adviser" and seat.advises is not None and to in (None, seat.advises):
            if party not in self._advisers[seat.advises]:
                raise IllegalActionError(f"{party} is not seated in {seat.advises}'s delegation")
            if not text.strip():
                raise IllegalActionError(f"{party}'s word out of turn is empty")
            return self.post(party, (seat.advises,), Kind.NOTE, text=text)
        if self.mediator is None:
            raise IllegalActionError(
                f"{party} may not write out of turn: there is no mediator under the "
                f"{self.settings.protocol} protocol"
            )
        if party == self.mediator:
            if to not in self.principals:
                raise IllegalActionError(
                    f"the mediator writes out of turn to one principal "
                    f"({', '.join(self.principals)}), not {to!r}"
                )
            recipient = to
        elif seat.role == "principal" and to in (None, self.mediator):
            recipient = self.mediator
        else:
            raise IllegalActionError(
                f"{party} may not write out of turn: only principals may, to the mediator, "
                f"and the mediator to a principal"
            )
        if not text.strip():
            raise IllegalActionError(f"{party}'s word out of turn is empty")
        return self.post(party, (recipient,), Kind.NOTE, text=text)

    def inject(self, event: Event) -> list[Message]:
        """An outside event put into the talks now, out of turn (the room's facilitator, a
        white cell): applied as a scheduled event is, in the current round, and marked
        ``injected``; returns its messages. A cancellation ends the talks."""
        if self.pending is None:
            raise SessionEndedError(f"the session has ended ({self.reason})")
        for name in (event.party, event.by):
            if name is not None:
                self._seat(name)
        if event.draft is not None:
            can_exist(event.party or WORLD, event.draft, self.space)
        start = len(self.transcript)
        if not self._apply(event, injected=True):
            self.pending = None
        return self.transcript[start:]

    def reservation(self, party: str) -> float:
        """``party``'s current reservation value (for the referee; never shown to others)."""
        return self._seat(party).reservation

    @property
    def confided(self) -> Mapping[str, Preferences]:
        """The profiles principals have confided to the mediator so far, each with the
        reservation value in force now (outside events move it after it was confided)."""
        return MappingProxyType(
            {
                s.name: profile
                for s in self.seats.values()
                if s.confided and (profile := s.profile()) is not None
            }
        )

    def view(self, party: str) -> View:
        """What ``party`` may know now: its own preferences and the messages it has seen (the
        seat's own growing list: a view is made every turn, so it copies nothing)."""
        seat = self._seat(party)
        confided = self.confided if party == self.mediator and self._confiding() else None
        return View(  # in View's field order
            party,
            seat.role,
            self.space,
            self.principals,
            self.mediator,
            self.settings.protocol,
            seat.preferences,
            seat.reservation,
            seat.window,
            seat.positions,
            seat.carried,
            self.round,
            self.deadline,
            confided or NOTHING_CONFIDED,
            seat.advises,
            self.settings.hazards,
            self.settings.elapsed,
            self.settings.horizon,
            self.settings.clock,
        )

    def result(self) -> Result:
        if self.ended is None:
            raise SessionEndedError("the session has not ended yet")
        utilities = None
        settled: tuple[int | None, ...] = ()
        if self.agreement is not None:
            utilities = tuple(self.utility(p, self.agreement) for p in self.principals)
            settled = self.agreement
        elif self.ended == "adjourned":
            settled = self.settled()
        return Result(
            agreement=self.agreement,
            ended=self.ended,
            reason=self.reason,
            ended_by=self.ended_by,
            rounds=self.round,
            seed=self.seed,
            parties=self.principals,
            utilities=utilities,
            settled=settled,
            bound=tuple(self.bindings),
            direct_from=self.direct_from,
        )

    def settled(self) -> tuple[int | None, ...]:
        """Per issue, the option every principal's standing position takes (or an endorsed
        framework binds); None where they differ or someone has stated no position."""
        positions = [self.standing.get(p) for p in self.principals]
        agreed: list[int | None] = []
        for column in range(len(self.space.sizes)):
            options = {None if pos is None else pos[column] for pos in positions}
            option = options.pop() if len(options) == 1 else None
            agreed.append(self.bound.get(column, option))
        return tuple(agreed)

    # -- what protocols call (``table.Table``) ---------------------------------------------

    def ask(
        self,
        party: str,
        question: Question,
        allowed: Iterable[Kind],
        to: Sequence[str],
        prompt: str,
        *,
        offer: Outcome | None = None,
        previous: Outcome | None = None,
        about: str | None = None,
        public: bool = False,
        covers: tuple[int, ...] | None = None,
    ) -> Ask:
        """The question ``party`` must answer next (a protocol yields it and receives the
        answer), with ``allowed`` narrowed to what is legal for the seat now. When a package
        reaches a principal whose advisers are seated, they are asked first: the kernel puts
        their questions before this one."""
        if self._outside["adviser"] and offer is not None and question in ADVISED:
            for adviser in self._advisers[party]:
                self._turns += 1
                advice = f"{adviser} advises {party} on the package before it"
                self._queue.append(
                    Ask(
                        self._turns,
                        adviser,
                        Question.ADVISE,
                        ADVISING,
                        (party,),
                        advice,
                        offer,
                        None,
                        about,
                        covers=covers,  # the adviser weighs what its principal would bind
                    )
                )
        legal = allowed if isinstance(allowed, frozenset) else frozenset(allowed)
        seat = self.seats[party]
        if (
            offer is not None
            and covers is None
            and not legal.isdisjoint(SIGNING)
            and seat.role == "principal"
            and not seat.acceptable(offer)
        ):
            legal -= SIGNING
        self._turns += 1
        audience = () if public else tuple(to)  # a public answer is addressed to everyone
        return Ask(
            self._turns,
            party,
            question,
            legal,
            audience,
            prompt,
            offer,
            previous,
            about,
            public,
            covers,
        )

    def open_round(self, number: int) -> Opening:
        """Start round ``number``: fire its outside events, then give seated third parties and
        spoilers their turns. False if the talks ended on the way."""
        self.round = number
        self.phase = ""  # what opens a round belongs to no caucus
        if not self._opened:  # before the first round: standing conditions, carried positions
            self._opened = True
            self.round, self.phase = 0, "standing"
            for event in self.scenario.timeline:
                if event.standing and not self._apply(event):
                    return False
            self._carry_positions()
            self.round, self.phase = number, ""
        elif self.settings.briefings and self.mediator is not None:
            self._brief()
        for event in self.scenario.timeline:
            # Draw for every random event every round, so the stream never depends on history.
            draw = None
            if event.probability is not None:
                assert self._events_rng is not None  # made when some event is random
                draw = float(self._events_rng.random())
                if not self.settings.hazards:
                    continue  # drawn all the same: the stream never depends on the flag
            if event.fires(number, draw) and not self._apply(event):
                return False
        if not (yield from framework_turns(self, self._outside["third-party"])):
            return False
        return (yield from spoiler_turns(self, self._outside["spoiler"]))

    def bind(self, by: str, framework: Outcome, covers: tuple[int, ...]) -> None:
        """Every principal endorsed ``by``'s framework: its items on the issues it ``covers``
        bind the agreement. Each principal's seat gains a red line for each item (a package
        departing from it can no longer be signed), and the items enter every mediator draft."""
        items = tuple((column, framework[column]) for column in covers)
        self.bindings.append(Binding(by, self.round, items))
        self.bound.update(items)
        issues = self.space.issues
        lines = tuple(
            RedLine(
                f"{issues[column].id} is bound by {by}'s endorsed framework",
                ((column, frozenset(range(self.space.sizes[column])) - {option}),),
            )
            for column, option in items
        )
        for name in self.principals:
            seat = self.seats[name]
            if seat.preferences is not None:
                seat.rebind(replace(seat.preferences, red_lines=seat.preferences.red_lines + lines))
        listed = ", ".join(str(self.space.issues[c].value_of(o)) for c, o in items)
        self.post(
            ENGINE,
            (),
            Kind.EVENT,
            outcome=framework,
            text=f"Every principal endorsed {by}'s framework: {listed} now bind the agreement.",
            public=True,
            data={
                "event": "bound",
                "by": by,
                "items": listed,
                "issues": ",".join(issues[c].id for c, _ in items),
            },
        )

    def covered(self, ids: object) -> tuple[int, ...] | None:
        """The columns of the issues a framework covers (``"H,I"``); None for every issue."""
        if ids is None or ids == "":
            return None
        names = [name.strip() for name in str(ids).split(",") if name.strip()]
        index = {issue.id: column for column, issue in enumerate(self.space.issues)}
        unknown = [name for name in names if name not in index]
        if unknown:
            raise IllegalActionError(
                f"a framework covers issues by id ({', '.join(index)}), not {', '.join(unknown)}"
            )
        columns = tuple(sorted({index[name] for name in names}))
        return None if len(columns) == len(index) else columns

    def taken(self, ask: Ask, action: Action) -> Action:
        """``action`` as the session takes it: a mediator's own text (a draft or a reframing,
        not a relayed position) carries the endorsed frameworks' items (``with_bound``)."""
        if (
            self.bound
            and ask.party == self.mediator
            and action.kind in OWN_TEXT
            and action.outcome is not None
        ):
            outcome = self.with_bound(action.outcome)
            can_exist(ask.party, outcome, self.space)  # the items written in may break one
            return action._replace(outcome=outcome)
        return action

    def with_bound(self, package: Outcome) -> Outcome:
        """``package`` with the endorsed frameworks' items written in (a mediator's draft)."""
        if not self.bound or all(package[c] == o for c, o in self.bound.items()):
            return package
        return tuple(self.bound.get(c, option) for c, option in enumerate(package))

    def turn_direct(self, number: int) -> None:
        """From round ``number`` the principals meet face to face (the mediator chairing)."""
        self.direct_from = number
        self.set_phase("direct", "Positions have come close: the talks turn direct.")

    def set_phase(self, phase: str, text: str = "") -> None:
        self.phase = phase
        if text:
            self.post(ENGINE, (), Kind.PHASE, text=text, public=True)

    def post(
        self,
        sender: str,
        to: Sequence[str],
        kind: Kind,
        *,
        outcome: Outcome | None = None,
        text: str = "",
        public: bool = False,
        turn: int | None = None,
        data: Data | None = None,
    ) -> Message:
        return self._deliver(
            Message(  # in Message's field order
                len(self.transcript),
                self.round,
                self.phase,
                sender,
                tuple(to),
                kind,
                outcome,
                text,
                public,
                turn,
                dict(data) if data else NO_DATA,
            )
        )

    def _deliver(self, message: Message) -> Message:
        """Append ``message`` to the transcript and hand it to every seat that may see it."""
        self.transcript.append(message)
        if message.public:
            for seat in self._all:
                seat.receive(message)
        else:
            for seat in self._audience(message.sender, message.to):
                seat.receive(message)
        for listener in self.listeners:
            listener(message)
        return message

    def utility(self, party: str, outcome: Outcome) -> float:
        """The referee's reading of ``party``'s utility (for protocol rules; never shown)."""
        return self._seat(party).worth(outcome)

    def conclude(self, outcome: Outcome) -> bool:
        """Declare agreement on ``outcome`` if every principal can accept it now."""
        if not all(self.seats[p].acceptable(outcome) for p in self.principals):
            return False
        self.agreement = outcome
        self.post(
            ENGINE,
            (),
            Kind.AGREEMENT,
            outcome=outcome,
            public=True,
            text="Agreement: every principal accepts this package.",
        )
        self.end("agreement", "every principal accepted the same package")
        return True

    def halt(self, ended: str, reason: str) -> None:
        """End the talks from outside their flow (a facilitator ends them): the END message,
        and nothing pending any more."""
        self.end(ended, reason)
        self.pending = None

    def done_talking(self) -> bool:
        """Have the talks ended (a deal, a walk-out, a cancellation)?"""
        return self.ended is not None

    def end(self, ended: str, reason: str, by: str | None = None) -> None:
        if self.ended is not None:
            return
        self.ended, self.reason, self.ended_by = ended, reason, by
        self.post(
            ENGINE,
            (),
            Kind.END,
            text=ENDED.format(reason),
            public=True,
            data={"ended": ended, **({"by": by} if by else {})},
        )

    # -- internals -------------------------------------------------------------------------

    def _confiding(self) -> bool:
        return any(seat.confided for seat in self._all)

    def _audience(self, sender: str, to: tuple[str, ...]) -> list[Seat]:
        """The seats a private message reaches: sender and recipients, with their advisers
        (the same few audiences recur all session: each is worked out once)."""
        key = (sender, to)
        audience = self._audiences.get(key)
        if audience is None:
            audience = []
            for name in (sender, *to):
                for seat in self._delegation.get(name, ()):
                    if seat not in audience:
                        audience.append(seat)
            self._audiences[key] = audience
        return audience

    def _seat(self, party: str) -> Seat:
        seat = self.seats.get(party)
        if seat is None:
            raise UnknownPartyError(party, self.seats)
        return seat

    def _not_yours(self, party: str) -> None:
        """Why ``party`` may not answer now: the talks ended, or it is someone else's turn."""
        if self.pending is None:
            raise SessionEndedError(f"the session has ended ({self.reason})")
        raise IllegalActionError(f"it is {self.pending.party}'s turn, not {party}'s")

    def _advance(self, action: Action | None) -> None:
        if self._held is not None:  # an adviser answered: the next adviser, or the principal
            if self._queue:
                self.pending = self._queue.popleft()
            else:
                self.pending, self._held = self._held, None
            return
        try:
            ask = next(self._flow) if action is None else self._flow.send(action)
        except StopIteration:
            self.pending = None
            if self.ended is None:
                self.end(
                    "deadline", f"the deadline of {self.deadline} rounds passed without agreement"
                )
            return
        if self._queue:
            self._held, self.pending = ask, self._queue.popleft()
        else:
            self.pending = ask

    def _close(self, flow: Flow) -> Flow:
        """The protocol's flow, then, at a deadline without a deal under ``at_deadline =
        "adjourn"``, each principal's answer: adjourn (meet again) or walk away."""
        yield from flow
        if self.ended is not None or self.settings.at_deadline != "adjourn":
            return
        self.set_phase("adjournment")
        for party in self.principals:
            others = tuple(p for p in self.principals if p != party)
            answer = yield self.ask(
                party,
                Question.ADJOURN,
                ADJOURNING,
                (self.mediator,) if self.mediator else others,
                f"The deadline has come without a deal: does {party} agree to meet again?",
            )
            if answer.kind == Kind.WALK_AWAY:
                self.end("walk-away", f"{party} walked away at the deadline", by=party)
                return
        settled = self.settled()
        agreed = sum(option is not None for option in settled)
        self.end(
            "adjourned",
            f"the principals agreed to meet again ({agreed} of {len(settled)} issues agreed "
            f"so far, {len(settled) - agreed} open)",
        )

    def _carry_positions(self) -> None:
        """Standing positions from an earlier session: each principal's stands again, told
        to the mediator (or, in direct talks, to the others) as where it left off."""
        for party, package in self.settings.opening.items():
            to = (self.mediator,) if self.mediator else tuple(
                p for p in self.principals if p != party
            )
            self.post(party, to, Kind.PROPOSE, outcome=package,
                      text="Our standing position from the last session.",
                      data={"carried": True})
            self.standing[party] = package

    def _brief(self) -> None:
        """The mediator's word to the press between rounds: where the positions meet."""
        settled = self.settled()
        issues = self.space.issues
        met = [f"{issues[c].id}={issues[c].value_of(o)}" for c, o in enumerate(settled)
               if o is not None]
        text = (
            f"the positions meet on {', '.join(met)}; {len(settled) - len(met)} issue(s) remain "
            "open."
            if met
            else "the talks go on; no issue is settled yet."
        )
        assert self.mediator is not None  # briefings belong to mediated talks
        self.post(self.mediator, (), Kind.EVENT, text=text, public=True,
                  data={"event": "briefing", "agreed": ",".join(met)})

    def _record(self, ask: Ask, action: Action) -> None:
        if (
            action.kind in STANDING
            and action.outcome is not None
            and ask.covers is None
            and self.seats[ask.party].role == "principal"
        ):
            self.standing[ask.party] = action.outcome
        data = dict(action.data) if action.data else NO_DATA
        self._deliver(  # the answer, as a message: in Message's field order
            Message(
                len(self.transcript),
                self.round,
                self.phase,
                ask.party,
                ask.to,
                action.kind,
                action.outcome,
                action.text,
                ask.public,
                ask.turn,
                data,
            )
        )
        if action.statement:
            to = () if action.public else ask.to
            self.post(
                ask.party,
                to,
                Kind.STATEMENT,
                text=action.statement,
                public=action.public or ask.public,
                turn=ask.turn,
            )

    def _apply(self, event: Event, *, injected: bool = False) -> bool:
        data: dict[str, str | float | int | bool] = {"event": event.kind}
        if event.party:
            data["party"] = event.party
        if event.standing:
            data["standing"] = True
        if injected:  # what a replay needs to apply it again (a shift's delta goes privately)
            data["injected"] = True
            if event.rounds is not None:
                data["rounds"] = event.rounds
            if event.by is not None:
                data["by"] = event.by
        # The named party acts in a draft or a cancellation; a pressure shift merely befalls it;
        # a request to hold off is the ally's act.
        sender = event.party if event.party and event.kind in {"table-draft", "cancel"} else WORLD
        if event.kind == "phase":
            self.post(ENGINE, (), Kind.PHASE, text=event.title, public=True, data=data)
            return True
        if event.kind == "table-draft":
            assert event.draft is not None
            self.post(
                sender,
                (),
                Kind.DRAFT,
                outcome=event.draft,
                text=event.title,
                public=True,
                data=data,
            )
            return True
        if event.kind == "restrain":
            assert event.by is not None
            assert event.party is not None
            data["by"] = event.by
            # Done outside the talks (no word at the table): sent by the world, naming the ally.
            self.post(
                WORLD, (event.party,), Kind.EVENT, text=event.title, public=True, data=data
            )
            return True
        self.post(sender, (), Kind.EVENT, text=event.title, public=True, data=data)
        if event.kind == "shift-reservation" and event.party in self.seats:
            assert event.delta is not None
            self._shift(event.party, event.delta, injected=injected)
        elif event.kind == "move-deadline":
            assert event.rounds is not None
            before, self.deadline = self.deadline, max(self.round, self.deadline + event.rounds)
            self.post(
                ENGINE,
                (),
                Kind.EVENT,
                text=f"The deadline moves from round {before} to round {self.deadline}.",
                public=True,
                data={"effect": "deadline", "from": before, "to": self.deadline},
            )
        elif event.kind == "cancel":
            self.end("cancelled", f"{event.title}", by=event.party)
            return False
        return True

    def _shift(self, party: str, delta: float, *, injected: bool = False) -> None:
        """Move ``party``'s reservation, and tell it alone (and its advisers) what moved: a
        reservation value is private (so an injected shift's delta, which a replay needs, is
        told here, not in the public event)."""
        seat = self.seats[party]
        before = seat.reservation
        seat.shift(delta)
        data: dict[str, str | float | int | bool] = {
            "effect": "reservation", "party": party, "from": before, "to": seat.reservation
        }
        if injected:
            data["delta"] = delta
        self.post(
            WORLD,
            (party,),
            Kind.EVENT,
            text=f"{party}'s reservation value moves from {before:.2f} to {seat.reservation:.2f}.",
            data=data,
        )
