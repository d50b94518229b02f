"""What flows through a session: asks (the engine's questions), actions (answers) and messages.

Every change to a session is a ``Message`` appended to its transcript. A participant's answer to
an ``Ask`` becomes one message (plus one more when it attaches a statement); the engine itself
posts phase markers, outside events and the end of the talks.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final, NamedTuple

Outcome = tuple[int, ...]
"""A package: one option index per issue."""

ENGINE: Final = "engine"
"""Sender name of messages the engine posts itself."""
WORLD: Final = "world"
"""Sender name of outside events that befall the talks rather than being done by a party."""


class Kind(StrEnum):
    """What a message is. Its value is what transcripts store."""

    # Answers a seat may give (which ones depends on the ``Question``).
    PROPOSE = "propose"
    COUNTER = "counter"
    ACCEPT = "accept"
    REJECT = "reject"
    WALK_AWAY = "walk-away"
    RELAY = "relay"
    REFRAME = "reframe"
    DRAFT = "draft"
    CONFIDE = "confide"
    """Confide one's preference profile to the mediator alone (the message is only a marker)."""
    DECLINE = "decline"
    """Decline an invitation: to confide, or to endorse a framework."""
    ENDORSE = "endorse"
    """Endorse a third party's framework text."""
    FRAMEWORK = "framework"
    """A third party tables (or revises) its framework text, in public."""
    PASS = "pass"
    """A seat lets its turn go by (a third party with nothing to table, a spoiler holding off)."""
    THREATEN = "threaten"
    STRIKE = "strike"
    """A spoiler acts: the talks are cancelled."""
    ADVISE = "advise"
    """An adviser's private word to its own delegation."""
    ADJOURN = "adjourn"
    """Agree to adjourn: meet again another day, with the issues agreed so far."""
    WHAT_IF = "what-if"
    """Mediator, in a caucus: ask the delegation how a package compares (caucus questions)."""
    COMPARE = "compare"
    """Principal: answer a what-if question, better / same / worse (``data["feedback"]``)."""
    # Posted without a turn.
    NOTE = "note"
    """A principal's word to the mediator out of turn: queued for the mediator, takes no turn."""
    STATEMENT = "statement"
    EVENT = "event"
    PHASE = "phase"
    AGREEMENT = "agreement"
    END = "end"


class Question(StrEnum):
    """What an ``Ask`` asks; the legal answers for the seat are in ``Ask.allowed``."""

    PROPOSE = "propose"
    """Put a package forward (nothing is on the table)."""
    REVIEW = "review"
    """Answer the package on the table (``Ask.offer``)."""
    CARRY = "carry"
    """Mediator: bring ``Ask.offer`` (from ``Ask.about``) to the party in ``Ask.to``."""
    DRAFT = "draft"
    """Mediator: table this round's single negotiating text."""
    CONFIDE = "confide"
    """Confide one's preferences to the mediator, or decline."""
    INTERVENE = "intervene"
    """Third party: table or revise a framework, or pass."""
    ENDORSE = "endorse"
    """Principal: endorse the framework on the table (``Ask.offer``), or decline."""
    WATCH = "watch"
    """Spoiler: hold off, threaten, or strike, having watched what is public."""
    ADVISE = "advise"
    """Adviser: advise one's own principal on the package that reached it (``Ask.offer``)."""
    CONSULT = "consult"
    """Mediator, in a consultation: float an idea of its own to one delegation, or listen."""
    ADJOURN = "adjourn"
    """Principal, at a deadline without a deal: adjourn (meet again), or walk away."""
    INQUIRE = "inquire"
    """Mediator, in a caucus: ask the delegation in ``Ask.to`` a what-if question, or pass."""
    WHAT_IF = "what-if"
    """Principal, in a caucus: compare ``Ask.offer`` with ``Ask.previous`` (better / same /
    worse), in private to the mediator."""


PROPOSING: Final = frozenset({Kind.PROPOSE, Kind.COUNTER})
CARRYING: Final = frozenset({Kind.RELAY, Kind.REFRAME, Kind.DRAFT, Kind.FRAMEWORK})
"""Kinds that bring a package to a party without being the sender's own position."""
NEEDS_OUTCOME: Final = frozenset(
    {*PROPOSING, Kind.RELAY, Kind.REFRAME, Kind.DRAFT, Kind.FRAMEWORK, Kind.WHAT_IF}
)
ENDORSING: Final = frozenset({Kind.PROPOSE, Kind.COUNTER, Kind.ACCEPT, Kind.ENDORSE})
"""Answers by which a principal puts its name to a package: it must be acceptable to it."""
FEEDBACK: Final = ("worse", "same", "better")
NO_DATA: Mapping[str, str | float | int | bool] = MappingProxyType({})

# Asks, actions and messages are named tuples: immutable like frozen dataclasses, and several
# are made every turn, where a tuple is made in a third of the time.


class Ask(NamedTuple):
    """The engine's question to ``party``: what is asked, and the answers legal for it now.

    ``allowed`` is already narrowed to the seat: a package on the table that crosses the
    seat's red line or falls below its reservation cannot be accepted or endorsed, so
    ``ACCEPT`` / ``ENDORSE`` are left out. ``offer`` is the package under discussion (to
    review, carry, endorse or advise on); ``previous`` the draft before it (single-text
    feedback); ``about`` whose position ``offer`` is; ``to`` who will receive the answer.
    """

    turn: int
    party: str
    question: Question
    allowed: frozenset[Kind]
    to: tuple[str, ...]
    prompt: str
    offer: Outcome | None = None
    previous: Outcome | None = None
    about: str | None = None
    public: bool = False
    """The answer will be public (a framework tabled, a spoiler's move)."""
    covers: tuple[int, ...] | None = None
    """For a framework to endorse: the issues (columns) it covers, when not the whole package.
    Endorsing such a framework binds those items; it signs no package, so a seat may endorse
    it whatever the rest of ``offer`` is worth to it."""


class Action(NamedTuple):
    """A participant's answer. ``statement`` is attached text; ``public`` makes it seen by all."""

    kind: Kind
    outcome: Outcome | None = None
    text: str = ""
    statement: str = ""
    public: bool = False
    data: Mapping[str, str | float | int | bool] = NO_DATA


class Message(NamedTuple):
    """One entry of the transcript.

    ``to`` lists the recipients; a ``public`` message is seen by every party. ``turn`` links a
    participant's message to the ask it answers (None for the engine's own messages and for
    notes out of turn).
    """

    seq: int
    round: int
    phase: str
    sender: str
    to: tuple[str, ...]
    kind: Kind
    outcome: Outcome | None = None
    text: str = ""
    public: bool = False
    turn: int | None = None
    data: Mapping[str, str | float | int | bool] = NO_DATA

    def visible_to(self, party: str) -> bool:
        return self.public or party == self.sender or party in self.to
