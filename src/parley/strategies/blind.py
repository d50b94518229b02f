"""Blind single-text mediators: they learn only from the parties' votes and feedback.

- ``annealing`` (after Klein et al. 2003, "Negotiating complex contracts"): mutates the draft
  one issue at a time; keeps a change nobody finds worse, and walks on through changes that
  make someone worse with a probability that falls as the talks go on (simulated annealing).
- ``feedback`` (after Aydoğan et al.'s feedback mediator): every better / worse answer is a
  linear constraint on an additive model of that party (``learning.Belief``); each draft is the
  question the beliefs are least sure of among the packages worth tabling, and late in the talks
  it tables the estimated Nash point, with safe questions in between.

Neither sees a preference profile: each reads only its own drafts and the answers sent to it.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from parley.engine.messages import Ask, Kind, Outcome
from parley.engine.view import View
from parley.outcomes import OutcomeSpace
from parley.strategies.base import Draft, Mediator, Param, Parameter, Randomness
from parley.strategies.learning import Belief, Encoding, best_packages, products

SIGN = {"better": 1.0, "worse": -1.0}
"""What the feedback mediator learns from an answer ("same" tells it nothing it can rely on)."""
TOP = 8
"""Packages of the best estimated Nash product among the feedback mediator's candidates."""
THOMPSON = 8
"""Posterior samples whose own Nash point joins the candidates (each a plausible optimum)."""
RANDOM = 32
REFERENCES = 4
"""Latest drafts a new draft may be compared with."""
SAFE = 0.02
"""A question after ``focus`` must be worse than the best estimate for a party that rejected
the best estimate, in all but this share of the mediator's samples."""
LATE = 0.95
"""From this share of the talks on, a party that alone rejects weighs more in the product."""
ENDGAME = 0.2
"""The last share of the talks, in which the annealing mediator re-tables its anchor."""
LEAN = 0.5
"""How much more a party weighs in the feedback mediator's product each time it alone rejects."""
TRIES = 32
"""Random one-issue changes drawn at most to find one not yet tried near the current anchor."""


def own_drafts(view: View) -> dict[int, tuple[Outcome, object]]:
    """This mediator's drafts by message number: (package, the draft it named as reference)."""
    return {
        msg.seq: (msg.outcome, msg.data.get("against"))
        for msg in view.messages
        if msg.sender == view.party and msg.kind == Kind.DRAFT and msg.outcome is not None
    }


def votes(view: View, draft_seq: int) -> dict[str, tuple[str, str | None]]:
    """Each principal's (accept / reject, feedback or None) on the draft posted as ``draft_seq``."""
    principals = set(view.principals)
    answers: dict[str, tuple[str, str | None]] = {}
    for msg in view.messages:
        if msg.seq <= draft_seq:
            continue
        if msg.kind == Kind.DRAFT and msg.sender == view.party:
            break
        if msg.sender in principals and msg.kind in {Kind.ACCEPT, Kind.REJECT}:
            feedback = msg.data.get("feedback")
            answers[msg.sender] = (msg.kind, None if feedback is None else str(feedback))
    return answers


def reference_of(drafts: dict[int, tuple[Outcome, object]], seq: int) -> Outcome | None:
    """The package the parties compared draft ``seq`` with (as the single-text protocol does)."""
    against = drafts[seq][1]
    if isinstance(against, int) and not isinstance(against, bool) and against in drafts:
        return drafts[against][0]
    earlier = [s for s in drafts if s < seq]
    return drafts[max(earlier)][0] if earlier else None


def random_package(rng: np.random.Generator, space: OutcomeSpace) -> Outcome:
    """A package drawn evenly among those that can exist (drawn again while one breaks a
    constraint; after ``TRIES`` draws, the first possible package in outcome order)."""
    for _ in range(TRIES):
        package = tuple(int(rng.integers(n)) for n in space.sizes)
        if space.impossible(package) is None:
            return package
    return space.first_possible()


def mutate(rng: np.random.Generator, space: OutcomeSpace, base: Outcome) -> Outcome:
    """``base`` with one issue (chosen at random) set to another option (chosen at random),
    drawn again while the change breaks a constraint (``base`` itself if none is found)."""
    sizes = space.sizes
    movable = [j for j, n in enumerate(sizes) if n > 1]
    if not movable:
        return base
    for _ in range(TRIES):
        column = movable[int(rng.integers(len(movable)))]
        value = int(rng.integers(sizes[column] - 1))
        if value >= base[column]:
            value += 1
        package = (*base[:column], value, *base[column + 1 :])
        if space.impossible(package) is None:
            return package
    return base


class Annealing(Mediator):
    """Single-text simulated annealing by the mediator, one issue changed at a time.

    The mediator keeps an *anchor* (the best draft so far, as far as the votes tell) and a
    *walk* position. Each draft is the walk position with one issue changed, and the parties
    compare it with the anchor (named in ``against``). The anchor moves to the draft when
    nobody answered "worse" (so two or three changes that together help everyone are found
    even when each alone is a trade), or when every party that rejected the anchor is better
    off and every party that accepted it still accepts. Otherwise the walk moves to the draft
    with probability exp(-c / T), c the number of parties worse off than at the anchor (a trade,
    someone better, counts half), T = ``temperature`` times the share of the talks still to
    come; the walk returns to the anchor after ``depth`` changes away from it. In the last
    fifth of the talks the anchor itself is tabled again every third round, so that its votes
    (who accepts it, who does not) are fresh when they decide a balancing move.
    """

    name = "annealing"
    summary = "single text: random one-issue changes, some worse ones kept while it is hot"
    protocols = frozenset({"single-text"})
    parameters = (
        Parameter(
            "temperature",
            1.0,
            "how readily it walks through worse drafts",
            at_least=0.0,
            at_most=1e6,
        ),
        Parameter(
            "depth", 2, "changes away from the anchor before it returns", at_least=1, at_most=1000
        ),
    )

    def __init__(self, rng: Randomness, **params: Param) -> None:
        super().__init__(rng, **params)
        self.temperature = self.number("temperature")
        self.depth = max(1, int(self.number("depth")))
        self.anchor_seq: int | None = None
        self.walk: Outcome | None = None
        self.tried: set[Outcome] = set()

    def draft(self, view: View, ask: Ask) -> Draft:
        package = self._step(view)
        return Draft(package, self.anchor_seq)

    def _step(self, view: View) -> Outcome:
        drafts = own_drafts(view)
        if not drafts:
            return random_package(self.rng, view.space)
        last = max(drafts)
        latest = drafts[last][0]
        if self.anchor_seq is None or self._improves(view, last):
            if self.anchor_seq is None or latest != drafts[self.anchor_seq][0]:
                self.tried = set()
            self.anchor_seq, self.walk = last, latest
        elif self._wanders(view, last):
            self.walk = latest
        anchor = drafts[self.anchor_seq][0]
        self.tried.add(latest)
        if view.time >= 1.0 - ENDGAME and self.anchor_seq < max(
            (s for s in drafts if s != last), default=-1
        ):
            # Late in the talks the anchor is tabled again every third round, so that the
            # parties' accept / reject votes on it are fresh for the rule that balances them.
            self.walk = anchor
            return anchor
        walk = self.walk if self.walk is not None else anchor
        if sum(a != b for a, b in zip(walk, anchor, strict=True)) >= self.depth:
            walk = self.walk = anchor
        # A change already tried near this anchor is not tried again (while untried ones remain).
        for _ in range(TRIES):
            package = mutate(self.rng, view.space, walk)
            if package not in self.tried:
                break
        return package

    def _improves(self, view: View, last: int) -> bool:
        assert self.anchor_seq is not None
        now = votes(view, last)
        if not now or last == self.anchor_seq:
            return False
        if all(fb != "worse" for _, fb in now.values()):
            return True
        before = votes(view, self.anchor_seq)
        rejecters = [p for p, (kind, _) in before.items() if kind == Kind.REJECT]
        accepters = [p for p, (kind, _) in before.items() if kind == Kind.ACCEPT]
        return (
            bool(rejecters)
            and all(now.get(p, ("", None))[1] == "better" for p in rejecters)
            and all(now.get(p, ("", None))[0] == Kind.ACCEPT for p in accepters)
        )

    def _wanders(self, view: View, last: int) -> bool:
        heat = self.temperature * (1.0 - view.time)
        if heat <= 0.0:
            return False
        now = [fb for _, fb in votes(view, last).values()]
        cost = sum(fb == "worse" for fb in now) - 0.5 * sum(fb == "better" for fb in now)
        return cost <= 0 or bool(self.rng.random() < math.exp(-cost / heat))


FOCUS = Parameter(
    "focus",
    0.7,
    "share of the talks after which it tables its Nash estimate",
    at_least=0.0,
    at_most=1.0,
)
"""When a learning single-text mediator stops asking and tables its estimate (feedback, elicit)."""


class Feedback(Mediator):
    """Learns each party's option values from better / same / worse answers, then steers.

    Every answer is a linear constraint on an additive model of that party (``learning``).
    Each draft is a question: among packages worth tabling now and earlier drafts to compare
    them with (named in ``against``), it tables the pair whose answers the current beliefs
    are least sure of (largest summed entropy over the parties). What is worth tabling narrows
    as the talks go on: at first anything, then only packages whose estimated Nash product is
    within a shrinking margin of the best, and from ``focus`` (share of the talks) on only the
    estimated Nash point itself, which the parties then sign as their demands come down. In
    the last rounds, a party that alone keeps rejecting weighs more in the product.
    """

    name = "feedback"
    summary = "single text: learns each side from better / same / worse, tables the Nash estimate"
    protocols = frozenset({"single-text"})
    parameters = (FOCUS,)

    def __init__(self, rng: Randomness, **params: Param) -> None:
        super().__init__(rng, **params)
        self.focus = self.number("focus")
        self.encoding: Encoding | None = None
        self.beliefs: dict[str, Belief] = {}
        self.learned: set[int] = set()
        self.leaning: dict[str, float] = {}

    def draft(self, view: View, ask: Ask) -> Draft:
        return Draft(*self.choose(view))

    def choose(self, view: View) -> tuple[Outcome, int | None]:
        """The next draft and the earlier draft the parties should compare it with."""
        if self.encoding is None:
            self.encoding = Encoding(view.space.sizes)
            self.beliefs = {p: Belief(self.encoding, self.rng) for p in view.principals}
        drafts = own_drafts(view)
        if not drafts:
            return random_package(self.rng, view.space), None
        self._learn(view, drafts)
        last = max(drafts)
        if view.time >= LATE:
            self._lean(votes(view, last))
        values = [self.beliefs[p].estimate() for p in view.principals]
        powers = [self.leaning.get(p, 1.0) for p in view.principals]
        top = best_packages(
            self.encoding, values, self.rng, count=TOP, powers=powers, space=view.space
        )
        if view.time < self.focus:
            return self._question(view, drafts, top, values, powers, [])
        if drafts[last][0] != top[0]:
            return top[0], last
        # The best estimate was just tabled and someone rejected it: ask a question that one of
        # those who rejected it will surely reject too, so that it cannot end the talks.
        rejecters = [p for p, (kind, _) in votes(view, last).items() if kind == Kind.REJECT]
        return self._question(view, drafts, top, values, powers, rejecters)

    def _question(
        self,
        view: View,
        drafts: dict[int, tuple[Outcome, object]],
        top: list[Outcome],
        values: list[NDArray[np.float64]],
        powers: list[float],
        rejecters: list[str],
    ) -> tuple[Outcome, int | None]:
        """The most informative (draft, reference) pair among the drafts worth tabling now.

        Before ``focus`` a draft is worth tabling if its estimated Nash product is within a
        margin of the best that shrinks as time runs out; after it, if one of ``rejecters``
        (who turned down the best estimate) surely finds it worse than the best estimate.
        """
        assert self.encoding is not None
        last = max(drafts)
        candidates = np.array(self._candidates(view, top, drafts[last][0]))
        worth = products(self.encoding, values, candidates, powers)
        if rejecters:
            best = np.array([top[0]])
            keep = np.zeros(candidates.shape[0], dtype=bool)
            for party in rejecters:
                keep |= self.beliefs[party].chance_better(candidates, best)[:, 0] <= SAFE
        else:
            slack = 1.0 - view.time / self.focus
            keep = worth >= (1.0 - slack) * worth.max() - 1e-12
        if not keep.any():
            return top[0], last if drafts[last][0] != top[0] else None
        pool = candidates[keep]
        # Compare with the latest drafts and with the latest tabling of each plausible optimum.
        latest = {drafts[s][0]: s for s in sorted(drafts)}
        refs = sorted({*sorted(drafts)[-REFERENCES:], *(latest[o] for o in top if o in latest)})
        old = np.array([drafts[s][0] for s in refs])
        information = np.zeros((pool.shape[0], len(refs)))
        for belief in self.beliefs.values():
            p = np.clip(belief.chance_better(pool, old), 1e-9, 1 - 1e-9)
            information -= p * np.log(p) + (1 - p) * np.log(1 - p)
        information[(pool[:, None, :] == old[None, :, :]).all(axis=2)] = -1.0
        score = information + 1e-6 * worth[keep][:, None] / max(float(worth.max()), 1e-12)
        c, r = np.unravel_index(int(np.argmax(score)), score.shape)
        return tuple(int(v) for v in pool[c]), refs[int(r)]

    def _candidates(self, view: View, top: list[Outcome], last: Outcome) -> list[Outcome]:
        assert self.encoding is not None
        space = view.space
        found = set(top)
        for base in (top[0], last):
            for j, n in enumerate(space.sizes):
                found.update((*base[:j], o, *base[j + 1 :]) for o in range(n))
        scaled = [self.beliefs[p].scaled() for p in view.principals]
        for s in self.rng.choice(scaled[0].shape[0], size=THOMPSON, replace=False):
            best = best_packages(self.encoding, [v[s] for v in scaled], self.rng, space=space)
            found.update(best)
        found.update(random_package(self.rng, space) for _ in range(RANDOM))
        return sorted(o for o in found if space.impossible(o) is None)

    def _lean(self, answers: dict[str, tuple[str, str | None]]) -> None:
        """A party that rejects what another accepts weighs more in the product from now on."""
        kinds = {kind for kind, _ in answers.values()}
        if kinds == {Kind.ACCEPT, Kind.REJECT}:
            for party, (kind, _) in answers.items():
                if kind == Kind.REJECT:
                    self.leaning[party] = self.leaning.get(party, 1.0) + LEAN

    def _learn(self, view: View, drafts: dict[int, tuple[Outcome, object]]) -> None:
        for seq in sorted(drafts):
            if seq in self.learned:
                continue
            self.learned.add(seq)  # the mediator drafts only once the last draft is answered
            reference = reference_of(drafts, seq)
            draft = drafts[seq][0]
            if reference is None or reference == draft:
                continue
            for party, (_, feedback) in votes(view, seq).items():
                if feedback in SIGN and party in self.beliefs:
                    self.beliefs[party].learn(draft, reference, SIGN[feedback])
