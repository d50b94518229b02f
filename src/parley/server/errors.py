"""The errors the room answers requests with: each carries its HTTP status.

RoomError (ParleyError)   400
├── UnauthorizedError     401  no token
├── ForbiddenError        403  a token that opens no seat here, or the wrong seat
├── NotFoundError         404  no such session
├── SlowBodyError         408  a body that did not arrive within the time limit
├── ConflictError         409  not now (not this seat's turn, talks not running, ...)
├── GoneError             410  a session archived after its time without activity
├── TooLargeError         413  a body over the size limit
├── InvalidError          422  a body the engine or the scenario format refuses
├── TooManyError          429  over this client's rate limit (``retry_after`` seconds)
└── UnavailableError      503  the database did not answer; nothing was acknowledged
"""

from __future__ import annotations

from parley.errors import ParleyError


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
