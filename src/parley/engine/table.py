"""What a protocol may do with a session: the kernel's interface, as a structural type.

Protocols are written against ``Table`` rather than the ``Session`` class, so the kernel can
look protocols up by name without the two importing each other.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Sequence
from typing import Protocol

from parley.engine.messages import Action, Ask, Kind, Message, Outcome, Question
from parley.engine.script import Phase

Flow = Generator[Ask, Action, None]
"""A running protocol: yields questions (``answer = yield table.ask(...)``), receives answers."""
Opening = Generator[Ask, Action, bool]
"""A round's opening: events, then the third parties' and spoilers' turns; False if the talks
ended."""


class Rules(Protocol):
    """The parts of ``Settings`` protocols read."""

    @property
    def escalate_gap(self) -> float | None: ...

    @property
    def escalate_after(self) -> int | None: ...

    @property
    def confide(self) -> bool: ...

    @property
    def script(self) -> tuple[Phase, ...]: ...

    @property
    def questions(self) -> int: ...


class Table(Protocol):
    @property
    def settings(self) -> Rules: ...

    principals: tuple[str, ...]
    mediator: str | None
    round: int
    phase: str
    deadline: int
    transcript: list[Message]
    standing: dict[str, Outcome]

    def ask(
        self,
        party: str,
        question: Question,
        allowed: Iterable[Kind],
        to: Sequence[str],
        prompt: str,
        *,
        offer: Outcome | None = None,
        previous: Outcome | None = None,
        about: str | None = None,
        public: bool = False,
        covers: tuple[int, ...] | None = None,
    ) -> Ask: ...

    def open_round(self, number: int) -> Opening: ...

    def set_phase(self, phase: str, text: str = "") -> None: ...

    def utility(self, party: str, outcome: Outcome) -> float: ...

    def conclude(self, outcome: Outcome) -> bool: ...

    def end(self, ended: str, reason: str, by: str | None = None) -> None: ...

    def done_talking(self) -> bool: ...

    def covered(self, ids: object) -> tuple[int, ...] | None: ...

    def bind(self, by: str, framework: Outcome, covers: tuple[int, ...]) -> None: ...

    def with_bound(self, package: Outcome) -> Outcome: ...

    def turn_direct(self, number: int) -> None: ...
