"""The errors the room answers requests with: each carries its HTTP status.

RoomError (ParleyError)   400
├── UnauthorizedError     401  no token
├── ForbiddenError        403  a token that opens no seat here, or the wrong seat
├── NotFoundError         404  no such session
├── ConflictError         409  not now (not this seat's turn, talks not running, ...)
├── InvalidError          422  a body the engine or the scenario format refuses
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


class ConflictError(RoomError):
    status = 409


class InvalidError(RoomError):
    status = 422


class UnavailableError(RoomError):
    status = 503
