"""Blind single-text mediators: they learn only from the parties' votes and feedback.

- ``annealing`` (after Klein et al. 2003, "Negotiating complex contracts"): mutates the draft
  one issue at a time; keeps a change nobody finds worse, and walks on through changes that
  make someone worse with a probability that falls as the talks go on (simulated annealing).
- ``feedback`` (after Aydoğan et al.'s feedback mediator): learns from better / same / worse
  answers which options each party prefers on each issue and how much each issue matters to
  it, then tables the packages its learned model rates best for the product of the parties'
  estimated utilities.

Neither sees a preference profile: each reads only its own drafts and the answers sent to it.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from parley.engine import messages as m
from parley.engine.messages import Action, Ask, Outcome
from parley.engine.strategies.base import Mediator
from parley.engine.view import View

SCORE = {"better": 1.0, "same": 0.0, "worse": -1.0}
ENUMERATE = 50_000
"""Spaces up to this size are scored whole by the feedback mediator; larger ones are sampled."""
SAMPLE = 4096
FIT_STEPS = 200
FIT_RATE = 0.5
REGULARISATION = 0.01
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
        if msg.sender == view.party and msg.kind == m.DRAFT and msg.outcome is not None
    }


def votes(view: View, draft_seq: int) -> dict[str, tuple[str, str | None]]:
    """Each principal's (accept / reject, feedback or None) on the draft posted as ``draft_seq``."""
    principals = set(view.principals)
    answers: dict[str, tuple[str, str | None]] = {}
    for msg in view.messages:
        if msg.seq <= draft_seq:
            continue
        if msg.kind == m.DRAFT and msg.sender == view.party:
            break
        if msg.sender in principals and msg.kind in {m.ACCEPT, m.REJECT}:
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


def random_package(rng: np.random.Generator, sizes: tuple[int, ...]) -> Outcome:
    return tuple(int(rng.integers(n)) for n in sizes)


def mutate(rng: np.random.Generator, sizes: tuple[int, ...], base: Outcome) -> Outcome:
    """``base`` with one issue (chosen at random) set to another option (chosen at random)."""
    movable = [j for j, n in enumerate(sizes) if n > 1]
    if not movable:
        return base
    column = movable[int(rng.integers(len(movable)))]
    value = int(rng.integers(sizes[column] - 1))
    if value >= base[column]:
        value += 1
    return (*base[:column], value, *base[column + 1 :])


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
    protocols = frozenset({"single-text"})

    def __init__(self, rng: np.random.Generator, **params: str | int | float | bool) -> None:
        super().__init__(rng, **params)
        self.temperature = self.number("temperature", 1.0)
        self.depth = max(1, int(self.number("depth", 2)))
        self.anchor_seq: int | None = None
        self.walk: Outcome | None = None
        self.tried: set[Outcome] = set()

    def act(self, view: View, ask: Ask) -> Action:
        package = self.draft(view, ask)
        data = {} if self.anchor_seq is None else {"against": self.anchor_seq}
        return Action(m.DRAFT, package, data=data)

    def draft(self, view: View, ask: Ask) -> Outcome:
        drafts = own_drafts(view)
        if not drafts:
            return random_package(self.rng, view.space.sizes)
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
            package = mutate(self.rng, view.space.sizes, walk)
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
        rejecters = [p for p, (kind, _) in before.items() if kind == m.REJECT]
        accepters = [p for p, (kind, _) in before.items() if kind == m.ACCEPT]
        return (
            bool(rejecters)
            and all(now.get(p, ("", None))[1] == "better" for p in rejecters)
            and all(now.get(p, ("", None))[0] == m.ACCEPT for p in accepters)
        )

    def _wanders(self, view: View, last: int) -> bool:
        heat = self.temperature * (1.0 - view.time)
        if heat <= 0.0:
            return False
        now = [fb for _, fb in votes(view, last).values()]
        cost = sum(fb == "worse" for fb in now) - 0.5 * sum(fb == "better" for fb in now)
        return cost <= 0 or bool(self.rng.random() < math.exp(-cost / heat))


class Feedback(Mediator):
    """Learns each party's preferences from better / same / worse answers, then steers.

    Model: a linear-additive utility per party (one value per option of every issue), fitted
    to the party's answers by regularised logistic regression: "better" means the draft is
    worth more than the package it was compared with, "worse" less, "same" about as much.

    It explores first, for at most ``explore`` of the rounds: one issue changed at a time
    from a base, trying every option of every issue (which options each party prefers), then
    two issues at a time (which issues matter more to whom); the base climbs to any draft
    nobody finds worse and someone finds better. Then it tables the package with the best
    product of the estimated utilities (each scaled 0..1 over the space) among those it has not
    tabled in the last ``cycle`` rounds, so that the best few come back as demands soften. A
    party that rejects a draft another accepts weighs more in the product from then on (its
    estimated utility is raised to a growing power), which moves the text its way.
    """

    name = "feedback"
    protocols = frozenset({"single-text"})

    def __init__(self, rng: np.random.Generator, **params: str | int | float | bool) -> None:
        super().__init__(rng, **params)
        self.explore = self.number("explore", 0.5)
        self.cycle = max(1, int(self.number("cycle", 4)))
        self.base_seq: int | None = None
        self.learned: set[int] = set()
        self.queue: list[tuple[int, int]] = []
        self.comparisons: dict[str, list[tuple[NDArray[np.float64], float]]] = {}
        self.exploiting = False
        self.tabled: list[Outcome] = []
        self.leaning: dict[str, float] = {}

    def act(self, view: View, ask: Ask) -> Action:
        package = self.draft(view, ask)
        self.tabled.append(package)
        against = {} if self.base_seq is None or self.exploiting else {"against": self.base_seq}
        return Action(m.DRAFT, package, data=against)

    def draft(self, view: View, ask: Ask) -> Outcome:
        sizes = view.space.sizes
        drafts = own_drafts(view)
        if not drafts:
            self.queue = [(j, o) for j, n in enumerate(sizes) for o in range(n)]
            return random_package(self.rng, sizes)
        self._learn(view, drafts)
        last = max(drafts)
        if self.base_seq is None:
            self.base_seq = last
        elif not self.exploiting and last != self.base_seq:
            answers = [fb for _, fb in votes(view, last).values()]
            if answers and "worse" not in answers and "better" in answers:
                self.base_seq = last
        base = drafts[self.base_seq][0]
        if not self.exploiting:
            while self.queue and base[self.queue[0][0]] == self.queue[0][1]:
                self.queue.pop(0)
            if view.time < self.explore:
                if self.queue:
                    j, o = self.queue.pop(0)
                    return (*base[:j], o, *base[j + 1 :])
                if sum(n > 1 for n in sizes) >= 2:
                    return mutate(self.rng, sizes, mutate(self.rng, sizes, base))
            self.exploiting = True
        else:
            self._lean(votes(view, last))
        return self._best(view, base)

    def _lean(self, answers: dict[str, tuple[str, str | None]]) -> None:
        """A party that rejects what another accepts weighs more in the product from now on."""
        kinds = {kind for kind, _ in answers.values()}
        if kinds == {m.ACCEPT, m.REJECT}:
            for party, (kind, _) in answers.items():
                if kind == m.REJECT:
                    self.leaning[party] = self.leaning.get(party, 1.0) + LEAN

    def _learn(self, view: View, drafts: dict[int, tuple[Outcome, object]]) -> None:
        offsets = np.cumsum([0, *view.space.sizes[:-1]])
        width = int(sum(view.space.sizes))
        for seq in sorted(drafts):
            if seq in self.learned:
                continue
            self.learned.add(seq)  # the mediator drafts only once the last draft is answered
            answers = votes(view, seq)
            reference = reference_of(drafts, seq)
            draft = drafts[seq][0]
            if not answers or reference is None or reference == draft:
                continue
            change = np.zeros(width)
            change[offsets + np.asarray(draft)] += 1.0
            change[offsets + np.asarray(reference)] -= 1.0
            for party, (_, feedback) in answers.items():
                if feedback in SCORE:
                    self.comparisons.setdefault(party, []).append((change, SCORE[feedback]))

    def values(self, view: View, party: str) -> NDArray[np.float64]:
        """The fitted value of every option (issues one after another), 0 if nothing is known."""
        width = int(sum(view.space.sizes))
        known = self.comparisons.get(party, [])
        if not known:
            return np.zeros(width)
        changes = np.array([c for c, _ in known])
        signs = np.array([s for _, s in known])
        decided = signs != 0
        theta = np.zeros(width)
        for _ in range(FIT_STEPS):
            margin = changes @ theta
            grad = np.zeros(width)
            if decided.any():
                z = np.clip(signs[decided] * margin[decided], -30.0, 30.0)
                weight = -signs[decided] / (1.0 + np.exp(z))
                grad += weight @ changes[decided]
            if (~decided).any():
                grad += 2.0 * margin[~decided] @ changes[~decided]
            grad = grad / len(known) + REGULARISATION * theta
            theta -= FIT_RATE * grad
        return theta

    def estimated(self, view: View, party: str, rows: NDArray[np.int64]) -> NDArray[np.float64]:
        """The learned utility of ``party`` for each row, scaled 0..1 over the rows."""
        theta = self.values(view, party)
        offsets = np.cumsum([0, *view.space.sizes[:-1]])
        total = theta[rows + offsets].sum(axis=1)
        span = total.max() - total.min()
        return (total - total.min()) / span if span > 0 else np.full(rows.shape[0], 0.5)

    def _best(self, view: View, base: Outcome) -> Outcome:
        space = view.space
        if space.cardinality <= ENUMERATE:
            rows = space.all_rows().astype(np.int64)
        else:
            sample = np.column_stack([self.rng.integers(0, n, SAMPLE) for n in space.sizes])
            rows = np.vstack([np.asarray([base], dtype=np.int64), sample.astype(np.int64)])
        score = np.ones(rows.shape[0])
        for party in view.principals:
            score *= self.estimated(view, party, rows) ** self.leaning.get(party, 1.0)
        recent = set(self.tabled[-self.cycle :])
        for position in np.argsort(-score, kind="stable"):
            package = tuple(int(v) for v in rows[position])
            if package not in recent:
                return package
        return base
