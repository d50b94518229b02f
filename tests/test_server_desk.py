"""The facilitator's desk through the API: whose turn it is and the talks so far, live."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from parley.server.rooms import Room
from tests.server_helpers import (
    TestClient,
    answer,
    bearer,
    create,
    new_app,
    socket_of,
    started,
    status_of,
    tokens_of,
)


@pytest.fixture
def client(tmp_path: Path) -> Any:
    with TestClient(new_app(tmp_path)) as test_client:
        yield test_client



def act(client: TestClient, sid: str, token: str) -> None:
    view = client.get(f"/api/sessions/{sid}/view", headers=bearer(token)).json()
    body = answer(view)
    assert body is not None
    response = client.post(f"/api/sessions/{sid}/actions", json=body, headers=bearer(token))
    assert response.status_code == 200, response.text


def test_the_desk_says_whose_turn_it_is_and_nothing_before_the_start(client: TestClient) -> None:
    created = create(client, mediator="relay")
    sid, tokens = created["id"], tokens_of(created)
    desk = created["facilitator"]["token"]
    before = status_of(client, sid, desk)
    assert before["turn"] is None
    assert all(m["kind"] in {"event", "phase"} for m in before["record"])
    client.post(f"/api/sessions/{sid}/start", headers=bearer(desk))
    room: Room = client.app.state.hub.room(sid)  # type: ignore[attr-defined]
    for _ in range(6):
        ask = room.session.pending
        assert ask is not None
        turn = status_of(client, sid, desk)["turn"]
        assert turn.pop("waited") >= 0
        assert turn.pop("overdue") is False  # no turn timer here
        assert turn == {
            "turn": ask.turn,
            "party": ask.party,
            "role": room.scenario.party(ask.party).role,
            "held_by": "person",
            "question": str(ask.question),
            "prompt": ask.prompt,
            "to": list(ask.to),
        }
        # The engine narrows the legal answers by the seat's profile: the desk never gets them.
        assert "allowed" not in turn
        act(client, sid, tokens[ask.party])


def test_the_talks_so_far_are_the_whole_record_without_anyone_s_values(
    client: TestClient,
) -> None:
    created = create(client, mediator="relay")
    sid, tokens = created["id"], tokens_of(created)
    desk = created["facilitator"]["token"]
    client.post(f"/api/sessions/{sid}/start", headers=bearer(desk))
    room: Room = client.app.state.hub.room(sid)  # type: ignore[attr-defined]
    for _ in range(5):
        ask = room.session.pending
        assert ask is not None
        act(client, sid, tokens[ask.party])
    status = status_of(client, sid, desk)
    record = status["record"]
    # The whole record but the messages that carry a withheld profile (a reservation moved).
    assert [m["seq"] for m in record] == [m.seq for m in room.facilitator_messages()]
    assert any(m["package"] for m in record)  # proposals are in it, in the agenda's terms
    assert all(m["value"] is None for m in record)  # no party's utility of any package
    text = client.get(f"/api/sessions/{sid}/transcript?format=text", headers=bearer(desk)).text
    assert len(text.splitlines()) == len(record)  # the same messages as the readable download
    assert '"weights"' not in json.dumps(status)  # and no profile


def test_the_desk_hears_each_new_turn_over_the_websocket(client: TestClient) -> None:
    created = create(client, mediator="relay")
    sid, tokens = created["id"], tokens_of(created)
    desk_token = created["facilitator"]["token"]
    with socket_of(client, sid, desk_token) as desk:
        assert desk.receive_json()["status"]["turn"] is None
        client.post(f"/api/sessions/{sid}/start", headers=bearer(desk_token))
        first = desk.receive_json()["status"]
        assert first["turn"] is not None
        act(client, sid, tokens[first["turn"]["party"]])
        second = desk.receive_json()["status"]
        assert second["turn"]["turn"] > first["turn"]["turn"]
        assert len(second["record"]) > len(first["record"])
        assert second == status_of(client, sid, desk_token)


def test_the_desk_learns_no_reservation_value_while_profiles_are_withheld(
    client: TestClient,
) -> None:
    """Muscat's standing conditions move each principal's reservation and tell that party
    alone the values; the facilitator, who by default sees no profile until the end, gets
    neither those messages on the desk nor in its downloads, and gets them once it ends."""
    sid, desk, _tokens = started(client, mediator="relay")

    def told(what: str) -> list[str]:
        if what == "record":
            status = client.get(f"/api/sessions/{sid}", headers=bearer(desk)).json()
            return [m["text"] for m in status["record"]]
        fmt = {"text": "text", "jsonl": "jsonl"}[what]
        body = client.get(
            f"/api/sessions/{sid}/transcript", params={"format": fmt}, headers=bearer(desk)
        ).text
        return body.splitlines()

    for what in ("record", "text", "jsonl"):
        assert not [t for t in told(what) if "reservation value moves" in t], what
    ended = client.post(f"/api/sessions/{sid}/end", json={"reason": "done"}, headers=bearer(desk))
    assert ended.status_code == 200, ended.text
    assert [t for t in told("record") if "reservation value moves" in t]
