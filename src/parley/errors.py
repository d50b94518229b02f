"""Every error Parley raises on purpose.

    ParleyError                    base; the CLI prints str(error) on one line and exits 2
    ├── ScenarioError              a scenario file or document is wrong (file, field, value, fix)
    ├── UnknownNameError           a registry lookup failed (lists the known names)
    │   └── UnknownPartyError      no party of that name sits in the session
    ├── StrategyError              a strategy cannot be built: bad parameter, wrong role or
    │                              protocol, a plug-in that fails to load
    ├── UsageError                 an option or setting is out of range or names nothing
    ├── FileError                  a file or folder the user named cannot be read or written
    ├── ParallelError              workers cannot run: Ray missing or unreachable, workers
    │                              that fail to start
    ├── AnalysisError              an analysis cannot be made as asked (too large, ...)
    │   └── FoldError              the exact linear fold does not apply to these preferences
    ├── EngineError                a session was driven against its rules
    │   ├── IllegalActionError     an answer that is not legal for this seat now
    │   ├── SessionEndedError      a session asked for what it does not have (ended / not yet)
    │   ├── StrategyFailedError    a seat's strategy raised instead of answering
    │   └── ReplayError            recorded answers do not fit the session they should rebuild
    ├── DatabaseError              the room's database URL is wrong, or it cannot be reached
    └── RoomError                  a request the room refuses; ``status`` is its HTTP status
        ├── UnauthorizedError      401  no token
        ├── ForbiddenError         403  a token that opens no seat here, or the wrong seat
        ├── NotFoundError          404  no such session
        ├── SlowBodyError          408  a body that did not arrive within the time limit
        ├── ConflictError          409  not now (not this seat's turn, talks not running, ...)
        ├── GoneError              410  a session archived after its time without activity
        ├── TooLargeError          413  a body over the size limit
        ├── InvalidError           422  a body the engine or the scenario format refuses
        │   └── TooSlowError       422  an input too costly to read within its time limit
        ├── TooManyError           429  over this client's rate limit (``retry_after`` s)
        └── UnavailableError       503  the database did not answer; nothing acknowledged

Messages are written for the person who has to fix the input: they say where, what was
found and what was expected, and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches
from typing import Any


class ParleyError(Exception):
    """Base class for every error Parley raises deliberately."""


class ScenarioError(ParleyError):
    """A scenario file (or an in-memory document) is invalid. ``field`` is empty when the
    file as a whole is wrong (missing, unreadable)."""

    def __init__(
        self,
        source: str,
        field: str,
        problem: str,
        *,
        value: Any = None,
        expected: str | None = None,
    ) -> None:
        self.source = source
        self.field = field
        self.problem = problem
        self.value = value
        self.expected = expected
        parts = [f"{source}: {field}: {problem}" if field else f"{source}: {problem}"]
        if value is not None:
            parts.append(f"got {_short(value)}")
        if expected:
            parts.append(f"expected {expected}")
        super().__init__("; ".join(parts))


class UnknownNameError(ParleyError, KeyError):
    """A name that no registry knows; the message suggests the closest known one. ``where``
    (a seat, an option) opens the message when the name alone would not say whose it is."""

    def __init__(self, kind: str, name: str, known: Iterable[str], *, where: str = "") -> None:
        self.kind = kind
        self.name = name
        self.known = sorted(known)
        self.where = where
        message = f"unknown {kind} {name!r}{did_you_mean(name, self.known)}; known: " + (
            ", ".join(self.known) or "(none)"
        )
        super().__init__(f"{where}: {message}" if where else message)

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0])


class UnknownPartyError(UnknownNameError):
    """A party name that no seat of the session holds."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        super().__init__("party", name, known)


class StrategyError(ParleyError):
    """A strategy cannot be built as asked (a parameter out of range, a strategy for another
    role or protocol, a plug-in that does not load). Raised before any session starts."""


class UsageError(ParleyError):
    """A command-line option or a setting (of a tournament, a forecast) is out of range, or
    names something that does not exist. The message names the option and the bad value."""


class FileError(ParleyError):
    """A file or folder the user named cannot be read, written or understood (a transcript to
    write, a plot, a tournament's rows). The message names the path."""


class ParallelError(ParleyError):
    """Workers cannot run: Ray is not installed or cannot be reached, or the worker processes
    fail to start."""


class AnalysisError(ParleyError):
    """The analysis cannot be made as asked: the space is too large to scan, a principal has no
    preferences, an outcome is not in the agenda."""


class FoldError(AnalysisError):
    """The exact linear fold does not apply (preferences not linear-additive, reservations that
    cut the space, a frontier too long to fold): ``analyze`` then scans instead."""


class EngineError(ParleyError):
    """A session was driven against its protocol's rules."""


class IllegalActionError(EngineError):
    """A participant answered with an action it was not allowed to take."""


class SessionEndedError(EngineError):
    """The session has ended (so nothing more can be answered), or has not (no result yet)."""


class StrategyFailedError(EngineError):
    """A seat's strategy raised instead of answering (the original error is its cause)."""

    def __init__(self, party: str, turn: int, exc: BaseException) -> None:
        self.party, self.turn = party, turn
        super().__init__(f"{party}'s strategy failed at turn {turn}: {type(exc).__name__}: {exc}")


class ReplayError(EngineError):
    """Recorded answers do not rebuild the session: another scenario, settings or strategy."""


class DatabaseError(ParleyError):
    """The database URL is wrong, or the database cannot be reached or written."""


class RoomError(ParleyError):
    """A request the room refuses; ``status`` is the HTTP status it answers with."""

    status = 400


class UnauthorizedError(RoomError):
    status = 401


class ForbiddenError(RoomError):
    status = 403


class NotFoundError(RoomError):
    status = 404


class SlowBodyError(RoomError):
    status = 408


class ConflictError(RoomError):
    status = 409


class GoneError(RoomError):
    status = 410


class TooLargeError(RoomError):
    status = 413


class InvalidError(RoomError):
    status = 422


class TooManyError(RoomError):
    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class UnavailableError(RoomError):
    status = 503


class TooSlowError(InvalidError):
    """Reading an input did not finish within its time limit (it is too costly to read)."""


def did_you_mean(name: object, known: Iterable[str]) -> str:
    """`` (did you mean X?)`` for the known name closest to ``name`` (case aside), or ``""``
    when none is close; for a message about a misspelled name."""
    by_lower = {str(k).lower(): str(k) for k in known}
    close = get_close_matches(str(name).lower(), list(by_lower), n=1, cutoff=0.6)
    return f" (did you mean {by_lower[close[0]]}?)" if close else ""


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
