"""Every built-in scenario loads, survives a save/load round trip, and evaluates consistently.

The round trip is also checked as a property over generated valid documents: issues of all three
types, parties of every role, preferences by values and by points, red lines, events and an
[uncertainty] section.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parley.preferences import LinearAdditive
from parley.scenario import Scenario, builtin_names, dumps, from_data, load, loads

SMALL = 5_000  # built-ins up to this many outcomes are checked on every outcome


@pytest.fixture(scope="module", params=builtin_names())
def builtin(request: pytest.FixtureRequest) -> Scenario:
    return load(request.param)


def test_the_expected_builtins_ship() -> None:
    assert {"nash-1950", "muscat-2026", "job-offer"} <= set(builtin_names())


def test_builtin_loads_with_linear_preferences_for_every_principal(builtin: Scenario) -> None:
    assert len(builtin.principals) >= 2
    for party in builtin.principals:
        prefs = party.preferences
        assert isinstance(prefs, LinearAdditive)
        assert len(prefs.weights) == len(builtin.space.issues)
        assert prefs.worst_value() <= prefs.reservation <= prefs.best_value()


def test_builtin_round_trips_through_toml(builtin: Scenario) -> None:
    text = dumps(builtin.doc)
    again = loads(text, source="round trip")
    assert again.doc == builtin.doc
    assert dumps(again.doc) == text  # saving is stable


def _check_scalar_matches_batch(scenario: Scenario, rows: np.ndarray) -> None:
    for party in scenario.principals:
        prefs = party.preferences
        assert prefs is not None
        batch = prefs.utilities(rows)
        scalar = np.array([prefs.utility(tuple(row)) for row in rows])
        np.testing.assert_allclose(batch, scalar, rtol=0, atol=1e-12)
        crosses = prefs.crosses(rows)
        assert crosses.tolist() == [bool(prefs.crossed(tuple(row))) for row in rows]
        acceptable = prefs.acceptable_rows(rows)
        assert acceptable.tolist() == [prefs.acceptable(tuple(row)) for row in rows]


def test_batch_and_scalar_utility_agree(builtin: Scenario) -> None:
    space = builtin.space
    if space.cardinality <= SMALL:
        rows = space.all_rows()
    else:
        rng = np.random.default_rng(20260206)
        rows = np.column_stack([rng.integers(0, n, size=2_000) for n in space.sizes])
    _check_scalar_matches_batch(builtin, rows)


def test_builtin_spaces_cover_every_small_outcome_once(builtin: Scenario) -> None:
    space = builtin.space
    if space.cardinality > SMALL:
        pytest.skip("large space: covered by the random-outcome check")
    numbers = space.indices_of(space.all_rows())
    assert numbers.tolist() == list(range(space.cardinality))


# -- generated documents ------------------------------------------------------------------------

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
IDS = st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-",
              min_size=1, max_size=6)
UNIT = st.floats(0.0, 1.0, allow_nan=False)
BASIS = st.sampled_from([None, "FACT", "REPORTED", "ASSUMPTION"])


def _drop_none(table: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in table.items() if v is not None}


@st.composite
def issue_tables(draw: st.DrawFn, issue_id: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(["discrete", "integer", "real"]))
    table: dict[str, Any] = {"id": issue_id, "name": draw(TEXT), "type": kind}
    if draw(st.booleans()):
        table["description"] = draw(TEXT)
    if kind == "discrete":
        ids = draw(st.lists(IDS, min_size=1, max_size=4, unique=True))
        table["options"] = [
            _drop_none({"id": i, "label": draw(TEXT), "source": draw(TEXT), "basis": draw(BASIS)})
            for i in ids
        ]
    elif kind == "integer":
        low = draw(st.integers(-5, 5))
        table |= {"min": low, "max": low + draw(st.integers(0, 4))}
    else:
        low = draw(st.floats(-100, 100, allow_nan=False))
        width = draw(st.floats(0.5, 100))
        table |= {"min": low, "max": low + width, "steps": draw(st.integers(1, 5))}
    return table


def _values_of(issue: dict[str, Any]) -> list[Any]:
    """Every value an issue can take, as a scenario file would write it."""
    if issue["type"] == "discrete":
        return [o["id"] for o in issue["options"]]
    if issue["type"] == "integer":
        return list(range(int(issue["min"]), int(issue["max"]) + 1))
    return [float(x) for x in np.linspace(issue["min"], issue["max"], issue["steps"])]


@st.composite
def preference_tables(draw: st.DrawFn, issues: list[dict[str, Any]]) -> dict[str, Any]:
    entries: dict[str, Any] = {}
    for issue in issues:
        entry: dict[str, Any] = {"weight": draw(UNIT)}
        if issue["type"] == "discrete":
            entry["values"] = {o["id"]: draw(UNIT) for o in issue["options"]}
        else:
            xs = sorted(draw(st.lists(st.floats(-200, 200), min_size=1, max_size=3, unique=True)))
            entry["points"] = [[x, draw(UNIT)] for x in xs]
        if draw(st.booleans()):
            entry["rationale"] = draw(TEXT)
        entries[issue["id"]] = entry
    lines = []
    for _ in range(draw(st.integers(0, 2))):
        chosen = draw(st.lists(st.sampled_from(issues), min_size=1, max_size=2,
                               unique_by=lambda i: i["id"]))
        when = {
            i["id"]: draw(st.lists(st.sampled_from(_values_of(i)), min_size=1, max_size=2,
                                   unique=True))
            for i in chosen
        }
        lines.append({"description": draw(TEXT), "when": when, "source": draw(TEXT)})
    return {
        "issues": entries,
        "reservation": draw(UNIT),
        "discount": draw(st.floats(0.01, 1.0)),
        "red_lines": lines,
    }


@st.composite
def event_tables(draw: st.DrawFn, issues: list[dict[str, Any]], names: list[str]) -> dict[str, Any]:
    kind = draw(st.sampled_from(["phase", "note", "shift-reservation", "table-draft",
                                 "move-deadline", "cancel"]))
    event: dict[str, Any] = {"kind": kind, "title": draw(TEXT), "source": draw(TEXT),
                             "basis": draw(BASIS)}
    when = draw(st.sampled_from(["round", "probability", "neither"]))
    if when == "round":
        event["round"] = draw(st.integers(0, 30))
    elif when == "probability":
        event["probability"] = draw(UNIT)
    else:
        event["date"] = draw(TEXT)
    if kind in {"shift-reservation", "table-draft", "cancel"}:
        event["party"] = draw(st.sampled_from(names))
    if kind == "shift-reservation":
        event["delta"] = draw(st.floats(-0.5, 0.5))
    if kind == "table-draft":
        event["draft"] = {i["id"]: draw(st.sampled_from(_values_of(i))) for i in issues}
    if kind == "move-deadline":
        event["rounds"] = draw(st.integers(-5, 5))
    return _drop_none(event)


@st.composite
def distribution_tables(draw: st.DrawFn, low: float, high: float) -> dict[str, Any]:
    """A distribution whose draws stay in [low, high]."""
    a, b = sorted((draw(st.floats(low, high)), draw(st.floats(low, high))))
    kind = draw(st.sampled_from(["uniform", "normal", "triangular", "choice"]))
    if kind == "uniform":
        return {"kind": kind, "low": a, "high": b}
    if kind == "triangular":
        return {"kind": kind, "low": a, "mode": draw(st.floats(a, b)), "high": b}
    if kind == "normal":
        return {"kind": kind, "mean": draw(st.floats(a, b)), "sd": draw(st.floats(0, 1)),
                "low": a, "high": b}
    return {"kind": kind, "values": [a, b], "probabilities": [0.25, 0.75]}


@st.composite
def uncertainty_tables(
    draw: st.DrawFn, issues: list[dict[str, Any]], parties: list[dict[str, Any]],
    events: list[dict[str, Any]], names: list[str],
) -> dict[str, Any]:
    """An ``[uncertainty]`` section: each kind of declaration, each with a source and basis."""
    principals = [p for p in parties if p["role"] == "principal"]
    about = {"source": draw(TEXT), "basis": draw(BASIS), "rationale": draw(TEXT)}
    party = draw(st.sampled_from(principals))
    issue = draw(st.sampled_from(issues))
    table: dict[str, Any] = {"description": draw(TEXT), "normalize_weights": draw(st.booleans())}
    if draw(st.booleans()):
        table["weights"] = [_drop_none({"party": party["name"], "issue": issue["id"],
                                        "distribution": draw(distribution_tables(0, 1)), **about})]
    if draw(st.booleans()):
        table["values"] = [_drop_none({"party": party["name"], "issue": issue["id"],
                                       "option": draw(st.sampled_from(_values_of(issue))),
                                       "distribution": draw(distribution_tables(-1, 2)), **about})]
    if draw(st.booleans()):
        table["reservations"] = [_drop_none({"party": party["name"],
                                             "distribution": draw(distribution_tables(-1, 2))})]
    lines = party["preferences"]["red_lines"]
    if lines and draw(st.booleans()):
        table["red_lines"] = [_drop_none({"party": party["name"], "holds": draw(UNIT),
                                          "red_line": draw(st.integers(0, len(lines) - 1)),
                                          **about})]
    declared = []
    random = [e["title"] for e in events if "probability" in e]
    if random and len(set(random)) == len(random) and draw(st.booleans()):
        declared.append({"timeline": draw(st.sampled_from(random)),
                         "probability": draw(distribution_tables(0, 1))})
    if draw(st.booleans()):
        event = {k: v for k, v in draw(event_tables(issues, names)).items()
                 if k not in ("round", "probability", "date")}
        per = draw(st.sampled_from(["round", "session"]))
        probability = draw(UNIT) if per == "session" or draw(st.booleans()) else draw(
            distribution_tables(0, 1))
        declared.append(_drop_none({"event": event, "per": per, "probability": probability,
                                    **about}))
    if declared:
        table["events"] = declared
    return table


@st.composite
def scenario_data(draw: st.DrawFn) -> dict[str, Any]:
    issue_ids = draw(st.lists(IDS, min_size=1, max_size=4, unique=True))
    issues = [draw(issue_tables(i)) for i in issue_ids]
    others = draw(
        st.lists(st.sampled_from(["principal", "mediator", "third-party", "spoiler"]), max_size=3)
    )
    roles = ["principal", "principal", *others]
    names = draw(st.lists(TEXT.filter(str.strip), min_size=len(roles), max_size=len(roles),
                          unique=True))
    parties = []
    for name, role in zip(names, roles, strict=True):
        party: dict[str, Any] = {"name": name, "role": role, "description": draw(TEXT)}
        if draw(st.booleans()):
            party["delegation"] = [{"name": draw(TEXT), "title": draw(TEXT)}]
        if role == "principal":
            party["preferences"] = draw(preference_tables(issues))
        parties.append(party)
    principals = [n for n, r in zip(names, roles, strict=True) if r == "principal"]
    mediators = [n for n, r in zip(names, roles, strict=True) if r == "mediator"]
    protocol: dict[str, Any] = {
        "kind": draw(st.sampled_from(["shuttle", "single-text"])) if mediators else "direct",
        "rounds": draw(st.integers(1, 50)),
        "order": draw(st.permutations(principals)),
        "strategies": {n: draw(st.sampled_from(["boulware", "conceder"])) for n in principals},
    }
    if mediators:
        protocol["mediator"] = draw(st.sampled_from(mediators))
        params = {"patience": draw(st.integers(0, 9)), "strict": draw(st.booleans())}
        protocol["mediator_strategy"] = {"name": "relay", "params": params}
    if draw(st.booleans()):
        protocol["escalation"] = {"gap_below": draw(UNIT)}
    events = [draw(event_tables(issues, names)) for _ in range(draw(st.integers(0, 3)))]
    extra = {}
    if draw(st.booleans()):
        extra["uncertainty"] = draw(uncertainty_tables(issues, parties, events, names))
    return extra | {
        "format": "parley-scenario/1",
        "name": draw(st.from_regex(r"[a-z0-9][a-z0-9._-]{0,10}", fullmatch=True)),
        "title": draw(TEXT),
        "description": draw(TEXT),
        "issues": issues,
        "parties": parties,
        "protocol": protocol,
        "timeline": events,
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_data())
def test_any_valid_document_round_trips(data: dict[str, Any]) -> None:
    scenario = from_data(data, source="generated")
    text = dumps(scenario.doc)
    again = loads(text, source="round trip")
    assert again.doc == scenario.doc
    assert again.space.sizes == scenario.space.sizes
    assert again.inputs == scenario.inputs


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_data())
def test_batch_and_scalar_utility_agree_on_generated_scenarios(data: dict[str, Any]) -> None:
    scenario = from_data(data, source="generated")
    _check_scalar_matches_batch(scenario, scenario.space.all_rows())
