"""What flows through a session: asks (the engine's questions), actions (answers) and messages.

Every change to a session is a ``Message`` appended to its transcript. A participant's answer to
an ``Ask`` becomes one message (plus one more when it attaches a statement); the engine itself
posts phase markers, outside events and the end of the talks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

Outcome = tuple[int, ...]
"""A package: one option index per issue."""

ENGINE: Final = "engine"
"""Sender name of messages the engine posts itself."""

# Kinds of action a participant may take.
PROPOSE: Final = "propose"
COUNTER: Final = "counter"
ACCEPT: Final = "accept"
REJECT: Final = "reject"
WALK_AWAY: Final = "walk-away"
RELAY: Final = "relay"
REFRAME: Final = "reframe"
DRAFT: Final = "draft"
CONFIDE: Final = "confide"
"""Confide one's preference profile to the mediator alone (the message is only a marker)."""
DECLINE: Final = "decline"
"""Decline the mediator's invitation to confide."""

# Kinds of message only the engine posts.
STATEMENT: Final = "statement"
EVENT: Final = "event"
PHASE: Final = "phase"
AGREEMENT: Final = "agreement"
END: Final = "end"

NEEDS_OUTCOME: Final = frozenset({PROPOSE, COUNTER, RELAY, REFRAME, DRAFT})
ENDORSING: Final = frozenset({PROPOSE, COUNTER, ACCEPT})
FEEDBACK: Final = ("worse", "same", "better")


@dataclass(frozen=True, slots=True)
class Ask:
    """The engine's question: ``party`` must answer with one of ``allowed``.

    ``offer`` is the package under discussion (to accept, or to carry on); ``previous`` is the
    draft before it (single-text feedback); ``to`` says who will receive the answer.
    """

    turn: int
    party: str
    allowed: frozenset[str]
    to: tuple[str, ...]
    prompt: str
    offer: Outcome | None = None
    previous: Outcome | None = None
    about: str | None = None


@dataclass(frozen=True, slots=True)
class Action:
    """A participant's answer. ``statement`` is attached text; ``public`` makes it seen by all."""

    kind: str
    outcome: Outcome | None = None
    text: str = ""
    statement: str = ""
    public: bool = False
    data: Mapping[str, str | float | int | bool] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Message:
    """One entry of the transcript.

    ``to`` lists the recipients; a ``public`` message is seen by every party. ``turn`` links a
    participant's message to the ask it answers (None for the engine's own messages).
    """

    seq: int
    round: int
    phase: str
    sender: str
    to: tuple[str, ...]
    kind: str
    outcome: Outcome | None = None
    text: str = ""
    public: bool = False
    turn: int | None = None
    data: Mapping[str, str | float | int | bool] = field(default_factory=dict)

    def visible_to(self, party: str) -> bool:
        return self.public or party == self.sender or party in self.to
