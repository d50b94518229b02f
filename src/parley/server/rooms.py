"""Live sessions in memory: one ``Room`` per session, rebuilt from the database when needed.

A room holds the engine's ``Session``, the built-in strategies of the seats people do not hold,
and the WebSocket subscribers. Every change runs under the room's lock in the same order: check,
let the engine take the answer, let built-in seats answer until a person must act, commit all of
it in one transaction, and only then acknowledge and push the new views. If the commit fails the
room is dropped from memory, so the next request rebuilds it from what was committed.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from parley.engine import Session, Settings, StrategySpec
from parley.engine.drive import Answer as Recorded
from parley.engine.drive import drive, injected_action
from parley.engine.messages import WORLD, Action, Kind, Message
from parley.engine.transcript import dumps as transcript_dumps
from parley.engine.transcript import line, message_json
from parley.errors import (
    ConflictError,
    EngineError,
    ForbiddenError,
    GoneError,
    InvalidError,
    NotFoundError,
    ParleyError,
    UnauthorizedError,
    UnavailableError,
)
from parley.scenario import Scenario, dumps, from_data, loads
from parley.scenario.events import Event
from parley.scenario.schema import EventDoc
from parley.server import inputs, tokens, views
from parley.server.db import (
    AFTER_END,
    ARCHIVED,
    Answer,
    Interjection,
    Note,
    SessionRecord,
    Store,
)
from parley.server.schemas import ActionIn, InjectIn, ProfileIn
from parley.strategies import Strategy, seating

TOUCH_EVERY = 3600.0
"""Seconds between two records of a room's activity (the expiry counts in days)."""
FACILITATOR = ""
"""Who the facilitator is: the empty name, which no party can have (names are non-empty)."""
Who = str  # a seat's party name, or FACILITATOR
ENDED_BY_FACILITATOR = "ended-by-facilitator"
"""How talks the facilitator ended have ended (the END message's ``data["ended"]``)."""
PAUSED = "the facilitator has paused the talks; wait until they resume them"
REVOKED = 4403
LINK_REVOKED = "this link was revoked by the facilitator; ask them for a new one"
"""Close code of a seat's sockets when its link is revoked or re-issued (the pages stop)."""


@dataclass
class Seat:
    party: str
    role: str
    kind: Literal["person", "strategy"]
    strategy: StrategySpec | None
    token_hash: str | None
    ready: bool = False
    connected: int = 0


@dataclass(eq=False)
class Subscriber:
    """A WebSocket listening to a room; ``push`` must be safe to call from any thread."""

    who: Who
    push: Callable[[dict[str, Any]], None]
    last: Hashable = None
    close: Callable[[int, str], None] | None = None
    """Close the socket with a code and a reason (a revoked link); safe from any thread."""
    revoked: bool = False
    """Its link was revoked or re-issued: it may no longer act."""


@dataclass
class Room:
    hub: Hub
    id: str
    scenario: Scenario
    settings: Settings
    seed: int
    status: str
    facilitator_hash: str
    seats: dict[str, Seat]
    session: Session = field(init=False)
    strategies: dict[str, Strategy] = field(init=False)
    subscribers: list[Subscriber] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock)
    version: int = 0
    stale: bool = False
    _agenda: list[dict[str, Any]] | None = None
    touched: float = 0.0
    """When the database last recorded activity here (``TOUCH_EVERY`` apart at most)."""
    facilitator_profiles: str = AFTER_END
    end_reason: str | None = None
    """Why the facilitator ended the talks (None unless they did); replayed by ``_rebuild``."""
    turn_seconds: int | None = None
    """The turn timer (None: none)."""
    clock: TurnClock = field(default_factory=lambda: TurnClock())

    # -- building ------------------------------------------------------------------------------

    @classmethod
    def load(cls, hub: Hub, record: SessionRecord) -> Room:
        """The room of a stored session, its answers replayed through the engine."""
        scenario = loads(record.scenario_toml, source=f"session {record.id}")
        settings = Settings.from_json(record.settings)
        seats = {}
        for s in record.seats:
            role = scenario.party(s.party).role
            spec = None if s.strategy is None else StrategySpec(**s.strategy)
            kind: Literal["person", "strategy"] = "person" if s.kind == "person" else "strategy"
            seats[s.party] = Seat(s.party, role, kind, spec, s.token_hash, s.ready)
        room = cls(
            hub,
            record.id,
            scenario,
            settings,
            record.seed,
            record.status,
            record.facilitator_hash,
            seats,
            touched=record.touched_at,
            facilitator_profiles=record.facilitator_profiles,
            end_reason=record.end_reason,
            turn_seconds=record.turn_seconds,
        )
        room._rebuild(record.answers, record.notes, record.interjections)
        if record.status == "paused":
            room.clock.pause()
        return room

    def _rebuild(
        self,
        answers: Iterable[Answer] = (),
        notes: Iterable[Note] = (),
        interjections: Iterable[Interjection] = (),
    ) -> None:
        """A fresh engine session with ``answers`` replayed (built-in seats asked again too,
        so that their internal state is what it was, as ``play.resume`` does), each note out of
        turn in its place: before the answer to the turn pending when it was written."""
        session = Session(self.scenario, self.settings, self.seed)
        strategies = seating.seat(self.scenario, self.settings, self.seed)
        recorded = _in_place(answers, notes, interjections)
        try:
            drive(session, strategies, recorded, go_on=False)
        except EngineError as exc:
            raise EngineError(f"session {self.id}: the stored answers do not fit: {exc}") from None
        if self.end_reason is not None:
            _halt(session, self.end_reason)
        self.session, self.strategies = session, strategies
        if session.done:
            self.status = "ended"

    @property
    def agenda(self) -> list[dict[str, Any]]:
        if self._agenda is None:
            self._agenda = views.agenda(self.scenario)
        return self._agenda

    # -- who is asking -------------------------------------------------------------------------

    def identify(self, token: str | None) -> Who:
        """The seat (or the facilitator) ``token`` opens; 401 without one, 403 if it opens none."""
        if not token:
            raise UnauthorizedError(
                "this request needs the seat's token (Authorization: Bearer ...)"
            )
        if tokens.matches(token, self.facilitator_hash):
            return FACILITATOR
        for seat in self.seats.values():
            if tokens.matches(token, seat.token_hash):
                return seat.party
        raise ForbiddenError(f"this token opens no seat of session {self.id}")

    def seat_of(self, token: str | None) -> str:
        who = self.identify(token)
        if who == FACILITATOR:
            raise ForbiddenError("this needs a seat's token, not the facilitator's")
        return who

    def facilitator(self, token: str | None) -> None:
        if self.identify(token) != FACILITATOR:
            raise ForbiddenError("only the facilitator may do this")

    @property
    def profiles_withheld(self) -> bool:
        """Does the facilitator's export leave the profiles out (as chosen at creation)?"""
        return self.facilitator_profiles == AFTER_END and self.status != "ended"

    def facilitator_messages(self) -> list[Message]:
        """The transcript as the facilitator may read it: while the profiles are withheld,
        without the messages that tell a party its reservation value moved (they carry the
        value, a part of its profile)."""
        messages = self.session.transcript
        if not self.profiles_withheld:
            return list(messages)
        return [m for m in messages if m.data.get("effect") != "reservation"]

    def timing(self) -> tuple[float, bool]:
        """Seconds the pending turn has waited (pauses left out), and whether it is overdue."""
        ask = self.session.pending
        self.clock.turn(None if ask is None else ask.turn)
        return self.clock.waited(), self.clock.overdue(self.turn_seconds)

    def view(self, party: str) -> dict[str, Any]:
        with self.lock:
            return views.seat_view(self, party)

    def status_json(self) -> dict[str, Any]:
        with self.lock:
            return views.status(self)

    # -- what seats and the facilitator do -------------------------------------------------------

    def start(self) -> None:
        with self.lock:
            self._check_fresh()
            if self.status != "waiting":
                raise ConflictError(f"the talks have already started (status {self.status})")
            self._begin(ready=None)

    def ready(self, party: str) -> None:
        with self.lock:
            self._check_fresh()
            seat = self.seats[party]
            if seat.ready:
                return
            everyone = all(s.ready or s.party == party for s in self.people())
            if self.status == "waiting" and everyone:
                seat.ready = True
                self._begin(ready=party)
                return
            self._commit([], ready=party)
            seat.ready = True
            self.version += 1
            self.notify()

    def pause(self, reason: str | None = None) -> None:
        """The facilitator pauses running talks: no seat acts and no built-in seat moves; the
        transcript says so, with the reason if one is given."""
        with self.lock:
            self._check_fresh()
            if self.status != "running":
                raise ConflictError(f"only running talks can be paused (status {self.status})")
            self.status = "paused"
            self._announce(_said("The facilitator paused the talks", reason), self.status)
            self.clock.pause()

    def resume(self, reason: str | None = None) -> None:
        """The facilitator resumes paused talks (built-in seats owed a turn take it now); the
        transcript says so, with the reason if one is given."""
        with self.lock:
            self._check_fresh()
            if self.status != "paused":
                raise ConflictError(f"only paused talks can be resumed (status {self.status})")
            self.status = "running"
            self._announce(_said("The facilitator resumed the talks", reason), None)
            self.clock.resume()
            self._commit(self._drive(), status=self.status)
            self.version += 1
            self.notify()

    def _announce(self, text: str, status: str | None) -> None:
        """A public note from the facilitator in the transcript (an injected ``note`` event,
        so it is replayed in its place), committed with ``status``."""
        event = Event(kind="note", title=text)
        seq, before = len(self.session.transcript), self._pending_turn()
        self.session.inject(event)
        done = Interjection(seq, before, WORLD, injected_action(event))
        self._persist(lambda: self.hub.store.interject(self.id, done, status))
        self.version += 1
        self.notify()

    def end(self, reason: str) -> None:
        """The facilitator ends the talks (waiting, running or paused) with ``reason``, which
        the transcript's END message gives."""
        with self.lock:
            self._check_fresh()
            if self.status == "ended":
                raise ConflictError("the talks have already ended")
            self.end_reason = reason
            _halt(self.session, reason)
            self.status = "ended"
            self._persist(lambda: self.hub.store.end(self.id, reason))
            self.version += 1
            self.notify()

    def _begin(self, ready: str | None) -> None:
        self.status = "running"
        answers = self._drive()
        self._commit(answers, status=self.status, ready=ready)
        self.version += 1
        self.notify()

    def act(self, party: str, body: ActionIn, via: Subscriber | None = None) -> tuple[int, int]:
        """Take ``party``'s answer; returns (turn, seq) once it is committed. ``via``: the
        socket it came over, refused once its link was revoked (checked under the lock, so no
        answer slips in between a revocation and the socket's close)."""
        with self.lock:
            self._check_fresh()
            if via is not None and via.revoked:
                raise ForbiddenError(LINK_REVOKED)
            ask = self.session.pending
            if self.status == "paused":
                raise ConflictError(PAUSED)
            if self.status != "running" or ask is None:
                raise ConflictError(f"the talks are not running (status {self.status})")
            if ask.party != party:
                raise ConflictError(f"it is not {party}'s turn")
            if body.turn != ask.turn:
                raise ConflictError(f"turn {body.turn} is not the pending turn ({ask.turn})")
            action = inputs.action(self.scenario.space, body)
            seq = len(self.session.transcript)
            try:
                self.session.submit(party, action)
            except EngineError as exc:
                raise InvalidError(str(exc)) from None
            answers = [Answer(ask.turn, party, action), *self._drive()]
            # It was running: the status row is written only if the talks have just ended.
            self._commit(answers, status=None if self.status == "running" else self.status)
            self.notify()
            return ask.turn, seq

    def note(self, party: str, text: str) -> int:
        """``party`` (a principal, in mediated talks) writes to the mediator out of turn, or
        (an adviser) to its own principal; takes no turn. Returns the note's seq once it is
        committed."""
        with self.lock:
            self._check_fresh()
            role = self.seats[party].role
            if role != "adviser" and (role != "principal" or self.session.mediator is None):
                raise ForbiddenError(
                    "only a principal writes to the mediator (in mediated talks), and an "
                    "adviser to its own principal"
                )
            ask = self.session.pending
            if self.status == "paused":
                raise ConflictError(PAUSED)
            if self.status != "running" or ask is None:
                raise ConflictError(f"the talks are not running (status {self.status})")
            try:
                seq = self.session.note(party, text).seq
            except EngineError as exc:
                raise InvalidError(str(exc)) from None
            note = Note(seq, ask.turn, party, text)
            self._persist(lambda: self.hub.store.note(self.id, note))
            self.notify()
            return seq

    def reply(self, party: str, to: str, text: str) -> int:
        """The mediator writes to one principal out of turn (mirror of ``note``); returns the
        message's seq once it is committed."""
        with self.lock:
            self._check_fresh()
            if party != self.session.mediator:
                raise ForbiddenError("only the mediator answers a side out of turn")
            self._check_running()
            if to not in self.session.principals:
                raise InvalidError(
                    f"to: {to!r} is not a principal; principals: "
                    f"{', '.join(self.session.principals)}"
                )
            before = self._pending_turn()
            try:
                message = self.session.note(party, text, to)
            except EngineError as exc:
                raise InvalidError(str(exc)) from None
            action = Action(Kind.NOTE, text=text, data={"to": to})
            self._interjected(Interjection(message.seq, before, party, action))
            return message.seq

    def inject(self, body: InjectIn) -> list[int]:
        """The facilitator puts an outside event into the talks now (running or paused);
        returns the seqs of its messages once committed."""
        with self.lock:
            self._check_fresh()
            if self.status not in ("running", "paused") or self.session.pending is None:
                raise ConflictError(
                    f"events go into running or paused talks (status {self.status})"
                )
            event = self._event(body)
            seq, before = len(self.session.transcript), self._pending_turn()
            try:
                messages = self.session.inject(event)
            except EngineError as exc:
                raise InvalidError(str(exc)) from None
            self._interjected(Interjection(seq, before, WORLD, injected_action(event)))
            return [m.seq for m in messages]

    def _event(self, body: InjectIn) -> Event:
        """The request's event, checked as a scenario file's timeline entry would be."""
        try:
            doc = EventDoc.model_validate(body.model_dump(exclude_none=True))
        except ValidationError as exc:
            why = exc.errors()[0]["msg"].removeprefix("Value error, ")
            raise InvalidError(f"event: {why}") from None
        for name in (doc.party, doc.by):
            if name is not None and name not in self.session.seats:
                known = ", ".join(self.session.seats)
                raise InvalidError(f"event: no party {name!r}; parties: {known}")
        draft = None if doc.draft is None else inputs.whole(self.scenario.space, doc.draft, "draft")
        return Event(doc.kind, doc.title, party=doc.party, by=doc.by, delta=doc.delta,
                     rounds=doc.rounds, draft=draft)

    def _pending_turn(self) -> int:
        ask = self.session.pending
        assert ask is not None  # checked by the caller: the talks run
        return ask.turn

    def _interjected(self, done: Interjection) -> None:
        """Commit what was done out of turn (and the end, if it ended the talks), then push."""
        status = None
        if self.session.done:  # an injected cancellation ended the talks
            self.status = status = "ended"
        self._persist(lambda: self.hub.store.interject(self.id, done, status))
        self.version += 1
        self.notify()

    def _check_running(self) -> None:
        if self.status == "paused":
            raise ConflictError(PAUSED)
        if self.status != "running" or self.session.pending is None:
            raise ConflictError(f"the talks are not running (status {self.status})")

    def answer_by_default(self, turn: int) -> tuple[int, int]:
        """The facilitator has the seat's built-in strategy (the scenario's for it) answer
        an overdue person's turn; returns (turn, seq) once committed."""
        with self.lock:
            self._check_fresh()
            self._check_running()
            ask = self.session.pending
            assert ask is not None
            if ask.turn != turn:
                raise ConflictError(f"turn {turn} is not the pending turn ({ask.turn})")
            seat = self.seats.get(ask.party)
            if seat is None or seat.kind != "person":
                raise ConflictError(f"{ask.party}'s seat is not a person's: it answers itself")
            if not self.clock.overdue(self.turn_seconds):
                raise ConflictError(
                    "only an overdue turn is answered for its seat (the session has no turn "
                    "timer, or the time is not up)"
                )
            if ask.party not in self.settings.strategies:
                raise ConflictError(f"{ask.party} has no built-in strategy to answer for it")
            everyone = dataclasses.replace(self.settings, people=())
            strategy = seating.seat(self.scenario, everyone, self.seed)[ask.party]
            seq = len(self.session.transcript)
            try:
                action = strategy.act(self.session.view(ask.party), ask)
                self.session.submit(ask.party, action)
            except Exception as exc:  # a strategy's failure is the request's answer, not a 500
                raise ConflictError(
                    f"{ask.party}'s built-in strategy could not answer: {exc}"
                ) from None
            answers = [Answer(ask.turn, ask.party, action), *self._drive()]
            self._commit(answers, status=None if self.status == "running" else self.status)
            self.notify()
            return ask.turn, seq

    # -- links -------------------------------------------------------------------------------

    def reissue(self, party: str) -> str:
        """A new link for ``party``'s person seat: the old one stops working at once (its
        sockets are closed). Returns the new token (shown this once)."""
        with self.lock:
            self._person_seat(party)
            token = tokens.new_token()
            self._set_token(party, tokens.hashed(token))
            return token

    def revoke(self, party: str) -> None:
        """``party``'s link stops working (401/403, its sockets closed) until re-issued."""
        with self.lock:
            self._person_seat(party)
            self._set_token(party, None)

    def _person_seat(self, party: str) -> Seat:
        self._check_fresh()
        seat = self.seats.get(party)
        if seat is None:
            raise NotFoundError(f"no seat {party!r} in session {self.id}; seats: "
                                f"{', '.join(self.seats)}")
        if seat.kind != "person":
            raise ConflictError(f"{party}'s seat is held by a strategy: it has no link")
        return seat

    def _set_token(self, party: str, token_hash: str | None) -> None:
        self._persist(lambda: self.hub.store.set_token(self.id, party, token_hash))
        self.seats[party].token_hash = token_hash
        for sub in [s for s in self.subscribers if s.who == party]:
            sub.revoked = True
            if sub.close is not None:
                sub.close(REVOKED, LINK_REVOKED)
        self.version += 1
        self.notify()

    def evaluate(self, party: str, package: Mapping[str, Any]) -> dict[str, Any]:
        with self.lock:
            prefs = self.scenario.party(party).preferences
            if prefs is None:
                raise ForbiddenError(f"{party} has no preferences to evaluate a package with")
            space = self.scenario.space
            chosen = {}
            for issue_id, value in package.items():
                chosen[inputs.position(space, issue_id)] = inputs.index(space, issue_id, value)
            return views.evaluation(space, prefs, self.session.reservation(party), chosen)

    def set_profile(self, party: str, body: ProfileIn) -> dict[str, Any]:
        with self.lock:
            self._check_fresh()
            doc = self.scenario.doc
            position, party_doc = next((k, p) for k, p in enumerate(doc.parties) if p.name == party)
            old = party_doc.preferences
            if old is None:
                raise ForbiddenError(f"{party} has no preference profile to edit")
            if self.status != "waiting":
                raise ConflictError("profiles can be edited only before the talks start")
            if old.kind != "linear-additive":
                raise ConflictError(
                    f"{party}'s profile is nonlinear and cannot be edited in the room"
                )
            data = doc.model_dump(mode="json", exclude_none=True)
            data["parties"][position]["preferences"] = inputs.profile_doc(self.scenario, old, body)
            scenario = from_data(data, source="profile")
            text = dumps(scenario.doc)
            self._persist(lambda: self.hub.store.set_scenario(self.id, text))
            self.scenario, self._agenda = scenario, None
            self._rebuild()
            self.version += 1
            self.notify()
            result = views.profile(scenario, party)
            assert result is not None
            return result

    def transcript(self, who: Who, fmt: str) -> str:
        with self.lock:
            space = self.scenario.space
            if who == FACILITATOR:
                messages = self.facilitator_messages()
                if fmt == "jsonl" and self.profiles_withheld:
                    return views.withheld_transcript(
                        self.scenario, self.settings, self.seed, messages
                    )
                if fmt == "jsonl":
                    return transcript_dumps(self.scenario, self.settings, self.seed, messages)
            else:
                messages = list(self.session.view(who).messages)
                if fmt == "jsonl":
                    return "".join(line(message_json(msg, space)) for msg in messages)
            return views.transcript_text(messages, space)

    # -- subscribers -----------------------------------------------------------------------------

    def subscribe(self, subscriber: Subscriber) -> None:
        with self.lock:
            self.subscribers.append(subscriber)
            if subscriber.who != FACILITATOR:
                self.seats[subscriber.who].connected += 1
            self.version += 1
            self.notify()

    def unsubscribe(self, subscriber: Subscriber) -> None:
        with self.lock:
            if subscriber in self.subscribers:
                self.subscribers.remove(subscriber)
                if subscriber.who != FACILITATOR:
                    self.seats[subscriber.who].connected -= 1
                self.version += 1
                self.notify()

    def notify(self) -> None:
        """Push a fresh view to every subscriber whose view changed (cheap test first)."""
        ask = self.session.pending
        self.clock.turn(None if ask is None else ask.turn)
        for sub in self.subscribers:
            mark = self._mark(sub.who)
            if mark == sub.last:
                continue
            sub.last = mark
            if sub.who == FACILITATOR:
                sub.push({"type": "status", "status": views.status(self)})
            else:
                sub.push({"type": "view", "view": views.seat_view(self, sub.who)})

    def _mark(self, who: Who) -> Hashable:
        """Changes whenever what ``who`` can see changes."""
        session = self.session
        ask = session.pending
        if who == FACILITATOR:
            turn = None if ask is None else ask.turn
            return (self.version, session.round, session.deadline, len(session.transcript), turn)
        mine = ask.turn if ask is not None and ask.party == who else None
        return (
            self.version,
            len(session.view(who).messages),
            mine,
            session.round,
            session.deadline,
            session.reservation(who),
            len(session.confided),
        )

    # -- helpers -----------------------------------------------------------------------------------

    def people(self) -> list[Seat]:
        return [s for s in self.seats.values() if s.kind == "person"]

    def _drive(self) -> list[Answer]:
        """Built-in seats answer until a person must act or the talks end."""
        if self.status != "running":
            return []
        given = drive(self.session, self.strategies)
        if self.session.done:
            self.status = "ended"
        return [Answer(a.turn, a.party, a.action) for a in given if a.turn is not None]

    def _commit(
        self, answers: list[Answer], status: str | None = None, ready: str | None = None
    ) -> None:
        now = time.time()
        touched = now if now - self.touched > TOUCH_EVERY else None  # not a write per answer
        self._persist(lambda: self.hub.store.record(self.id, answers, status, ready, touched))
        if touched is not None:
            self.touched = touched

    def _persist(self, write: Callable[[], None]) -> None:
        try:
            write()
        except SQLAlchemyError:
            # Memory may now be ahead of the database: forget it, rebuild from what was committed.
            self.stale = True
            self.hub.forget(self.id)
            raise UnavailableError("the database did not accept the change; try again") from None

    def _check_fresh(self) -> None:
        if self.stale:
            raise UnavailableError("this session is being reloaded; try again")


class Hub:
    """Every room of one app, loaded from the store on first use."""

    def __init__(self, store: Store, expire_days: float = 30.0) -> None:
        self.store = store
        self.expire_seconds = expire_days * 86_400
        self.rooms: dict[str, Room] = {}
        self._lock = threading.Lock()

    def room(self, session_id: str) -> Room:
        with self._lock:
            room = self.rooms.get(session_id)
        if room is not None:
            return room
        if not _plausible_id(session_id):
            raise NotFoundError(f"no session {session_id!r}")
        try:
            record = self.store.load(session_id)
        except SQLAlchemyError:
            raise UnavailableError("the database cannot be read just now; try again") from None
        if record is None:
            raise NotFoundError(f"no session {session_id!r}")
        if record.status == ARCHIVED:
            days = self.expire_seconds / 86_400
            raise GoneError(
                f"session {session_id} was archived after {days:g} days without activity"
            )
        room = Room.load(self, record)
        with room.lock:
            if room.status == "running" and room.session.pending is not None:
                answers = room._drive()  # built-in seats owe answers (e.g. after a crash)
                if answers or room.status == "ended":
                    room._commit(answers, status=room.status)
        with self._lock:
            return self.rooms.setdefault(session_id, room)

    def forget(self, session_id: str) -> None:
        with self._lock:
            self.rooms.pop(session_id, None)

    def load_unfinished(self) -> int:
        """Archive the sessions left idle past the expiry, then rebuild every session that has
        neither ended nor been archived (at start-up); returns how many. One that
        no longer loads (stored before a rule it breaks, such as the numeric bounds) is left
        out, so that the others start; asked for, it answers 422 with the reason."""
        self.store.archive_idle(time.time() - self.expire_seconds)
        loaded = 0
        for session_id in self.store.unfinished():
            try:
                self.room(session_id)
            except ParleyError:
                continue
            loaded += 1
        return loaded


def _in_place(
    answers: Iterable[Answer], notes: Iterable[Note], interjections: Iterable[Interjection] = ()
) -> list[Recorded]:
    """The answers in turn order, each thing done out of turn (a note, a mediator's word, an
    injected event) before the answer to the turn pending when it was done (in seq order;
    those done on the last pending turn come last)."""
    waiting = sorted(
        [(n.seq, n.before_turn, Recorded(None, n.party, Action(Kind.NOTE, text=n.text)))
         for n in notes]
        + [(i.seq, i.before_turn, Recorded(None, i.party, i.action)) for i in interjections],
        key=lambda item: item[0],
    )
    recorded: list[Recorded] = []
    for a in sorted(answers, key=lambda a: a.turn):
        while waiting and waiting[0][1] <= a.turn:
            recorded.append(waiting.pop(0)[2])
        recorded.append(Recorded(a.turn, a.party, a.action))
    recorded.extend(item[2] for item in waiting)
    return recorded


def _halt(session: Session, reason: str) -> None:
    """End ``session`` from outside its flow, as the facilitator does: the engine's END message
    with ``reason``, and nothing pending any more."""
    session.halt(ENDED_BY_FACILITATOR, reason.rstrip("."))


def _said(what: str, reason: str | None) -> str:
    return f"{what}: {reason.rstrip('.')}." if reason else f"{what}."


def _plausible_id(session_id: str) -> bool:
    return len(session_id) == 16 and all(c in "0123456789abcdef" for c in session_id)


@dataclass
class TurnClock:
    """How long the pending turn has waited, pauses left out: started when the room first sees
    a turn (after a restart, from then), stopped while the talks are paused."""

    current: int | None = None
    since: float = 0.0
    paused_at: float | None = None

    def turn(self, turn: int | None) -> None:
        if turn != self.current:
            self.current, self.since = turn, time.monotonic()
            if self.paused_at is not None:
                self.paused_at = self.since

    def pause(self) -> None:
        if self.paused_at is None:
            self.paused_at = time.monotonic()

    def resume(self) -> None:
        if self.paused_at is not None:
            self.since += time.monotonic() - self.paused_at
            self.paused_at = None

    def waited(self) -> float:
        if self.current is None:
            return 0.0
        return max(0.0, (self.paused_at or time.monotonic()) - self.since)

    def overdue(self, limit: int | None) -> bool:
        return limit is not None and self.current is not None and self.waited() > limit
