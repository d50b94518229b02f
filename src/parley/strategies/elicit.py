"""The ``elicit`` mediator: a single negotinating text drafted as Bayesian experimental design.

It keeps a posterior over each party's additive weights and option values (``learning``),
fed by every answer the single-text protocol gives: better / worse / same than the draft named
as reference, and accept / reject (a party whose demands only come down finds a package it
accepted worth more than one it rejects later). Accepts and rejects also date each party's
demand, from which its reservation is estimated (``concession``). Each draft before ``focus``
is the question (new package, earlier draft to compare it with) whose answers are expected to
improve most the Nash product of the package it will table (``design``); from ``focus`` on it
tables its estimate of the Nash point, the package with the largest expected product of gains
over the estimated reservations, every other round, with a question between that a party which
rejected the estimate surely rejects too (so no worse package can end the talks).

It sees no preference profile: only its own drafts and the answers sent to it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from parley.engine.messages import Ask, Kind, Outcome
from parley.engine.view import View
from parley.strategies.base import Draft, Mediator, Param, Randomness
from parley.strategies.blind import FOCUS, own_drafts, random_package, reference_of, votes
from parley.strategies.concession import Answers, reservation_estimate
from parley.strategies.design import nash_points, question_values, scores, worlds_utilities
from parley.strategies.learning import Belief, Encoding, best_packages

READ = {"better": 1.0, "same": 1.0, "worse": -1.0}
"""What an answer says of u(draft) - u(reference). "same" is read as "not worse": true of a
truthful party, and of one that never says better (it says same for better)."""
TOP = 4
"""Best packages under the mean estimate that join the choices."""
REFERENCES = 4
"""Latest drafts a new draft may be compared with (besides the latest tabling of each choice)."""
SAFE = 0.02
"""A question after ``focus`` is worse than the estimate for a party that rejected the
estimate, in all but this share of the worlds."""
NEAR = 32
"""Options of an issue tried as one-issue changes of the best package each round, at most
(drawn afresh each round on larger issues)."""
RESERVE = 1
"""Estimate reservations (1) or take them as 0 (0)."""
POOL = 32
"""Candidate questions scored per round at most (the best by expected worth)."""
WORLDS = 96
"""Joint samples (worlds) drawn from the posterior each round for the design."""
BUDGET = 40_000
"""Worlds times option values at most (fewer worlds on domains of very many options)."""
OPTIONS = 24
"""Choices (best by expected worth) the value of information weighs."""


class Posterior(Belief):
    """``learning.Belief`` with a Gibbs sweep that redraws, all at once, the option values no
    answer has touched (uniform on [0, 1], their full conditional): the same posterior, and
    issues of thousands of options cost one vector draw instead of a loop over them."""

    def _sweep(self, features: NDArray[np.int64] | None = None) -> None:
        untouched = ~self.constraints.any(axis=0)
        if untouched.any():
            self.values[:, untouched] = self.rng.random(
                (self.values.shape[0], int(untouched.sum()))
            )
        super()._sweep(np.flatnonzero(~untouched))


class Elicit(Mediator):
    """Single text: each draft the most valuable question about the Nash point; then the
    estimated Nash point, tabled in time for the parties to sign it."""

    name = "elicit"
    summary = "single text: Bayesian design of each question, then tables the expected Nash point"
    protocols = frozenset({"single-text"})
    parameters = (FOCUS,)

    def __init__(self, rng: Randomness, **params: Param) -> None:
        super().__init__(rng, **params)
        self.focus = self.number("focus")
        self.encoding: Encoding | None = None
        self.beliefs: dict[str, Posterior] = {}
        self.answers: dict[str, Answers] = {}
        self.accepted: dict[str, list[Outcome]] = {}
        self.learned: set[int] = set()

    def draft(self, view: View, ask: Ask) -> Draft:
        return Draft(*self.choose(view))

    def choose(self, view: View) -> tuple[Outcome, int | None]:
        """The next draft and the earlier draft the parties should compare it with."""
        if self.encoding is None:
            self.encoding = Encoding(view.space.sizes)
            self.beliefs = {p: Posterior(self.encoding, self.rng) for p in view.principals}
            self.answers = {p: Answers() for p in view.principals}
        drafts = own_drafts(view)
        if not drafts:
            return random_package(self.rng, view.space), None
        self._learn(view, drafts)
        scaled = [self.beliefs[p].scaled() for p in view.principals]
        worlds = min(scaled[0].shape[0], int(np.clip(BUDGET // self.encoding.width, 32, WORLDS)))
        pick = self.rng.choice(scaled[0].shape[0], size=worlds, replace=False)
        thetas = [theta[pick] for theta in scaled]
        reservations = self.reservations(view, thetas)
        choices, labels = self._choices(view, thetas, reservations, drafts)
        gains = worlds_utilities(self.encoding, thetas, choices) - reservations
        worth = np.prod(np.maximum(gains, 0.0), axis=-1)  # (worlds, choices)
        expected = worth.mean(axis=0)
        best = tuple(int(v) for v in choices[int(np.argmax(scores(gains).mean(axis=0)))])
        last = max(drafts)
        if view.time < self.focus:
            slack = 1.0 - view.time / self.focus
            keep = expected >= (1.0 - slack) * expected.max() - 1e-12
            return self._question(drafts, thetas, choices, keep, worth, labels)
        if drafts[last][0] != best:
            return best, last
        rejecters = [
            i
            for i, p in enumerate(view.principals)
            if votes(view, last).get(p, ("",))[0] == Kind.REJECT
        ]
        mine = worlds_utilities(self.encoding, thetas, choices)
        at_best = worlds_utilities(self.encoding, thetas, np.array([best]))
        keep = np.zeros(len(choices), dtype=bool)
        for i in rejecters:
            keep |= (mine[:, :, i] >= at_best[:, :, i]).mean(axis=0) <= SAFE
        if not keep.any():
            return best, None
        return self._question(drafts, thetas, choices, keep, worth, labels)

    def reservations(self, view: View, thetas: list[NDArray[np.float64]]) -> NDArray[np.float64]:
        """Each party's estimated reservation on the 0..1 scale of the mediator's estimate."""
        assert self.encoding is not None
        found = []
        for party, theta in zip(view.principals, thetas, strict=True):
            answers = self.answers[party]
            rows = np.array(answers.packages, dtype=np.int64).reshape(-1, len(view.space.sizes))
            worth = theta.mean(axis=0)[self.encoding.columns(rows)].sum(axis=1)
            found.append(reservation_estimate(answers, worth) if RESERVE else 0.0)
        return np.array(found)

    def _choices(
        self,
        view: View,
        thetas: list[NDArray[np.float64]],
        reservations: NDArray[np.float64],
        drafts: dict[int, tuple[Outcome, object]],
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Packages the mediator may table (each world's Nash point, the best under the mean
        estimate, their one-issue changes) and each world's Nash point as an index into them."""
        assert self.encoding is not None
        space = view.space
        means = [theta.mean(axis=0) for theta in thetas]
        top = best_packages(self.encoding, means, self.rng, count=TOP, space=space)
        starts = np.array([top[0], drafts[max(drafts)][0]], dtype=np.int64)
        points = nash_points(self.encoding, thetas, reservations, starts)
        found = {tuple(int(v) for v in row) for row in points} | set(top)
        base = top[0]
        for j, n in enumerate(space.sizes):
            options = range(n) if n <= NEAR else self.rng.choice(n, NEAR, replace=False)
            found.update((*base[:j], int(o), *base[j + 1 :]) for o in options)
        choices = np.array(sorted(found), dtype=np.int64)
        choices = choices[space.possible_rows(choices)]
        index = {tuple(int(v) for v in row): k for k, row in enumerate(choices)}
        # A world whose Nash point cannot exist is labelled with the best choice in it.
        labels = np.array([index.get(tuple(int(v) for v in row), -1) for row in points])
        if (labels < 0).any():
            gains = worlds_utilities(self.encoding, thetas, choices) - reservations
            fallback = np.argmax(scores(gains), axis=1)
            labels = np.where(labels < 0, fallback, labels)
        return choices, labels

    def _question(
        self,
        drafts: dict[int, tuple[Outcome, object]],
        thetas: list[NDArray[np.float64]],
        choices: NDArray[np.int64],
        keep: NDArray[np.bool_],
        worth: NDArray[np.float64],
        labels: NDArray[np.int64],
    ) -> tuple[Outcome, int | None]:
        """The (draft, reference) pair among ``choices[keep]`` and earlier drafts with the
        largest value (``design.question_values``)."""
        assert self.encoding is not None
        expected = worth.mean(axis=0)
        weighed = np.argsort(-expected, kind="stable")[:OPTIONS]
        # The best choices by expected worth, and every one-issue change of the best (each
        # compares two options of one issue, whatever the weights).
        best = choices[int(np.argmax(expected))]
        near = (choices != best).sum(axis=1) <= 1
        ranked = np.flatnonzero(keep)[np.argsort(-expected[keep], kind="stable")[:POOL]]
        pool_index = np.union1d(ranked, np.flatnonzero(keep & near))
        pool = choices[pool_index]
        latest = {drafts[s][0]: s for s in sorted(drafts)}
        tops = [tuple(int(v) for v in choices[k]) for k in np.argsort(-expected)[:TOP]]
        refs = sorted({*sorted(drafts)[-REFERENCES:], *(latest[o] for o in tops if o in latest)})
        old = np.array([drafts[s][0] for s in refs], dtype=np.int64)
        value = question_values(
            worlds_utilities(self.encoding, thetas, pool),
            worlds_utilities(self.encoding, thetas, old),
            worth[:, weighed],
            labels,
        )
        value[(pool[:, None, :] == old[None, :, :]).all(axis=2)] = -np.inf  # no news
        if not np.isfinite(value).any():
            return tuple(int(v) for v in pool[0]), None
        c, r = np.unravel_index(int(np.argmax(value)), value.shape)
        return tuple(int(v) for v in pool[c]), refs[int(r)]

    def _learn(self, view: View, drafts: dict[int, tuple[Outcome, object]]) -> None:
        """Feed the beliefs and the dated answers with what every answered draft taught."""
        n = len(view.principals)
        for seq in sorted(drafts):
            if seq in self.learned:
                continue
            self.learned.add(seq)  # the mediator drafts only once the last draft is answered
            reference = reference_of(drafts, seq)
            draft = drafts[seq][0]
            for party, (kind, feedback) in votes(view, seq).items():
                if party not in self.beliefs:
                    continue
                belief = self.beliefs[party]
                if reference is not None and reference != draft and feedback in READ:
                    belief.learn(draft, reference, READ[feedback])
                accepted = kind == Kind.ACCEPT
                if not accepted:  # demands come down: anything accepted before is worth more
                    for earlier in self.accepted.get(party, []):
                        if earlier != draft:
                            belief.learn(earlier, draft, 1.0)
                else:
                    self.accepted.setdefault(party, []).append(draft)
                self.answers[party].add(_demand_time(view, seq, party, n), draft, accepted)


def _demand_time(view: View, seq: int, party: str, n: int) -> float:
    """When the party answered draft ``seq``, one round on: a party accepts what it would
    otherwise demand in the next round."""
    message = next(m for m in view.messages if m.seq == seq)
    turn = message.round - 1 + view.principals.index(party) / n + 1.0
    return min(1.0, turn / max(1, view.span - 1))
