"""Caduceus, winner of ANAC 2016 (multilateral; plays any number of parties).

Source: T. D. Güneş, E. Arditi, R. Aydoğan, "Collective Voice of Experts in Multilateral
Negotiation", in *PRIMA 2017: Principles and Practice of Multi-Agent Systems* (LNCS 10621,
Springer 2017, pp. 450-458). The paper combines negotiation experts in two ways, an
"incremental portfolio" (one expert's suggestion picked at random, weighted by expertise) and a
"crossover strategy" (each expert suggests a bid and a majority vote on each issue decides
it), and compares them with the ANAC 2016 finalists. Caduceus won ANAC 2016 (Atalay, Güneş,
Kırdan, per the competition's page); the paper's abstract does not call its strategies
Caduceus, so reading Caduceus as the crossover strategy is ours.

The agent is a committee of experts, earlier ANAC agents, each with a weight. For most of the
negotiation it simply offers its best package; afterwards it asks every expert for its bid and
combines them issue by issue, taking on each issue the option the experts back with the most
weight (a weighted majority vote); it accepts when the weighted majority of the experts would.

Choices where the description is open: its experts were earlier ANAC agents (which ones is not
in the abstract); ours are the ANAC agents of this package
that predate it, Atlas3, CUHKAgent, HardHeaded, AgentK and Gahboninho, weighted 5, 4, 3, 2, 1
(their ANAC ranking, best first); the best-bid phase lasts until t = 0.83 undiscounted and
0.83 d in a domain with discount d; a combined bid worth less to it than the least any expert
asked for is replaced by the heaviest expert's bid (so it never offers below its experts'
consensus floor).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from parley.engine.messages import Ask, Outcome
from parley.engine.view import View
from parley.strategies.anac.agent_k import AgentK
from parley.strategies.anac.atlas3 import Atlas3
from parley.strategies.anac.common import AnacAgent
from parley.strategies.anac.cuhk_agent import CUHKAgent
from parley.strategies.anac.gahboninho import Gahboninho
from parley.strategies.anac.hardheaded import HardHeaded

EXPERTS: tuple[tuple[type[AnacAgent], float], ...] = (
    (Atlas3, 5.0), (CUHKAgent, 4.0), (HardHeaded, 3.0), (AgentK, 2.0), (Gahboninho, 1.0),
)  # fmt: skip
BEST_UNTIL = 0.83


class Caduceus(AnacAgent):
    name = "caduceus"
    summary = "ANAC 2016 winner (multilateral): weighted vote of expert agents, issue by issue"
    source = "Güneş, Arditi, Aydoğan 2017, Collective Voice of Experts ... (PRIMA, LNCS 10621)"

    _experts: list[tuple[AnacAgent, float]] | None = None

    def experts(self) -> list[tuple[AnacAgent, float]]:
        if self._experts is None:  # each its own generator, drawn from the seat's
            seeds = self.rng.integers(2**63, size=len(EXPERTS))
            self._experts = [
                (cls(np.random.default_rng(int(seed))), weight)
                for (cls, weight), seed in zip(EXPERTS, seeds, strict=True)
            ]
        return self._experts

    def observe(self, view: View) -> None:
        super().observe(view)
        for expert, _ in self.experts():
            expert.observe(view)

    def voting(self, view: View) -> bool:
        return view.time >= BEST_UNTIL * self.discount(view)

    def propose(self, view: View, ask: Ask) -> Outcome:
        best = self.ranking(view).outcome(0)
        if not self.voting(view):
            return best
        bids = [(expert.propose(view, ask), weight) for expert, weight in self.experts()]
        votes: list[dict[int, float]] = [defaultdict(float) for _ in view.space.sizes]
        for bid, weight in bids:
            for column, option in enumerate(bid):
                votes[column][option] += weight
        combined = tuple(max(sorted(v), key=v.__getitem__) for v in votes)
        least = min(self.worth(view, bid) for bid, _ in bids)
        if view.acceptable(combined) and self.worth(view, combined) >= least - 1e-12:
            return combined
        return bids[0][0]

    def accepts(self, view: View, offer: Outcome) -> bool:
        if not self.voting(view):
            return self.worth(view, offer) >= self.top(view) - 1e-12
        yes = sum(w for expert, w in self.experts() if expert.accepts(view, offer))
        return yes > sum(w for _, w in self.experts()) / 2
