"""HardHeaded, winner of ANAC 2011.

Source: the ANAC 2011 report, K. Fujita, T. Ito, T. Baarslag, K. Hindriks, C. Jonker, S. Kraus,
R. Lin, "The Second Automated Negotiating Agents Competition (ANAC2011)", in *Complex
Automated Negotiations: Theories, Models, and Software Competitions* (SCI 435, Springer 2013),
which describes the participating agents; and the agent's own chapter, "HardHeaded" by
T. van Krimpen, D. Looije and S. Hajizadeh, which our search of publishers' pages did not find
(its volume, year and pages are unverified).

A Boulware, monotonic concession: the target is p(t) = P_min + (P_max - P_min) * (1 - F(t)),
F(t) = k + (1 - k) * t**(1/e) with a very small e, so it hardly moves until the end. Among the
packages in a small window above the target it offers the one its frequency model of the
opponent values most (the model is ``parley.strategies.boa.models``' ``frequency``: unchanged
issues gain weight, options are valued by how often they are offered). It accepts an offer
worth at least what it would propose next.

Choices where the description is open: e = 0.05, k = 0 (parameters ``e`` and ``k``);
P_min = max(reservation, ``floor`` * P_max) with ``floor`` = 0.6, the chapter's "minimum
utility" being a fixed number tuned for ANAC 2011's domains; the window is 0.05 of utility;
when the best offer received already reaches the target, it offers that one (as the BOA
decoupling of HardHeaded does); the same schedule in discounted domains (the description we
worked from gives no rule for them).
"""

from __future__ import annotations

from parley.engine.messages import Ask, Outcome
from parley.engine.view import View
from parley.strategies.anac.common import AnacAgent
from parley.strategies.base import Param, Parameter, Randomness

WINDOW = 0.05


class HardHeaded(AnacAgent):
    name = "hardheaded"
    summary = "ANAC 2011 winner: Boulware concession, bids chosen by a frequency model"
    source = "ANAC 2011 report (Fujita et al. 2013, SCI 435); van Krimpen et al., HardHeaded"
    parameters = (
        Parameter("e", 0.05, "concession exponent (small: concedes at the end)", above=0.0),
        Parameter("k", 0.0, "share conceded at once", at_least=0.0, at_most=1.0),
        Parameter("floor", 0.6, "least share of its best utility it aims at", at_least=0.0,
                  at_most=1.0),
    )  # fmt: skip

    def __init__(self, rng: Randomness, **params: Param) -> None:
        super().__init__(rng, **params)
        self.e, self.k = self.number("e"), self.number("k")

    def target(self, view: View, time: float | None = None) -> float:
        """p(t) at ``time`` (now by default)."""
        t = view.time if time is None else time
        top = self.top(view)
        low = min(top, max(self.floor(view), self.number("floor") * top))
        conceded = self.k + (1.0 - self.k) * float(t ** (1.0 / self.e))
        return low + (top - low) * (1.0 - conceded)

    def propose(self, view: View, ask: Ask) -> Outcome:
        target = self.target(view)
        best = self.best_reaching(view, target)
        if best is not None:
            return best
        return self.near(view, target, WINDOW)

    def accepts(self, view: View, offer: Outcome) -> bool:
        step = 1.0 / max(1, (view.span - 1) * len(view.principals))
        return self.worth(view, offer) >= self.target(view, min(1.0, view.time + step)) - 1e-12
