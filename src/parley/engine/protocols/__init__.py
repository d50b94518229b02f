"""Protocols by name. A protocol is a function ``(session) -> Flow``: a generator of asks."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from parley.errors import UnknownNameError

if TYPE_CHECKING:
    from parley.engine.session import Flow, Session

ProtocolFn = Callable[["Session"], "Flow"]


def _registry() -> dict[str, ProtocolFn]:
    from parley.engine.protocols.direct import direct
    from parley.engine.protocols.shuttle import shuttle
    from parley.engine.protocols.single_text import single_text

    return {"direct": direct, "shuttle": shuttle, "single-text": single_text}


NAMES = ("direct", "shuttle", "single-text")
MEDIATED = frozenset({"shuttle", "single-text"})


def protocol(name: str) -> ProtocolFn:
    """The protocol registered as ``name``."""
    registry = _registry()
    if name not in registry:
        raise UnknownNameError("protocol", name, registry)
    return registry[name]
