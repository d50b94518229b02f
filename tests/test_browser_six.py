"""Every seat of the Muscat talks held by a person: six browsers (and the adviser) to the end.

A facilitator creates a shuttle session of the built-in ``muscat-2026`` on the start page with a
person at every seat: the two principals (Iran, the United States) and the mediator's delegation
(Oman), the six-state group (third party), Israel (spoiler) and Iran's technical team (adviser,
inside Iran's delegation). The facilitator and the three delegations, the third party and the
spoiler each have a browser context of their own (six); the adviser has a seventh.

The talks, as the engine asks them: at the opening of round 1 the six-state group tables its
non-aggression framework on the regional issues (H, I: the items of the scenario's Nash package)
in public (meanwhile Iran's technical team writes to Iran out of turn); the team advises Iran on
it, privately; Iran and the United States endorse
it, so its items bind the agreement; Israel, watching what is public, threatens. In the opening
caucuses Iran proposes the Nash package and the United States its own best package within the
bound items. In round 2 the six-state group and Israel hold off, Oman carries Iran's package to
the United States (phase 1 of the day), which accepts: agreement. The seed is the first for which
the scenario's random outside events let these moves run as planned (the engine says so).

Each browser's recorded API bodies and WebSocket frames are checked against the isolation rule:
the spoiler received only public messages, the third party only public ones and those addressed
to it, each delegation (the adviser within Iran's) only its own; no one got another's private
words or another principal's profile. Screenshots of the third party, the spoiler and the adviser
at 1280 and 390 px go to ``test-artifacts/browser/six-*.png``; none scrolls sideways at 390 px.
Without /usr/bin/chromium: skipped locally, failed in CI.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from parley.analysis import analyze
from parley.engine import Session, Settings
from parley.engine.messages import Action, Kind
from parley.scenario import Scenario, builtin, load
from parley.strategies.index import best_completion
from tests.test_browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    NARROW,
    WAIT_MS,
    WIDE,
    Seen,
    Server,
    _act,
    _marks,
    _replayed_download,
    _require_chromium,
    _seat_links,
    _views,
    _watched,
    serving,
)

IRAN, US, OMAN = "Iran", "United States", "Oman"
SIX, ISRAEL, TEAM = "Six-state group", "Israel", "Iran's technical team"
SEATS = (IRAN, US, OMAN, SIX, ISRAEL, TEAM)
COVERS = ("H", "I")
FRAMEWORK_TEXT = "Non-aggression pact, regional issues only"
ADVICE = "Team to Iran only: endorse, the pact leaves enrichment open"
IRAN_REMARK = "Iran to Oman only: the pause is our last step"
OMAN_REMARK = "Oman to the US only: Tehran moved first"
THREAT = "Israel will not be bound by a pact it did not sign"
TEAM_NOTE = "Team to Iran, out of turn: watch the wording on I"
SEEDS = range(200)


@dataclass(frozen=True)
class Plan:
    """The package Iran proposes (the Nash package), the US's opening one, and the seed."""

    nash: dict[str, str]
    us_opening: dict[str, str]
    seed: int


@pytest.fixture(scope="module")
def six_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    _require_chromium()
    with serving(tmp_path_factory.mktemp("six-room")) as running:
        yield running


# -- the plan, from Parley's own analysis and engine -----------------------------------------------


def _moves(nash: tuple[int, ...], us: tuple[int, ...]) -> list[tuple[str, Action]]:
    framework = Action(Kind.FRAMEWORK, nash, FRAMEWORK_TEXT, data={"covers": ",".join(COVERS)})
    return [
        (SIX, framework),
        (TEAM, Action(Kind.ADVISE, text=ADVICE)),
        (IRAN, Action(Kind.ENDORSE)),
        (US, Action(Kind.ENDORSE)),
        (ISRAEL, Action(Kind.THREATEN, text=THREAT)),
        (IRAN, Action(Kind.PROPOSE, nash)),
        (US, Action(Kind.PROPOSE, us)),
        (SIX, Action(Kind.PASS)),
        (ISRAEL, Action(Kind.PASS)),
        (OMAN, Action(Kind.RELAY)),
        (US, Action(Kind.ACCEPT)),
    ]


def _plan(scenario: Scenario) -> Plan:
    """The first seed for which the moves above run as the engine asks them and end in the
    Nash package agreed (no random outside event cancels the talks or reorders the turns)."""
    nash = analyze(scenario).nash
    assert nash is not None, "muscat-2026 has a zone of possible agreement"
    columns = [scenario.space.position(issue) for issue in COVERS]
    bound = {c: nash.outcome[c] for c in columns}
    us = best_completion(scenario.space, scenario.preferences_of(US), bound)
    assert us is not None
    assert us != nash.outcome
    settings = dataclasses.replace(
        Settings.from_scenario(scenario, protocol="shuttle"), people=SEATS
    )
    for seed in SEEDS:
        session = Session(scenario, settings, seed)
        for party, action in _moves(nash.outcome, us):
            ask = session.pending
            if ask is None or ask.party != party or action.kind not in ask.allowed:
                break
            session.submit(party, action)
        else:
            if session.result().agreement == nash.outcome:
                values = scenario.space.to_values
                return Plan(_text(values(nash.outcome)), _text(values(us)), seed)
    pytest.fail(f"no seed in {SEEDS} lets the planned talks run to agreement")


def _text(package: dict[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in package.items()}


# -- the test --------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_six_browsers_every_seat_a_person_run_muscat_to_its_end(
    six_server: Server, tmp_path: Path, lang: str
) -> None:
    """The same session in English, and in Chinese (every seat's page asked with ?lang=zh)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    expect.set_options(timeout=WAIT_MS)
    scenario = load("muscat-2026")
    plan = _plan(scenario)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            seen = _play(browser, six_server, plan, tmp_path, lang)
        finally:
            browser.close()
    _check_isolation(seen)
    _check_private_words(seen)
    _check_profiles(scenario, plan, seen)


def _play(
    browser: Browser, server: Server, plan: Plan, tmp_path: Path, lang: str
) -> dict[str, Seen]:
    """The talks, driven through the pages in ``lang``; returns what each seat's browser
    received."""
    errors: list[str] = []
    desk = _watched(browser.new_context(viewport=WIDE).new_page(), errors)
    links = _create_session(desk, server.operator_address, plan.seed)
    assert set(links) == {"facilitator", *SEATS}
    # The delegations read in ``lang``; the facilitator keeps English (a choice per seat).
    links = {
        s: link if s == "facilitator" else _in_language(link, lang) for s, link in links.items()
    }
    name = _names(lang)

    seen = {party: Seen() for party in SEATS}
    contexts: dict[str, BrowserContext] = {}
    for party in SEATS:
        contexts[party] = browser.new_context(viewport=NARROW if party == US else WIDE)
        seen[party].watch(contexts[party])
        contexts[party].on("page", lambda page: _watched(page, errors))
    pages = {party: _open_seat(contexts[party], links[party]) for party in SEATS}
    for page in pages.values():
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hans" if lang == "zh" else "en")
    iran, us, oman = pages[IRAN], pages[US], pages[OMAN]
    six, israel, team = pages[SIX], pages[ISRAEL], pages[TEAM]
    desk.goto(links["facilitator"])
    expect(desk.locator("#seats-body .connected")).to_have_text(["yes"] * len(SEATS))

    for page in pages.values():
        page.click("#ready")

    # Round 1 opens: the six-state group builds its framework, covering H and I, and tables it.
    expect(six.locator("#turn button[data-kind=framework]")).to_be_visible()
    # Meanwhile, out of turn, Iran's technical team writes to Iran (its delegation alone).
    team.fill("#advice-note-text", TEAM_NOTE)
    team.click("#advice-note-send")
    expect(iran.locator("#room")).to_contain_text(TEAM_NOTE)
    expect(team.locator("#channel")).to_contain_text(TEAM_NOTE)
    shot = "six" if lang == "en" else f"six-{lang}"
    _shots(six, f"{shot}-01-third-party-turn")
    for issue, option in plan.nash.items():
        six.select_option(f"#framework select[name={issue}]", option)
    for issue in COVERS:
        six.check(f"#covers input[value={issue}]")
    six.fill("#turn textarea", FRAMEWORK_TEXT)
    _act(six, "framework")

    # Iran's technical team sees the framework before Iran answers, and advises it privately.
    expect(team.locator("#turn")).to_contain_text(name[SIX])
    expect(team.locator("#turn .covers-note")).to_be_visible()
    team.fill("#turn textarea", ADVICE)
    _shots(team, f"{shot}-02-adviser-turn")
    _act(team, "advise")

    # Iran reads the advice in its delegation's record, sees what the framework covers, endorses.
    expect(iran.locator("#room")).to_contain_text(ADVICE)
    expect(iran.locator("#turn .covers-note")).to_be_visible()
    expect(iran.locator("#turn button[data-kind=decline]")).to_be_visible()
    iran.screenshot(
        path=str(ARTIFACTS / f"{shot}-02-iran-asked-to-endorse-1280.png"), full_page=True
    )
    _act(iran, "endorse")
    expect(six.locator(f"#endorsements tr[data-party='{IRAN}'] .answer.endorsed")).to_be_visible()
    _act(us, "endorse")
    expect(six.locator(f"#endorsements tr[data-party='{US}'] .answer.endorsed")).to_be_visible()
    expect(six.locator("#endorsements .framework-record.bound")).to_have_count(1)
    _shots(six, f"{shot}-03-third-party-endorsed")

    # Israel sees what is public (the framework, the binding) and the US request to hold off.
    expect(israel.locator("#timeline")).to_contain_text(FRAMEWORK_TEXT)
    expect(israel.locator("#restraints li.msg")).not_to_have_count(0)
    israel.fill("#turn textarea", THREAT)
    _shots(israel, f"{shot}-04-spoiler-turn")
    _act(israel, "threaten")
    for page in (iran, us, oman, six):  # a spoiler's move is public
        expect(page.locator("#room")).to_contain_text(THREAT)

    # The opening caucuses: Iran proposes the Nash package, the US its best within H and I.
    _propose(iran, plan.nash, IRAN_REMARK)
    _propose(us, plan.us_opening, None)

    # Round 2: the outside seats hold off; Oman carries Iran's package on; the US accepts.
    _act(six, "pass")
    _act(israel, "pass")
    expect(oman.locator("#room")).to_contain_text(IRAN_REMARK)
    oman.fill("#turn textarea", OMAN_REMARK)
    _act(oman, "relay")
    expect(us.locator("#room")).to_contain_text(OMAN_REMARK)
    _act(us, "accept")

    for page in (desk, *pages.values()):
        expect(page.locator(".result.agreed")).to_be_visible()
    expect(team.locator("#channel")).to_contain_text(IRAN_REMARK)  # its delegation's channel
    for party, role in ((SIX, "third-party"), (ISRAEL, "spoiler"), (TEAM, "adviser")):
        _shots(pages[party], f"{shot}-05-{role}-end")
    _check_transcript(desk, plan, tmp_path)
    assert not errors, f"the pages raised errors: {errors}"
    return seen


def _in_language(link: str, lang: str) -> str:
    """The seat's link asking for its page in ``lang`` (``?lang=`` before the token)."""
    if lang == "en":
        return link
    address, hash_, token = link.partition("#")
    joiner = "&" if "?" in address else "?"
    return f"{address}{joiner}lang={lang}{hash_}{token}"


def _names(lang: str) -> dict[str, str]:
    """How the pages name each seat in ``lang``: the scenario file's own labels."""
    with (Path(builtin.__file__).parent / "muscat-2026.toml").open("rb") as file:
        parties = tomllib.load(file)["parties"]
    return {
        p["name"]: (p.get("labels") or {}).get(lang, p["name"]) if lang != "en" else p["name"]
        for p in parties
    }


def _open_seat(context: BrowserContext, link: str) -> Page:
    """The seat's page, once its live connection is up (read from the page's state, not its
    words, which are the seat's language's)."""
    page = context.new_page()
    page.goto(link)
    expect(page.locator("#connection[data-state=live]")).to_be_attached()
    assert link.partition("#token=")[2] not in page.url  # the token left the address bar
    return page


def _propose(page: Page, package: dict[str, str], remark: str | None) -> None:
    expect(page.locator("#turn button[data-kind=propose]")).to_be_visible()
    for issue, option in package.items():
        page.select_option(f"select[name={issue}]", option)
    expect(page.locator(".warnings li")).to_have_count(0)
    if remark:
        page.fill("#turn textarea", remark)
    _act(page, "propose")


def _shots(page: Page, name: str) -> None:
    """The page at 1280 px and at 390 px (where it must not scroll sideways), then as it was."""
    size = page.viewport_size
    for width, viewport in (("1280", WIDE), ("390", NARROW)):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        if viewport is NARROW:
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
                f"{name} scrolls sideways at 390 px"
            )
    if size is not None:
        page.set_viewport_size(size)


def _create_session(desk: Page, address: str, seed: int) -> dict[str, str]:
    """The facilitator picks muscat-2026 and shuttle talks and seats a person everywhere."""
    desk.goto(address)
    expect(desk.locator("#builtin option").first).to_be_attached()
    desk.check("#source-builtin")
    desk.select_option("#builtin", "muscat-2026")
    desk.select_option("#protocol", "shuttle")
    # An outside seat offers the scenario's own strategy, parameters and all (or a person).
    own = desk.locator(f'#seats-body select[data-party="{SIX}"] option[value="__scenario__"]')
    expect(own).to_contain_text("covers=H+I")
    for party in SEATS:
        desk.select_option(f'#seats-body select[data-party="{party}"]', "__person__")
    desk.click("details summary")
    desk.fill("#seed", str(seed))
    desk.click("#create")
    expect(desk.locator("#links input.link")).to_have_count(len(SEATS) + 1)
    return _seat_links(desk)


def _check_transcript(desk: Page, plan: Plan, tmp_path: Path) -> None:
    """The facilitator's JSONL replays to the same agreement, every seat's answer included."""
    recording, session = _replayed_download(desk, tmp_path / "six.jsonl")
    agreement = session.result().agreement
    assert agreement is not None
    assert _text(recording.scenario.space.to_values(agreement)) == plan.nash
    kinds = {m.kind for m in recording.messages}
    assert {Kind.FRAMEWORK, Kind.ADVISE, Kind.ENDORSE, Kind.THREATEN} <= kinds


# -- privacy ---------------------------------------------------------------------------------------

DELEGATIONS = {IRAN: {IRAN, TEAM}, TEAM: {IRAN, TEAM}, US: {US}, OMAN: {OMAN}, SIX: {SIX}}


def _visible(message: dict[str, Any], party: str) -> bool:
    """The isolation rule: public, or sent by or to the seat's delegation (an adviser sits in
    its principal's). A spoiler's delegation is empty: it may see public messages only."""
    if message["public"]:
        return True
    delegation = DELEGATIONS.get(party, set())
    return message["sender"] in delegation or bool(delegation & set(message["to"]))


def _check_isolation(seen: dict[str, Seen]) -> None:
    """Every message in every view each browser received was one its seat may see, its profile
    its own, and only the mediator's view carries confidences."""
    for party, watcher in seen.items():
        views = [v for text in watcher.data for v in _views(text)]
        assert views, f"{party}'s browser received no view"
        for view in views:
            assert view["party"] == party
            hidden = [m["seq"] for m in view["messages"] if not _visible(m, party)]
            assert not hidden, f"{party}'s browser got messages {hidden} it may not see"
            if party != OMAN:
                for mediators_only in ("confided", "suggestions", "frontier"):
                    assert not view.get(mediators_only), f"{party}'s view holds {mediators_only}"
        if party == ISRAEL:
            assert all(m["public"] for v in views for m in v["messages"])


def _check_private_words(seen: dict[str, Seen]) -> None:
    """Private words reached their audience and no one else's browser."""
    audience = {
        ADVICE: {IRAN, TEAM},
        TEAM_NOTE: {IRAN, TEAM},
        IRAN_REMARK: {IRAN, TEAM, OMAN},
        OMAN_REMARK: {US, OMAN},
    }
    for words, readers in audience.items():
        for party, watcher in seen.items():
            got = "\n".join(watcher.data)
            assert (words in got) == (party in readers), f"{party} and {words!r}"


def _check_profiles(scenario: Scenario, plan: Plan, seen: dict[str, Seen]) -> None:
    """No browser received a principal's profile but that principal's delegation: the numbers
    only that principal's profile holds (numbers are matched whole)."""
    marks = {
        p: _marks(scenario, p, scenario.preferences_of(p).reservation, plan.nash)
        for p in (IRAN, US)
    }
    others = {
        p: frozenset().union(
            *(
                _marks(scenario, q, 0.5, plan.nash).carried
                for q in SEATS
                if q not in (p, OMAN) and scenario.preferences_of(q) is not None
            )
        )
        for p in (IRAN, US)
    }
    for principal in (IRAN, US):
        distinctive = marks[principal].carried - others[principal]
        assert len(distinctive) >= 3, "too few distinctive marks to test"
        for party, watcher in seen.items():
            if party in DELEGATIONS.get(principal, {principal}):
                continue
            got = "\n".join(watcher.data)
            leaked = {m for m in distinctive if re.search(rf"(?<![\d.]){re.escape(m)}(?!\d)", got)}
            assert not leaked, f"{party}'s browser got {principal}'s profile: {sorted(leaked)}"

