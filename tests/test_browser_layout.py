"""The room's pages fit a screen, in English, Chinese and a right-to-left pseudo-locale.

A Muscat session (shuttle talks, every principal confides, people at Iran, the United States
and Oman) is played over the API for a few turns, so each page has a record, positions and a
chart. Then each page is opened in a browser at 1280 and 390 px and the test checks what a
person relies on: no sideways scrolling; no option label cut in the profile editor; the chart's
labels never printed over each other; a delegation's turn and the package before it on the
first screen; the mediator's positions side by side; the record shows each message once; the
comparison of two packages says issue by issue what changed; the turn sound is off until
switched on, then plays when the turn arrives; in Chinese no English string of the catalog is
left on the page and Muscat's own words are in Chinese; in the pseudo-RTL locale the page runs
right to left without overflow or overlapping cards. Page heights are written to
``test-artifacts/browser/layout-heights.json``; screenshots to ``test-artifacts/browser/``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright

from tests.server_helpers import (
    TestClient,
    answer,
    bearer,
    create,
    live_server,
    new_app,
    tokens_of,
)
from tests.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, NARROW, WIDE, _require_chromium

STATIC = Path(__file__).resolve().parent.parent / "src" / "parley" / "server" / "static"
EN = json.loads((STATIC / "i18n" / "en.json").read_text(encoding="utf-8"))
PEOPLE = ("Iran", "United States", "Oman")
HEIGHTS: dict[str, int] = {}

NO_SIDEWAYS = "document.documentElement.scrollWidth <= window.innerWidth"
CLIPPED_LABELS = """() => [...document.querySelectorAll(
  '.option-values label, .builder-grid label, .checks label, .issue-values legend')]
  .filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent)"""
# Every text of the chart as a box; the pairs whose boxes meet.
MEET = """const meet = (boxes, m) => {
  const out = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, p] = boxes[i];
    const [b, q] = boxes[j];
    const x = p.left < q.right - m && q.left < p.right - m;
    if (p.width && q.width && x && p.top < q.bottom - m && q.top < p.bottom - m) out.push([a, b]);
  }
  return out;
};"""
CHART_OVERLAPS = f"""() => {{ {MEET}
  const texts = [...document.querySelectorAll('svg.plot text')];
  return meet(texts.map((t) => [t.textContent, t.getBoundingClientRect()]), 0);
}}"""
CARDS_OVERLAP = f"""() => {{ {MEET}
  const cards = [...document.querySelectorAll('#room > :not(.room-grid), .room-grid > .stack > *')]
    .filter((c) => c.offsetParent !== null);
  return meet(cards.map((c) => [c.id || c.className, c.getBoundingClientRect()]), 1);
}}"""


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A Muscat session a few turns in, and one waiting to start, on a live server."""
    _require_chromium()
    app = new_app(tmp_path_factory.mktemp("layout"))
    seats = {party: {"kind": "person"} for party in PEOPLE}
    with TestClient(app) as client, live_server(app) as base:
        waiting = create(client, protocol="shuttle", confide=True, seats=seats)
        running = create(client, protocol="shuttle", confide=True, seats=seats)
        sid, desk = running["id"], running["facilitator"]["token"]
        tokens = tokens_of(running)
        assert client.post(f"/api/sessions/{sid}/start", headers=bearer(desk)).status_code == 200
        _play_until_the_mediator_holds_two_positions(client, sid, tokens)
        yield {
            "base": base,
            "client": client,
            "sid": sid,
            "tokens": tokens,
            "desk": f"{base}/facilitate/{sid}#token={desk}",
            "waiting": f"{base}/room/{waiting['id']}#token={tokens_of(waiting)['Iran']}",
        }


def _play_until_the_mediator_holds_two_positions(
    client: TestClient, sid: str, tokens: dict[str, str]
) -> None:
    """Seats answer (never accepting) until the principals have put four packages forward and
    it is Oman's turn: positions, a chart with offers, a record to read."""
    for _ in range(60):
        for token in tokens.values():
            oman = client.get(f"/api/sessions/{sid}/view", headers=bearer(tokens["Oman"])).json()
            stood = [m for m in oman["messages"] if m["sender"] != "Oman" and m["package"]]
            if oman["pending"] and len(stood) >= 4 and oman["confided"]:
                return
            view = client.get(f"/api/sessions/{sid}/view", headers=bearer(token)).json()
            body = _answer(view)
            if body is not None:
                response = client.post(
                    f"/api/sessions/{sid}/actions", json=body, headers=bearer(token)
                )
                assert response.status_code == 200, response.text
    pytest.fail("the talks never reached a turn of Oman's with two positions on record")


def _answer(view: dict[str, Any]) -> dict[str, Any] | None:
    """Keep the talks going without ending them: confide, carry on, listen, or put the seat's
    own best package forward (never accept, adjourn or walk away)."""
    pending = view["pending"]
    if pending is None:
        return None
    turn, allowed = pending["turn"], pending["allowed"]
    for kind in ("confide", "relay", "pass"):
        if kind in allowed:
            return {"turn": turn, "kind": kind}
    for kind in ("propose", "counter"):
        if kind in allowed:
            body = answer(view)
            assert body is not None
            return {**body, "kind": kind}
    return {"turn": turn, "kind": "reject"} if "reject" in allowed else None


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "layout-heights.json").write_text(json.dumps(HEIGHTS, indent=1, sort_keys=True))


def _viewport(size: dict[str, int]) -> ViewportSize:
    return {"width": size["width"], "height": size["height"]}


def _page(browser: Browser, link: str, size: dict[str, int]) -> Page:
    page = browser.new_context(viewport=_viewport(size)).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(link)
    expect(page.locator("#main")).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.set_default_timeout(15_000)
    assert not errors, errors
    return page


def _seat(room: dict[str, Any], party: str, lang: str | None = None) -> str:
    query = f"?lang={lang}" if lang else ""
    return f"{room['base']}/room/{room['sid']}{query}#token={room['tokens'][party]}"


def _fits(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"layout-{name}.png"), full_page=True)
    HEIGHTS[name] = int(page.evaluate("document.documentElement.scrollHeight"))
    assert page.evaluate(NO_SIDEWAYS), f"{name} scrolls sideways"
    assert page.evaluate(CLIPPED_LABELS) == [], f"{name} cuts labels"
    assert page.evaluate(CHART_OVERLAPS) == [], f"{name}: chart labels overlap"


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["1280", "390"])
def test_every_page_fits_without_sideways_scroll_or_cut_labels(
    room: dict[str, Any], browser: Browser, size: dict[str, int]
) -> None:
    width = size["width"]
    start = _page(browser, f"{room['base']}/", size)
    expect(start.locator("#builtin option").first).to_be_attached()
    _fits(start, f"start-{width}")
    waiting = _page(browser, room["waiting"], size)
    expect(waiting.locator(".option-values label").first).to_be_visible()
    _fits(waiting, f"delegation-waiting-{width}")
    # The option labels are whole in the editor ("A1: Up to 60% (pre-June-2025 status quo)").
    expect(waiting.locator(".option-values label").first).to_contain_text(
        "pre-June-2025 status quo"
    )
    desk = _page(browser, room["desk"], size)
    _fits(desk, f"desk-{width}")
    for party in PEOPLE:
        page = _page(browser, _seat(room, party), size)
        expect(page.locator("#turn-head")).to_be_visible()
        _fits(page, f"{party.replace(' ', '-').lower()}-{width}")


def test_a_delegation_sees_its_turn_and_the_package_before_it_on_the_first_screen(
    room: dict[str, Any], browser: Browser
) -> None:
    client, sid, tokens = room["client"], room["sid"], room["tokens"]
    views = {
        p: client.get(f"/api/sessions/{sid}/view", headers=bearer(tokens[p])).json() for p in PEOPLE
    }
    # Oman has the turn; give each delegation the first screen it has while waiting.
    for party in ("Iran", "United States"):
        page = _page(browser, _seat(room, party), WIDE)
        top = page.locator("#turn").bounding_box()
        assert top is not None
        assert top["y"] < WIDE["height"] / 3
        # Every message once: the record is the only list of messages on the page.
        seqs = page.eval_on_selector_all("li.msg", "(items) => items.map((i) => i.dataset.seq)")
        assert len(seqs) == len(set(seqs)) == len(views[party]["messages"])
    oman = _page(browser, _seat(room, "Oman"), WIDE)
    offer = oman.locator("#turn dl.package")
    expect(offer).to_be_visible()
    box = offer.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= WIDE["height"], "the package is below the fold"


def test_the_mediator_sees_both_positions_side_by_side_and_a_chart_that_reads(
    room: dict[str, Any], browser: Browser
) -> None:
    page = _page(browser, _seat(room, "Oman"), WIDE)
    heads = page.locator("table.positions thead th")
    expect(heads.nth(1)).to_contain_text("Iran")
    expect(heads.nth(2)).to_contain_text("United States")
    expect(page.locator("table.positions tbody tr")).to_have_count(9)  # Muscat's nine issues
    # The chart: the frontier, the reservation lines of both sides, each side's latest package.
    expect(page.locator("svg.plot polyline.frontier")).to_have_count(1)
    expect(page.locator("svg.plot line.reservation")).to_have_count(2)
    expect(page.locator("svg.plot .offer")).to_have_count(2)
    expect(page.locator("svg.plot text.offer-label")).to_have_count(2)
    width = page.locator("svg.plot").bounding_box()
    assert width is not None
    assert width["width"] >= 480  # as large as its column allows
    assert page.evaluate(CHART_OVERLAPS) == []
    narrow = _page(browser, _seat(room, "Oman"), NARROW)
    assert narrow.evaluate(CHART_OVERLAPS) == []
    assert narrow.evaluate(NO_SIDEWAYS)


def test_two_packages_compare_issue_by_issue(room: dict[str, Any], browser: Browser) -> None:
    client, sid, tokens = room["client"], room["sid"], room["tokens"]
    view = client.get(f"/api/sessions/{sid}/view", headers=bearer(tokens["Oman"])).json()
    packages = [m for m in view["messages"] if m["package"]]
    first, second = packages[0], packages[-1]
    differ = {k for k in first["package"] if first["package"][k] != second["package"][k]}
    page = _page(browser, _seat(room, "Oman"), WIDE)
    page.click("#compare summary")
    page.select_option("#compare select.compare-a", str(first["seq"]))
    page.select_option("#compare select.compare-b", str(second["seq"]))
    changed = page.eval_on_selector_all(
        "#compare tr.changed", "(rows) => rows.map((r) => r.dataset.issue)"
    )
    assert set(changed) == differ
    expect(page.locator("#compare caption")).to_have_text(f"{len(differ)} of 9 issues differ")


def test_the_turn_sound_is_off_until_switched_on_then_plays_when_the_turn_arrives(
    room: dict[str, Any], browser: Browser
) -> None:
    context = browser.new_context(viewport=_viewport(WIDE))
    # Count the tones the page starts (Web Audio oscillators), without a speaker.
    context.add_init_script(
        "window.tones = 0; const Start = OscillatorNode.prototype.start;"
        "OscillatorNode.prototype.start = function (...a) {"
        " window.tones += 1; return Start.apply(this, a); };"
    )
    page = context.new_page()
    page.goto(_seat(room, "Iran"))
    expect(page.locator("#sound")).not_to_be_checked()
    page.check("#sound")  # the switch plays a sample
    assert page.evaluate("window.tones") == 2
    page.reload()
    expect(page.locator("#sound")).to_be_checked()  # remembered for this page
    client, sid, tokens = room["client"], room["sid"], room["tokens"]
    before = page.evaluate("window.tones")
    for _ in range(12):  # the others answer until the turn reaches Iran
        asked = {
            party: client.get(f"/api/sessions/{sid}/view", headers=bearer(tokens[party])).json()
            for party in PEOPLE
        }
        if asked["Iran"]["pending"]:
            break
        for party in ("Oman", "United States"):
            body = _answer(asked[party])
            if body is not None:
                headers = bearer(tokens[party])
                client.post(f"/api/sessions/{sid}/actions", json=body, headers=headers)
    expect(page.locator("#turn-head")).to_have_text("Your turn")
    expect(page).to_have_title(re.compile("^Your turn"))
    page.wait_for_function(f"window.tones > {before}")
    context.close()


# The catalog's English, each piece between placeholders long enough to be telling ("'s
# reservation" is left out: the engine's own messages, English for now, say it).
ENGLISH_WORDS = sorted(
    {
        piece.strip(" :·.()→")
        for text in EN.values()
        for piece in re.split(r"\{\w+\}", text)
        if len(piece.strip(" :·.()→")) > 8 and not piece.startswith("'s")
    }
)


@pytest.mark.parametrize("party", ["Iran", "Oman"])
def test_in_chinese_no_catalog_english_is_left_and_muscat_speaks_chinese(
    room: dict[str, Any], browser: Browser, party: str
) -> None:
    for size in (WIDE, NARROW):
        page = _page(browser, _seat(room, party, "zh"), size)
        assert page.evaluate("document.documentElement.lang") == "zh-Hans"
        expect(page.locator("#turn-head")).to_be_visible()
        _fits(page, f"{party.lower()}-zh-{size['width']}")
        text = page.locator("#room").inner_text()
        left = [words for words in ENGLISH_WORDS if words and words in text]
        assert left == [], f"untranslated: {left[:5]}"
        assert "伊朗" in page.locator("#who").inner_text() + text
        assert "境内铀浓缩" in text  # issue A in the report's terms


@pytest.mark.parametrize("party", ["Iran", "Oman"])
def test_the_pages_run_right_to_left_without_overflow_or_overlap(
    room: dict[str, Any], browser: Browser, party: str
) -> None:
    for size in (WIDE, NARROW):
        page = _page(browser, _seat(room, party, "qps-rtl"), size)
        assert page.evaluate("document.documentElement.dir") == "rtl"
        expect(page.locator("#turn-head")).to_contain_text("⟦")
        _fits(page, f"{party.lower()}-rtl-{size['width']}")
        assert page.evaluate(CARDS_OVERLAP) == []
        # Right to left: the first card of the turn's column starts at the right.
        turn = page.locator("#turn").bounding_box()
        assert turn is not None
        assert turn["x"] + turn["width"] >= size["width"] - 40
