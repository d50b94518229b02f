"""Bidding (offering) strategies: the own utility to aim at now, and the package to offer there.

A bidding strategy writes ``target`` (the own utility to ask for now). The offering step is
BOA's "offering with an opponent model" (Baarslag et al., BOA): among the packages worth
between the target and ``band`` above it to this side, offer the one the opponent model rates
best for the other side (ties: the better one for this side); when no package falls in that
band, the one just above the target. Packages under the reservation value are never offered
unless nothing reaches it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from parley.engine.messages import Outcome
from parley.strategies.base import Parameter
from parley.strategies.boa.components import Component, Situation, component
from parley.strategies.negotiators import exponent

CANDIDATES = 512
"""At most this many packages (those nearest the target) are shown to the opponent model."""
OpponentUtilities = Callable[[NDArray[np.integer]], NDArray[np.float64]]
"""The modelled utility for the other side of some rows (the mean over several opponents)."""


class Bidding(Component):
    """A bidding strategy: write ``target``; ``offer`` is the offering-with-model step."""

    kind = "bidding"
    parameters = (
        Parameter(
            "band", 0.05, "own-utility band above the target whose packages the model ranks",
            at_least=0.0, at_most=1.0,
        ),
    )  # fmt: skip

    def target(self, s: Situation) -> float:
        """The own utility to ask for now."""
        raise NotImplementedError

    def offer(self, s: Situation, opponent: OpponentUtilities) -> Outcome:
        """The package to offer: near the target, the best for the opponent as modelled."""
        target = max(self.target(s), s.reservation)
        count = max(1, s.ranking.count_at_least(target))
        above = s.ranking.count_at_least(target + self.number("band") + 1e-12)
        start = max(above, count - CANDIDATES)
        if start >= count:  # nothing in the band: the package just above the target
            return s.ranking.outcome(count - 1)
        rows = s.ranking.between(start, count)
        return s.ranking.outcome(start + int(np.argmax(opponent(rows))))


@component
class TimeDependent(Bidding):
    name = "time"
    summary = "concedes on a schedule: r + (best - r)(1 - t^(1/e)); e < 1 Boulware, e > 1 Conceder"
    source = "Faratin, Sierra, Jennings 1998, Negotiation decision functions for autonomous agents"
    parameters = (exponent(1.0),)  # the built-in time-based negotiators' own

    def target(self, s: Situation) -> float:
        floor = s.reservation
        return floor + (s.best - floor) * (1.0 - float(s.time ** (1.0 / self.number("exponent"))))


@component
class TitForTat(Bidding):
    name = "tit-for-tat"
    summary = "gives up as much own utility as the other side's offers have gained it"
    source = "Axelrod 1984; relative tit-for-tat as in Faratin, Sierra, Jennings 1998"
    parameters = (
        Parameter(
            "courtesy", 0.02, "unconditional step per round, as a share of its range",
            at_least=0.0, at_most=1.0,
        ),
    )  # fmt: skip

    def target(self, s: Situation) -> float:
        utilities = [r.utility for r in s.received]
        gained = sum(max(0.0, b - a) for a, b in itertools.pairwise(utilities))
        # A small unconditional step keeps two tit-for-tat players from freezing.
        courtesy = self.number("courtesy") * (s.best - s.reservation) * s.view.round
        return max(s.reservation, s.best - gained - courtesy)


@component
class Hardliner(Bidding):
    name = "hardliner"
    summary = "asks for its best package every time"
    source = "the hardheaded baseline of the ANAC literature (Baarslag et al., BOA)"

    def target(self, s: Situation) -> float:
        return s.best


@component
class RandomBidding(Bidding):
    name = "random"
    summary = "offers a random package it may sign (a baseline)"
    source = "the random baseline of the ANAC literature (Baarslag et al., BOA)"

    def target(self, s: Situation) -> float:
        return float(s.rng.uniform(s.reservation, s.best)) if s.best > s.reservation else s.best

    def offer(self, s: Situation, opponent: OpponentUtilities) -> Outcome:
        count = max(1, s.ranking.count_at_least(s.reservation))
        return s.ranking.outcome(int(s.rng.integers(count)))


BIDDING = ("time", "tit-for-tat", "hardliner", "random")
