"""The Muscat 2026 built-in against SCENARIO_FACTS: agenda, parties, sourcing, red lines, ZOPA.

Expected values here come from the facts file (§4 issue list, §2 and §6 participants, §7 hard
red lines and the reported bridge), not from the scenario file. The zone of possible agreement is
recomputed by brute force straight from the document, independently of ``parley.preferences``.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

from parley.engine import Settings
from parley.engine.messages import Kind
from parley.play import play, start
from parley.scenario import Scenario, load
from parley.scenario.schema import PreferencesDoc
from parley.strategies.index import ranked

ISSUES = "ABCDEFGHI"
SIZES = (7, 6, 5, 5, 3, 5, 3, 4, 3)  # SCENARIO_FACTS §4
ROLES = {
    "Iran": "principal",
    "United States": "principal",
    "Oman": "mediator",
    "Six-state group": "third-party",
    "Israel": "spoiler",
    "Iran's technical team": "adviser",
}
SIX_STATES = {"Saudi Arabia", "Qatar", "Egypt", "Oman", "United Arab Emirates", "Pakistan"}
INTERPOLATED = {"A2", "B2", "F3", "G2", "I2"}  # marked *interpolated* in §4
HARD_RED_LINES = {  # SCENARIO_FACTS §7: the firm public ones only
    "Iran": {"A7", "H3", "H4"},
    "United States": {"A1", "A2", "A3"},
}
TIE = 1e-9  # utilities this close to a reservation value count as equal to it
BRIDGE = {  # SCENARIO_FACTS §7, the reported Feb 2026 bridge ("H1 with a side letter on I")
    "A": {"A5", "A6"},
    "B": {"B3", "B5"},
    "D": {"D3", "D4"},
    "F": {"F2", "F4"},
    "H": {"H1"},
    "I": {"I1", "I2"},
}


@pytest.fixture(scope="module")
def muscat() -> Scenario:
    return load("muscat-2026")


def _prefs(scenario: Scenario, name: str) -> PreferencesDoc:
    for party in scenario.doc.parties:
        if party.name == name:
            assert party.preferences is not None
            return party.preferences
    raise AssertionError(f"no party {name}")


# -- agenda ---------------------------------------------------------------------------------------


def test_nine_issues_with_the_options_of_the_facts_file(muscat: Scenario) -> None:
    assert [i.id for i in muscat.doc.issues] == list(ISSUES)
    assert tuple(len(i.options) for i in muscat.doc.issues) == SIZES
    assert muscat.space.cardinality == 567_000
    for issue in muscat.doc.issues:
        assert issue.type == "discrete"
        expected = [f"{issue.id}{k}" for k in range(1, len(issue.options) + 1)]
        assert [o.id for o in issue.options] == expected


def test_every_option_is_labelled_sourced_and_based(muscat: Scenario) -> None:
    for issue in muscat.doc.issues:
        for option in issue.options:
            assert option.label.strip(), option.id
            assert option.description.strip(), option.id
            assert option.source.strip(), option.id
            assert "http" in option.source or "SCENARIO_FACTS" in option.source, option.id
            assert option.basis is not None, option.id
            if option.id in INTERPOLATED:
                assert option.basis == "ASSUMPTION", option.id


def test_the_unreliable_source_is_not_used(muscat: Scenario) -> None:
    # SCENARIO_FACTS §2 marks ptelegraph.com as UNRELIABLE.
    assert "ptelegraph" not in muscat.doc.model_dump_json()


# -- parties ---------------------------------------------------------------------------------------


def test_the_parties_and_their_roles(muscat: Scenario) -> None:
    assert {p.name: p.role for p in muscat.parties} == ROLES
    for party in muscat.parties:
        assert party.description.strip(), party.name


def test_delegations(muscat: Scenario) -> None:
    members = {p.name: {m.name for m in p.delegation} for p in muscat.parties}
    assert "Abbas Araghchi" in members["Iran"]
    assert {"Steve Witkoff", "Jared Kushner", "Adm. Brad Cooper"} <= members["United States"]
    assert "Sayyid Badr Al Busaidi" in members["Oman"]
    assert members["Six-state group"] == SIX_STATES


# -- preferences -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Iran", "United States"])
def test_every_preference_number_is_declared_an_assumption(muscat: Scenario, name: str) -> None:
    prefs = _prefs(muscat, name)
    assert set(prefs.issues) == set(ISSUES)
    for issue_id, entry in prefs.issues.items():
        assert entry.rationale.startswith("ASSUMPTION:"), (name, issue_id)
    assert prefs.reservation_rationale.startswith("ASSUMPTION:"), name


@pytest.mark.parametrize("name", ["Iran", "United States"])
def test_weights_sum_to_one_and_values_lie_in_the_unit_interval(
    muscat: Scenario, name: str
) -> None:
    prefs = _prefs(muscat, name)
    assert sum(e.weight for e in prefs.issues.values()) == pytest.approx(1.0, abs=1e-9)
    for entry in prefs.issues.values():
        assert entry.values is not None
        assert all(0.0 <= v <= 1.0 for v in entry.values.values())
    assert 0.0 < prefs.reservation < 1.0


@pytest.mark.parametrize(("name", "sign"), [("Iran", -1), ("United States", 1)])
def test_values_follow_the_option_order(muscat: Scenario, name: str, sign: int) -> None:
    """Options run from most Iran-favourable to most US-favourable (§4)."""
    prefs = _prefs(muscat, name)
    for issue in muscat.doc.issues:
        values = prefs.issues[issue.id].values
        assert values is not None
        row = [sign * values[o.id] for o in issue.options]
        assert row == sorted(row), (name, issue.id)
        assert row[0] < row[-1], (name, issue.id)


def test_hard_red_lines_are_exactly_those_of_the_facts_file(muscat: Scenario) -> None:
    for name, expected in HARD_RED_LINES.items():
        lines = _prefs(muscat, name).red_lines
        forbidden: set[str] = set()
        for line in lines:
            assert len(line.when) == 1, "each stated red line is about one issue"
            assert line.description.strip()
            assert line.source.startswith("http")
            forbidden |= {str(o) for options in line.when.values() for o in options}
        assert forbidden == expected, name
    for party in muscat.doc.parties:
        if party.name not in HARD_RED_LINES and party.preferences is not None:
            assert party.role in ("third-party", "spoiler", "adviser"), party.name
            if party.role != "adviser":
                assert not party.preferences.red_lines, party.name  # outsiders have none
                continue
            # An adviser holds no red line its own principal does not state.
            own = next(p for p in muscat.doc.parties if p.name == party.advises)
            assert own.preferences is not None
            stated = {tuple(sorted(line.when.items())) for line in own.preferences.red_lines}
            held = {tuple(sorted(line.when.items())) for line in party.preferences.red_lines}
            assert held <= stated, party.name


# -- the zone of possible agreement, by brute force ------------------------------------------------


def _all_packages() -> np.ndarray:
    grids = np.meshgrid(*[np.arange(n, dtype=np.int8) for n in SIZES], indexing="ij")
    return np.stack([g.ravel() for g in grids], axis=1)


def _acceptable(scenario: Scenario, name: str, rows: np.ndarray) -> np.ndarray:
    prefs = _prefs(scenario, name)
    ids = {issue.id: [o.id for o in issue.options] for issue in scenario.doc.issues}
    utility = np.zeros(rows.shape[0])
    for column, issue_id in enumerate(ISSUES):
        entry = prefs.issues[issue_id]
        assert entry.values is not None
        table = np.array([entry.weight * entry.values[o] for o in ids[issue_id]])
        utility += table[rows[:, column]]
    crossed = np.zeros(rows.shape[0], dtype=bool)
    for line in prefs.red_lines:
        hit = np.ones(rows.shape[0], dtype=bool)
        for issue_id, options in line.when.items():
            column = ISSUES.index(issue_id)
            hit &= np.isin(rows[:, column], [ids[issue_id].index(str(o)) for o in options])
        crossed |= hit
    # A package worth exactly the reservation reaches it, whatever the float rounding.
    return ~crossed & (utility >= prefs.reservation - TIE)


@pytest.fixture(scope="module")
def zopa(muscat: Scenario) -> tuple[np.ndarray, np.ndarray]:
    rows = _all_packages()
    both = _acceptable(muscat, "Iran", rows) & _acceptable(muscat, "United States", rows)
    return rows, both & muscat.space.possible_rows(rows)  # only packages that can exist


def test_the_zone_of_agreement_is_modest_and_not_empty(zopa: tuple[np.ndarray, np.ndarray]) -> None:
    rows, both = zopa
    assert rows.shape == (567_000, 9)
    assert 0 < both.sum() < 0.05 * rows.shape[0]


def test_the_brute_force_agrees_with_the_library(
    muscat: Scenario, zopa: tuple[np.ndarray, np.ndarray]
) -> None:
    rows, both = zopa
    rows = rows.astype(np.int64)
    library = muscat.space.possible_rows(rows)
    tied = np.zeros(rows.shape[0], dtype=bool)
    for party in muscat.principals:
        prefs = party.preferences
        assert prefs is not None
        library &= prefs.acceptable_rows(rows)
        tied |= np.abs(prefs.utilities(rows) - prefs.reservation) <= TIE
    # Packages worth exactly a reservation value may fall either side of it in float arithmetic.
    assert np.array_equal(library[~tied], both[~tied])


def test_the_reported_bridge_holds_packages_in_the_zone(
    muscat: Scenario, zopa: tuple[np.ndarray, np.ndarray]
) -> None:
    rows, both = zopa
    ids = {issue.id: [o.id for o in issue.options] for issue in muscat.doc.issues}
    region = np.ones(rows.shape[0], dtype=bool)
    for issue_id, options in BRIDGE.items():
        wanted = [ids[issue_id].index(o) for o in options]
        region &= np.isin(rows[:, ISSUES.index(issue_id)], wanted)
    assert (region & both).sum() > 0


def test_the_notes_quote_the_zone_size_that_the_file_gives(
    muscat: Scenario, zopa: tuple[np.ndarray, np.ndarray]
) -> None:
    quoted = re.search(r"([\d,]+) of the 567,000 packages", " ".join(muscat.doc.notes.split()))
    assert quoted is not None, "the notes state the calibration result"
    assert int(quoted.group(1).replace(",", "")) == int(zopa[1].sum())


# -- protocol and timeline -------------------------------------------------------------------------


def test_protocol_is_shuttle_diplomacy_through_oman(muscat: Scenario) -> None:
    protocol = muscat.protocol
    assert protocol.kind == "shuttle"
    assert protocol.mediator == "Oman"
    assert protocol.mediator_strategy == "relay"
    assert protocol.order == ("Iran", "United States")  # Iran's proposal went first
    assert protocol.strategies["Iran"] == protocol.strategies["United States"]  # neutral
    assert 6 <= protocol.rounds <= 10
    assert protocol.escalation is not None
    assert protocol.escalation.gap_below is not None
    assert 0 < protocol.escalation.gap_below < 1


def test_every_event_is_sourced_and_fits_the_schedule(muscat: Scenario) -> None:
    for event in muscat.doc.timeline:
        assert event.source.strip(), event.title
        assert event.basis is not None, event.title
        if event.round is not None:
            assert 0 <= event.round <= muscat.protocol.rounds, event.title  # 0: standing
        if event.round is None and event.probability is None:
            assert event.kind == "note", event.title  # history is shown, never fired
            assert event.date is not None, event.title


def _events(scenario: Scenario, kind: str) -> list[Any]:
    return [e for e in scenario.doc.timeline if e.kind == kind]


def test_the_historical_record(muscat: Scenario) -> None:
    dates = {e.date for e in _events(muscat, "note")}
    # SCENARIO_FACTS §1 and the seed report
    for date in ("2025-04-12", "2025-05-23", "2025-06-13", "2025-06-22", "2025-08-28",
                 "2026-01-28", "2026-02-03"):
        assert date in dates, date


def test_the_day_is_scripted_as_the_report_tells_it(muscat: Scenario) -> None:
    script = muscat.protocol.script
    steps = [[(s.kind, s.party, s.to) for s in phase.steps] for phase in script]
    assert steps[:4] == [
        [("caucus", "Iran", None), ("caucus", "United States", None)],
        [("carry", "Iran", "United States")],
        [("carry", "United States", "Iran")],
        [("consult", "United States", None)],
    ]
    assert "Phase 1" in script[1].title
    assert "Phase 2" in script[2].title
    assert all(phase.source and phase.basis for phase in script)
    assert len(script) <= muscat.protocol.rounds


def test_pressure_signals_and_hazards(muscat: Scenario) -> None:
    shifts = _events(muscat, "shift-reservation")
    standing = [e for e in shifts if e.round == 0]
    # Standing conditions on both sides, present from the start (not drawn at random).
    assert {e.party for e in standing} == {"Iran", "United States"}
    assert all(e.delta < 0 and e.basis == "ASSUMPTION" for e in shifts)
    assert "carrier" in " ".join(e.title for e in standing)
    assert not _events(muscat, "cancel")  # Israel acts through its seat (the hazard spoiler)
    (restrain,) = _events(muscat, "restrain")
    assert (restrain.party, restrain.by, restrain.round) == ("Israel", "United States", 0)
    assert muscat.protocol.strategies["Israel"].startswith("hazard")


def test_the_six_state_framework_covers_security_and_scope(muscat: Scenario) -> None:
    assert muscat.protocol.strategies["Six-state group"].startswith("framework")
    assert "covers=H+I" in muscat.protocol.strategies["Six-state group"]
    prefs = muscat.preferences_of("Six-state group")
    best = ranked(muscat.space, prefs).outcome(0)
    values = muscat.space.to_values(best)
    assert (values["H"], values["I"]) == ("H2", "I1")  # the reported framework's items


def test_the_framework_and_the_spoiler_act_in_the_default_run() -> None:
    scenario = load("muscat-2026")
    s, seats = start(scenario, Settings.from_scenario(scenario), 0)
    play(s, seats)
    tabled = [m for m in s.transcript if m.kind == Kind.FRAMEWORK]
    assert tabled
    assert tabled[0].sender == "Six-state group"
    assert tabled[0].data["covers"] == "H,I"
    answered = {m.sender for m in s.transcript if m.kind in (Kind.ENDORSE, Kind.DECLINE)}
    assert answered == {"Iran", "United States"}
    watched = [m for m in s.transcript if m.sender == "Israel"]
    assert watched
    assert all(m.public for m in watched)
