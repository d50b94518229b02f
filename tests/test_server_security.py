"""Security of the room: every endpoint with every kind of wrong token, and isolation, on an
open server and on one with an operator key (which creates sessions and opens no seat).

Isolation is checked against the engine: whatever a seat receives (its view, over HTTP or the
WebSocket, and its transcript) must be exactly what ``Session.view`` says that seat may see.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parley.engine.messages import Kind
from parley.server import views
from parley.server.app import create_app
from parley.server.config import RoomConfig
from parley.server.rooms import Room
from tests.server_helpers import TestClient, answer, bearer, create, operator_key, tokens_of

UNKNOWN = "0123456789abcdef"
KEY = "operator-key-for-the-security-tests"
NASH_TOML = Path(__file__).parents[1] / "src" / "parley" / "scenario" / "builtin" / "nash-1950.toml"
FACILITATOR_ONLY = [
    ("GET", ""),
    ("POST", "/start"),
    ("POST", "/events"),
    ("POST", "/turn/default"),
    ("POST", "/seats/Iran/link"),
    ("DELETE", "/seats/Iran/link"),
]
SEAT_ONLY = [
    ("GET", "/view"),
    ("PUT", "/profile"),
    ("POST", "/ready"),
    ("POST", "/evaluate"),
    ("POST", "/actions"),
    ("POST", "/replies"),
]
ANYONE = [
    ("GET", "/transcript?format=jsonl"),
    ("GET", "/transcript?format=text"),
    ("GET", "/agreement?format=html"),
    ("GET", "/agreement?format=pdf"),
]
ENDPOINTS = FACILITATOR_ONLY + SEAT_ONLY + ANYONE


@pytest.fixture(scope="module", params=["open", "keyed"])
def client(request: pytest.FixtureRequest) -> Iterator[TestClient]:
    """The room open (``parley serve --open``) and with an operator key (its default): every
    test here runs on both (``create`` sends the key when there is one)."""
    key = KEY if request.param == "keyed" else None
    with TestClient(create_app("sqlite://", RoomConfig(operator_key=key))) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def two_sessions(client: TestClient) -> tuple[dict[str, Any], dict[str, Any]]:
    return create(client, confide=True), create(client, scenario="nash-1950", protocol="shuttle")


def body_for(path: str) -> dict[str, Any] | None:
    return {
        "/profile": {"weights": {}, "values": {}},
        "/evaluate": {"package": {}},
        "/actions": {"turn": 1, "kind": "walk-away"},
        "/events": {"kind": "note", "title": "News"},
        "/turn/default": {"turn": 1},
        "/replies": {"to": "Iran", "text": "A word"},
    }.get(path)


def call(client: TestClient, method: str, url: str, path: str, token: str | None) -> Any:
    return client.request(method, url, json=body_for(path.split("?")[0]), headers=bearer(token))


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_wrong_missing_and_foreign_tokens_are_refused(
    client: TestClient, two_sessions: Any, method: str, path: str
) -> None:
    mine, theirs = two_sessions
    url = f"/api/sessions/{mine['id']}{path}"
    assert call(client, method, url, path, None).status_code == 401
    assert call(client, method, url, path, "not-a-token").status_code == 403
    assert call(client, method, url, path, mine["facilitator"]["token"] + "x").status_code == 403
    # The operator's key creates sessions; it opens no seat of any (nor the facilitator's desk).
    foreign = [theirs["facilitator"]["token"], *tokens_of(theirs).values(), KEY]
    for token in foreign:
        response = call(client, method, url, path, token)
        assert response.status_code == 403, (token, response.text)
        assert set(response.json()) == {"detail"}
    elsewhere = f"/api/sessions/{UNKNOWN}{path}"
    assert call(client, method, elsewhere, path, mine["facilitator"]["token"]).status_code == 404


@pytest.mark.parametrize(
    ("sent", "open_status", "keyed_status"),
    [(None, 201, 401), ("not-the-key", 201, 403), (KEY, 201, 201)],
    ids=["no-key", "wrong-key", "the-key"],
)
def test_creating_and_importing_need_the_key_only_on_a_keyed_server(
    client: TestClient, sent: str | None, open_status: int, keyed_status: int
) -> None:
    keyed = operator_key(client) is not None
    status = keyed_status if keyed else open_status
    created = client.post("/api/sessions", json={"scenario": "nash-1950"}, headers=bearer(sent))
    assert created.status_code == status, created.text
    files = [("files", ("nash.toml", NASH_TOML.read_bytes()))]
    imported = client.post("/api/scenarios/import", files=files, headers=bearer(sent))
    assert imported.status_code == (200 if status == 201 else status), imported.text
    if status in (401, 403):  # refused before the body is read: the detail says why
        assert "operator's key" in created.json()["detail"]
        assert set(created.json()) == {"detail"}


@pytest.mark.parametrize(("method", "path"), FACILITATOR_ONLY)
def test_seat_tokens_cannot_do_what_the_facilitator_does(
    client: TestClient, two_sessions: Any, method: str, path: str
) -> None:
    mine, _ = two_sessions
    for token in tokens_of(mine).values():
        response = call(client, method, f"/api/sessions/{mine['id']}{path}", path, token)
        assert response.status_code == 403


@pytest.mark.parametrize(("method", "path"), SEAT_ONLY)
def test_the_facilitator_token_opens_no_seat(
    client: TestClient, two_sessions: Any, method: str, path: str
) -> None:
    mine, _ = two_sessions
    token = mine["facilitator"]["token"]
    assert call(client, method, f"/api/sessions/{mine['id']}{path}", path, token).status_code == 403


def test_only_a_principal_edits_a_profile_and_only_its_own(client: TestClient) -> None:
    created = create(client)
    sid, tokens = created["id"], tokens_of(created)
    iran = client.get(f"/api/sessions/{sid}/view", headers=bearer(tokens["Iran"])).json()
    url = f"/api/sessions/{sid}/profile"
    assert client.put(url, json=iran["profile"], headers=bearer(tokens["Oman"])).status_code == 403
    # The United States sending Iran's profile edits its own (and fails: other values, same
    # issues; the point is that Iran's stays as it was).
    client.put(url, json=iran["profile"], headers=bearer(tokens["United States"]))
    after = client.get(f"/api/sessions/{sid}/view", headers=bearer(tokens["Iran"])).json()
    assert after["profile"] == iran["profile"]


def expected(room: Room, party: str) -> dict[str, Any]:
    """What the engine says ``party`` may see, in the API's terms."""
    view = room.session.view(party)
    return {
        "seqs": [msg.seq for msg in view.messages],
        "profile": views.profile(room.scenario, party),
        "confided": sorted(view.confided),
        "values": [
            None
            if view.preferences is None or msg.outcome is None
            else pytest.approx(view.preferences.utility(msg.outcome))
            for msg in view.messages
        ],
    }


def secrets_of(room: Room, party: str) -> list[str]:
    """Text only ``party``'s profile holds: its red lines' descriptions."""
    doc = next(p.preferences for p in room.scenario.doc.parties if p.name == party)
    return [] if doc is None else [line.description for line in doc.red_lines]


def texts(data: Any) -> Iterator[str]:
    """Every string in a JSON answer, keys included."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from texts(value)
    elif isinstance(data, list):
        for item in data:
            yield from texts(item)


def check_evaluate(client: TestClient, room: Room, party: str, token: str) -> dict[str, Any]:
    """A seat's evaluation: a principal's own value only; the mediator's, one per profile the
    engine says was confided to it (nothing before one was), each that profile's utility."""
    space = room.scenario.space
    outcome = space.outcome_at(room.session.round % space.cardinality)
    response = client.post(
        f"/api/sessions/{room.id}/evaluate",
        json={"package": space.to_values(outcome)},
        headers=bearer(token),
    )
    assert response.status_code == 200, response.text
    got: dict[str, Any] = response.json()
    view = room.session.view(party)
    assert sorted(got["confided"]) == sorted(view.confided)
    for other, prefs in view.confided.items():
        assert got["confided"][other]["value"] == pytest.approx(prefs.utility(outcome))
    if view.preferences is None:
        assert got["value"] is None
    else:
        assert got["value"] == pytest.approx(view.preferences.utility(outcome))
    return got


def check_confided_analysis(room: Room, got: dict[str, Any]) -> None:
    """The mediator's suggestions and frontier: present once every principal confided, and
    every point's utilities are the confided profiles' own values of its package."""
    view = room.session.view(got["party"])
    everyone = bool(view.confided) and all(p in view.confided for p in view.principals)
    assert bool(got["frontier"]) == everyone
    if not everyone:
        assert got["suggestions"] == []
    space = room.scenario.space
    for point in [*got["frontier"], *got["suggestions"]]:
        outcome = space.from_values(point["package"])
        assert point["utilities"] == {
            p: pytest.approx(view.confided[p].utility(outcome)) for p in view.principals
        }


def check_isolation(client: TestClient, room: Room, tokens: dict[str, str]) -> None:
    sid = room.id
    seated = sorted((seat.party, seat.role) for seat in room.seats.values())
    for party, token in tokens.items():
        if party == "facilitator":
            continue
        got = client.get(f"/api/sessions/{sid}/view", headers=bearer(token)).json()
        want = expected(room, party)
        assert got["party"] == party
        assert [msg["seq"] for msg in got["messages"]] == want["seqs"]
        assert [msg["value"] for msg in got["messages"]] == want["values"]
        assert got["profile"] == want["profile"]
        assert sorted(got["confided"]) == want["confided"]
        # Who sits at the table is public: every seat sees the same names and roles, no more.
        assert sorted((p["name"], p["role"]) for p in got["parties"]) == seated
        assert all(set(p) == {"name", "role", "labels"} for p in got["parties"])
        for sitting in got["parties"]:
            assert sitting["labels"] == views.party_labels(room.scenario, sitting["name"])
        mediators = [name for name, role in seated if role == "mediator"]
        assert got["mediator"] == (mediators[0] if mediators else None)
        evaluated = check_evaluate(client, room, party, token)
        if room.scenario.party(party).role != "mediator":
            assert got["confided"] == {}
            assert got["suggestions"] == []
            assert got["frontier"] == []
            assert evaluated["confided"] == {}
            seen = [*texts(got), *texts(evaluated)]
            for other in room.settings.order:
                if other != party:
                    assert not any(s in t for s in secrets_of(room, other) for t in seen)
        else:
            check_confided_analysis(room, got)
        if got["result"] is not None:
            assert set(got["result"]["utilities"]) <= {party}
        ask = room.session.pending
        mine = ask is not None and ask.party == party and room.status == "running"
        assert (got["pending"] is not None) == mine
        lines = client.get(
            f"/api/sessions/{sid}/transcript?format=jsonl", headers=bearer(token)
        ).text.splitlines()
        assert [json.loads(line)["seq"] for line in lines] == want["seqs"]
        text = client.get(f"/api/sessions/{sid}/transcript?format=text", headers=bearer(token))
        assert len(text.text.splitlines()) == len(want["seqs"])
    status = client.get(f"/api/sessions/{sid}", headers=bearer(tokens["facilitator"])).json()
    settings = {"facilitator_profiles", "profiles_withheld"}  # the session's choice, no profile
    assert "profile" not in json.dumps({k: v for k, v in status.items() if k not in settings})
    assert status["agenda"] == room.agenda
    for other in room.settings.order:
        assert not any(s in t for s in secrets_of(room, other) for t in texts(status))
    if status["result"] is not None:
        assert status["result"]["utilities"] == {}


def test_every_seat_sees_exactly_what_the_engine_allows_through_the_talks(
    client: TestClient,
) -> None:
    created = create(client, confide=True, mediator=None)
    tokens = {**tokens_of(created), "facilitator": created["facilitator"]["token"]}
    sid = created["id"]
    room: Room = client.app.state.hub.room(sid)  # type: ignore[attr-defined]
    # The leak checks below look for these; they mean something only if there are some.
    assert secrets_of(room, "Iran")
    assert secrets_of(room, "United States")
    check_isolation(client, room, tokens)
    for party in ("Iran", "United States", "Oman"):
        client.post(f"/api/sessions/{sid}/ready", headers=bearer(tokens[party]))
    confided_seen = False
    valued_for = {frozenset(check_evaluate(client, room, "Oman", tokens["Oman"])["confided"])}
    for _ in range(60):
        if room.status == "ended":
            break
        ask = room.session.pending
        assert ask is not None
        view = client.get(f"/api/sessions/{sid}/view", headers=bearer(tokens[ask.party])).json()
        body = answer(view)
        assert body is not None
        client.post(f"/api/sessions/{sid}/actions", json=body, headers=bearer(tokens[ask.party]))
        check_isolation(client, room, tokens)
        oman = client.get(f"/api/sessions/{sid}/view", headers=bearer(tokens["Oman"])).json()
        valued_for.add(frozenset(check_evaluate(client, room, "Oman", tokens["Oman"])["confided"]))
        if len(oman["confided"]) == 2:
            confided_seen = True
            assert {s["criterion"] for s in oman["suggestions"]} <= {"nash", "kalai", "maximin"}
            assert oman["frontier"]
    assert confided_seen
    # Before confiding nothing, then the one profile confided, then both.
    assert valued_for == {frozenset(), frozenset({"Iran"}), frozenset({"Iran", "United States"})}


@st.composite
def moves(draw: st.DrawFn) -> list[tuple[int, int, bool]]:
    """Random answers: which allowed kind, which package (by seed), public remark or not."""
    return draw(
        st.lists(
            st.tuples(st.integers(0, 9), st.integers(0, 2**16), st.booleans()),
            min_size=1,
            max_size=25,
        )
    )


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    protocol=st.sampled_from(["shuttle", "direct", "single-text"]),
    seed=st.integers(0, 1000),
    plan=moves(),
)
def test_isolation_holds_whatever_people_do(
    client: TestClient, protocol: str, seed: int, plan: list[tuple[int, int, bool]]
) -> None:
    created = create(client, scenario="nash-1950", protocol=protocol, seed=seed, rounds=4)
    tokens = {**tokens_of(created), "facilitator": created["facilitator"]["token"]}
    sid = created["id"]
    room: Room = client.app.state.hub.room(sid)  # type: ignore[attr-defined]
    client.post(f"/api/sessions/{sid}/start", headers=bearer(tokens["facilitator"]))
    space = room.scenario.space
    for pick, package_seed, public in plan:
        ask = room.session.pending
        if ask is None or room.status != "running":
            break
        kinds = sorted(ask.allowed - {Kind.WALK_AWAY}) or sorted(ask.allowed)
        kind = kinds[pick % len(kinds)]
        outcome = space.outcome_at(package_seed % space.cardinality)
        body = {
            "turn": ask.turn,
            "kind": kind,
            "package": space.to_values(outcome),
            "statement": "a remark" if public else "",
            "public": public,
        }
        response = client.post(
            f"/api/sessions/{sid}/actions", json=body, headers=bearer(tokens[ask.party])
        )
        assert response.status_code in (200, 422), response.text
        check_isolation(client, room, tokens)
