"""Sources and their grades: the ``[[sources]]`` registry, what a ``source`` field cites, and
every fact and assumption of a scenario with its basis and graded sources.

A ``source`` field holds citations separated by `` ; ``. A part holding URLs cites each of
them; a URL is graded by the registry entry that matches it: a ``url`` entry (the address, or
an address it begins, the longest first) before a ``host`` entry (the host or a parent domain,
``www.`` and the scheme ignored, the most specific first). A part without a URL cites a
``document`` entry whose text it contains; any other text is a note, not a citation.

With a registry, every URL a scenario cites must be graded (``check``: a one-line
``ScenarioError`` naming the field otherwise). Without one, sources are shown ungraded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal, Protocol
from urllib.parse import urlsplit

from parley.errors import ScenarioError
from parley.scenario.schema import (
    Basis,
    DistributionDoc,
    IssueDoc,
    PartyDoc,
    ScenarioDoc,
    SoftRedLineDoc,
    SourceDoc,
    UncertainDoc,
    UncertainEventDoc,
    UncertainReservationDoc,
    UncertainValueDoc,
    UncertainWeightDoc,
)

GRADES: Final = ("official", "wire", "major", "partisan", "unverified")
"""The grades, strongest first."""
WEAK: Final = frozenset({"partisan", "unverified"})
"""Grades a FACT or REPORTED anchor must not rest on alone."""
UNGRADED: Final = "ungraded"
"""What a citation no registry entry matches is called (``--grade ungraded``)."""
BASES: Final = ("FACT", "REPORTED", "ASSUMPTION")
SPECIAL: Final = ("nash", "kalai", "utilitarian", "egalitarian")
"""The suggested packages of an analysis, by their JSON keys."""

GROUPS: Final = {
    "issues": "Issues and their options",
    "constraints": "Constraints",
    "parties": "Parties",
    "preferences": "Preferences: the rationale of each number",
    "red-lines": "Red lines",
    "script": "The day's script",
    "timeline": "Timeline",
    "uncertainty": "Uncertainty",
    "track": "Track",
}
"""Where a fact belongs, in the order ``facts`` lists them, with a heading for people."""

_URL = re.compile(r"https?://\S+")
_LABELLED = re.compile(r"^(FACT|REPORTED|ASSUMPTION)\b")
_SEPARATOR = " ; "


def host_of(url: str) -> str:
    """The host of ``url``, lower case, without ``www.``."""
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def _bare(url: str) -> str:
    """``url`` without its scheme and ``www.``, to compare addresses."""
    rest = url.split("://", 1)[-1]
    return rest[4:] if rest.lower().startswith("www.") else rest


@dataclass(frozen=True)
class Citation:
    """One thing a ``source`` field cites: a URL, a registered document, or a note (text that
    names no registered source), with the registry entry that grades it, if any."""

    text: str
    kind: Literal["url", "document", "note"]
    entry: SourceDoc | None = None

    @property
    def grade(self) -> str | None:
        return None if self.entry is None else self.entry.grade

    @property
    def cited(self) -> bool:
        """A URL or a registered document; a note is not a source."""
        return self.kind != "note"

    @property
    def weak(self) -> bool:
        return self.grade in WEAK

    def to_json(self) -> dict[str, Any]:
        entry = self.entry
        return {
            "source": self.text,
            "kind": self.kind,
            "grade": None if entry is None else entry.grade,
            "publisher": None if entry is None else entry.publisher,
            "note": None if entry is None or not entry.note else entry.note,
        }


class Registry:
    """The ``[[sources]]`` entries, looked up by URL or by citation text."""

    def __init__(self, entries: Sequence[SourceDoc]) -> None:
        self.entries = tuple(entries)
        self._urls = sorted(
            ((_bare(e.url), e) for e in entries if e.url is not None), key=lambda p: -len(p[0])
        )
        self._hosts = {
            e.host.lower().removeprefix("www."): e for e in entries if e.host is not None
        }
        self._documents = sorted(
            (e for e in entries if e.document is not None), key=lambda e: -len(e.document or "")
        )

    def for_url(self, url: str) -> SourceDoc | None:
        """The entry grading ``url``: the longest ``url`` entry it equals or begins with (at a
        ``/``, ``?`` or ``#``), else the most specific ``host`` entry, else None."""
        bare = _bare(url)
        for prefix, entry in self._urls:
            if bare == prefix or (
                bare.startswith(prefix) and (prefix[-1] in "/?#" or bare[len(prefix)] in "/?#")
            ):
                return entry
        labels = host_of(url).split(".")
        for k in range(len(labels) - 1):
            found = self._hosts.get(".".join(labels[k:]))
            if found is not None:
                return found
        return None

    def for_text(self, text: str) -> SourceDoc | None:
        """The ``document`` entry whose text ``text`` contains (the longest), else None."""
        for entry in self._documents:
            if entry.document is not None and entry.document in text:
                return entry
        return None

    def cite(self, source: str) -> tuple[Citation, ...]:
        """What a ``source`` field cites, in order."""
        found: list[Citation] = []
        for part in (p.strip() for p in source.split(_SEPARATOR)):
            if not part:
                continue
            urls = [u.rstrip(".,;)") for u in _URL.findall(part)]
            if urls:
                found += [Citation(u, "url", self.for_url(u)) for u in urls]
                continue
            entry = self.for_text(part)
            found.append(Citation(part, "note" if entry is None else "document", entry))
        return tuple(found)


@dataclass(frozen=True)
class Fact:
    """One fact or assumption of a scenario: what it is, how firm, and where it comes from.

    ``fields`` pairs each ``source`` field's path in the file with its text; ``citations`` is
    what they cite, graded by the registry.
    """

    group: str
    item: str
    label: str
    basis: str | None
    text: str
    fields: tuple[tuple[str, str], ...]
    citations: tuple[Citation, ...] = ()

    @property
    def grades(self) -> tuple[str, ...]:
        """The grade of each source cited (``ungraded`` where no entry matches)."""
        return tuple(c.grade or UNGRADED for c in self.citations if c.cited)

    @property
    def rests_on_weak(self) -> bool:
        """A FACT or REPORTED whose sources are all partisan or unverified."""
        cited = [c for c in self.citations if c.cited]
        return self.basis in ("FACT", "REPORTED") and bool(cited) and all(c.weak for c in cited)

    def to_json(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "item": self.item,
            "label": self.label,
            "basis": self.basis,
            "text": self.text,
            "fields": [field for field, _ in self.fields],
            "sources": [c.to_json() for c in self.citations],
            "weak_only": self.rests_on_weak,
        }


def labelled(text: str) -> Basis | None:
    """The basis a rationale opens with (``ASSUMPTION: ...``), if any."""
    found = _LABELLED.match(text.strip())
    return None if found is None else found.group(1)  # type: ignore[return-value]


def facts(doc: ScenarioDoc) -> list[Fact]:
    """Every fact and assumption of the scenario, by group (``GROUPS``), in file order."""
    registry = Registry(doc.sources)
    return [
        Fact(f.group, f.item, f.label, f.basis, f.text, f.fields,
             tuple(c for _, text in f.fields for c in registry.cite(text)))
        for f in _listed(doc)
    ]


def cited_fields(doc: ScenarioDoc) -> Iterator[tuple[str, str]]:
    """Every ``source`` field of the scenario that cites something: (path, text)."""
    for fact in _listed(doc):
        yield from ((field, text) for field, text in fact.fields if text.strip())


class _Fail(Protocol):
    def __call__(
        self, field: str, problem: str, value: object = None, expected: str | None = None
    ) -> ScenarioError: ...


def check(doc: ScenarioDoc, fail: _Fail) -> None:
    """With a registry: each entry declared once, and every URL cited graded by one."""
    if not doc.sources:
        return
    seen: dict[str, int] = {}
    for k, entry in enumerate(doc.sources):
        key = _key(entry)
        if key in seen:
            raise fail(f"sources[{k}]", f"declared twice (first as sources[{seen[key]}])",
                       value=key, expected="each url, host or document once")
        seen[key] = k
    registry = Registry(doc.sources)
    for field, text in cited_fields(doc):
        for citation in registry.cite(text):
            if citation.kind == "url" and citation.entry is None:
                raise fail(field, "ungraded source: no [[sources]] entry matches it",
                           value=citation.text,
                           expected=f"a [[sources]] entry with host = '{host_of(citation.text)}' "
                           f"(or its url) and a grade: {', '.join(GRADES)}")


def _key(entry: SourceDoc) -> str:
    if entry.url is not None:
        return _bare(entry.url)
    if entry.host is not None:
        return entry.host.lower().removeprefix("www.")
    return entry.document or ""


def report_provenance(doc: ScenarioDoc, report: Mapping[str, Any]) -> dict[str, Any]:
    """Where each option a JSON report agrees on or suggests comes from: issue id -> option ->
    label, basis and graded sources. It reads the packages ``parley run --json`` and
    ``parley analyze --json`` name: ``agreement``, ``settled``, ``bound`` items, and the
    ``nash``, ``kalai``, ``utilitarian`` and ``egalitarian`` points."""
    packages: list[Mapping[str, Any]] = []
    agreement = report.get("agreement")
    if isinstance(agreement, Mapping):
        packages.append(agreement.get("outcome") or {})
    if isinstance(report.get("settled"), Mapping):
        packages.append(report["settled"])
    bound = report.get("bound") or ()
    packages += [b.get("items") or {} for b in bound if isinstance(b, Mapping)]
    points = [report.get(name) for name in SPECIAL]
    packages += [p.get("outcome") or {} for p in points if isinstance(p, Mapping)]
    return option_provenance(doc, packages)


def option_provenance(
    doc: ScenarioDoc, packages: Sequence[Mapping[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Label, basis and graded sources of every option the packages take (issue id -> option
    value as text -> record), issues in agenda order. A value of an integer or real issue has
    no record of its own: its label is the value, with no basis or source."""
    registry = Registry(doc.sources)
    taken: dict[str, set[str]] = {}
    for package in packages:
        for issue_id, value in package.items():
            taken.setdefault(str(issue_id), set()).add(str(value))
    found: dict[str, dict[str, Any]] = {}
    for issue in doc.issues:
        values = taken.get(issue.id)
        if not values:
            continue
        found[issue.id] = {
            value: _option_record(issue, value, registry) for value in _in_order(issue, values)
        }
    return found


def _in_order(issue: IssueDoc, values: set[str]) -> list[str]:
    ids = [o.id for o in issue.options]
    return sorted(values, key=lambda v: (ids.index(v) if v in ids else len(ids), v))


def _option_record(issue: IssueDoc, value: str, registry: Registry) -> dict[str, Any]:
    for option in issue.options:
        if option.id == value:
            return {
                "label": option.label,
                "basis": option.basis,
                "sources": [c.to_json() for c in registry.cite(option.source)],
            }
    return {"label": value, "basis": None, "sources": []}


# -- listing ---------------------------------------------------------------------------------


def _listed(doc: ScenarioDoc) -> Iterator[Fact]:
    """Every fact of the document, ungraded (``facts`` grades them)."""
    yield from _issues(doc)
    for k, c in enumerate(getattr(doc, "constraints", ())):  # absent from older schemas
        yield Fact("constraints", f"constraint {k}", f"no package takes {_when(c.when)}",
                   c.basis, c.description, ((f"constraints[{k}].source", c.source),))
    for party in doc.parties:
        yield Fact("parties", party.name, party.role, party.basis,
                   party.description.strip(), ((f"parties[{party.name}].source", party.source),))
    for party in doc.parties:
        yield from _preferences(party)
    for party in doc.parties:
        if party.preferences is None:
            continue
        for k, line in enumerate(party.preferences.red_lines):
            field = f"parties[{party.name}].preferences.red_lines[{k}].source"
            yield Fact("red-lines", party.name, f"red line {k}: never {_when(line.when)}",
                       line.basis,
                       line.description, ((field, line.source),))
    for k, phase in enumerate(doc.protocol.script):
        yield Fact("script", f"phase {k + 1}", phase.title, phase.basis, phase.description,
                   ((f"protocol.script[{k}].source", phase.source),))
    for k, event in enumerate(doc.timeline):
        when = event.date or (
            f"round {event.round}" if event.round is not None
            else f"p = {event.probability:g} a round" if event.probability is not None else ""
        )
        label = f"{when}: {event.title}" if when else event.title
        yield Fact("timeline", f"event {k}", label, event.basis, event.description,
                   ((f"timeline[{k}].source", event.source),))
    yield from _uncertainty(doc)
    yield from _track(doc)


def _issues(doc: ScenarioDoc) -> Iterator[Fact]:
    for issue in doc.issues:
        yield Fact("issues", issue.id, issue.name, labelled(issue.description),
                   issue.description, ())
        for option in issue.options:
            field = f"issues[{issue.id}].options[{option.id}].source"
            yield Fact("issues", option.id, option.label, option.basis, option.description,
                       ((field, option.source),))


def _preferences(party: PartyDoc) -> Iterator[Fact]:
    prefs = party.preferences
    if prefs is None:
        return
    for issue_id, entry in prefs.issues.items():
        if entry.rationale.strip():
            yield Fact("preferences", party.name, f"issue {issue_id}, weight {entry.weight:g}",
                       labelled(entry.rationale), entry.rationale, ())
    if prefs.reservation_rationale.strip():
        yield Fact("preferences", party.name, f"reservation value {prefs.reservation:g}",
                   labelled(prefs.reservation_rationale), prefs.reservation_rationale, ())


def _uncertainty(doc: ScenarioDoc) -> Iterator[Fact]:
    u = doc.uncertainty
    if u is None:
        return
    listed: list[tuple[str, Sequence[UncertainDoc]]] = [
        ("reservations", u.reservations), ("red_lines", u.red_lines), ("weights", u.weights),
        ("values", u.values), ("events", u.events),
    ]
    for name, entries in listed:
        for k, entry in enumerate(entries):
            where = f"uncertainty.{name}[{k}]"
            fields = [(f"{where}.source", entry.source)]
            if isinstance(entry, UncertainEventDoc) and entry.event is not None:
                fields.append((f"{where}.event.source", entry.event.source))
            yield Fact("uncertainty", f"{name}[{k}]", _uncertain_label(entry), entry.basis,
                       entry.rationale, tuple(fields))


def _uncertain_label(entry: UncertainDoc) -> str:
    if isinstance(entry, SoftRedLineDoc):
        return f"{entry.party}: red line {entry.red_line} holds with p = {entry.holds:g}"
    if isinstance(entry, UncertainWeightDoc):
        return f"{entry.party}: weight of {entry.issue} ~ {_distribution(entry.distribution)}"
    if isinstance(entry, UncertainValueDoc):
        return (f"{entry.party}: value of {entry.option} on {entry.issue} ~ "
                f"{_distribution(entry.distribution)}")
    if isinstance(entry, UncertainReservationDoc):
        return f"{entry.party}: reservation value ~ {_distribution(entry.distribution)}"
    assert isinstance(entry, UncertainEventDoc)  # the five kinds of declaration
    title = entry.event.title if entry.event is not None else entry.timeline or "event"
    chance = entry.probability
    shown = _distribution(chance) if isinstance(chance, DistributionDoc) else f"{chance:g}"
    return f"{title}: p = {shown} a {entry.per}"


def _distribution(d: DistributionDoc) -> str:
    if d.kind == "triangular":
        return f"triangular {d.low:g}-{d.mode:g}-{d.high:g}"
    if d.kind == "normal":
        return f"normal {d.mean:g} (sd {d.sd:g}) in {d.low:g}-{d.high:g}"
    if d.kind == "choice":
        return "one of " + ", ".join(f"{v:g}" for v in d.values or ())
    return f"uniform {d.low:g}-{d.high:g}"


def _track(doc: ScenarioDoc) -> Iterator[Fact]:
    track = doc.track
    if track is None:
        return
    for k, recorded in enumerate(track.history):
        label = f"{recorded.date}: {recorded.title}" if recorded.date else recorded.title
        yield Fact("track", f"history {k}", f"{label} ({recorded.ended})", recorded.basis,
                   recorded.description, ((f"track.history[{k}].source", recorded.source),))
    for k, planned in enumerate(track.sessions):
        label = f"{planned.date}: {planned.title}" if planned.date else planned.title
        yield Fact("track", f"session {k}", f"{label} (simulated)", planned.basis,
                   planned.description, ((f"track.sessions[{k}].source", planned.source),))
    for k, between in enumerate(track.between):
        yield Fact("track", f"between {k}",
                   f"{between.title} ({between.kind}, p = {between.probability:g} a gap)",
                   between.basis, between.description,
                   ((f"track.between[{k}].source", between.source),))


def _when(when: Mapping[str, Sequence[object]]) -> str:
    return " and ".join(f"{i} = {' or '.join(str(v) for v in vs)}" for i, vs in when.items())
