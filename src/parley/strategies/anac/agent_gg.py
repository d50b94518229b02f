"""AgentGG, winner of ANAC 2019 (bilateral, under preference uncertainty).

Source: the ANAC 2019 report, R. Aydoğan, T. Baarslag, K. Fujita, J. Mell, J. Gratch, D. de
Jonge, Y. Mohammad, S. Nakadai, S. Morinaga, H. Osawa, C. Aranha, C. M. Jonker, "Challenges and
Main Results of the Automated Negotiating Agents Competition (ANAC) 2019", in *Multi-Agent
Systems and Agreement Technologies* (EUMAS 2020 / AT 2020, Lecture Notes in Computer Science,
Springer 2020, pp. 366-381), and the agent's summary there.
The description is short and mostly about how it learns its own preferences from a ranking.

In ANAC 2019 an agent knew only a ranking of some packages. AgentGG turns the ranking into an
"importance" of each option (options of better-ranked packages matter more) and judges packages
by their importance ratio, between its worst (0) and best (1) package; it estimates the
opponent's importances from the options the opponent offers most, and its thresholds fall in
stages: near 1 early, lower in the middle, down near the end to an estimated Nash point (the
package that maximises the product of its own and the estimated opponent importance). It
offers, among packages above its threshold, the one the opponent's estimate favours, and
accepts offers whose ratio reaches the threshold.

Choices where the description is open: Parley gives an agent its full profile, so the
importance ratio is its utility rescaled between its worst and best package (nothing is
learned from a ranking); the opponent's importance is the ``frequency`` model; the stages are:
ratio 0.99 until t = 0.1 (learning the opponent's first offers), 0.95 until 0.2, then linear
to max(N, 0.7) at t = 0.9, then linear to N at t = 0.99, N being the estimated Nash point's
ratio (over the best ``4096`` packages); never below its reservation.
"""

from __future__ import annotations

import numpy as np

from parley.engine.messages import Ask, Outcome
from parley.engine.view import View
from parley.strategies.anac.common import AnacAgent

WINDOW = 0.03


class AgentGG(AnacAgent):
    name = "agent-gg"
    summary = "ANAC 2019 winner: staged importance thresholds down to an estimated Nash point"
    source = "ANAC 2019 report (Aydoğan et al. 2020, EUMAS/AT 2020, LNCS); thin"

    _nash: tuple[int, float] = (-1, 1.0)
    """(how many offers it was estimated from, its ratio)."""

    _worst: float | None = None

    def worst(self, view: View) -> float:
        """Its worst package's utility (among those it may sign: red lines aside)."""
        if self._worst is None:
            ranking = self.ranking(view)
            self._worst = (
                self.worth(view, ranking.outcome(len(ranking) - 1)) if len(ranking) else 0.0
            )
        return self._worst

    def ratio(self, view: View, utility: float) -> float:
        low, top = self.worst(view), self.top(view)
        return 1.0 if top <= low else (utility - low) / (top - low)

    def utility_at(self, view: View, ratio: float) -> float:
        low, top = self.worst(view), self.top(view)
        return max(self.floor(view), low + ratio * (top - low))

    def nash_ratio(self, view: View) -> float:
        """The estimated Nash point's ratio (re-estimated when new offers came)."""
        if self._nash[0] != len(self.received):
            rows = self.band(view, self.floor(view))
            assert view.preferences is not None
            low, top = self.worst(view), self.top(view)
            mine = (view.preferences.utilities(rows) - low) / max(top - low, 1e-12)
            models = [o.model for o in self.others(view) if o.model is not None and o.bids]
            theirs = sum(m.utilities(rows) for m in models) / len(models) if models else 1.0
            self._nash = (len(self.received), float(mine[int(np.argmax(mine * theirs))]))
        return self._nash[1]

    def threshold(self, view: View) -> float:
        t = view.time
        if t < 0.1:
            ratio = 0.99
        elif t < 0.2:
            ratio = 0.95
        else:
            nash = self.nash_ratio(view)
            middle = max(nash, 0.7)
            if t < 0.9:
                ratio = 0.95 - (0.95 - middle) * (t - 0.2) / 0.7
            else:
                ratio = middle - (middle - nash) * min(1.0, (t - 0.9) / 0.09)
        return self.utility_at(view, ratio)

    def propose(self, view: View, ask: Ask) -> Outcome:
        return self.near(view, self.threshold(view), WINDOW)

    def accepts(self, view: View, offer: Outcome) -> bool:
        return self.worth(view, offer) >= self.threshold(view) - 1e-12
