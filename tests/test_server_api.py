"""The room's API end to end in-process: sessions, turns, profiles, transcripts, WebSocket."""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.websockets import WebSocketDisconnect

from parley.analysis import Analysis
from parley.analysis.points import Point
from parley.cli.run import replay
from parley.engine import Session
from parley.engine.transcript import read
from parley.play import resume
from parley.scenario import Scenario, dumps, load
from parley.server import views
from parley.server.db import Store
from tests.server_helpers import (
    TestClient,
    answer,
    bearer,
    create,
    new_app,
    play_out,
    socket_of,
    tokens_of,
)

DATA = Path(__file__).parent / "data" / "formats"


@pytest.fixture
def client(tmp_path: Path) -> Any:
    with TestClient(new_app(tmp_path)) as test_client:
        yield test_client


def ready_all(client: TestClient, session_id: str, tokens: dict[str, str]) -> None:
    for token in tokens.values():
        response = client.post(f"/api/sessions/{session_id}/ready", headers=bearer(token))
        assert response.status_code == 200


def view_of(client: TestClient, session_id: str, token: str) -> dict[str, Any]:
    response = client.get(f"/api/sessions/{session_id}/view", headers=bearer(token))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    ("scenario", "protocol"),
    [("nash-1950", "shuttle"), ("job-offer", "direct"), ("nash-1950", "single-text")],
)
def test_people_play_to_the_end_and_the_transcript_replays(
    client: TestClient, scenario: str, protocol: str, tmp_path: Path, capsys: Any
) -> None:
    created = create(client, scenario=scenario, protocol=protocol, rounds=6)
    sid, tokens = created["id"], tokens_of(created)
    ready_all(client, sid, tokens)
    assert play_out(client, sid, tokens) > 0
    status = client.get(f"/api/sessions/{sid}", headers=bearer(created["facilitator"]["token"]))
    assert status.json()["status"] == "ended"
    assert status.json()["result"]["utilities"] == {}  # the facilitator sees no preference
    jsonl = client.get(
        f"/api/sessions/{sid}/transcript?format=jsonl",
        headers=bearer(created["facilitator"]["token"]),
    ).text
    path = tmp_path / "talks.jsonl"
    path.write_text(jsonl, encoding="utf-8")
    recording = read(path)
    rebuilt, _ = resume(recording.scenario, recording.settings, recording.seed, recording.messages)
    assert rebuilt.done
    assert tuple(rebuilt.transcript) == recording.messages
    replay(path, as_json=True, imports=[])  # what `parley replay` runs
    assert '"ended"' in capsys.readouterr().out


def test_built_in_seats_answer_at_once(client: TestClient) -> None:
    created = create(
        client,
        mediator="relay",
        seats={"United States": {"kind": "strategy", "strategy": "linear"}},
    )
    sid, tokens = created["id"], tokens_of(created)
    assert set(tokens) == {"Iran"}
    assert client.post(f"/api/sessions/{sid}/ready", headers=bearer(tokens["Iran"])).json() == {
        "ready": True,
        "status": "running",
    }
    first = view_of(client, sid, tokens["Iran"])
    body = answer(first)
    assert body is not None
    ack = client.post(f"/api/sessions/{sid}/actions", json=body, headers=bearer(tokens["Iran"]))
    assert ack.status_code == 200
    after = view_of(client, sid, tokens["Iran"])
    if after["session"]["status"] == "running":
        # Oman relayed and the United States answered: it is Iran's turn again.
        assert after["pending"]["turn"] > body["turn"]
        assert any(m["sender"] == "Oman" for m in after["messages"])


def test_an_answer_is_in_the_database_when_acknowledged(client: TestClient, tmp_path: Path) -> None:
    created = create(client, mediator="relay")
    sid, tokens = created["id"], tokens_of(created)
    ready_all(client, sid, tokens)
    view = view_of(client, sid, tokens["Iran"])
    body = answer(view)
    assert body is not None
    ack = client.post(f"/api/sessions/{sid}/actions", json=body, headers=bearer(tokens["Iran"]))
    assert ack.json()["turn"] == body["turn"]
    other = Store(f"sqlite:///{tmp_path}/room.sqlite")  # a second connection sees the commit
    record = other.load(sid)
    other.close()
    assert record is not None
    assert next((a.turn, a.party) for a in record.answers) == (body["turn"], "Iran")
    assert view["messages"] == [] or all(m["seq"] < ack.json()["seq"] for m in view["messages"])


def test_a_new_server_on_the_same_database_continues(tmp_path: Path) -> None:
    with TestClient(new_app(tmp_path)) as first:
        created = create(first, scenario="nash-1950", protocol="shuttle", rounds=5)
        sid, tokens = created["id"], tokens_of(created)
        ready_all(first, sid, tokens)
        for _ in range(3):
            for token in tokens.values():
                body = answer(view_of(first, sid, token))
                if body is not None:
                    first.post(f"/api/sessions/{sid}/actions", json=body, headers=bearer(token))
        before = {p: view_of(first, sid, t) for p, t in tokens.items()}
    with TestClient(new_app(tmp_path)) as second:
        assert {p: view_of(second, sid, t) for p, t in tokens.items()} == before
        play_out(second, sid, tokens)
        assert view_of(second, sid, tokens["Bill"])["result"] is not None


def test_turn_rules_answer_409_and_the_engine_refusals_422(client: TestClient) -> None:
    created = create(client, mediator="relay")
    sid, tokens = created["id"], tokens_of(created)
    url = f"/api/sessions/{sid}/actions"
    early = client.post(url, json={"turn": 1, "kind": "propose"}, headers=bearer(tokens["Iran"]))
    assert early.status_code == 409  # not started
    ready_all(client, sid, tokens)
    turn = view_of(client, sid, tokens["Iran"])["pending"]["turn"]
    us = client.post(
        url, json={"turn": turn, "kind": "walk-away"}, headers=bearer(tokens["United States"])
    )
    assert us.status_code == 409
    assert "turn" in us.json()["detail"]
    stale = client.post(
        url, json={"turn": turn + 5, "kind": "walk-away"}, headers=bearer(tokens["Iran"])
    )
    assert stale.status_code == 409
    wrong_kind = client.post(
        url, json={"turn": turn, "kind": "accept"}, headers=bearer(tokens["Iran"])
    )
    assert wrong_kind.status_code == 422
    assert "not 'accept'" in wrong_kind.json()["detail"]
    bad_issue = client.post(
        url,
        json={"turn": turn, "kind": "propose", "package": {"Z": "Z1"}},
        headers=bearer(tokens["Iran"]),
    )
    assert bad_issue.status_code == 422
    assert "package.Z" in bad_issue.json()["detail"]
    profile = view_of(client, sid, tokens["Iran"])["profile"]
    worst = {issue: min(table, key=table.get) for issue, table in profile["values"].items()}
    below = client.post(
        url,
        json={"turn": turn, "kind": "propose", "package": worst},
        headers=bearer(tokens["Iran"]),
    )
    assert below.status_code == 422
    assert "red line" in below.json()["detail"] or "reservation" in below.json()["detail"]
    assert view_of(client, sid, tokens["Iran"])["pending"]["turn"] == turn  # nothing recorded


def test_evaluate_values_partial_and_complete_packages(client: TestClient) -> None:
    created = create(client)
    sid, token = created["id"], tokens_of(created)["Iran"]
    scenario = load("muscat-2026")
    prefs = scenario.preferences_of("Iran")
    space = scenario.space
    package = {issue.id: issue.value_of(0) for issue in space.issues}
    url = f"/api/sessions/{sid}/evaluate"
    whole = client.post(url, json={"package": package}, headers=bearer(token)).json()
    assert whole["complete"]
    assert whole["value"] == pytest.approx(prefs.utility((0,) * len(space.issues)))
    first = space.issues[0]
    part = client.post(url, json={"package": {first.id: first.value_of(0)}}, headers=bearer(token))
    assert not part.json()["complete"]
    assert not part.json()["acceptable"]
    # The mediator has no profile: before anyone confided, its evaluation holds no value.
    mediator = tokens_of(created)["Oman"]
    own = client.post(url, json={"package": package}, headers=bearer(mediator)).json()
    assert own["value"] is None
    assert own["confided"] == {}
    assert whole["confided"] == {}
    bad = client.post(url, json={"package": {"Z": "Z1"}}, headers=bearer(mediator))
    assert bad.status_code == 422
    assert "package.Z" in bad.json()["detail"]


def test_evaluate_says_why_a_package_cannot_exist(client: TestClient) -> None:
    """The builder's warning: options chosen so far that break a constraint of the scenario,
    with its reason, before the other issues are chosen; such a package is not acceptable."""
    created = create(client)
    sid, tokens = created["id"], tokens_of(created)
    space = load("muscat-2026").space
    broken = space.constraints[0]
    chosen = {space.issues[j].id: space.issues[j].value_of(min(o)) for j, o in broken.conditions}
    url = f"/api/sessions/{sid}/evaluate"
    for seat in ("Iran", "Oman"):  # a principal, and the mediator (no profile of its own)
        answer = client.post(url, json={"package": chosen}, headers=bearer(tokens[seat])).json()
        assert broken.description in answer["impossible"]
        assert not answer["acceptable"]
    fine = {space.issues[0].id: space.issues[0].value_of(0)}
    assert client.post(url, json={"package": fine}, headers=bearer(tokens["Iran"])).json()[
        "impossible"
    ] == []


def confide_all(client: TestClient, sid: str, tokens: dict[str, str]) -> dict[str, Any]:
    """Start the talks and answer the invitations to confide; returns the mediator's view."""
    ready_all(client, sid, tokens)
    for _ in range(10):
        for token in tokens.values():
            view = view_of(client, sid, token)
            if view["pending"] and "confide" in view["pending"]["allowed"]:
                body = {"turn": view["pending"]["turn"], "kind": "confide"}
                url = f"/api/sessions/{sid}/actions"
                response = client.post(url, json=body, headers=bearer(token))
                assert response.status_code == 200, response.text
    mediator = next(t for t in tokens.values() if view_of(client, sid, t)["role"] == "mediator")
    return view_of(client, sid, mediator)


def brute_force_frontier(scenario: Scenario) -> set[tuple[float, ...]]:
    """The Pareto frontier's utility vectors, by comparing every feasible pair of outcomes."""
    principals = [p.preferences for p in scenario.principals]
    vectors = set()
    for k in range(scenario.space.cardinality):
        outcome = scenario.space.outcome_at(k)
        if not any(prefs.crossed(outcome) for prefs in principals):
            vectors.add(tuple(round(prefs.utility(outcome), 9) for prefs in principals))
    return {
        u
        for u in vectors
        if not any(v != u and all(a >= b for a, b in zip(v, u, strict=True)) for v in vectors)
    }


def test_the_mediator_gets_the_frontier_of_the_confided_profiles(client: TestClient) -> None:
    created = create(client, scenario="nash-1950", protocol="shuttle", confide=True)
    sid, tokens = created["id"], tokens_of(created)
    scenario = load("nash-1950")
    names = [p.name for p in scenario.principals]
    before = view_of(client, sid, tokens[scenario.mediators[0].name])
    assert before["frontier"] == []
    assert before["suggestions"] == []
    mediator = confide_all(client, sid, tokens)
    assert sorted(mediator["confided"]) == sorted(names)
    got = mediator["frontier"]
    vectors = [tuple(round(point["utilities"][p], 9) for p in names) for point in got]
    assert set(vectors) == brute_force_frontier(scenario)
    assert len(vectors) == len(set(vectors))  # one point per utility vector
    assert vectors == sorted(vectors, reverse=True)  # in frontier order
    for point, vector in zip(got, vectors, strict=True):
        outcome = scenario.space.from_values(point["package"])
        values = (p.preferences.utility(outcome) for p in scenario.principals)
        assert vector == tuple(round(u, 9) for u in values)
    # Each principal's value of a package, as the mediator's builder shows it.
    package = got[len(got) // 2]["package"]
    answer = client.post(
        f"/api/sessions/{sid}/evaluate",
        json={"package": package},
        headers=bearer(tokens[scenario.mediators[0].name]),
    ).json()
    outcome = scenario.space.from_values(package)
    assert {p: e["value"] for p, e in answer["confided"].items()} == {
        p.name: pytest.approx(p.preferences.utility(outcome)) for p in scenario.principals
    }


def test_every_seat_knows_who_sits_at_the_table_before_a_word(client: TestClient) -> None:
    created = create(client)
    sid, tokens = created["id"], tokens_of(created)
    table = [  # with each name in the scenario's other languages
        {"name": "Iran", "role": "principal", "labels": {"zh": "伊朗"}},
        {"name": "United States", "role": "principal", "labels": {"zh": "美国"}},
        {"name": "Oman", "role": "mediator", "labels": {"zh": "阿曼"}},
    ]
    for token in tokens.values():
        view = view_of(client, sid, token)
        assert {m["sender"] for m in view["messages"]} <= {"engine", "world"}  # no word yet
        assert view["parties"] == table
        assert view["mediator"] == "Oman"
    direct = create(client, scenario="job-offer", protocol="direct")
    for token in tokens_of(direct).values():
        view = view_of(client, direct["id"], token)
        assert view["mediator"] is None
        assert {p["role"] for p in view["parties"]} == {"principal"}


def test_the_facilitator_status_carries_the_agenda(client: TestClient) -> None:
    created = create(client)
    status = client.get(
        f"/api/sessions/{created['id']}", headers=bearer(created["facilitator"]["token"])
    ).json()
    scenario = load("muscat-2026")
    assert [issue["label"] for issue in status["agenda"]] == [i.name for i in scenario.space.issues]
    first = scenario.space.issues[0]
    assert [o["label"] for o in status["agenda"][0]["options"]] == [
        first.describe(k) for k in range(first.size)
    ]


def test_a_principal_edits_its_profile_before_the_start_only(client: TestClient) -> None:
    created = create(client, scenario="nash-1950", protocol="shuttle")
    sid, tokens = created["id"], tokens_of(created)
    url = f"/api/sessions/{sid}/profile"
    profile = view_of(client, sid, tokens["Bill"])["profile"]
    profile["weights"]["book"] = 0.5
    profile["reservation"] = 0.1
    edited = client.put(url, json=profile, headers=bearer(tokens["Bill"]))
    assert edited.status_code == 200, edited.text
    assert edited.json()["weights"]["book"] == 0.5
    view = view_of(client, sid, tokens["Bill"])
    assert view["profile"] == edited.json()
    assert view["reservation"] == pytest.approx(0.1)
    del profile["values"]["book"]["Jack"]
    bad = client.put(url, json=profile, headers=bearer(tokens["Bill"]))
    assert bad.status_code == 422
    assert "issues.book.values" in bad.json()["detail"]
    assert client.put(url, json=profile, headers=bearer(tokens["Facilitator"])).status_code == 403
    ready_all(client, sid, tokens)
    late = client.put(url, json=edited.json(), headers=bearer(tokens["Bill"]))
    assert late.status_code == 409


def test_the_edited_profile_is_what_the_engine_plays(client: TestClient) -> None:
    created = create(client, scenario="nash-1950", protocol="shuttle", rounds=3)
    sid, tokens = created["id"], tokens_of(created)
    profile = view_of(client, sid, tokens["Jack"])["profile"]
    profile["reservation"] = 0.9
    client.put(f"/api/sessions/{sid}/profile", json=profile, headers=bearer(tokens["Jack"]))
    ready_all(client, sid, tokens)
    edited = load("nash-1950").doc.model_dump(mode="json", exclude_none=True)
    edited["parties"][1]["preferences"]["reservation"] = 0.9
    room = client.app.state.hub.room(sid)  # type: ignore[attr-defined]
    assert room.session.reservation("Jack") == pytest.approx(0.9)
    assert "reservation = 0.9" in dumps(room.scenario.doc)


def test_scenario_import_takes_toml_and_genius_folders(client: TestClient) -> None:
    text = dumps(load("job-offer").doc)
    one = client.post(
        "/api/scenarios/import", files=[("files", ("job.toml", text.encode(), "application/toml"))]
    )
    assert one.status_code == 200, one.text
    assert one.json()["title"] == load("job-offer").title
    folder = DATA / "genius_numeric"
    files = [("files", (p.name, p.read_bytes(), "text/xml")) for p in sorted(folder.iterdir())]
    genius = client.post("/api/scenarios/import", files=files)
    assert genius.status_code == 200, genius.text
    # Titled after the files (the domain), never after the server's temporary folder.
    assert "parley-import" not in genius.text
    assert genius.json()["title"] == "Numeric (GENIUS scenario numeric)"
    session = client.post("/api/sessions", json={"scenario_toml": genius.json()["scenario_toml"]})
    assert session.status_code == 201, session.text
    broken = client.post(
        "/api/scenarios/import", files=[("files", ("bad.toml", b"name = 3", "application/toml"))]
    )
    assert broken.status_code == 422
    assert broken.json()["detail"].startswith("bad.toml:")


def test_creation_refuses_what_cannot_run(client: TestClient) -> None:
    def refused(**body: Any) -> str:
        response = client.post("/api/sessions", json=body)
        assert response.status_code == 422, response.text
        detail: str = response.json()["detail"]
        return detail

    assert "built-in" in refused(scenario="/etc/passwd")
    assert "exactly one" in refused()
    assert "boulwar" in refused(
        scenario="muscat-2026", seats={"Iran": {"kind": "strategy", "strategy": "boulwar"}}
    )
    assert "seats.Nobody" in refused(scenario="muscat-2026", seats={"Nobody": {"kind": "person"}})
    assert "hill-climb" in refused(scenario="muscat-2026", mediator="hill-climb")
    assert "scenario_toml" in refused(scenario_toml="this is not toml")
    # Parameters a strategy cannot run with are refused when the session is created, not
    # when the talks start (where they once answered 500 and wedged the session).
    for params, why in (({"exponent": 0}, "must be above 0"), ({"exponent": -1}, "above 0"),
                        ({"speed": 2}, "unknown parameter 'speed'")):  # fmt: skip
        seat = {"kind": "strategy", "strategy": "conceder", "params": params}
        assert why in refused(scenario="muscat-2026", seats={"Iran": seat})


def test_the_websocket_pushes_views_and_acknowledges_actions(client: TestClient) -> None:
    created = create(client, mediator="relay")
    sid, tokens = created["id"], tokens_of(created)
    facilitator = created["facilitator"]["token"]
    with (
        socket_of(client, sid, facilitator) as desk,
        socket_of(client, sid, tokens["Iran"]) as iran,
    ):
        status = desk.receive_json()
        assert status["type"] == "status"
        first = iran.receive_json()
        assert first["type"] == "view"
        assert first["view"]["party"] == "Iran"
        assert first["view"] == view_of(client, sid, tokens["Iran"])
        # The desk hears that Iran connected: in its first status if Iran's socket subscribed
        # first (the two connect concurrently), else in the next one.
        seen = status["status"]
        while not next(s for s in seen["seats"] if s["party"] == "Iran")["connected"]:
            seen = desk.receive_json()["status"]
        ready_all(client, sid, tokens)
        running = iran.receive_json()["view"]
        while running["pending"] is None:
            running = iran.receive_json()["view"]
        body = answer(running)
        assert body is not None
        iran.send_json({"type": "action", **body})
        replies = [iran.receive_json()]
        while replies[-1]["type"] != "ack":
            replies.append(iran.receive_json())
        assert replies[-1]["turn"] == body["turn"]
        assert replies[0]["type"] == "view"
        assert replies[-2]["view"] == view_of(client, sid, tokens["Iran"])
        iran.send_json({"type": "action", **body})  # the same turn again
        assert iran.receive_json() == {
            "type": "error",
            "status": 409,
            "detail": "it is not Iran's turn",
        }
        iran.send_text("not json")  # malformed: an error, then the socket closes saying why
        assert iran.receive_json()["status"] == 422
        with pytest.raises(WebSocketDisconnect) as closed:
            iran.receive_json()
        assert (closed.value.code, closed.value.reason) == (1007, NOT_JSON)


NOT_JSON = 'not JSON: send {"type": "action", ...}'


def test_the_websocket_refuses_bad_tokens(client: TestClient) -> None:
    created = create(client)
    sid = created["id"]
    for url, first, status in [
        (f"/api/sessions/{sid}/ws", {"type": "auth", "token": "nope"}, 403),
        (f"/api/sessions/{sid}/ws", {"type": "auth"}, 401),
        (f"/api/sessions/{sid}/ws", {"type": "action", "turn": 1}, 401),
        ("/api/sessions/0123456789abcdef/ws", {"type": "auth", "token": "nope"}, 404),
    ]:
        with client.websocket_connect(url) as socket:
            socket.send_json(first)
            assert socket.receive_json()["status"] == status
            with pytest.raises(WebSocketDisconnect) as closed:
                socket.receive_json()
            assert closed.value.code == 4000 + status


def test_the_websocket_takes_the_token_in_a_header_but_never_in_the_url(client: TestClient) -> None:
    created = create(client)
    sid, facilitator = created["id"], created["facilitator"]["token"]
    url = f"/api/sessions/{sid}/ws"
    with client.websocket_connect(url, headers=bearer(facilitator)) as desk:
        assert desk.receive_json()["type"] == "status"
    with client.websocket_connect(f"{url}?token={facilitator}") as socket:
        refused = socket.receive_json()
        assert refused["status"] == 400
        assert "never in the URL" in refused["detail"]
        with pytest.raises(WebSocketDisconnect) as closed:
            socket.receive_json()
        assert closed.value.code == 4400


def test_engine_view_is_unchanged_by_an_invalid_action(client: TestClient) -> None:
    created = create(client, scenario="job-offer")
    sid, tokens = created["id"], tokens_of(created)
    ready_all(client, sid, tokens)
    room = client.app.state.hub.room(sid)  # type: ignore[attr-defined]
    session: Session = room.session
    before = list(session.transcript)
    party = session.pending.party if session.pending else ""
    client.post(
        f"/api/sessions/{sid}/actions",
        json={"turn": session.pending.turn if session.pending else 0, "kind": "draft"},
        headers=bearer(tokens[party]),
    )
    assert list(session.transcript) == before


@settings(max_examples=40, deadline=None)
@given(lengths=st.lists(st.integers(1, 3), min_size=1, max_size=700))
def test_a_long_frontier_is_thinned_evenly_keeping_both_ends(lengths: list[int]) -> None:
    """``lengths[i]`` outcomes share the i-th utility vector (as identical packages do)."""
    space = load("nash-1950").space
    vectors = [(1 - i / len(lengths), i / len(lengths)) for i in range(len(lengths))]
    pareto = tuple(
        Point(space.outcome_at((i + copy) % space.cardinality), vector)
        for i, (vector, repeat) in enumerate(zip(vectors, lengths, strict=True))
        for copy in range(repeat)
    )
    analysis = Analysis(("A", "B"), 0, 0, 0, (0.0, 0.0), None, pareto, None, None, None, None)
    got = [(p["utilities"]["A"], p["utilities"]["B"]) for p in views.frontier(space, analysis)]
    assert len(got) == min(len(vectors), views.FRONTIER_POINTS)
    assert got[0] == vectors[0]
    assert got[-1] == vectors[-1]
    positions = [vectors.index(v) for v in got]
    assert positions == sorted(set(positions))  # distinct, in frontier order
    step = (len(vectors) - 1) / (views.FRONTIER_POINTS - 1)
    assert all(b - a <= max(1, math.ceil(step)) for a, b in itertools.pairwise(positions))
