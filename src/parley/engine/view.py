"""A party's view of a session: the only thing its strategy (or its person) ever receives."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple

from parley.engine.messages import PROPOSING, Message, Outcome
from parley.outcomes import OutcomeSpace
from parley.preferences import Preferences
from parley.scenario.schema import Role

NOTHING_CONFIDED: Mapping[str, Preferences] = MappingProxyType({})


class View(NamedTuple):
    """Own preferences (None for seats without them), the agenda, and the messages seen so far.

    ``latest`` and ``carried`` summarise ``messages`` (each sender's latest proposal; the latest
    package carried or tabled) so that strategies need not scan the history every turn.

    ``confided`` holds the preference profiles principals confided to the mediator (the
    ``confide`` action); it is empty in every view but the mediator's.

    It holds no reference to the scenario or the session, so nothing reachable from it can
    reveal another party's preferences (other than what was confided to this mediator) or a
    message not addressed to this party. A named tuple, made every turn; ``messages`` and
    ``latest`` are read-only windows on the seat's own record, which keep growing as the talks
    go on (copy them to keep a snapshot).
    """

    party: str
    role: Role
    space: OutcomeSpace
    principals: tuple[str, ...]
    mediator: str | None
    protocol: str
    preferences: Preferences | None
    reservation: float
    messages: Sequence[Message]
    latest: Mapping[str, Outcome]
    carried: Outcome | None
    round: int
    deadline: int
    confided: Mapping[str, Preferences] = NOTHING_CONFIDED
    advises: str | None = None
    """For an adviser: the principal it advises (it sees what reaches that principal)."""

    @property
    def time(self) -> float:
        """Progress toward the deadline, 0 in the first round and 1 in the last."""
        if self.deadline <= 1:
            return 1.0
        return min(1.0, max(0.0, (self.round - 1) / (self.deadline - 1)))

    def acceptable(self, outcome: Outcome) -> bool:
        """May this party sign ``outcome`` now (its red lines, its current reservation)?"""
        return self.preferences is not None and self.preferences.acceptable(
            outcome, self.reservation
        )

    def others(self) -> tuple[str, ...]:
        return tuple(p for p in self.principals if p != self.party)

    def latest_carried(self) -> Outcome | None:
        """The last package a mediator or third party brought or tabled, if any."""
        return self.carried

    def latest_proposal(self, party: str) -> Outcome | None:
        """The last package ``party`` proposed or countered with, as far as this view has seen."""
        return self.latest.get(party)

    def proposals_by(self, party: str) -> list[Outcome]:
        """Packages ``party`` proposed or countered, as far as this view has seen them."""
        return [
            msg.outcome
            for msg in self.messages
            if msg.sender == party
            and msg.kind in PROPOSING
            and msg.outcome is not None
        ]
