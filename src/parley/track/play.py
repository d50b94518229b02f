"""Playing a track from a seed: session 1 is the scenario itself; each adjourned session
leads to the next, derived from it, until a deal, a collapse or the horizon.

Session 1 plays with the track's seed (so it is the session ``parley run --seed N`` plays);
session k >= 2 with a seed derived from it (``SeedSequence(seed, spawn_key=(k,))``), and the
events between sessions are drawn from a stream of their own (spawn key 0). A session's seed
does not depend on what happened before it, so a track replays byte for byte from its seed.
"""

from __future__ import annotations

import numpy as np

from parley.engine import Session, Settings
from parley.errors import UsageError
from parley.play import run
from parley.scenario import Scenario
from parley.scenario.schema import TRACK_HORIZON
from parley.track.between import Between, apply
from parley.track.derive import next_scenario
from parley.track.record import (
    BREAKDOWNS,
    COLLAPSE,
    DEAL,
    HORIZON,
    Carried,
    Happening,
    Played,
    Recorded,
    SessionRun,
    Slot,
    Track,
)


def play_track(scenario: Scenario, seed: int, horizon: int | None = None) -> Track:
    """Play the track of ``scenario`` from ``seed``, at most ``horizon`` sessions (default:
    its ``[track]`` section's horizon)."""
    if seed < 0:
        raise UsageError(f"--seed: a track's seed must be 0 or more, got {seed}")
    doc = scenario.doc.track
    if horizon is None:
        horizon = doc.planned_horizon if doc is not None else TRACK_HORIZON
    if horizon < 1:
        raise UsageError(f"--horizon: must be at least 1, got {horizon}")
    between = Between(scenario, seed)
    carried = _opening(scenario)
    slots: dict[int, Slot] = {}
    sessions: list[Played] = []
    end, why = HORIZON, ""
    for number in range(1, horizon + 1):
        slot = slot_of(scenario, number)
        slots[number] = slot
        carried, happenings = apply(between.draw() if number > 1 else (), carried)
        kinds = {h.kind for h in happenings}
        if kinds & {"collapse", "cancel"}:
            collapse = "collapse" in kinds
            cause = next(h for h in happenings if h.kind == ("collapse" if collapse else "cancel"))
            issues = len(scenario.space.sizes)
            sessions.append(_not_held(slot, happenings, carried, issues, cause.title, collapse))
            if collapse:
                end, why = COLLAPSE, f"before {slot.called}: {cause.title}"
                break
            continue
        derived = scenario if number == 1 else next_scenario(scenario, slot, carried, slots)
        played, session = _play(derived, session_seed(seed, number))
        carried = _after(carried, session, slot)
        sessions.append(_held(slot, happenings, carried, played))
        result = played.result
        if result.ended == "agreement":
            end, why = DEAL, f"in {slot.called}"
            break
        if result.ended in BREAKDOWNS:
            end, why = COLLAPSE, f"in {slot.called}: {result.reason}"
            break
    principals = next((s.run.result.parties for s in sessions if s.run is not None), ())
    return Track(
        scenario=scenario,
        seed=seed,
        horizon=horizon,
        declared=doc is not None,
        history=_history(scenario),
        sessions=tuple(sessions),
        end=end,
        why=why or f"no deal within {horizon} session(s)",
        principals=principals,
    )


def session_seed(seed: int, number: int) -> int:
    """The seed of session ``number`` of the track played from ``seed``."""
    if number == 1:
        return seed
    state = np.random.SeedSequence(seed, spawn_key=(number,)).generate_state(1)
    return int(state[0])


def slot_of(scenario: Scenario, number: int) -> Slot:
    """Session ``number``'s place: the modelled session, a named one, or just numbered."""
    doc = scenario.doc.track
    if number == 1:
        title = doc.modelled if doc is not None and doc.modelled else scenario.title
        return Slot(1, title, scenario.doc.date)
    named = doc.sessions if doc is not None else ()
    if number - 2 < len(named):
        planned = named[number - 2]
        return Slot(number, planned.title, planned.date)
    return Slot(number)


def _history(scenario: Scenario) -> tuple[Recorded, ...]:
    doc = scenario.doc.track
    if doc is None:
        return ()
    return tuple(
        Recorded(r.title, r.date, r.ended, r.description, r.source, r.basis) for r in doc.history
    )


def _opening(scenario: Scenario) -> Carried:
    """The state session 1 starts from: nothing agreed, the scenario's reservations."""
    reservations, why = {}, {}
    for doc, party in zip(scenario.doc.parties, scenario.parties, strict=True):
        if party.preferences is not None:
            reservations[party.name] = party.preferences.reservation
            why[party.name] = doc.preferences.reservation_rationale if doc.preferences else ""
    standing = dict(Settings.from_scenario(scenario).opening)
    return Carried(standing=standing, reservations=reservations, why=why)


def _play(scenario: Scenario, seed: int) -> tuple[SessionRun, Session]:
    session = run(scenario, Settings.from_scenario(scenario), seed)
    played = SessionRun(
        scenario,
        session.settings,
        seed,
        session.result(),
        tuple(session.transcript),
        dict(session.standing),
    )
    return played, session


def _after(carried: Carried, session: Session, slot: Slot) -> Carried:
    """What ``session`` (in ``slot``) hands the next: the issues it settled join those agreed
    before, its standing positions and reservation values carry over."""
    agreed, agreed_in = dict(carried.agreed), dict(carried.agreed_in)
    for column, option in enumerate(session.result().settled):
        if option is not None and column not in agreed:
            agreed[column], agreed_in[column] = option, slot.number
    reservations = {name: session.reservation(name) for name in carried.reservations}
    why = {
        name: (
            f"Carried over in the track: the reservation value {name} ended {slot.called} "
            f"with, {value:.3f}."
        )
        for name, value in reservations.items()
    }
    elapsed = carried.elapsed + session.result().rounds
    return Carried(agreed, agreed_in, dict(session.standing), reservations, why, elapsed)


def _agreed(carried: Carried, issues: int) -> tuple[int | None, ...]:
    return tuple(carried.agreed.get(column) for column in range(issues))


def _held(
    slot: Slot, happenings: tuple[Happening, ...], carried: Carried, played: SessionRun
) -> Played:
    result, issues = played.result, len(played.scenario.space.sizes)
    return Played(
        slot,
        happenings,
        result.ended,
        result.reason,
        _agreed(carried, issues),
        dict(carried.reservations),
        played,
    )


def _not_held(
    slot: Slot,
    happenings: tuple[Happening, ...],
    carried: Carried,
    issues: int,
    cause: str,
    collapse: bool,
) -> Played:
    """A session that does not take place: an event between sessions cancelled it (the track
    goes on) or ended the track."""
    ended, effect = (
        ("collapse", "the track ends")
        if collapse
        else ("not held", "the session does not take place")
    )
    return Played(
        slot,
        happenings,
        ended,
        f"{cause}: {effect}",
        _agreed(carried, issues),
        dict(carried.reservations),
    )
