"""The room in a real browser: three people complete shuttle talks through the pages alone.

A facilitator uploads a small scenario on the start page and hands out the links; two
delegations and a mediator, each in a browser context of its own (the south delegation on a
phone-sized screen), edit a profile, get ready, confide, build and propose a package, carry it
on and accept it. Along the way the test checks what each page shows (its own values, red-line
warnings, the result) and, from everything each delegation's browser received and displayed,
that it never saw the other side's profile or private messages. The facilitator downloads the
transcript, which replays to the same agreement.

Debian's chromium drives it headless (no browser download). Screenshots are kept in
``test-artifacts/browser/``. Without /usr/bin/chromium the test skips locally and fails in CI.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from parley.engine import Session
from parley.engine.transcript import Recording, read
from parley.play import resume
from parley.preferences import Preferences
from parley.scenario import Scenario, loads

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "browser"
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 390, "height": 844}
WAIT_MS = 15_000

# Every number in the two profiles is distinctive, so that finding one on the other side's
# page can only be a leak (checked below: the two sets of marks do not overlap).
SCENARIO = """
format = "parley-scenario/1"
name = "harbour-browser-test"
title = "Harbour rights (browser test)"

[[issues]]
id = "berths"
name = "Berths"
options = [
  { id = "north", label = "Most berths to North" },
  { id = "split", label = "Berths split evenly" },
  { id = "south", label = "Most berths to South" },
]

[[issues]]
id = "fees"
name = "Harbour fees"
options = [
  { id = "low", label = "Low fees" },
  { id = "mid", label = "Middle fees" },
  { id = "high", label = "High fees" },
]

[[issues]]
id = "patrol"
name = "Patrols"
options = [
  { id = "joint", label = "Joint patrols" },
  { id = "none", label = "No patrols" },
]

[[parties]]
name = "North"
role = "principal"

[parties.preferences]
reservation = 0.213

[parties.preferences.issues.berths]
weight = 0.517
values = { north = 1.0, split = 0.641, south = 0.0 }

[parties.preferences.issues.fees]
weight = 0.296
values = { low = 0.0, mid = 0.387, high = 1.0 }

[parties.preferences.issues.patrol]
weight = 0.187
values = { joint = 1.0, none = 0.0 }

[[parties.preferences.red_lines]]
description = "North never cedes the berths"
when = { berths = ["south"] }

[[parties]]
name = "South"
role = "principal"

[parties.preferences]
reservation = 0.262

[parties.preferences.issues.berths]
weight = 0.455
values = { north = 0.0, split = 0.573, south = 1.0 }

[parties.preferences.issues.fees]
weight = 0.318
values = { low = 1.0, mid = 0.429, high = 0.0 }

[parties.preferences.issues.patrol]
weight = 0.227
values = { joint = 0.761, none = 1.0 }

[[parties.preferences.red_lines]]
description = "South refuses high harbour fees"
when = { fees = ["high"] }

[[parties]]
name = "Envoy"
role = "mediator"

[protocol]
kind = "shuttle"
rounds = 6
mediator = "Envoy"
"""

AGREEMENT = {"berths": "split", "fees": "mid", "patrol": "joint"}
NORTH_RESERVATION = 0.231  # North's edit on its page before the talks
NORTH_REMARK = "North to Envoy only: we could live with fewer berths"
ENVOY_REMARK = "Envoy to South only: North moved first"


# -- the server --------------------------------------------------------------------------------


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing (Debian's chromium package; .ci/run installs it)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """``parley serve`` in a subprocess on a fixed port and SQLite file; it can be killed
    (``kill -9``) and started again on the same port, as after a crash."""

    def __init__(self, db: Path, log: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.db = db
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.operator_address = ""

    def start(self) -> None:
        main = "from parley.cli.app import main; main()"
        options = ["--host", "127.0.0.1", "--port", str(self.port), "--db", f"sqlite:///{self.db}"]
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-c", main, "serve", *options],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"parley serve exited with code {self.process.returncode}")
            try:
                if httpx.get(f"{self.base}/api/scenarios", timeout=1).status_code == 200:
                    self.operator_address = printed_address(self.log)
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        pytest.fail("parley serve did not answer within 30 s")

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def printed_address(log: Path) -> str:
    """The last start-page address with the operator's key that ``parley serve`` printed."""
    found = re.findall(r"http://\S+/#key=\S+", log.read_text(encoding="utf-8"))
    assert found, "parley serve printed no address with the operator's key"
    return str(found[-1])


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[Server]:
    """A real ``parley serve`` on a fresh SQLite file in ``folder``, stopped afterwards."""
    running = Server(folder / "room.sqlite", folder / "serve.log")
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    _require_chromium()
    with serving(tmp_path_factory.mktemp("room")) as running:
        yield running


# -- what a browser received and showed ------------------------------------------------------------


class Seen:
    """Everything one delegation's browser received (API bodies, WebSocket frames) and showed."""

    def __init__(self) -> None:
        self.data: list[str] = []
        self.shown: list[str] = []

    def watch(self, context: BrowserContext) -> None:
        def record(route: Route) -> None:
            try:
                response = route.fetch()
            except PlaywrightError:  # the server is down (the crash below): as if offline
                route.abort()
                return
            self.data.append(response.text())
            route.fulfill(response=response)

        context.route("**/api/**", record)
        context.on(
            "page",
            lambda page: page.on(
                "websocket",
                lambda ws: ws.on("framereceived", lambda frame: self.data.append(str(frame))),
            ),
        )

    def look(self, page: Page) -> None:
        """What the page shows now: its text and the values in its form fields."""
        self.shown.append(page.evaluate(_SHOWN_JS))


_SHOWN_JS = """() => [document.body.innerText,
  ...[...document.querySelectorAll('input, textarea, select')].map((e) => e.value)].join('\\n')"""


@dataclass(frozen=True)
class Marks:
    """A profile's secrets: its numbers as the pages print them (3 decimals), the same numbers
    as JSON carries them, and its red lines' descriptions."""

    printed: frozenset[str]
    carried: frozenset[str]


def _marks(
    scenario: Scenario, party: str, reservation: float | tuple[float, ...], package: dict[str, str]
) -> Marks:
    """``party``'s secrets: its profile's numbers, the reservation value(s) it held, and the
    package's worth to it."""
    prefs = next(p.preferences for p in scenario.doc.parties if p.name == party)
    assert prefs is not None
    held = reservation if isinstance(reservation, tuple) else (reservation,)
    numbers = [prefs.reservation, *held, _utility(scenario, party, package)]
    for entry in prefs.issues.values():
        numbers.append(entry.weight)
        numbers.extend(v for v in (entry.values or {}).values() if v not in (0.0, 1.0))
    red_lines = {line.description for line in prefs.red_lines}
    return Marks(
        printed=frozenset(f"{n:.3f}" for n in numbers),
        carried=frozenset(json.dumps(n) for n in numbers) | red_lines,
    )


# -- driving the pages -----------------------------------------------------------------------------


def _shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _act(page: Page, kind: str) -> None:
    """Press the turn panel's button for ``kind`` and wait until the server took the answer."""
    button = page.locator(f"#turn button[data-kind='{kind}']")
    button.click()
    expect(button).to_have_count(0)


def _create_session(desk: Page, address: str, scenario_file: Path) -> dict[str, str]:
    """The facilitator uploads the scenario, asks for confiding, creates the session."""
    desk.goto(address)  # the start page's address parley serve printed, with the operator's key
    expect(desk.locator("#builtin option").first).to_be_attached()
    desk.check("#source-upload")
    desk.set_input_files("#files", str(scenario_file))
    desk.click("#read-files")
    expect(desk.locator("#upload-note")).to_contain_text("Harbour rights")
    desk.select_option("#protocol", "shuttle")
    expect(desk.locator("#seats-body select")).to_have_count(3)  # North, South, Envoy: people
    desk.click("details summary")
    desk.select_option("#confide", "yes")
    _shot(desk, "01-start-page")
    desk.click("#create")
    expect(desk.locator("#links input.link")).to_have_count(4)
    _shot(desk, "02-links")
    return _seat_links(desk)


def _seat_links(desk: Page) -> dict[str, str]:
    """The links the creation page shows, by seat ("facilitator" among them)."""
    links = desk.locator("#links input.link")
    return {
        str(links.nth(i).get_attribute("data-seat")): links.nth(i).input_value()
        for i in range(links.count())
    }


def _watched(page: Page, errors: list[str]) -> Page:
    """Collect the page's uncaught script errors (a page must raise none)."""
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    return page


def _open(context: BrowserContext, link: str) -> Page:
    page = context.new_page()
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.goto(link)
    expect(page.locator("#connection")).to_have_text("Live")
    # The token left the address bar (and so the history), and no URL the page opened holds it.
    token = link.partition("#token=")[2]
    assert token not in page.url
    assert sockets
    assert all(token not in url and "?" not in url for url in sockets)
    return page


def _utility(scenario: Scenario, party: str, package: dict[str, str]) -> float:
    prefs = scenario.party(party).preferences
    assert isinstance(prefs, Preferences)
    return float(prefs.utility(scenario.space.from_values(package)))


# -- the test --------------------------------------------------------------------------------------


def test_three_people_reach_agreement_in_shuttle_talks(server: Server, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    expect.set_options(timeout=WAIT_MS)
    scenario = loads(SCENARIO)
    scenario_file = tmp_path / "harbour.toml"
    scenario_file.write_text(SCENARIO, encoding="utf-8")
    marks = {
        "North": _marks(scenario, "North", NORTH_RESERVATION, AGREEMENT),
        "South": _marks(scenario, "South", 0.262, AGREEMENT),
    }
    # The test means something only if neither side's numbers could pass for the other's.
    assert not marks["North"].printed & marks["South"].printed
    assert not marks["North"].carried & marks["South"].carried
    values = {party: _utility(scenario, party, AGREEMENT) for party in marks}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            seen = _play(browser, server, scenario_file, values, tmp_path)
        finally:
            browser.close()
    _check_privacy(seen, marks)


def _play(
    browser: Browser,
    server: Server,
    scenario_file: Path,
    values: dict[str, float],
    tmp_path: Path,
) -> dict[str, Seen]:
    """The talks, driven through the pages; returns what each delegation's browser saw."""
    errors: list[str] = []
    desk = _watched(browser.new_context(viewport=WIDE).new_page(), errors)
    links = _create_session(desk, server.operator_address, scenario_file)
    assert set(links) == {"facilitator", "North", "South", "Envoy"}

    seen = {"North": Seen(), "South": Seen()}
    contexts = {
        "North": browser.new_context(viewport=WIDE),
        "South": browser.new_context(viewport=NARROW),
        "Envoy": browser.new_context(viewport=WIDE),
    }
    for party, watcher in seen.items():
        watcher.watch(contexts[party])
    for context in contexts.values():
        context.on("page", lambda page: _watched(page, errors))
    north = _open(contexts["North"], links["North"])
    south = _open(contexts["South"], links["South"])
    envoy = _open(contexts["Envoy"], links["Envoy"])
    desk.goto(links["facilitator"])
    # The desk says what it may see of the profiles, as chosen at creation (the default).
    expect(desk.locator("#profiles-note")).to_contain_text("hidden from you until the talks end")
    expect(desk.locator("#seats-body .connected")).to_have_text(["yes", "yes", "yes"])
    # Before a word is said, the mediator has a channel per principal and North knows its name.
    filters = "#talks-card .filters button"
    expect(envoy.locator(filters)).to_have_text(["Everything", "With North", "With South"])
    expect(north.locator(f"{filters}[data-filter=private]")).to_have_text("With Envoy")

    # Before the talks: North sees and edits its own profile; everyone says it is ready.
    expect(north.locator("#profile")).to_contain_text("North never cedes the berths")
    north.fill("input[name=reservation]", str(NORTH_RESERVATION))
    north.click("text=Save my profile")
    expect(north.locator(".save-status")).to_contain_text("Saved")
    _shot(north, "03-north-profile")
    for page in (north, south, envoy):
        page.click("#ready")
    expect(desk.locator("#status")).to_contain_text("in progress")

    # Round 1 opens with the invitation to confide; South closes its browser and comes back.
    _act(north, "confide")
    south.close()
    south = _open(contexts["South"], links["South"])
    expect(south.locator("#turn")).to_contain_text("invites South to confide")
    _act(south, "confide")

    # North builds its proposal: a red line is flagged, then the package's value is shown.
    north.select_option("select[name=berths]", "south")
    expect(north.locator(".warnings")).to_contain_text("North never cedes the berths")
    for issue, option in AGREEMENT.items():
        north.select_option(f"select[name={issue}]", option)
    expect(north.locator(".package-value")).to_have_text(f"{values['North']:.3f}")
    expect(north.locator(".warnings li")).to_have_count(0)
    north.fill("#turn textarea", NORTH_REMARK)
    _shot(north, "04-north-proposes")
    seen["North"].look(north)
    _act(north, "propose")

    # The server dies (kill -9) and comes back: every page reconnects by itself and finds the
    # talks where they were.
    server.kill()
    expect(envoy.locator("#connection")).to_contain_text("reconnecting")
    server.start()
    for page in (north, south, envoy, desk):
        expect(page.locator("#connection")).to_have_text("Live")

    # The mediator sees North's channel, both confided profiles and the suggestions; it
    # carries the package on to South with a private word.
    envoy.click("#talks-card .filters button[data-filter=with-North]")
    expect(envoy.locator("#timeline")).to_contain_text(NORTH_REMARK)
    envoy.click("#confided-card summary")
    expect(envoy.locator("table.suggestions tbody tr").first).to_be_visible()
    expect(envoy.locator("svg.plot polyline.frontier")).to_have_count(1)
    # The mediator's builder shows the package's worth to each principal that confided.
    for issue, option in AGREEMENT.items():
        envoy.select_option(f"select[name={issue}]", option)
    for party, value in values.items():
        expect(envoy.locator(f".package-value[data-party={party}]")).to_have_text(f"{value:.3f}")
    envoy.fill("#turn textarea", ENVOY_REMARK)
    _shot(envoy, "05-envoy-relays")
    _act(envoy, "relay")

    # South sees the package with its own value of it, and accepts.
    expect(south.locator(".offer-value")).to_have_text(f"{values['South']:.3f}")
    south.click("#talks-card .filters button[data-filter=private]")
    expect(south.locator("#timeline")).to_contain_text(ENVOY_REMARK)
    seen["South"].look(south)
    _shot(south, "06-south-reviews-narrow")
    assert south.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _act(south, "accept")

    for page in (north, south, envoy, desk):
        expect(page.locator(".result")).to_contain_text("Agreement reached")
    for party, page in (("North", north), ("South", south)):
        expect(page.locator(".result")).to_contain_text(f"Worth to you: {values[party]:.3f}")
        seen[party].look(page)
        _shot(page, f"07-{party.lower()}-agreement")
    _shot(envoy, "07-envoy-agreement")
    expect(desk.locator(".result")).to_contain_text("Berths split evenly")  # labels, not ids
    _shot(desk, "08-facilitator")
    _check_transcript(desk, tmp_path)
    assert not errors, f"the pages raised errors: {errors}"
    return seen


def _check_privacy(seen: dict[str, Seen], marks: dict[str, Marks]) -> None:
    """Each delegation's browser got and showed its own secrets and none of the other's."""
    remarks = {"North": NORTH_REMARK, "South": ENVOY_REMARK}  # each one's private channel
    for party, other in (("North", "South"), ("South", "North")):
        shown = "\n".join(seen[party].shown)
        got = "\n".join(seen[party].data) + shown
        assert seen[party].data, f"nothing was recorded for {party}"
        # Positive controls: the same search finds this party's own secrets.
        assert _found(marks[party].printed, shown), f"{party}'s page shows its own profile"
        assert _found(marks[party].carried, got), f"{party}'s browser got its own profile"
        assert remarks[party] in got, f"{party} sees its own private channel"
        leaked = _found(marks[other].printed, shown) | _found(marks[other].carried, got)
        assert not leaked, f"{party}'s browser got {other}'s profile: {sorted(leaked)}"
        assert remarks[other] not in got, f"{party}'s browser got {other}'s private message"


def _found(marks: frozenset[str], text: str) -> frozenset[str]:
    return frozenset(m for m in marks if m in text)


def _views(text: str) -> list[dict[str, Any]]:
    """The seat views in one recorded body or WebSocket frame (anything else is skipped)."""
    try:
        body = json.loads(text)
    except ValueError:
        return []
    if isinstance(body, dict) and body.get("type") == "view":
        body = body.get("view")
    if isinstance(body, dict) and "party" in body and "agenda" in body:
        return [body]
    return []


def _replayed_download(desk: Page, path: Path) -> tuple[Recording, Session]:
    """The facilitator's JSONL download, saved at ``path``, and the session it replays to."""
    with desk.expect_download() as download:
        desk.click("#download-jsonl")
    download.value.save_as(str(path))
    recording = read(path)
    session, _ = resume(recording.scenario, recording.settings, recording.seed, recording.messages)
    return recording, session


def _check_transcript(desk: Page, tmp_path: Path) -> None:
    """The facilitator's JSONL download replays to the agreement reached in the browsers."""
    recording, session = _replayed_download(desk, tmp_path / "talks.jsonl")
    agreement = session.result().agreement
    assert agreement is not None
    assert recording.scenario.space.to_values(agreement) == AGREEMENT
    desk.click("#download-text")
    expect(desk.locator("#record")).to_contain_text(NORTH_REMARK)
