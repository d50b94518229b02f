"""Who may do what on a room server: the operator's key, per-client limits, links from the
configured public address, answers that no cache keeps, and a content policy on everything."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from parley.cli.run import replay
from parley.errors import TooManyError
from parley.server.app import create_app
from parley.server.config import RoomConfig
from parley.server.db import ActivityRow, Store
from parley.server.ratelimit import RateLimit
from tests.server_helpers import TestClient, bearer, create, play_out, tokens_of
from tests.test_server_crash import free_port

KEY = "operator-key-for-tests"
NASH = {"scenario": "nash-1950", "protocol": "shuttle"}
NASH_TOML = Path(__file__).parents[1] / "src" / "parley" / "scenario" / "builtin" / "nash-1950.toml"


def client_with(tmp_path: Path, **config: Any) -> TestClient:
    return TestClient(create_app(f"sqlite:///{tmp_path}/room.sqlite", RoomConfig(**config)))


def test_links_start_with_the_public_url_never_with_the_host_header(tmp_path: Path) -> None:
    with client_with(tmp_path, public_url="https://room.example.org/") as client:
        response = client.post("/api/sessions", json=NASH, headers={"Host": "evil.example:666"})
        assert response.status_code == 201
        created = response.json()
    links = [created["facilitator"]["link"], *(s["link"] for s in created["seats"] if s["link"])]
    assert len(links) == 4
    for link in links:
        assert link.startswith("https://room.example.org/")
        assert "evil" not in link
    token = created["facilitator"]["token"]
    assert created["facilitator"]["link"] == (
        f"https://room.example.org/facilitate/{created['id']}#token={token}"
    )


def test_creating_and_importing_need_the_operator_key(tmp_path: Path) -> None:
    toml = NASH_TOML.read_bytes()
    with client_with(tmp_path, operator_key=KEY) as client:
        assert client.get("/api/scenarios").status_code == 200  # reading the list is open
        missing = client.post("/api/sessions", json=NASH)
        assert missing.status_code == 401
        assert "operator's key" in missing.json()["detail"]
        assert client.post("/api/sessions", json=NASH, headers=bearer("guess")).status_code == 403
        created = client.post("/api/sessions", json=NASH, headers=bearer(KEY))
        assert created.status_code == 201
        files = [("files", ("nash.toml", toml))]
        url = "/api/scenarios/import"
        assert client.post(url, files=files).status_code == 401
        assert client.post(url, files=files, headers=bearer(KEY)).status_code == 200
        # The key opens no seat, and seats work with their own tokens as before.
        sid, tokens = created.json()["id"], tokens_of(created.json())
        view = f"/api/sessions/{sid}/view"
        assert client.get(view, headers=bearer(KEY)).status_code == 403
        assert client.get(view, headers=bearer(tokens["Bill"])).status_code == 200


def test_each_client_may_create_only_so_many_sessions_a_minute(tmp_path: Path) -> None:
    with client_with(tmp_path, creations_per_minute=3) as client:
        for _ in range(3):
            assert client.post("/api/sessions", json=NASH).status_code == 201
        refused = client.post("/api/sessions", json=NASH)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "20"
    assert refused.json()["detail"] == (
        "creations: more than 3 a minute from testclient; try again in 20 s"
    )


def test_a_rate_limit_refills_over_the_minute_and_counts_clients_apart() -> None:
    now = [0.0]
    limit = RateLimit("imports", 2, clock=lambda: now[0])
    limit.take("a")
    limit.take("a")
    limit.take("b")  # another client has its own allowance
    with pytest.raises(TooManyError) as caught:
        limit.take("a")
    assert caught.value.retry_after == 30
    now[0] = 30.0
    limit.take("a")  # one call back after half a minute
    with pytest.raises(TooManyError):
        limit.take("a")
    RateLimit("imports", 0).take("a")  # 0: no limit


def test_private_answers_are_never_cached(tmp_path: Path) -> None:
    with client_with(tmp_path) as client:
        created = client.post("/api/sessions", json=NASH)
        sid, tokens = created.json()["id"], tokens_of(created.json())
        facilitator = bearer(created.json()["facilitator"]["token"])
        answers = [
            created,
            client.get(f"/api/sessions/{sid}/view", headers=bearer(tokens["Bill"])),
            client.get(f"/api/sessions/{sid}", headers=facilitator),
            client.get(f"/api/sessions/{sid}/transcript", headers=facilitator),
            client.post(f"/api/sessions/{sid}/evaluate", json={"package": {}},
                        headers=bearer(tokens["Bill"])),
            client.get(f"/api/sessions/{sid}/view"),  # refusals too
        ]
    for answer in answers:
        assert answer.headers["Cache-Control"] == "no-store", answer.request.url


@pytest.mark.parametrize(
    "path",
    ["/", "/room/0123456789abcdef", "/facilitate/0123456789abcdef", "/static/js/api.js",
     "/static/parley.css", "/openapi.json", "/api/scenarios", "/no/such/page"],
)
def test_every_answer_carries_a_content_policy(tmp_path: Path, path: str) -> None:
    with client_with(tmp_path) as client:
        answer = client.get(path)
    assert "default-src" in answer.headers["Content-Security-Policy"]
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/docs/oauth2-redirect"])
def test_swagger_ui_and_redoc_are_off(tmp_path: Path, path: str) -> None:
    with client_with(tmp_path) as client:
        assert client.get(path).status_code == 404  # they loaded scripts from a public CDN



def served_lines(tmp_path: Path, *options: str) -> Iterator[tuple[str, str]]:
    """``parley serve`` started with ``options``: yields (its base URL, its first line(s))."""
    port = free_port()
    command = [sys.executable, "-m", "parley.cli.app", "serve", "--port", str(port)]
    command += ["--db", f"sqlite:///{tmp_path}/room.sqlite", *options]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        printed = process.stdout.readline()
        if "#key=" not in printed and "--open" not in printed:
            printed += process.stdout.readline()
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                httpx.get(f"{base}/api/scenarios", timeout=1)
                break
            except httpx.TransportError:
                continue
        yield base, printed
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def test_parley_serve_prints_an_address_with_the_operator_key(tmp_path: Path) -> None:
    for base, printed in served_lines(tmp_path):
        found = re.search(r"http://localhost:\d+/#key=(\S+)", printed)
        assert found, printed
        key = found.group(1)
        assert httpx.post(f"{base}/api/sessions", json=NASH).status_code == 401
        created = httpx.post(f"{base}/api/sessions", json=NASH, headers=bearer(key))
        assert created.status_code == 201
        assert created.json()["facilitator"]["link"].startswith("http://localhost:")


def test_parley_serve_open_says_so_and_needs_no_key(tmp_path: Path) -> None:
    for base, printed in served_lines(tmp_path, "--open", "--public-url", "https://r.example"):
        assert "--open: anyone who can reach this server may open sessions." in printed
        assert "#key=" not in printed
        created = httpx.post(f"{base}/api/sessions", json=NASH)
        assert created.status_code == 201
        assert created.json()["facilitator"]["link"].startswith("https://r.example/facilitate/")


def test_an_abandoned_session_is_archived_not_rebuilt_at_start_up(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/room.sqlite"
    with TestClient(create_app(db)) as first:
        idle, busy = create(first, **NASH), create(first, **NASH)
    store = Store(db)  # six weeks pass for the first session only
    with store.engine.begin() as connection:
        connection.execute(
            update(ActivityRow)
            .where(ActivityRow.session_id == idle["id"])
            .values(touched_at=time.time() - 42 * 86_400)
        )
    store.close()
    with TestClient(create_app(db, RoomConfig(expire_days=30))) as second:
        hub = second.app.state.hub  # type: ignore[attr-defined]
        assert set(hub.rooms) == {busy["id"]}  # only the live one was rebuilt
        url, token = f"/api/sessions/{idle['id']}", idle["facilitator"]["token"]
        gone = second.get(url, headers=bearer(token))
        assert gone.status_code == 410
        assert gone.json()["detail"] == (
            f"session {idle['id']} was archived after 30 days without activity"
        )
        url, token = f"/api/sessions/{busy['id']}", busy["facilitator"]["token"]
        live = second.get(url, headers=bearer(token))
        assert live.status_code == 200
    again = Store(db)  # archived, not deleted
    record = again.load(idle["id"])
    again.close()
    assert record is not None
    assert record.status == "archived"


# -- the facilitator's access to confidential profiles: chosen at creation ---------------------


def facilitator_jsonl(client: TestClient, created: dict[str, Any]) -> list[dict[str, Any]]:
    url = f"/api/sessions/{created['id']}/transcript?format=jsonl"
    text = client.get(url, headers=bearer(created["facilitator"]["token"])).text
    return [json.loads(line) for line in text.splitlines()]


def test_by_default_the_facilitator_sees_no_profile_until_the_talks_end(
    tmp_path: Path, capsys: Any
) -> None:
    with client_with(tmp_path) as client:
        created = create(client, **NASH, rounds=4)
        sid, tokens = created["id"], tokens_of(created)
        desk = bearer(created["facilitator"]["token"])
        status = client.get(f"/api/sessions/{sid}", headers=desk).json()
        assert (status["facilitator_profiles"], status["profiles_withheld"]) == ("after-end", True)
        for token in tokens.values():
            client.post(f"/api/sessions/{sid}/ready", headers=bearer(token))
        during = facilitator_jsonl(client, created)
        assert all("preferences" not in party for party in during[0]["scenario"]["parties"])
        assert "withheld" in during[0]
        assert "reservation" not in json.dumps(during)
        play_out(client, sid, tokens)
        after = facilitator_jsonl(client, created)
        assert client.get(f"/api/sessions/{sid}", headers=desk).json()["profiles_withheld"] is False
    bill = next(p for p in after[0]["scenario"]["parties"] if p["name"] == "Bill")
    assert "reservation" in bill["preferences"]
    path = tmp_path / "talks.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in after), encoding="utf-8")
    replay(path, as_json=True, imports=[])  # the full record, as parley replay needs it
    assert '"ended"' in capsys.readouterr().out


def test_a_session_may_show_the_facilitator_the_profiles_during_the_talks(tmp_path: Path) -> None:
    with client_with(tmp_path) as client:
        created = create(client, **NASH, facilitator_profiles="during")
        desk = bearer(created["facilitator"]["token"])
        status = client.get(f"/api/sessions/{created['id']}", headers=desk).json()
        assert (status["facilitator_profiles"], status["profiles_withheld"]) == ("during", False)
        rows = facilitator_jsonl(client, created)
    principals = [p for p in rows[0]["scenario"]["parties"] if p["role"] == "principal"]
    assert all("preferences" in party for party in principals)
