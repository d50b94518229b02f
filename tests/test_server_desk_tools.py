"""The facilitator's desk tools and the mediator's words out of turn (issue 17, items 1, 3, 5):
outside events injected live, turn timers, links re-issued and revoked, the mediator's private
replies, and the agreement document. Each is checked through the API a person's page uses, for
the hostile inputs it must refuse, for privacy (through the views, the WebSocket and the
transcripts) and across a restart."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from starlette.websockets import WebSocketDisconnect

from parley.engine import Settings
from parley.engine.transcript import read
from parley.errors import ForbiddenError
from parley.play import resume
from parley.scenario import load
from parley.server.rooms import REVOKED, Room, Subscriber, TurnClock
from parley.server.schemas import ActionIn
from tests.server_helpers import (
    TestClient,
    answer,
    bearer,
    create,
    new_app,
    play_out,
    socket_of,
    started,
    status_of,
)

MEDIATOR = "Oman"
PRINCIPALS = ("Iran", "United States")


@pytest.fixture
def client(tmp_path: Path) -> Any:
    with TestClient(new_app(tmp_path)) as test_client:
        yield test_client


def view_of(client: TestClient, sid: str, token: str) -> dict[str, Any]:
    response = client.get(f"/api/sessions/{sid}/view", headers=bearer(token))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body



def inject(client: TestClient, sid: str, token: str | None, body: Any) -> Any:
    return client.post(f"/api/sessions/{sid}/events", json=body, headers=bearer(token))


def reply(client: TestClient, sid: str, token: str | None, body: Any) -> Any:
    return client.post(f"/api/sessions/{sid}/replies", json=body, headers=bearer(token))


def texts(view: dict[str, Any]) -> list[str]:
    return [m["text"] for m in view["messages"]]


def until(socket: Any, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """The first view pushed to ``socket`` that is ``wanted`` (connects push views too)."""
    for _ in range(10):
        view: dict[str, Any] = socket.receive_json()["view"]
        if wanted(view):
            return view
    raise AssertionError("no such view was pushed")


def room_of(client: TestClient, sid: str) -> Room:
    room: Room = client.app.state.hub.room(sid)  # type: ignore[attr-defined]
    return room


# -- outside events ----------------------------------------------------------------------------


def test_injected_events_act_as_scheduled_ones_and_tell_a_shift_to_its_party_alone(
    client: TestClient,
) -> None:
    sid, desk, tokens = started(client)
    before = {p: view_of(client, sid, tokens[p]) for p in PRINCIPALS}
    pending = {p: before[p]["pending"] for p in PRINCIPALS}
    news = {"kind": "note", "title": "Wire: the delegations arrive in Muscat"}
    shift = {"kind": "shift-reservation", "title": "Oil falls", "party": "Iran", "delta": -0.05}
    more = {"kind": "move-deadline", "title": "Oman offers another day", "rounds": 2}
    for body in (news, shift, more):
        response = inject(client, sid, desk, body)
        assert response.status_code == 200, response.text
    after = {p: view_of(client, sid, tokens[p]) for p in PRINCIPALS}
    for party in PRINCIPALS:  # public: everyone reads the three titles, marked injected
        injected = [m for m in after[party]["messages"] if m["data"].get("injected")]
        assert [m["text"] for m in injected] == [news["title"], shift["title"], more["title"]]
        assert after[party]["session"]["deadline"] == before[party]["session"]["deadline"] + 2
        assert after[party]["pending"] == pending[party]  # no turn taken
    assert after["Iran"]["reservation"] == pytest.approx(before["Iran"]["reservation"] - 0.05)
    assert after["United States"]["reservation"] == before["United States"]["reservation"]
    # What moved Iran's reservation, and by how much, is Iran's alone.
    moved = [m for m in after["Iran"]["messages"] if m["data"].get("effect") == "reservation"]
    assert moved[-1]["data"]["delta"] == -0.05
    us = after["United States"]
    assert not [m for m in us["messages"] if m["data"].get("effect") == "reservation"
                and m["data"].get("party") == "Iran" and "delta" in m["data"]]
    assert "delta" not in str([m["data"] for m in us["messages"] if m["data"].get("injected")])


def test_injected_events_are_replayed_after_a_restart_and_by_parley_replay(
    tmp_path: Path,
) -> None:
    with TestClient(new_app(tmp_path)) as first:
        sid, desk, tokens = started(first, scenario="job-offer", protocol="shuttle",
                                    mediator="relay")
        for body in (
            {"kind": "shift-reservation", "title": "Sanctions eased", "party": "Candidate",
             "delta": 0.03},
            {"kind": "move-deadline", "title": "One more round", "rounds": 1},
            {"kind": "phase", "title": "The afternoon session"},
        ):
            assert inject(first, sid, desk, body).status_code == 200
        play_out(first, sid, tokens)
        record = status_of(first, sid, desk)["record"]
        views = {p: view_of(first, sid, t) for p, t in tokens.items()}
    with TestClient(new_app(tmp_path)) as second:
        assert status_of(second, sid, desk)["record"] == record
        assert {p: view_of(second, sid, t) for p, t in tokens.items()} == views
        jsonl = second.get(f"/api/sessions/{sid}/transcript", headers=bearer(desk)).text
    path = tmp_path / "talks.jsonl"
    path.write_text(jsonl, encoding="utf-8")
    recording = read(path)
    session, _ = resume(recording.scenario, recording.settings, recording.seed,
                        recording.messages)
    assert session.transcript == list(recording.messages)
    assert [m.text for m in session.transcript if m.data.get("injected")] == [
        "Sanctions eased", "One more round", "The afternoon session"
    ]


def test_an_injected_cancellation_ends_the_talks_for_good(tmp_path: Path) -> None:
    with TestClient(new_app(tmp_path)) as first:
        sid, desk, _ = started(first)
        response = inject(first, sid, desk, {"kind": "cancel", "title": "A strike elsewhere",
                                             "party": "Israel"})
        assert response.status_code == 200, response.text
        status = status_of(first, sid, desk)
        assert status["status"] == "ended"
        assert status["result"]["ended"] == "cancelled"
        assert inject(first, sid, desk, {"kind": "note", "title": "late"}).status_code == 409
    with TestClient(new_app(tmp_path)) as second:
        again = status_of(second, sid, desk)
        assert again["status"] == "ended"
        assert again["record"] == status["record"]


def test_only_the_facilitator_injects_and_bad_events_are_refused(client: TestClient) -> None:
    created = create(client)
    sid, desk = created["id"], created["facilitator"]["token"]
    tokens = {s["party"]: s["token"] for s in created["seats"] if s["token"]}
    note = {"kind": "note", "title": "News"}
    assert inject(client, sid, desk, note).status_code == 409  # not started
    client.post(f"/api/sessions/{sid}/start", headers=bearer(desk))
    for party in tokens:
        assert inject(client, sid, tokens[party], note).status_code == 403
    assert inject(client, sid, None, note).status_code == 401
    assert inject(client, sid, "forged", note).status_code == 403
    bad = [
        {"kind": "earthquake", "title": "x"},
        {"kind": "note"},
        {"kind": "note", "title": ""},
        {"kind": "note", "title": "   "},
        {"kind": "note", "title": "x" * 501},
        {"kind": "note", "title": "x", "extra": 1},
        {"kind": "shift-reservation", "title": "x"},
        {"kind": "shift-reservation", "title": "x", "party": "Atlantis", "delta": 0.1},
        {"kind": "shift-reservation", "title": "x", "party": "Iran", "delta": 2},
        {"kind": "shift-reservation", "title": "x", "party": "Iran", "delta": "NaN"},
        {"kind": "move-deadline", "title": "x"},
        {"kind": "move-deadline", "title": "x", "rounds": 10**6},
        {"kind": "table-draft", "title": "x", "party": "Oman", "draft": {"A": "nope"}},
        {"kind": "table-draft", "title": "x", "party": "Oman", "draft": {}},
        {"kind": "restrain", "title": "x", "party": "Israel"},
    ]
    for body in bad:
        response = inject(client, sid, desk, body)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["detail"]
    assert [m for m in status_of(client, sid, desk)["record"] if m["data"].get("injected")] == []
    client.post(f"/api/sessions/{sid}/pause", headers=bearer(desk))
    assert inject(client, sid, desk, note).status_code == 200  # a white cell may act in a pause
    client.post(f"/api/sessions/{sid}/end", json={"reason": "done"}, headers=bearer(desk))
    assert inject(client, sid, desk, note).status_code == 409


def test_pause_and_resume_are_in_the_transcript_with_their_reasons(tmp_path: Path) -> None:
    with TestClient(new_app(tmp_path)) as first:
        sid, desk, tokens = started(first)
        for what, body in (("pause", {"reason": "Lunch"}), ("resume", None),
                           ("pause", {}), ("resume", {"reason": "Back from lunch."})):
            response = first.post(f"/api/sessions/{sid}/{what}", json=body, headers=bearer(desk))
            assert response.status_code == 200, response.text
        for bad in ({"reason": ""}, {"reason": " "}, {"reason": "x" * 501}, {"why": "x"}):
            response = first.post(f"/api/sessions/{sid}/pause", json=bad, headers=bearer(desk))
            assert response.status_code == 422, (bad, response.text)
        said = [
            "The facilitator paused the talks: Lunch.",
            "The facilitator resumed the talks.",
            "The facilitator paused the talks.",
            "The facilitator resumed the talks: Back from lunch.",
        ]
        for token in tokens.values():  # public: every seat reads them
            assert [t for t in texts(view_of(first, sid, token)) if "facilitator" in t] == said
        record = status_of(first, sid, desk)["record"]
    with TestClient(new_app(tmp_path)) as second:
        assert status_of(second, sid, desk)["record"] == record


# -- the mediator's replies ------------------------------------------------------------------


def test_the_mediator_answers_one_side_and_the_other_never_sees_it(client: TestClient) -> None:
    sid, desk, tokens = started(client)
    secret = "Between us: Washington could move on enrichment if you move on inspections."
    pending = {p: view_of(client, sid, t)["pending"] for p, t in tokens.items()}
    with (
        socket_of(client, sid, tokens["Iran"]) as iran,
        socket_of(client, sid, tokens["United States"]) as us,
    ):
        iran.receive_json()
        us.receive_json()
        response = reply(client, sid, tokens[MEDIATOR], {"to": "Iran", "text": secret})
        assert response.status_code == 200, response.text
        seq = response.json()["seq"]
        pushed = until(iran, lambda view: secret in texts(view))  # live to the side written to
        assert [(m["seq"], m["sender"], m["to"]) for m in pushed["messages"]
                if m["text"] == secret] == [(seq, MEDIATOR, ["Iran"])]
        # The other side's next push (a public event) holds the event, not the reply.
        inject(client, sid, desk, {"kind": "note", "title": "Public news"})
        seen = until(us, lambda view: "Public news" in texts(view))
        assert secret not in str(seen)
    assert secret in texts(view_of(client, sid, tokens[MEDIATOR]))
    assert secret not in str(view_of(client, sid, tokens["United States"]))
    for fmt in ("text", "jsonl"):
        theirs = client.get(f"/api/sessions/{sid}/transcript", params={"format": fmt},
                            headers=bearer(tokens["United States"])).text
        assert secret not in theirs
        mine = client.get(f"/api/sessions/{sid}/transcript", params={"format": fmt},
                          headers=bearer(tokens["Iran"])).text
        assert secret in mine
    assert {p: view_of(client, sid, t)["pending"] for p, t in tokens.items()} == pending


def test_only_the_mediator_replies_to_a_principal_while_the_talks_run(
    client: TestClient,
) -> None:
    created = create(client)
    sid, desk = created["id"], created["facilitator"]["token"]
    tokens = {s["party"]: s["token"] for s in created["seats"] if s["token"]}
    ok = {"to": "Iran", "text": "Noted."}
    assert reply(client, sid, tokens[MEDIATOR], ok).status_code == 409  # not started
    client.post(f"/api/sessions/{sid}/start", headers=bearer(desk))
    for party in PRINCIPALS:
        assert reply(client, sid, tokens[party], ok).status_code == 403
    assert reply(client, sid, desk, ok).status_code == 403
    assert reply(client, sid, None, ok).status_code == 401
    assert reply(client, sid, "forged", ok).status_code == 403
    for body in ({"to": "Oman", "text": "x"}, {"to": "Israel", "text": "x"},
                 {"to": "Nobody", "text": "x"}, {"to": "Iran", "text": ""},
                 {"to": "Iran", "text": " \n"}, {"to": "Iran", "text": "x" * 2001},
                 {"text": "x"}, {"to": "Iran"}, {"to": "Iran", "text": "x", "public": True}):
        response = reply(client, sid, tokens[MEDIATOR], body)
        assert response.status_code == 422, (body, response.text)
    client.post(f"/api/sessions/{sid}/pause", headers=bearer(desk))
    assert reply(client, sid, tokens[MEDIATOR], ok).status_code == 409
    client.post(f"/api/sessions/{sid}/resume", headers=bearer(desk))
    longest = {"to": "Iran", "text": "x" * 2000}
    assert reply(client, sid, tokens[MEDIATOR], longest).status_code == 200
    client.post(f"/api/sessions/{sid}/end", json={"reason": "done"}, headers=bearer(desk))
    assert reply(client, sid, tokens[MEDIATOR], ok).status_code == 409


def test_replies_and_notes_survive_a_restart_in_their_place(tmp_path: Path) -> None:
    with TestClient(new_app(tmp_path)) as first:
        sid, desk, tokens = started(first)
        first.post(f"/api/sessions/{sid}/notes", json={"text": "A question"},
                   headers=bearer(tokens["Iran"]))
        reply(first, sid, tokens[MEDIATOR], {"to": "Iran", "text": "An answer"})
        reply(first, sid, tokens[MEDIATOR], {"to": "United States", "text": "Another"})
        views = {p: view_of(first, sid, t) for p, t in tokens.items()}
        record = status_of(first, sid, desk)["record"]
    with TestClient(new_app(tmp_path)) as second:
        assert status_of(second, sid, desk)["record"] == record
        assert {p: view_of(second, sid, t) for p, t in tokens.items()} == views
    assert "Another" not in str(views["Iran"])
    assert "An answer" not in str(views["United States"])


# -- links ---------------------------------------------------------------------------------------


def test_a_revoked_link_opens_nothing_and_a_reissued_one_works(tmp_path: Path) -> None:
    with TestClient(new_app(tmp_path)) as client:
        sid, desk, tokens = started(client)
        old = tokens["Iran"]
        with socket_of(client, sid, old) as socket:
            socket.receive_json()
            revoked = client.delete(f"/api/sessions/{sid}/seats/Iran/link", headers=bearer(desk))
            assert revoked.status_code == 200, revoked.text
            seat = next(s for s in revoked.json()["seats"] if s["party"] == "Iran")
            assert seat["revoked"] is True
            refused = socket.receive_json()
            assert refused["type"] == "error"
            assert refused["status"] == 403
            with pytest.raises(WebSocketDisconnect) as closed:
                socket.receive_json()
            assert closed.value.code == REVOKED
        assert_refused(client, sid, old)
        with socket_of(client, sid, old) as socket:
            assert socket.receive_json()["status"] == 403
        again = client.post(f"/api/sessions/{sid}/seats/Iran/link", headers=bearer(desk))
        assert again.status_code == 200, again.text
        new = again.json()["token"]
        assert again.json()["link"].endswith(f"/room/{sid}#token={new}")
        assert view_of(client, sid, new)["party"] == "Iran"
        assert_refused(client, sid, old)
    with TestClient(new_app(tmp_path)) as restarted:  # persisted: the old stays refused
        assert view_of(restarted, sid, new)["party"] == "Iran"
        assert_refused(restarted, sid, old)
        status = status_of(restarted, sid, desk)
        assert next(s for s in status["seats"] if s["party"] == "Iran")["revoked"] is False


def assert_refused(client: TestClient, sid: str, token: str) -> None:
    base = f"/api/sessions/{sid}"
    calls = [
        client.get(f"{base}/view", headers=bearer(token)),
        client.get(f"{base}/transcript", headers=bearer(token)),
        client.post(f"{base}/notes", json={"text": "hi"}, headers=bearer(token)),
        client.post(f"{base}/actions", json={"turn": 1, "kind": "propose"}, headers=bearer(token)),
        client.post(f"{base}/evaluate", json={"package": {}}, headers=bearer(token)),
    ]
    assert [c.status_code for c in calls] == [403] * len(calls)


def test_a_revoked_socket_takes_no_answer_even_before_it_closes(client: TestClient) -> None:
    sid, desk, tokens = started(client)
    room = room_of(client, sid)
    ask = room.session.pending
    assert ask is not None
    body = answer(view_of(client, sid, tokens[ask.party]))
    assert body is not None
    closed: list[int] = []
    via = Subscriber(ask.party, lambda _payload: None, close=lambda code, _why: closed.append(code))
    room.subscribe(via)
    client.delete(f"/api/sessions/{sid}/seats/{ask.party}/link", headers=bearer(desk))
    assert closed == [REVOKED]
    with pytest.raises(ForbiddenError):
        room.act(ask.party, ActionIn.model_validate(body), via)
    assert room.session.pending == ask  # nothing was taken


def test_a_reissue_closes_the_old_links_socket_too(client: TestClient) -> None:
    sid, desk, tokens = started(client)
    with socket_of(client, sid, tokens[MEDIATOR]) as socket:
        socket.receive_json()
        client.post(f"/api/sessions/{sid}/seats/{MEDIATOR}/link", headers=bearer(desk))
        assert socket.receive_json()["type"] == "error"
        with pytest.raises(WebSocketDisconnect):
            socket.receive_json()


def test_only_the_facilitator_manages_links_of_person_seats(client: TestClient) -> None:
    sid, desk, tokens = started(client, seats={"Israel": {"kind": "strategy",
                                                          "strategy": "hazard"}})
    link = f"/api/sessions/{sid}/seats/Iran/link"
    for token in (tokens["Iran"], tokens["United States"], "forged"):
        assert client.post(link, headers=bearer(token)).status_code == 403
        assert client.delete(link, headers=bearer(token)).status_code == 403
    assert client.post(link).status_code == 401
    assert client.post(f"/api/sessions/{sid}/seats/Atlantis/link",
                       headers=bearer(desk)).status_code == 404
    assert client.delete(f"/api/sessions/{sid}/seats/Israel/link",
                         headers=bearer(desk)).status_code == 409  # a strategy's seat
    assert view_of(client, sid, tokens["Iran"])["party"] == "Iran"  # untouched by all that


# -- turn timers ---------------------------------------------------------------------------------


def test_a_turn_timer_is_chosen_at_creation_within_bounds(client: TestClient) -> None:
    for seconds in (-1, 0, 9, 604_801, 1.5, "soon"):
        response = client.post("/api/sessions", json={"scenario": "muscat-2026",
                                                      "turn_seconds": seconds})
        assert response.status_code == 422, (seconds, response.text)
    sid, desk, _ = started(client, turn_seconds=60)
    status = status_of(client, sid, desk)
    assert status["turn_seconds"] == 60
    assert status["turn"]["overdue"] is False
    assert 0 <= status["turn"]["waited"] < 60


def test_an_overdue_turn_alerts_the_desk_and_its_seat_strategy_may_answer(
    client: TestClient,
) -> None:
    sid, desk, tokens = started(client, turn_seconds=30)
    room = room_of(client, sid)
    turn = status_of(client, sid, desk)["turn"]
    late = f"/api/sessions/{sid}/turn/default"
    assert client.post(late, json={"turn": turn["turn"]}, headers=bearer(desk)).status_code == 409
    room.clock.since -= 31  # the turn has waited 31 s (no test waits on the wall clock)
    overdue = status_of(client, sid, desk)["turn"]
    assert overdue["overdue"] is True
    assert overdue["waited"] >= 31
    for token in (tokens[turn["party"]], "forged"):
        assert client.post(late, json={"turn": turn["turn"]},
                           headers=bearer(token)).status_code == 403
    assert client.post(late, json={"turn": turn["turn"] + 1},
                       headers=bearer(desk)).status_code == 409  # a stale turn
    assert client.post(late, json={"turn": -1, "x": 1}, headers=bearer(desk)).status_code == 422
    answered = client.post(late, json={"turn": turn["turn"]}, headers=bearer(desk))
    assert answered.status_code == 200, answered.text
    record = status_of(client, sid, desk)["record"]
    assert any(m["seq"] == answered.json()["seq"] and m["sender"] == turn["party"]
               for m in record)
    after = status_of(client, sid, desk)["turn"]
    assert after["turn"] > turn["turn"]
    assert after["overdue"] is False  # a new turn, a new clock


def test_without_a_timer_no_turn_is_answered_for_its_seat(client: TestClient) -> None:
    sid, desk, _ = started(client)
    room = room_of(client, sid)
    room.clock.since -= 10_000
    turn = status_of(client, sid, desk)["turn"]
    assert turn["overdue"] is False
    response = client.post(f"/api/sessions/{sid}/turn/default", json={"turn": turn["turn"]},
                           headers=bearer(desk))
    assert response.status_code == 409


def test_the_turn_clock_leaves_pauses_out(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr("parley.server.rooms.time.monotonic", lambda: now[0])
    clock = TurnClock()
    clock.turn(1)
    now[0] = 110.0
    clock.pause()
    now[0] = 500.0
    assert clock.waited() == 10.0
    clock.resume()
    now[0] = 505.0
    assert clock.waited() == 15.0
    assert clock.overdue(14)
    assert not clock.overdue(15)
    assert not clock.overdue(None)
    clock.turn(1)  # the same turn: the clock runs on
    assert clock.waited() == 15.0
    clock.turn(2)
    assert clock.waited() == 0.0


# -- the agreement document --------------------------------------------------------------------


def all_strategies(name: str) -> dict[str, Any]:
    scenario = load(name)
    settings = Settings.from_scenario(scenario)
    seats = {p: {"kind": "strategy", "strategy": spec.name, "params": dict(spec.params)}
             for p, spec in settings.strategies.items()
             if p in {q.name for q in scenario.parties}}
    return {"scenario": name, "seats": seats}


def agreement_of(client: TestClient, sid: str, token: str | None, fmt: str = "html") -> Any:
    return client.get(f"/api/sessions/{sid}/agreement", params={"format": fmt},
                      headers=bearer(token))


def test_the_agreement_document_lists_the_deal_issue_by_issue(client: TestClient) -> None:
    created = create(client, **all_strategies("job-offer"))
    sid, desk = created["id"], created["facilitator"]["token"]
    assert agreement_of(client, sid, desk).status_code == 409  # not ended
    client.post(f"/api/sessions/{sid}/start", headers=bearer(desk))
    status = status_of(client, sid, desk)
    assert status["result"]["ended"] == "agreement"
    html = agreement_of(client, sid, desk)
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    assert "script" not in html.headers["content-security-policy"]
    page = html.text
    labels = {i["name"]: (i["label"], {str(o["id"]): o["label"] for o in i["options"]})
              for i in status["agenda"]}
    for issue, option in status["result"]["agreement"].items():
        label, options = labels[issue]
        assert f"{escape(label)}: {escape(options[str(option)])}" in page
    for party in ("Candidate (principal)", "Employer (principal)"):
        assert party in page
    assert "(mediator)" not in page  # direct talks: the recruiter has no part
    assert "Agreement reached" in page
    pdf = agreement_of(client, sid, desk, "pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert agreement_of(client, sid, None).status_code == 401
    assert agreement_of(client, sid, "forged").status_code == 403
    assert agreement_of(client, sid, desk, "docx").status_code == 422


def escape(text: str) -> str:
    return html.escape(text)


def test_an_adjourned_document_keeps_the_settled_issues_and_who_endorsed_the_framework(
    client: TestClient,
) -> None:
    created = create(client, **all_strategies("muscat-2026"))
    sid, desk = created["id"], created["facilitator"]["token"]
    client.post(f"/api/sessions/{sid}/start", headers=bearer(desk))
    status = status_of(client, sid, desk)
    assert status["result"]["ended"] == "adjourned"
    page = agreement_of(client, sid, desk).text
    assert "open (not agreed)" in page  # Muscat's day settled only a few issues
    assert "framework" in page  # the six-state framework, endorsed by every principal
    assert "Six-state group (third party)" in page
    assert agreement_of(client, sid, desk, "pdf").content.startswith(b"%PDF-")


def test_every_seat_gets_the_same_document_without_a_private_word(client: TestClient) -> None:
    sid, desk, tokens = started(client)
    reply(client, sid, tokens[MEDIATOR], {"to": "Iran", "text": "PRIVATE-WORD"})
    for token in tokens.values():
        assert agreement_of(client, sid, token).status_code == 409
    client.post(f"/api/sessions/{sid}/end", json={"reason": "Time"}, headers=bearer(desk))
    pages = {agreement_of(client, sid, t).text for t in [desk, *tokens.values()]}
    assert len(pages) == 1
    page = pages.pop()
    assert "PRIVATE-WORD" not in page


def test_the_document_reads_in_chinese_where_the_scenario_has_the_words(
    client: TestClient,
) -> None:
    from parley.server import agreement

    created = create(client, **all_strategies("muscat-2026"))
    sid, desk = created["id"], created["facilitator"]["token"]
    client.post(f"/api/sessions/{sid}/start", headers=bearer(desk))
    scenario = load("muscat-2026")
    page = client.get(f"/api/sessions/{sid}/agreement", params={"lang": "zh"},
                      headers=bearer(desk)).text
    assert '<html lang="zh">' in page
    assert escape(scenario.doc.labels["zh"]) in page
    iran = next(p for p in scenario.doc.parties if p.name == "Iran")
    assert f"{iran.labels['zh']} (主要当事方)" in page
    assert "休会，择日再谈" in page  # adjourned, in the document's own words
    english = client.get(f"/api/sessions/{sid}/agreement", headers=bearer(desk)).text
    assert scenario.doc.labels["zh"] not in english
    for bad in ("../etc", "ZH", "x" * 40, "zh_CN"):
        response = client.get(f"/api/sessions/{sid}/agreement", params={"lang": bad},
                              headers=bearer(desk))
        assert response.status_code == 422, bad
    # A language the document does not know: the scenario's words where it has them, else as
    # written, and English headings.
    assert "Who endorsed what" in client.get(
        f"/api/sessions/{sid}/agreement", params={"lang": "fa"}, headers=bearer(desk)).text
    if agreement._first(agreement.CJK_FONTS) is None:
        pytest.skip("no CJK font installed (fonts-wqy-microhei) for the PDF")
    pdf = client.get(f"/api/sessions/{sid}/agreement", params={"lang": "zh", "format": "pdf"},
                     headers=bearer(desk))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF-")
    assert b"WenQuanYi" in pdf.content or b"Noto" in pdf.content  # the CJK font is embedded
