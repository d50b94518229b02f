"""AgentLG, second at ANAC 2012.

Source: the ANAC 2012 report, C. R. Williams, V. Robu, E. H. Gerding, N. R. Jennings, "An
Overview of the Results and Insights from the Third Automated Negotiating Agents Competition
(ANAC2012)" (Studies in Computational Intelligence 535, Springer 2014), and the agent's
summary there. The description is thin: no formulas
are published, only the shape of the strategy.

The agent keeps statistics of the options the opponent asks for (a frequency model) and offers,
among packages good enough for itself, those the opponent's statistics favour. It concedes very
little during most of the negotiation and more near its end, down to a compromise bounded by
the opponent's best offers; it accepts an offer at least as good as its own last bid, and near
the deadline the best it has been offered.

Choices (the description gives none of these numbers): three phases, t < 0.6 (concede at most
5% of the range above its floor), 0.6 <= t < 0.9 (linear down to the middle between its best
and the best offer received), t >= 0.9 (linear down to the best offer received at t = 0.99);
the floor is its reservation; the window of packages compared is 0.03 of utility.
"""

from __future__ import annotations

from parley.engine.messages import Ask, Outcome
from parley.engine.view import View
from parley.strategies.anac.common import AnacAgent

WINDOW = 0.03


class AgentLG(AnacAgent):
    name = "agent-lg"
    summary = "ANAC 2012 runner-up: slow concession, bids the opponent's statistics favour"
    source = "ANAC 2012 report (Williams, Robu, Gerding, Jennings 2014, SCI 535); thin"

    def target(self, view: View) -> float:
        top, floor, t = self.top(view), self.floor(view), view.time
        best = self.best_received()
        b = floor if best is None else max(floor, best.utility)
        slow = top - 0.05 * (top - floor) * min(1.0, t / 0.6)
        if t < 0.6:
            return slow
        middle = min(slow, (top + b) / 2)
        if t < 0.9:
            return slow - (slow - middle) * (t - 0.6) / 0.3
        return max(b, middle - (middle - b) * min(1.0, (t - 0.9) / 0.09))

    def propose(self, view: View, ask: Ask) -> Outcome:
        return self.near(view, self.target(view), WINDOW)

    def accepts(self, view: View, offer: Outcome) -> bool:
        u = self.worth(view, offer)
        mine = view.latest.get(view.party)
        if mine is not None and u >= self.worth(view, mine) - 1e-12:
            return True
        return u >= self.target(view) - 1e-12
