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
from dataclasses import dataclass
from types import MappingProxyType

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
from parley.engine.rules import checked
from parley.engine.seats import Seat
from parley.engine.settings import Settings
from parley.engine.table import Flow, Opening
from parley.engine.view import NOTHING_CONFIDED, View
from parley.errors import IllegalActionError, SessionEndedError, UnknownPartyError
from parley.preferences import Preferences
from parley.scenario import Scenario
from parley.scenario.events import Event

Listener = Callable[[Message], None]
Data = Mapping[str, str | float | int | bool]
SIGNING = frozenset({Kind.ACCEPT, Kind.ENDORSE})
"""Answers a seat may give only to a package it may sign (withheld from its question if not)."""
ADVISED = frozenset({Question.REVIEW, Question.ENDORSE})
"""Questions before which a principal's seated advisers are asked."""
ADVISING = frozenset({Kind.ADVISE})


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
        self._flow: Flow = rules.run(self)
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
        action = checked(ask, action, self.seats[party], self.space.sizes, self._in_agenda)
        self._record(ask, action)
        if action.kind == Kind.CONFIDE:
            self.seats[party].confided = True
        self._advance(action)

    def note(self, party: str, text: str) -> Message:
        """``party`` writes to the mediator out of turn: the note is queued for the mediator
        (and seen by the writer's advisers); it takes no turn and changes nothing pending."""
        if self.pending is None:
            raise SessionEndedError(f"the session has ended ({self.reason})")
        seat = self._seat(party)
        if seat.role != "principal" or self.mediator is None:
            raise IllegalActionError(
                f"{party} may not write to a mediator out of turn: only principals may, and "
                f"only under a mediated protocol"
            )
        if not text.strip():
            raise IllegalActionError(f"{party}'s note to the mediator is empty")
        return self.post(party, (self.mediator,), Kind.NOTE, text=text)

    def reservation(self, party: str) -> float:
        """``party``'s current reservation value (for the referee; never shown to others)."""
        return self._seat(party).reservation

    @property
    def confided(self) -> Mapping[str, Preferences]:
        """The profiles principals have confided to the mediator so far (for the referee)."""
        return MappingProxyType(
            {
                s.name: s.preferences
                for s in self.seats.values()
                if s.confided and s.preferences is not None
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
        )

    def result(self) -> Result:
        if self.ended is None:
            raise SessionEndedError("the session has not ended yet")
        utilities = None
        if self.agreement is not None:
            utilities = tuple(self.utility(p, self.agreement) for p in self.principals)
        return Result(
            agreement=self.agreement,
            ended=self.ended,
            reason=self.reason,
            ended_by=self.ended_by,
            rounds=self.round,
            seed=self.seed,
            parties=self.principals,
            utilities=utilities,
        )

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
                    )
                )
        legal = allowed if isinstance(allowed, frozenset) else frozenset(allowed)
        seat = self.seats[party]
        if (
            offer is not None
            and not legal.isdisjoint(SIGNING)
            and seat.role == "principal"
            and not seat.acceptable(offer)
        ):
            legal -= SIGNING
        self._turns += 1
        audience = () if public else tuple(to)  # a public answer is addressed to everyone
        return Ask(
            self._turns, party, question, legal, audience, prompt, offer, previous, about, public
        )

    def open_round(self, number: int) -> Opening:
        """Start round ``number``: fire its outside events, then give seated third parties and
        spoilers their turns. False if the talks ended on the way."""
        self.round = number
        self.phase = ""  # what opens a round belongs to no caucus
        for event in self.scenario.timeline:
            # Draw for every random event every round, so the stream never depends on history.
            draw = None
            if event.probability is not None:
                assert self._events_rng is not None  # made when some event is random
                draw = float(self._events_rng.random())
            if event.fires(number, draw) and not self._apply(event):
                return False
        if not (yield from framework_turns(self, self._outside["third-party"])):
            return False
        return (yield from spoiler_turns(self, self._outside["spoiler"]))

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

    def end(self, ended: str, reason: str, by: str | None = None) -> None:
        if self.ended is not None:
            return
        self.ended, self.reason, self.ended_by = ended, reason, by
        self.post(
            ENGINE,
            (),
            Kind.END,
            text=f"The talks ended: {reason}.",
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

    def _record(self, ask: Ask, action: Action) -> None:
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

    def _apply(self, event: Event) -> bool:
        data: dict[str, str | float | int | bool] = {"event": event.kind}
        if event.party:
            data["party"] = event.party
        # The named party acts in a draft or a cancellation; a pressure shift merely befalls it.
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
        self.post(sender, (), Kind.EVENT, text=event.title, public=True, data=data)
        if event.kind == "shift-reservation" and event.party in self.seats:
            assert event.delta is not None
            self.seats[event.party].shift(event.delta)
        elif event.kind == "move-deadline":
            assert event.rounds is not None
            self.deadline = max(self.round, self.deadline + event.rounds)
        elif event.kind == "cancel":
            self.end("cancelled", f"{event.title}", by=event.party)
            return False
        return True
