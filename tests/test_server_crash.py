"""Crash safety: ``kill -9`` a real ``parley serve`` right after an acknowledged action.

Nothing acknowledged may be lost: after a restart on the same database every acknowledged
answer is in the transcript, the talks go on from there to the end, and the final transcript
is the one an uninterrupted server produces from the same answers.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from parley.server.app import create_app
from tests.server_helpers import TestClient, answer, bearer, tokens_of
from tests.test_server_postgres import postgres_url

BODY = {
    "scenario": "nash-1950",
    "protocol": "shuttle",
    "rounds": 6,
    "seed": 7,
    "mediator": "bridging",  # a built-in seat whose state must be rebuilt after the crash
}


OPERATOR_KEY = "the-operator-of-this-test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def server(db: str) -> Iterator[tuple[subprocess.Popen[bytes], httpx.Client]]:
    port = free_port()
    command = [sys.executable, "-m", "parley.cli.app", "serve", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--db", db],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PARLEY_OPERATOR_KEY": OPERATOR_KEY},
    )
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)
    try:
        for _ in range(300):
            try:
                if client.get("/api/scenarios").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
            if process.poll() is not None:
                raise AssertionError(process.stderr.read().decode() if process.stderr else "")
        yield process, client
    finally:
        client.close()
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def next_move(client: Any, sid: str, tokens: dict[str, str]) -> tuple[str, dict[str, Any]] | None:
    for party, token in tokens.items():
        view = client.get(f"/api/sessions/{sid}/view", headers=bearer(token)).json()
        body = answer(view)
        if body is not None:
            return party, body
    return None


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_kill_9_loses_nothing_acknowledged(tmp_path: Path, backend: str) -> None:
    db = f"sqlite:///{tmp_path}/room.sqlite" if backend == "sqlite" else postgres_url()
    played: list[tuple[str, dict[str, Any]]] = []
    with server(db) as (process, client):
        created = client.post("/api/sessions", json=BODY, headers=bearer(OPERATOR_KEY)).json()
        sid, tokens = created["id"], tokens_of(created)
        facilitator = bearer(created["facilitator"]["token"])
        client.post(f"/api/sessions/{sid}/start", headers=facilitator)
        for _ in range(5):
            move = next_move(client, sid, tokens)
            assert move is not None
            ack = client.post(
                f"/api/sessions/{sid}/actions", json=move[1], headers=bearer(tokens[move[0]])
            )
            assert ack.status_code == 200
            played.append(move)
        process.kill()  # SIGKILL right after the fifth acknowledgement
        process.wait(timeout=10)
    acknowledged = {body["turn"] for _, body in played}

    with server(db) as (_, client):
        record = client.get(f"/api/sessions/{sid}/transcript", headers=facilitator).text
        turns = {line_turn(line) for line in record.splitlines()[1:]}
        assert acknowledged <= turns
        while (move := next_move(client, sid, tokens)) is not None:
            response = client.post(
                f"/api/sessions/{sid}/actions", json=move[1], headers=bearer(tokens[move[0]])
            )
            assert response.status_code == 200
            played.append(move)
        status = client.get(f"/api/sessions/{sid}", headers=facilitator).json()
        assert status["status"] == "ended"
        final = client.get(f"/api/sessions/{sid}/transcript", headers=facilitator).text

    assert final.splitlines() == uninterrupted(played)


def line_turn(line: str) -> int | None:
    import json

    turn: int | None = json.loads(line)["turn"]
    return turn


def uninterrupted(played: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """The transcript an in-process server that never stopped gives for the same answers."""
    with TestClient(create_app("sqlite://")) as client:
        created = client.post("/api/sessions", json=BODY, headers=bearer(OPERATOR_KEY)).json()
        sid, tokens = created["id"], tokens_of(created)
        facilitator = bearer(created["facilitator"]["token"])
        client.post(f"/api/sessions/{sid}/start", headers=facilitator)
        for party, body in played:
            response = client.post(
                f"/api/sessions/{sid}/actions", json=body, headers=bearer(tokens[party])
            )
            assert response.status_code == 200
        lines: list[str] = client.get(
            f"/api/sessions/{sid}/transcript", headers=facilitator
        ).text.splitlines()
        return lines
