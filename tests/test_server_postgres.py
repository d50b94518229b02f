"""The room on PostgreSQL (``PARLEY_TEST_POSTGRES=postgresql://USER:PASSWORD@HOST/DB``).

CI sets the variable and this test must run there: without it, it fails under ``CI=true`` and
skips (saying why) on a developer's machine. docs/room.md says how to create the database.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from parley.engine.transcript import read
from parley.play import resume
from parley.server.app import create_app
from tests.server_helpers import TestClient, bearer, create, play_out, tokens_of


def postgres_url() -> str:
    url = os.environ.get("PARLEY_TEST_POSTGRES")
    if url:
        return url
    reason = "PARLEY_TEST_POSTGRES is not set (a postgresql:// URL; see docs/room.md)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must run the PostgreSQL test")
    pytest.skip(reason)


def test_a_session_on_postgresql_survives_a_restart_and_replays(tmp_path: Path) -> None:
    url = postgres_url()
    with TestClient(create_app(url)) as first:
        created = create(first, scenario="nash-1950", protocol="shuttle", rounds=5)
        sid, tokens = created["id"], tokens_of(created)
        first.post(f"/api/sessions/{sid}/start", headers=bearer(created["facilitator"]["token"]))
        halfway = {
            p: first.get(f"/api/sessions/{sid}/view", headers=bearer(t)).json()
            for p, t in tokens.items()
        }
    with TestClient(create_app(url)) as second:
        again = {
            p: second.get(f"/api/sessions/{sid}/view", headers=bearer(t)).json()
            for p, t in tokens.items()
        }
        assert again == halfway
        play_out(second, sid, tokens)
        jsonl = second.get(
            f"/api/sessions/{sid}/transcript", headers=bearer(created["facilitator"]["token"])
        ).text
    path = tmp_path / "talks.jsonl"
    path.write_text(jsonl, encoding="utf-8")
    recording = read(path)
    session, _ = resume(recording.scenario, recording.settings, recording.seed, recording.messages)
    assert session.done
