"""What the scheduler (``runner``) and a backend (local processes, Ray) say to each other:
the events a backend reports, the pool a backend offers, and how a failure is written down."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol


@dataclass(frozen=True)
class Event:
    """What a backend saw happen to worker ``slot``.

    ``ready``: it can take a batch. ``started``: the batch sent to it began (its first job's
    deadline counts from here, not from a worker's start-up). ``done``: the next job of its
    batch finished. ``died``: it is gone, with whatever it had not finished. ``broken``: it
    could not start (nor run anything it was sent).
    """

    kind: Literal["ready", "started", "done", "died", "broken"]
    slot: int
    ok: bool = True
    payload: Any = None
    """The job's value (done, ok), its failure text (done, not ok) or why the worker died."""


class Pool(Protocol):
    def start(self) -> int:
        """Start a worker; return its slot number (it reports ``ready`` when it can take jobs)."""

    def send(self, slot: int, jobs: list[Any]) -> None:
        """Give idle worker ``slot`` a batch, which it runs in order."""

    def events(self, timeout: float) -> list[Event]:
        """Events that happened, waiting at most ``timeout`` seconds for the first one."""

    def kill(self, slot: int) -> None:
        """Stop worker ``slot`` at once, whatever it is doing; it reports nothing more."""

    def close(self) -> None: ...


def describe(exc: BaseException) -> str:
    """How a failure is recorded: the exception's type and message on one line."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
