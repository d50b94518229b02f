"""A delegation writes to the mediator at any time, not only with its turn (issue 17, item 3):
``POST /api/sessions/{id}/notes``. The note reaches the mediator (and the writer) alone, takes no
turn, is refused while the talks do not run, and is replayed in its place after a restart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.server_helpers import TestClient, answer, bearer, create, new_app, socket_of, tokens_of
from tests.server_helpers import started as start_session

MEDIATOR = "Oman"
PRINCIPALS = ("Iran", "United States")


@pytest.fixture
def client(tmp_path: Path) -> Any:
    with TestClient(new_app(tmp_path)) as test_client:
        yield test_client


def started(client: TestClient) -> tuple[str, str, dict[str, str]]:
    """A Muscat session, every seat a person, started: (id, desk token, seat tokens)."""
    return start_session(client)


def view_of(client: TestClient, sid: str, token: str) -> dict[str, Any]:
    response = client.get(f"/api/sessions/{sid}/view", headers=bearer(token))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def write(client: TestClient, sid: str, token: str | None, body: Any) -> Any:
    return client.post(f"/api/sessions/{sid}/notes", json=body, headers=bearer(token))


def notes_in(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for m in view["messages"] if m["kind"] == "note"]


def waiting_principal(client: TestClient, sid: str, tokens: dict[str, str]) -> str:
    """A principal whose turn it is not."""
    for party in PRINCIPALS:
        if view_of(client, sid, tokens[party])["pending"] is None:
            return party
    raise AssertionError("both principals are asked at once")


def turn_now(client: TestClient, sid: str, desk: str) -> dict[str, Any]:
    """The desk's turn without the time it has waited (which grows)."""
    turn: dict[str, Any] = client.get(f"/api/sessions/{sid}", headers=bearer(desk)).json()["turn"]
    turn.pop("waited")
    return turn


def desk_record(client: TestClient, sid: str, desk: str) -> list[dict[str, Any]]:
    record: list[dict[str, Any]] = client.get(
        f"/api/sessions/{sid}", headers=bearer(desk)
    ).json()["record"]
    return record


def test_a_note_out_of_turn_reaches_the_mediator_alone_and_takes_no_turn(
    client: TestClient,
) -> None:
    sid, desk, tokens = started(client)
    writer = waiting_principal(client, sid, tokens)
    other = next(p for p in PRINCIPALS if p != writer)
    before = {p: view_of(client, sid, t)["pending"] for p, t in tokens.items()}
    turn_before = turn_now(client, sid, desk)
    text = "We could accept a longer timetable if sanctions relief comes first."
    with socket_of(client, sid, tokens[MEDIATOR]) as socket:
        assert notes_in(socket.receive_json()["view"]) == []
        response = write(client, sid, tokens[writer], {"text": text})
        assert response.status_code == 200, response.text
        seq = response.json()["seq"]
        pushed = socket.receive_json()["view"]  # live to the mediator's page
        assert [(n["sender"], n["text"]) for n in notes_in(pushed)] == [(writer, text)]
    mediator_notes = notes_in(view_of(client, sid, tokens[MEDIATOR]))
    assert [(n["seq"], n["sender"], n["to"], n["text"]) for n in mediator_notes] == [
        (seq, writer, [MEDIATOR], text)
    ]
    assert [n["text"] for n in notes_in(view_of(client, sid, tokens[writer]))] == [text]
    other_view = view_of(client, sid, tokens[other])
    assert notes_in(other_view) == []
    assert text not in str(other_view)
    other_text = client.get(
        f"/api/sessions/{sid}/transcript", params={"format": "text"}, headers=bearer(tokens[other])
    ).text
    assert text not in other_text
    # No turn taken: every seat is asked exactly what it was asked before.
    assert {p: view_of(client, sid, t)["pending"] for p, t in tokens.items()} == before
    assert turn_now(client, sid, desk) == turn_before


def test_notes_are_refused_when_the_talks_do_not_run(client: TestClient) -> None:
    created = create(client)
    sid, desk, tokens = created["id"], created["facilitator"]["token"], tokens_of(created)
    assert write(client, sid, tokens["Iran"], {"text": "Before the start"}).status_code == 409
    client.post(f"/api/sessions/{sid}/start", headers=bearer(desk))
    client.post(f"/api/sessions/{sid}/pause", headers=bearer(desk))
    paused = write(client, sid, tokens["Iran"], {"text": "While paused"})
    assert paused.status_code == 409
    assert "paused" in paused.json()["detail"]
    client.post(f"/api/sessions/{sid}/resume", headers=bearer(desk))
    assert write(client, sid, tokens["Iran"], {"text": "Now"}).status_code == 200
    client.post(f"/api/sessions/{sid}/end", json={"reason": "Time is up"}, headers=bearer(desk))
    assert write(client, sid, tokens["Iran"], {"text": "After the end"}).status_code == 409
    texts = [n["text"] for n in notes_in(view_of(client, sid, tokens[MEDIATOR]))]
    assert texts == ["Now"]


def test_only_a_principals_seat_writes_and_bad_notes_are_422(client: TestClient) -> None:
    sid, desk, tokens = started(client)
    others = [p for p in tokens if p not in PRINCIPALS]
    assert MEDIATOR in others  # the mediator (the other seats are built-in strategies here)
    for party in others:
        assert write(client, sid, tokens[party], {"text": "hello"}).status_code == 403, party
    assert write(client, sid, desk, {"text": "hello"}).status_code == 403
    assert write(client, sid, "not-a-token", {"text": "hello"}).status_code == 403
    assert write(client, sid, None, {"text": "hello"}).status_code == 401
    assert write(client, "0" * 16, tokens["Iran"], {"text": "hello"}).status_code == 404
    for bad in (None, {}, {"text": ""}, {"text": "  \n "}, {"text": "x" * 2001}, {"text": 3},
                {"text": "ok", "extra": 1}):
        response = write(client, sid, tokens["Iran"], bad)
        assert response.status_code == 422, (bad, response.text)
    assert write(client, sid, tokens["Iran"], {"text": "x" * 2000}).status_code == 200
    assert len(notes_in(view_of(client, sid, tokens[MEDIATOR]))) == 1


def test_a_direct_session_has_no_mediator_to_write_to(client: TestClient) -> None:
    created = create(client, protocol="direct")
    sid, desk = created["id"], created["facilitator"]["token"]
    client.post(f"/api/sessions/{sid}/start", headers=bearer(desk))
    token = tokens_of(created)["Iran"]
    assert write(client, sid, token, {"text": "anyone?"}).status_code == 403


def test_notes_survive_a_restart_in_their_place_among_the_answers(tmp_path: Path) -> None:
    with TestClient(new_app(tmp_path)) as first:
        sid, desk, tokens = started(first)
        assert write(first, sid, tokens["Iran"], {"text": "first note"}).status_code == 200
        moved = 0
        while moved < 3:  # a few answers, a note between them
            for token in tokens.values():
                body = answer(view_of(first, sid, token))
                if body is not None:
                    taken = first.post(
                        f"/api/sessions/{sid}/actions", json=body, headers=bearer(token)
                    )
                    assert taken.status_code == 200, taken.text
                    moved += 1
                    break
            else:
                raise AssertionError("nobody is asked anything")
            if moved == 1:
                note = write(first, sid, tokens["United States"], {"text": "second note"})
                assert note.status_code == 200
        assert write(first, sid, tokens["Iran"], {"text": "last note"}).status_code == 200
        record = desk_record(first, sid, desk)
        mediator_view = view_of(first, sid, tokens[MEDIATOR])
        kinds = [m["kind"] for m in record]
        assert kinds.count("note") == 3
        assert kinds[-1] == "note"  # the last note after the last answer
    with TestClient(new_app(tmp_path)) as second:
        assert desk_record(second, sid, desk) == record
        assert view_of(second, sid, tokens[MEDIATOR]) == mediator_view
        assert notes_in(view_of(second, sid, tokens["Iran"])) == [
            n for n in notes_in(mediator_view) if n["sender"] == "Iran"
        ]
