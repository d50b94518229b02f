"""The facilitator pauses, resumes and ends the talks (issue 17, item 1): only with the
facilitator's token, refused politely when it makes no sense, and kept across a restart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from parley.engine.transcript import read
from parley.play import resume
from parley.server.rooms import ENDED_BY_FACILITATOR
from tests.server_helpers import (
    TestClient,
    answer,
    bearer,
    create,
    new_app,
    socket_of,
    tokens_of,
)
from tests.server_helpers import started as start_session


@pytest.fixture
def client(tmp_path: Path) -> Any:
    with TestClient(new_app(tmp_path)) as test_client:
        yield test_client


def started(client: TestClient) -> tuple[str, str, dict[str, str]]:
    """A Muscat session with a built-in relay mediator, started: (id, desk token, seat tokens)."""
    return start_session(client, mediator="relay")


def status_of(client: TestClient, sid: str, desk: str) -> dict[str, Any]:
    response = client.get(f"/api/sessions/{sid}", headers=bearer(desk))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def mover(client: TestClient, sid: str, tokens: dict[str, str]) -> tuple[str, dict[str, Any]]:
    """The seat whose turn it is, and its answer."""
    for party, token in tokens.items():
        view = client.get(f"/api/sessions/{sid}/view", headers=bearer(token)).json()
        body = answer(view)
        if body is not None:
            return party, body
    raise AssertionError("no seat is asked anything")


def control(client: TestClient, sid: str, what: str, token: str | None, **body: Any) -> Any:
    return client.post(f"/api/sessions/{sid}/{what}", json=body or None, headers=bearer(token))


def test_paused_talks_refuse_every_action_until_resumed(client: TestClient) -> None:
    sid, desk, tokens = started(client)
    party, body = mover(client, sid, tokens)
    before = status_of(client, sid, desk)
    paused = control(client, sid, "pause", desk)
    assert paused.status_code == 200, paused.text
    assert paused.json()["status"] == "paused"
    assert paused.json()["turn"]["party"] == party  # the desk still sees whose turn it is
    url = f"/api/sessions/{sid}/actions"
    refused = client.post(url, json=body, headers=bearer(tokens[party]))
    assert refused.status_code == 409
    assert "the facilitator has paused the talks" in refused.json()["detail"]
    view = client.get(f"/api/sessions/{sid}/view", headers=bearer(tokens[party])).json()
    assert view["session"]["status"] == "paused"
    assert view["pending"] is None  # nothing to answer while paused
    record = status_of(client, sid, desk)["record"]
    assert record[:-1] == before["record"]  # nobody moved: only the pause is recorded
    assert record[-1]["text"] == "The facilitator paused the talks."
    resumed = control(client, sid, "resume", desk)
    assert resumed.status_code == 200, resumed.text
    assert resumed.json()["status"] == "running"
    taken = client.post(url, json=body, headers=bearer(tokens[party]))
    assert taken.status_code == 200, taken.text
    after = status_of(client, sid, desk)
    assert len(after["record"]) > len(before["record"])
    assert after["turn"]["party"] != party


def test_a_live_seat_hears_the_pause_and_its_action_is_refused(client: TestClient) -> None:
    sid, desk, tokens = started(client)
    party, body = mover(client, sid, tokens)
    with socket_of(client, sid, tokens[party]) as socket:
        assert socket.receive_json()["view"]["pending"] is not None
        control(client, sid, "pause", desk)
        pushed = socket.receive_json()["view"]
        assert pushed["session"]["status"] == "paused"
        assert pushed["pending"] is None
        socket.send_json({"type": "action", **body})
        refused = socket.receive_json()
        assert refused["type"] == "error"
        assert refused["status"] == 409
        assert "paused" in refused["detail"]


def test_ending_puts_the_reason_in_the_transcript_and_on_the_desk(client: TestClient) -> None:
    sid, desk, tokens = started(client)
    party, body = mover(client, sid, tokens)
    control(client, sid, "pause", desk)  # ending paused talks is allowed too
    ended = control(client, sid, "end", desk, reason="  The delegations asked to stop.  ")
    assert ended.status_code == 200, ended.text
    status = ended.json()
    assert status["status"] == "ended"
    assert status["turn"] is None
    assert status["result"]["ended"] == ENDED_BY_FACILITATOR
    assert status["result"]["reason"] == "The delegations asked to stop"
    last = status["record"][-1]
    assert last["kind"] == "end"
    assert last["text"] == "The talks ended: The delegations asked to stop."
    text = client.get(
        f"/api/sessions/{sid}/transcript", params={"format": "text"}, headers=bearer(desk)
    ).text
    assert "The delegations asked to stop" in text
    seat_view = client.get(f"/api/sessions/{sid}/view", headers=bearer(tokens[party])).json()
    assert seat_view["result"]["reason"] == "The delegations asked to stop"
    assert seat_view["messages"][-1]["kind"] == "end"  # every seat sees the END message
    refused = client.post(f"/api/sessions/{sid}/actions", json=body, headers=bearer(tokens[party]))
    assert refused.status_code == 409
    for what in ("pause", "resume"):
        assert control(client, sid, what, desk).status_code == 409
    assert control(client, sid, "end", desk, reason="again").status_code == 409


def test_only_the_facilitator_controls_the_talks_and_bad_requests_are_4xx(
    client: TestClient,
) -> None:
    created = create(client, mediator="relay")
    sid, desk, tokens = created["id"], created["facilitator"]["token"], tokens_of(created)
    seat = next(iter(tokens.values()))
    assert control(client, sid, "pause", desk).status_code == 409  # not started yet
    assert control(client, sid, "resume", desk).status_code == 409
    client.post(f"/api/sessions/{sid}/start", headers=bearer(desk))
    for what, body in (("pause", {}), ("resume", {}), ("end", {"reason": "mine"})):
        assert control(client, sid, what, seat, **body).status_code == 403
        assert control(client, sid, what, None, **body).status_code == 401
        assert control(client, sid, what, "not-a-token", **body).status_code == 403
        assert control(client, "0" * 16, what, desk, **body).status_code == 404
    assert control(client, sid, "resume", desk).status_code == 409  # running, not paused
    url = f"/api/sessions/{sid}/end"
    for bad in (
        None,
        {},
        {"reason": ""},
        {"reason": "   "},
        {"reason": "x" * 501},
        {"reason": 3},
        {"reason": "ok", "extra": 1},
    ):
        response = client.post(url, json=bad, headers=bearer(desk))
        assert response.status_code == 422, (bad, response.text)
    malformed = client.post(
        url, content=b"{", headers={**bearer(desk), "Content-Type": "application/json"}
    )
    assert 400 <= malformed.status_code < 500
    assert status_of(client, sid, desk)["status"] == "running"  # none of that changed anything


def test_a_pause_and_an_end_survive_a_new_server_on_the_same_database(tmp_path: Path) -> None:
    with TestClient(new_app(tmp_path)) as first:
        sid, desk, tokens = started(first)
        party, body = mover(first, sid, tokens)
        control(first, sid, "pause", desk)
        record = status_of(first, sid, desk)["record"]
    with TestClient(new_app(tmp_path)) as second:
        status = status_of(second, sid, desk)
        assert status["status"] == "paused"
        assert status["record"] == record  # the built-in seats did not move on the reload
        url = f"/api/sessions/{sid}/actions"
        assert second.post(url, json=body, headers=bearer(tokens[party])).status_code == 409
        assert control(second, sid, "resume", desk).status_code == 200
        assert second.post(url, json=body, headers=bearer(tokens[party])).status_code == 200
        control(second, sid, "end", desk, reason="Time is up")
        ended = status_of(second, sid, desk)
    with TestClient(new_app(tmp_path)) as third:
        again = status_of(third, sid, desk)
        assert again["status"] == "ended"
        assert again["result"] == ended["result"]
        assert again["result"]["ended"] == ENDED_BY_FACILITATOR
        assert again["record"] == ended["record"]
        assert again["record"][-1]["text"] == "The talks ended: Time is up."


def test_the_jsonl_of_talks_the_facilitator_ended_replays_to_the_same_end(
    client: TestClient, tmp_path: Path
) -> None:
    """`parley replay` on the facilitator's download: the END the protocol did not reach is
    taken as recorded, and the rebuilt talks end with the same reason."""
    sid, desk, tokens = started(client)
    party, body = mover(client, sid, tokens)
    taken = client.post(f"/api/sessions/{sid}/actions", json=body, headers=bearer(tokens[party]))
    assert taken.status_code == 200, taken.text
    assert control(client, sid, "end", desk, reason="Time is up").status_code == 200
    jsonl = client.get(
        f"/api/sessions/{sid}/transcript", params={"format": "jsonl"}, headers=bearer(desk)
    )
    assert jsonl.status_code == 200, jsonl.text
    path = tmp_path / "ended.jsonl"
    path.write_text(jsonl.text, encoding="utf-8")
    recording = read(path)
    session, _ = resume(recording.scenario, recording.settings, recording.seed, recording.messages)
    result = session.result()
    assert (result.ended, result.reason) == (ENDED_BY_FACILITATOR, "Time is up")
    assert session.done
    assert session.transcript == list(recording.messages)
