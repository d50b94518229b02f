"""Helpers for the room's tests: an app on a fresh database, clients, and a simple seat policy."""

from __future__ import annotations

import socket
import threading
import time
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import uvicorn
from fastapi import FastAPI
from starlette.exceptions import StarletteDeprecationWarning

from parley.scenario import builtin_names, load
from parley.server.app import create_app
from parley.strategies.index import best_completion

with warnings.catch_warnings():
    # Starlette >= 1.0 suggests httpx2 for its test client; httpx is what this project pins.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

__all__ = [
    "TestClient",
    "answer",
    "bearer",
    "create",
    "live_server",
    "new_app",
    "operator_key",
    "play_out",
    "socket_of",
]


def new_app(tmp_path: Any) -> FastAPI:
    return create_app(f"sqlite:///{tmp_path}/room.sqlite")


@contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """``app`` under uvicorn on a free loopback port, in a thread: real sockets, real
    concurrency (the test client runs one request at a time). Yields the base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(400):
        if server.started:
            break
        time.sleep(0.025)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def socket_of(client: TestClient, session_id: str, token: str) -> Iterator[Any]:
    """The live channel of a seat (or the facilitator), its token sent as the first message."""
    with client.websocket_connect(f"/api/sessions/{session_id}/ws") as socket:
        socket.send_json({"type": "auth", "token": token})
        yield socket


def bearer(token: str | None) -> dict[str, str]:
    return {} if token is None else {"Authorization": f"Bearer {token}"}


def operator_key(client: TestClient) -> str | None:
    """The key the client's server needs to create sessions (None when it is open)."""
    key: str | None = client.app.state.config.operator_key  # type: ignore[attr-defined]
    return key


def create(client: TestClient, **body: Any) -> dict[str, Any]:
    """A new session (with the operator's key, when the server has one)."""
    response = client.post(
        "/api/sessions",
        json={"scenario": "muscat-2026", **body},
        headers=bearer(operator_key(client)),
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def started(client: TestClient, **body: Any) -> tuple[str, str, dict[str, str]]:
    """A Muscat session created with ``body`` and started: (id, desk token, seat tokens)."""
    created = create(client, **body)
    sid, desk = created["id"], created["facilitator"]["token"]
    response = client.post(f"/api/sessions/{sid}/start", headers=bearer(desk))
    assert response.status_code == 200, response.text
    return sid, desk, tokens_of(created)


def status_of(client: TestClient, sid: str, token: str) -> dict[str, Any]:
    """The session's status as the holder of ``token`` (the facilitator's desk, a seat) reads it."""
    response = client.get(f"/api/sessions/{sid}", headers=bearer(token))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def tokens_of(created: Mapping[str, Any]) -> dict[str, str]:
    return {s["party"]: s["token"] for s in created["seats"] if s["token"] is not None}


def answer(view: Mapping[str, Any]) -> dict[str, Any] | None:
    """A simple seat's answer to its pending ask: accept what it may accept from round 3 on,
    otherwise put its own best package forward; a mediator carries what it was given."""
    pending = view["pending"]
    if pending is None:
        return None
    allowed, turn = pending["allowed"], pending["turn"]
    if "confide" in allowed:
        return {"turn": turn, "kind": "confide"}
    if "relay" in allowed:
        return {"turn": turn, "kind": "relay"}
    if "draft" in allowed:
        package = pending["previous"] or {i["name"]: i["options"][0]["id"] for i in view["agenda"]}
        return {"turn": turn, "kind": "draft", "package": package}
    offer_value = pending["offer_value"]
    if (
        "accept" in allowed
        and offer_value is not None
        and offer_value >= view["reservation"] + 0.05
        and view["session"]["round"] >= 3
    ):
        return {"turn": turn, "kind": "accept", "feedback": "better"}
    if "reject" in allowed and "counter" not in allowed:
        return {"turn": turn, "kind": "reject", "feedback": "same"}
    best = _best(view)
    kind = "propose" if "propose" in allowed else "counter"
    return {"turn": turn, "kind": kind, "package": best, "statement": f"{view['party']} holds"}


def _best(view: Mapping[str, Any]) -> dict[str, Any]:
    """The seat's best package by its profile's values, among the packages that can exist
    when the talks are a built-in scenario's (whose constraints rule some combinations out)."""
    values = view["profile"]["values"]
    best = {issue: max(table, key=table.get) for issue, table in values.items()}
    agenda = tuple((i["name"], tuple(str(o["id"]) for o in i["options"])) for i in view["agenda"])
    scenario = _BUILT_INS.get(agenda)
    if scenario is None or not scenario.space.constraints:
        return best
    prefs = scenario.preferences_of(view["party"])
    package = best_completion(scenario.space, prefs, {})
    assert package is not None
    return {str(k): str(v) for k, v in scenario.space.to_values(package).items()}


_BUILT_INS = {
    tuple(
        (issue.id, tuple(str(issue.value_of(k)) for k in range(issue.size)))
        for issue in scenario.space.issues
    ): scenario
    for scenario in map(load, builtin_names())
}


def play_out(
    client: TestClient, session_id: str, tokens: Mapping[str, str], limit: int = 500
) -> int:
    """Answer every person seat's pending ask over HTTP until the talks end; returns actions."""
    acted = 0
    for _ in range(limit):
        moved = False
        for _party, token in tokens.items():
            view = client.get(f"/api/sessions/{session_id}/view", headers=bearer(token)).json()
            if view["session"]["status"] == "ended":
                return acted
            body = answer(view)
            if body is not None:
                response = client.post(
                    f"/api/sessions/{session_id}/actions", json=body, headers=bearer(token)
                )
                assert response.status_code == 200, response.text
                acted += 1
                moved = True
        if not moved:
            raise AssertionError("no seat could act, yet the talks have not ended")
    raise AssertionError("the talks did not end")
