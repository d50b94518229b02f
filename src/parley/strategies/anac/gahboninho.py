"""Gahboninho, second at ANAC 2011.

Source: "Gahboninho: Strategy for Balancing Pressure and Compromise in Automated Negotiation",
by M. Ben Adar, N. Sofy and A. Elimelech (the title and abstract were found; the authors, volume
and year were not confirmed by our search); the ANAC 2011 report (Fujita, Ito, Baarslag,
Hindriks, Jonker, Kraus, Lin, "The Second Automated Negotiating Agents Competition (ANAC2011)",
SCI 435, Springer 2013).

The agent puts pressure on the opponent first: for a short opening it offers only packages near
its best and accepts nothing less, while it watches how the opponent behaves. It then concedes
slowly, and how far it is willing to go depends on the opponent: an opponent that concedes is
pressed further (Gahboninho stays high), a stubborn one is met (it comes down to the
opponent's best offer). In the last moments it compromises: it offers the best package the
opponent ever offered it and accepts anything at least as good. Among packages at its
threshold it offers the one a frequency model of the opponent values most.

Choices where the description is open: the opening lasts until t = ``opening`` (0.1) and asks
at least 0.95 of its best; the opponent's concession is c = (best offer received - first offer
received) / (its best - first offer), in [0, 1]; the floor it concedes to is
max(reservation, b + (u_max - b) * c / 2), b being the best offer received; the threshold falls
from 0.95 u_max to that floor as ((t - opening) / (1 - opening))**2; the last moments are
t >= 0.98.
"""

from __future__ import annotations

from parley.engine.messages import Ask, Outcome
from parley.engine.view import View
from parley.strategies.anac.common import AnacAgent
from parley.strategies.base import Parameter

HIGH = 0.95
LAST = 0.98
WINDOW = 0.04


class Gahboninho(AnacAgent):
    name = "gahboninho"
    summary = "ANAC 2011 runner-up: tough opening, then concedes as far as the opponent resists"
    source = "Gahboninho: Balancing Pressure and Compromise; ANAC 2011 report (SCI 435)"
    parameters = (
        Parameter("opening", 0.1, "share of the time it only asks near its best", at_least=0.0,
                  at_most=0.9),
    )  # fmt: skip

    def threshold(self, view: View) -> float:
        top, opening = self.top(view), self.number("opening")
        high = max(self.floor(view), HIGH * top)
        best = self.best_received()
        if view.time < opening or best is None:
            return high
        b = best.utility
        low = min(high, max(self.floor(view), b + (top - b) * self.concession(view) / 2))
        if view.time >= LAST:
            return max(self.floor(view), min(low, b))
        share = ((view.time - opening) / (1.0 - opening)) ** 2
        return high - (high - low) * share

    def propose(self, view: View, ask: Ask) -> Outcome:
        threshold = self.threshold(view)
        best = self.best_reaching(view, threshold)
        if best is not None and view.time >= LAST:
            return best
        return self.near(view, threshold, WINDOW)

    def accepts(self, view: View, offer: Outcome) -> bool:
        return self.worth(view, offer) >= self.threshold(view) - 1e-12
