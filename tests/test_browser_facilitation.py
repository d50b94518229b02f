"""The creation page creates one session however often "Create" is pressed, and keeps the links
until the facilitator says they are saved; the desk opens in a new tab; the desk pauses,
resumes and ends the talks, and a delegation's page says "Paused" meanwhile (issue 17, item 1).

Debian's chromium drives it headless; without it the test skips locally and fails in CI.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Dialog, Request, expect, sync_playwright

from tests.server_helpers import bearer, live_server, new_app
from tests.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, SCENARIO, WAIT_MS
from tests.test_browser import _require_chromium as require_chromium


@pytest.fixture
def base(tmp_path: Path) -> Iterator[str]:
    require_chromium()
    with live_server(new_app(tmp_path)) as url:
        yield url


def test_create_once_keep_the_links_and_open_the_desk_in_a_new_tab(base: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    expect.set_options(timeout=WAIT_MS)
    posts: list[str] = []

    def count(request: Request) -> None:
        if request.method == "POST" and request.url.endswith("/api/sessions"):
            posts.append(request.url)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.on("request", count)
            page.goto(f"{base}/")
            expect(page.locator("#builtin option").first).to_be_attached()
            page.select_option("#builtin", "nash-1950")
            create = page.locator("#create")
            create.click()
            # A second submission while the first is out, and one after it succeeded.
            page.evaluate("document.getElementById('create-form').requestSubmit()")
            expect(page.locator("#links input.link").first).to_be_visible()
            expect(create).to_be_disabled()
            page.evaluate("document.getElementById('create-form').requestSubmit()")
            page.wait_for_timeout(300)
            assert len(posts) == 1, posts
            desk_link = page.locator("#links input[data-seat='facilitator']").input_value()
            # The desk opens in a new tab; the links stay on this one.
            opener = page.locator("#open-facilitator")
            assert opener.get_attribute("target") == "_blank"
            # (The links carry the configured public address, not this test server's port.)
            public = desk_link.split("/facilitate/")[0]
            context.route(f"{public}/**", lambda route: route.fulfill(body="desk"))
            with context.expect_page() as opened:
                opener.click()
            desk = opened.value
            desk.wait_for_load_state()
            assert desk.url == desk_link
            assert page.url == f"{base}/"
            expect(page.locator("#links input.link").first).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "start-links-kept.png"), full_page=True)
            # Leaving asks first while the links are not saved; ticking the box lets go.
            another = page.locator("#another")
            expect(another).to_be_disabled()
            dialogs: list[str] = []

            def stay(dialog: Dialog) -> None:
                dialogs.append(dialog.type)
                dialog.dismiss()

            page.on("dialog", stay)
            page.evaluate("setTimeout(() => location.reload(), 0)")  # dismissed: the page stays
            for _ in range(50):
                if dialogs:
                    break
                page.wait_for_timeout(100)
            assert dialogs == ["beforeunload"]
            expect(page.locator("#links input.link").first).to_be_visible()
            page.check("#links-saved")
            expect(another).to_be_enabled()
            another.click()
            expect(page.locator("#links")).to_be_hidden()
            expect(create).to_be_enabled()
            expect(create).to_have_text("Create the session")
            assert len(posts) == 1
        finally:
            browser.close()


def test_the_desk_pauses_resumes_and_ends_the_talks(base: str) -> None:
    expect.set_options(timeout=WAIT_MS)
    with httpx.Client(base_url=base, timeout=30) as http:
        created = http.post(
            "/api/sessions",
            json={
                "scenario_toml": SCENARIO,
                "protocol": "shuttle",
                "seats": {"Envoy": {"kind": "strategy", "strategy": "relay"}},
            },
        ).json()
        sid, desk_token = created["id"], created["facilitator"]["token"]
        tokens = {s["party"]: s["token"] for s in created["seats"] if s["token"]}
        http.post(f"/api/sessions/{sid}/start", headers=bearer(desk_token))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
                desk.goto(f"{base}/facilitate/{sid}#token={desk_token}")
                expect(desk.locator("#connection")).to_have_text("Live")
                seat = browser.new_context().new_page()
                seat.goto(f"{base}/room/{sid}#token={tokens['North']}")
                expect(seat.locator("#connection")).to_have_text("Live")
                expect(desk.locator("#resume")).to_be_hidden()
                desk.click("#pause")
                expect(desk.locator("#status")).to_contain_text("paused")
                expect(desk.locator("#paused-note")).to_be_visible()
                expect(desk.locator("#turn")).to_contain_text("(paused)")
                expect(seat.locator("#status")).to_contain_text("paused by the facilitator")
                expect(seat.locator("#turn")).to_contain_text("paused")
                assert (
                    http.get(f"/api/sessions/{sid}", headers=bearer(desk_token)).json()["status"]
                    == "paused"
                )
                desk.screenshot(path=str(ARTIFACTS / "desk-paused.png"), full_page=True)
                desk.click("#resume")
                expect(desk.locator("#pause")).to_be_visible()
                expect(seat.locator("#status")).not_to_contain_text("paused")
                desk.fill("#end-reason", "The harbour was closed")
                desk.on("dialog", lambda dialog: dialog.accept())
                desk.click("#end")
                expect(desk.locator("#result")).to_contain_text("The harbour was closed")
                expect(desk.locator("#control")).to_be_hidden()
                expect(desk.locator("#talks")).to_contain_text("The harbour was closed")
                expect(seat.locator("#status")).to_contain_text("ended")
                expect(seat.locator("main")).to_contain_text("Why: The harbour was closed.")
            finally:
                browser.close()
