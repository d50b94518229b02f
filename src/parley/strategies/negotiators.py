"""Built-in negotiators: time-based concession, tit-for-tat, hardliner and random.

Time-based targets follow the classic family u(t) = r + (u_max - r) * (1 - t**(1/e)):
e < 1 concedes late (Boulware), e = 1 linearly, e > 1 early (Conceder), where r is the
party's current reservation value and t runs from 0 in the first round to 1 in the last.
Among the packages at the target, a negotiator offers the one closest to what the others
last proposed, which is how real delegations converge without revealing their preferences.
"""

from __future__ import annotations

import itertools

import numpy as np

from parley.engine.messages import Ask, Outcome
from parley.engine.view import View
from parley.strategies.base import Negotiator, Param, Parameter, Randomness
from parley.strategies.index import RankedOutcomes, ranked

WINDOW = 64
"""How many packages just above the target a negotiator compares with the others' offers."""


def exponent(default: float) -> Parameter:
    """The time-based family's one parameter, with each member's own default."""
    return Parameter(
        "exponent",
        default,
        "concession shape: below 1 late (Boulware), above 1 early",
        above=0.0,
        at_most=1000.0,
    )


class _Ranked(Negotiator):
    """Shared plumbing: the party's ranking of outcomes and its reachable range."""

    def walks_away(self, view: View) -> bool:
        # With nothing on the agenda worth its alternative, a delegation leaves. The answer
        # changes only when an outside event moves the reservation (or an endorsed framework
        # binds items): ask the ranking once each.
        ranking = self.ranking(view)
        if (
            self._empty_at is None
            or self._empty_at[0] != view.reservation
            or self._empty_for is not ranking
        ):
            self._empty_for = ranking
            self._empty_at = (
                view.reservation,
                self.ranking(view).count_at_least(view.reservation) == 0,
            )
        return self._empty_at[1]

    _ranking: RankedOutcomes | None = None
    _empty_at: tuple[float, bool] | None = None
    _empty_for: RankedOutcomes | None = None
    _ranked_for: object = None
    _offers: dict[tuple[int, tuple[Outcome, ...]], Outcome] | None = None
    _others: tuple[str, ...] | None = None

    def ranking(self, view: View) -> RankedOutcomes:
        # A seat's preferences change only when an endorsed framework binds items (red lines
        # added): look the ranking up once for each.
        if self._ranked_for is not view.preferences:
            assert view.preferences is not None
            self._ranking = ranked(view.space, view.preferences)
            self._ranked_for, self._offers = view.preferences, None
        assert self._ranking is not None
        return self._ranking

    def best_utility(self, view: View) -> float:
        best = self.ranking(view).best
        return view.reservation if best is None else best

    def offer_at(self, view: View, target: float) -> Outcome:
        """A package worth at least ``target`` and the reservation, near the others' offers."""
        ranking = self.ranking(view)
        count = max(1, ranking.count_at_least(max(target, view.reservation)))
        if self._others is None:  # the other principals never change during a session
            self._others = tuple(p for p in view.principals if p != view.party)
        anchors = tuple(filter(None, map(view.latest.get, self._others)))
        if view.carried is not None:
            anchors += (view.carried,)
        if not anchors:
            return ranking.outcome(count - 1)
        # Targets move slowly and offers repeat: the same question has the same answer.
        if self._offers is None:
            self._offers = {}
        key = (count, anchors)
        found = self._offers.get(key)
        if found is None:
            window = ranking.between(count - WINDOW, count)
            # Issues shared with the anchors, summed over anchors; argmax takes the first of
            # equals, which is the better package for us (earlier row).
            closeness = (window[:, None, :] == np.asarray(anchors)[None, :, :]).sum(axis=(1, 2))
            found = self._offers[key] = ranking.outcome(
                max(0, count - WINDOW) + int(closeness.argmax())
            )
        return found


class TimeBased(_Ranked):
    """Concedes on a fixed schedule; the exponent sets the shape."""

    name = "time-based"
    summary = "concedes on a fixed schedule from its best package to its reservation"
    parameters = (exponent(1.0),)

    def __init__(self, rng: Randomness, **params: Param) -> None:
        super().__init__(rng, **params)
        self.exponent = self.number("exponent")
        self._shape = 1.0 / self.exponent

    _targets: tuple[int, int, float, float, float] = (-1, -1, 0.0, 0.0, 0.0)
    """(round, deadline, reservation) and the two targets worked out for them."""

    def target(self, view: View, time: float, top: float) -> float:
        floor = view.reservation
        return floor + (top - floor) * (1.0 - float(time**self._shape))

    def targets(self, view: View) -> tuple[float, float]:
        """This round's target and the next round's (what it accepts now). Asked twice a turn
        (to accept, then to propose), they change only with the round, the deadline and the
        reservation: worked out once for each."""
        at, deadline, reservation, now, then = self._targets
        if at != view.round or deadline != view.deadline or reservation != view.reservation:
            step = 1.0 / max(1, view.span - 1)
            time, top = view.time, self.best_utility(view)
            now = self.target(view, time, top)
            then = self.target(view, min(1.0, time + step), top)
            self._targets = (view.round, view.deadline, view.reservation, now, then)
        return now, then

    def propose(self, view: View, ask: Ask) -> Outcome:
        return self.offer_at(view, self.targets(view)[0])

    def accepts(self, view: View, offer: Outcome) -> bool:
        # What it would ask for next round: anything at least that good is worth taking now.
        return self.worth(view, offer) >= self.targets(view)[1] - 1e-12


class Boulware(TimeBased):
    name = "boulware"
    summary = "concedes late (time-based, exponent 0.2)"
    parameters = (exponent(0.2),)


class Linear(TimeBased):
    name = "linear"
    summary = "concedes linearly over the talks (time-based, exponent 1)"
    parameters = (exponent(1.0),)


class Conceder(TimeBased):
    name = "conceder"
    summary = "concedes early (time-based, exponent 2)"
    parameters = (exponent(2.0),)


class TitForTat(_Ranked):
    """Gives up as much utility as the others' last move gave it (relative tit-for-tat)."""

    name = "tit-for-tat"
    summary = "gives up as much utility as the others' last move gave it"
    parameters = (
        Parameter(
            "courtesy",
            0.02,
            "unconditional step per round, as a share of its range",
            at_least=0.0,
            at_most=1.0,
        ),
    )

    def target(self, view: View) -> float:
        assert view.preferences is not None
        prefs, top = view.preferences, self.best_utility(view)
        received = [
            prefs.utility(msg.outcome)
            for msg in view.messages
            if msg.sender != view.party
            and msg.outcome is not None
            and msg.kind in {"propose", "counter", "relay", "reframe", "draft"}
        ]
        gained = sum(max(0.0, b - a) for a, b in itertools.pairwise(received))
        # A small unconditional step keeps two tit-for-tat players from freezing.
        courtesy = self.number("courtesy") * (top - view.reservation) * view.round
        return max(view.reservation, top - gained - courtesy)

    def propose(self, view: View, ask: Ask) -> Outcome:
        return self.offer_at(view, self.target(view))

    def accepts(self, view: View, offer: Outcome) -> bool:
        return self.worth(view, offer) >= self.target(view) - 1e-12


class Hardliner(_Ranked):
    """Asks for its best package every time and accepts nothing less."""

    name = "hardliner"
    summary = "asks for its best package every time and accepts nothing less"

    def propose(self, view: View, ask: Ask) -> Outcome:
        return self.ranking(view).outcome(0)

    def accepts(self, view: View, offer: Outcome) -> bool:
        return self.worth(view, offer) >= self.best_utility(view) - 1e-12


class RandomNegotiator(_Ranked):
    """Proposes a random acceptable package and accepts acceptable ones by coin flip (for tests)."""

    name = "random"
    summary = "proposes a random acceptable package; accepts by coin flip (for tests)"
    parameters = (Parameter("p_accept", 0.5, "chance of accepting", at_least=0.0, at_most=1.0),)

    def propose(self, view: View, ask: Ask) -> Outcome:
        ranking = self.ranking(view)
        count = max(1, ranking.count_at_least(view.reservation))
        return ranking.outcome(int(self.rng.integers(count)))

    def accepts(self, view: View, offer: Outcome) -> bool:
        return bool(self.rng.random() < self.number("p_accept"))
