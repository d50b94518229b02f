"""What the ANAC agents share: what they have seen of the others, their own utility range,
discounting as GENIUS applies it, and bids picked from a band of their ranking.

GENIUS scores a deal reached at normalized time t as u * d**t and walking away (or no deal)
as r * d**t, where d is the profile's discount factor and r its reservation value. Both sides
of a comparison made at the same moment carry the same d**t, so "is this offer worth more
than walking away now" is u >= r: agents compare undiscounted utilities with the current
reservation (``View.reservation``, which outside events may move), and use d**t only where
GENIUS agents do, to weigh now against later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray

from parley.engine.messages import CARRYING, PROPOSING, Action, Ask, Kind, Outcome
from parley.engine.view import View
from parley.strategies.base import Negotiator, Param, Randomness
from parley.strategies.boa.models import OpponentModel, make_model
from parley.strategies.index import RankedOutcomes, ranked

BAND = 4096
"""At most this many packages of a utility band are compared (the best of the band first)."""
TABLE = "table"
"""Whom a package brought by a mediator or a third party is attributed to."""


@dataclass(frozen=True)
class Received:
    """A package another side put to the agent: who (or ``TABLE``), when, and its worth."""

    sender: str
    outcome: Outcome
    utility: float
    time: float


@dataclass
class Opponent:
    """What the agent has seen of one other principal: its bids (oldest first), a frequency
    model of its preferences, and the packages it accepted."""

    bids: list[Received] = field(default_factory=list)
    model: OpponentModel | None = None
    accepted: list[Outcome] = field(default_factory=list)


class AnacAgent(Negotiator):
    """A negotiator that reads every new message once before it answers (``observe``).

    Subclasses write ``propose`` and ``accepts`` as any negotiator, reading ``self.received``
    (every package put to it, oldest first) and ``self.opponents`` (per other principal).
    ``source`` cites the published description and the choices it left open."""

    source: ClassVar[str] = ""
    needs_preferences = True
    model_name: ClassVar[str] = "frequency"
    """The opponent model each other side gets (``parley.strategies.boa.models``)."""

    def __init__(self, rng: Randomness, **params: Param) -> None:
        super().__init__(rng, **params)
        self.received: list[Received] = []
        """Every package another side put to it, oldest first."""
        self.opponents: dict[str, Opponent] = {}
        self._seen = 0
        self._standing: Outcome | None = None
        self._ranking: RankedOutcomes | None = None
        self._ranked_for: object = None
        self._best: Received | None = None

    def act(self, view: View, ask: Ask) -> Action:
        self.observe(view)
        return super().act(view, ask)

    # ----- what it has seen

    @property
    def opponent_models(self) -> Mapping[str, OpponentModel]:
        """Its model of each other principal, by party (read after a session to measure the
        models' accuracy: ``parley.strategies.boa.accuracy``)."""
        return {
            name: o.model
            for name, o in self.opponents.items()
            if o.model is not None and name != TABLE  # the table is no party
        }

    def opponent(self, view: View, name: str) -> Opponent:
        found = self.opponents.get(name)
        if found is None:
            model = make_model(self.model_name, view.space, self.rng)
            found = self.opponents[name] = Opponent(model=model)
        return found

    def observe(self, view: View) -> None:
        """Take in the messages that arrived since its last turn, each once (a replay asks the
        same questions in the same order, so the same state follows)."""
        for msg in view.messages[self._seen :]:
            if msg.outcome is not None and msg.kind in PROPOSING | CARRYING:
                self._standing = msg.outcome
                if msg.sender != view.party:
                    self._take(view, msg.sender, msg.outcome)
            elif msg.kind == Kind.ACCEPT and msg.sender in view.others() and self._standing:
                self.opponent(view, msg.sender).accepted.append(self._standing)
        self._seen = len(view.messages)

    def _take(self, view: View, sender: str, outcome: Outcome) -> None:
        sender = sender if sender in view.principals else TABLE
        seen = Received(sender, outcome, self.worth(view, outcome), view.time)
        self.received.append(seen)
        if (self._best is None or seen.utility > self._best.utility) and view.acceptable(outcome):
            self._best = seen  # the best it may sign: packages across its red lines never count
        opponent = self.opponent(view, sender)
        opponent.bids.append(seen)
        assert opponent.model is not None
        opponent.model.observe(outcome, view.time)

    def best_received(self) -> Received | None:
        """The package worth most to it among those put to it that it may sign."""
        return self._best

    def best_reaching(self, view: View, target: float) -> Outcome | None:
        """The best package put to it, when it reaches ``target`` and it may sign it now."""
        best = self._best
        if best is None or best.utility < target - 1e-12 or not view.acceptable(best.outcome):
            return None
        return best.outcome

    def concession(self, view: View) -> float:
        """How far the others have come towards it, 0 (not at all) to 1 (to its best): the
        best offer received over the first, as a share of the room the first one left."""
        if self._best is None:
            return 0.0
        first = self.received[0].utility
        room = self.top(view) - first
        return 0.0 if room <= 0 else min(1.0, max(0.0, (self._best.utility - first) / room))

    def last_received(self) -> Received | None:
        return self.received[-1] if self.received else None

    # ----- its own utility

    def ranking(self, view: View) -> RankedOutcomes:
        if self._ranked_for is not view.preferences:  # red lines bound by a framework
            assert view.preferences is not None
            self._ranking, self._ranked_for = ranked(view.space, view.preferences), view.preferences
        assert self._ranking is not None
        return self._ranking

    def top(self, view: View) -> float:
        """Its best utility (among packages that cross none of its red lines)."""
        best = self.ranking(view).best
        return view.reservation if best is None else best

    def floor(self, view: View) -> float:
        """The least it may sign now: its current reservation value (see the module's note)."""
        return view.reservation

    @staticmethod
    def discount(view: View) -> float:
        assert view.preferences is not None
        return view.preferences.discount

    @staticmethod
    def discounted(view: View, utility: float, time: float | None = None) -> float:
        """GENIUS's u * d**t (at ``time``, by default now)."""
        assert view.preferences is not None
        return view.preferences.discounted(utility, view.time if time is None else time)

    def walks_away(self, view: View) -> bool:
        """As the built-ins: leave when nothing on the agenda reaches its reservation."""
        return self.ranking(view).count_at_least(self.floor(view)) == 0

    # ----- bids

    def band(self, view: View, low: float, high: float = float("inf")) -> NDArray[np.integer]:
        """Packages worth between ``low`` (at least the reservation) and ``high``, best first
        (at most ``BAND``); never empty: the worst package above ``low`` when none is below
        ``high``, its best package when none reaches ``low``."""
        ranking = self.ranking(view)
        low = max(low, self.floor(view))
        stop = max(1, ranking.count_at_least(low))
        start = ranking.count_at_least(high + 1e-12) if high < float("inf") else 0
        start = min(start, stop - 1)
        return ranking.between(start, min(stop, start + BAND))

    def at_least(self, view: View, target: float) -> Outcome:
        """The package worth least to it among those worth at least ``target``."""
        ranking = self.ranking(view)
        return ranking.outcome(max(1, ranking.count_at_least(max(target, self.floor(view)))) - 1)

    def best_for(self, opponents: list[Opponent], rows: NDArray[np.integer]) -> Outcome:
        """The row the opponents' models value most together (the first, best for it, among
        equals); the first row when nothing has been seen of them."""
        models = [o.model for o in opponents if o.model is not None and o.bids]
        if not models or len(rows) == 1:
            return tuple(int(v) for v in rows[0])
        score = sum(m.utilities(rows) for m in models)
        return tuple(int(v) for v in rows[int(np.argmax(score))])

    def near(self, view: View, target: float, width: float) -> Outcome:
        """Among its packages worth ``target`` to ``target + width``, the one the others'
        models value most."""
        return self.best_for(self.others(view), self.band(view, target, target + width))

    def random_in(self, rows: NDArray[np.integer]) -> Outcome:
        return tuple(int(v) for v in rows[int(self.rng.integers(len(rows)))])

    def others(self, view: View) -> list[Opponent]:
        """Its models of every other principal (and of the table, in mediated talks)."""
        for name in view.others():
            self.opponent(view, name)
        return list(self.opponents.values())


def mean_and_spread(values: list[float]) -> tuple[float, float]:
    """Mean and standard deviation (0 and 0 for none)."""
    if not values:
        return 0.0, 0.0
    array = np.asarray(values)
    return float(array.mean()), float(array.std())
