"""The shuttle's learning mediator: it learns each side from the caucuses and bridges anywhere.

``nash-bridging`` sees no preference profile. It reads every answer a delegation gives it in a
caucus as evidence about the delegation's order of packages (``Ledger``), keeps an additive
belief of each party (``learning.Belief``), and brings each delegation the package it
estimates best for both: the largest estimated Nash product over the *whole* agenda, not
only between the latest positions (on categorical issues the Nash point often lies outside
them). What it brings:

- early in the talks, the Nash point of one posterior sample (Thompson sampling: each carry
  tests a plausible optimum, and the counter it draws teaches the model where it was wrong);
- later, the estimated Nash point itself, so that both sides meet on it as their demands come
  down;
- a package the other side has already signed (proposed, countered or accepted) whenever it
  is nearly as good by the estimate: if this side accepts, the deal is made;
- at the last carry of the talks, the best such signed package, so that a deal is made
  wherever one exists.

With caucus questions on (``[protocol] questions = k``), after each answer it asks the
delegation "what if...?" about up to k packages, each the one whose comparison the belief is
least sure of among the plausible optima (the most informative question, as in Bayesian
experimental design).

It assumes demands never rise (time-based concession, tit-for-tat): a package refused now is
worse than anything the delegation signed or asked for before. Reservations are taken as the
worst package (0 on the belief's scale): it has no estimate of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from parley.engine.messages import Action, Ask, Kind, Outcome
from parley.engine.view import View
from parley.strategies.base import Mediator, Param, Parameter, Randomness
from parley.strategies.concession import Answers, reservation_estimate
from parley.strategies.learning import Belief, Encoding, best_packages

ENUMERATE = 50_000
"""Agendas up to this size are scored whole; larger ones through ascents and signed packages."""
LATE = 0.9
"""From this share of the talks on, a refusal reads as a package the party cannot sign."""
RECENT = 2
"""A refused package is learnt to be worse than this many of the party's latest demands (and
of the packages it accepted latest)."""
SAMPLED = 4
"""Posterior samples whose own Nash points join the candidates of a larger agenda."""
TOP = 16
"""Best estimated packages a question is chosen among."""
CLOSE = 0.03
"""A package the other side signed is brought when its estimated product is within this share
of the estimated optimum (the share grows to twice this by the deadline)."""
QUIET = 0.05
"""A question whose answer the belief already knows with all but this chance is not asked."""
BROUGHT = frozenset({Kind.RELAY, Kind.REFRAME, Kind.DRAFT})
DEMANDS = frozenset({Kind.PROPOSE, Kind.COUNTER})


@dataclass
class Ledger:
    """What one delegation has told the mediator, in order."""

    belief: Belief
    brought: Outcome | None = None
    """The package the mediator last brought it, not yet answered."""
    reference: Outcome | None = None
    """What its next answer to a what-if question is compared with."""
    demands: list[Outcome] = field(default_factory=list)
    accepted: list[Outcome] = field(default_factory=list)
    signed: set[Outcome] = field(default_factory=set)
    refusals: list[tuple[float, Outcome]] = field(default_factory=list)
    """(share of the talks, package) of every package it refused."""
    dated: list[tuple[float, Outcome]] = field(default_factory=list)
    """(share of the talks, package) of every package it proposed or accepted."""
    learnt: set[tuple[Outcome, Outcome]] = field(default_factory=set)
    """(better, worse) pairs already fed to the belief: positions repeat round after round,
    and each constraint kept makes every later resampling step slower."""

    def prefers(self, better: Outcome, worse: Outcome) -> None:
        if better != worse and (better, worse) not in self.learnt:
            self.learnt.add((better, worse))
            self.belief.learn(better, worse, 1.0)

    def refused(self, package: Outcome, time: float) -> None:
        """``package`` is worse than what it accepted lately and its latest demands."""
        self.refusals.append((time, package))
        for better in {*self.accepted[-RECENT:], *self.demands[-RECENT:]}:
            self.prefers(better, package)

    def reservation(self, values: NDArray[np.float64], how: str) -> float:
        """Estimated reservation on the belief's scale (``values``), kept below the worth of
        anything it signed (the engine lets a party sign nothing below its reservation).

        ``late``: the worth of the best package it refused from ``LATE`` of the talks on (a
        refusal that late reads as a package it cannot sign); ``curve``: the demand curve that
        best explains when it asked for, accepted and refused what (``concession``)."""
        answers = Answers()
        for time, package in self.dated:
            answers.add(time, package, True)
        for time, package in self.refusals:
            if how == "curve" or time >= LATE:
                answers.add(time, package, False)
        refused = [p for p, ok in zip(answers.packages, answers.accepted, strict=True) if not ok]
        if how == "zero" or not refused:
            return 0.0
        rows = np.array(answers.packages, dtype=np.int64)
        worth = values[self.belief.encoding.columns(rows)].sum(axis=1)
        if how == "curve":
            found = reservation_estimate(answers, worth)
        else:
            found = max(w for w, ok in zip(worth, answers.accepted, strict=True) if not ok)
        signed = [w for w, ok in zip(worth, answers.accepted, strict=True) if ok]
        return max(0.0, min(float(found), min(signed, default=1.0) - 1e-6))

    def recently_refused(self, package: Outcome, count: int = 2) -> bool:
        return any(p == package for _, p in self.refusals[-count:])

    def heard(self, kind: Kind, outcome: Outcome | None, feedback: object, time: float) -> None:
        """Read one answer of this delegation (its message's kind, package and feedback)."""
        offer = self.brought
        if kind in DEMANDS and outcome is not None:
            if offer is not None:
                self.prefers(outcome, offer)  # a counter beats what it answers
            self.demands.append(outcome)
            self.dated.append((time, outcome))
            self.signed.add(outcome)
            self.reference = outcome
        if kind in {Kind.REJECT, Kind.COUNTER} and offer is not None:
            self.refused(offer, time)
        if kind == Kind.ACCEPT and outcome is not None:
            self.accepted.append(outcome)
            self.dated.append((time, outcome))
            self.signed.add(outcome)
        if kind == Kind.COMPARE and outcome is not None and self.reference is not None:
            if feedback == "better":
                self.prefers(outcome, self.reference)
            elif feedback == "worse":
                self.prefers(self.reference, outcome)
            self.reference = outcome
        if kind in {Kind.ACCEPT, Kind.REJECT, Kind.COUNTER}:
            self.brought = None


class NashBridging(Mediator):
    """Learns both sides from every answer in the caucuses and brings each the package it
    estimates best for both, wherever in the agenda that lies (module docstring)."""

    name = "nash-bridging"
    summary = "learns both sides from the caucuses and brings the estimated Nash point"
    protocols = frozenset({"shuttle"})
    parameters = (
        Parameter(
            "explore",
            0.5,
            "share of the talks spent learning before it brings its estimate",
            at_least=0.0,
            at_most=1.0,
        ),
        Parameter(
            "opening",
            "relay",
            "how it learns meanwhile: bring sampled optima, relay the positions, or both in turn",
            choices=("sample", "relay", "mixed"),
        ),
        Parameter(
            "reserve",
            "late",
            "each party's reservation: its best late refusal, a fitted demand curve, or 0",
            choices=("late", "curve", "zero"),
        ),
    )

    def __init__(self, rng: Randomness, **params: Param) -> None:
        super().__init__(rng, **params)
        self.ledgers: dict[str, Ledger] = {}
        self.read = 0
        self.grid: NDArray[np.int64] | None = None

    # -- answers -----------------------------------------------------------------------

    def carry(self, view: View, ask: Ask) -> Action:
        offer = ask.offer
        assert offer is not None
        relay = Action(Kind.RELAY, text=f"{view.party} carries {ask.about}'s position unchanged.")
        self._learn(view)
        party = ask.to[0]
        if party not in self.ledgers or _just_accepted(view, ask):
            return relay
        package = self._bring(view, party)
        if package is None or package == offer:
            return relay
        return Action(Kind.DRAFT, package, text=f"{view.party} puts forward a bridging package.")

    def inquire(self, view: View, ask: Ask) -> Outcome | None:
        """The most informative what-if question for the delegation in ``ask.to``."""
        self._learn(view)
        ledger = self.ledgers.get(ask.to[0])
        reference = None if ledger is None else ledger.reference
        if ledger is None or reference is None:
            return None
        rows = self._top(view)
        chance = ledger.belief.chance_better(rows, np.array([reference], dtype=np.int64))[:, 0]
        doubt = np.minimum(chance, 1.0 - chance)
        doubt[(rows == np.asarray(reference)).all(axis=1)] = -1.0
        best = int(np.argmax(doubt))
        if doubt[best] < QUIET:
            return None
        return tuple(int(v) for v in rows[best])

    # -- choosing ----------------------------------------------------------------------

    def _bring(self, view: View, party: str) -> Outcome | None:
        time = view.round / max(1, view.deadline)
        rows = self._candidates(view)
        if not rows.shape[0]:
            return None
        values = [self.ledgers[p].belief.estimate() for p in view.principals]
        floors = [
            self.ledgers[p].reservation(v, self.text("reserve"))
            for p, v in zip(view.principals, values, strict=True)
        ]
        ledger = self.ledgers[party]
        # What the party signed already it would sign again: bringing it teaches nothing.
        fresh = ~_among(rows, ledger.signed, view.space.sizes)
        if not fresh.any():
            return None
        rows = rows[fresh]
        score = _products(self._encoding(view), values, rows, floors)
        best = int(np.argmax(score))
        last = view.round >= view.deadline and party == view.principals[-1]
        exploring = time < self.number("explore")
        signed = [
            o for o in self._signed_by_others(view, party)
            if last or not ledger.recently_refused(o)
        ]  # fmt: skip
        if signed and (last or not exploring):
            found = np.array(sorted(signed), dtype=np.int64)
            theirs = _products(self._encoding(view), values, found, floors)
            pick = int(np.argmax(theirs))
            if last or theirs[pick] >= (1.0 - CLOSE * (1.0 + time)) * score[best]:
                return tuple(int(v) for v in found[pick])
        if exploring:
            opening = self.text("opening")
            if opening == "relay" or (opening == "mixed" and view.round % 2 == 0):
                return None
            return self._sampled_optimum(view, rows)
        return tuple(int(v) for v in rows[best])

    def _sampled_optimum(self, view: View, rows: NDArray[np.int64]) -> Outcome:
        """The Nash point among ``rows`` of one sample drawn from each party's belief."""
        values = []
        for p in view.principals:
            scaled = self.ledgers[p].belief.scaled()
            values.append(scaled[int(self.rng.integers(scaled.shape[0]))])
        score = _products(self._encoding(view), values, rows)
        return tuple(int(v) for v in rows[int(np.argmax(score))])

    def _candidates(self, view: View) -> NDArray[np.int64]:
        """Every package that can exist on a small agenda; on a large one, the estimated and
        sampled optima and every package a party signed."""
        space = view.space
        if space.cardinality <= ENUMERATE:
            if self.grid is None:
                sizes = space.sizes
                grid = np.indices(sizes).reshape(len(sizes), -1).T.astype(np.int64)
                self.grid = grid[space.possible_rows(grid)] if space.constraints else grid
            return self.grid
        encoding = self._encoding(view)
        found: set[Outcome] = set()
        for ledger in self.ledgers.values():
            found.update(ledger.signed)
        estimates = [self.ledgers[p].belief.estimate() for p in view.principals]
        found.update(best_packages(encoding, estimates, self.rng, count=TOP, space=space))
        for _ in range(SAMPLED):
            sampled = []
            for p in view.principals:
                scaled = self.ledgers[p].belief.scaled()
                sampled.append(scaled[int(self.rng.integers(scaled.shape[0]))])
            found.update(best_packages(encoding, sampled, self.rng, space=space))
        rows = np.array(sorted(found), dtype=np.int64)
        return rows[space.possible_rows(rows)] if space.constraints else rows

    def _top(self, view: View) -> NDArray[np.int64]:
        """The packages a question is chosen among: the best by the estimate and by samples."""
        rows = self._candidates(view)
        values = [self.ledgers[p].belief.estimate() for p in view.principals]
        score = _products(self._encoding(view), values, rows)
        order = np.argsort(-score, kind="stable")[:TOP]
        picks = [rows[order]]
        picks += [np.array([self._sampled_optimum(view, rows)]) for _ in range(SAMPLED)]
        return np.unique(np.vstack(picks), axis=0)

    def _signed_by_others(self, view: View, party: str) -> set[Outcome]:
        """Packages every principal but ``party`` has signed: if it accepts, the deal is made."""
        others = [self.ledgers[p].signed for p in view.principals if p != party]
        return set.intersection(*others) if others else set()

    def _encoding(self, view: View) -> Encoding:
        return next(iter(self.ledgers.values())).belief.encoding

    # -- learning ----------------------------------------------------------------------

    def _learn(self, view: View) -> None:
        """Feed each delegation's ledger with the messages since the last reading."""
        if not self.ledgers:
            encoding = Encoding(view.space.sizes)
            self.ledgers = {p: Ledger(Belief(encoding, self.rng)) for p in view.principals}
        messages = view.messages
        for msg in messages[self.read :]:
            if msg.sender == view.party:
                for party in msg.to:
                    ledger = self.ledgers.get(party)
                    if ledger is not None and msg.outcome is not None and msg.kind in BROUGHT:
                        ledger.brought = ledger.reference = msg.outcome
                continue
            ledger = self.ledgers.get(msg.sender)
            if ledger is not None:
                time = msg.round / max(1, view.deadline)
                ledger.heard(msg.kind, msg.outcome, msg.data.get("feedback"), time)
        self.read = len(messages)


def _products(
    encoding: Encoding,
    values: list[NDArray[np.float64]],
    rows: NDArray[np.int64],
    floors: list[float] | None = None,
) -> NDArray[np.float64]:
    """Estimated Nash product of each row: the product of gains over ``floors`` (utilities on
    the beliefs' 0..1 scale; floors 0 when not given)."""
    columns = encoding.columns(rows)
    score = np.ones(rows.shape[0])
    for k, v in enumerate(values):
        floor = 0.0 if floors is None else floors[k]
        score *= np.maximum(v[columns].sum(axis=1) - floor, 0.0)
    return score


def _among(
    rows: NDArray[np.int64], packages: set[Outcome], sizes: tuple[int, ...]
) -> NDArray[np.bool_]:
    """Which of ``rows`` are among ``packages``."""
    if not packages:
        return np.zeros(rows.shape[0], dtype=np.bool_)
    codes = np.ravel_multi_index(rows.T, sizes)
    known = np.ravel_multi_index(np.array(sorted(packages), dtype=np.int64).T, sizes)
    return np.isin(codes, known)


def _just_accepted(view: View, ask: Ask) -> bool:
    """Did ``ask.about`` just accept the package on the table? Then carry it on unchanged."""
    for msg in reversed(view.messages):
        if msg.sender == ask.about and msg.kind not in {Kind.STATEMENT, Kind.COMPARE}:
            return msg.kind == Kind.ACCEPT and msg.outcome == ask.offer
    return False
