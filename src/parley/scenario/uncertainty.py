"""A scenario's ``[uncertainty]`` section, resolved: each declaration becomes one ``Input``.

Resolving checks every cross-reference (the party, issue, option, red line or timeline event a
declaration names must exist; a weight cannot be drawn below 0 nor a probability outside
[0, 1]) and fails with a ``ScenarioError`` naming the field and the bad value, like the rest of
the scenario. Drawing the inputs and playing the runs is ``parley.forecast``'s business.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from parley.errors import ScenarioError
from parley.outcomes import Issue, OutcomeSpace
from parley.preferences import LinearAdditive, Preferences
from parley.scenario.schema import (
    DistributionDoc,
    EventDoc,
    Scalar,
    UncertainDoc,
    UncertainEventDoc,
    UncertaintyDoc,
)

Target = Literal["weight", "value", "reservation", "red-line", "event-probability", "event"]


@dataclass(frozen=True)
class Input:
    """One uncertain number of a scenario and what it changes when drawn.

    ``index`` is the red line's position in the party's list (``red-line``), the timeline
    event's position (``event-probability``) or the declaration's position in
    ``uncertainty.events`` (``event``). Red lines and per-session events are drawn as 1 (holds,
    happens) or 0; per-round events as their probability per round.
    """

    name: str
    target: Target
    distribution: DistributionDoc
    field: str
    party: str | None = None
    column: int | None = None
    option: int | None = None
    index: int | None = None
    per: Literal["round", "session"] = "round"
    basis: str | None = None
    source: str = ""
    rationale: str = ""

    @property
    def constant(self) -> bool:
        low, high = self.distribution.support()
        return low == high


class Checker(Protocol):
    """What resolving needs from the scenario builder (its error and lookup helpers)."""

    def fail(
        self, field: str, problem: str, value: object = None, expected: str | None = None
    ) -> ScenarioError: ...

    def column(self, space: OutcomeSpace, issue_id: str, where: str) -> int: ...

    def option_index(self, issue: Issue, value: Scalar, where: str) -> int: ...


PartyPrefs = Callable[[str, str], Preferences]
"""Looks up a party's preferences by name (``where`` names the field for errors)."""


def bernoulli(p: float) -> DistributionDoc:
    """1 with probability ``p``, else 0."""
    return DistributionDoc(kind="choice", values=(1.0, 0.0), probabilities=(p, 1.0 - p))


def resolve(
    doc: UncertaintyDoc,
    timeline: Sequence[EventDoc],
    space: OutcomeSpace,
    prefs_of: PartyPrefs,
    check: Checker,
    check_event: Callable[[EventDoc, str], None],
) -> tuple[Input, ...]:
    """Every declaration of ``doc`` as an ``Input``, in file order (weights, values,
    reservations, red lines, events)."""
    inputs: list[Input] = []
    for k, w in enumerate(doc.weights):
        where = f"uncertainty.weights[{k}]"
        _linear(prefs_of(w.party, f"{where}.party"), check, f"{where}.party", w.party)
        column = check.column(space, w.issue, f"{where}.issue")
        _within(check, f"{where}.distribution", w.distribution, 0.0, None, "weights >= 0")
        inputs.append(_input(w, f"{w.party}: weight of {w.issue}", "weight", w.distribution,
                             where, party=w.party, column=column))
    for k, v in enumerate(doc.values):
        where = f"uncertainty.values[{k}]"
        _linear(prefs_of(v.party, f"{where}.party"), check, f"{where}.party", v.party)
        column = check.column(space, v.issue, f"{where}.issue")
        option = check.option_index(space.issues[column], v.option, f"{where}.option")
        inputs.append(_input(v, f"{v.party}: value of {v.issue}={v.option}", "value",
                             v.distribution, where, party=v.party, column=column, option=option))
    for k, r in enumerate(doc.reservations):
        where = f"uncertainty.reservations[{k}]"
        prefs_of(r.party, f"{where}.party")
        inputs.append(_input(r, f"{r.party}: reservation", "reservation", r.distribution, where,
                             party=r.party))
    for k, s in enumerate(doc.red_lines):
        where = f"uncertainty.red_lines[{k}]"
        lines = prefs_of(s.party, f"{where}.party").red_lines
        if s.red_line >= len(lines):
            raise check.fail(f"{where}.red_line", f"{s.party} has {len(lines)} red line(s)",
                             value=s.red_line, expected=f"0 to {len(lines) - 1}" if lines else
                             "a party with red lines")
        label = _short(lines[s.red_line].description.split(":")[0])
        inputs.append(_input(s, f"{s.party}: red line '{label}' holds", "red-line",
                             bernoulli(s.holds), where, party=s.party, index=s.red_line))
    for k, e in enumerate(doc.events):
        inputs.append(_event(e, k, timeline, check, check_event))
    _no_twice(inputs, check)
    return tuple(inputs)


def _event(
    e: UncertainEventDoc,
    k: int,
    timeline: Sequence[EventDoc],
    check: Checker,
    check_event: Callable[[EventDoc, str], None],
) -> Input:
    where = f"uncertainty.events[{k}]"
    probability = e.probability
    dist = probability if isinstance(probability, DistributionDoc) else _fixed(probability)
    _within(check, f"{where}.probability", dist, 0.0, 1.0, "probabilities in [0, 1]")
    if e.timeline is not None:
        matches = [i for i, t in enumerate(timeline) if t.title == e.timeline]
        random = [t.title for t in timeline if t.probability is not None]
        if len(matches) != 1 or timeline[matches[0]].probability is None:
            problem = "no random timeline event has this title" if not matches or len(
                matches) == 1 else "several timeline events have this title"
            raise check.fail(f"{where}.timeline", problem, value=e.timeline,
                             expected=f"one of {', '.join(random) or '(none)'}")
        return _input(e, f"{e.timeline}: probability per round", "event-probability", dist,
                      where, index=matches[0])
    assert e.event is not None  # one of the two is guaranteed by UncertainEventDoc
    check_event(e.event, f"{where}.event")
    if e.per == "session":
        if isinstance(probability, DistributionDoc):
            raise check.fail(f"{where}.probability", "a per-session event takes a plain number",
                             expected="probability = a number in [0, 1]")
        return _input(e, f"{e.event.title}: happens", "event", bernoulli(probability), where,
                      index=k, per="session")
    return _input(e, f"{e.event.title}: probability per round", "event", dist, where, index=k)


def _input(
    decl: UncertainDoc,
    name: str,
    target: Target,
    dist: DistributionDoc,
    where: str,
    **at: object,
) -> Input:
    return Input(name=name, target=target, distribution=dist, field=where, basis=decl.basis,
                 source=decl.source, rationale=decl.rationale, **at)  # type: ignore[arg-type]


def _fixed(p: float) -> DistributionDoc:
    return DistributionDoc(kind="choice", values=(p,), probabilities=(1.0,))


def _linear(prefs: Preferences, check: Checker, where: str, party: str) -> None:
    if type(prefs) is not LinearAdditive:
        raise check.fail(where, "uncertain weights and values need a linear-additive profile",
                         value=party, expected="a party with kind = 'linear-additive' and no "
                         "ceiling")


def _within(
    check: Checker,
    where: str,
    dist: DistributionDoc,
    low: float | None,
    high: float | None,
    expected: str,
) -> None:
    lo, hi = dist.support()
    if (low is not None and lo < low) or (high is not None and hi > high):
        raise check.fail(where, "draws would leave the allowed range", value=f"{lo:g}..{hi:g}",
                         expected=expected)


def _no_twice(inputs: Sequence[Input], check: Checker) -> None:
    seen: dict[tuple[object, ...], str] = {}
    for item in inputs:
        if item.target == "event":
            continue  # events are separate happenings even when alike
        key = (item.target, item.party, item.column, item.option, item.index)
        if key in seen:
            raise check.fail(item.field, "declared twice", value=item.name,
                             expected=f"one declaration (the other is {seen[key]})")
        seen[key] = item.field


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
