"""PonPokoAgent, winner of ANAC 2017 (multilateral; plays any number of parties).

Source: the ANAC 2017 report, R. Aydoğan, K. Fujita, T. Baarslag, C. M. Jonker, T. Ito, "ANAC
2017: Repeated Multilateral Negotiation League", in *Advances in Automated Negotiations*
(ACAN 2018; SCI 905, Springer 2021, pp. 101-115), and the agent's summary there; no paper by
its author was available to us. The description is short. (The 2017 league was repeated:
agents could learn from earlier sessions with the same opponents; nothing here carries over
between sessions.)

At the start the agent draws one of several threshold patterns at random, which keeps
opponents from learning it. A pattern gives, at each time, a high and a low threshold: the
agent offers packages whose utility lies between them and accepts any offer above the low one.
Some patterns oscillate (a sine of the time), so its demands rise and fall.

Choices where the description is open: five patterns (utilities as shares of its best):
0: high 1 - t/10, low high - |sin(40 t)|/10; 1: high 1 - t/5, low high - 0.05;
2: high 1 - t/10, low 1 - t/10 - |sin(20 t)|/5 (clipped at 0.6); 3: high 1 - t/20, low 1 - t/10
until t = 0.99, then 1 - 3t/10; 4: high 1 - 3 t |sin(20 t)| / 20, low 1 - t |sin(20 t)| / 5;
never below its reservation; the package between the thresholds is drawn at random (the
seat's generator, so replays repeat it). The pattern can be fixed with ``pattern`` (-1: draw).
"""

from __future__ import annotations

import math

from parley.engine.messages import Ask, Outcome
from parley.engine.view import View
from parley.strategies.anac.common import AnacAgent
from parley.strategies.base import Param, Parameter, Randomness

PATTERNS = 5


def band(pattern: int, t: float) -> tuple[float, float]:
    """(low, high) for ``pattern`` at time ``t``, as shares of the best utility."""
    if pattern == 0:
        high = 1 - t / 10
        return high - abs(math.sin(40 * t)) / 10, high
    if pattern == 1:
        high = 1 - t / 5
        return high - 0.05, high
    if pattern == 2:
        return max(0.6, 1 - t / 10 - abs(math.sin(20 * t)) / 5), 1 - t / 10
    if pattern == 3:
        return (1 - t / 10 if t < 0.99 else 1 - 3 * t / 10), 1 - t / 20
    wave = abs(math.sin(20 * t))
    return 1 - t * wave / 5, 1 - 3 * t * wave / 20


class PonPoko(AnacAgent):
    name = "ponpoko"
    summary = "ANAC 2017 winner (multilateral): a randomly drawn, oscillating threshold pattern"
    source = "ANAC 2017 report (Aydoğan et al. 2021, SCI 905); thin"
    parameters = (
        Parameter("pattern", -1, "threshold pattern 0-4 (-1: drawn at the start)", at_least=-1,
                  at_most=PATTERNS - 1),
    )  # fmt: skip

    def __init__(self, rng: Randomness, **params: Param) -> None:
        super().__init__(rng, **params)
        self._pattern = int(self.params["pattern"])

    @property
    def pattern(self) -> int:
        if self._pattern < 0:
            self._pattern = int(self.rng.integers(PATTERNS))
        return self._pattern

    def thresholds(self, view: View) -> tuple[float, float]:
        """(low, high) utilities now."""
        low, high = band(self.pattern, view.time)
        top, floor = self.top(view), self.floor(view)
        return max(floor, low * top), max(floor, high * top)

    def propose(self, view: View, ask: Ask) -> Outcome:
        low, high = self.thresholds(view)
        return self.random_in(self.band(view, low, high))

    def accepts(self, view: View, offer: Outcome) -> bool:
        return self.worth(view, offer) >= self.thresholds(view)[0] - 1e-12
