"""AgentK, winner of ANAC 2010.

Source: S. Kawaguchi, K. Fujita, T. Ito, "AgentK: Compromising Strategy Based on Estimated
Maximum Utility for Automated Negotiating Agents", in *New Trends in Agent-Based Complex
Automated Negotiations* (SCI 383, Springer 2012); and the ANAC 2010 report (Baarslag
et al., "The First Automated Negotiating Agents Competition (ANAC 2010)", same volume).

The agent watches the utility (to itself) of the opponent's offers: their mean mu(t) and
standard deviation sigma(t). Reading the offers as spread uniformly, it estimates the best the
opponent will offer, e_max(t) = mu + (1 - mu) * d(t), where d(t) is the width of the uniform
distribution with that deviation, and aims at target(t) = u_max - (u_max - e_max(t)) * t**alpha.
An offer at or above the target is accepted with probability t**5 / 5 + (u - e_max) +
(u - target); it proposes the best package the opponent offered when that reaches the target,
and otherwise a random package just above the target.

Choices where the description is open: d(t) = sqrt(12) * sigma clipped to [0, 1] (the width of
a uniform distribution with deviation sigma); alpha = 3 (parameter ``alpha``); the target never
falls below the reservation; "just above the target" is the band [target, target + 0.05]; its
own maximum is its best package (GENIUS profiles reach 1, Parley's need not).
"""

from __future__ import annotations

import math

from parley.engine.messages import Ask, Outcome
from parley.engine.view import View
from parley.strategies.anac.common import AnacAgent, mean_and_spread
from parley.strategies.base import Param, Parameter, Randomness

WIDTH = 0.05


class AgentK(AnacAgent):
    name = "agent-k"
    summary = "ANAC 2010 winner: target from the mean and spread of the opponent's offers"
    source = "Kawaguchi, Fujita, Ito 2012, AgentK (New Trends in ... Negotiations, SCI 383)"
    parameters = (Parameter("alpha", 3.0, "how late the target falls (t**alpha)", above=0.0),)

    def __init__(self, rng: Randomness, **params: Param) -> None:
        super().__init__(rng, **params)
        self.alpha = self.number("alpha")

    def estimated_max(self, view: View) -> float:
        """e_max(t): the best the opponent is expected to offer, from its offers so far."""
        mu, sigma = mean_and_spread([r.utility for r in self.received])
        width = min(1.0, math.sqrt(12.0) * sigma)
        return mu + (self.top(view) - mu) * width

    def target(self, view: View) -> float:
        top = self.top(view)
        if not self.received:
            return top
        goal = top - (top - self.estimated_max(view)) * float(view.time**self.alpha)
        return max(goal, self.floor(view))

    def propose(self, view: View, ask: Ask) -> Outcome:
        target = self.target(view)
        best = self.best_reaching(view, target)
        if best is not None:
            return best
        return self.random_in(self.band(view, target, target + WIDTH))

    def accepts(self, view: View, offer: Outcome) -> bool:
        u, target = self.worth(view, offer), self.target(view)
        if u < target:
            return False
        chance = view.time**5 / 5 + (u - self.estimated_max(view)) + (u - target)
        return bool(self.rng.random() < chance)
