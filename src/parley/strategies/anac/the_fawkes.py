"""TheFawkes, winner of ANAC 2013, built in the BOA architecture.

Source: V. J. Koeman, K. Boon, J. van den Oever, M. Dumitru-Guzu, L. C. Stanculescu, "The
Fawkes Agent: the ANAC 2013 Negotiation Contest Winner", cited as a chapter of *Recent Advances
in Agent-based Complex Automated Negotiation* (SCI 638, Springer 2016); the book was found,
the chapter was not, so its authors and title are unverified. BOA: Baarslag, Hindriks,
Hendrikx, Dirkzwager, Jonker, "Decoupling Negotiating Agents to Explore the Space of
Negotiation Strategies" (ACAN 2012).

Its three BOA parts: an opponent model (HardHeaded's frequency model, Parley's ``frequency``),
a prediction of the opponent's concession (the chapter uses a discrete-wavelet-transform
forecast of the utilities the opponent offers, after IAMhaggler2011), a bidding strategy that
aims at a time-dependent target never below the utility the opponent is predicted to offer by
the deadline, choosing among packages near the target the one the model values most; and an
acceptance condition that accepts an offer at least as good as its next bid, or, in the last
moments, one at least as good as the best offered in the recent window (AC_combi(MAX_W), from
Baarslag, Hindriks, Jonker, "Effective acceptance conditions in real-time automated
negotiation", Decision Support Systems, 2014).

Choices where the description is open: the wavelet forecast is replaced by a least-squares line
through the utilities the opponent offered (the chapter's forecast smooths the same series;
a line needs no tuning), extrapolated to the deadline and clipped to [reservation, best];
the target is p + (u_max - p) * (1 - t**(1/e)) with e = 0.1 (parameter ``e``), p the
prediction; the last moments are t >= 0.98 and the window the last 10% of the offers received.
"""

from __future__ import annotations

import numpy as np

from parley.engine.messages import Ask, Outcome
from parley.engine.view import View
from parley.strategies.anac.common import AnacAgent
from parley.strategies.base import Param, Parameter, Randomness

WINDOW = 0.03
LAST = 0.98


class TheFawkes(AnacAgent):
    name = "the-fawkes"
    summary = "ANAC 2013 winner (BOA): target above the opponent's predicted concession"
    source = "Koeman et al., The Fawkes Agent (SCI 638, 2016; chapter unverified)"
    parameters = (Parameter("e", 0.1, "concession exponent", above=0.0),)

    def __init__(self, rng: Randomness, **params: Param) -> None:
        super().__init__(rng, **params)
        self.e = self.number("e")

    def predicted(self, view: View) -> float:
        """The utility the opponent is expected to offer at the deadline."""
        floor, top = self.floor(view), self.top(view)
        if len(self.received) < 3:
            return floor
        times = np.asarray([r.time for r in self.received])
        values = np.asarray([r.utility for r in self.received])
        if np.ptp(times) <= 0:
            return floor
        slope, intercept = np.polyfit(times, values, 1)
        return float(min(top, max(floor, slope + intercept)))

    def target(self, view: View, time: float | None = None) -> float:
        t = view.time if time is None else time
        top, low = self.top(view), self.predicted(view)
        return max(self.floor(view), low + (top - low) * (1.0 - float(t ** (1.0 / self.e))))

    def propose(self, view: View, ask: Ask) -> Outcome:
        return self.near(view, self.target(view), WINDOW)

    def accepts(self, view: View, offer: Outcome) -> bool:
        u = self.worth(view, offer)
        step = 1.0 / max(1, (view.span - 1) * len(view.principals))
        if u >= self.target(view, min(1.0, view.time + step)) - 1e-12:
            return True
        if view.time < LAST:
            return False
        recent = self.received[-max(1, len(self.received) // 10) :]
        return u >= max(r.utility for r in recent) - 1e-12
