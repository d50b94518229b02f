"""The Muscat talks in three browsers: Iran, the United States and Oman run muscat-2026 to a deal.

A facilitator creates a shuttle session of the built-in ``muscat-2026`` on the start page (people
at Iran, the United States and the mediator seat Oman; the six-state group and Israel act only
through the scenario's timeline). Each person gets ready in a browser context of their own (the
US delegation on a phone-sized screen). Iran builds the scenario's Nash package, as Parley's own
analysis finds it, and proposes it; Oman carries it on; the United States accepts. The seed is
found from the engine: the first one for which these moves end in agreement with a random
outside event firing first, so the pages also show the timeline at work. From everything each
delegation's browser received and showed, the test checks it never saw the other delegation's
profile or private word to Oman. The facilitator's transcript replays to the same agreement.

Reuses the server, recording and page helpers of ``tests/test_browser.py``. Screenshots go to
``test-artifacts/browser/muscat-*.png``. Without /usr/bin/chromium: skipped locally, failed in CI.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from parley.analysis import analyze
from parley.engine import Session, Settings
from parley.engine.messages import Action
from parley.scenario import Scenario, load
from parley.strategies.index import ranked
from tests.test_browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    NARROW,
    WAIT_MS,
    WIDE,
    Marks,
    Seen,
    Server,
    _act,
    _marks,
    _open,
    _replayed_download,
    _require_chromium,
    _seat_links,
    _utility,
    _views,
    _watched,
    serving,
)

IRAN, US, OMAN = "Iran", "United States", "Oman"
PEOPLE = (IRAN, US, OMAN)
IRAN_REMARK = "Iran to Oman only: the pause is as far as Tehran can go"
OMAN_REMARK = "Oman to the US only: Tehran moved first on enrichment"
SEEDS = range(200)


@dataclass(frozen=True)
class Plan:
    """The talks the test will run: the package, the seed, and what the engine says follows."""

    package: dict[str, str]
    seed: int
    events: tuple[str, ...]  # titles of the random outside events that fire before the deal
    reservations: dict[str, tuple[float, ...]]  # every reservation each principal held


@pytest.fixture(scope="module")
def muscat_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    _require_chromium()
    with serving(tmp_path_factory.mktemp("muscat-room")) as running:
        yield running


# -- the plan, from Parley's own analysis and engine -----------------------------------------------


def _settings(scenario: Scenario) -> Settings:
    """The settings the start page asks for: shuttle talks, every seat held by a person, the
    six-state group and Israel not seated."""
    settings = Settings.from_scenario(scenario, protocol="shuttle")
    # The room seats no third party or spoiler unless asked (the start page does not).
    seated = {p: s for p, s in settings.strategies.items() if p in PEOPLE}
    return dataclasses.replace(settings, strategies=seated, people=PEOPLE)


def _plan(scenario: Scenario) -> Plan:
    """The Nash package, and the first seed for which Iran proposing it, Oman carrying it on
    and the US accepting ends in agreement after a random outside event (none cancels)."""
    nash = analyze(scenario).nash
    assert nash is not None, "muscat-2026 has a zone of possible agreement"
    package = {k: str(v) for k, v in scenario.space.to_values(nash.outcome).items()}
    random_titles = {e.title for e in scenario.timeline if e.probability is not None}
    for seed in SEEDS:
        session = _run_plan(scenario, nash.outcome, seed)
        if session is None or session.result().ended != "agreement":
            continue
        fired = tuple(m.text for m in session.transcript if m.text in random_titles)
        if fired:
            reservations = {p: _held(session, p) for p in session.principals}
            return Plan(package, seed, fired, reservations)
    pytest.fail(f"no seed in {SEEDS} lets the planned talks reach agreement after a random event")


def _held(session: Session, party: str) -> tuple[float, ...]:
    """Every reservation value ``party`` held in the talks (events move it; it is told)."""
    moves = [m.data for m in session.transcript if m.data.get("effect") == "reservation"]
    held = {float(d["to"]) for d in moves if d["party"] == party}
    held |= {float(d["from"]) for d in moves if d["party"] == party}
    return tuple(sorted(held | {session.reservation(party)}))


def _us_best(scenario: Scenario) -> tuple[int, ...]:
    """The US delegation's own best package, which it puts forward in its opening caucus."""
    return ranked(scenario.space, scenario.preferences_of(US)).outcome(0)


def _run_plan(scenario: Scenario, outcome: tuple[int, ...], seed: int) -> Session | None:
    """The scripted day: opening caucuses (Iran proposes the plan, the US its own best), then
    phase 1, in which Oman carries Iran's proposal to the US, who accepts it."""
    session = Session(scenario, _settings(scenario), seed)
    moves = [
        (IRAN, Action("propose", outcome)),
        (US, Action("propose", _us_best(scenario))),
        (OMAN, Action("relay")),
        (US, Action("accept")),
    ]
    for party, action in moves:
        ask = session.pending
        if ask is None or ask.party != party or action.kind not in ask.allowed:
            return None  # an outside event ended the talks, or the protocol asks otherwise
        session.submit(party, action)
    return session


# -- the test --------------------------------------------------------------------------------------


def test_iran_us_and_oman_reach_agreement_in_three_browsers(
    muscat_server: Server, tmp_path: Path
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    expect.set_options(timeout=WAIT_MS)
    scenario = load("muscat-2026")
    plan = _plan(scenario)
    values = {p: _utility(scenario, p, plan.package) for p in (IRAN, US)}
    marks = {p: _marks(scenario, p, plan.reservations[p], plan.package) for p in (IRAN, US)}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            seen = _play(browser, muscat_server, scenario, plan, tmp_path)
        finally:
            browser.close()
    _check_privacy(seen, marks, {IRAN: values[IRAN], US: values[US]})


def _play(
    browser: Browser, server: Server, scenario: Scenario, plan: Plan, tmp_path: Path
) -> dict[str, Seen]:
    """The talks, driven through the pages; returns what each delegation's browser saw."""
    values = {p: _utility(scenario, p, plan.package) for p in (IRAN, US)}
    errors: list[str] = []
    desk = _watched(browser.new_context(viewport=WIDE).new_page(), errors)
    links = _create_session(desk, server.operator_address, plan.seed)
    assert set(links) == {"facilitator", *PEOPLE}

    seen = {IRAN: Seen(), US: Seen()}
    contexts = {
        IRAN: browser.new_context(viewport=WIDE),
        US: browser.new_context(viewport=NARROW),
        OMAN: browser.new_context(viewport=WIDE),
    }
    for party, watcher in seen.items():
        watcher.watch(contexts[party])
    for context in contexts.values():
        context.on("page", lambda page: _watched(page, errors))
    iran, us, oman = (_open(contexts[p], links[p]) for p in PEOPLE)
    desk.goto(links["facilitator"])
    expect(desk.locator("#seats-body .connected")).to_have_text(["yes", "yes", "yes"])

    # Before the talks each delegation sees its own profile, red lines included; all get ready.
    expect(iran.locator("#profile")).to_contain_text("Zero enrichment")
    expect(us.locator("#profile")).to_contain_text("Open-ended enrichment on Iranian soil")
    seen[US].look(us)
    _shot(us, "03-us-profile-narrow")
    for page in (iran, us, oman):
        page.click("#ready")
    expect(desk.locator("#status")).to_contain_text("in progress")

    # Iran builds the Nash package: a red line is flagged on the way, then its value is shown.
    expect(iran.locator("#turn")).to_contain_text(f"{OMAN} asks {IRAN} for its proposal")
    iran.select_option("select[name=A]", "A7")
    expect(iran.locator(".warnings")).to_contain_text("Zero enrichment")
    for issue, option in plan.package.items():
        iran.select_option(f"select[name={issue}]", option)
    expect(iran.locator(".package-value")).to_have_text(f"{values[IRAN]:.3f}")
    for issue, label in _labels(scenario, plan.package).items():  # long labels: in full on hover
        expect(iran.locator(f"select[name={issue}]")).to_have_attribute(
            "title", re.compile(re.escape(label))
        )
    expect(iran.locator(".warnings li")).to_have_count(0)
    iran.fill("#turn textarea", IRAN_REMARK)
    seen[IRAN].look(iran)
    _shot(iran, "04-iran-proposes")
    _act(iran, "propose")

    # In its own opening caucus the US puts forward its best package.
    expect(us.locator("#turn")).to_contain_text(f"{OMAN} asks {US} for its proposal")
    for issue, option in scenario.space.to_values(_us_best(scenario)).items():
        us.select_option(f"select[name={issue}]", str(option))
    _act(us, "propose")

    # Phase 1: Oman sees Iran's word in Iran's channel and carries the package on, adding a word.
    oman.click(f"#talks-card .filters button[data-filter='with-{IRAN}']")
    expect(oman.locator("#timeline")).to_contain_text(IRAN_REMARK)
    oman.click("#talks-card .filters button[data-filter=all]")
    expect(oman.locator("#turn")).to_contain_text(f"carries {IRAN}'s position to {US}")
    oman.fill("#turn textarea", OMAN_REMARK)
    _shot(oman, "05-oman-carries")
    _act(oman, "relay")

    # The US sees the package with its own value of it, Oman's private word, and accepts.
    expect(us.locator(".offer-value")).to_have_text(f"{values[US]:.3f}")
    us.click("#talks-card .filters button[data-filter=private]")
    expect(us.locator("#timeline")).to_contain_text(OMAN_REMARK)
    us.click("#talks-card .filters button[data-filter=all]")  # back to the whole record
    seen[US].look(us)
    _shot(us, "06-us-reviews-narrow")
    assert us.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _act(us, "accept")

    for page in (iran, us, oman, desk):
        expect(page.locator(".result")).to_contain_text("Agreement reached")
    for page in (iran, us, oman):  # the outside events of the timeline are public
        for title in plan.events:
            expect(page.locator("#timeline")).to_contain_text(title)
    for party, page in ((IRAN, iran), (US, us)):
        expect(page.locator(".result")).to_contain_text(f"Worth to you: {values[party]:.3f}")
        seen[party].look(page)
        _shot(page, f"07-{'iran' if party == IRAN else 'us'}-agreement")
    _shot(oman, "07-oman-agreement")
    _shot(desk, "08-facilitator")
    _check_transcript(desk, plan, tmp_path)
    assert not errors, f"the pages raised errors: {errors}"
    return seen


def _labels(scenario: Scenario, package: dict[str, str]) -> dict[str, str]:
    """The scenario's label of each chosen option."""
    return {
        issue.id: next(o.label for o in issue.options if o.id == package[issue.id])
        for issue in scenario.doc.issues
    }


def _shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"muscat-{name}.png"), full_page=True)


def _create_session(desk: Page, address: str, seed: int) -> dict[str, str]:
    """The facilitator picks muscat-2026 and shuttle talks, a person at every seat, the seed."""
    desk.goto(address)  # the start page's address parley serve printed, with the operator's key
    expect(desk.locator("#builtin option").first).to_be_attached()
    desk.check("#source-builtin")
    desk.select_option("#builtin", "muscat-2026")
    desk.select_option("#protocol", "shuttle")
    for party in PEOPLE:  # a person by default
        seat = desk.locator(f'#seats-body select[data-party="{party}"]')
        expect(seat).to_have_value("__person__")
    for outsider in ("Six-state group", "Israel", "Iran's technical team"):  # seated only if chosen
        seat = desk.locator(f'#seats-body select[data-party="{outsider}"]')
        expect(seat).to_have_value("__absent__")
    desk.click("details summary")
    desk.fill("#seed", str(seed))
    _shot(desk, "01-start-page")
    desk.click("#create")
    expect(desk.locator("#links input.link")).to_have_count(4)
    _shot(desk, "02-links")
    return _seat_links(desk)


def _check_transcript(desk: Page, plan: Plan, tmp_path: Path) -> None:
    """The facilitator's JSONL download replays to the agreement reached in the browsers."""
    recording, session = _replayed_download(desk, tmp_path / "muscat.jsonl")
    assert recording.seed == plan.seed
    agreement = session.result().agreement
    assert agreement is not None
    assert recording.scenario.space.to_values(agreement) == plan.package


# -- privacy ---------------------------------------------------------------------------------------


def _check_privacy(
    seen: dict[str, Seen], marks: dict[str, Marks], values: dict[str, float]
) -> None:
    """Each delegation's browser got and showed its own secrets and none of the other's.

    The two Muscat profiles share many numbers (both use 0.4, 0.6, ...), so only the other
    side's *distinctive* numbers can betray a leak; numbers are matched whole (0.3 is not found
    in 0.35). Every view the browser received is also checked field by field.
    """
    remarks = {IRAN: IRAN_REMARK, US: OMAN_REMARK}  # each one's private channel with Oman
    for party, other in ((IRAN, US), (US, IRAN)):
        shown = "\n".join(seen[party].shown)
        got = "\n".join(seen[party].data) + shown
        assert seen[party].data, f"nothing was recorded for {party}"
        assert _found(marks[party].printed, shown), f"{party}'s page shows its own profile"
        assert _found(marks[party].carried, got), f"{party}'s browser got its own profile"
        assert remarks[party] in got, f"{party} sees its own private channel"
        printed = marks[other].printed - marks[party].printed
        carried = marks[other].carried - marks[party].carried
        assert len(printed) >= 5, "too few distinctive marks to test"
        assert len(carried) >= 5, "too few distinctive marks to test"
        leaked = _found(printed, shown) | _found(carried, got)
        assert not leaked, f"{party}'s browser got {other}'s profile: {sorted(leaked)}"
        assert remarks[other] not in got, f"{party}'s browser got {other}'s private message"
        _check_views(seen[party].data, party, values[party])


def _found(marks: frozenset[str], text: str) -> frozenset[str]:
    """The marks in ``text``; a number counts only whole, not inside a longer number."""
    return frozenset(m for m in marks if re.search(rf"(?<![\d.]){re.escape(m)}(?!\d)", text))


def _check_views(data: list[str], party: str, value: float) -> None:
    """Every view ``party``'s browser received is its own: its own profile, no confidences,
    no suggestions, and a result that gives its own utility only."""
    views = [v for text in data for v in _views(text)]
    assert views, f"{party}'s browser received no view"
    for view in views:
        assert view["party"] == party
        for mediators_only in ("confided", "suggestions", "frontier"):
            assert not view.get(mediators_only), f"{party}'s view holds {mediators_only}"
        result = view.get("result") or {}
        if result.get("utilities"):
            assert set(result["utilities"]) == {party}
            assert result["utilities"][party] == pytest.approx(value)

