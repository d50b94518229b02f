"""Built-in mediators: relay (carries messages), bridging (shuttle), hill-climb (single text).

None of them sees a preference: they learn only from what the parties say to them (bridging
keeps a ``learning.Belief`` of each party, fed by the caucuses).
"""

from __future__ import annotations

import itertools

import numpy as np
from numpy.typing import NDArray

from parley.engine.messages import Action, Ask, Kind, Outcome
from parley.engine.view import View
from parley.strategies.base import Draft, Mediator, Param, Randomness
from parley.strategies.blind import random_package
from parley.strategies.learning import Belief, Encoding, products

CANDIDATES = 4096
"""Bridging packages scored per carry (all of them when the region between positions is small)."""


class Relay(Mediator):
    """Carries each position on verbatim, as Oman's foreign minister did in Muscat."""

    name = "relay"
    summary = "carries each position on verbatim"
    protocols = frozenset({"shuttle"})

    def carry(self, view: View, ask: Ask) -> Action:
        return Action(Kind.RELAY, text=f"{view.party} carries {ask.about}'s position unchanged.")


class Bridging(Mediator):
    """Proposes packages between the parties' positions, rated by a model it learns from them.

    Its model of each party is the additive belief of ``learning``, fed by what the caucuses
    reveal about the party's order of packages: a counter-proposal is worth more to its author
    than the package it answers, a rejected package less than the party's own standing
    proposal, and a package accepted in one round more than any it refuses later (demands only
    come down). Among the packages between the latest positions (each issue between the lowest
    and highest option the positions take) it brings the one with the best estimated Nash
    product that the receiving party has not already turned down.
    """

    name = "bridging"
    summary = "learns both sides from the caucuses and proposes between their positions"
    protocols = frozenset({"shuttle"})

    def __init__(self, rng: Randomness, **params: Param) -> None:
        super().__init__(rng, **params)
        self.beliefs: dict[str, Belief] = {}
        self.read = 0

    def carry(self, view: View, ask: Ask) -> Action:
        offer = ask.offer
        assert offer is not None
        relay = Action(Kind.RELAY, text=f"{view.party} carries {ask.about}'s position unchanged.")
        self._learn(view)
        positions = [view.latest_proposal(p) for p in view.principals]
        if any(p is None for p in positions) or _just_accepted(view, ask):
            return relay
        encoding = next(iter(self.beliefs.values())).encoding
        values = [self.beliefs[p].estimate() for p in view.principals]
        candidates = self._between(view, [p for p in positions if p is not None])
        candidates = candidates[view.space.possible_rows(candidates)]
        score = products(encoding, values, candidates)
        refused = _refused_by(view, ask.to[0])
        for position in np.argsort(-score, kind="stable"):
            package = tuple(int(v) for v in candidates[position])
            if package not in refused:
                break
        else:
            return relay
        if package == offer:
            return relay
        return Action(Kind.DRAFT, package, text=f"{view.party} puts forward a bridging package.")

    def _learn(self, view: View) -> None:
        """Feed each party's belief with the orders of packages its answers reveal."""
        if not self.beliefs:
            encoding = Encoding(view.space.sizes)
            self.beliefs = {p: Belief(encoding, self.rng) for p in view.principals}
        brought: dict[str, Outcome] = {}
        standing: dict[str, Outcome] = {}
        accepted: dict[str, list[Outcome]] = {}
        for index, msg in enumerate(view.messages):
            fresh = index >= self.read
            if msg.sender == view.party and msg.outcome is not None:
                for party in msg.to:
                    brought[party] = msg.outcome
                continue
            party, belief = msg.sender, self.beliefs.get(msg.sender)
            if belief is None:
                continue
            offer = brought.get(party)
            if msg.kind in {Kind.PROPOSE, Kind.COUNTER} and msg.outcome is not None:
                if fresh and msg.kind == Kind.COUNTER and offer is not None:
                    belief.learn(msg.outcome, offer, 1.0)
                standing[party] = msg.outcome
            if msg.kind in {Kind.REJECT, Kind.COUNTER} and offer is not None and fresh:
                if msg.kind == Kind.REJECT and party in standing:
                    belief.learn(standing[party], offer, 1.0)
                for earlier in accepted.get(party, []):
                    belief.learn(earlier, offer, 1.0)
            if msg.kind == Kind.ACCEPT and offer is not None:
                accepted.setdefault(party, []).append(offer)
        self.read = len(view.messages)

    def _between(self, view: View, latest: list[Outcome]) -> NDArray[np.int64]:
        ranges = []
        for column in range(len(view.space.sizes)):
            values = [o[column] for o in latest]
            ranges.append(range(min(values), max(values) + 1))
        total = int(np.prod([len(r) for r in ranges]))
        if total <= CANDIDATES:
            return np.array(list(itertools.product(*ranges)), dtype=np.int64)
        sample = np.column_stack([self.rng.integers(r.start, r.stop, CANDIDATES) for r in ranges])
        return np.vstack([np.array(latest, dtype=np.int64), sample])


def _refused_by(view: View, party: str) -> set[Outcome]:
    """Packages this mediator brought to ``party`` that it rejected or countered."""
    refused: set[Outcome] = set()
    brought: dict[int, Outcome] = {}
    for msg in view.messages:
        if msg.sender == view.party and party in msg.to and msg.outcome is not None:
            brought[msg.seq] = msg.outcome
        elif msg.sender == party and msg.kind in {Kind.REJECT, Kind.COUNTER} and brought:
            refused.add(brought[max(brought)])
    return refused


def _just_accepted(view: View, ask: Ask) -> bool:
    """Did ``ask.about`` just accept the package on the table? Then carry it on unchanged."""
    for msg in reversed(view.messages):
        if msg.sender == ask.about and msg.kind != Kind.STATEMENT:
            return msg.kind == Kind.ACCEPT and msg.outcome == ask.offer
    return False


class HillClimb(Mediator):
    """Single-text hill climbing from a random first draft, one issue changed at a time.

    Each new draft is compared by the parties with the current base draft (named in the draft's
    ``against`` field). The change is kept when nobody is worse off, or when every party that
    rejected the base is better off and every party that accepted it accepts the change too:
    the text climbs toward packages all parties can sign.
    """

    name = "hill-climb"
    summary = "single text: one issue changed at a time, kept when nobody is worse off"
    protocols = frozenset({"single-text"})

    def __init__(self, rng: Randomness, **params: Param) -> None:
        super().__init__(rng, **params)
        self.base_seq: int | None = None

    def draft(self, view: View, ask: Ask) -> Draft:
        package = self._climb(view)
        return Draft(package, self.base_seq)

    def _climb(self, view: View) -> Outcome:
        drafts = {
            msg.seq: msg
            for msg in view.messages
            if msg.sender == view.party and msg.kind == Kind.DRAFT
        }
        if not drafts:
            return random_package(self.rng, view.space)
        last = max(drafts)
        if self.base_seq is None or _improves(_answers(view, self.base_seq), _answers(view, last)):
            self.base_seq = last
        base = drafts[self.base_seq].outcome
        assert base is not None
        return self._neighbour(view, base)

    def _neighbour(self, view: View, base: Outcome) -> Outcome:
        """``base`` one option up or down on a random issue; when that change breaks a
        constraint, the next such change that does not (``base`` itself if none)."""
        sizes = view.space.sizes
        movable = [j for j, n in enumerate(sizes) if n > 1]
        if not movable:
            return base
        first = int(self.rng.integers(len(movable)))
        step = 1 if self.rng.random() < 0.5 else -1
        for column in movable[first:] + movable[:first]:
            for change in (step, -step):
                value = base[column] + change
                package = (*base[:column], value, *base[column + 1 :])
                if 0 <= value < sizes[column] and view.space.impossible(package) is None:
                    return package
        return base


def _answers(view: View, draft_seq: int) -> dict[str, tuple[str, str]]:
    """Each party's (accept/reject, feedback) on the draft posted as message ``draft_seq``."""
    answers: dict[str, tuple[str, str]] = {}
    for msg in view.messages:
        if msg.seq <= draft_seq or msg.kind not in {Kind.ACCEPT, Kind.REJECT, Kind.DRAFT}:
            continue
        if msg.kind == Kind.DRAFT and msg.sender == view.party:
            break
        answers[msg.sender] = (msg.kind, str(msg.data.get("feedback", "same")))
    return answers


def _improves(base: dict[str, tuple[str, str]], candidate: dict[str, tuple[str, str]]) -> bool:
    if not candidate:
        return False
    feedback = {party: fb for party, (_, fb) in candidate.items()}
    if all(fb != "worse" for fb in feedback.values()):
        return True
    unhappy = [p for p, (kind, _) in base.items() if kind == Kind.REJECT]
    happy = [p for p, (kind, _) in base.items() if kind == Kind.ACCEPT]
    return (
        bool(unhappy)
        and all(feedback.get(p) == "better" for p in unhappy)
        and all(candidate.get(p, ("", ""))[0] == Kind.ACCEPT for p in happy)
    )
