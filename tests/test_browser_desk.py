"""The facilitator's desk and a delegation's tab in a real browser: the desk shows whose turn it
is and the talks so far, live; a delegation's tab title says "Your turn" while it is, and goes
back afterwards.

The session runs on the app in-process (``live_server``): North and South are people, the
mediator is the built-in ``relay``; answers go through the API so the test watches only what
the pages show. Debian's chromium drives it headless; without it the test skips locally and
fails in CI.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.server_helpers import answer, bearer, live_server, new_app
from tests.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, SCENARIO, WAIT_MS
from tests.test_browser import _require_chromium as require_chromium

TURN_TITLE = "Your turn"


@pytest.fixture
def base(tmp_path: Path) -> Iterator[str]:
    require_chromium()
    with live_server(new_app(tmp_path)) as url:
        yield url


def _act(http: httpx.Client, sid: str, token: str) -> dict[str, Any]:
    view = http.get(f"/api/sessions/{sid}/view", headers=bearer(token)).json()
    body = answer(view)
    assert body is not None
    response = http.post(f"/api/sessions/{sid}/actions", json=body, headers=bearer(token))
    assert response.status_code == 200, response.text
    return body


def _turn_party(desk: Page) -> str:
    return str(desk.locator("#turn .turn-now").get_attribute("data-party"))


def test_the_desk_shows_the_turn_and_the_talks_and_the_tab_says_your_turn(base: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    expect.set_options(timeout=WAIT_MS)
    with httpx.Client(base_url=base, timeout=30) as http:
        created = http.post(
            "/api/sessions",
            json={
                "scenario_toml": SCENARIO,
                "protocol": "shuttle",
                "seats": {"Envoy": {"kind": "strategy", "strategy": "relay"}},
            },
        )
        assert created.status_code == 201, created.text
        sid = created.json()["id"]
        desk_token = created.json()["facilitator"]["token"]
        tokens = {s["party"]: s["token"] for s in created.json()["seats"] if s["token"]}
        assert set(tokens) == {"North", "South"}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
                desk.goto(f"{base}/facilitate/{sid}#token={desk_token}")
                expect(desk.locator("#connection")).to_have_text("Live")
                expect(desk.locator("#turn")).to_contain_text("not started")
                expect(desk.locator("#start-hint")).to_be_visible()
                rooms = {}
                for party, token in tokens.items():
                    page = browser.new_context().new_page()
                    page.goto(f"{base}/room/{sid}#token={token}")
                    expect(page.locator("#connection")).to_have_text("Live")
                    assert TURN_TITLE not in page.title()
                    rooms[party] = page
                desk.click("#start")
                expect(desk.locator("#turn .turn-now")).to_be_visible()
                expect(desk.locator("#start-hint")).to_be_hidden()
                first = _turn_party(desk)
                other = next(p for p in tokens if p != first)
                # The turn's party and the question it is asked, as the engine words it.
                expect(desk.locator("#turn")).to_contain_text(f"{first} (principal, a person)")
                expect(desk.locator("#turn .prompt")).to_contain_text(f"asks {first}")
                expect(rooms[first]).to_have_title(f"{TURN_TITLE} — {first} · " + _title())
                expect(rooms[other]).to_have_title(f"{other} · " + _title())
                desk.screenshot(path=str(ARTIFACTS / "desk-turn.png"), full_page=True)
                proposed = desk.locator("#talks li.kind-propose")
                expect(proposed).to_have_count(0)
                _act(http, sid, tokens[first])
                # Live: the desk moves on to the other side (the relay carried the proposal at
                # once), the proposal shows in the talks in the agenda's labels, and the tabs'
                # titles swap.
                expect(desk.locator(f"#turn .turn-now[data-party='{other}']")).to_be_visible()
                expect(proposed).to_have_count(1)
                expect(proposed).to_contain_text(f"{first} proposes → Envoy")
                expect(desk.locator("#talks")).to_contain_text("Berths")
                expect(desk.locator("#talks")).not_to_contain_text("Worth to")
                expect(rooms[first]).to_have_title(f"{first} · " + _title())
                expect(rooms[other]).to_have_title(f"{TURN_TITLE} — {other} · " + _title())
                desk.screenshot(path=str(ARTIFACTS / "desk-talks.png"), full_page=True)
            finally:
                browser.close()


def _title() -> str:
    return "Harbour rights (browser test)"
