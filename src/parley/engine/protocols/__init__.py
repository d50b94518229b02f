"""Protocols by name. Each file defines one ``Protocol`` record; adding one is a file plus a line
in ``PROTOCOLS``. Whether a protocol seats the mediator is said here, once (``mediated``)."""

from __future__ import annotations

from parley.engine.protocols.base import Protocol
from parley.engine.protocols.direct import DIRECT
from parley.engine.protocols.shuttle import SHUTTLE
from parley.engine.protocols.single_text import SINGLE_TEXT
from parley.errors import UnknownNameError

PROTOCOLS: dict[str, Protocol] = {p.name: p for p in (DIRECT, SHUTTLE, SINGLE_TEXT)}
NAMES = tuple(PROTOCOLS)
MEDIATED = frozenset(name for name, p in PROTOCOLS.items() if p.mediated)


def protocol(name: str) -> Protocol:
    """The protocol registered as ``name``."""
    found = PROTOCOLS.get(name)
    if found is None:
        raise UnknownNameError("protocol", name, PROTOCOLS)
    return found


__all__ = ["MEDIATED", "NAMES", "PROTOCOLS", "Protocol", "protocol"]
