"""The confidential mediator: a neutral that holds the preference profiles principals confide.

It invites every principal to confide (``Mediator.confidential``; see
``engine.protocols.confide``). Once all have, it computes the Pareto frontier of the confided
profiles (``parley.analysis.analyze_profiles``) and ranks the frontier packages in the ZOPA by
its ``criterion`` (gains over each party's BATNA, the reservation value it confided):

- ``nash`` (default): the largest product of gains; the first package is the Nash point;
- ``kalai``: the most nearly equal normalised gains (the Kalai-Smorodinsky point first);
- ``maximin``: the largest smallest gain (the egalitarian point first).

It tables the first package (as the single text, or as its draft in every caucus) and holds it
while a rejection may still be bargaining; it moves down the ranking, to the next package that
every rejecting principal rates higher, only after a rejection in the round before the deadline
or later (an outside event may have raised that principal's reservation above what it
confided). With truthful profiles, a non-empty ZOPA and parties that accept anything above their
reservation by the end (every built-in time-based negotiator does), the agreement is exactly the
criterion's optimum.

If a principal declines to confide, or the confided profiles leave no ZOPA, it mediates blind
(relaying in shuttle talks, hill-climbing in single-text talks).
"""

from __future__ import annotations

import numpy as np

from parley.analysis import Analysis, Point, analyze_profiles
from parley.analysis.points import egalitarian_score, kalai_score, nash_score, quantize
from parley.engine.messages import Action, Ask, Kind, Outcome
from parley.engine.view import View
from parley.outcomes import OutcomeSpace
from parley.preferences import Preferences
from parley.strategies.base import Draft, Mediator, Param, Parameter, Randomness
from parley.strategies.mediators import HillClimb

CRITERIA = ("nash", "kalai", "maximin")


def ranked_frontier(analysis: Analysis, criterion: str) -> list[Point]:
    """The frontier packages in the ZOPA, the criterion's optimum first, then by its score
    (ties: larger sum of utilities, then frontier order)."""
    if criterion not in CRITERIA:
        raise ValueError(f"criterion must be one of {', '.join(CRITERIA)}, not {criterion!r}")
    best = {"nash": analysis.nash, "kalai": analysis.kalai, "maximin": analysis.egalitarian}[
        criterion
    ]
    if best is None:
        return []
    inside = [p for p in analysis.pareto if analysis.meets_reservations(p.utilities)]
    rest = [p for p in inside if p.outcome != best.outcome]
    if not rest:
        return [best]
    u = quantize(np.array([p.utilities for p in rest], dtype=np.float64))
    d = quantize(np.array(analysis.reservations, dtype=np.float64))
    if criterion == "nash":
        scores = nash_score(u, d)
    elif criterion == "maximin":
        scores = egalitarian_score(u, d)
    else:
        assert analysis.ideal is not None  # a ZOPA point exists
        scores = kalai_score(u, d, quantize(np.array(analysis.ideal, dtype=np.float64)))
    order = np.lexsort((np.arange(len(rest)), -u.sum(axis=1), -scores))
    return [best, *(rest[int(i)] for i in order)]


class Confidential(Mediator):
    """Proposes the optimum of ``criterion`` over the profiles the principals confided."""

    name = "confidential"
    summary = "invites confidences and proposes the optimum of the confided profiles"
    protocols = frozenset({"shuttle", "single-text"})
    confidential = True
    parameters = (
        Parameter("criterion", CRITERIA[0], "what optimum it proposes", choices=CRITERIA),
    )

    def __init__(self, rng: Randomness, **params: Param) -> None:
        super().__init__(rng, **params)
        self.criterion = self.text("criterion")
        self._plan: list[Point] | None = None
        self._planned = False
        self._index = 0
        self._since: int | None = None
        self._blind: HillClimb | None = None

    def draft(self, view: View, ask: Ask) -> Draft:
        plan = self.plan(view)
        if not plan:  # someone declined to confide: mediate blind
            if self._blind is None:
                self._blind = HillClimb(self.rng)
            return self._blind.draft(view, ask)
        return Draft(self._current(view, plan))

    def carry(self, view: View, ask: Ask) -> Action:
        plan = self.plan(view)
        if not plan:
            return Action(
                Kind.RELAY, text=f"{view.party} carries {ask.about}'s position unchanged."
            )
        package = self._current(view, plan)
        if package == ask.offer:
            return Action(Kind.RELAY, text=f"{view.party} carries the package on unchanged.")
        return Action(Kind.DRAFT, package, text=f"{view.party} puts forward a package.")

    def plan(self, view: View) -> list[Point]:
        """The ranked packages, computed once every principal has confided (else empty)."""
        if not self._planned:
            self._planned = True
            if all(p in view.confided for p in view.principals):
                profiles = tuple(view.confided[p] for p in view.principals)
                analysis = _analysis(view.space, profiles, view.principals)
                self._plan = ranked_frontier(analysis, self.criterion)
        return self._plan or []

    def _current(self, view: View, plan: list[Point]) -> Outcome:
        if self._since is not None:
            rejecters = self._rejecters(view)
            if rejecters and self._for_good(view):
                self._move_on(view, plan, rejecters)
        if self._since is None:
            self._since = view.messages[-1].seq if view.messages else -1
        return plan[self._index].outcome

    def _rejecters(self, view: View) -> list[str]:
        """Principals whose latest answer since the current package was tabled is a refusal."""
        assert self._since is not None
        latest: dict[str, str] = {}
        principals = set(view.principals)
        for msg in view.messages:
            if (
                msg.seq > self._since
                and msg.sender in principals
                and msg.kind in {Kind.ACCEPT, Kind.REJECT, Kind.COUNTER}
            ):
                latest[msg.sender] = msg.kind
        return [p for p in view.principals if latest.get(p) in {Kind.REJECT, Kind.COUNTER}]

    @staticmethod
    def _for_good(view: View) -> bool:
        """Is a refusal more than bargaining? Only when it came in the round before the
        deadline or later, when every built-in time-based party takes anything above its
        reservation (which an outside event may have raised above what it confided)."""
        return view.round >= view.deadline

    def _move_on(self, view: View, plan: list[Point], rejecters: list[str]) -> None:
        current = plan[self._index].outcome
        profiles = [view.confided[p] for p in rejecters]
        later = range(self._index + 1, len(plan))
        better = [
            i
            for i in later
            if all(pr.utility(plan[i].outcome) > pr.utility(current) for pr in profiles)
        ]
        if better:
            self._index = better[0]
        elif self._index + 1 < len(plan):
            self._index += 1
        else:
            return
        self._since = None


_Key = tuple[int, tuple[int, ...], tuple[str, ...]]
_ANALYSES: dict[_Key, tuple[OutcomeSpace, tuple[Preferences, ...], Analysis]] = {}
_ANALYSES_LIMIT = 16


def _analysis(
    space: OutcomeSpace, profiles: tuple[Preferences, ...], principals: tuple[str, ...]
) -> Analysis:
    """The analysis of the confided profiles, shared by every session that confides the same
    profile objects (a comparison of mediators or a tournament replays the same talks)."""
    key = (id(space), tuple(map(id, profiles)), principals)
    hit = _ANALYSES.get(key)
    if hit is not None:
        return hit[2]
    analysis = analyze_profiles(space, profiles, principals)
    if len(_ANALYSES) >= _ANALYSES_LIMIT:
        _ANALYSES.pop(next(iter(_ANALYSES)))
    _ANALYSES[key] = (space, profiles, analysis)  # holding them keeps their ids unique
    return analysis
