"""What a track is made of: recorded sessions, simulated sessions, the events between them,
and the state one session hands the next."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from parley.engine import Message, Result, Settings
from parley.engine.messages import Outcome
from parley.scenario import Scenario

DEAL = "deal"
COLLAPSE = "collapse"
HORIZON = "horizon"
BREAKDOWNS = frozenset({"walk-away", "cancelled"})
"""How a held session ends the track without a deal (an agreement ends it with one)."""


@dataclass(frozen=True)
class Recorded:
    """A session held (or cancelled) before the modelled one, as the scenario records it."""

    title: str
    date: str | None
    ended: str
    description: str = ""
    source: str = ""
    basis: str | None = None


@dataclass(frozen=True)
class Slot:
    """A place in the track's calendar: session ``number`` of the simulation, its title and
    date (named in the scenario, or just numbered)."""

    number: int
    title: str = ""
    """Empty when the scenario names no session here."""
    date: str | None = None

    @property
    def label(self) -> str:
        """The title and date, or ``session K`` for a session the scenario does not name."""
        if not self.title:
            return f"session {self.number}"
        return f"{self.title}, {self.date}" if self.date else self.title

    @property
    def called(self) -> str:
        """``session K``, with its title and date when the scenario names it."""
        named = f" ({self.label})" if self.title else ""
        return f"session {self.number}{named}"


@dataclass(frozen=True)
class Happening:
    """An event between two sessions that fired, and what it did."""

    kind: str
    title: str
    effect: str
    party: str | None = None
    delta: float | None = None


@dataclass(frozen=True)
class SessionRun:
    """A session as played: enough to write its transcript, which replays alone."""

    scenario: Scenario
    settings: Settings
    seed: int
    result: Result
    transcript: tuple[Message, ...]
    standing: Mapping[str, Outcome] = field(default_factory=dict)
    """Each principal's standing position when the session ended."""


@dataclass(frozen=True)
class Carried:
    """What one session hands the next: the issues agreed so far (issue column -> option,
    and the session that agreed each), each principal's standing position, and every
    party's reservation value (with how it got there, in words)."""

    agreed: Mapping[int, int] = field(default_factory=dict)
    agreed_in: Mapping[int, int] = field(default_factory=dict)
    standing: Mapping[str, Outcome] = field(default_factory=dict)
    reservations: Mapping[str, float] = field(default_factory=dict)
    why: Mapping[str, str] = field(default_factory=dict)
    """Per party, why its reservation is what it is (the derived scenario's rationale)."""
    elapsed: int = 0
    """Rounds held so far in the track's simulated sessions (the next session's clock starts
    there: strategies pace their concessions over the scenario's ``horizon``)."""


@dataclass(frozen=True)
class Played:
    """A simulated session: held (``run``), or not held because an event between sessions
    cancelled it or ended the track (``run`` is None)."""

    slot: Slot
    before: tuple[Happening, ...]
    """The events between sessions that fired in the gap before it."""
    ended: str
    """The engine's end for a held session (agreement, adjourned, deadline, walk-away,
    cancelled); ``not held`` or ``collapse`` for one that did not take place."""
    reason: str
    agreed: tuple[int | None, ...]
    """Per issue, the option agreed so far in the track after it (None: open)."""
    reservations: Mapping[str, float]
    run: SessionRun | None = None

    @property
    def held(self) -> bool:
        return self.run is not None


@dataclass(frozen=True)
class Track:
    """A played track: the recorded history, the simulated sessions, and how it ended."""

    scenario: Scenario
    seed: int
    horizon: int
    declared: bool
    """Whether the scenario has a ``[track]`` section (without one: simulated sessions only)."""
    history: tuple[Recorded, ...]
    sessions: tuple[Played, ...]
    end: str
    """``deal``, ``collapse`` or ``horizon``."""
    why: str
    principals: tuple[str, ...]

    @property
    def last(self) -> Played:
        return self.sessions[-1]

    @property
    def utilities(self) -> tuple[float, ...] | None:
        """The principals' utilities of the deal; None without one (each principal is then
        left with its reservation value: nothing is agreed until everything is agreed)."""
        run = self.last.run
        return None if self.end != DEAL or run is None else run.result.utilities
