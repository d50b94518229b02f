"""A scenario ready to negotiate and analyse, built from its document.

Building is also where the cross-references are checked: every option a value table, red line,
constraint or draft names must exist, every party a protocol names must exist, no draft or
standing position breaks a constraint, and so on. Each failure is a ``ScenarioError`` that
names the source, the field path, the bad value and what was expected.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray

from parley.combinations import count_avoiding
from parley.errors import ScenarioError, did_you_mean
from parley.nonlinear import CappedAdditive, HyperRectangles, Rectangle, Ufun
from parley.outcomes import (
    Conditions,
    Constraint,
    DiscreteIssue,
    IntegerIssue,
    Issue,
    Option,
    OutcomeSpace,
    RealIssue,
)
from parley.preferences import LinearAdditive, Preferences, RedLine
from parley.scenario.events import Event, events
from parley.scenario.schema import (
    EventDoc,
    FunctionDoc,
    IssueDoc,
    PartyDoc,
    PreferencesDoc,
    ProtocolDoc,
    Role,
    Scalar,
    ScenarioDoc,
    UfunDoc,
)
from parley.scenario.sources import check as check_sources
from parley.scenario.uncertainty import Input, resolve

DEFAULT_REAL_STEPS = 11


@dataclass(frozen=True)
class Member:
    name: str
    title: str = ""


@dataclass(frozen=True)
class Party:
    """One participant: who they are and, for those who have them, private preferences."""

    name: str
    role: Role
    description: str = ""
    delegation: tuple[Member, ...] = ()
    preferences: Preferences | None = None
    advises: str | None = None
    """An adviser's principal: the delegation it sits in."""


@dataclass(frozen=True)
class Scenario:
    doc: ScenarioDoc
    source: str
    space: OutcomeSpace
    parties: tuple[Party, ...]
    inputs: tuple[Input, ...] = ()
    """The uncertain inputs its ``[uncertainty]`` section declares (empty without one)."""

    @classmethod
    def from_doc(cls, doc: ScenarioDoc, source: str = "<scenario>") -> Scenario:
        return _Builder(doc, source).build()

    @property
    def name(self) -> str:
        return self.doc.name

    @property
    def title(self) -> str:
        return self.doc.title

    @property
    def protocol(self) -> ProtocolDoc:
        return self.doc.protocol

    @cached_property
    def timeline(self) -> tuple[Event, ...]:
        """The outside events, in the order of the file."""
        return events(self.doc.timeline, self.space)

    @cached_property
    def principals(self) -> tuple[Party, ...]:
        return tuple(p for p in self.parties if p.role == "principal")

    @cached_property
    def mediators(self) -> tuple[Party, ...]:
        return tuple(p for p in self.parties if p.role == "mediator")

    def party(self, name: str) -> Party:
        for party in self.parties:
            if party.name == name:
                return party
        raise KeyError(name)

    def preferences_of(self, name: str) -> Preferences:
        prefs = self.party(name).preferences
        if prefs is None:
            raise KeyError(f"{name} has no preferences")
        return prefs

    def with_profiles(self, profiles: Mapping[str, Preferences]) -> Scenario:
        """This scenario with the named parties' preferences replaced: their profiles as they
        stand at some moment of the talks (reservations moved by events, items bound by an
        endorsed framework), for an analysis of that moment."""
        parties = tuple(
            replace(p, preferences=profiles[p.name]) if p.name in profiles else p
            for p in self.parties
        )
        return replace(self, parties=parties)

    def without_events(self, titles: Collection[str]) -> Scenario:
        """This scenario with the random events named in ``titles`` switched off (see
        ``silenced``); scheduled events stay: they are part of the scenario, not chance."""
        timeline = silenced(self.doc.timeline, titles)
        return replace(self, doc=self.doc.model_copy(update={"timeline": timeline}))


def silenced(events: Iterable[EventDoc], titles: Collection[str]) -> tuple[EventDoc, ...]:
    """``events`` with the random ones named in ``titles`` at probability 0. They keep their
    place, so the session still draws for them and every other event fires as before: a run
    without them differs from the run with them only where they would have fired."""
    return tuple(
        e.model_copy(update={"probability": 0.0})
        if e.title in titles and e.probability is not None
        else e
        for e in events
    )


class _Builder:
    """Turns a document into a Scenario, checking every cross-reference on the way."""

    def __init__(self, doc: ScenarioDoc, source: str) -> None:
        self.doc = doc
        self.source = source

    def fail(
        self, field: str, problem: str, value: object = None, expected: str | None = None
    ) -> ScenarioError:
        return ScenarioError(self.source, field, problem, value=value, expected=expected)

    def build(self) -> Scenario:
        space = OutcomeSpace([self.issue(i, d) for i, d in enumerate(self.doc.issues)])
        self.check_unique([d.id for d in self.doc.issues], "issues", "issue id")
        space = OutcomeSpace(space.issues, self.constraints(space))
        self.check_unique([p.name for p in self.doc.parties], "parties", "party name")
        parties = tuple(self.party(p, space) for p in self.doc.parties)
        if sum(p.role == "principal" for p in parties) < 2:
            raise self.fail("parties", "a negotiation needs at least two principals",
                            expected="two or more parties with role = 'principal'")
        self.check_protocol(space, parties)
        self.check_advisers(parties)
        self.check_timeline(space, parties)
        self.check_track(parties)
        check_sources(self.doc, self.fail)
        inputs = self.uncertainty(space, parties)
        return Scenario(self.doc, self.source, space, parties, inputs)

    def check_unique(self, names: Sequence[str], field: str, what: str) -> None:
        seen: set[str] = set()
        for name in names:
            if name in seen:
                raise self.fail(field, f"duplicate {what}", value=name, expected="unique names")
            seen.add(name)

    # -- issues ----------------------------------------------------------------------------

    def issue(self, position: int, doc: IssueDoc) -> Issue:
        if doc.type == "discrete":
            self.check_unique([o.id for o in doc.options], f"issues[{doc.id}].options", "option id")
            options = tuple(
                Option(o.id, o.label, o.description, o.source, o.short) for o in doc.options
            )
            return DiscreteIssue(doc.id, doc.name, description=doc.description, options=options)
        assert doc.min is not None  # min and max are guaranteed by IssueDoc
        assert doc.max is not None
        if doc.type == "integer":
            if doc.max - doc.min + 1 > 10_000_000:
                raise self.fail(f"issues[{doc.id}]", "integer range too wide to enumerate",
                                value=f"{doc.min:g}..{doc.max:g}",
                                expected="at most 10,000,000 values")
            return IntegerIssue(doc.id, doc.name, description=doc.description,
                                low=int(doc.min), high=int(doc.max))
        steps = doc.steps if doc.steps is not None else DEFAULT_REAL_STEPS
        return RealIssue(doc.id, doc.name, description=doc.description,
                         low=doc.min, high=doc.max, steps=steps)

    # -- parties and preferences -----------------------------------------------------------

    def party(self, doc: PartyDoc, space: OutcomeSpace) -> Party:
        where = f"parties[{doc.name}]"
        if doc.role == "principal" and doc.preferences is None:
            raise self.fail(f"{where}.preferences", "a principal needs preferences",
                            expected="a [parties.preferences] table")
        prefs = None if doc.preferences is None else self.preferences(doc.preferences, space, where)
        members = tuple(Member(m.name, m.title) for m in doc.delegation)
        return Party(doc.name, doc.role, doc.description, members, prefs, doc.advises)

    def preferences(self, doc: PreferencesDoc, space: OutcomeSpace, where: str) -> Preferences:
        where = f"{where}.preferences"
        prefs: Preferences
        if doc.kind == "hyper-rectangles":
            prefs = self.hyper_rectangles(doc, space, where)
        else:
            prefs = self.linear_additive(doc, space, where)
        lines = tuple(
            RedLine(r.description, self.conditions(space, r.when, f"{where}.red_lines[{k}]"),
                    r.source)
            for k, r in enumerate(doc.red_lines)
        )
        reservation = doc.reservation
        if doc.reservation_outcome is not None:
            outcome = self.package(space, doc.reservation_outcome, f"{where}.reservation_outcome")
            reservation = prefs.utility(outcome)
        return replace(prefs, reservation=reservation, discount=doc.discount, red_lines=lines)

    def linear_additive(self, doc: PreferencesDoc, space: OutcomeSpace, where: str) -> Preferences:
        known = [issue.id for issue in space.issues]
        for issue_id in doc.issues:
            if issue_id not in known:
                raise self.fail(f"{where}.issues.{issue_id}", "unknown issue", value=issue_id,
                                expected=f"one of {', '.join(known)}")
        weights: list[float] = []
        tables: list[tuple[float, ...]] = []
        for issue in space.issues:
            entry = doc.issues.get(issue.id)
            if entry is None:
                raise self.fail(f"{where}.issues", f"no entry for issue {issue.id}",
                                expected="a weight and values for every issue")
            weights.append(entry.weight)
            tables.append(self.value_table(issue, entry.values, entry.points,
                                           f"{where}.issues.{issue.id}", entry.function))
        base = LinearAdditive(sizes=space.sizes, weights=tuple(weights), values=tuple(tables))
        if doc.ceiling is None:
            return base
        return CappedAdditive(sizes=space.sizes, base=base, ceiling=doc.ceiling)

    def hyper_rectangles(self, doc: PreferencesDoc, space: OutcomeSpace, where: str) -> Preferences:
        assert doc.ufun is not None  # guaranteed by PreferencesDoc
        assert doc.max_utility is not None
        return HyperRectangles(
            sizes=space.sizes,
            grids=tuple(tuple(issue.numeric_values().tolist()) for issue in space.issues),
            root=self.ufun(doc.ufun, space, f"{where}.ufun"), max_utility=doc.max_utility,
        )

    def ufun(self, doc: UfunDoc, space: OutcomeSpace, where: str) -> Ufun:
        rectangles = []
        for k, rect in enumerate(doc.rectangles):
            bounds = []
            for issue_id, (low, high) in rect.bounds.items():
                column = self.column(space, issue_id, f"{where}.rectangles[{k}].bounds.{issue_id}")
                if isinstance(space.issues[column], DiscreteIssue):
                    raise self.fail(f"{where}.rectangles[{k}].bounds.{issue_id}",
                                    "rectangle bounds need a numeric issue", value=issue_id,
                                    expected="an integer or real issue")
                bounds.append((column, low, high))
            rectangles.append(Rectangle(rect.utility, rect.weight, rect.exclude, tuple(bounds)))
        children = tuple(
            self.ufun(child, space, f"{where}.ufuns[{k}]") for k, child in enumerate(doc.ufuns)
        )
        return Ufun(doc.aggregation, doc.weight, tuple(rectangles), children)

    def package(
        self, space: OutcomeSpace, values: Mapping[str, Scalar], where: str
    ) -> tuple[int, ...]:
        """Option indices of a complete outcome given as ``{issue id: value}``."""
        missing = [i.id for i in space.issues if i.id not in values]
        if missing:
            raise self.fail(where, f"no value for issue(s) {', '.join(missing)}",
                            expected="a complete package")
        columns = {self.column(space, issue_id, f"{where}.{issue_id}"): value
                   for issue_id, value in values.items()}
        return tuple(
            self.option_index(issue, columns[c], f"{where}.{issue.id}")
            for c, issue in enumerate(space.issues)
        )

    def value_table(
        self,
        issue: Issue,
        values: Mapping[str, float] | None,
        points: Sequence[tuple[float, float]] | None,
        where: str,
        function: FunctionDoc | None = None,
    ) -> tuple[float, ...]:
        if function is not None:
            if isinstance(issue, DiscreteIssue):
                raise self.fail(f"{where}.function", "a discrete issue is valued option by option",
                                expected="values = { option id = number, ... }")
            return tuple(float(v) for v in function_values(function, issue.numeric_values()))
        if isinstance(issue, DiscreteIssue):
            if values is None:
                raise self.fail(f"{where}.points", "a discrete issue is valued option by option",
                                expected="values = { option id = number, ... }")
            ids = [o.id for o in issue.options]
            for option_id in values:
                if option_id not in ids:
                    raise self.fail(f"{where}.values.{option_id}", "unknown option",
                                    value=option_id, expected=f"one of {', '.join(ids)}")
            missing = [i for i in ids if i not in values]
            if missing:
                raise self.fail(f"{where}.values", f"no value for option(s) {', '.join(missing)}",
                                expected="a value for every option")
            return tuple(float(values[i]) for i in ids)
        if points is None:
            kind = type(issue).__name__[:-5].lower()
            raise self.fail(f"{where}.values", f"a {kind} issue is valued by points",
                            expected="points = [[value, utility], ...]")
        xs = [p[0] for p in points]
        if any(b <= a for a, b in pairwise(xs)):
            raise self.fail(f"{where}.points", "values must increase strictly", value=xs)
        grid = issue.numeric_values()
        return tuple(float(v) for v in np.interp(grid, xs, [p[1] for p in points]))

    def conditions(
        self, space: OutcomeSpace, when: Mapping[str, Sequence[Scalar]], where: str
    ) -> Conditions:
        """A red line's or a constraint's ``when`` as (issue column, option indices) pairs."""
        conditions = []
        for issue_id, options in when.items():
            column = self.column(space, issue_id, f"{where}.when.{issue_id}")
            indices = frozenset(
                self.option_index(space.issues[column], o, f"{where}.when.{issue_id}")
                for o in options
            )
            conditions.append((column, indices))
        return tuple(conditions)

    def constraints(self, space: OutcomeSpace) -> tuple[Constraint, ...]:
        found = tuple(
            Constraint(c.description, self.conditions(space, c.when, f"constraints[{k}]"),
                       c.source, c.basis)
            for k, c in enumerate(self.doc.constraints)
        )
        # Counted issue by issue, one entry per state (``parley.combinations``).
        if found and count_avoiding(space.sizes, found) == 0:
            raise self.fail("constraints", "together they rule out every package",
                            value=f"{len(found)} constraints",
                            expected="at least one package that breaks no constraint")
        return found

    def column(self, space: OutcomeSpace, issue_id: str, where: str) -> int:
        try:
            return space.position(issue_id)
        except ValueError:
            raise self.fail(where, "unknown issue", value=issue_id,
                            expected=f"one of {', '.join(i.id for i in space.issues)}") from None

    def option_index(self, issue: Issue, value: Scalar, where: str) -> int:
        try:
            return issue.index_of(value)
        except ValueError as exc:
            raise self.fail(where, str(exc), value=value) from None

    # -- protocol and timeline --------------------------------------------------------------

    def check_protocol(self, space: OutcomeSpace, parties: Sequence[Party]) -> None:
        protocol = self.doc.protocol
        names = {p.name: p for p in parties}
        if protocol.mediator is not None:
            party = names.get(protocol.mediator)
            if party is None or party.role != "mediator":
                declared = [p.name for p in parties if p.role == "mediator"]
                mediators = ", ".join(declared)
                hint = did_you_mean(protocol.mediator, declared)
                raise self.fail("protocol.mediator", f"not a party with role 'mediator'{hint}",
                                value=protocol.mediator,
                                expected=f"one of {mediators or '(no mediator declared)'}")
        # Whether the protocol exists and needs a mediator is the engine's to say (its protocol
        # registry): Settings.from_scenario checks it, and so does `parley validate`.
        for name in protocol.strategies:
            if name not in names:
                raise self.fail(f"protocol.strategies.{name}",
                                f"unknown party{did_you_mean(name, names)}", value=name,
                                expected=f"one of {', '.join(names)}")
        principals = [p.name for p in parties if p.role == "principal"]
        for name in protocol.order:
            if name not in principals:
                raise self.fail("protocol.order",
                                f"not a principal{did_you_mean(name, principals)}", value=name,
                                expected=f"one of {', '.join(principals)}")
        for name, package in protocol.opening.items():
            if name not in principals:
                raise self.fail(f"protocol.opening.{name}",
                                f"not a principal{did_you_mean(name, principals)}", value=name,
                                expected=f"one of {', '.join(principals)}")
            self.check_package(space, package, f"protocol.opening.{name}")
        for k, phase in enumerate(protocol.script):
            for j, step in enumerate(phase.steps):
                for field in ("party", "to"):
                    name = getattr(step, field)
                    if name is not None and name not in principals:
                        raise self.fail(f"protocol.script[{k}].steps[{j}].{field}",
                                        f"not a principal{did_you_mean(name, principals)}",
                                        value=name,
                                        expected=f"one of {', '.join(principals)}")

    def check_advisers(self, parties: Sequence[Party]) -> None:
        principals = [p.name for p in parties if p.role == "principal"]
        for k, party in enumerate(parties):
            if (party.role == "adviser") != (party.advises is not None):
                raise self.fail(f"parties[{k}].advises",
                                "an adviser names the principal it advises; no one else does",
                                value=party.advises, expected="advises only with role = 'adviser'")
            if party.advises is not None and party.advises not in principals:
                raise self.fail(f"parties[{k}].advises",
                                f"not a principal{did_you_mean(party.advises, principals)}",
                                value=party.advises,
                                expected=f"one of {', '.join(principals)}")

    def check_timeline(self, space: OutcomeSpace, parties: Sequence[Party]) -> None:
        for k, event in enumerate(self.doc.timeline):
            self.check_event(space, parties, event, f"timeline[{k}]")

    def check_event(
        self, space: OutcomeSpace, parties: Sequence[Party], event: EventDoc, where: str
    ) -> None:
        names = [p.name for p in parties]
        for field in ("party", "by"):
            name = getattr(event, field)
            if name is not None and name not in names:
                raise self.fail(f"{where}.{field}", f"unknown party{did_you_mean(name, names)}",
                                value=name,
                                expected=f"one of {', '.join(names)}")
        if event.kind == "restrain":
            spoilers = [p.name for p in parties if p.role == "spoiler"]
            if event.party not in spoilers:
                raise self.fail(f"{where}.party", "a restrain event asks a spoiler to hold off",
                                value=event.party,
                                expected=f"one of {', '.join(spoilers) or '(no spoiler declared)'}")
        if event.draft is not None:
            self.check_package(space, event.draft, f"{where}.draft")

    def check_package(self, space: OutcomeSpace, package: Mapping[str, Scalar], where: str) -> None:
        """A complete package of known options that can exist (breaks no constraint)."""
        for issue_id, value in package.items():
            column = self.column(space, issue_id, f"{where}.{issue_id}")
            self.option_index(space.issues[column], value, f"{where}.{issue_id}")
        outcome = self.package(space, package, where)
        broken = space.impossible(outcome)
        if broken is not None:
            k = space.constraints.index(broken)
            listed = ", ".join(f"{i} = {v}" for i, v in package.items())
            raise self.fail(where, f"breaks constraints[{k}] ({broken.description})",
                            value=listed, expected="a package every constraint allows")

    def check_track(self, parties: Sequence[Party]) -> None:
        """A track's events between sessions name parties that exist; a shift names one whose
        reservation value exists (a party with preferences)."""
        track = self.doc.track
        if track is None:
            return
        names = [p.name for p in parties]
        having = [p.name for p in parties if p.preferences is not None]
        for k, event in enumerate(track.between):
            where = f"track.between[{k}].party"
            if event.party is not None and event.party not in names:
                raise self.fail(where, f"unknown party{did_you_mean(event.party, names)}",
                                value=event.party,
                                expected=f"one of {', '.join(names)}")
            if event.kind == "shift-reservation" and event.party not in having:
                raise self.fail(where, "not a party with preferences (a reservation value)"
                                + did_you_mean(event.party, having),
                                value=event.party, expected=f"one of {', '.join(having)}")

    def uncertainty(self, space: OutcomeSpace, parties: Sequence[Party]) -> tuple[Input, ...]:
        doc = self.doc.uncertainty
        if doc is None:
            return ()
        by_name = {p.name: p for p in parties}

        def prefs_of(name: str, where: str) -> Preferences:
            party = by_name.get(name)
            if party is None or party.preferences is None:
                having = [p.name for p in parties if p.preferences is not None]
                raise self.fail(where,
                                f"not a party with preferences{did_you_mean(name, having)}",
                                value=name, expected=f"one of {', '.join(having)}")
            return party.preferences

        return resolve(doc, self.doc.timeline, space, prefs_of, self,
                       lambda event, where: self.check_event(space, parties, event, where))


def function_values(doc: FunctionDoc, x: NDArray[np.float64]) -> NDArray[np.float64]:
    """A GENIUS-style evaluation function at the values ``x`` (see ``FunctionDoc``)."""
    if doc.kind == "constant":
        assert doc.value is not None  # guaranteed by FunctionDoc
        return np.full(x.shape, doc.value, dtype=np.float64)
    if doc.kind == "linear":
        return np.clip(doc.offset + doc.slope * (x - doc.origin), 0.0, 1.0)
    low, high, top = doc.low, doc.high, doc.top
    assert low is not None  # the three are guaranteed by FunctionDoc
    assert high is not None
    assert top is not None
    with np.errstate(divide="ignore", invalid="ignore"):
        rising = (x - low) / (top - low)
        falling = 1 - (x - top) / (high - top)
    return np.select([x < low, x < top, x < high], [0.0, rising, falling], 0.0)

