"""The room under attack and abuse: each probe that once stalled it, broke a session or answered
500 gets a 4xx (or a clean close) at once, while other requests are served as usual.

The time limits asserted here are generous bounds ("answers within"), never measurements.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from parley.server.errors import InvalidError
from parley.server.isolate import TooSlowError, run_limited
from tests.server_helpers import TestClient, live_server, new_app

WITHIN = 1.5
"""Seconds within which a probe, or a request made while a probe runs, must be answered."""
NASH = Path(__file__).parents[1] / "src" / "parley" / "scenario" / "builtin" / "nash-1950.toml"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(new_app(tmp_path)) as test_client:
        yield test_client


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    with live_server(new_app(tmp_path)) as base:
        yield base


def upload(client: Any, files: dict[str, bytes]) -> httpx.Response:
    parts = [("files", (name, data)) for name, data in files.items()]
    response: httpx.Response = client.post("/api/scenarios/import", files=parts)
    return response


def spin(seconds: float) -> str:
    """Busy work that holds the interpreter, as a regular expression or a C parser does."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        sum(range(10_000))
    return "done"


# -- item 1: one upload stalled every request ---------------------------------------------------


def test_an_upload_that_once_took_seconds_stalls_no_other_request(served: str) -> None:
    probe = {"domain.xml": b"<r>" + b"<!DOCTYPE [" * 8000 + b"</r>"}  # 88 KB: 5.5 s before
    answers: dict[str, Any] = {}

    def attack() -> None:
        with httpx.Client(base_url=served, timeout=60) as attacker:
            started = time.monotonic()
            answers["import"] = upload(attacker, probe)
            answers["import_seconds"] = time.monotonic() - started

    thread = threading.Thread(target=attack)
    thread.start()
    waits = []
    with httpx.Client(base_url=served, timeout=60) as other:
        while thread.is_alive() or not waits:  # asking all the while the upload is read
            started = time.monotonic()
            assert other.get("/api/scenarios").status_code == 200
            waits.append(time.monotonic() - started)
            time.sleep(0.05)
    thread.join()
    assert max(waits) < WITHIN
    assert answers["import"].status_code == 422
    assert "domain.xml" in answers["import"].json()["detail"]
    assert answers["import_seconds"] < WITHIN


def test_a_parse_over_its_time_limit_is_stopped_and_the_server_keeps_answering() -> None:
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            run_limited(spin, 30.0, 1.0, "files")
        except InvalidError as exc:
            result["error"] = exc

    thread = threading.Thread(target=run)
    started = time.monotonic()
    thread.start()
    sum(range(1000))  # this thread is not held up while the worker spins
    thread.join(timeout=20)
    assert isinstance(result.get("error"), TooSlowError)
    assert str(result["error"]) == "files: reading it took more than 1 s (the limit)"
    assert time.monotonic() - started < 10


def test_an_upload_is_read_in_a_worker_and_its_errors_name_the_file(client: TestClient) -> None:
    ok = upload(client, {"nash.toml": NASH.read_bytes()})
    assert ok.status_code == 200, ok.text
    assert ok.json()["title"].startswith("Nash")
    broken = upload(client, {"broken.toml": b"title = "})
    assert broken.status_code == 422
    assert broken.json()["detail"].startswith("broken.toml: (syntax): not valid TOML")


# -- item 4: deep nesting answered 500 ----------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "field"),
    [
        ({"domain.json": b"[" * 50_000 + b"]" * 50_000}, "files.domain.json"),
        ({"deep.toml": b"a = " + b"[" * 50_000 + b"]" * 50_000}, "files.deep.toml"),
        ({"keys.toml": b"a" + b".a" * 50_000 + b" = 1"}, "files.keys.toml"),
    ],
)
def test_deeply_nested_uploads_are_refused_naming_the_file(
    client: TestClient, files: dict[str, bytes], field: str
) -> None:
    response = upload(client, files)
    assert response.status_code == 422, response.text
    assert response.json()["detail"].startswith(f"{field}: TOML nested" if "toml" in field
                                                else f"{field}: JSON nested")
    assert "at most 32 allowed" in response.json()["detail"]


def test_deeply_nested_scenario_toml_is_refused_naming_the_field(client: TestClient) -> None:
    toml = "a = " + "[" * 50_000 + "]" * 50_000
    response = client.post("/api/sessions", json={"scenario_toml": toml})
    assert response.status_code == 422, response.text
    assert response.json()["detail"] == (
        "scenario_toml: TOML nested 50000 levels deep; at most 32 allowed"
    )
