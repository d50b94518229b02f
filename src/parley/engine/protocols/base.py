"""The record every protocol registers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from parley.engine.table import Flow, Table


@dataclass(frozen=True)
class Protocol:
    name: str
    run: Callable[[Table], Flow]
    mediated: bool
    """Does the mediator hold a seat? (In a direct protocol it has none.)"""
    summary: str
    default_mediator: str | None = None
    scripted: bool = False
    """Does it follow a scenario's script (``protocol.script``)?"""
    """The mediator strategy (by name) a session falls back on when the scenario's own cannot
    run this protocol."""
