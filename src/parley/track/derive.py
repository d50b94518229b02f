"""The scenario of a later session of a track, derived from the modelled one.

Session k (k >= 2) is the modelled scenario with: a red line for every principal forbidding
every other option of each issue agreed so far; the reservation values carried over; the
standing positions as ``protocol.opening``; the rounds held so far as ``protocol.elapsed``
(time-based strategies go on pacing their concessions over the ``horizon``);
``at_deadline = "adjourn"``; the timeline without
the modelled day's scheduled events (random events and standing conditions stay, except
standing shifts of a reservation, whose effect the carried value already holds); no shuttle
script (the modelled day's schedule), no ``[uncertainty]`` and no ``[track]``. It is a whole
scenario document of its own, so the session's transcript replays alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from parley.outcomes import OutcomeSpace
from parley.scenario import Scenario, ScenarioDoc
from parley.scenario.schema import EventDoc
from parley.track.record import Carried, Slot

Data = dict[str, Any]


def next_scenario(
    scenario: Scenario, slot: Slot, carried: Carried, earlier: Mapping[int, Slot]
) -> Scenario:
    """The session in ``slot`` of the track of ``scenario`` (the modelled session), starting
    from ``carried``; ``earlier`` holds the earlier sessions' slots by number."""
    doc, number = scenario.doc, slot.number
    data: Data = doc.model_dump(mode="json", exclude_none=True)
    data.pop("uncertainty", None)
    data.pop("track", None)
    data["name"] = f"{doc.name}.session-{number}"
    data["title"] = f"{slot.title or doc.title}: session {number} of a track from {doc.name}"
    data.pop("date", None)
    if slot.date is not None:
        data["date"] = slot.date
    data["notes"] = _notes(doc, number)
    data["timeline"] = [
        e.model_dump(mode="json", exclude_none=True) for e in doc.timeline if kept(e)
    ]
    data["protocol"] = _protocol(data["protocol"], scenario.space, carried)
    lines = _agreed_lines(scenario.space, carried, earlier)
    for party in data["parties"]:
        _carry(party, carried, lines)
    source = f"{scenario.source} (session {number})"
    return Scenario.from_doc(ScenarioDoc.model_validate(data), source)


def kept(event: EventDoc) -> bool:
    """Does ``event`` of the modelled day's timeline recur in a later session? Random events
    and context do; standing conditions do unless they shift a reservation (the carried value
    holds that shift already); events scheduled at a round of that day do not."""
    if event.round is None:
        return True
    return event.round == 0 and event.kind != "shift-reservation"


def _notes(doc: ScenarioDoc, number: int) -> str:
    derived = (
        f"Session {number} of a track from {doc.name} (parley track): the issues agreed in "
        "earlier sessions bind as red lines, each reservation value is the one the last "
        "session ended with, the standing positions open the talks, and the modelled day's "
        "scheduled events are left out."
    )
    return f"{doc.notes.rstrip()}\n\n{derived}" if doc.notes.strip() else derived


def _protocol(protocol: Data, space: OutcomeSpace, carried: Carried) -> Data:
    protocol = dict(protocol)
    protocol.pop("script", None)
    protocol["at_deadline"] = "adjourn"
    protocol["opening"] = {p: space.to_values(pos) for p, pos in carried.standing.items()}
    protocol["elapsed"] = carried.elapsed
    return protocol


def _agreed_lines(space: OutcomeSpace, carried: Carried, earlier: Mapping[int, Slot]) -> list[Data]:
    """One red line per agreed issue: every other option of it is forbidden."""
    lines = []
    for column, option in sorted(carried.agreed.items()):
        issue = space.issues[column]
        others = [issue.value_of(k) for k in range(issue.size) if k != option]
        if not others:
            continue  # a single-option issue binds itself
        session = carried.agreed_in[column]
        lines.append(
            {
                "description": (
                    f"{issue.id} = {issue.value_of(option)} was agreed in "
                    f"{earlier[session].called}; no other option of {issue.id} is open"
                ),
                "when": {issue.id: others},
            }
        )
    return lines


def _carry(party: Data, carried: Carried, lines: list[Data]) -> None:
    prefs = party.get("preferences")
    if prefs is None:
        return
    name = party["name"]
    if name in carried.reservations:
        prefs.pop("reservation_outcome", None)
        prefs["reservation"] = carried.reservations[name]
        prefs["reservation_rationale"] = carried.why[name]
    if party["role"] == "principal" and lines:
        prefs["red_lines"] = [*prefs.get("red_lines", []), *lines]
