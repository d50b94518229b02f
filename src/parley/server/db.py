"""The room's database: sessions, seats and every answer, committed before it is acknowledged.

A session is stored as what rebuilds it: the scenario document (TOML, with any profile edited
before the start), the settings, the seed, the seats (tokens hashed) and every answer in turn
order, built-in seats' answers included. The engine is a pure function of those, so replaying
the answers gives back the session exactly (``rooms.Room.load``).

SQLite (the default) runs in WAL mode with ``synchronous=FULL``: a commit is on disk when it
returns. PostgreSQL is reached through psycopg 3 (``postgresql://`` URLs are normalised).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Connection,
    Engine,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    create_engine,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import StaticPool

from parley.engine.messages import Action, Kind
from parley.errors import DatabaseError
from parley.server.commits import GroupCommit

AFTER_END, DURING = "after-end", "during"
"""When the facilitator may see the principals' profiles: once the talks end, or throughout."""
ARCHIVED = "archived"
"""The status of a session left without activity past the expiry: kept, no longer served."""


class Base(DeclarativeBase):
    pass


class SessionRow(Base):
    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    scenario_toml: Mapped[str] = mapped_column(Text)
    settings_json: Mapped[str] = mapped_column(Text)
    seed: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), index=True)
    facilitator_hash: Mapped[str] = mapped_column(String(64))


class SeatRow(Base):
    __tablename__ = "seats"

    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), primary_key=True)
    party: Mapped[str] = mapped_column(Text, primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    strategy_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    ready: Mapped[bool] = mapped_column(Boolean, default=False)


class ActivityRow(Base):
    """What the room adds to a session: when it last changed and who may see profiles. A table
    of its own, so that databases written before it only gain a table (``create_all``)."""

    __tablename__ = "session_activity"

    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), primary_key=True)
    touched_at: Mapped[float] = mapped_column(Float)
    facilitator_profiles: Mapped[str] = mapped_column(String(16), default=AFTER_END)


class EndingRow(Base):
    """The facilitator's end of the talks: its reason, replayed as the engine's END message
    after the answers (``rooms.Room._rebuild``). A table of its own, as ``ActivityRow``."""

    __tablename__ = "session_endings"

    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), primary_key=True)
    reason: Mapped[str] = mapped_column(Text)


class AnswerRow(Base):
    __tablename__ = "answers"

    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), primary_key=True)
    turn: Mapped[int] = mapped_column(Integer, primary_key=True)
    party: Mapped[str] = mapped_column(Text)
    action_json: Mapped[str] = mapped_column(Text)


class NoteRow(Base):
    """A principal's note to the mediator, written out of turn: replayed before the answer to
    ``before_turn`` (the ask pending when it was written), in ``seq`` order. A table of its own,
    as ``ActivityRow``: answers are keyed by their turn, and a note takes none."""

    __tablename__ = "session_notes"

    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    before_turn: Mapped[int] = mapped_column(Integer)
    party: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)


class InterjectionRow(Base):
    """What happened out of turn besides a principal's note: the mediator's word to one
    principal, an outside event the facilitator injected (the engine's action, as JSON).
    Replayed like notes, in ``seq`` order before the answer to ``before_turn``."""

    __tablename__ = "session_interjections"

    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    before_turn: Mapped[int] = mapped_column(Integer)
    party: Mapped[str] = mapped_column(Text)
    action_json: Mapped[str] = mapped_column(Text)


class TimerRow(Base):
    """A session's turn timer (seconds a person's turn may take), when it was given one."""

    __tablename__ = "session_timers"

    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), primary_key=True)
    turn_seconds: Mapped[int] = mapped_column(Integer)


@dataclass(frozen=True)
class SeatRecord:
    party: str
    kind: str
    strategy: dict[str, Any] | None
    token_hash: str | None
    ready: bool


@dataclass(frozen=True)
class Answer:
    turn: int
    party: str
    action: Action


@dataclass(frozen=True)
class Note:
    """A note out of turn: its place in the transcript, the turn pending when it was written."""

    seq: int
    before_turn: int
    party: str
    text: str


@dataclass(frozen=True)
class Interjection:
    """Something done out of turn (``Action`` of kind NOTE or EVENT), in its place."""

    seq: int
    before_turn: int
    party: str
    action: Action


@dataclass(frozen=True)
class SessionRecord:
    id: str
    scenario_toml: str
    settings: dict[str, Any]
    seed: int
    status: str
    facilitator_hash: str
    seats: tuple[SeatRecord, ...]
    answers: tuple[Answer, ...]
    touched_at: float = 0.0
    facilitator_profiles: str = AFTER_END
    end_reason: str | None = None
    """Why the facilitator ended the talks (None unless they did)."""
    notes: tuple[Note, ...] = ()
    """Notes to the mediator written out of turn, in ``seq`` order."""
    interjections: tuple[Interjection, ...] = ()
    """The mediator's words and injected events, out of turn, in ``seq`` order."""
    turn_seconds: int | None = None
    """The turn timer, if the session has one."""


_INSERT_ANSWERS = insert(AnswerRow)
"""Answers appended with one executemany (Core; a compiled statement reused from the cache)."""


def normalised_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3 (SQLAlchemy would pick psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def action_json(action: Action) -> str:
    return json.dumps(
        {
            "kind": action.kind,
            "outcome": None if action.outcome is None else [int(i) for i in action.outcome],
            "text": action.text,
            "statement": action.statement,
            "public": action.public,
            "data": dict(action.data),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def action_from_json(text: str) -> Action:
    obj = json.loads(text)
    outcome = obj["outcome"]
    return Action(
        kind=Kind(obj["kind"]),
        outcome=None if outcome is None else tuple(int(i) for i in outcome),
        text=str(obj["text"]),
        statement=str(obj["statement"]),
        public=bool(obj["public"]),
        data=dict(obj["data"]),
    )


class Store:
    """Every read and write the room makes; a write returns once it is committed (writes
    waiting at the same moment share one transaction: ``commits.GroupCommit``)."""

    def __init__(self, url: str) -> None:
        self.url = normalised_url(url)
        self.engine = _engine(self.url)
        self.commits = GroupCommit(self.engine)
        try:
            Base.metadata.create_all(self.engine)
            self._adopt_older_sessions()
        except SQLAlchemyError as exc:
            raise DatabaseError(
                f"{_safe(self.url)}: cannot open the database: {_why(exc)}"
            ) from None

    def _adopt_older_sessions(self) -> None:
        """Sessions stored before the activity table count as touched now."""
        with self.engine.begin() as db:
            known = select(ActivityRow.session_id)
            missing = db.scalars(select(SessionRow.id).where(SessionRow.id.not_in(known))).all()
            if missing:
                now = time.time()
                db.execute(
                    insert(ActivityRow),
                    [{"session_id": i, "touched_at": now, "facilitator_profiles": AFTER_END}
                     for i in missing],
                )

    def close(self) -> None:
        """Close pooled connections (an in-memory database keeps its one: it is the data)."""
        self.commits.stop()
        if not isinstance(self.engine.pool, StaticPool):
            self.engine.dispose()

    def _write(self, work: Callable[[Connection], None]) -> None:
        self.commits.write(work)

    # -- writes (each returns once committed) ----------------------------------------------

    def create(self, record: SessionRecord) -> None:
        session = {
            "id": record.id,
            "scenario_toml": record.scenario_toml,
            "settings_json": json.dumps(record.settings),
            "seed": record.seed,
            "status": record.status,
            "facilitator_hash": record.facilitator_hash,
        }
        seats = [
            {
                "session_id": record.id,
                "party": seat.party,
                "position": k,
                "kind": seat.kind,
                "strategy_json": None if seat.strategy is None else json.dumps(seat.strategy),
                "token_hash": seat.token_hash,
                "ready": seat.ready,
            }
            for k, seat in enumerate(record.seats)
        ]

        activity = {
            "session_id": record.id,
            "touched_at": record.touched_at or time.time(),
            "facilitator_profiles": record.facilitator_profiles,
        }

        timer = {"session_id": record.id, "turn_seconds": record.turn_seconds}

        def work(db: Connection) -> None:
            db.execute(insert(SessionRow), [session])  # first: seats and activity refer to it
            db.execute(insert(SeatRow), seats)
            db.execute(insert(ActivityRow), [activity])
            if record.turn_seconds is not None:
                db.execute(insert(TimerRow), [timer])

        self._write(work)

    def record(
        self,
        session_id: str,
        answers: Sequence[Answer],
        status: str | None = None,
        ready: str | None = None,
        touched: float | None = None,
    ) -> None:
        """Append answers, and optionally set the status, a seat's ready flag and the time of
        the last activity, at once."""
        rows = [
            {
                "session_id": session_id,
                "turn": a.turn,
                "party": a.party,
                "action_json": action_json(a.action),
            }
            for a in answers
        ]  # built here, in the caller's thread: the writer thread does only the statements

        def work(db: Connection) -> None:
            if rows:
                db.execute(_INSERT_ANSWERS, rows)
            if ready is not None:
                db.execute(
                    update(SeatRow)
                    .where(SeatRow.session_id == session_id, SeatRow.party == ready)
                    .values(ready=True)
                )
            if status is not None:
                db.execute(
                    update(SessionRow).where(SessionRow.id == session_id).values(status=status)
                )
            if touched is not None:
                db.execute(
                    update(ActivityRow)
                    .where(ActivityRow.session_id == session_id)
                    .values(touched_at=touched)
                )

        self._write(work)

    def end(self, session_id: str, reason: str) -> None:
        """The facilitator ended the talks: the reason and the status "ended", at once."""

        def work(db: Connection) -> None:
            db.execute(insert(EndingRow), [{"session_id": session_id, "reason": reason}])
            db.execute(update(SessionRow).where(SessionRow.id == session_id).values(status="ended"))

        self._write(work)

    def note(self, session_id: str, note: Note) -> None:
        """A principal's note to the mediator, written out of turn."""
        row = {
            "session_id": session_id,
            "seq": note.seq,
            "before_turn": note.before_turn,
            "party": note.party,
            "text": note.text,
        }

        def work(db: Connection) -> None:
            db.execute(insert(NoteRow), [row])

        self._write(work)

    def interject(self, session_id: str, done: Interjection, status: str | None) -> None:
        """Something done out of turn; ``status`` too when it changed (an injected
        cancellation ends the talks)."""
        row = {
            "session_id": session_id,
            "seq": done.seq,
            "before_turn": done.before_turn,
            "party": done.party,
            "action_json": action_json(done.action),
        }

        def work(db: Connection) -> None:
            db.execute(insert(InterjectionRow), [row])
            if status is not None:
                db.execute(
                    update(SessionRow).where(SessionRow.id == session_id).values(status=status)
                )

        self._write(work)

    def set_token(self, session_id: str, party: str, token_hash: str | None) -> None:
        """A seat's link re-issued (its new token's hash) or revoked (None)."""

        def work(db: Connection) -> None:
            db.execute(
                update(SeatRow)
                .where(SeatRow.session_id == session_id, SeatRow.party == party)
                .values(token_hash=token_hash)
            )

        self._write(work)

    def archive_idle(self, before: float) -> int:
        """Archive every unfinished session untouched since ``before``; returns how many."""
        idle = select(ActivityRow.session_id).where(ActivityRow.touched_at < before)
        count = 0

        def work(db: Connection) -> None:
            nonlocal count
            result = db.execute(
                update(SessionRow)
                .where(SessionRow.status.not_in(("ended", ARCHIVED)), SessionRow.id.in_(idle))
                .values(status=ARCHIVED)
            )
            count = result.rowcount

        self._write(work)
        return count

    def set_scenario(self, session_id: str, scenario_toml: str) -> None:
        def work(db: Connection) -> None:
            db.execute(
                update(SessionRow)
                .where(SessionRow.id == session_id)
                .values(scenario_toml=scenario_toml)
            )

        self._write(work)

    # -- reads -----------------------------------------------------------------------------

    def load(self, session_id: str) -> SessionRecord | None:
        with Session(self.engine) as db:
            row = db.get(SessionRow, session_id)
            if row is None:
                return None
            seats = db.scalars(
                select(SeatRow).where(SeatRow.session_id == session_id).order_by(SeatRow.position)
            ).all()
            answers = db.scalars(
                select(AnswerRow).where(AnswerRow.session_id == session_id).order_by(AnswerRow.turn)
            ).all()
            notes = db.scalars(
                select(NoteRow).where(NoteRow.session_id == session_id).order_by(NoteRow.seq)
            ).all()
            interjections = db.scalars(
                select(InterjectionRow)
                .where(InterjectionRow.session_id == session_id)
                .order_by(InterjectionRow.seq)
            ).all()
            activity = db.get(ActivityRow, session_id)
            ending = db.get(EndingRow, session_id)
            timer = db.get(TimerRow, session_id)
            return SessionRecord(
                id=row.id,
                scenario_toml=row.scenario_toml,
                settings=json.loads(row.settings_json),
                seed=row.seed,
                status=row.status,
                facilitator_hash=row.facilitator_hash,
                seats=tuple(
                    SeatRecord(
                        s.party,
                        s.kind,
                        None if s.strategy_json is None else json.loads(s.strategy_json),
                        s.token_hash,
                        s.ready,
                    )
                    for s in seats
                ),
                answers=tuple(
                    Answer(a.turn, a.party, action_from_json(a.action_json)) for a in answers
                ),
                **_activity(activity),
                end_reason=None if ending is None else ending.reason,
                notes=tuple(Note(n.seq, n.before_turn, n.party, n.text) for n in notes),
                interjections=tuple(
                    Interjection(i.seq, i.before_turn, i.party, action_from_json(i.action_json))
                    for i in interjections
                ),
                turn_seconds=None if timer is None else timer.turn_seconds,
            )

    def unfinished(self) -> list[str]:
        """Ids of sessions neither ended nor archived (rebuilt in memory at start-up)."""
        with Session(self.engine) as db:
            done = ("ended", ARCHIVED)
            return list(db.scalars(select(SessionRow.id).where(SessionRow.status.not_in(done))))


def _activity(row: ActivityRow | None) -> dict[str, Any]:
    if row is None:  # written by a server that predates the table, and not yet adopted
        return {"touched_at": time.time(), "facilitator_profiles": AFTER_END}
    return {"touched_at": row.touched_at, "facilitator_profiles": row.facilitator_profiles}


def _engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(
            f"{url!r} is not a database URL; expected sqlite:///FILE or postgresql://..."
        ) from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseError(
            f"{_safe(url)}: unsupported database {backend!r}; expected sqlite:///FILE or "
            "postgresql://USER@HOST/DB"
        )
    try:
        if backend == "sqlite":
            return _sqlite(url, parsed.database)
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise DatabaseError(f"{_safe(url)}: {exc}") from None


def _sqlite(url: str, database: str | None) -> Engine:
    memory = database in (None, "", ":memory:")
    options: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
    if memory:  # one shared connection: each new in-memory connection would be empty
        options["poolclass"] = StaticPool
    engine = create_engine(url, **options)

    @event.listens_for(engine, "connect")
    def _pragmas(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # a commit is on disk when it returns
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _why(exc: SQLAlchemyError) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
