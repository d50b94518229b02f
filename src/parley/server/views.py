"""What the API shows: a seat's view, the facilitator's status, profiles and packages as JSON.

Everything a seat receives is built here from the engine's ``View`` of that seat (the isolation
boundary) and from the seat's own profile; nothing reads another party's preferences except the
mediator's suggestions, frontier and evaluations, which use only the profiles the engine's
``View.confided`` says were confided to it.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from parley.analysis import Analysis, analyze_profiles
from parley.engine import Settings
from parley.engine.messages import Message, Outcome
from parley.engine.narrate import describe
from parley.engine.protocols import MEDIATED
from parley.engine.session import Session
from parley.engine.transcript import header as transcript_header
from parley.engine.transcript import line as transcript_line
from parley.engine.transcript import message_json
from parley.engine.view import View
from parley.errors import ParleyError
from parley.nonlinear import CappedAdditive
from parley.outcomes import DiscreteIssue, OutcomeSpace
from parley.preferences import LinearAdditive, Preferences, reaches
from parley.scenario import Scenario
from parley.scenario.schema import PreferencesDoc

if TYPE_CHECKING:
    from parley.server.rooms import Room

Json = dict[str, Any]
LISTED_OPTIONS = 1000
"""Integer issues wider than this list no options (the page asks for a number instead)."""
FRONTIER_POINTS = 200
"""Frontier points a mediator's view carries at most (evenly spread along the frontier): enough
to draw it, small enough to push with every view (GENIUS domains have frontiers of thousands)."""


def package(space: OutcomeSpace, outcome: Outcome | None) -> Json | None:
    return None if outcome is None else space.to_values(outcome)


def utility(prefs: Preferences | None, outcome: Outcome | None) -> float | None:
    return None if prefs is None or outcome is None else float(prefs.utility(outcome))


def agenda(scenario: Scenario) -> list[Json]:
    """The issues and their options as the pages show them: each label with its translations
    (``labels``: language -> words; the page picks the seat's language) and, for options, the
    short form (``short``, ``shorts``) for tight places."""
    docs = {doc.id: doc for doc in scenario.doc.issues}
    issues = []
    for issue in scenario.space.issues:
        listed = isinstance(issue, DiscreteIssue) or issue.size <= LISTED_OPTIONS
        doc = docs.get(issue.id)
        option_docs = {o.id: o for o in doc.options} if doc is not None else {}
        options = []
        for k in range(issue.size) if listed else ():
            option: Json = {"id": issue.value_of(k), "label": issue.describe(k)}
            found = option_docs.get(str(issue.value_of(k)))
            if found is not None:
                option |= {
                    "short": found.short,
                    "labels": found.labels or {},
                    "shorts": found.shorts or {},
                }
            options.append(option)
        kind = type(issue).__name__.removesuffix("Issue").lower()
        labels = {} if doc is None else dict(doc.labels or {})
        issues.append(
            {
                "name": issue.id,
                "label": issue.name,
                "labels": labels,
                "type": kind,
                "options": options,
            }
        )
    return issues


def party_labels(scenario: Scenario, name: str) -> dict[str, str]:
    """How ``name`` is called in other languages (public, like its name)."""
    return next((dict(p.labels or {}) for p in scenario.doc.parties if p.name == name), {})


def profile(scenario: Scenario, party: str) -> Json | None:
    """``party``'s profile in the scenario file's own terms (None for seats without one)."""
    doc = next((p.preferences for p in scenario.doc.parties if p.name == party), None)
    prefs = scenario.party(party).preferences
    if doc is None or prefs is None:
        return None
    return {
        "kind": doc.kind,
        "weights": {issue: entry.weight for issue, entry in doc.issues.items()},
        "values": _values(scenario, doc, prefs),
        "red_lines": [
            {"description": r.description, "when": {k: list(v) for k, v in r.when.items()}}
            for r in doc.red_lines
        ],
        "reservation": float(prefs.reservation),
        "discount": doc.discount,
    }


def confided_profile(scenario: Scenario, party: str, prefs: Preferences) -> Json | None:
    """A profile confided to the mediator, with the reservation value in force now (the one the
    engine judges by: outside events move it after it was confided), not the file's."""
    shown = profile(scenario, party)
    return None if shown is None else {**shown, "reservation": float(prefs.reservation)}


def _values(scenario: Scenario, doc: PreferencesDoc, prefs: Preferences) -> Json:
    base = prefs.base if isinstance(prefs, CappedAdditive) else prefs
    values: Json = {}
    for j, issue in enumerate(scenario.space.issues):
        entry = doc.issues.get(issue.id)
        if entry is None:
            continue
        if entry.values is not None:
            values[issue.id] = dict(entry.values)
        elif entry.points is not None:
            values[issue.id] = {f"{x:g}": float(u) for x, u in entry.points}
        elif isinstance(base, LinearAdditive) and issue.size <= LISTED_OPTIONS:
            values[issue.id] = {
                f"{issue.value_of(k):g}": float(base.values[j][k]) for k in range(issue.size)
            }
    return values


def evaluation(
    space: OutcomeSpace, prefs: Preferences, reservation: float, chosen: Mapping[int, int]
) -> Json:
    """Value of a package built so far (``chosen``: issue position -> option index)."""
    complete = len(chosen) == len(space.issues)
    base = prefs.base if isinstance(prefs, CappedAdditive) else prefs
    value: float | None = None
    if complete:
        value = float(prefs.utility(tuple(chosen[j] for j in range(len(space.issues)))))
    elif isinstance(base, LinearAdditive):
        tables = base.scalar_tables
        value = float(sum(tables[j][k] for j, k in chosen.items()))
        if isinstance(prefs, CappedAdditive):
            value = min(prefs.ceiling, value)
    crossed = [line.description for line in prefs.red_lines if line.taken_by(chosen)]
    impossible = cannot_exist(space, chosen)
    return {
        "value": value,
        "complete": complete,
        "reservation": float(reservation),
        "red_lines_crossed": crossed,
        "impossible": impossible,
        "acceptable": complete
        and not crossed
        and not impossible
        and value is not None
        and reaches(value, reservation),
    }


def cannot_exist(space: OutcomeSpace, chosen: Mapping[int, int]) -> list[str]:
    """Why a package being built cannot exist: the reasons of the scenario's constraints its
    chosen options already break, whatever the issues still open."""
    return [c.description for c in space.constraints if c.taken_by(chosen)]


def confided_evaluation(view: View, chosen: Mapping[int, int]) -> Json:
    """A mediator's evaluation of a package: its own fields empty (it has no profile), and each
    profile confided to it so far (``View.confided``: nothing before anyone confided) judged
    against that profile's own reservation, the one the confided profile shows."""
    complete = len(chosen) == len(view.space.issues)
    return {
        "value": None,
        "complete": complete,
        "reservation": float(view.reservation),
        "red_lines_crossed": [],
        "impossible": cannot_exist(view.space, chosen),
        "acceptable": False,
        "confided": {
            party: evaluation(view.space, prefs, float(prefs.reservation), chosen)
            for party, prefs in view.confided.items()
        },
    }


def message(msg: Message, space: OutcomeSpace, prefs: Preferences | None) -> Json:
    return {
        "seq": msg.seq,
        "round": msg.round,
        "phase": msg.phase,
        "sender": msg.sender,
        "to": list(msg.to),
        "kind": msg.kind,
        "package": package(space, msg.outcome),
        "text": msg.text,
        "public": msg.public,
        "value": utility(prefs, msg.outcome),
        "data": dict(msg.data),
    }


def result(room: Room, party: str | None) -> Json | None:
    """How the talks ended; utilities only ``party``'s own (none for the facilitator)."""
    session = room.session
    if session.ended is None:
        return None
    prefs = None if party is None else room.scenario.party(party).preferences
    own = utility(prefs, session.agreement)
    return {
        "ended": session.ended,
        "reason": session.reason,
        "agreement": package(room.scenario.space, session.agreement),
        "utilities": {} if own is None or party is None else {party: own},
    }


def brief(room: Room) -> Json:
    session = room.session
    return {
        "id": room.id,
        "title": room.scenario.title,
        "title_labels": dict(room.scenario.doc.labels or {}),
        "protocol": room.settings.protocol,
        "status": room.status,
        "round": session.round,
        "deadline": session.deadline,
        "phase": session.phase,
    }


def status(room: Room) -> Json:
    """The facilitator's picture: seats and progress, never a preference."""
    return {
        "id": room.id,
        "title": room.scenario.title,
        "protocol": room.settings.protocol,
        "status": room.status,
        "round": room.session.round,
        "deadline": room.session.deadline,
        "agenda": room.agenda,
        "title_labels": dict(room.scenario.doc.labels or {}),
        "party_labels": every_party_labels(room.scenario),
        "seats": [
            {
                "party": seat.party,
                "role": seat.role,
                "kind": seat.kind,
                "strategy": None if seat.strategy is None else seat.strategy.name,
                "ready": seat.ready,
                "connected": seat.connected > 0,
                "revoked": seat.kind == "person" and seat.token_hash is None,
            }
            for seat in room.seats.values()
        ],
        "result": result(room, None),
        "facilitator_profiles": room.facilitator_profiles,
        "profiles_withheld": room.profiles_withheld,
        "turn": whose_turn(room),
        "record": [message(msg, room.scenario.space, None) for msg in room.facilitator_messages()],
        "turn_seconds": room.turn_seconds,
    }


def whose_turn(room: Room) -> Json | None:
    """Who must act now and on what question, for the facilitator's desk (None unless the
    talks are running or paused). Never ``Ask.allowed``: the engine narrows it by the seat's profile
    (whether it may accept the package before it), so it would tell the desk a preference."""
    ask = room.session.pending
    if ask is None or room.status not in ("running", "paused"):
        return None
    seat = room.seats.get(ask.party)
    waited, overdue = room.timing()
    return {
        "waited": round(waited, 1),
        "overdue": overdue,
        "turn": ask.turn,
        "party": ask.party,
        "role": room.scenario.party(ask.party).role,
        "held_by": "strategy" if seat is not None and seat.kind == "strategy" else "person",
        "question": str(ask.question),
        "prompt": ask.prompt,
        "to": list(ask.to),
    }


def withheld_transcript(
    scenario: Scenario, settings: Settings, seed: int, messages: Sequence[Message]
) -> str:
    """The facilitator's JSONL while the profiles are withheld: the scenario without any
    party's preferences or declared uncertainty (so ``parley replay`` cannot read it yet)."""
    head = transcript_header(scenario, settings, seed)
    doc = head["scenario"]
    doc.pop("uncertainty", None)
    for party in doc.get("parties", []):
        party.pop("preferences", None)
    head["withheld"] = "the parties' profiles, until the talks end (chosen at creation)"
    body = [transcript_line(message_json(m, scenario.space)) for m in messages]
    return "".join([transcript_line(head), *body])


def seat_view(room: Room, party: str) -> Json:
    """Everything ``party``'s seat may see now (the engine's View of it, as JSON)."""
    session, scenario = room.session, room.scenario
    view = session.view(party)
    space, prefs = scenario.space, view.preferences
    seat = room.seats[party]
    found = confided_analysis(session, view)
    return {
        "session": brief(room),
        "party": party,
        "role": view.role,
        "ready": seat.ready,
        "editable": room.status == "waiting" and prefs is not None,
        "agenda": room.agenda,
        "parties": table(room, view),
        "party_labels": every_party_labels(scenario),
        "mediator": mediator_of(view),
        "advises": view.advises,
        "profile": profile(scenario, party),
        "reservation": float(view.reservation),
        "messages": [message(msg, space, prefs) for msg in view.messages],
        "pending": pending(room, party, prefs),
        "confided": {p: confided_profile(scenario, p, prefs) for p, prefs in view.confided.items()},
        "suggestions": [] if found is None else suggested(space, found),
        "frontier": [] if found is None else frontier(space, found),
        "result": result(room, party),
    }


def mediator_of(view: View) -> str | None:
    """The mediator of these talks (None in direct talks, where it has no part)."""
    return view.mediator if view.protocol in MEDIATED else None


def table(room: Room, view: View) -> list[Json]:
    """Who sits at the table: the principals and the mediator, names and roles (all public)."""
    names = [*view.principals, *filter(None, [mediator_of(view)])]
    return [
        {
            "name": name,
            "role": room.scenario.party(name).role,
            "labels": party_labels(room.scenario, name),
        }
        for name in names
    ]


def every_party_labels(scenario: Scenario) -> dict[str, dict[str, str]]:
    """Every party's name in other languages, for the names in the record (all public)."""
    return {p.name: dict(p.labels) for p in scenario.doc.parties if p.labels}


def pending(room: Room, party: str, prefs: Preferences | None) -> Json | None:
    ask = room.session.pending
    if ask is None or ask.party != party or room.status != "running":
        return None
    space = room.scenario.space
    return {
        "turn": ask.turn,
        "allowed": sorted(ask.allowed),
        "prompt": ask.prompt,
        "offer": package(space, ask.offer),
        "offer_value": utility(prefs, ask.offer),
        "previous": package(space, ask.previous),
        "to": list(ask.to),
        "question": str(ask.question),
        "about": ask.about,
        "covers": None if ask.covers is None else [space.issues[c].id for c in ask.covers],
        "public": ask.public,
    }


CRITERIA = {"nash": "nash", "kalai": "kalai", "maximin": "egalitarian"}

_analyses: weakref.WeakKeyDictionary[Session, tuple[frozenset[str], Analysis | None]] = (
    weakref.WeakKeyDictionary()
)
_analyses_lock = threading.Lock()


def confided_analysis(session: Session, view: View) -> Analysis | None:
    """The analysis of the profiles confided to ``view``'s seat, once every principal confided
    (None before, and for every seat but the mediator's, whose ``View.confided`` is empty).

    Computed once per engine session and set of confided profiles: a room's session is replaced
    whenever its scenario changes, so keying on it (weakly) never serves a stale analysis. A
    space too large to scan gives None (no suggestions, no frontier), not a failed view.
    """
    confided = view.confided
    if not confided or any(p not in confided for p in view.principals):
        return None
    key = frozenset(confided)
    with _analyses_lock:
        cached = _analyses.get(session)
    if cached is not None and cached[0] == key:
        return cached[1]
    principals = list(view.principals)
    analysis: Analysis | None
    try:
        analysis = analyze_profiles(view.space, [confided[p] for p in principals], principals)
    except ParleyError:
        analysis = None
    with _analyses_lock:
        _analyses[session] = (key, analysis)
    return analysis


def frontier(space: OutcomeSpace, analysis: Analysis) -> list[Json]:
    """The Pareto frontier's distinct utility vectors, each with one package, in frontier order
    (first principal's utility descending); at most ``FRONTIER_POINTS``, evenly spread with
    both ends kept."""
    points, seen = [], set()
    for point in analysis.pareto:
        vector = tuple(round(u, 9) for u in point.utilities)
        if vector not in seen:
            seen.add(vector)
            points.append(point)
    if len(points) > FRONTIER_POINTS:
        last = len(points) - 1
        picks = sorted({round(k * last / (FRONTIER_POINTS - 1)) for k in range(FRONTIER_POINTS)})
        points = [points[k] for k in picks]
    return [
        {
            "package": space.to_values(point.outcome),
            "utilities": {
                p: float(u) for p, u in zip(analysis.parties, point.utilities, strict=True)
            },
        }
        for point in points
    ]


def suggestions(
    space: OutcomeSpace, principals: Sequence[str], confided: Mapping[str, Any]
) -> list[Json]:
    """The Nash, Kalai and maximin packages of the confided profiles (every principal's)."""
    if any(p not in confided for p in principals):
        return []
    return suggested(space, analyze_profiles(space, [confided[p] for p in principals], principals))


def suggested(space: OutcomeSpace, analysis: Analysis) -> list[Json]:
    principals = analysis.parties
    out = []
    for criterion, attribute in CRITERIA.items():
        point = getattr(analysis, attribute)
        if point is not None:
            out.append(
                {
                    "criterion": criterion,
                    "package": space.to_values(point.outcome),
                    "utilities": {
                        p: float(u) for p, u in zip(principals, point.utilities, strict=True)
                    },
                }
            )
    return out


def transcript_text(messages: Sequence[Message], space: OutcomeSpace) -> str:
    return "".join(describe(msg, space) + "\n" for msg in messages)
