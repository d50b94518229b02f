"""A delegation writes to the mediator while it is not its turn, from the always-visible form
"Write to the mediator"; the mediator's page shows the note live in its private channel with
that delegation, and the other delegation's page never does (issue 17, item 3).

Debian's chromium drives it headless; without it the test skips locally and fails in CI.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect, sync_playwright

from tests.server_helpers import bearer, live_server, new_app
from tests.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, WAIT_MS
from tests.test_browser import _require_chromium as require_chromium

TEXT = "We could live with a longer timetable if relief comes first."


@pytest.fixture
def base(tmp_path: Path) -> Iterator[str]:
    require_chromium()
    with live_server(new_app(tmp_path)) as url:
        yield url


def test_a_delegation_writes_out_of_turn_and_the_mediator_sees_it(base: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    expect.set_options(timeout=WAIT_MS)
    with httpx.Client(base_url=base, timeout=30) as http:
        created = http.post("/api/sessions", json={"scenario": "muscat-2026"}).json()
        sid, desk_token = created["id"], created["facilitator"]["token"]
        tokens = {s["party"]: s["token"] for s in created["seats"] if s["token"]}
        http.post(f"/api/sessions/{sid}/start", headers=bearer(desk_token))
        views = {
            p: http.get(f"/api/sessions/{sid}/view", headers=bearer(tokens[p])).json()
            for p in ("Iran", "United States")
        }
        writer = next(p for p, v in views.items() if v["pending"] is None)
        other = next(p for p in views if p != writer)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                pages = {}
                for party in (writer, "Oman", other):
                    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
                    page.goto(f"{base}/room/{sid}#token={tokens[party]}")
                    expect(page.locator("#connection")).to_have_text("Live")
                    pages[party] = page
                page = pages[writer]
                expect(page.locator("#turn-head")).to_have_text("Waiting")  # not its turn
                expect(page.locator("#note-head")).to_contain_text("Write to Oman")
                page.fill("#note-text", TEXT)
                page.click("#note-send")
                expect(page.locator("#note-status")).to_have_text("Sent to the mediator.")
                expect(page.locator("#note-text")).to_have_value("")
                page.click("#talks-card .filters button[data-filter=private]")
                expect(page.locator("#timeline")).to_contain_text(TEXT)  # its own channel
                expect(pages["Oman"].locator("#timeline")).to_contain_text(TEXT)
                expect(page.locator("#turn-head")).to_have_text("Waiting")  # still not its turn
                page.screenshot(path=str(ARTIFACTS / "delegation-note.png"), full_page=True)
                pages["Oman"].screenshot(path=str(ARTIFACTS / "mediator-note.png"), full_page=True)
                expect(pages[other].locator("#timeline")).to_be_visible()
                expect(pages[other].locator("main")).not_to_contain_text(TEXT)
            finally:
                browser.close()
