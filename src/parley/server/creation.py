"""Creating a session: the scenario, the settings with each seat's holder, tokens and links.

A seat left out of the request is a person's (principals and, in mediated talks, the mediator);
``mediator`` names the mediator's strategy and so seats a built-in mediator. Nothing is
committed unless every strategy can be built (unknown names and bad parameters are 422 now,
not a failure in the middle of the talks).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from parley.engine import Settings, StrategySpec
from parley.errors import InvalidError, StrategyError, UnavailableError
from parley.scenario import Scenario, builtin_names, dumps, load, loads
from parley.server import tokens
from parley.server.db import SeatRecord, SessionRecord, Store
from parley.server.schemas import SessionCreate, StrategySeat
from parley.strategies.seating import check, settle


def create(store: Store, body: SessionCreate, base_url: str) -> dict[str, Any]:
    """A new session from ``body``; returns the invitation links (tokens shown this once)."""
    scenario = _scenario(body)
    settings = _settings(scenario, body)
    try:
        check(scenario, settings)  # refuses unknown strategies and bad parameters now
    except StrategyError as exc:
        raise InvalidError(str(exc)) from None
    facilitator = tokens.new_token()
    session_id = tokens.new_session_id()
    seats, links = [], []
    for party in _seat_parties(scenario, settings):
        role = scenario.party(party).role
        person = party in settings.people
        token = tokens.new_token() if person else None
        spec = None if person else settings.strategies[party]
        seats.append(
            SeatRecord(
                party,
                "person" if person else "strategy",
                None if spec is None else spec.to_json(),
                None if token is None else tokens.hashed(token),
                False,
            )
        )
        links.append(
            {
                "party": party,
                "role": role,
                "kind": "person" if person else "strategy",
                "strategy": None if spec is None else spec.name,
                "token": token,
                "link": None if token is None else f"{base_url}/room/{session_id}#token={token}",
            }
        )
    record = SessionRecord(
        id=session_id,
        scenario_toml=dumps(scenario.doc),
        settings=settings.to_json(),
        seed=body.seed,
        status="waiting",
        facilitator_hash=tokens.hashed(facilitator),
        seats=tuple(seats),
        answers=(),
        facilitator_profiles=body.facilitator_profiles,
        turn_seconds=body.turn_seconds,
    )
    try:
        store.create(record)
    except SQLAlchemyError:
        raise UnavailableError("the database did not accept the new session; try again") from None
    return {
        "id": session_id,
        "facilitator": {
            "token": facilitator,
            "link": f"{base_url}/facilitate/{session_id}#token={facilitator}",
        },
        "seats": links,
    }


def _scenario(body: SessionCreate) -> Scenario:
    if body.scenario is not None:
        # Only built-in names: a path here would read the server's own files.
        if body.scenario not in builtin_names():
            raise InvalidError(
                f"scenario: no built-in scenario {body.scenario!r}; built-ins: "
                f"{', '.join(builtin_names())} (or send scenario_toml)"
            )
        return load(body.scenario)
    assert body.scenario_toml is not None  # SessionCreate requires one of the two
    return loads(body.scenario_toml, source="scenario_toml")


def _seat_parties(scenario: Scenario, settings: Settings) -> list[str]:
    """Parties with a seat: the principals, the mediator unless the talks are direct, and any
    third party, spoiler or adviser the scenario seats."""
    return list(settings.strategies)


def _settings(scenario: Scenario, body: SessionCreate) -> Settings:
    base = Settings.from_scenario(scenario, protocol=body.protocol, rounds=body.rounds)
    parties = _seat_parties(scenario, base)
    for party in body.seats:
        if party not in parties:
            raise InvalidError(
                f"seats.{party}: no such seat; seats: {', '.join(parties)}"
                + (
                    " (the mediator has no seat in direct talks)"
                    if any(m.name == party for m in scenario.mediators)
                    else ""
                )
            )
    if body.mediator is not None:
        if base.mediator is None or base.mediator not in parties:
            raise InvalidError(
                "mediator: these talks have no mediator seat (direct talks or none in the scenario)"
            )
        if base.mediator in body.seats and body.seats[base.mediator].kind == "person":
            raise InvalidError(f"mediator: the seat of {base.mediator} is given to a person")
    # Third parties, spoilers and advisers sit in a room only when the facilitator seats them
    # (a person or a strategy): left out, they take no turn, whatever the scenario seats.
    outside = {p.name for p in scenario.parties if p.role not in ("principal", "mediator")}
    parties = [p for p in parties if p not in outside or p in body.seats]
    chosen: dict[str, StrategySpec | None] = {}
    for party in parties:
        seat = body.seats.get(party)
        if isinstance(seat, StrategySeat):
            chosen[party] = StrategySpec(seat.strategy, seat.params)
        elif seat is None and party == base.mediator and body.mediator is not None:
            chosen[party] = StrategySpec(body.mediator)  # naming its strategy seats it
        else:
            chosen[party] = None  # a person (so named, or left out)
    mediator_spec = chosen.get(base.mediator or "")
    settings = Settings.from_scenario(
        scenario,
        protocol=body.protocol,
        rounds=body.rounds,
        mediator=None if mediator_spec is None else mediator_spec.name,
    )
    strategies = {
        p: chosen.get(p) or spec
        for p, spec in settings.strategies.items()
        if p not in outside or p in chosen
    }
    settings = dataclasses.replace(settings, strategies=strategies)
    settings = settle(scenario, settings, named=mediator_spec is not None)
    confide = settings.confide
    if body.confide is not None and settings.mediator is not None:
        confide = body.confide
    people = tuple(p for p in parties if chosen[p] is None)
    return dataclasses.replace(settings, confide=confide, people=people)
