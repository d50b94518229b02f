"""Atlas3, winner of ANAC 2015 (multilateral: three parties; plays any number).

Source: A. Mori, T. Ito, "Atlas3: A Negotiating Agent Based on Expecting Lower Limit of
Concession Function", in *Modern Approaches to Agent-based Complex Automated Negotiation*
(SCI 674, Springer 2017). Its abstract names a search for bids based on relative utility, a
replacement method based on the frequency of the opponents' bids, and a concession function
whose lower limit is an expected utility derived from an evolutionarily stable strategy (Mori
and Ito 2015, bilateral), extended to multilateral negotiation.

Three parts: a concession function whose lower limit is the utility the agent can expect,
found game-theoretically from the best the others have offered; a "relative utility search"
for bids near its threshold that the others are likely to accept; and an end-of-negotiation
strategy that falls back on packages the others have already supported (proposed or accepted;
this third part is our reading, not named in the abstract).

The lower limit: at time t the agent weighs holding out against conceding as a game of chicken
with each side's two moves, hold or concede. Its payoffs: B (the best package every other party
supports) if it concedes and they hold, its best u_max if it holds and they concede,
(B + u_max) / 2 if both concede, and the no-deal value r * d**(1 - t) (its reservation at the
deadline) if both hold. In the mixed equilibrium of the symmetric game the others hold with
probability q = (u_max - B) / 2 / ((u_max - B) / 2 + B - r d**(1 - t)), and the agent expects
L = (1 - q) (B + u_max) / 2 + q B; it never concedes below L nor below r.

Choices where the description is open: the game above is our reading of "expecting the lower
limit of the concession function" (the chapter's own payoff table is not reproduced in the
summaries we used); the threshold is L + (u_max - L)(1 - t**(1/e)), e = 0.1 undiscounted and
0.1 + 0.4 (1 - d) discounted; the relative utility search is the band [threshold, threshold
+ 0.03] scored by frequency models of the others (summed); the end phase (t >= 0.98) offers the
supported packages from its best down, one per turn, and accepts any supported package worth at
least its reservation. Before anything is supported B is its reservation.
"""

from __future__ import annotations

from parley.engine.messages import Ask, Outcome
from parley.engine.view import View
from parley.strategies.anac.common import TABLE, AnacAgent

WINDOW = 0.03
LAST = 0.98


def chicken(best: float, top: float, no_deal: float) -> float:
    """What the agent expects in the mixed equilibrium of the game of chicken: conceding gets
    ``best``, holding out ``top`` if the others concede and ``no_deal`` if they hold too, and
    both conceding meets half way."""
    gain, risk = (top - best) / 2, best - no_deal
    q = gain / (gain + risk) if gain + risk > 0 else 0.0  # the others hold with chance q
    return (1 - q) * (best + top) / 2 + q * best


class Atlas3(AnacAgent):
    name = "atlas3"
    summary = "ANAC 2015 winner (multilateral): lower limit from a game of chicken, end-game list"
    source = "Mori, Ito 2017, Atlas3 (Modern Approaches to ... Negotiation, SCI 674)"

    _turns = 0

    _supported: tuple[object, list[tuple[float, Outcome]]] = ((), [])

    def supported(self, view: View) -> list[tuple[float, Outcome]]:
        """Packages every other principal proposed or accepted that it may sign, best for it
        first (worked out again only when something new was seen)."""
        key = (
            len(self.received), sum(len(o.accepted) for o in self.opponents.values()),
            id(view.preferences), view.reservation,
        )  # fmt: skip
        if self._supported[0] != key:
            self._supported = (key, self._backed(view))
        return self._supported[1]

    def _backed(self, view: View) -> list[tuple[float, Outcome]]:
        backers: dict[Outcome, set[str]] = {}
        for name, opponent in self.opponents.items():
            for package in [r.outcome for r in opponent.bids] + opponent.accepted:
                backers.setdefault(package, set()).add(name)
        others = set(view.others())
        found = [(self.worth(view, p), p) for p, who in backers.items() if others <= who]
        found = found or [
            (self.worth(view, p), p) for p, who in backers.items() if TABLE in who
        ]  # mediated talks: what the table brought is the others' joint position
        found = [(u, p) for u, p in found if view.acceptable(p)]  # what it may sign now
        return sorted(found, key=lambda item: (-item[0], item[1]))

    def lower_limit(self, view: View) -> float:
        r, top, d = self.floor(view), self.top(view), self.discount(view)
        supported = self.supported(view)
        b = max(r, supported[0][0]) if supported else r
        return max(r, chicken(b, top, r * float(d ** (1.0 - view.time))))

    def threshold(self, view: View) -> float:
        low, top = self.lower_limit(view), self.top(view)
        e = 0.1 + 0.4 * (1.0 - self.discount(view))
        return max(low, low + (top - low) * (1.0 - float(view.time ** (1.0 / e))))

    def propose(self, view: View, ask: Ask) -> Outcome:
        self._turns += 1
        if view.time >= LAST:
            fallback = [p for u, p in self.supported(view) if u >= self.floor(view)]
            if fallback:
                return fallback[self._turns % len(fallback)]
        return self.near(view, self.threshold(view), WINDOW)

    def accepts(self, view: View, offer: Outcome) -> bool:
        u = self.worth(view, offer)
        if u >= self.threshold(view) - 1e-12:
            return True
        return (
            view.time >= LAST
            and u >= self.floor(view)
            and any(p == offer for _, p in self.supported(view))
        )
