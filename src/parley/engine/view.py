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
    hazards: bool = True
    """Do random hazards act in these talks? (Off, a spoiler weighs its hazard but never draws.)"""
    elapsed: int = 0
    """Rounds held in earlier sessions of the same talks (a track)."""
    horizon: int | None = None
    """Rounds the principals expect the whole negotiation to take, across sessions (None: this
    session's deadline)."""
    clock: str = "turns"
    """``turns``: a principal's time moves with every principal's turn; ``rounds``: by rounds
    only (sessions recorded before the turn clock)."""

    @property
    def span(self) -> int:
        """The rounds time is measured over: the horizon, or this session's deadline."""
        return self.horizon if self.horizon is not None else self.deadline

    @property
    def time(self) -> float:
        """Progress through the negotiation, from 0 to 1 at its end (the end of this session,
        unless a horizon says the talks are expected to run longer).

        For a principal the clock also moves within a round, with every principal's turn
        (as in GENIUS, where time runs on between offers): the k-th of n principals acts at
        round + k/n, so the last turn of the last principal is time 1. Counted by rounds only,
        the principal moving first would answer, in every round, an offer older than the one
        the next principal answers, and at the deadline it would concede to its floor (the
        mirror test in tests/test_neutrality.py measures this)."""
        if self.span <= 1:
            return 1.0
        rounds = self.elapsed + self.round - 1
        if self.clock == "rounds" or self.party not in self.principals:  # by rounds
            return min(1.0, max(0.0, rounds / (self.span - 1)))
        n = len(self.principals)
        turns = rounds * n + self.principals.index(self.party)
        return min(1.0, max(0.0, turns / ((self.span - 1) * n)))

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
