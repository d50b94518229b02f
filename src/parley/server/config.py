"""How one room server runs: ``parley serve``'s options, in one record.

The defaults suit the app embedded in a test or a program (anyone on this machine may open
sessions); ``parley serve`` sets an operator key unless told ``--open``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RoomConfig:
    public_url: str = "http://localhost:8000"
    """Where people reach the room: every link handed out starts with it (never with the
    request's Host header, which the client chooses)."""
    operator_key: str | None = None
    """Needed (``Authorization: Bearer``) to create sessions and import scenarios; None: open."""
    creations_per_minute: int = 30
    """Sessions one client may create per minute (0: no limit)."""
    imports_per_minute: int = 20
    """Scenario uploads one client may have read per minute (0: no limit)."""
    expire_days: float = 30.0
    """Days without activity after which an unfinished session is archived: kept in the
    database, no longer served or rebuilt at start-up."""
