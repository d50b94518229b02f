"""The ``hazard`` spoiler: its rule read off public messages, and its seeded strike rates.

The rates are checked against what the stated rule predicts (worked out here from the
scenario's own numbers by brute force), within three binomial standard errors.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.engine import Action, Kind, Settings
from parley.engine.messages import Message, Outcome
from parley.engine.view import View
from parley.errors import StrategyError
from parley.outcomes import DiscreteIssue, IntegerIssue, Option, OutcomeSpace, RealIssue
from parley.play import resume, run, start
from parley.preferences import LinearAdditive, Preferences, RedLine
from parley.scenario import Scenario, from_data
from parley.strategies.outsiders import Hazard, public_state
from tests.scenario_factory import random_scenario, xy_prefs
from tests.test_isolation import drive

ROUNDS = 10
N = 400
"""Seeds per arm: each arm plays ROUNDS rounds N times (well under a second)."""
BASE, GAIN = 0.02, 4.0
SPEC = f"hazard:base={BASE},gain={GAIN},warn=1"
"""warn=1: the hazard never reaches it here, so the spoiler never threatens instead."""
RESTRAIN = {"kind": "restrain", "party": "S", "by": "B", "title": "B asks S to hold off"}


def talks(
    *, near: bool, spoiler: str = SPEC, timeline: Sequence[Mapping[str, Any]] = ()
) -> Scenario:
    """Hardliners A and B agree on X from round 1 and never on Y; a briefing says so from
    round 2. ``near``: the X they agree on is the one S rates lowest (S's best package with
    it is below its reservation); otherwise the one S rates highest."""
    x = [1, 0.5, 0] if near else [0, 0.5, 1]
    issues = [
        {"id": i, "name": i, "options": [{"id": f"{i}{k}", "label": str(k)} for k in range(3)]}
        for i in ("X", "Y")
    ]
    parties = [
        {"name": "A", "role": "principal", "preferences": xy_prefs(x, [1, 0.5, 0], 0.2)},
        {"name": "B", "role": "principal", "preferences": xy_prefs(x, [0, 0.5, 1], 0.2)},
        {"name": "M", "role": "mediator"},
        {"name": "S", "role": "spoiler", "preferences": xy_prefs([0, 0.5, 1], [1, 1, 0], 0.8)},
    ]
    doc = {
        "name": "hazard",
        "title": "Hazard",
        "issues": issues,
        "parties": parties,
        "protocol": {
            "kind": "shuttle",
            "rounds": ROUNDS,
            "mediator_strategy": "relay",
            "default_strategy": "hardliner",
            "briefings": True,
            "strategies": {"S": spoiler},
        },
        "timeline": list(timeline),
    }
    return from_data(doc, "hazard")


# -- an oracle for the rule, by brute force over the agenda ----------------------------------


def packages(sizes: Sequence[int]) -> list[Outcome]:
    return list(itertools.product(*(range(n) for n in sizes)))


def oracle_shortfall(p: Preferences, items: Mapping[int, int], reservation: float) -> float:
    allowed = [o for o in packages(p.sizes) if not p.crossed(o)]
    if not allowed:
        return 1.0
    top = max(p.utility(o) for o in allowed)
    fits = [p.utility(o) for o in allowed if all(o[c] == v for c, v in items.items())]
    if not fits or max(fits) <= reservation:
        return 1.0
    return (top - max(fits)) / (top - reservation)


def agreed_by_hardliners(sc: Scenario) -> dict[int, int]:
    """Where A's and B's best packages meet: what every briefing after round 1 reports."""
    best = []
    for name in ("A", "B"):
        p = sc.party(name).preferences
        assert p is not None
        best.append(max(packages(p.sizes), key=p.utility))
    return {c: a for c, (a, b) in enumerate(zip(*best, strict=True)) if a == b}


def predicted_strike_rate(sc: Scenario, restrained: bool = False) -> float:
    """The rule's chance of a strike within ROUNDS rounds: nothing public in round 1, the
    hardliners' agreed items from round 2 on; a standing request to hold off halves it."""
    spoiler = sc.party("S").preferences
    assert spoiler is not None
    closeness = oracle_shortfall(spoiler, agreed_by_hardliners(sc), spoiler.reservation)
    factor = 0.5 if restrained else 1.0  # the default ``restraint``
    first = BASE * factor
    later = min(1.0, BASE * (1 + GAIN * closeness)) * factor
    return 1 - (1 - first) * (1 - later) ** (ROUNDS - 1)


def strike_rate(sc: Scenario) -> float:
    settings_ = Settings.from_scenario(sc)
    strikes = 0
    for seed in range(N):
        result = run(sc, settings_, seed).result()
        strikes += (result.ended, result.ended_by) == ("cancelled", "S")
    return strikes / N


def se(p: float) -> float:
    """The binomial standard error of a rate near ``p`` over N seeds."""
    return math.sqrt(p * (1 - p) / N)


# -- seeded strike rates ---------------------------------------------------------------------


def test_the_strike_rate_rises_as_the_table_nears_what_the_spoiler_dislikes() -> None:
    near, far = talks(near=True), talks(near=False)
    expect_near, expect_far = predicted_strike_rate(near), predicted_strike_rate(far)
    assert expect_near > expect_far  # the design: S dislikes what the near talks settle
    rate_near, rate_far = strike_rate(near), strike_rate(far)
    # Each rate within 3 standard errors of the rule's prediction (here, 400 seeds: 0.630
    # near against 0.620 predicted, 0.180 far against 0.183) ...
    assert abs(rate_near - expect_near) <= 3 * se(expect_near)
    assert abs(rate_far - expect_far) <= 3 * se(expect_far)
    # ... and apart by more than 3 standard errors of a difference of independent rates
    # (conservative: the arms share each seed's draws).
    assert rate_near - rate_far > 3 * math.hypot(se(rate_near), se(rate_far))


def test_a_request_to_hold_off_lowers_the_strike_rate() -> None:
    plain = talks(near=True)
    asked = talks(near=True, timeline=[{**RESTRAIN, "round": 0}])  # standing: all session
    expect = predicted_strike_rate(asked, restrained=True)
    rate_plain, rate_asked = strike_rate(plain), strike_rate(asked)  # here 0.630 and 0.370
    assert abs(rate_asked - expect) <= 3 * se(expect)
    assert rate_plain - rate_asked > 3 * math.hypot(se(rate_plain), se(rate_asked))


# -- the rule, round by round ----------------------------------------------------------------


def hazards(sc: Scenario, seed: int = 0) -> dict[int, float]:
    """The spoiler's hazard at each round's turn; it holds off meanwhile, so every round runs."""
    session, seats = start(sc, Settings.from_scenario(sc), seed)
    spoiler = seats["S"]
    assert isinstance(spoiler, Hazard)
    trace: dict[int, float] = {}
    while (ask := session.pending) is not None:
        view = session.view(ask.party)
        if ask.party == "S":
            trace[view.round] = spoiler.hazard(view)
            session.submit("S", Action(Kind.PASS))
        else:
            session.submit(ask.party, seats[ask.party].act(view, ask))
    return trace


def test_a_request_to_hold_off_lasts_hold_rounds() -> None:
    spec = f"{SPEC},restraint=0.25,hold=2"
    trace = hazards(talks(near=True, spoiler=spec, timeline=[{**RESTRAIN, "round": 4}]))
    high = BASE * (1 + GAIN)
    expected = {1: BASE, 2: high, 3: high, 4: high * 0.25, 5: high * 0.25}
    expected.update(dict.fromkeys(range(6, ROUNDS + 1), high))
    assert trace == pytest.approx(expected)


def test_a_public_draft_counts_at_its_weight_on_what_is_not_settled() -> None:
    # Far talks settle X on S's best option; the draft puts Y at S's worst, and with X as
    # settled S's best completion of the draft is below its reservation: shortfall 1.
    draft = {"kind": "table-draft", "party": "A", "round": 3, "title": "A's draft",
             "draft": {"X": "X0", "Y": "Y2"}}  # fmt: skip
    sc = talks(near=False, spoiler=f"{SPEC},tabled=0.25", timeline=[draft])
    spoiler = sc.party("S").preferences
    assert spoiler is not None
    tabled = sc.space.from_values({"X": "X0", "Y": "Y2"})
    on_table = {**dict(enumerate(tabled)), **agreed_by_hardliners(sc)}
    shortfall = oracle_shortfall(spoiler, on_table, spoiler.reservation)
    assert shortfall > 0
    trace = hazards(sc)
    assert trace[2] == pytest.approx(BASE)
    assert trace[3] == pytest.approx(BASE * (1 + GAIN * 0.25 * shortfall))


def test_it_threatens_when_the_hazard_first_reaches_warn_and_never_strikes_then() -> None:
    spec = f"hazard:base={BASE},gain={GAIN},warn={BASE * (1 + GAIN)}"
    sc = talks(near=True, spoiler=spec)
    reached = 0
    for seed in range(40):
        said = [m for m in run(sc, Settings.from_scenario(sc), seed).transcript if m.sender == "S"]
        assert all(m.public for m in said)
        moves = [m.kind for m in said]
        if len(moves) < 2:
            continue  # struck in round 1, at the base hazard
        reached += 1
        assert moves[1] == Kind.THREATEN  # round 2: the briefing raises it to warn
        assert moves.count(Kind.THREATEN) == 1  # it stays there: one threat
    assert reached > 20


def test_a_hazard_run_replays_to_the_same_transcript() -> None:
    sc = talks(near=True, spoiler="hazard:base=0.05,gain=4,warn=0.2")
    for seed in range(5):
        session = run(sc, Settings.from_scenario(sc), seed)
        again = run(sc, Settings.from_scenario(sc), seed)
        rebuilt, _ = resume(sc, session.settings, seed, session.transcript)
        assert again.transcript == session.transcript
        assert rebuilt.transcript == session.transcript


@pytest.mark.parametrize("bad", ["base=1.5", "gain=-1", "restraint=2", "hold=0", "warn=x"])
def test_its_parameters_are_checked(bad: str) -> None:
    sc = talks(near=True, spoiler=f"hazard:{bad}")
    with pytest.raises(StrategyError, match=bad.split("=")[0]):
        start(sc, Settings.from_scenario(sc), 0)


# -- the rule as invariants over random agendas and preferences ------------------------------


@st.composite
def agendas(draw: st.DrawFn) -> tuple[OutcomeSpace, LinearAdditive]:
    """A small space of discrete, integer and real issues and a spoiler's preferences on it,
    sometimes with a red line."""
    sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=4))
    issues: list[DiscreteIssue | IntegerIssue | RealIssue] = []
    for j, n in enumerate(sizes):
        if j % 3 == 0:
            options = tuple(Option(f"o{k}", f"option {k}") for k in range(n))
            issues.append(DiscreteIssue(f"d{j}", f"d{j}", options=options))
        elif j % 3 == 1:
            issues.append(IntegerIssue(f"i{j}", f"i{j}", low=-2, high=-2 + n - 1))
        else:
            issues.append(RealIssue(f"r{j}", f"r{j}", low=0.5, high=1.5, steps=n))
    unit = st.floats(0, 1, allow_nan=False)
    values = tuple(tuple(draw(st.lists(unit, min_size=n, max_size=n))) for n in sizes)
    weights = tuple(draw(st.lists(unit, min_size=len(sizes), max_size=len(sizes))))
    lines: tuple[RedLine, ...] = ()
    if draw(st.booleans()):  # a red line on one option of the first issue
        lines = (RedLine("never this", ((0, frozenset({draw(st.integers(0, sizes[0] - 1))})),)),)
    p = LinearAdditive(tuple(sizes), draw(unit), red_lines=lines, weights=weights, values=values)
    return OutcomeSpace(issues), p


def view_of(space: OutcomeSpace, p: Preferences, messages: list[Message], now: int = 5) -> View:
    return View("S", "spoiler", space, ("A", "B"), "M", "shuttle", p, p.reservation,
                messages, {}, None, now, 10)  # fmt: skip


def event(data: dict[str, Any], *, round_: int = 1, outcome: Outcome | None = None) -> Message:
    return Message(0, round_, "", "engine", (), Kind.EVENT, outcome, "", True, None, data)


def briefing(space: OutcomeSpace, items: Mapping[int, int]) -> Message:
    """A briefing as the kernel words it: issue id = option value."""
    issues = space.issues
    agreed = ",".join(f"{issues[c].id}={issues[c].value_of(o)}" for c, o in sorted(items.items()))
    return event({"event": "briefing", "agreed": agreed})


def settled_items(data: st.DataObject, space: OutcomeSpace) -> dict[int, int]:
    return {
        c: data.draw(st.integers(0, n - 1))
        for c, n in enumerate(space.sizes)
        if data.draw(st.booleans())
    }


@given(agendas(), st.data())
@settings(max_examples=150, deadline=None)
def test_the_shortfall_is_the_best_completion_against_the_reservation(
    agenda: tuple[OutcomeSpace, LinearAdditive], data: st.DataObject
) -> None:
    space, p = agenda
    items = settled_items(data, space)
    spoiler = Hazard(np.random.default_rng(0))
    view = view_of(space, p, [briefing(space, items)])
    assert public_state(view).settled == items  # read back from the briefing's wording
    assert spoiler.shortfall(view, items) == pytest.approx(
        oracle_shortfall(p, items, p.reservation), abs=1e-9
    )


@given(agendas(), st.data(), st.floats(0, 1), st.floats(0, 10), st.floats(0, 1))
@settings(max_examples=150, deadline=None)
def test_the_hazard_never_falls_as_more_is_settled_and_stays_within_its_cap(
    agenda: tuple[OutcomeSpace, LinearAdditive],
    data: st.DataObject,
    base: float,
    gain: float,
    cap: float,
) -> None:
    space, p = agenda
    more = settled_items(data, space)
    fewer = {c: o for c, o in more.items() if data.draw(st.booleans())}
    spoiler = Hazard(np.random.default_rng(0), base=base, gain=gain, cap=cap)
    low = spoiler.hazard(view_of(space, p, [briefing(space, fewer)]))
    high = spoiler.hazard(view_of(space, p, [briefing(space, more)]))
    assert 0.0 <= low <= high + 1e-12
    assert high <= cap + 1e-12


@given(agendas(), st.lists(st.integers(1, 5), max_size=4), st.floats(0, 1), st.integers(1, 4))
@settings(max_examples=150, deadline=None)
def test_each_request_in_force_multiplies_the_hazard_by_restraint(
    agenda: tuple[OutcomeSpace, LinearAdditive], made: list[int], restraint: float, hold: int
) -> None:
    space, p = agenda
    now = 5
    requests = [event({"event": "restrain", "party": "S", "by": "B"}, round_=r) for r in made]
    spoiler = Hazard(np.random.default_rng(0), restraint=restraint, hold=hold)
    alone = spoiler.hazard(view_of(space, p, [], now))
    asked = spoiler.hazard(view_of(space, p, requests, now))
    in_force = sum(now - r < hold for r in made)
    assert asked == pytest.approx(alone * restraint**in_force)


def test_direct_talks_count_the_text_on_the_table_in_full() -> None:
    space = OutcomeSpace([DiscreteIssue("d", "d", options=(Option("a", "a"), Option("b", "b")))])
    p = LinearAdditive((2,), 0.5, weights=(1.0,), values=((1.0, 0.0),))
    text = Message(0, 1, "", "T", (), Kind.FRAMEWORK, (1,), "", True, None, {})
    direct = Message(1, 2, "direct", "engine", (), Kind.PHASE, None, "", True, None, {})
    spoiler = Hazard(np.random.default_rng(0), base=0.1, gain=2.0, tabled=0.5)
    assert public_state(view_of(space, p, [text])).text == {0: 1}
    assert spoiler.hazard(view_of(space, p, [text])) == pytest.approx(0.1 * (1 + 2 * 0.5))
    assert public_state(view_of(space, p, [text, direct])).direct
    assert spoiler.hazard(view_of(space, p, [text, direct])) == pytest.approx(0.1 * 3)


@pytest.mark.parametrize("protocol", ["direct", "shuttle", "single-text"])
def test_random_talks_with_a_hazard_spoiler_keep_isolation_and_replay(protocol: str) -> None:
    """Every seat's view checked at every turn (as in test_isolation), then a replay."""
    mediator = {"direct": None, "shuttle": "bridging", "single-text": "feedback"}[protocol]
    for seed in range(15):
        doc = random_scenario(seed, outsiders=True).doc.model_dump(mode="json", exclude_none=True)
        doc["protocol"]["strategies"]["S"] = "hazard:base=0.05,warn=0.1"
        doc["protocol"]["briefings"] = True
        sc = from_data(doc, f"random-{seed}")
        settings_ = Settings.from_scenario(sc, protocol=protocol, mediator=mediator)
        session = drive(sc, settings_, seed)
        assert session.ended is not None
        rebuilt, _ = resume(sc, session.settings, seed, session.transcript)
        assert rebuilt.transcript == session.transcript
