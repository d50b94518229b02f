"""CUHKAgent, winner of ANAC 2012.

Source: the ANAC 2012 report (C. R. Williams, V. Robu, E. H. Gerding, N. R. Jennings, "An
Overview of the Results and Insights from the Third Automated Negotiating Agents Competition
(ANAC2012)", SCI 535, Springer 2014); and the same authors' ABiNeS (J. Hao, H.-f. Leung,
"ABiNeS: An Adaptive Bilateral Negotiating Strategy over Multiple Items", WI-IAT 2012), whose
abstract describes the non-exploitation point used here. The agent's own chapter ("CUHKAgent:
An Adaptive Negotiation Strategy for Bilateral Negotiations over Multiple Items", Hao and Leung)
was not found by our search of publishers' pages: its volume and year are unverified.

The agent exploits the opponent until a "non-exploitation point" lambda, set by the discount
factor (a heavily discounted domain leaves little time to exploit), and adapted to the
opponent: the tougher the opponent, the sooner it stops exploiting. Before lambda its threshold
falls from its best utility u_max towards u_max * delta**(1 - lambda) as (t / lambda)**alpha,
with alpha larger (slower) the more the opponent concedes; after lambda it moves towards the
best offer the opponent made. It offers, among packages above its threshold, the one a
frequency model of the opponent values most (the best offer received when that is above the
threshold), accepts an offer above its threshold or above what it would offer next, and, as in
GENIUS, ends the negotiation when its discounted reservation value is worth more than what it
can still expect.

Choices where the description is open: lambda = 0.1 + 0.9 * delta**2, capped at ``lambda_max``
(0.95, so an undiscounted agent still has the last 5% of the time to meet the opponent), and
lowered by 0.1 times the opponent's toughness (1 - its concession, measured as by Gahboninho);
alpha = 1 + 2 * concession; after lambda the threshold falls linearly to
max(reservation, best offer received); what it "can still expect" is the opponent's offers
improving at the rate they have so far (from its first offer to the best one),
each discounted to when it would come (t to 1 in tenths): it walks away when r * d**t beats
the best of these, in discounted domains only and once past its non-exploitation point
(before it, it is still finding out how the opponent behaves).
"""

from __future__ import annotations

import numpy as np

from parley.engine.messages import Ask, Outcome
from parley.engine.view import View
from parley.strategies.anac.common import AnacAgent
from parley.strategies.base import Parameter

WINDOW = 0.03


class CUHKAgent(AnacAgent):
    name = "cuhk-agent"
    summary = "ANAC 2012 winner: exploits until a point set by the discount and the opponent"
    source = "Hao, Leung 2012, ABiNeS (WI-IAT); ANAC 2012 report (SCI 535)"
    parameters = (
        Parameter("lambda_max", 0.95, "latest non-exploitation point", above=0.0, at_most=1.0),
    )

    def point(self, view: View) -> float:
        """lambda, the non-exploitation point."""
        base = min(self.number("lambda_max"), 0.1 + 0.9 * self.discount(view) * self.discount(view))
        return max(0.05, base - 0.1 * (1.0 - self.concession(view)))

    def threshold(self, view: View) -> float:
        top, lam, t = self.top(view), self.point(view), view.time
        c = self.concession(view)
        bottom = top * float(self.discount(view) ** (1.0 - lam))
        at_lambda = top - (top - bottom) * float(min(1.0, t / lam) ** (1.0 + 2.0 * c))
        best = self.best_received()
        if t > lam and best is not None:
            goal = max(self.floor(view), min(best.utility, at_lambda))
            at_lambda -= (at_lambda - goal) * (t - lam) / (1.0 - lam)
        return max(self.floor(view), at_lambda)

    def propose(self, view: View, ask: Ask) -> Outcome:
        threshold = self.threshold(view)
        best = self.best_reaching(view, threshold)
        if best is not None:
            return best
        return self.near(view, threshold, WINDOW)

    def accepts(self, view: View, offer: Outcome) -> bool:
        return self.worth(view, offer) >= self.threshold(view) - 1e-12

    def walks_away(self, view: View) -> bool:
        if super().walks_away(view):
            return True
        d = self.discount(view)
        if d >= 1.0 or view.time < self.point(view) or not self.received:
            return False
        return self.discounted(view, self.floor(view)) > self.waiting(view)

    def waiting(self, view: View) -> float:
        """What waiting is worth: the opponent's offers, improving at the rate they have so
        far (from its first offer to its best), discounted to when they come."""
        first, t = self.received[0], view.time
        best = max(r.utility for r in self.received)
        rate = max(0.0, best - first.utility) / max(t - first.time, 1e-9)
        times = np.linspace(t, 1.0, 11)
        offers = np.minimum(self.top(view), best + rate * (times - t))
        return float((offers * self.discount(view) ** times).max())
