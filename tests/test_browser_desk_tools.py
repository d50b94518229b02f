"""The desk's tools and the mediator's private answer in a real browser (issue 17, items 1, 3, 5):
the facilitator puts outside events into the talks from the desk, revokes a delegation's leaked
link (its open page is shut out) and gives it a new one, sees an overdue turn and lets the
seat's built-in strategy answer it; the mediator answers one side privately from its page, and
the other side's page never shows it; after the end, each seat downloads its own transcript and
everyone the same agreement document.

The app runs in-process (``live_server``), so the test can make a turn overdue without waiting
on the wall clock. Screenshots at 1280 and 390 px go to test-artifacts/browser/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect, sync_playwright

from parley.server.rooms import Room
from tests.server_helpers import bearer, live_server, new_app
from tests.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, NARROW, SCENARIO, WAIT_MS, WIDE
from tests.test_browser import _require_chromium as require_chromium

SECRET = "Between us: South would take split berths for joint patrols."


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    require_chromium()
    return new_app(tmp_path)


@pytest.fixture
def base(app: FastAPI) -> Iterator[str]:
    with live_server(app) as url:
        yield url


def open_page(browser: Browser, url: str, viewport: dict[str, int] = WIDE) -> Page:
    page = browser.new_context(viewport=viewport, accept_downloads=True).new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the desk asks before it acts
    page.goto(url)
    expect(page.locator("#connection")).to_have_text("Live")
    return page


def shoot(page: Page, name: str) -> None:
    """The page at 1280 and at 390 px, with no sideways scroll at either width."""
    for width, viewport in (("1280", WIDE), ("390", NARROW)):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(WIDE)


def inject(desk: Page, kind: str, title: str, **fields: str) -> None:
    desk.select_option("#inject-kind", kind)
    desk.fill("#inject-title", title)
    for name, value in fields.items():
        desk.fill(f"#inject-{name}", value)
    desk.click("#inject-send")
    expect(desk.locator("#inject-note")).to_contain_text(title)
    expect(desk.locator("#talks")).to_contain_text(title)


def downloaded(page: Page, button: str) -> str:
    with page.expect_download() as info:
        page.click(button)
    path = info.value.path()
    return (
        Path(path).read_text(encoding="utf-8")
        if not button.endswith("pdf")
        else ("%PDF" if Path(path).read_bytes().startswith(b"%PDF-") else "not a PDF")
    )


def test_the_desk_injects_revokes_and_answers_an_overdue_turn_and_the_mediator_replies(
    app: FastAPI, base: str
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    expect.set_options(timeout=WAIT_MS)
    with httpx.Client(base_url=base, timeout=30) as http:
        created = http.post(
            "/api/sessions",
            json={"scenario_toml": SCENARIO, "protocol": "shuttle", "turn_seconds": 60},
        )
        assert created.status_code == 201, created.text
        sid = created.json()["id"]
        desk_token = created.json()["facilitator"]["token"]
        tokens = {s["party"]: s["token"] for s in created.json()["seats"] if s["token"]}
        assert set(tokens) == {"North", "South", "Envoy"}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                desk = open_page(browser, f"{base}/facilitate/{sid}#token={desk_token}")
                rooms = {
                    p: open_page(browser, f"{base}/room/{sid}#token={t}") for p, t in tokens.items()
                }
                desk.click("#start")
                expect(desk.locator("#turn-clock")).to_contain_text("of 1:00 per turn")
                waited = desk.locator("#turn-clock").get_attribute("data-waited")
                expect(desk.locator("#turn-clock")).not_to_have_attribute(
                    "data-waited", str(waited)
                )  # ticks

                # Outside events from the desk reach every seat; a shift is told to its party.
                inject(desk, "note", "Wire: a storm closes the harbour for a day")
                inject(
                    desk,
                    "shift-reservation",
                    "North's creditors call in a loan",
                    party="North",
                    delta="-0.05",
                )
                for page in rooms.values():
                    expect(page.locator("#room")).to_contain_text("storm closes the harbour")
                expect(rooms["North"].locator("#room")).to_contain_text(
                    "North's reservation value moves"
                )
                expect(rooms["South"].locator("#room")).not_to_contain_text(
                    "North's reservation value moves"
                )
                shoot(desk, "desk-tools")

                # The mediator answers North privately; South never sees it.
                mediator = rooms["Envoy"]
                mediator.select_option("#reply-to", "North")
                expect(mediator.locator("#reply-who")).to_contain_text("South never does")
                mediator.fill("#reply-text", SECRET)
                mediator.click("#reply-send")
                expect(mediator.locator("#reply-status")).to_contain_text("Sent to North")
                expect(rooms["North"].locator("#room")).to_contain_text(SECRET)
                inject(desk, "phase", "The afternoon session")  # a later push to South too
                expect(rooms["South"].locator("#room")).to_contain_text("afternoon session")
                assert SECRET not in rooms["South"].content()
                shoot(mediator, "mediator-reply")
                shoot(rooms["North"], "delegation-reply")

                # A pause with its reason, in everyone's record; then the talks resume.
                desk.fill("#pause-reason", "Coffee")
                desk.click("#pause")
                expect(desk.locator("#resume")).to_be_visible()
                for page in rooms.values():
                    expect(page.locator("#room")).to_contain_text(
                        "The facilitator paused the talks: Coffee."
                    )
                desk.click("#resume")
                expect(desk.locator("#talks")).to_contain_text("The facilitator resumed the talks.")

                # A leaked link: revoked (South's open page is shut out), then a new one.
                desk.click("#links [data-party='South'] [data-action='revoke']")
                expect(desk.locator("#links li[data-party='South']")).to_contain_text("revoked")
                expect(rooms["South"].locator("#connection")).to_contain_text("refused")
                refused = http.get(f"/api/sessions/{sid}/view", headers=bearer(tokens["South"]))
                assert refused.status_code == 403
                desk.click("#links [data-party='South'] [data-action='reissue']")
                link = desk.locator("#new-link input").input_value()
                assert link.startswith("http://localhost:")
                assert "#token=" in link
                new_token = link.split("#token=")[1]
                rooms["South"].close()
                rooms["South"] = open_page(browser, f"{base}/room/{sid}#token={new_token}")
                expect(rooms["South"].locator("#who")).to_contain_text("South")
                assert SECRET not in rooms["South"].content()

                # An overdue turn: the desk says so; the seat's built-in strategy answers it.
                turn = int(str(desk.locator("#turn .turn-now").get_attribute("data-turn")))
                room: Room = app.state.hub.room(sid)
                room.clock.since -= 61  # waited past the minute (no test waits on the clock)
                inject(desk, "note", "Still waiting")  # a status push brings the news
                expect(desk.locator("#turn-clock [role='alert']")).to_contain_text("Over time")
                shoot(desk, "desk-overdue")
                desk.click("#answer-by-default")
                expect(desk.locator("#turn .turn-now")).not_to_have_attribute(
                    "data-turn", str(turn)
                )

                # The end: own transcripts and the agreement document.
                desk.fill("#end-reason", "The harbour closes for the season")
                desk.click("#end")
                expect(desk.locator("#agreement-card")).to_be_visible()
                document = downloaded(desk, "#agreement-html")
                assert "Harbour rights (browser test)" in document
                assert "The harbour closes for the season" in document
                assert SECRET not in document
                north = rooms["North"]
                expect(north.locator("#agreement-pdf")).to_be_visible()
                assert downloaded(north, "#agreement-pdf") == "%PDF"
                assert SECRET in downloaded(north, "#my-transcript-text")
                assert SECRET not in downloaded(rooms["South"], "#my-transcript-text")
                shoot(north, "delegation-takeaways")
                shoot(desk, "desk-ended")
            finally:
                browser.close()
