"""A seat at the table: one record per participant, holding everything the kernel keeps of it.

Every party holds a seat: principals, the mediator, third parties, spoilers and advisers. A
seat's preferences and what it has seen are its own; ``Session.view`` hands a seat only its
own record's contents.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import overload

from parley.engine.messages import CARRYING, PROPOSING, Message, Outcome
from parley.preferences import Preferences
from parley.scenario.schema import Role


class Seen(Sequence[Message]):
    """A read-only window on a seat's messages: it grows as the talks go on, and nothing
    handed it can change what the kernel keeps."""

    __slots__ = ("_messages",)

    def __init__(self, messages: list[Message]) -> None:
        self._messages = messages

    def __len__(self) -> int:
        return len(self._messages)

    @overload
    def __getitem__(self, index: int) -> Message: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Message]: ...

    def __getitem__(self, index: int | slice) -> Message | Sequence[Message]:
        return self._messages[index]

    def __iter__(self) -> Iterator[Message]:
        return iter(self._messages)

    def __reversed__(self) -> Iterator[Message]:
        return reversed(self._messages)


@dataclass(eq=False)
class Seat:
    """One participant's place in a session."""

    name: str
    role: Role
    preferences: Preferences | None
    reservation: float
    """The current reservation value: the profile's own, moved by outside events."""
    advises: str | None = None
    """For an adviser, the principal whose delegation it sits in."""
    seen: list[Message] = field(default_factory=list)
    latest: dict[str, Outcome] = field(default_factory=dict)
    """The latest package each sender proposed or countered with, as far as this seat saw."""
    carried: Outcome | None = None
    """The latest package carried, drafted or tabled that this seat saw."""
    confided: bool = False
    """Has this principal confided its profile to the mediator?"""
    window: Seen = field(init=False, repr=False)
    """``seen``, read-only (what views hand strategies)."""
    positions: Mapping[str, Outcome] = field(init=False, repr=False)
    """``latest``, read-only."""
    _worth: dict[Outcome, float] = field(default_factory=dict, repr=False)
    _objections: dict[Outcome, str] = field(default_factory=dict, repr=False)
    _profile: tuple[Preferences, Preferences] | None = field(default=None, repr=False)
    """Answers of ``objection`` at the current reservation (packages come back every round)."""

    def __post_init__(self) -> None:
        self.window = Seen(self.seen)
        self.positions = MappingProxyType(self.latest)

    def shift(self, delta: float) -> None:
        """Move the reservation (an outside event); what the seat may sign changes with it."""
        self.reservation += delta
        self._objections.clear()

    def rebind(self, preferences: Preferences) -> None:
        """New preferences for the seat (an endorsed framework added red lines): what it may
        sign changes; what packages are worth does not."""
        self.preferences = preferences
        self._objections.clear()

    def profile(self) -> Preferences | None:
        """The seat's preferences with its current reservation value (the same object while
        no outside event has moved it): what a confidence reveals."""
        prefs = self.preferences
        if prefs is None or prefs.reservation == self.reservation:
            return prefs
        cached = self._profile
        if cached is None or cached[0] is not prefs or cached[1].reservation != self.reservation:
            self._profile = (prefs, replace(prefs, reservation=self.reservation))
        assert self._profile is not None
        return self._profile[1]

    def acceptable(self, outcome: Outcome) -> bool:
        """May this seat sign ``outcome`` now? (Seats without preferences sign nothing.)"""
        return not self.objection(outcome)

    def objection(self, outcome: Outcome) -> str:
        """Why this seat may not sign ``outcome`` ('' when it may): the rule of
        ``Preferences.acceptable``, with the seat's current reservation."""
        found = self._objections.get(outcome)
        if found is None:
            found = self._objections[outcome] = self._object(outcome)
        return found

    def _object(self, outcome: Outcome) -> str:
        if self.preferences is None:
            return "it has no preferences of its own to sign with"
        return self.preferences.objection(outcome, self.reservation, self.worth(outcome))

    def worth(self, outcome: Outcome) -> float:
        """The seat's utility of ``outcome`` (remembered: packages come back many times)."""
        value = self._worth.get(outcome)
        if value is None:
            assert self.preferences is not None
            value = self._worth[outcome] = self.preferences.utility(outcome)
        return value

    def receive(self, message: Message) -> None:
        self.seen.append(message)
        if message.outcome is None:
            return
        if message.kind in PROPOSING:
            self.latest[message.sender] = message.outcome
        elif message.kind in CARRYING:
            self.carried = message.outcome
